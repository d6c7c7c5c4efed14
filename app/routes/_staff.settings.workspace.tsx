import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getValidatedFormData, useRemixForm } from "remix-hook-form";
import { z } from "zod";
import { Field, FormError } from "~/components/form";
import { useLocalized } from "~/components/terms-view";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { nowIso } from "~/services/http.server";
import type { FormIssue } from "~/services/terms-form";
import { getInternalTarget, updateInternalTarget } from "~/services/terms.server";

export const meta = titleMeta("terms.settings.title");

/** Shared by the browser and the action; the service checks the same range again. */
const InternalTargetSchema = z.object({
  hours: z.coerce
    .number({ invalid_type_error: "terms.settings.error.range" })
    .int("terms.settings.error.range")
    .min(1, "terms.settings.error.range")
    .max(720, "terms.settings.error.range"),
});
type InternalTargetForm = z.infer<typeof InternalTargetSchema>;

const resolver = zodResolver(InternalTargetSchema);

type ActionData = { errors: Record<string, unknown>; submitted?: string; issues?: FormIssue[]; saved?: { hours: number; changed: boolean } };

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:admin");
  return json(await getInternalTarget(actor));
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:admin");
  const { errors, data, receivedValues } = await getValidatedFormData<InternalTargetForm>(request, resolver);
  // without JavaScript the page is rendered again from the server: show what was typed
  const submitted = String(receivedValues.hours ?? "");
  if (errors) return json<ActionData>({ errors, submitted }, { status: 400 });
  const result = await updateInternalTarget(actor, data.hours, nowIso());
  if (!result.ok) return json<ActionData>({ errors: {}, submitted, issues: result.issues }, { status: 400 });
  return json<ActionData>({ errors: {}, saved: { hours: result.hours, changed: result.changed } });
}

export default function WorkspaceSettingsPage() {
  const t = useT();
  const l = useLocalized();
  const { hours } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { handleSubmit, register, formState } = useRemixForm<InternalTargetForm>({
    resolver,
    defaultValues: { hours },
    stringifyAllValues: false,
  });
  const issue = actionData?.issues?.[0];
  return (
    <>
      <h1>{t("terms.settings.title")}</h1>
      <section className="card" aria-labelledby="internal-target">
        <h2 id="internal-target">{t("terms.settings.internalTarget")}</h2>
        <p>{t("terms.settings.explanation")}</p>
        <p className="muted small">
          {t("terms.settings.whereUsed")} <Link to="/terms">{t("terms.title")}</Link>.
        </p>
        {actionData?.saved ? (
          <p className="notice ok" role="status">
            {actionData.saved.changed ? t("terms.settings.saved", { hours: actionData.saved.hours }) : t("terms.settings.unchanged")}
          </p>
        ) : null}
        <FormError message={issue ? l(issue.message) : undefined} />
        <Form method="post" onSubmit={handleSubmit} noValidate className="inline-form">
          <Field
            label={t("terms.settings.hours")}
            hint={t("terms.settings.hoursHint")}
            type="number"
            inputMode="numeric"
            min={1}
            max={720}
            step={1}
            defaultValue={actionData?.submitted ?? String(actionData?.saved?.hours ?? hours)}
            error={formState.errors.hours}
            // the server-rendered value comes from defaultValue above (also after a refused submission without JavaScript)
            {...register("hours", { disableProgressiveEnhancement: true })}
          />
          <button type="submit">{t("common.save")}</button>
        </Form>
      </section>
    </>
  );
}
