import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FormError } from "~/components/form";
import { useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requirePortal } from "~/services/auth.server";
import { calendarPage, createCalendarFeed, revokeCalendarFeed } from "~/services/calendar-feeds.server";
import { displayInstant } from "~/services/display.server";
import { nowIso } from "~/services/http.server";

export const meta = titleMeta("notifications.calendar.title");

/** create: first feed; regenerate and revoke end the current URL and need the confirmation box. */
const FeedActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create") }),
  z.object({ intent: z.literal("regenerate"), confirm: z.literal("yes", { errorMap: () => ({ message: "notifications.calendar.error.confirm" }) }) }),
  z.object({ intent: z.literal("revoke"), confirm: z.literal("yes", { errorMap: () => ({ message: "notifications.calendar.error.confirm" }) }) }),
]);

type ActionData = { intent: string; url?: string; revoked?: boolean; error?: string };

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, customer } = await requirePortal(request);
  const after = new URL(request.url).searchParams.get("after");
  const page = await calendarPage(actor, nowIso(), after);
  return json({
    customer: { name: customer.name },
    ...page,
    feed: page.feed
      ? { ...page.feed, createdDisplay: displayInstant(page.feed.createdAt), lastUsedDisplay: displayInstant(page.feed.lastUsedAt) }
      : null,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requirePortal(request);
  const form = await request.formData();
  const parsed = FeedActionSchema.safeParse({ intent: form.get("intent"), confirm: form.get("confirm") ?? undefined });
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? "notifications.calendar.error.confirm";
    return json<ActionData>({ intent: String(form.get("intent") ?? ""), error: message.startsWith("notifications.") ? message : "notifications.calendar.error.confirm" }, { status: 400 });
  }
  if (parsed.data.intent === "revoke") {
    const result = await revokeCalendarFeed(actor, nowIso());
    if (!result.ok) return json<ActionData>({ intent: "revoke", error: result.error }, { status: 409 });
    return json<ActionData>({ intent: "revoke", revoked: true });
  }
  const { url } = await createCalendarFeed(actor, nowIso());
  return json<ActionData>({ intent: parsed.data.intent, url });
}

export default function PortalCalendar() {
  const t = useT();
  const locale = useLocale();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <>
      <div className="page-header">
        <h1>{t("notifications.calendar.title")}</h1>
        <p className="muted">{t("notifications.calendar.introPortal", { customer: data.customer.name })}</p>
      </div>
      {!data.allowed ? null : (
        <section className="card" aria-labelledby="feed">
          <h2 id="feed">{t("notifications.calendar.feedPortal")}</h2>
          {actionData?.url ? (
            <div className="notice ok" role="status">
              <p>{t("notifications.calendar.createdPortal")}</p>
              <label className="field feed-field">
                <span>{t("notifications.calendar.url")}</span>
                <input type="text" readOnly value={actionData.url} className="feed-url" />
              </label>
            </div>
          ) : null}
          {actionData?.revoked ? (
            <p className="notice ok" role="status">
              {t("notifications.calendar.revoked")}
            </p>
          ) : null}
          {data.feed ? (
            <p>
              {t("notifications.calendar.active", { created: data.feed.createdDisplay })}{" "}
              {data.feed.lastUsedAt ? t("notifications.calendar.lastUsed", { used: data.feed.lastUsedDisplay }) : t("notifications.calendar.neverUsed")}
            </p>
          ) : (
            <p>{t("notifications.calendar.nonePortal")}</p>
          )}
          {data.feed ? (
            <div className="cards">
              <Form method="post" className="feed-action" key={`regenerate-${data.feed.id}`}>
                <input type="hidden" name="intent" value="regenerate" />
                <label className="checkbox">
                  <input type="checkbox" name="confirm" value="yes" required /> {t("notifications.calendar.confirmRegenerate")}
                </label>
                {actionData?.intent === "regenerate" && actionData.error ? <FormError message={actionData.error} /> : null}
                <button type="submit" className="secondary" disabled={busy}>
                  {t("notifications.calendar.regenerate")}
                </button>
              </Form>
              <Form method="post" className="feed-action" key={`revoke-${data.feed.id}`}>
                <input type="hidden" name="intent" value="revoke" />
                <label className="checkbox">
                  <input type="checkbox" name="confirm" value="yes" required /> {t("notifications.calendar.confirmRevoke")}
                </label>
                {actionData?.intent === "revoke" && actionData.error ? <FormError message={actionData.error} /> : null}
                <button type="submit" className="danger" disabled={busy}>
                  {t("notifications.calendar.revoke")}
                </button>
              </Form>
            </div>
          ) : (
            <Form method="post">
              <input type="hidden" name="intent" value="create" />
              <button type="submit" disabled={busy}>
                {t("notifications.calendar.create")}
              </button>
            </Form>
          )}
          <h3>{t("notifications.calendar.howTo")}</h3>
          <ul>
            <li>{t("notifications.calendar.howTo.outlook")}</li>
            <li>{t("notifications.calendar.howTo.google")}</li>
            <li>{t("notifications.calendar.howTo.apple")}</li>
          </ul>
          <p className="small">{t("notifications.calendar.howTo.secretPortal")}</p>
        </section>
      )}
      {data.allowed ? (
        <section aria-labelledby="upcoming">
          <h2 id="upcoming">{t("notifications.calendar.upcomingPortal")}</h2>
          <p className="small muted">{t("notifications.calendar.upcomingIntroPortal", { max: data.maxDeadlines, days: data.horizonDays })}</p>
          {data.deadlines.length === 0 ? (
            <p className="empty">{t("notifications.calendar.emptyPortal")}</p>
          ) : (
            <>
              <div className="table-wrap">
                <table className="stack-table">
                  <thead>
                    <tr>
                      <th scope="col">{t("notifications.calendar.due")}</th>
                      <th scope="col">{t("notifications.calendar.what")}</th>
                      <th scope="col">{t("notifications.calendar.state")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.deadlines.map((d) => (
                      <tr key={d.uid} data-uid={d.uid}>
                        <td>
                          <time dateTime={d.due.kind === "instant" ? d.due.at : d.due.date}>{d.dueDisplay}</time>
                        </td>
                        <td>
                          <span className="badge neutral">{t(`notifications.source.${d.source}` as MessageKey)}</span>{" "}
                          <Link to={d.portalLink ?? "/portal"}>{d.title[locale]}</Link>
                          <br />
                          <span className="small muted">{d.basis[locale]}</span>
                        </td>
                        <td>
                          <span className={`badge ${d.state === "overdue" ? "danger" : d.state === "due_soon" ? "warn" : "ok"}`}>
                            {d.state === "overdue" ? "⚠" : d.state === "due_soon" ? "◷" : "✓"} {t(`notifications.state.${d.state}` as MessageKey)}
                          </span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <nav className="pagination" aria-label={t("notifications.calendar.upcomingPortal")}>
                {data.paged ? <Link to="/portal/calendar">{t("notifications.calendar.first")}</Link> : null}
                <span className="small">{t("common.total", { count: data.total })}</span>
                {data.next ? <Link to={`/portal/calendar?after=${encodeURIComponent(data.next)}`}>{t("notifications.calendar.next")}</Link> : null}
              </nav>
            </>
          )}
        </section>
      ) : null}
    </>
  );
}
