import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Fragment, useState } from "react";
import { useForm } from "react-hook-form";
import { Countdown } from "~/components/breach-countdown";
import { Field, FormError, TextAreaField, useValidatedSubmit } from "~/components/form";
import { AuthorityOutcomeSchema, QuestionSchema, formErrors, type AuthorityOutcomeInput, type QuestionInput } from "~/domain/breach-form";
import { letterBlocks, type LetterBlock } from "~/domain/breach-notice";
import { instantToAmsterdamLocal } from "~/domain/breach-record";
import { useT, type MessageKey } from "~/i18n/i18n";
import { requirePortal } from "~/services/auth.server";
import { acknowledgeNotice, askQuestion, getPortalBreach, recordAuthorityOutcome } from "~/services/breach-portal.server";
import { clockView } from "~/services/breach-views.server";
import { displayInstant } from "~/services/display.server";
import { nowIso } from "~/services/http.server";
import { resolveLocale } from "~/services/locale.server";

export const meta = ({ data }: { data?: { breach?: { reference: string; title: string } } }) => [
  { title: `${data?.breach?.reference ?? ""} ${data?.breach?.title ?? ""} · DPA Desk` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requirePortal(request);
  const locale = await resolveLocale(request);
  const now = nowIso();
  const data = await getPortalBreach(actor, params.breachId ?? "", locale, now);
  return json({
    ...data,
    nowLocal: instantToAmsterdamLocal(now),
    authority: data.authority
      ? { ...data.authority, clock: clockView(data.authority.deadline, locale), outcomeDisplay: displayInstant(data.authority.outcomeAt) }
      : null,
    notices: data.notices.map((n) => ({
      ...n,
      blocks: letterBlocks(n.body),
      sentDisplay: displayInstant(n.sentAt),
      ackDisplay: displayInstant(n.acknowledgedAt),
    })),
    thread: data.thread.map((q) => ({ ...q, askedDisplay: displayInstant(q.askedAt), answeredDisplay: displayInstant(q.answeredAt) })),
  });
}

type ActionData = { intent: string; errors: Record<string, string>; notice?: MessageKey };

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await requirePortal(request);
  const breachId = params.breachId ?? "";
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const field = (name: string) => String(form.get(name) ?? "");
  const now = nowIso();
  if (intent === "acknowledge") {
    const result = await acknowledgeNotice(actor, breachId, field("deliveryId"), now);
    if (!result.ok) return json<ActionData>({ intent, errors: result.errors }, { status: 400 });
    return json<ActionData>({ intent, errors: {}, notice: result.already ? "breaches.portal.alreadyAcknowledged" : "breaches.portal.acknowledged" });
  }
  if (intent === "ask") {
    const parsed = QuestionSchema.safeParse({ question: field("question") });
    if (!parsed.success) return json<ActionData>({ intent, errors: formErrors(parsed.error) }, { status: 400 });
    const result = await askQuestion(actor, breachId, parsed.data, now);
    if (!result.ok) return json<ActionData>({ intent, errors: result.errors }, { status: 400 });
    return json<ActionData>({ intent, errors: {}, notice: "breaches.portal.asked" });
  }
  if (intent === "authority") {
    const parsed = AuthorityOutcomeSchema.safeParse({ outcome: field("outcome"), at: field("at") });
    if (!parsed.success) return json<ActionData>({ intent, errors: formErrors(parsed.error) }, { status: 400 });
    const result = await recordAuthorityOutcome(actor, breachId, parsed.data, now);
    if (!result.ok) return json<ActionData>({ intent, errors: result.errors }, { status: 400 });
    return json<ActionData>({ intent, errors: {}, notice: "breaches.portal.outcomeSaved" });
  }
  return json<ActionData>({ intent, errors: { form: "breaches.error.invalid" } }, { status: 400 });
}

export default function PortalBreach() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { breach, authority } = data;
  return (
    <>
      <p>
        <Link to="/portal/breaches">← {t("breaches.portal.title")}</Link>
      </p>
      {actionData?.notice ? (
        <p className="notice ok" role="status">
          {t(actionData.notice)}
        </p>
      ) : null}
      <h1>
        <span className="mono">{breach.reference}</span> {breach.title}
      </h1>

      <section className="card" aria-labelledby="authority">
        <h2 id="authority">{t("breaches.portal.yourDeadline")}</h2>
        {authority ? (
          <>
            <p>
              <Countdown
                due={authority.clock.due}
                soonAt={authority.clock.soonAt}
                absolute={authority.clock.absolute}
                remainingMs={authority.remainingMs}
                state={authority.state}
              />
            </p>
            <p className="small">{authority.clock.explanation}</p>
            <p className="small muted">{t("breaches.portal.deadlineHelp")}</p>
            {authority.outcome ? (
              <p className="notice">
                {t(authority.outcome === "notified" ? "breaches.authority.reportedNotified" : "breaches.authority.reportedNotNotifying", {
                  at: authority.outcomeDisplay,
                })}
              </p>
            ) : null}
            <OutcomeForm defaultAt={data.nowLocal} serverErrors={actionData?.intent === "authority" ? actionData.errors : undefined} />
          </>
        ) : (
          <p className="muted">—</p>
        )}
      </section>

      <section aria-labelledby="notices">
        <h2 id="notices">{t("breaches.portal.notices")}</h2>
        {data.notices.map((n, index) => (
          <article key={n.id} className="card" aria-labelledby={`notice-${n.id}`}>
            <div className="page-header">
              <h3 id={`notice-${n.id}`}>
                {n.sequence === 1 ? t("breaches.notices.first") : t("breaches.notices.followUp", { number: n.sequence - 1 })} ·{" "}
                <span className="small">{n.sentDisplay}</span>
              </h3>
              <span>
                <a href={`/portal/breaches/${breach.id}/letters/${n.id}`}>{t("breaches.customer.pdf")}</a>
              </span>
            </div>
            {n.acknowledgedAt ? (
              <p className="badge ok">✔ {t("breaches.portal.acknowledgedBy", { name: n.acknowledgedByName ?? "", at: n.ackDisplay })}</p>
            ) : (
              <Form method="post" className="form-actions">
                <input type="hidden" name="intent" value="acknowledge" />
                <input type="hidden" name="deliveryId" value={n.id} />
                <button type="submit">{t("breaches.portal.acknowledge")}</button>
              </Form>
            )}
            {index === 0 ? (
              <Letter blocks={n.blocks} />
            ) : (
              <details>
                <summary>{n.subject}</summary>
                <Letter blocks={n.blocks} />
              </details>
            )}
          </article>
        ))}
      </section>

      <section className="card" aria-labelledby="ap-form">
        <h2 id="ap-form">{t("breaches.portal.apForm")}</h2>
        <p className="small muted">{t("breaches.portal.apFormIntro")}</p>
        <dl className="facts">
          {data.fields.map((f) => (
            <Fragment key={f.label}>
              <dt>{f.label}</dt>
              <dd>{f.value}</dd>
            </Fragment>
          ))}
        </dl>
        <CopyBox text={data.fieldsText} />
      </section>

      <section aria-labelledby="questions">
        <h2 id="questions">{t("breaches.customer.thread")}</h2>
        {data.thread.length === 0 ? <p className="muted">{t("breaches.portal.noQuestions")}</p> : null}
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
            ) : (
              <span className="badge warn">{t("breaches.questions.unanswered")}</span>
            )}
          </div>
        ))}
        <AskForm serverErrors={actionData?.intent === "ask" ? actionData.errors : undefined} />
      </section>
    </>
  );
}

/** A letter as headings, lists and paragraphs (the text is the one sent, unchanged). */
function Letter({ blocks }: { blocks: LetterBlock[] }) {
  return (
    <div className="letter">
      {blocks.map((block, i) =>
        block.type === "heading" ? (
          block.level === 1 ? (
            <h3 key={i}>{block.text}</h3>
          ) : (
            <h4 key={i}>{block.text}</h4>
          )
        ) : block.type === "bullets" ? (
          <ul key={i}>
            {block.items.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        ) : (
          <p key={i}>
            {block.text.split("\n").map((line, j) => (
              <Fragment key={j}>
                {j > 0 ? <br /> : null}
                {line}
              </Fragment>
            ))}
          </p>
        )
      )}
    </div>
  );
}

function CopyBox({ text }: { text: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  return (
    <div className="field">
      <label htmlFor="ap-text">{t("breaches.portal.copyLabel")}</label>
      <textarea id="ap-text" readOnly rows={8} value={text} onFocus={(e) => e.currentTarget.select()} />
      <div className="form-actions">
        <button
          type="button"
          className="secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(text).then(() => setCopied(true));
          }}
        >
          {t("breaches.portal.copy")}
        </button>
        {copied ? <span role="status">{t("breaches.portal.copied")}</span> : null}
      </div>
    </div>
  );
}


function AskForm({ serverErrors }: { serverErrors?: Record<string, string> }) {
  const t = useT();
  const { register, handleSubmit, formState } = useForm<QuestionInput>({ resolver: zodResolver(QuestionSchema), defaultValues: { question: "" } });
  const onSubmit = useValidatedSubmit<QuestionInput>(handleSubmit);
  return (
    <Form method="post" noValidate onSubmit={onSubmit} className="card">
      <input type="hidden" name="intent" value="ask" />
      <TextAreaField label={t("breaches.portal.ask")} error={formState.errors.question?.message ?? serverErrors?.question} {...register("question")} />
      <button type="submit">{t("breaches.portal.askSubmit")}</button>
    </Form>
  );
}

function OutcomeForm({ defaultAt, serverErrors }: { defaultAt: string; serverErrors?: Record<string, string> }) {
  const t = useT();
  const { register, handleSubmit, formState } = useForm<AuthorityOutcomeInput>({
    resolver: zodResolver(AuthorityOutcomeSchema),
    defaultValues: { outcome: "notified", at: defaultAt },
  });
  const onSubmit = useValidatedSubmit<AuthorityOutcomeInput>(handleSubmit);
  return (
    <details>
      <summary>{t("breaches.portal.reportOutcome")}</summary>
      <Form method="post" noValidate onSubmit={onSubmit}>
        <input type="hidden" name="intent" value="authority" />
        <FormError message={serverErrors?.form} />
        <fieldset>
          <legend>{t("breaches.portal.outcome")}</legend>
          <label className="checkbox">
            <input type="radio" value="notified" defaultChecked {...register("outcome")} /> {t("breaches.portal.outcomeNotified")}
          </label>
          <label className="checkbox">
            <input type="radio" value="not_notifying" {...register("outcome")} /> {t("breaches.portal.outcomeNotNotifying")}
          </label>
        </fieldset>
        <Field label={t("breaches.portal.outcomeAt")} type="datetime-local" error={formState.errors.at?.message ?? serverErrors?.at} defaultValue={defaultAt} {...register("at")} />
        <button type="submit" className="secondary">
          {t("breaches.portal.saveOutcome")}
        </button>
      </Form>
    </details>
  );
}
