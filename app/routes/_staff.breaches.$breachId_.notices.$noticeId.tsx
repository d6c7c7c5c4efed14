import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { FormError, TextAreaField, useValidatedSubmit } from "~/components/form";
import { NoticeDraftSchema, SendNoticeSchema, formErrors, type NoticeDraftInput } from "~/domain/breach-form";
import { formatArticleRef, BREACH_NOTICE_ITEM_LABELS } from "~/domain/terms";
import { useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { requireStaff } from "~/services/auth.server";
import {
  discardNoticeDraft,
  getNoticeComposer,
  recentDeliveries,
  saveNoticeDraft,
  sendNoticeBatch,
  type Blocker,
  type SendFailure,
} from "~/services/breach-notices.server";
import { displayInstant } from "~/services/display.server";
import { nowIso } from "~/services/http.server";
import { resolveLocale } from "~/services/locale.server";

export const meta = ({ data }: { data?: { breach?: { reference: string } } }) => [{ title: `${data?.breach?.reference ?? ""} · DPA Desk` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const locale = await resolveLocale(request);
  const breachId = params.breachId ?? "";
  const noticeId = params.noticeId ?? "";
  const composer = await getNoticeComposer(actor, breachId, noticeId, nowIso());
  const recent = await recentDeliveries(actor, breachId, noticeId);
  const itemText = (item: keyof typeof BREACH_NOTICE_ITEM_LABELS) => BREACH_NOTICE_ITEM_LABELS[item][locale];
  return json({
    canWrite: actor.role !== "auditor",
    ...composer,
    notice: { ...composer.notice, sentDisplay: displayInstant(composer.notice.sentAt) },
    groups: composer.groups.map((g) => ({
      ...g,
      articleText: g.article && g.source !== "statutory" ? formatArticleRef(g.article, locale) : null,
      items: g.items.map((i) => ({ ...i, label: itemText(i.item) })),
    })),
    blockers: composer.blockers.map((b) => ({ ...b, missingLabels: b.kind === "missing_items" ? b.group.missing.map(itemText) : [] })),
    recent: recent.map((r) => ({ ...r, sentDisplay: displayInstant(r.sentAt) })),
  });
}

type SendOk = {
  intent: "send";
  ok: true;
  sent: number;
  skipped: number;
  failures: SendFailure[];
  remaining: number;
  cursor: string | null;
  lateReason: string;
};
type SendRefused = { intent: "send"; ok: false; errors: Record<string, string>; lateCount?: number; blockers?: Blocker[] };
type ActionData = SendOk | SendRefused | { intent: "save" | "discard"; ok: boolean; errors: Record<string, string>; notice?: MessageKey };

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const breachId = params.breachId ?? "";
  const noticeId = params.noticeId ?? "";
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const field = (name: string) => String(form.get(name) ?? "");
  const now = nowIso();
  if (intent === "save") {
    const parsed = NoticeDraftSchema.safeParse({ messageNl: field("messageNl"), messageEn: field("messageEn") });
    if (!parsed.success) return json<ActionData>({ intent, ok: false, errors: formErrors(parsed.error) }, { status: 400 });
    const result = await saveNoticeDraft(actor, breachId, noticeId, parsed.data, now);
    if (!result.ok) return json<ActionData>({ intent, ok: false, errors: result.errors }, { status: 409 });
    return json<ActionData>({ intent, ok: true, errors: {}, notice: "breaches.compose.saved" });
  }
  if (intent === "discard") {
    if (field("confirm") !== "yes") return json<ActionData>({ intent, ok: false, errors: { confirm: "breaches.error.confirmDiscard" } }, { status: 400 });
    const result = await discardNoticeDraft(actor, breachId, noticeId, now);
    if (!result.ok) return json<ActionData>({ intent, ok: false, errors: result.errors }, { status: 409 });
    return redirect(`/breaches/${breachId}`);
  }
  if (intent === "send") {
    const parsed = SendNoticeSchema.safeParse({ lateReason: field("lateReason"), cursor: field("cursor") });
    if (!parsed.success) return json<ActionData>({ intent, ok: false, errors: formErrors(parsed.error) }, { status: 400 });
    const result = await sendNoticeBatch(actor, breachId, noticeId, parsed.data, now);
    if (!result.ok)
      return json<ActionData>({ intent, ok: false, errors: result.errors, lateCount: result.lateCount, blockers: result.blockers }, { status: 409 });
    return json<ActionData>({
      intent,
      ok: true,
      sent: result.sent,
      skipped: result.skipped,
      failures: result.failures,
      remaining: result.remaining,
      cursor: result.cursor,
      lateReason: parsed.data.lateReason,
    });
  }
  return json<ActionData>({ intent: "save", ok: false, errors: { form: "breaches.error.invalid" } }, { status: 400 });
}

export default function NoticeComposer() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { breach, notice } = data;
  const draft = notice.status === "draft";
  const title = notice.sequence === 1 ? t("breaches.notices.first") : t("breaches.notices.followUp", { number: notice.sequence - 1 });
  return (
    <>
      <p>
        <Link to={`/breaches/${breach.id}`}>
          ← <span className="mono">{breach.reference}</span> {breach.title}
        </Link>
      </p>
      {actionData && "notice" in actionData && actionData.notice ? (
        <p className="notice ok" role="status">
          {t(actionData.notice)}
        </p>
      ) : null}
      <div className="page-header">
        <h1>{title}</h1>
        <span>
          {draft ? <span className="badge warn">{t("breaches.notices.draft")}</span> : <span className="badge ok">{t("breaches.notices.sent")}</span>}{" "}
          {notice.followUpOf ? <span className="small">{t("breaches.compose.linkedTo", { number: notice.followUpOf })}</span> : null}
        </span>
      </div>

      <div className="cards">
        <section className="card" aria-labelledby="recipients">
          <h2 id="recipients">{t("breaches.compose.recipients")}</h2>
          <p className="stat">{data.pending}</p>
          <p className="small">
            {t(notice.sequence === 1 ? "breaches.compose.pendingFirst" : "breaches.compose.pendingFollowUp")}
            <br />
            {t("lang.nl")}: {data.languages.nl} · {t("lang.en")}: {data.languages.en}
          </p>
          {data.late > 0 ? <p className="badge danger">⛔ {t("breaches.compose.lateCount", { count: data.late })}</p> : null}
        </section>
        <section className="card" aria-labelledby="delivered">
          <h2 id="delivered">{t("breaches.notices.delivered")}</h2>
          <p className="stat">{data.delivered}</p>
          <p className="small">{t("breaches.compose.acknowledgedCount", { count: data.acknowledged })}</p>
          {notice.sentDisplay ? <p className="small">{t("breaches.compose.frozenAt", { at: notice.sentDisplay })}</p> : null}
        </section>
      </div>

      <section aria-labelledby="contents">
        <h2 id="contents">{t("breaches.compose.contents")}</h2>
        <p className="small muted">{t("breaches.compose.contentsIntro")}</p>
        {data.groups.length === 0 ? (
          <p className="muted">{t("breaches.compose.noGroups")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("breaches.compose.terms")}</th>
                  <th scope="col">{t("breaches.col.customers")}</th>
                  <th scope="col">{t("breaches.compose.requiredItems")}</th>
                </tr>
              </thead>
              <tbody>
                {data.groups.map((g) => (
                  <tr key={g.key}>
                    <td>
                      {g.source === "statutory" ? t("breaches.compose.noTermsStatutory") : g.termsVersion ? `v${g.termsVersion}` : "—"}
                      {g.negotiated ? <span className="badge neutral"> {t("breaches.compose.negotiated")}</span> : null}
                      {g.articleText ? (
                        <>
                          <br />
                          <span className="small">{g.articleText}</span>
                        </>
                      ) : null}
                    </td>
                    <td>{g.customers}</td>
                    <td>
                      <ul className="small">
                        {g.items.map((i) => (
                          <li key={i.item}>
                            {i.filled ? (
                              <span className="badge ok">
                                <span aria-hidden="true">✔</span> {t("breaches.compose.filled")}
                              </span>
                            ) : (
                              <span className="badge danger">
                                <span aria-hidden="true">✖</span> {t("breaches.compose.empty")}
                              </span>
                            )}{" "}
                            {i.label}
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {data.blockers.length > 0 && data.pending > 0 ? (
        <section className="form-error" role="alert" aria-labelledby="blocked">
          <h2 id="blocked">{t("breaches.compose.blocked")}</h2>
          <ul>
            {data.blockers.map((b, i) => (
              <li key={i}>
                {b.kind === "missing_items"
                  ? t("breaches.compose.blockerItems", { count: b.group.customers, items: b.missingLabels.join("; ") })
                  : b.kind === "message_missing"
                  ? t("breaches.compose.blockerMessage", { language: t(`lang.${b.language}`), count: b.customers })
                  : t("breaches.compose.nothingToSend")}
              </li>
            ))}
          </ul>
          {data.canWrite ? <Link to={`/breaches/${breach.id}/edit`}>{t("breaches.compose.fillRecord")}</Link> : null}
        </section>
      ) : null}

      <section aria-labelledby="message">
        <h2 id="message">{t("breaches.compose.message")}</h2>
        {draft && data.canWrite ? (
          <DraftForm
            defaults={{ messageNl: notice.messageNl, messageEn: notice.messageEn }}
            serverErrors={actionData && actionData.intent === "save" ? actionData.errors : undefined}
          />
        ) : (
          <>
            {!draft ? <p className="notice">{t("breaches.compose.sentReadOnly")}</p> : null}
            <dl className="facts">
              <dt>{t("lang.nl")}</dt>
              <dd>{notice.messageNl || "—"}</dd>
              <dt>{t("lang.en")}</dt>
              <dd>{notice.messageEn || "—"}</dd>
            </dl>
          </>
        )}
      </section>

      {data.canWrite && breach.status === "open" ? (
        <SendPanel
          pending={data.pending}
          late={data.late}
          blocked={data.blockers.length > 0}
          noJsResult={actionData && actionData.intent === "send" ? actionData : undefined}
        />
      ) : null}

      {data.recent.length > 0 ? (
        <section aria-labelledby="recent">
          <h2 id="recent">{t("breaches.compose.recent")}</h2>
          <ul className="timeline">
            {data.recent.map((r) => (
              <li key={r.id}>
                {r.sentDisplay} · <Link to={`/breaches/${breach.id}/customers/${r.customerId}`}>{r.customerName}</Link>
                {r.late ? ` · ${t("breaches.state.notified_late")}` : ""}
                {r.acknowledgedAt ? ` · ${t("breaches.notices.acknowledged")}` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="preview">
        <h2 id="preview">{t(data.pending === 0 ? "breaches.compose.sentExample" : "breaches.compose.preview")}</h2>
        {data.previews.map((p) => (
          <div key={p.language}>
            <h3>
              {t(`lang.${p.language}`)}
              {p.customerName ? <span className="small muted"> · {t("breaches.compose.previewFor", { name: p.customerName })}</span> : null}
            </h3>
            <p>
              <strong>{p.subject}</strong>
            </p>
            <pre className="mail">{p.body}</pre>
          </div>
        ))}
      </section>

      {draft && data.canWrite ? (
        <section className="card" aria-labelledby="discard">
          <h2 id="discard">{t("breaches.compose.discard")}</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="discard" />
            <label className="checkbox">
              <input type="checkbox" name="confirm" value="yes" /> {t("breaches.compose.discardConfirm")}
            </label>
            {actionData && actionData.intent === "discard" ? <FormError message={actionData.errors.confirm ?? actionData.errors.form} /> : null}
            <div className="form-actions">
              <button type="submit" className="danger">
                {t("breaches.compose.discard")}
              </button>
            </div>
          </Form>
        </section>
      ) : null}
    </>
  );
}

function DraftForm({ defaults, serverErrors }: { defaults: NoticeDraftInput; serverErrors?: Record<string, string> }) {
  const t = useT();
  const { register, handleSubmit, formState } = useForm<NoticeDraftInput>({ resolver: zodResolver(NoticeDraftSchema), defaultValues: defaults });
  const onValidSubmit = useValidatedSubmit(handleSubmit);
  return (
    <Form
      method="post"
      noValidate
      onSubmit={onValidSubmit}
    >
      <input type="hidden" name="intent" value="save" />
      <FormError message={serverErrors?.form} />
      <p className="small muted">{t("breaches.compose.messageHint")}</p>
      <TextAreaField
        label={t("breaches.compose.messageNl")}
        rows={5}
        error={formState.errors.messageNl?.message ?? serverErrors?.messageNl}
        {...register("messageNl")}
      />
      <TextAreaField
        label={t("breaches.compose.messageEn")}
        rows={5}
        error={formState.errors.messageEn?.message ?? serverErrors?.messageEn}
        {...register("messageEn")}
      />
      <button type="submit" className="secondary">
        {t("breaches.compose.save")}
      </button>
    </Form>
  );
}

type SendResult = SendOk | SendRefused;

/**
 * Sends in batches. With JavaScript the batches follow each other on their own, with a progress
 * bar and the failures per customer; without it, each post sends one batch and the page offers to
 * continue. Starting again from the beginning retries the customers that failed; customers already
 * notified are never sent the same notice twice.
 */
function SendPanel({ pending, late, blocked, noJsResult }: { pending: number; late: number; blocked: boolean; noJsResult?: SendResult }) {
  const t = useT();
  const locale = useLocale();
  const fetcher = useFetcher<SendResult>();
  const [run, setRun] = useState<{ total: number; sent: number; skipped: number; failures: SendFailure[]; lateReason: string; done: boolean } | null>(null);
  const handled = useRef<SendResult | undefined>(undefined);
  const lateRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const result = fetcher.data;
    if (!result || fetcher.state !== "idle" || handled.current === result || !run) return;
    handled.current = result;
    if (!result.ok) {
      setRun({ ...run, done: true });
      return;
    }
    const next = {
      ...run,
      sent: run.sent + result.sent,
      skipped: run.skipped + result.skipped,
      failures: [...run.failures, ...result.failures],
      done: result.cursor === null,
    };
    setRun(next);
    if (result.cursor) fetcher.submit({ intent: "send", cursor: result.cursor, lateReason: run.lateReason }, { method: "post" });
  }, [fetcher, fetcher.data, fetcher.state, run]);

  const refused = (fetcher.data && !fetcher.data.ok ? fetcher.data : undefined) ?? (noJsResult && !noJsResult.ok ? noJsResult : undefined);
  const batch = noJsResult && noJsResult.ok ? noJsResult : undefined;
  const failures = run?.failures ?? batch?.failures ?? [];
  const busy = run !== null && !run.done;

  return (
    <section className="card" aria-labelledby="send">
      <h2 id="send">{t("breaches.compose.send")}</h2>
      {pending === 0 && !run ? <p className="notice ok">{t("breaches.compose.allDelivered")}</p> : null}
      <fetcher.Form
        method="post"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const lateReason = lateRef.current?.value ?? "";
          handled.current = undefined;
          setRun({ total: pending, sent: 0, skipped: 0, failures: [], lateReason, done: false });
          fetcher.submit({ intent: "send", cursor: "", lateReason }, { method: "post" });
        }}
      >
        <input type="hidden" name="intent" value="send" />
        <input type="hidden" name="cursor" value={batch?.cursor ?? ""} />
        {late > 0 ? (
          <TextAreaField
            ref={lateRef}
            label={t("breaches.compose.lateReason")}
            hint={t("breaches.compose.lateReasonHint", { count: late })}
            name="lateReason"
            defaultValue={batch?.lateReason ?? ""}
            error={refused?.errors.lateReason}
          />
        ) : (
          <input type="hidden" name="lateReason" value="" />
        )}
        <FormError message={refused?.errors.form} />
        <div className="form-actions">
          <button type="submit" className="danger" disabled={busy || blocked || pending === 0}>
            {batch?.cursor ? t("breaches.compose.continue", { count: batch.remaining }) : t("breaches.compose.sendTo", { count: pending })}
          </button>
          <span className="small muted">{t("breaches.compose.sendHint")}</span>
        </div>
      </fetcher.Form>
      {run ? (
        <div role="status" aria-live="polite">
          <progress max={run.total} value={run.sent + run.skipped + run.failures.length} aria-label={t("breaches.compose.progress")} />{" "}
          {t("breaches.compose.progressText", {
            done: run.sent + run.skipped + run.failures.length,
            total: run.total,
            sent: run.sent,
            failed: run.failures.length,
          })}
          {run.done ? <strong> · {t("breaches.compose.finished")}</strong> : null}
        </div>
      ) : batch ? (
        <p role="status">
          {t("breaches.compose.batchText", { sent: batch.sent, skipped: batch.skipped, failed: batch.failures.length, remaining: batch.remaining })}
        </p>
      ) : null}
      {failures.length > 0 ? (
        <div className="form-error">
          <p>{t("breaches.compose.failures", { count: failures.length })}</p>
          <ul>
            {failures.map((f) => (
              <li key={f.customerId}>
                {f.customerName}: {t(`breaches.failure.${f.reason}`)}
                {f.detail
                  ? ` (${
                      f.reason === "missing_items"
                        ? f.detail
                            .split(", ")
                            .map((item) => BREACH_NOTICE_ITEM_LABELS[item as keyof typeof BREACH_NOTICE_ITEM_LABELS]?.[locale] ?? item)
                            .join("; ")
                        : f.detail
                    })`
                  : ""}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
