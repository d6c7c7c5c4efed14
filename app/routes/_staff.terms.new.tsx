/**
 * A new version of the workspace's terms profile. The form is plain HTML (flat input names such
 * as `breachNoticeHours.value`), so it works without JavaScript; the server turns the fields into
 * the nested profile (app/services/terms-form.ts) and the service validates it with the zod
 * schema and the domain rules, returning every problem on its field path. This form does not use
 * useRemixForm: its validation needs the previous version and today's date, which only the
 * server has, and its messages come from the domain in both languages.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { IssueMessages, TermsFieldEditor, issuesAt, useLocalized } from "~/components/terms-view";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { nowIso } from "~/services/http.server";
import { formDataToFormValues, parseTermsForm, type FormIssue, type TermsFormValues } from "~/services/terms-form";
import { createTermsVersion, getNewTermsVersionForm } from "~/services/terms.server";

export const meta = titleMeta("terms.new.title");

/** The inputs outside the terms fields, by issue path: their element id and label. */
const OWN_INPUTS = {
  reason: { id: "terms-reason", label: "terms.form.reason" },
  effectiveDate: { id: "terms-effective-date", label: "terms.form.effectiveDate" },
  notes: { id: "terms-notes-input", label: "terms.form.notes" },
} as const;

type ActionData = { issues: FormIssue[]; values: TermsFormValues };

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  return json(await getNewTermsVersionForm(actor, nowIso()));
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const form = await request.formData();
  const parsed = parseTermsForm(form);
  const result = await createTermsVersion(
    actor,
    { content: parsed.content, reason: parsed.reason, effectiveDate: parsed.effectiveDate, formIssues: parsed.issues },
    nowIso(),
  );
  if (!result.ok) return json<ActionData>({ issues: result.issues, values: formDataToFormValues(form) }, { status: 400 });
  return redirect(result.previousVersion === null ? `/terms/versions/${result.version}` : `/terms/compare?a=${result.previousVersion}&b=${result.version}`);
}

export default function NewTermsVersionPage() {
  const t = useT();
  const l = useLocalized();
  const reasonId = OWN_INPUTS.reason.id;
  const dateId = OWN_INPUTS.effectiveDate.id;
  const notesId = OWN_INPUTS.notes.id;
  const { base, values: initial, groups, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const values = actionData?.values ?? initial;
  const issues = actionData?.issues ?? [];
  const labelOf = new Map(groups.flatMap((g) => g.fields.map((f) => [f.path as string, l(f.label)])));
  const fieldOf = (path: string) => [...labelOf.keys()].find((p) => path === p || path.startsWith(`${p}.`));
  const formLevel = issues.filter((issue) => issue.path === "");
  const reasonIssues = issuesAt(issues, "reason");
  const dateIssues = issuesAt(issues, "effectiveDate");
  const notesIssues = issuesAt(issues, "notes");
  const submitting = navigation.state === "submitting";
  // the summary lists problems in the order of the page
  const pageOrder = ["", "reason", "effectiveDate", ...labelOf.keys(), "notes"];
  const rank = (path: string) => pageOrder.indexOf(fieldOf(path) ?? path);
  const summary = [...issues].sort((a, b) => rank(a.path) - rank(b.path));
  return (
    <>
      <p>
        <Link to="/terms">← {t("terms.title")}</Link>
      </p>
      <h1>{t("terms.new.title")}</h1>
      <p>{t("terms.new.intro", { version: base?.version ?? 0 })}</p>
      <p className="muted small">{t("terms.form.articleHint")}</p>
      {issues.length > 0 ? (
        <div className="form-error" role="alert" id="form-problems" tabIndex={-1}>
          <p>
            <strong>{t("terms.new.notSaved", { count: issues.length })}</strong>
          </p>
          <ul>
            {summary.map((issue, index) => {
              const field = fieldOf(issue.path);
              const own = OWN_INPUTS[issue.path as keyof typeof OWN_INPUTS] as (typeof OWN_INPUTS)[keyof typeof OWN_INPUTS] | undefined;
              const anchor = field ? `#field-${field}` : own ? `#${own.id}` : undefined;
              const label = field ? labelOf.get(field) : own ? t(own.label) : null;
              return (
                <li key={index}>
                  {label && anchor ? <a href={anchor}>{label}</a> : null}
                  {label ? ": " : null}
                  {l(issue.message)}
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}
      <Form method="post" noValidate>
        <section className="card" aria-labelledby="new-version-about">
          <h2 id="new-version-about">{t("terms.new.about")}</h2>
          <IssueMessages issues={formLevel} />
          <div className="field">
            <label htmlFor={reasonId}>
              {t("terms.form.reason")} <span className="muted small">({t("common.required")})</span>
            </label>
            <span id={`${reasonId}-hint`} className="muted small">
              {t("terms.form.reasonHint")}
            </span>
            <textarea
              id={reasonId}
              name="reason"
              rows={3}
              required
              defaultValue={typeof values.reason === "string" ? values.reason : ""}
              aria-invalid={reasonIssues.length > 0 || undefined}
              aria-describedby={`${reasonId}-hint`}
            />
            <IssueMessages issues={reasonIssues} />
          </div>
          <div className="field">
            <label htmlFor={dateId}>
              {t("terms.form.effectiveDate")} <span className="muted small">({t("common.required")})</span>
            </label>
            <span id={`${dateId}-hint`} className="muted small">
              {t("terms.form.effectiveDateHint")}
            </span>
            <input
              id={dateId}
              name="effectiveDate"
              type="date"
              required
              min={today}
              defaultValue={typeof values.effectiveDate === "string" ? values.effectiveDate : today}
              aria-invalid={dateIssues.length > 0 || undefined}
              aria-describedby={`${dateId}-hint`}
            />
            <IssueMessages issues={dateIssues} />
          </div>
        </section>
        {groups.map((group) => (
          <section key={group.key} className="card" aria-labelledby={`edit-group-${group.key}`}>
            <h2 id={`edit-group-${group.key}`}>{t(`terms.group.${group.key}`)}</h2>
            {group.fields.map((field) => (
              <TermsFieldEditor key={field.path} field={field} values={values} issues={issues} />
            ))}
          </section>
        ))}
        <section className="card" aria-labelledby="edit-notes">
          <h2 id="edit-notes">{t("terms.notes")}</h2>
          <div className="field">
            <label htmlFor={notesId}>{t("terms.form.notes")}</label>
            <span id={`${notesId}-hint`} className="muted small">
              {t("terms.form.notesHint")}
            </span>
            <textarea id={notesId} name="notes" rows={8} defaultValue={typeof values.notes === "string" ? values.notes : ""} aria-describedby={`${notesId}-hint`} />
            <IssueMessages issues={notesIssues} />
          </div>
        </section>
        <p>
          <button type="submit" disabled={submitting}>
            {t("terms.form.submit")}
          </button>{" "}
          <Link to="/terms">{t("common.cancel")}</Link>
        </p>
      </Form>
    </>
  );
}
