import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { SubprocessorFormSchema, fieldErrors, subprocessorFormInput, type SubprocessorFormInput } from "~/domain/subprocessor-forms";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { nowIso } from "~/services/http.server";
import { createSubprocessor, listServicesForSubprocessors, readSubprocessorForm } from "~/services/subprocessors.server";
import { SubprocessorForm } from "./subprocessor-form";

export const meta = titleMeta("subprocessors.form.newTitle");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  return json({ services: await listServicesForSubprocessors(actor) });
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const { form, document, documentError } = await readSubprocessorForm(request);
  const values = subprocessorFormInput(form);
  const parsed = SubprocessorFormSchema.safeParse(values);
  if (!parsed.success || documentError) {
    return json({ values, errors: { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...(documentError ? { document: documentError } : {}) } }, { status: 400 });
  }
  const result = await createSubprocessor(actor, parsed.data, document, nowIso());
  if (!result.ok) return json({ values, errors: result.errors }, { status: 400 });
  return redirect(`/subprocessors/${result.id}?created=1`);
}

const EMPTY: SubprocessorFormInput = {
  legalName: "",
  tradeName: "",
  serviceNl: "",
  serviceEn: "",
  purposeNl: "",
  purposeEn: "",
  locations: "",
  transferSafeguard: "",
  dataCategories: [],
  serviceIds: [],
  dpaDate: "",
  breachNoticeHours: "",
  status: "proposed",
  startDate: "",
  endDate: "",
  internalNote: "",
};

export default function NewSubprocessor() {
  const t = useT();
  const { services } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/subprocessors">← {t("subprocessors.title")}</Link>
      </p>
      <h1>{t("subprocessors.form.newTitle")}</h1>
      <SubprocessorForm defaults={actionData?.values ?? EMPTY} services={services} serverErrors={actionData?.errors} mode={{ kind: "create" }} cancelTo="/subprocessors" />
    </>
  );
}
