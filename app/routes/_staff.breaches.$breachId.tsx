import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Fragment } from "react";
import { useForm } from "react-hook-form";
import { Countdown, StateBadge } from "~/components/breach-countdown";
import { CUSTOMER_FILTERS, SYSTEM_REMOVAL, type CustomerFilter } from "~/domain/breach-enums";
import { Field, FormError, TextAreaField, useValidatedSubmit } from "~/components/form";
import {
  AdjustCustomerSchema,
  AnswerSchema,
  CloseBreachSchema,
  formErrors,
  type AdjustCustomerInput,
  type AnswerInput,
  type CloseBreachInput,
} from "~/domain/breach-form";
import { dataCategoryText, dataSubjectText, formatRange, occurrenceText } from "~/domain/breach-record";
import { auditActionLabel, useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { requireStaff } from "~/services/auth.server";
import { startNotice } from "~/services/breach-notices.server";
import { clockView } from "~/services/breach-views.server";
import { BreachDetailQuery, adjustAffectedCustomer, answerQuestion, closeBreach, getBreachDetail, reopenBreach, setBreachAssignee } from "~/services/breaches.server";
import { getDb } from "~/db.server";
import { breachAssigneeChoices } from "~/services/reminder-assignee.server";
import { displayInstant } from "~/services/display.server";
import { nowIso } from "~/services/http.server";
import { resolveLocale } from "~/services/locale.server";

export const meta = ({ data }: { data?: { facts?: { reference: string; title: string } } }) => [
  { title: `${data?.facts?.reference ?? ""} ${data?.facts?.title ?? ""} · DPA Desk` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const locale = await resolveLocale(request);
  const now = nowIso();
  const query = BreachDetailQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const detail = await getBreachDetail(actor, params.breachId ?? "", query, now);
  const assignee = await breachAssigneeChoices(getDb(), actor, params.breachId ?? "");
  const f = detail.facts;
  return json({
    canWrite: actor.role !== "auditor",
    assignee,
    query,
    ...detail,
    display: {
      discovered: displayInstant(f.discoveredAt),
      shouldHaveKnown: f.shouldHaveKnownAt ? displayInstant(f.shouldHaveKnownAt) : null,
      subprocessorReported: f.subprocessorReportedAt ? displayInstant(f.subprocessorReportedAt) : null,
      occurrence: occurrenceText(f, locale),
      categories: f.dataCategories.map((key) => dataCategoryText(key, locale)),
      subjects: f.dataSubjects.map((key) => dataSubjectText(key, locale)),
      subjectsRange: formatRange(f.subjectsMin, f.subjectsMax, locale),
      recordsRange: formatRange(f.recordsMin, f.recordsMax, locale),
      created: displayInstant(detail.breach.createdAt),
      closed: displayInstant(detail.breach.closedAt),
    },
    customers: detail.customers.map((c) => ({
      ...c,
      clock: clockView(c.deadline, locale),
      notifiedDisplay: displayInstant(c.notifiedAt),
      authority: c.authority ? { ...c.authority, clock: clockView(c.authority.deadline, locale) } : null,
    })),
    notices: detail.notices.map((n) => ({ ...n, sentDisplay: displayInstant(n.sentAt) })),
    questions: detail.questions.map((q) => ({ ...q, askedDisplay: displayInstant(q.askedAt) })),
    history: detail.history.map((h) => ({ ...h, atDisplay: displayInstant(h.at) })),
  });
}

type ActionData = { intent: string; errors: Record<string, string>; notice?: MessageKey; pending?: number };

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const breachId = params.breachId ?? "";
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const now = nowIso();
  const fail = (errors: Record<string, string>, extra: Partial<ActionData> = {}) => json<ActionData>({ intent, errors, ...extra }, { status: 400 });
  const field = (name: string) => String(form.get(name) ?? "");
  switch (intent) {
    case "adjust": {
      const parsed = AdjustCustomerSchema.safeParse({ change: field("change"), customerId: field("customerId"), reason: field("reason") });
      if (!parsed.success) return fail(formErrors(parsed.error));
      const result = await adjustAffectedCustomer(
        actor,
        breachId,
        { intent: parsed.data.change, customerId: parsed.data.customerId, reason: parsed.data.reason },
        now
      );
      if (!result.ok) return fail(result.errors);
      return json<ActionData>({ intent, errors: {}, notice: parsed.data.change === "add" ? "breaches.adjust.added" : "breaches.adjust.removed" });
    }
    case "answer": {
      const parsed = AnswerSchema.safeParse({ questionId: field("questionId"), answer: field("answer") });
      if (!parsed.success) return fail(formErrors(parsed.error));
      const result = await answerQuestion(actor, breachId, parsed.data, now);
      if (!result.ok) return fail(result.errors);
      return json<ActionData>({ intent, errors: {}, notice: "breaches.questions.answered" });
    }
    case "close": {
      const parsed = CloseBreachSchema.safeParse({ closingNote: field("closingNote"), confirm: field("confirm") });
      if (!parsed.success) return fail(formErrors(parsed.error));
      const result = await closeBreach(actor, breachId, parsed.data, now);
      if (!result.ok) return fail(result.errors, { pending: (result as { pending?: number }).pending });
      return json<ActionData>({ intent, errors: {}, notice: "breaches.close.done" });
    }
    case "reopen": {
      const parsed = CloseBreachSchema.pick({ closingNote: true }).safeParse({ closingNote: field("reason") });
      if (!parsed.success) return fail({ reason: formErrors(parsed.error).closingNote ?? "breaches.error.reasonTooShort" });
      const result = await reopenBreach(actor, breachId, { reason: parsed.data.closingNote }, now);
      if (!result.ok) return fail(result.errors);
      return json<ActionData>({ intent, errors: {}, notice: "breaches.reopen.done" });
    }
    case "assignee": {
      const assigneeUserId = field("assigneeUserId");
      const result = await setBreachAssignee(actor, breachId, assigneeUserId === "" ? null : assigneeUserId, now);
      if (!result.ok) return fail(result.errors);
      return json<ActionData>({ intent, errors: {}, notice: "reminders.assignee.saved" });
    }
    case "notice": {
      const result = await startNotice(actor, breachId, now);
      if (!result.ok) return fail(result.errors);
      return redirect(`/breaches/${breachId}/notices/${result.noticeId}`);
    }
    default:
      return fail({ form: "breaches.error.invalid" });
  }
}


const FILTER_LABEL: Record<CustomerFilter, MessageKey> = {
  open: "breaches.filter.open",
  overdue: "breaches.state.overdue",
  due_soon: "breaches.state.due_soon",
  on_time: "breaches.state.on_time",
  notified: "breaches.filter.notified",
  notified_on_time: "breaches.state.notified_on_time",
  notified_late: "breaches.state.notified_late",
  removed: "breaches.filter.removed",
  all: "breaches.filter.all",
};

export default function BreachDetail() {
  const t = useT();
  const locale = useLocale();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { facts, breach, counts, display } = data;
  const isBreach = facts.classification === "breach";
  const open = breach.status === "open";
  const countFor = (filter: CustomerFilter): number | null => {
    switch (filter) {
      case "open":
        return counts.overdue + counts.due_soon + counts.on_time;
      case "notified":
        return counts.notified_on_time + counts.notified_late;
      case "all":
        return counts.affected;
      case "removed":
        return counts.removed;
      default:
        return counts[filter];
    }
  };
  const linkWith = (changes: Record<string, string | null>) => {
    const params = new URLSearchParams(searchParams);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) params.delete(k);
      else params.set(k, v);
    }
    for (const k of ["logged", "saved", "recomputed", "added", "removed"]) params.delete(k);
    const s = params.toString();
    return s ? `?${s}` : "?";
  };
  const banner: string | null = searchParams.get("logged")
    ? t("breaches.logged", { count: counts.affected })
    : searchParams.get("saved")
    ? t("breaches.saved", {
        recomputed: searchParams.get("recomputed") ?? "0",
        added: searchParams.get("added") ?? "0",
        removed: searchParams.get("removed") ?? "0",
      })
    : actionData?.notice
    ? t(actionData.notice)
    : null;
  const draft = data.notices.find((n) => n.status === "draft");
  const first = data.notices.find((n) => n.sequence === 1);

  return (
    <>
      <p>
        <Link to="/breaches">← {t("breaches.title")}</Link>
      </p>
      {banner ? (
        <p className="notice ok" role="status">
          {banner}
        </p>
      ) : null}
      <div className="page-header">
        <h1>
          <span className="mono">{facts.reference}</span> {facts.title}
        </h1>
        <span>
          <span className={`badge ${open ? "warn" : "neutral"}`}>{t(`breaches.status.${breach.status}`)}</span>{" "}
          <span className={`badge ${isBreach ? "danger" : "neutral"}`}>{t(`breaches.classification.${facts.classification}`)}</span>{" "}
          {data.canWrite && open ? (
            <Link className="button secondary" to={`/breaches/${breach.id}/edit`}>
              {t("breaches.edit")}
            </Link>
          ) : null}
        </span>
      </div>

      <AssigneeForm
        assignee={data.assignee}
        canWrite={data.canWrite && open}
        error={actionData?.intent === "assignee" ? actionData.errors.assigneeUserId : undefined}
      />

      {data.questions.length > 0 ? (
        <section className="card" aria-labelledby="questions">
          <h2 id="questions">{t("breaches.questions.open", { count: data.questions.length })}</h2>
          {data.questions.map((q) => (
            <div key={q.id} className="card">
              <p className="small muted">
                <Link to={`/breaches/${breach.id}/customers/${q.customerId}`}>{q.customerName}</Link> · {q.askedByName} ·{" "}
                <time dateTime={q.askedAt}>{q.askedDisplay}</time>
              </p>
              <p>{q.question}</p>
              {data.canWrite ? <AnswerForm questionId={q.id} serverErrors={actionData?.intent === "answer" ? actionData.errors : undefined} /> : null}
            </div>
          ))}
        </section>
      ) : null}

      {isBreach ? (
        <section aria-labelledby="notices">
          <h2 id="notices">{t("breaches.notices.title")}</h2>
          {data.notices.length === 0 ? <p className="muted">{t("breaches.notices.none")}</p> : null}
          {data.notices.length > 0 ? (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("breaches.notices.number")}</th>
                    <th scope="col">{t("common.status")}</th>
                    <th scope="col">{t("breaches.notices.delivered")}</th>
                    <th scope="col">{t("breaches.notices.acknowledged")}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.notices.map((n) => (
                    <tr key={n.id}>
                      <td>
                        <Link to={`/breaches/${breach.id}/notices/${n.id}`}>
                          {n.sequence === 1 ? t("breaches.notices.first") : t("breaches.notices.followUp", { number: n.sequence - 1 })}
                        </Link>
                      </td>
                      <td>
                        {n.status === "draft" ? (
                          <span className="badge warn">{t("breaches.notices.draft")}</span>
                        ) : (
                          <span className="badge ok">{t("breaches.notices.sent")}</span>
                        )}{" "}
                        {n.sentDisplay ? <span className="small">{n.sentDisplay}</span> : null}
                      </td>
                      <td>{n.delivered}</td>
                      <td>{n.acknowledged}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {data.canWrite && open ? (
            <Form method="post" className="form-actions">
              <input type="hidden" name="intent" value="notice" />
              <button type="submit">
                {draft ? t("breaches.notices.continueDraft") : first ? t("breaches.notices.composeFollowUp") : t("breaches.notices.composeFirst")}
              </button>
              {actionData?.intent === "notice" ? <FormError message={actionData.errors.form} /> : null}
            </Form>
          ) : null}
        </section>
      ) : null}

      {isBreach ? (
        <section aria-labelledby="customers">
          <h2 id="customers">{t("breaches.customers.title", { count: counts.affected })}</h2>
          <nav aria-label={t("breaches.customers.filter")}>
            <p>
              {CUSTOMER_FILTERS.map((filter, index) => {
                const n = countFor(filter);
                const active = data.query.state === filter;
                return (
                  <Fragment key={filter}>
                    {index > 0 ? " · " : null}
                    {active ? (
                      <strong aria-current="page">
                        {t(FILTER_LABEL[filter])} ({n ?? 0})
                      </strong>
                    ) : (
                      <Link to={linkWith({ state: filter, after: null })}>
                        {t(FILTER_LABEL[filter])} ({n ?? 0})
                      </Link>
                    )}
                  </Fragment>
                );
              })}
            </p>
          </nav>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("breaches.col.customer")}</th>
                  <th scope="col">{t("breaches.col.noticeDeadline")}</th>
                  <th scope="col">{t("breaches.col.basis")}</th>
                  <th scope="col">{t("breaches.col.notified")}</th>
                  <th scope="col">{t("breaches.col.authority")}</th>
                </tr>
              </thead>
              <tbody>
                {data.customers.length === 0 ? (
                  <tr>
                    <td colSpan={5} className="empty">
                      {t(counts.affected === 0 ? "breaches.customers.noneAffected" : "breaches.customers.noneInFilter")}
                    </td>
                  </tr>
                ) : (
                  data.customers.map((c) => (
                    <tr key={c.id}>
                      <td>
                        <Link to={`/breaches/${breach.id}/customers/${c.customerId}`}>{c.customerName}</Link>
                        <br />
                        <span className="small muted">
                          {c.termsVersion ? `v${c.termsVersion}` : t("breaches.customers.noTerms")} · {t(`lang.${c.customerLanguage}`)}
                          {c.origin === "added" ? ` · ${t("breaches.customers.added")}` : ""}
                        </span>
                        {c.status === "removed" ? (
                          <>
                            <br />
                            <span className="small">{c.adjustReason === SYSTEM_REMOVAL ? t("breaches.customers.systemRemoved") : c.adjustReason}</span>
                          </>
                        ) : null}
                      </td>
                      <td>
                        {c.status === "removed" ? (
                          <StateBadge state="removed" />
                        ) : (
                          <Countdown due={c.clock.due} soonAt={c.clock.soonAt} absolute={c.clock.absolute} remainingMs={c.remainingMs} state={c.state} />
                        )}
                      </td>
                      <td className="small">
                        {c.clock.basisKind === "internal" ? <span className="badge neutral">{t("breaches.basis.internal")}</span> : null} {c.clock.explanation}
                      </td>
                      <td className="small">
                        {c.notifiedAt ? <time dateTime={c.notifiedAt}>{c.notifiedDisplay}</time> : "—"}
                        {c.lateReason ? (
                          <>
                            <br />
                            {t("breaches.customers.lateReason")}: {c.lateReason}
                          </>
                        ) : null}
                        {c.deliveries > 0 ? (
                          <>
                            <br />
                            {t("breaches.customers.acknowledged", { acknowledged: c.acknowledged, deliveries: c.deliveries })}
                          </>
                        ) : null}
                      </td>
                      <td>
                        {c.authority ? (
                          <Countdown
                            due={c.authority.clock.due}
                            soonAt={c.authority.clock.soonAt}
                            absolute={c.authority.clock.absolute}
                            remainingMs={c.authority.remainingMs}
                            state={c.authority.state}
                          />
                        ) : (
                          <span className="small muted">{t("breaches.customers.authorityAfterNotice")}</span>
                        )}
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          <nav className="pagination" aria-label={t("breaches.pagination")}>
            {data.query.after ? <Link to={linkWith({ after: null })}>{t("common.first")}</Link> : null}
            {data.next ? <Link to={linkWith({ after: data.next })}>{t("common.next")} →</Link> : null}
            <span className="muted small">{t("breaches.customers.showing", { count: data.customers.length, total: data.filteredTotal })}</span>
          </nav>

          {data.canWrite && open ? (
            <div className="card">
              <h3>{t("breaches.adjust.addTitle")}</h3>
              <Form method="get" className="inline-form" role="search">
                <input type="hidden" name="state" value={data.query.state} />
                <div className="field">
                  <label htmlFor="addq">{t("breaches.adjust.search")}</label>
                  <input id="addq" type="search" name="addq" defaultValue={data.query.addq} />
                </div>
                <button type="submit" className="secondary">
                  {t("common.search")}
                </button>
              </Form>
              {data.query.addq && data.candidates.length === 0 ? <p className="muted">{t("breaches.adjust.noMatches")}</p> : null}
              {data.candidates.map((c) => (
                <AddCustomerForm key={c.id} customer={c} serverErrors={actionData?.intent === "adjust" ? actionData.errors : undefined} />
              ))}
              {actionData?.intent === "adjust" && actionData.errors.form ? <FormError message={actionData.errors.form} /> : null}
            </div>
          ) : null}
        </section>
      ) : (
        <p className="notice">{t("breaches.detail.notABreachNoClocks")}</p>
      )}

      <section className="card" aria-labelledby="key-facts">
        <h2 id="key-facts">{t("breaches.detail.keyFacts")}</h2>
        <dl className="facts">
          <dt>{t("breaches.field.discoveredAt")}</dt>
          <dd>
            <time dateTime={facts.discoveredAt}>{display.discovered}</time>
          </dd>
          <dt>{t("breaches.field.shouldHaveKnownAt")}</dt>
          <dd>{display.shouldHaveKnown ?? t("breaches.detail.sameAsDiscovery")}</dd>
          <dt>{t("breaches.detail.occurred")}</dt>
          <dd>{display.occurrence}</dd>
          <dt>{t("breaches.field.sourceKind")}</dt>
          <dd>
            {facts.sourceKind === "subprocessor" ? (
              <>
                {t("breaches.source.subprocessor")}: {facts.subprocessorName ?? "—"}
                {display.subprocessorReported ? (
                  <span className="small"> · {t("breaches.detail.reportedAt", { at: display.subprocessorReported })}</span>
                ) : null}
              </>
            ) : (
              <>
                {t("breaches.source.own_systems")}: {data.services.map((s) => (locale === "en" ? s.nameEn : s.nameNl)).join(", ") || "—"}
              </>
            )}
          </dd>
          <dt>{t("breaches.field.breachTypes")}</dt>
          <dd>{facts.breachTypes.map((type) => t(`breaches.type.${type}`)).join("; ") || "—"}</dd>
          <dt>{t("breaches.field.dataCategories")}</dt>
          <dd>
            {display.categories.join("; ") || "—"}
            {facts.dataCategoriesNote ? ` · ${facts.dataCategoriesNote}` : ""}
            {data.flags.special || data.flags.nationalId || data.flags.criminal ? (
              <>
                <br />
                {data.flags.special ? <span className="badge warn">⚠ {t("breaches.flag.special")}</span> : null}{" "}
                {data.flags.nationalId ? <span className="badge warn">⚠ {t("breaches.flag.nationalId")}</span> : null}{" "}
                {data.flags.criminal ? <span className="badge warn">⚠ {t("breaches.flag.criminal")}</span> : null}
              </>
            ) : null}
          </dd>
          <dt>{t("breaches.field.dataSubjects")}</dt>
          <dd>{display.subjects.join(", ") || "—"}</dd>
          <dt>{t("breaches.detail.subjectsCount")}</dt>
          <dd>
            {display.subjectsRange ?? t("breaches.detail.unknown")} · {t("breaches.detail.recordsCount")}:{" "}
            {display.recordsRange ?? t("breaches.detail.unknown")}
          </dd>
          <dt>{t("breaches.field.classification")}</dt>
          <dd>
            {t(`breaches.classification.${facts.classification}`)}
            {facts.classificationReasoning ? <span className="small"> · {facts.classificationReasoning}</span> : null}
          </dd>
          <dt>{t("breaches.field.riskLevel")}</dt>
          <dd>
            {facts.riskLevel ? t(`breaches.risk.${facts.riskLevel}`) : t("breaches.risk.unassessed")}
            {facts.riskReasoning ? <span className="small"> · {facts.riskReasoning}</span> : null}
          </dd>
          <dt>{t("breaches.field.subjectsNotice")}</dt>
          <dd>
            {t(`breaches.subjectsNotice.${facts.subjectsNotice}`)}
            {facts.subjectsNoticeReasoning ? <span className="small"> · {facts.subjectsNoticeReasoning}</span> : null}
          </dd>
        </dl>
        {data.indicators.length > 0 ? (
          <>
            <h3>{t("breaches.detail.indicators")}</h3>
            <ul className="small">
              {data.indicators.map((i) => (
                <li key={i}>{t(`breaches.indicator.${i}`)}</li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <details className="card">
        <summary>{t("breaches.detail.allFields")}</summary>
        <dl className="facts">
          <dt>{t("breaches.field.nature")}</dt>
          <dd>{facts.nature || "—"}</dd>
          <dt>{t("breaches.field.protection")}</dt>
          <dd>{facts.protection || "—"}</dd>
          <dt>{t("breaches.field.consequences")}</dt>
          <dd>{facts.consequences || "—"}</dd>
          <dt>{t("breaches.field.measuresTaken")}</dt>
          <dd>{facts.measuresTaken || "—"}</dd>
          <dt>{t("breaches.field.measuresProposed")}</dt>
          <dd>{facts.measuresProposed || "—"}</dd>
          <dt>{t("breaches.form.contact")}</dt>
          <dd>{[facts.contactName, facts.contactEmail, facts.contactPhone].filter(Boolean).join(" · ") || "—"}</dd>
          <dt>{t("breaches.field.followUpContact")}</dt>
          <dd>{facts.followUpContact || "—"}</dd>
          <dt>{t("breaches.field.crossBorder")}</dt>
          <dd>{facts.crossBorder ? t("common.yes") : t("common.no")}</dd>
          <dt>{t("breaches.detail.loggedBy")}</dt>
          <dd>
            {data.breach.createdBy ?? "—"} · {display.created}
          </dd>
        </dl>
      </details>

      {data.canWrite ? (
        <section className="card" aria-labelledby="close">
          {open ? (
            <>
              <h2 id="close">{t("breaches.close.title")}</h2>
              <CloseForm
                serverErrors={actionData?.intent === "close" ? actionData.errors : undefined}
                pending={actionData?.intent === "close" ? actionData.pending : undefined}
              />
            </>
          ) : (
            <>
              <h2 id="close">{t("breaches.reopen.title")}</h2>
              <p className="small">
                {t("breaches.detail.closedOn", { at: display.closed })} {breach.closingNote ? `· ${breach.closingNote}` : ""}
              </p>
              <Form method="post">
                <input type="hidden" name="intent" value="reopen" />
                <TextAreaField
                  label={t("breaches.reopen.reason")}
                  name="reason"
                  error={actionData?.intent === "reopen" ? actionData.errors.reason : undefined}
                />
                <button type="submit" className="secondary">
                  {t("breaches.reopen.submit")}
                </button>
                {actionData?.intent === "reopen" ? <FormError message={actionData.errors.form} /> : null}
              </Form>
            </>
          )}
        </section>
      ) : null}

      <section aria-labelledby="history">
        <h2 id="history">{t("breaches.detail.history")}</h2>
        <ul className="timeline">
          {data.history.map((h) => (
            <li key={h.id}>
              <time dateTime={h.at}>{h.atDisplay}</time> · {auditActionLabel(t, h.action)} · {h.actorLabel}
              {h.note ? <span className="small"> · {h.note}</span> : null}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function AnswerForm({ questionId, serverErrors }: { questionId: string; serverErrors?: Record<string, string> }) {
  const t = useT();
  const { register, handleSubmit, formState } = useForm<AnswerInput>({ resolver: zodResolver(AnswerSchema), defaultValues: { questionId, answer: "" } });
  const onSubmit = useValidatedSubmit<AnswerInput>(handleSubmit);
  return (
    <Form method="post" noValidate onSubmit={onSubmit}>
      <input type="hidden" name="intent" value="answer" />
      <input type="hidden" name="questionId" value={questionId} />
      <TextAreaField label={t("breaches.questions.answer")} error={formState.errors.answer?.message ?? serverErrors?.answer} {...register("answer")} />
      <button type="submit">{t("breaches.questions.submitAnswer")}</button>
    </Form>
  );
}

function AddCustomerForm({
  customer,
  serverErrors,
}: {
  customer: { id: string; name: string; city: string; wasRemoved: boolean };
  serverErrors?: Record<string, string>;
}) {
  const t = useT();
  const { register, handleSubmit, formState } = useForm<AdjustCustomerInput>({
    resolver: zodResolver(AdjustCustomerSchema),
    defaultValues: { change: "add", customerId: customer.id, reason: "" },
  });
  const onSubmit = useValidatedSubmit<AdjustCustomerInput>(handleSubmit);
  return (
    <Form method="post" noValidate onSubmit={onSubmit} className="inline-form">
      <input type="hidden" name="intent" value="adjust" />
      <input type="hidden" name="change" value="add" />
      <input type="hidden" name="customerId" value={customer.id} />
      <span>
        <strong>{customer.name}</strong> <span className="muted small">{customer.city}</span>
        {customer.wasRemoved ? <span className="badge neutral">{t("breaches.adjust.wasRemoved")}</span> : null}
      </span>
      <Field label={t("breaches.adjust.reason")} error={formState.errors.reason?.message ?? serverErrors?.reason} {...register("reason")} />
      <button type="submit" className="secondary">
        {t("breaches.adjust.add")}
      </button>
    </Form>
  );
}

function CloseForm({ serverErrors, pending }: { serverErrors?: Record<string, string>; pending?: number }) {
  const t = useT();
  const { register, handleSubmit, formState } = useForm<CloseBreachInput>({
    resolver: zodResolver(CloseBreachSchema),
    defaultValues: { closingNote: "" },
  });
  const onSubmit = useValidatedSubmit<CloseBreachInput>(handleSubmit);
  return (
    <Form method="post" noValidate onSubmit={onSubmit}>
      <input type="hidden" name="intent" value="close" />
      <p className="small">{t("breaches.close.intro")}</p>
      {serverErrors?.form ? (
        <FormError
          message={serverErrors.form === "breaches.error.closePending" ? t("breaches.error.closePendingCount", { count: pending ?? 0 }) : serverErrors.form}
        />
      ) : null}
      <TextAreaField label={t("breaches.close.note")} error={formState.errors.closingNote?.message ?? serverErrors?.closingNote} {...register("closingNote")} />
      <label className="checkbox">
        <input type="checkbox" value="yes" {...register("confirm")} /> {t("breaches.close.confirm")}
      </label>
      {formState.errors.confirm?.message || serverErrors?.confirm ? (
        <p className="form-error" role="alert">
          {t("breaches.error.confirmClose")}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="danger">
          {t("breaches.close.submit")}
        </button>
      </div>
    </Form>
  );
}

/** The breach's assignee: who gets the reminders at 50%, 75% and 90% of the notice deadline. */
function AssigneeForm({
  assignee,
  canWrite,
  error,
}: {
  assignee: { assigneeUserId: string | null; candidates: { userId: string; name: string; email: string }[] };
  canWrite: boolean;
  error?: string;
}) {
  const t = useT();
  const current = assignee.candidates.find((c) => c.userId === assignee.assigneeUserId);
  if (!canWrite) {
    return (
      <p>
        <strong>{t("reminders.assignee.title")}:</strong> {current ? `${current.name} <${current.email}>` : t("reminders.assignee.none")}
      </p>
    );
  }
  return (
    <Form method="post" className="inline-form" aria-label={t("reminders.assignee.title")}>
      <input type="hidden" name="intent" value="assignee" />
      <div className="field">
        <label htmlFor="breach-assignee">{t("reminders.assignee.label")}</label>
        <span id="breach-assignee-hint" className="muted small">
          {t("reminders.assignee.help")}
        </span>
        <select
          id="breach-assignee"
          name="assigneeUserId"
          defaultValue={assignee.assigneeUserId ?? ""}
          aria-describedby={error ? "breach-assignee-hint breach-assignee-error" : "breach-assignee-hint"}
          aria-invalid={error ? true : undefined}
        >
          <option value="">{t("reminders.assignee.none")}</option>
          {assignee.candidates.map((c) => (
            <option key={c.userId} value={c.userId}>
              {c.name} &lt;{c.email}&gt;
            </option>
          ))}
        </select>
        {error ? (
          <span id="breach-assignee-error" className="error" role="alert">
            {t(error as MessageKey)}
          </span>
        ) : null}
      </div>
      <button type="submit" className="secondary">
        {t("reminders.assignee.save")}
      </button>
    </Form>
  );
}
