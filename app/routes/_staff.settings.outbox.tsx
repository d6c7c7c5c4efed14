import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useId } from "react";
import { getValidatedFormData, useRemixForm } from "remix-hook-form";
import { z } from "zod";
import { FormError, useErrorText } from "~/components/form";
import { getDb } from "~/db.server";
import { isMessageKey, useT, type MessageKey, type Translate } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { listOutbox, retryFailedMessage, type OutboxStatus } from "~/mail/outbox.server";
import { requireStaff } from "~/services/auth.server";
import { displayInstant } from "~/services/display.server";
import { nowIso } from "~/services/http.server";

const PAGE_SIZE = 25;

const STATUS_FILTERS = ["all", "pending", "sent", "failed"] as const;
type StatusFilter = (typeof STATUS_FILTERS)[number];

/** The filter and page live in the URL; an unknown status shows every message (the select says so). */
const OutboxQuery = z.object({
  status: z.enum(STATUS_FILTERS).catch("all"),
  cursor: z.string().min(1).max(500).optional().catch(undefined),
});

/**
 * Without JavaScript the checkbox arrives as "on" (or not at all); with it, as true/false. Either
 * way only a ticked box confirms. A tampered or missing id gets the "not found" message.
 */
const RetrySchema = z.object({
  messageId: z
    .string({ required_error: "outbox.notFound", invalid_type_error: "outbox.notFound" })
    .min(1, "outbox.notFound")
    .max(100, "outbox.notFound"),
  confirm: z
    .preprocess((value) => value === true || value === "true" || value === "on", z.boolean())
    .refine((value) => value, "outbox.confirmRequired"),
});
type RetryFormValues = z.infer<typeof RetrySchema>;

const resolver = zodResolver(RetrySchema);

type RetryActionData = {
  /** the row the errors belong to, so only that row's form shows them */
  messageId?: string | null;
  fieldErrors?: Partial<Record<keyof RetryFormValues, { message?: string }>>;
  formError?: MessageKey;
  retried?: { subject: string };
};

export const meta = titleMeta("outbox.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:admin");
  const query = OutboxQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const status: OutboxStatus | undefined = query.status === "all" ? undefined : query.status;
  const db = getDb();
  let badCursor = false;
  let page;
  try {
    page = await listOutbox(db, actor, { status, cursor: query.cursor, limit: PAGE_SIZE });
  } catch (error) {
    if (!(error instanceof Response && error.status === 400 && query.cursor)) throw error;
    badCursor = true;
    page = await listOutbox(db, actor, { status, limit: PAGE_SIZE });
  }
  return json({
    status: query.status,
    onLaterPage: Boolean(query.cursor) && !badCursor,
    badCursor,
    nextCursor: page.nextCursor,
    messages: page.items.map((m) => ({
      id: m.id,
      to: m.to,
      subject: m.subject,
      kind: m.kind,
      status: m.status,
      attempts: m.attempts,
      lastError: m.lastError,
      createdAt: m.createdAt,
      createdDisplay: displayInstant(m.createdAt),
      nextAttemptAt: m.status === "pending" ? m.nextAttemptAt : null,
      nextAttemptDisplay: m.status === "pending" ? displayInstant(m.nextAttemptAt) : "",
    })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:admin");
  const { errors, data, receivedValues } = await getValidatedFormData<RetryFormValues>(request, resolver);
  const messageId = typeof receivedValues.messageId === "string" ? receivedValues.messageId : null;
  if (errors) {
    if (errors.messageId) return json<RetryActionData>({ formError: "outbox.notFound" }, { status: 400 });
    return json<RetryActionData>({ messageId, fieldErrors: { confirm: { message: errors.confirm?.message } } }, { status: 400 });
  }
  try {
    const requeued = await retryFailedMessage(getDb(), actor, data.messageId, nowIso());
    return json<RetryActionData>({ retried: { subject: requeued.subject } });
  } catch (error) {
    if (error instanceof Response && error.status === 404) return json<RetryActionData>({ formError: "outbox.notFound" }, { status: 404 });
    if (error instanceof Response && error.status === 409) return json<RetryActionData>({ formError: "outbox.notFailed" }, { status: 409 });
    throw error;
  }
}

const STATUS_LOOK: Record<OutboxStatus, { badge: string; icon: string }> = {
  sent: { badge: "ok", icon: "✓" },
  pending: { badge: "neutral", icon: "◷" },
  failed: { badge: "danger", icon: "⚠" },
};

function StatusBadge({ status }: { status: OutboxStatus }) {
  const t = useT();
  const look = STATUS_LOOK[status];
  return (
    <span className={`badge ${look.badge}`}>
      <span aria-hidden="true">{look.icon}</span> {t(`outbox.status.${status}`)}
    </span>
  );
}

function kindLabel(t: Translate, kind: string): string {
  const key = `outbox.kind.${kind}`;
  return isMessageKey(key) ? t(key) : kind.replace(/_/g, " ");
}

function statusLabel(t: Translate, status: StatusFilter): string {
  return status === "all" ? t("outbox.all") : t(`outbox.status.${status}`);
}

/** Retry with a confirmation step: the summary reveals a form whose checkbox must be ticked (checked by zod on both sides). */
function RetryForm({ messageId }: { messageId: string }) {
  const t = useT();
  const errorText = useErrorText();
  const confirmId = useId();
  const actionData = useActionData<typeof action>();
  const serverErrors = actionData?.messageId === messageId ? actionData.fieldErrors : undefined;
  const { handleSubmit, register, formState } = useRemixForm<RetryFormValues>({
    resolver,
    defaultValues: { messageId, confirm: false },
    stringifyAllValues: false,
  });
  const confirmError = errorText(formState.errors.confirm ?? serverErrors?.confirm);
  return (
    <details open={serverErrors ? true : undefined}>
      <summary className="button secondary">{t("outbox.retry")}</summary>
      <Form method="post" onSubmit={handleSubmit} noValidate>
        <p className="small">{t("outbox.confirmRetryIntro")}</p>
        <input type="hidden" {...register("messageId")} />
        <div className="field">
          <label htmlFor={confirmId}>
            <input
              id={confirmId}
              type="checkbox"
              aria-invalid={confirmError ? true : undefined}
              aria-describedby={confirmError ? `${confirmId}-error` : undefined}
              {...register("confirm")}
            />{" "}
            {t("outbox.confirmRetry")}
          </label>
          {confirmError ? (
            <span id={`${confirmId}-error`} className="error" role="alert">
              {confirmError}
            </span>
          ) : null}
        </div>
        <button type="submit">{t("outbox.confirmRetrySubmit")}</button>
      </Form>
    </details>
  );
}

export default function Outbox() {
  const t = useT();
  const filterId = useId();
  const { status, messages, nextCursor, onLaterPage, badCursor } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();

  function linkWith(changes: Record<string, string | null>): string {
    const params = new URLSearchParams(searchParams);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) params.delete(k);
      else params.set(k, v);
    }
    const s = params.toString();
    return s ? `?${s}` : "?";
  }

  return (
    <>
      <h1>{t("outbox.title")}</h1>
      <p className="muted">{t("outbox.intro")}</p>
      {actionData?.retried ? <p className="notice ok">{t("outbox.retried", { subject: actionData.retried.subject })}</p> : null}
      <FormError message={actionData?.formError} />
      {/* an unconfirmed retry of a row that is no longer failed: its form is gone, so say why here */}
      {actionData?.fieldErrors && !messages.some((m) => m.id === actionData.messageId && m.status === "failed") ? (
        <FormError message="outbox.notFailed" />
      ) : null}
      {badCursor ? <p className="notice">{t("outbox.badCursor")}</p> : null}
      <Form method="get" className="inline-form">
        <div className="field">
          <label htmlFor={filterId}>{t("outbox.filter")}</label>
          <select id={filterId} name="status" defaultValue={status} key={status}>
            {STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {statusLabel(t, s)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t("outbox.applyFilter")}</button>
      </Form>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("outbox.created")}</th>
              <th scope="col">{t("outbox.to")}</th>
              <th scope="col">{t("outbox.subject")}</th>
              <th scope="col">{t("outbox.status")}</th>
              <th scope="col">{t("outbox.attempts")}</th>
              <th scope="col">{t("outbox.nextAttempt")}</th>
              <th scope="col">{t("outbox.lastError")}</th>
            </tr>
          </thead>
          <tbody>
            {messages.length === 0 ? (
              <tr>
                <td colSpan={7} className="empty">
                  {status === "all" ? (
                    <>
                      <strong>{t("outbox.empty")}</strong>
                      <br />
                      {t("outbox.emptyHint")}
                    </>
                  ) : (
                    <>
                      <strong>{t("outbox.emptyFiltered", { status: statusLabel(t, status) })}</strong>
                      <br />
                      {t("outbox.emptyFilteredHint")}
                    </>
                  )}
                </td>
              </tr>
            ) : (
              messages.map((m) => (
                <tr key={m.id}>
                  <td>
                    <time dateTime={m.createdAt}>{m.createdDisplay}</time>
                  </td>
                  <td>
                    {m.to.map((address, index) => (
                      <span key={address}>
                        {index > 0 ? <br /> : null}
                        {address}
                      </span>
                    ))}
                  </td>
                  <td>
                    {m.subject}
                    <br />
                    <span className="muted small">
                      {t("outbox.kind")}: {kindLabel(t, m.kind)}
                    </span>
                  </td>
                  <td>
                    <StatusBadge status={m.status} />
                    {m.status === "failed" ? <RetryForm messageId={m.id} /> : null}
                  </td>
                  <td>{m.attempts}</td>
                  <td>{m.nextAttemptAt ? <time dateTime={m.nextAttemptAt}>{m.nextAttemptDisplay}</time> : "—"}</td>
                  <td className="small">{m.lastError ?? "—"}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      {messages.length === 0 && !onLaterPage ? null : (
        <nav className="pagination" aria-label={t("outbox.pagination")}>
          {onLaterPage ? <Link to={linkWith({ cursor: null })}>{t("common.first")}</Link> : null}
          {nextCursor ? <Link to={linkWith({ cursor: nextCursor })}>{t("common.next")} →</Link> : null}
          <span className="muted small">{t("common.showing", { count: messages.length })}</span>
        </nav>
      )}
    </>
  );
}
