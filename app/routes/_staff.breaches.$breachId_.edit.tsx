import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { BreachForm } from "~/components/breach-form";
import { BreachFormSchema, breachFormInput, formErrors } from "~/domain/breach-form";
import { useT } from "~/i18n/i18n";
import { requireStaff } from "~/services/auth.server";
import { breachFormOptions, getBreachForEdit, updateBreach } from "~/services/breaches.server";
import { nowIso } from "~/services/http.server";

export const meta = ({ data }: { data?: { breach?: { reference: string } } }) => [{ title: `${data?.breach?.reference ?? ""} · DPA Desk` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const breach = await getBreachForEdit(actor, params.breachId ?? "");
  return json({ breach, options: await breachFormOptions(actor) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const input = breachFormInput(await request.formData());
  const parsed = BreachFormSchema.safeParse(input);
  // the posted values go back with the errors, so a form sent without JavaScript keeps what was typed
  if (!parsed.success) return json({ errors: formErrors(parsed.error), values: input }, { status: 400 });
  const result = await updateBreach(actor, params.breachId ?? "", parsed.data, nowIso());
  if (!result.ok) return json({ errors: result.errors, values: input }, { status: 400 });
  return redirect(`/breaches/${result.id}?saved=1&recomputed=${result.recomputed}&added=${result.added}&removed=${result.removed}`);
}

export default function EditBreach() {
  const t = useT();
  const { breach, options } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to={`/breaches/${breach.id}`}>
          ← {breach.reference} {breach.title}
        </Link>
      </p>
      <h1>{t("breaches.edit")}</h1>
      {breach.status === "closed" ? <p className="form-error">{t("breaches.error.closedNoEdit")}</p> : <p className="muted">{t("breaches.editIntro")}</p>}
      <BreachForm
        defaults={actionData?.values ?? breach.defaults}
        options={options}
        serverErrors={actionData?.errors}
        submitLabel={t("breaches.form.submitEdit")}
        cancelTo={`/breaches/${breach.id}`}
        editing
      />
    </>
  );
}
