import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FormError } from "~/components/form";
import { isMessageKey, useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { displayInstant } from "~/services/display.server";
import { nowIso } from "~/services/http.server";
import { listNotifications, markAllNotificationsRead, markNotificationRead } from "~/services/notifications.server";

export const meta = titleMeta("notifications.title");

const NotificationActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("read"), id: z.string().uuid("notifications.error.invalid") }),
  z.object({ intent: z.literal("open"), id: z.string().uuid("notifications.error.invalid") }),
  z.object({ intent: z.literal("readAll") }),
]);

type ActionData = { marked?: number; error?: string };

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  const url = new URL(request.url);
  const filter = url.searchParams.get("show") === "all" ? "all" : "unread";
  const page = await listNotifications(actor, { filter, cursor: url.searchParams.get("after") });
  return json({ ...page, items: page.items.map((n) => ({ ...n, createdDisplay: displayInstant(n.createdAt) })), paged: url.searchParams.has("after") });
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request);
  const form = await request.formData();
  const parsed = NotificationActionSchema.safeParse({ intent: form.get("intent"), id: form.get("id") ?? undefined });
  if (!parsed.success) return json<ActionData>({ error: "notifications.error.invalid" }, { status: 400 });
  if (parsed.data.intent === "readAll") {
    const marked = await markAllNotificationsRead(actor, nowIso());
    return json<ActionData>({ marked });
  }
  const { link } = await markNotificationRead(actor, parsed.data.id, nowIso());
  if (parsed.data.intent === "open" && link) return redirect(link);
  return json<ActionData>({ marked: 1 });
}

export default function Notifications() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const base = data.filter === "all" ? "/notifications?show=all" : "/notifications";
  return (
    <>
      <div className="page-header">
        <h1>{t("notifications.title")}</h1>
        <p className="muted">{t("notifications.intro")}</p>
      </div>
      {actionData?.marked !== undefined ? (
        <p className="notice ok" role="status">
          {actionData.marked === 1 ? t("notifications.marked") : t("notifications.allMarked", { count: actionData.marked })}
        </p>
      ) : null}
      <FormError message={actionData?.error} />
      <div className="inline-form notifications-bar">
        <nav aria-label={t("notifications.filter.label")} className="filter-links">
          <span className="small">{t("notifications.filter.label")}:</span>{" "}
          <Link to="/notifications" aria-current={data.filter === "unread" ? "page" : undefined}>
            {t("notifications.filter.unread")} ({data.unread})
          </Link>{" "}
          ·{" "}
          <Link to="/notifications?show=all" aria-current={data.filter === "all" ? "page" : undefined}>
            {t("notifications.filter.all")}
          </Link>
        </nav>
        {data.unread > 0 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="readAll" />
            <button type="submit" className="secondary" disabled={busy}>
              {t("notifications.markAllRead")}
            </button>
          </Form>
        ) : null}
      </div>
      {data.items.length === 0 ? (
        <p className="empty">{data.filter === "unread" ? t("notifications.emptyUnread") : t("notifications.emptyAll")}</p>
      ) : (
        <div className="table-wrap">
          <table className="stack-table">
            <thead>
              <tr>
                <th scope="col">{t("notifications.when")}</th>
                <th scope="col">{t("notifications.message")}</th>
                <th scope="col">{t("notifications.customer")}</th>
                <th scope="col">{t("common.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((n) => (
                <tr key={n.id} className={n.readAt ? undefined : "unread"}>
                  <td>
                    <time dateTime={n.createdAt}>{n.createdDisplay}</time>{" "}
                    {n.readAt ? <span className="badge neutral">{t("notifications.read")}</span> : <span className="badge warn">● {t("notifications.unread")}</span>}
                  </td>
                  <td>{isMessageKey(n.messageKey) ? t(n.messageKey, n.params) : t("notifications.unknownMessage", { kind: n.kind })}</td>
                  <td>{n.customerId && n.customerName ? <Link to={`/customers/${n.customerId}`}>{n.customerName}</Link> : "–"}</td>
                  <td>
                    <div className="inline-form notification-actions">
                      {n.link ? (
                        <Form method="post">
                          <input type="hidden" name="id" value={n.id} />
                          <button type="submit" name="intent" value="open" className="secondary" disabled={busy}>
                            {t("notifications.open")}
                          </button>
                        </Form>
                      ) : null}
                      {n.readAt ? null : (
                        <Form method="post">
                          <input type="hidden" name="id" value={n.id} />
                          <button type="submit" name="intent" value="read" className="link" disabled={busy}>
                            {t("notifications.markRead")}
                          </button>
                        </Form>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data.next || data.paged ? (
        <nav className="pagination" aria-label={t("notifications.title")}>
          {data.paged ? <Link to={base}>{t("notifications.newest")}</Link> : null}
          {data.next ? <Link to={`${base}${base.includes("?") ? "&" : "?"}after=${encodeURIComponent(data.next)}`}>{t("notifications.older")}</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
