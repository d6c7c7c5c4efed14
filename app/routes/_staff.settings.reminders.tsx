import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useForm } from "react-hook-form";
import { useErrorText, useValidatedSubmit } from "~/components/form";
import { getDb } from "~/db.server";
import { useT, type MessageKey } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { nowIso } from "~/services/http.server";
import {
  KIND_AUDIENCES,
  REMINDER_KINDS,
  ReminderSettingsSchema,
  type ReminderKind,
  type ReminderSettingsInput,
} from "~/domain/reminder-schedule";
import { getReminderSettings, reminderSettingsFromForm, updateReminderSettings } from "~/services/reminders.server";

export const meta = titleMeta("reminders.title");

type ActionData = { errors: Partial<Record<ReminderKind, string>>; changed?: number; values?: ReminderSettingsInput };

const resolver = zodResolver(ReminderSettingsSchema);

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:admin");
  const settings = await getReminderSettings(getDb(), actor);
  return json({ settings });
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:admin");
  const values = reminderSettingsFromForm(await request.formData());
  const parsed = ReminderSettingsSchema.safeParse(values);
  if (!parsed.success) {
    const errors: ActionData["errors"] = {};
    for (const issue of parsed.error.issues) {
      const kind = issue.path[0] as ReminderKind;
      errors[kind] ??= issue.message;
    }
    // echo what was sent, so a form posted without JavaScript shows the choices next to the errors
    return json<ActionData>({ errors, values }, { status: 400 });
  }
  const result = await updateReminderSettings(getDb(), actor, parsed.data, nowIso());
  return json<ActionData>({ errors: {}, changed: result.changed.length });
}

export default function ReminderSettings() {
  const t = useT();
  const errorText = useErrorText();
  const { settings } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const defaultValues = Object.fromEntries(settings.map((s) => [s.kind, { enabled: s.enabled, audience: s.audience }])) as ReminderSettingsInput;
  const { register, handleSubmit, formState } = useForm<ReminderSettingsInput>({ resolver, defaultValues });
  const onSubmit = useValidatedSubmit(handleSubmit);
  const byKind = new Map(settings.map((s) => [s.kind, s]));

  return (
    <>
      <h1>{t("reminders.title")}</h1>
      <p>{t("reminders.intro")}</p>
      {actionData?.changed !== undefined ? (
        <p className="notice ok" role="status">
          {actionData.changed > 0 ? t("reminders.saved", { count: actionData.changed }) : t("reminders.unchanged")}
        </p>
      ) : null}
      <Form method="post" onSubmit={onSubmit} noValidate>
        {REMINDER_KINDS.map((kind) => {
          const setting = byKind.get(kind);
          const shown = actionData?.values?.[kind] ?? setting;
          const error = errorText(formState.errors[kind]?.audience?.message ?? formState.errors[kind]?.message) ?? errorText(actionData?.errors[kind]);
          const errorId = `reminder-${kind}-error`;
          return (
            <fieldset key={kind} aria-describedby={error ? errorId : undefined} aria-invalid={error ? true : undefined}>
              <legend>
                {t(`reminders.kind.${kind}`)} {setting?.isDefault ? <span className="badge neutral">{t("reminders.defaultBadge")}</span> : null}
              </legend>
              <p className="small muted">
                {t("reminders.when")}: {t(`reminders.when.${kind}`)}
              </p>
              <label className="checkbox">
                <input type="checkbox" defaultChecked={shown?.enabled} {...register(`${kind}.enabled`)} /> {t("reminders.enabled")}
              </label>
              <p className="small">
                <strong>{t("reminders.recipients")}</strong>
              </p>
              <div className="checkbox-grid">
                {KIND_AUDIENCES[kind].map((audience) => (
                  <label key={audience} className="checkbox">
                    <input type="checkbox" value={audience} defaultChecked={shown?.audience.includes(audience)} {...register(`${kind}.audience`)} /> {t(`reminders.audience.${audience}`)}
                  </label>
                ))}
              </div>
              {kind === "objection_window" || kind === "dpa_signature" ? (
                <p className="small muted">{t(`reminders.audienceHelp.${kind}` as MessageKey)}</p>
              ) : null}
              {error ? (
                <span id={errorId} className="error" role="alert">
                  {error}
                </span>
              ) : null}
            </fieldset>
          );
        })}
        <p className="small muted">{t("reminders.assigneeNote")}</p>
        <button type="submit" disabled={navigation.state === "submitting"}>
          {t("reminders.save")}
        </button>
      </Form>
    </>
  );
}
