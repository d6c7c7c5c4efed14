/**
 * The calendar page, shared by staff (/calendar) and the portal (/portal/calendar): the feed card (the secret
 * address shown once, regenerate and revoke behind a confirmation box, how to subscribe) and the deadlines the
 * feed holds, a page at a time. The routes keep their own sign-in (staff or portal) and call the service;
 * `audience` picks the wording (je/jij or u), the deadline links and the page's address.
 */
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { FormError } from "~/components/form";
import { useLocale, useT, type MessageKey } from "~/i18n/i18n";
import type { FeedActionData } from "~/services/calendar-feed-form";
import type { CalendarPage } from "~/services/calendar-feeds.server";

export type CalendarAudience = "staff" | "portal";

const TEXTS = {
  staff: {
    feed: "notifications.calendar.feed",
    created: "notifications.calendar.created",
    none: "notifications.calendar.none",
    secret: "notifications.calendar.howTo.secret",
    upcoming: "notifications.calendar.upcoming",
    upcomingIntro: "notifications.calendar.upcomingIntro",
    empty: "notifications.calendar.empty",
  },
  portal: {
    feed: "notifications.calendar.feedPortal",
    created: "notifications.calendar.createdPortal",
    none: "notifications.calendar.nonePortal",
    secret: "notifications.calendar.howTo.secretPortal",
    upcoming: "notifications.calendar.upcomingPortal",
    upcomingIntro: "notifications.calendar.upcomingIntroPortal",
    empty: "notifications.calendar.emptyPortal",
  },
} as const satisfies Record<CalendarAudience, Record<string, MessageKey>>;

/** The page itself, for the pagination links. */
const PAGE_PATH: Record<CalendarAudience, string> = { staff: "/calendar", portal: "/portal/calendar" };

// ----- the feed card -----

export type FeedView = { id: string; lastUsedAt: string | null; createdDisplay: string; lastUsedDisplay: string };

/** Regenerate and revoke, in this order: both end the current address. */
const FEED_CHANGES = [
  { intent: "regenerate", confirm: "notifications.calendar.confirmRegenerate", submit: "notifications.calendar.regenerate", className: "secondary" },
  { intent: "revoke", confirm: "notifications.calendar.confirmRevoke", submit: "notifications.calendar.revoke", className: "danger" },
] as const;

/**
 * The secret address (once, right after creating), the feed's status, create / regenerate / revoke, how to
 * subscribe. The forms post to the page's own action, which answers with `FeedActionData`.
 */
export function CalendarFeedCard({ audience, feed }: { audience: CalendarAudience; feed: FeedView | null }) {
  const t = useT();
  const actionData = useActionData<FeedActionData>();
  const busy = useNavigation().state === "submitting";
  const texts = TEXTS[audience];
  return (
    <section className="card" aria-labelledby="feed">
      <h2 id="feed">{t(texts.feed)}</h2>
      {actionData?.url ? (
        <div className="notice ok" role="status">
          <p>{t(texts.created)}</p>
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
      {feed ? (
        <p>
          {t("notifications.calendar.active", { created: feed.createdDisplay })}{" "}
          {feed.lastUsedAt ? t("notifications.calendar.lastUsed", { used: feed.lastUsedDisplay }) : t("notifications.calendar.neverUsed")}
        </p>
      ) : (
        <p>{t(texts.none)}</p>
      )}
      {feed ? (
        <div className="cards">
          {FEED_CHANGES.map((change) => (
            <ConfirmedFeedAction key={`${change.intent}-${feed.id}`} {...change} actionData={actionData} busy={busy} />
          ))}
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
      <p className="small">{t(texts.secret)}</p>
    </section>
  );
}

/** Regenerate or revoke: both end the current address, so the post needs the confirmation box ticked. */
function ConfirmedFeedAction({
  intent,
  confirm,
  submit,
  className,
  actionData,
  busy,
}: {
  intent: "regenerate" | "revoke";
  confirm: MessageKey;
  submit: MessageKey;
  className: "secondary" | "danger";
  actionData: FeedActionData | undefined;
  busy: boolean;
}) {
  const t = useT();
  return (
    <Form method="post" className="feed-action">
      <input type="hidden" name="intent" value={intent} />
      <label className="checkbox">
        <input type="checkbox" name="confirm" value="yes" required /> {t(confirm)}
      </label>
      {actionData?.intent === intent && actionData.error ? <FormError message={actionData.error} /> : null}
      <button type="submit" className={className} disabled={busy}>
        {t(submit)}
      </button>
    </Form>
  );
}

// ----- the deadlines in the feed -----

export type CalendarDeadlines = Pick<CalendarPage, "deadlines" | "total" | "next" | "paged" | "maxDeadlines" | "horizonDays">;

/**
 * The deadlines the feed holds, nearest first, with pagination. Staff links go to the staff page and show
 * who is responsible; portal links go to the portal page that shows the deadline (else the portal home).
 */
export function CalendarDeadlineList({ audience, page }: { audience: CalendarAudience; page: CalendarDeadlines }) {
  const t = useT();
  const locale = useLocale();
  const texts = TEXTS[audience];
  const path = PAGE_PATH[audience];
  return (
    <section aria-labelledby="upcoming">
      <h2 id="upcoming">{t(texts.upcoming)}</h2>
      <p className="small muted">{t(texts.upcomingIntro, { max: page.maxDeadlines, days: page.horizonDays })}</p>
      {page.deadlines.length === 0 ? (
        <p className="empty">{t(texts.empty)}</p>
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
                {page.deadlines.map((d) => (
                  <tr key={d.uid} data-uid={d.uid}>
                    <td>
                      <time dateTime={d.due.kind === "instant" ? d.due.at : d.due.date}>{d.dueDisplay}</time>
                    </td>
                    <td>
                      <span className="badge neutral">{t(`notifications.source.${d.source}` as MessageKey)}</span>{" "}
                      <Link to={audience === "staff" ? d.link : (d.portalLink ?? "/portal")}>{d.title[locale]}</Link>
                      <br />
                      <span className="small muted">{d.basis[locale]}</span>
                    </td>
                    <td>
                      <span className={`badge ${d.state === "overdue" ? "danger" : d.state === "due_soon" ? "warn" : "ok"}`}>
                        {d.state === "overdue" ? "⚠" : d.state === "due_soon" ? "◷" : "✓"} {t(`notifications.state.${d.state}` as MessageKey)}
                      </span>
                      {audience === "staff" ? (
                        <>
                          <br />
                          <span className="small muted">
                            {t("notifications.calendar.responsible")}:{" "}
                            {d.mine ? t("notifications.calendar.responsible.assignee") : t("notifications.calendar.responsible.officers")}
                          </span>
                        </>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="pagination" aria-label={t(texts.upcoming)}>
            {page.paged ? <Link to={path}>{t("notifications.calendar.first")}</Link> : null}
            <span className="small">{t("common.total", { count: page.total })}</span>
            {page.next ? <Link to={`${path}?after=${encodeURIComponent(page.next)}`}>{t("notifications.calendar.next")}</Link> : null}
          </nav>
        </>
      )}
    </section>
  );
}
