import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { BreachForm } from "~/components/breach-form";
import { BreachFormSchema, breachFormInput, formErrors } from "~/domain/breach-form";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { breachFormOptions, logBreach, newBreachDefaults } from "~/services/breaches.server";
import { nowIso } from "~/services/http.server";

export const meta = titleMeta("breaches.new");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  return json({ defaults: newBreachDefaults(actor, nowIso()), options: await breachFormOptions(actor) });
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const input = breachFormInput(await request.formData());
  const parsed = BreachFormSchema.safeParse(input);
  // the posted values go back with the errors, so a form sent without JavaScript keeps what was typed
  if (!parsed.success) return json({ errors: formErrors(parsed.error), values: input }, { status: 400 });
  const result = await logBreach(actor, parsed.data, nowIso());
  if (!result.ok) return json({ errors: result.errors, values: input }, { status: 400 });
  return redirect(`/breaches/${result.id}?logged=1`);
}

export default function NewBreach() {
  const t = useT();
  const { defaults, options } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/breaches">← {t("breaches.title")}</Link>
      </p>
      <h1>{t("breaches.new")}</h1>
      <p className="muted">{t("breaches.newIntro")}</p>
      <BreachForm
        defaults={actionData?.values ?? defaults}
        options={options}
        serverErrors={actionData?.errors}
        submitLabel={t("breaches.form.submitNew")}
        cancelTo="/breaches"
        editing={false}
      />
    </>
  );
}
