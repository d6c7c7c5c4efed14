/**
 * A customer's effective terms: its DPA's version with the negotiated deviations, the source of
 * every value, the contract clocks with their explanation, and (for privacy officers and admins)
 * adding and removing deviations. Everything works without JavaScript: choosing the field of a
 * new deviation is a GET (?field=…) that shows the inputs that fit it, and removing asks for
 * confirmation on the page (?remove=…) before the POST.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { IssueMessages, TermsGroups, TermsValueInputs, issuesAt, useLocalized } from "~/components/terms-view";
import { isTermsFieldPath } from "~/domain/terms";
import { useT } from "~/i18n/i18n";
import { requireStaff } from "~/services/auth.server";
import { notFound, nowIso } from "~/services/http.server";
import { formDataToFormValues, formText, parseTermsValue, type FormIssue, type TermsFormValues } from "~/services/terms-form";
import { addDeviation, getCustomerTerms, removeDeviation } from "~/services/terms.server";

export const meta = ({ data }: { data?: { terms?: { customer?: { name: string } } } }) => [{ title: `${data?.terms?.customer?.name ?? ""} · DPA Desk` }];

type ActionData = { intent: "add" | "remove"; issues: FormIssue[]; values?: TermsFormValues; field?: string };

const Intent = z.enum(["add", "remove"]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const url = new URL(request.url);
  const terms = await getCustomerTerms(actor, params.customerId ?? "", nowIso(), { editField: url.searchParams.get("field") });
  return json({ terms });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const customerId = params.customerId ?? "";
  const form = await request.formData();
  const intent = Intent.safeParse(form.get("intent"));
  if (!intent.success) throw notFound();
  const base = `/customers/${encodeURIComponent(customerId)}/terms`;
  if (intent.data === "remove") {
    const result = await removeDeviation(actor, customerId, String(form.get("deviationId") ?? ""), nowIso());
    if (!result.ok) return json<ActionData>({ intent: "remove", issues: result.issues }, { status: 409 });
    return redirect(`${base}?done=removed`);
  }
  const field = String(form.get("field") ?? "");
  const parsed = isTermsFieldPath(field) ? parseTermsValue(field, form) : { value: undefined, issues: [] };
  const result = await addDeviation(
    actor,
    customerId,
    { field, value: parsed.value, reason: formText(form, "reason"), clause: formText(form, "clause"), formIssues: parsed.issues },
    nowIso(),
  );
  if (!result.ok) return json<ActionData>({ intent: "add", issues: result.issues, values: formDataToFormValues(form), field }, { status: 400 });
  return redirect(`${base}?done=added#deviations`);
}

export default function CustomerTermsPage() {
  const t = useT();
  const l = useLocalized();
  const { terms } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const { customer, version, groups, deviations, contractClock, examples, canWrite, deviationFields, editor } = terms;
  const base = `/customers/${customer.id}/terms`;
  const done = searchParams.get("done");
  const removing = deviations.find((d) => d.id === searchParams.get("remove"));
  const addIssues = actionData?.intent === "add" ? actionData.issues : [];
  const removeIssues = actionData?.intent === "remove" ? actionData.issues : [];
  const editorValues = actionData?.intent === "add" && actionData.values && actionData.field === editor?.field.path ? actionData.values : editor?.values;
  const submitting = navigation.state === "submitting";
  return (
    <>
      <p>
        <Link to={`/customers/${customer.id}`}>← {customer.name}</Link>
      </p>
      <h1>{t("terms.customer.title", { name: customer.name })}</h1>
      {version === null ? (
        <p className="empty">{t("terms.customer.noVersion")}</p>
      ) : (
        <>
          <p>
            {t("terms.customer.intro", { version: version.version, date: version.effectiveDateDisplay, count: deviations.length })}{" "}
            <Link to={`/terms/versions/${version.version}`}>{t("terms.viewVersion", { version: version.version })}</Link>
          </p>
          {done === "added" ? <p className="notice ok">{t("terms.deviation.added")}</p> : null}
          {done === "removed" ? <p className="notice ok">{t("terms.deviation.removed")}</p> : null}

          <div className="cards">
            <section className="card" aria-labelledby="contract-clock">
              <h2 id="contract-clock">{t("terms.clock.title")}</h2>
              {contractClock === null ? null : contractClock.kind === "ended" ? (
                <p>{t("terms.clock.ended", { date: contractClock.endedOnDisplay })}</p>
              ) : contractClock.kind === "unavailable" ? (
                <p className="form-error">{l(contractClock.message)}</p>
              ) : (
                <dl className="facts">
                  <dt>{t("terms.clock.contractStart")}</dt>
                  <dd>
                    <time dateTime={customer.contractStart}>{customer.contractStartDisplay}</time>
                  </dd>
                  <dt>{t("terms.clock.currentPeriod")}</dt>
                  <dd>
                    {t("terms.clock.period", {
                      start: contractClock.termStartDisplay,
                      end: contractClock.termLastDayDisplay,
                      period: contractClock.period,
                      length: l(contractClock.periodText),
                    })}
                  </dd>
                  <dt>{t("terms.clock.termEnd")}</dt>
                  <dd>
                    <strong>
                      <time dateTime={contractClock.termLastDay}>{contractClock.termLastDayDisplay}</time>
                    </strong>
                  </dd>
                  <dt>{t("terms.clock.tacitRenewal")}</dt>
                  <dd>
                    {l(contractClock.renewalText)}
                    {contractClock.renewalArticle ? <span className="muted small"> ({l(contractClock.renewalArticle)})</span> : null}
                  </dd>
                  {contractClock.lastNoticeDay ? (
                    <>
                      <dt>{t("terms.clock.lastNoticeDay")}</dt>
                      <dd>
                        <strong>
                          <time dateTime={contractClock.lastNoticeDay.due}>{contractClock.lastNoticeDay.dueDisplay}</time>
                        </strong>{" "}
                        {contractClock.lastNoticeDay.basis.kind === "internal" ? <span className="badge warn">{t("terms.internalBadge")}</span> : null}
                        <br />
                        <span className="small">{l(contractClock.lastNoticeDay.explanation)}</span>
                      </dd>
                    </>
                  ) : null}
                </dl>
              )}
            </section>
            <section className="card" aria-labelledby="example-clocks">
              <h2 id="example-clocks">{t("terms.example.title")}</h2>
              <p className="muted small">{t("terms.example.intro", { now: terms.nowDisplay })}</p>
              {examples.map((example) => (
                <ExampleClock key={example.key} example={example} />
              ))}
            </section>
          </div>

          <section className="card" aria-labelledby="deviations" id="deviations-card">
            <h2 id="deviations">{t("terms.deviation.title")}</h2>
            <IssueMessages issues={removeIssues} />
            {deviations.length === 0 ? (
              <p className="muted">{t("terms.deviation.empty", { version: version.version })}</p>
            ) : (
              deviations.map((d) => (
                <div key={d.id} className="card" role="group" aria-labelledby={`deviation-${d.id}`}>
                  <h3 id={`deviation-${d.id}`}>{l(d.label)}</h3>
                  <dl className="facts">
                    <dt>{t("terms.deviation.value")}</dt>
                    <dd>
                      <strong>{l(d.value)}</strong>
                      {d.items ? <span className="small"> ({d.items.map(l).join("; ")})</span> : null}
                    </dd>
                    <dt>{t("terms.deviation.clause")}</dt>
                    <dd>{d.clause}</dd>
                    <dt>{t("terms.deviation.reason")}</dt>
                    <dd>{d.reason}</dd>
                    <dt>{t("terms.deviation.recorded")}</dt>
                    <dd>{d.createdAtDisplay}</dd>
                  </dl>
                  {canWrite && removing?.id === d.id ? (
                    <div className="notice" role="alertdialog" aria-labelledby="confirm-remove">
                      <p id="confirm-remove">
                        <strong>{t("terms.deviation.confirmRemove", { field: l(d.label), version: version.version })}</strong>
                      </p>
                      <Form method="post" action={base} className="inline-form">
                        <input type="hidden" name="intent" value="remove" />
                        <input type="hidden" name="deviationId" value={d.id} />
                        <button type="submit" className="danger" disabled={submitting}>
                          {t("terms.deviation.confirm")}
                        </button>
                        <Link to={`${base}#deviations`}>{t("common.cancel")}</Link>
                      </Form>
                    </div>
                  ) : canWrite ? (
                    <p>
                      <Link to={`${base}?remove=${d.id}#deviation-${d.id}`}>{t("terms.deviation.remove")}</Link>
                    </p>
                  ) : null}
                </div>
              ))
            )}
            {canWrite ? (
              <>
                <h3>{t("terms.deviation.add")}</h3>
                <p className="muted small">{t("terms.deviation.addIntro")}</p>
                <Form method="get" action={base}>
                  <div className="field">
                    <label htmlFor="deviation-field">{t("terms.deviation.field")}</label>
                    <select id="deviation-field" name="field" defaultValue={editor?.field.path ?? ""}>
                      <option value="" disabled>
                        {t("terms.deviation.chooseField")}
                      </option>
                      {deviationFields.map((f) => (
                        <option key={f.path} value={f.path}>
                          {l(f.label)}
                        </option>
                      ))}
                    </select>
                  </div>
                  <p>
                    <button type="submit" className="secondary">
                      {t("terms.deviation.choose")}
                    </button>
                  </p>
                </Form>
                {editor && editorValues ? (
                  <Form method="post" action={`${base}?field=${encodeURIComponent(editor.field.path)}`} noValidate>
                    <input type="hidden" name="intent" value="add" />
                    <input type="hidden" name="field" value={editor.field.path} />
                    <div role="group" id={`field-${editor.field.path}`} aria-labelledby="deviation-value-label">
                      <h4 id="deviation-value-label">{t("terms.deviation.newValue", { field: l(editor.field.label) })}</h4>
                      <IssueMessages issues={[...issuesAt(addIssues, editor.field.path), ...issuesAt(addIssues, "field"), ...addIssues.filter((i) => i.path === "")]} />
                      <TermsValueInputs field={editor.field} values={editorValues} />
                    </div>
                    <div className="field">
                      <label htmlFor="deviation-clause">
                        {t("terms.deviation.clause")} <span className="muted small">({t("common.required")})</span>
                      </label>
                      <span id="deviation-clause-hint" className="muted small">
                        {t("terms.deviation.clauseHint")}
                      </span>
                      <input
                        id="deviation-clause"
                        name="clause"
                        required
                        defaultValue={typeof editorValues.clause === "string" ? editorValues.clause : ""}
                        aria-describedby="deviation-clause-hint"
                        aria-invalid={issuesAt(addIssues, "clause").length > 0 || undefined}
                      />
                      <IssueMessages issues={issuesAt(addIssues, "clause")} />
                    </div>
                    <div className="field">
                      <label htmlFor="deviation-reason">
                        {t("terms.deviation.reason")} <span className="muted small">({t("common.required")})</span>
                      </label>
                      <textarea
                        id="deviation-reason"
                        name="reason"
                        rows={3}
                        required
                        defaultValue={typeof editorValues.reason === "string" ? editorValues.reason : ""}
                        aria-invalid={issuesAt(addIssues, "reason").length > 0 || undefined}
                      />
                      <IssueMessages issues={issuesAt(addIssues, "reason")} />
                    </div>
                    <p>
                      <button type="submit" disabled={submitting}>
                        {t("terms.deviation.submit")}
                      </button>{" "}
                      <Link to={`${base}#deviations`}>{t("common.cancel")}</Link>
                    </p>
                  </Form>
                ) : null}
              </>
            ) : null}
          </section>

          <h2>{t("terms.customer.effective")}</h2>
          <TermsGroups groups={groups} />
        </>
      )}
    </>
  );
}

function ExampleClock({ example }: { example: ReturnType<typeof useLoaderData<typeof loader>>["terms"]["examples"][number] }) {
  const t = useT();
  const l = useLocalized();
  return (
    <p>
      <span className="muted">{t(`terms.example.${example.key}`)}</span>
      <br />
      {example.kind === "deadline" ? (
        <>
          <strong>{example.deadline.dueDisplay}</strong>{" "}
          {example.deadline.basis.kind === "internal" ? (
            <span className="badge warn">{t("terms.internalBadge")}</span>
          ) : example.deadline.basis.kind === "contractual" && example.deadline.basis.source === "negotiated" ? (
            <span className="badge warn">{t("terms.source.negotiatedBadge")}</span>
          ) : null}
          <br />
          <span className="small">{l(example.deadline.explanation)}</span>
        </>
      ) : (
        <>
          {l(example.text)}
          {example.article ? <span className="muted small"> ({l(example.article)})</span> : null}
        </>
      )}
    </p>
  );
}
