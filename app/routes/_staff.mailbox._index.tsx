import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { listOutbox, type OutboxStatus } from "~/mail/outbox.server";
import { requireStaff } from "~/services/auth.server";
import { displayInstant } from "~/services/display.server";
import { notFound } from "~/services/http.server";

const PAGE_SIZE = 25;

const MailboxQuery = z.object({ cursor: z.string().min(1).max(500).optional().catch(undefined) });

export const meta = titleMeta("mailbox.title");

/**
 * The demo mailbox: what the app sent for this workspace, read from the outbox table (the .eml
 * folder holds every workspace's mail and cannot be scoped). Exists only in demo mode.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const config = getConfig();
  if (!config.demoMode) throw notFound();
  const { actor, workspace } = await requireStaff(request, "workspace:read");
  const query = MailboxQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = getDb();
  let badCursor = false;
  let page;
  try {
    page = await listOutbox(db, actor, { cursor: query.cursor, limit: PAGE_SIZE });
  } catch (error) {
    if (!(error instanceof Response && error.status === 400 && query.cursor)) throw error;
    badCursor = true;
    page = await listOutbox(db, actor, { limit: PAGE_SIZE });
  }
  return json({
    workspaceName: workspace.tradeName,
    writesFiles: !config.smtpUrl,
    mailDir: config.mailDir,
    onLaterPage: Boolean(query.cursor) && !badCursor,
    badCursor,
    nextCursor: page.nextCursor,
    messages: page.items.map((m) => ({
      id: m.id,
      to: m.to,
      subject: m.subject,
      status: m.status,
      createdAt: m.createdAt,
      createdDisplay: displayInstant(m.createdAt),
    })),
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

export default function Mailbox() {
  const t = useT();
  const { workspaceName, writesFiles, mailDir, messages, nextCursor, onLaterPage, badCursor } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  // the folder is shown as code inside the sentence; the translator leaves {dir} in place for that
  const [scopeBefore, scopeAfter = ""] = t("outbox.mailboxScope", { workspace: workspaceName }).split("{dir}");

  function linkWith(cursor: string | null): string {
    const params = new URLSearchParams(searchParams);
    if (cursor === null) params.delete("cursor");
    else params.set("cursor", cursor);
    const s = params.toString();
    return s ? `?${s}` : "?";
  }

  return (
    <>
      <h1>{t("mailbox.title")}</h1>
      {writesFiles ? (
        <>
          <p>{t("mailbox.intro")}</p>
          <p className="muted small">
            {scopeBefore}
            <code>{mailDir}</code>
            {scopeAfter}
          </p>
        </>
      ) : (
        <p>{t("outbox.mailboxSmtp", { workspace: workspaceName })}</p>
      )}
      {badCursor ? <p className="notice">{t("outbox.badCursor")}</p> : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("outbox.subject")}</th>
              <th scope="col">{t("outbox.to")}</th>
              <th scope="col">{t("outbox.status")}</th>
              <th scope="col">{t("common.date")}</th>
            </tr>
          </thead>
          <tbody>
            {messages.length === 0 ? (
              <tr>
                <td colSpan={4} className="empty">
                  <strong>{t("mailbox.empty")}</strong>
                  <br />
                  {t("outbox.mailboxEmptyHint")}
                </td>
              </tr>
            ) : (
              messages.map((m) => (
                <tr key={m.id}>
                  <td>
                    <Link to={`/mailbox/${m.id}`}>{m.subject}</Link>
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
                    <StatusBadge status={m.status} />
                  </td>
                  <td>
                    <time dateTime={m.createdAt}>{m.createdDisplay}</time>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      {messages.length === 0 && !onLaterPage ? null : (
        <nav className="pagination" aria-label={t("outbox.pagination")}>
          {onLaterPage ? <Link to={linkWith(null)}>{t("common.first")}</Link> : null}
          {nextCursor ? <Link to={linkWith(nextCursor)}>{t("common.next")} →</Link> : null}
          <span className="muted small">{t("common.showing", { count: messages.length })}</span>
        </nav>
      )}
    </>
  );
}
