import type { LoaderFunctionArgs, MetaArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { isMessageKey, useT, type Translate } from "~/i18n/i18n";
import { getOutboxMessage, type OutboxStatus } from "~/mail/outbox.server";
import { requireStaff } from "~/services/auth.server";
import { displayInstant } from "~/services/display.server";
import { notFound } from "~/services/http.server";

export const meta = ({ data }: Pick<MetaArgs<typeof loader>, "data">) => [{ title: `${data?.message.subject ?? ""} · DPA Desk` }];

/** One message of the demo mailbox, from the outbox table of the actor's workspace. Exists only in demo mode. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const config = getConfig();
  if (!config.demoMode) throw notFound();
  const { actor } = await requireStaff(request, "workspace:read");
  const message = await getOutboxMessage(getDb(), actor, params.messageId ?? "");
  return json({
    message,
    from: config.mailFrom,
    appUrl: config.appUrl,
    createdDisplay: displayInstant(message.createdAt),
    sentDisplay: displayInstant(message.sentAt),
  });
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

const LONG_RUN = /\S{25,}/g;

/**
 * Lets the browser wrap long unbroken runs (tokens in links, long addresses) on a narrow screen:
 * `<wbr>` every 20 characters adds a break opportunity without changing the text that is copied.
 */
function wrappable(text: string, keyPrefix: string): ReactNode[] {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(LONG_RUN)) {
    const start = match.index ?? 0;
    parts.push(text.slice(last, start));
    for (let offset = 0; offset < match[0].length; offset += 20) {
      if (offset > 0) parts.push(<wbr key={`${keyPrefix}-${start + offset}`} />);
      parts.push(match[0].slice(offset, offset + 20));
    }
    last = start + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

/** The body as sent, with links into this app (invitations, password resets) made clickable for the demo. */
function withAppLinks(text: string, appUrl: string): ReactNode[] {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    const url = match[0];
    const start = match.index ?? 0;
    if (url !== appUrl && !url.startsWith(`${appUrl}/`)) continue;
    parts.push(
      ...wrappable(text.slice(last, start), `t${last}`),
      <a key={`a${start}`} href={url}>
        {wrappable(url, `a${start}`)}
      </a>,
    );
    last = start + url.length;
  }
  parts.push(...wrappable(text.slice(last), `t${last}`));
  return parts;
}

export default function MailboxMessage() {
  const t = useT();
  const { message, from, appUrl, createdDisplay, sentDisplay } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/mailbox">← {t("mailbox.title")}</Link>
      </p>
      <h1>{message.subject}</h1>
      <section className="card">
        <dl className="facts">
          <dt>{t("outbox.status")}</dt>
          <dd>
            <StatusBadge status={message.status} />
          </dd>
          <dt>{t("outbox.from")}</dt>
          <dd>{from}</dd>
          <dt>{t("outbox.to")}</dt>
          <dd>{message.to.join(", ")}</dd>
          <dt>{t("outbox.subject")}</dt>
          <dd>{message.subject}</dd>
          <dt>{t("outbox.created")}</dt>
          <dd>
            <time dateTime={message.createdAt}>{createdDisplay}</time>
          </dd>
          {message.sentAt ? (
            <>
              <dt>{t("outbox.sentAt")}</dt>
              <dd>
                <time dateTime={message.sentAt}>{sentDisplay}</time>
              </dd>
            </>
          ) : null}
          <dt>{t("outbox.kind")}</dt>
          <dd>{kindLabel(t, message.kind)}</dd>
          <dt>{t("outbox.attempts")}</dt>
          <dd>{message.attempts}</dd>
          {message.lastError ? (
            <>
              <dt>{t("outbox.lastError")}</dt>
              <dd>{message.lastError}</dd>
            </>
          ) : null}
          {message.messageId ? (
            <>
              <dt>{t("outbox.messageId")}</dt>
              <dd className="mono">{message.messageId}</dd>
            </>
          ) : null}
        </dl>
      </section>
      <h2>{t("outbox.body")}</h2>
      {message.withheld ? <p className="notice">{t("outbox.withheld")}</p> : <pre className="mail">{withAppLinks(message.text, appUrl)}</pre>}
      <h2>{t("outbox.attachments")}</h2>
      {message.attachments.length === 0 ? (
        <p className="muted">{t("outbox.noAttachments")}</p>
      ) : (
        <ul>
          {message.attachments.map((a, index) => (
            <li key={`${index}-${a.filename}`}>
              {a.filename} <span className="muted small">({a.contentType})</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
