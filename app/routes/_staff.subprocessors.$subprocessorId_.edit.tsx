import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { SubprocessorFormSchema, fieldErrors, subprocessorFormInput } from "~/domain/subprocessor-forms";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { nowIso } from "~/services/http.server";
import { listServicesForSubprocessors, readSubprocessorForm, subprocessorFormDefaults, updateSubprocessor } from "~/services/subprocessors.server";
import { SubprocessorForm } from "./_staff.subprocessors.new/subprocessor-form";

export const meta = titleMeta("subprocessors.form.editTitle");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const id = params.subprocessorId ?? "";
  const [defaults, services] = await Promise.all([subprocessorFormDefaults(actor, id), listServicesForSubprocessors(actor)]);
  return json({ id, ...defaults, services });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const id = params.subprocessorId ?? "";
  const { form, document, documentError } = await readSubprocessorForm(request);
  const submitted = subprocessorFormInput(form);
  const parsed = SubprocessorFormSchema.safeParse(submitted);
  if (!parsed.success || documentError) {
    return json({ values: submitted, errors: { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...(documentError ? { document: documentError } : {}) } }, { status: 400 });
  }
  const result = await updateSubprocessor(actor, id, parsed.data, document, nowIso());
  if (!result.ok) return json({ values: submitted, errors: result.errors }, { status: 400 });
  return redirect(`/subprocessors/${id}?saved=1`);
}

export default function EditSubprocessor() {
  const t = useT();
  const { id, values, status, document, services } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to={`/subprocessors/${id}`}>← {values.legalName}</Link>
      </p>
      <h1>{t("subprocessors.form.editTitle")}</h1>
      <SubprocessorForm
        defaults={actionData?.values ?? values}
        services={services}
        serverErrors={actionData?.errors}
        mode={{ kind: "edit", status, document }}
        cancelTo={`/subprocessors/${id}`}
      />
    </>
  );
}
