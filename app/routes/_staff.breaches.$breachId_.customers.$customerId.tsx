import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useForm } from "react-hook-form";
import { Countdown, StateBadge } from "~/components/breach-countdown";
import { SYSTEM_REMOVAL } from "~/domain/breach-enums";
import { FormError, TextAreaField, useValidatedSubmit } from "~/components/form";
import { AdjustCustomerSchema, AnswerSchema, SendNoticeSchema, formErrors, type AdjustCustomerInput, type AnswerInput } from "~/domain/breach-form";
import { BREACH_SCOPE_LABELS } from "~/domain/breach-obligations";
import { formatArticleRef } from "~/domain/terms";
import { useT, type MessageKey } from "~/i18n/i18n";
import { requireStaff } from "~/services/auth.server";
import { clockView } from "~/services/breach-views.server";
import { sendNoticeBatch } from "~/services/breach-notices.server";
import { adjustAffectedCustomer, answerQuestion, getBreachCustomer } from "~/services/breaches.server";
import { displayInstant } from "~/services/display.server";
import { nowIso } from "~/services/http.server";
import { resolveLocale } from "~/services/locale.server";

export const meta = ({ data }: { data?: { obligation?: { customerName: string }; breach?: { reference: string } } }) => [
  { title: `${data?.obligation?.customerName ?? ""} · ${data?.breach?.reference ?? ""} · DPA Desk` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const locale = await resolveLocale(request);
  const data = await getBreachCustomer(actor, params.breachId ?? "", params.customerId ?? "", nowIso());
  const o = data.obligation;
  return json({
    canWrite: actor.role !== "auditor",
    ...data,
    scopeText: data.scope
      ? `${BREACH_SCOPE_LABELS[data.scope.value]?.[locale] ?? data.scope.value}${
          data.scope.article ? ` (${formatArticleRef(data.scope.article, locale)})` : ""
        }`
      : null,
    obligation: {
      ...o,
      clock: clockView(o.deadline, locale),
      notifiedDisplay: displayInstant(o.notifiedAt),
      authority: o.authority ? { ...o.authority, clock: clockView(o.authority.deadline, locale), outcomeDisplay: displayInstant(o.authority.outcomeAt) } : null,
    },
    deliveries: data.deliveries.map((d) => ({ ...d, sentDisplay: displayInstant(d.sentAt), ackDisplay: displayInstant(d.acknowledgedAt) })),
    thread: data.thread.map((q) => ({ ...q, askedDisplay: displayInstant(q.askedAt), answeredDisplay: displayInstant(q.answeredAt) })),
  });
}

type ActionData = { intent: string; errors: Record<string, string>; notice?: MessageKey };

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const breachId = params.breachId ?? "";
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const field = (name: string) => String(form.get(name) ?? "");
  const now = nowIso();
  if (intent === "adjust") {
    const parsed = AdjustCustomerSchema.safeParse({ change: field("change"), customerId: params.customerId ?? "", reason: field("reason") });
    if (!parsed.success) return json<ActionData>({ intent, errors: formErrors(parsed.error) }, { status: 400 });
    if (parsed.data.change === "remove" && field("confirm") !== "yes")
      return json<ActionData>({ intent, errors: { confirm: "breaches.error.confirmRemove" } }, { status: 400 });
    const result = await adjustAffectedCustomer(
      actor,
      breachId,
      { intent: parsed.data.change, customerId: parsed.data.customerId, reason: parsed.data.reason },
      now
    );
    if (!result.ok) return json<ActionData>({ intent, errors: result.errors }, { status: 400 });
    return json<ActionData>({ intent, errors: {}, notice: parsed.data.change === "add" ? "breaches.adjust.added" : "breaches.adjust.removed" });
  }
  if (intent === "send") {
    const parsed = SendNoticeSchema.safeParse({ lateReason: field("lateReason"), cursor: "" });
    if (!parsed.success) return json<ActionData>({ intent, errors: formErrors(parsed.error) }, { status: 400 });
    const result = await sendNoticeBatch(actor, breachId, field("noticeId"), { ...parsed.data, customerId: params.customerId ?? "" }, now);
    if (!result.ok) return json<ActionData>({ intent, errors: result.errors }, { status: 409 });
    if (result.failures.length > 0) return json<ActionData>({ intent, errors: { form: `breaches.failure.${result.failures[0].reason}` } }, { status: 409 });
    return json<ActionData>({ intent, errors: {}, notice: "breaches.customer.sent" });
  }
  if (intent === "answer") {
    const parsed = AnswerSchema.safeParse({ questionId: field("questionId"), answer: field("answer") });
    if (!parsed.success) return json<ActionData>({ intent, errors: formErrors(parsed.error) }, { status: 400 });
    const result = await answerQuestion(actor, breachId, parsed.data, now);
    if (!result.ok) return json<ActionData>({ intent, errors: result.errors }, { status: 400 });
    return json<ActionData>({ intent, errors: {}, notice: "breaches.questions.answered" });
  }
  return json<ActionData>({ intent, errors: { form: "breaches.error.invalid" } }, { status: 400 });
}

export default function BreachCustomer() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { breach, obligation: o } = data;
  const open = breach.status === "open";
  return (
    <>
      <p>
        <Link to={`/breaches/${breach.id}`}>
          ← <span className="mono">{breach.reference}</span> {breach.title}
        </Link>
      </p>
      {actionData?.notice ? (
        <p className="notice ok" role="status">
          {t(actionData.notice)}
        </p>
      ) : null}
      <div className="page-header">
        <h1>{o.customerName}</h1>
        <Link to={`/customers/${o.customerId}`}>{t("breaches.customer.profile")}</Link>
      </div>
      <div className="cards">
        <section className="card" aria-labelledby="notice-clock">
          <h2 id="notice-clock">{t("breaches.customer.noticeClock")}</h2>
          {o.status === "removed" ? (
            <p>
              <StateBadge state="removed" /> {o.adjustReason === SYSTEM_REMOVAL ? t("breaches.customers.systemRemoved") : o.adjustReason}
            </p>
          ) : (
            <p>
              <Countdown due={o.clock.due} soonAt={o.clock.soonAt} absolute={o.clock.absolute} remainingMs={o.remainingMs} state={o.state} />
            </p>
          )}
          <p className="small">{o.clock.explanation}</p>
          {o.clock.basisKind === "internal" ? <p className="small muted">{t("breaches.basis.internalHint")}</p> : null}
          {data.scopeText ? (
            <p className="small">
              {t("breaches.customer.scope")}: {data.scopeText}
            </p>
          ) : null}
          {o.notifiedAt ? (
            <p className="small">
              {t("breaches.col.notified")}: <time dateTime={o.notifiedAt}>{o.notifiedDisplay}</time>
              {o.lateReason ? ` · ${t("breaches.customers.lateReason")}: ${o.lateReason}` : ""}
            </p>
          ) : null}
        </section>
        <section className="card" aria-labelledby="authority-clock">
          <h2 id="authority-clock">{t("breaches.col.authority")}</h2>
          {o.authority ? (
            <>
              <p>
                <Countdown
                  due={o.authority.clock.due}
                  soonAt={o.authority.clock.soonAt}
                  absolute={o.authority.clock.absolute}
                  remainingMs={o.authority.remainingMs}
                  state={o.authority.state}
                />
              </p>
              <p className="small">{o.authority.clock.explanation}</p>
              {o.authority.outcome ? (
                <p className="small">
                  {t(o.authority.outcome === "notified" ? "breaches.authority.reportedNotified" : "breaches.authority.reportedNotNotifying", {
                    at: o.authority.outcomeDisplay,
                  })}
                </p>
              ) : null}
            </>
          ) : (
            <p className="muted">{t("breaches.customers.authorityAfterNotice")}</p>
          )}
        </section>
      </div>

      <section aria-labelledby="deliveries">
        <h2 id="deliveries">{t("breaches.customer.deliveries")}</h2>
        {data.canWrite
          ? data.sendable.map((n) => (
              <Form key={n.noticeId} method="post" className="card">
                <input type="hidden" name="intent" value="send" />
                <input type="hidden" name="noticeId" value={n.noticeId} />
                <p>
                  {t("breaches.customer.sendNowIntro", {
                    notice: n.sequence === 1 ? t("breaches.notices.first") : t("breaches.notices.followUp", { number: n.sequence - 1 }),
                  })}
                </p>
                {n.late ? (
                  <TextAreaField
                    label={t("breaches.compose.lateReason")}
                    hint={t("breaches.customer.lateHint")}
                    name="lateReason"
                    error={actionData?.intent === "send" ? actionData.errors.lateReason : undefined}
                  />
                ) : (
                  <input type="hidden" name="lateReason" value="" />
                )}
                {actionData?.intent === "send" ? <FormError message={actionData.errors.form} /> : null}
                <button type="submit" className="danger">
                  {t("breaches.customer.sendNow")}
                </button>
              </Form>
            ))
          : null}
        {data.deliveries.length === 0 ? (
          <p className="muted">{t("breaches.customer.noDeliveries")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("breaches.notices.number")}</th>
                  <th scope="col">{t("breaches.customer.sentTo")}</th>
                  <th scope="col">{t("breaches.notices.acknowledged")}</th>
                  <th scope="col">{t("breaches.customer.letter")}</th>
                </tr>
              </thead>
              <tbody>
                {data.deliveries.map((d) => (
                  <tr key={d.id}>
                    <td>
                      {d.sequence === 1 ? t("breaches.notices.first") : t("breaches.notices.followUp", { number: d.sequence - 1 })}
                      <br />
                      <span className="small">{d.sentDisplay}</span>
                      {d.late ? (
                        <>
                          {" "}
                          <StateBadge state="notified_late" />
                        </>
                      ) : null}
                    </td>
                    <td className="small">{d.toAddresses.join(", ")}</td>
                    <td className="small">{d.acknowledgedAt ? `${d.acknowledgedByName ?? ""} · ${d.ackDisplay}` : t("breaches.customer.notAcknowledged")}</td>
                    <td className="small">
                      <a href={`/breaches/${breach.id}/letters/${d.id}`}>{t("breaches.customer.pdf")}</a>
                      <br />
                      <span className="mono">SHA-256 {d.bodySha256.slice(0, 12)}…</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="thread">
        <h2 id="thread">{t("breaches.customer.thread")}</h2>
        {data.thread.length === 0 ? <p className="muted">{t("breaches.customer.noQuestions")}</p> : null}
        {data.thread.map((q) => (
          <div key={q.id} className="card">
            <p className="small muted">
              {q.askedByName} · {q.askedDisplay}
            </p>
            <p>{q.question}</p>
            {q.answer ? (
              <p className="notice">
                <strong>{q.answeredByName}</strong> · <span className="small">{q.answeredDisplay}</span>
                <br />
                {q.answer}
              </p>
            ) : data.canWrite ? (
              <AnswerForm questionId={q.id} serverErrors={actionData?.intent === "answer" ? actionData.errors : undefined} />
            ) : (
              <span className="badge warn">{t("breaches.questions.unanswered")}</span>
            )}
          </div>
        ))}
      </section>

      {data.canWrite && open && breach.classification === "breach" && !o.notifiedAt ? (
        <section className="card" aria-labelledby="adjust">
          {o.status === "affected" ? (
            <>
              <h2 id="adjust">{t("breaches.adjust.removeTitle")}</h2>
              <AdjustForm change="remove" serverErrors={actionData?.intent === "adjust" ? actionData.errors : undefined} />
            </>
          ) : (
            <>
              <h2 id="adjust">{t("breaches.adjust.addAgainTitle")}</h2>
              <AdjustForm change="add" serverErrors={actionData?.intent === "adjust" ? actionData.errors : undefined} />
            </>
          )}
        </section>
      ) : null}
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

function AdjustForm({ change, serverErrors }: { change: "add" | "remove"; serverErrors?: Record<string, string> }) {
  const t = useT();
  const { register, handleSubmit, formState } = useForm<AdjustCustomerInput>({
    resolver: zodResolver(AdjustCustomerSchema),
    defaultValues: { change, customerId: "-", reason: "" },
  });
  const onSubmit = useValidatedSubmit<AdjustCustomerInput>(handleSubmit);
  return (
    <Form method="post" noValidate onSubmit={onSubmit}>
      <input type="hidden" name="intent" value="adjust" />
      <input type="hidden" name="change" value={change} />
      <FormError message={serverErrors?.form} />
      <TextAreaField
        label={t("breaches.adjust.reason")}
        hint={t("breaches.adjust.reasonHint")}
        error={formState.errors.reason?.message ?? serverErrors?.reason}
        {...register("reason")}
      />
      {change === "remove" ? (
        <>
          <label className="checkbox">
            <input type="checkbox" name="confirm" value="yes" /> {t("breaches.adjust.confirmRemove")}
          </label>
          {serverErrors?.confirm ? <FormError message={serverErrors.confirm} /> : null}
        </>
      ) : null}
      <div className="form-actions">
        <button type="submit" className={change === "remove" ? "danger" : ""}>
          {change === "remove" ? t("breaches.adjust.remove") : t("breaches.adjust.add")}
        </button>
      </div>
    </Form>
  );
}
