import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { CalendarDeadlineList, CalendarFeedCard, parseFeedAction, type FeedActionData } from "~/components/calendar-feed";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requirePortal } from "~/services/auth.server";
import { calendarPage, createCalendarFeed, revokeCalendarFeed } from "~/services/calendar-feeds.server";
import { displayInstant } from "~/services/display.server";
import { nowIso } from "~/services/http.server";

export const meta = titleMeta("notifications.calendar.title");

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
  const parsed = parseFeedAction(await request.formData());
  if (!parsed.ok) return json<FeedActionData>(parsed.answer, { status: 400 });
  if (parsed.intent === "revoke") {
    const result = await revokeCalendarFeed(actor, nowIso());
    if (!result.ok) return json<FeedActionData>({ intent: "revoke", error: result.error }, { status: 409 });
    return json<FeedActionData>({ intent: "revoke", revoked: true });
  }
  const { url } = await createCalendarFeed(actor, nowIso());
  return json<FeedActionData>({ intent: parsed.intent, url });
}

export default function PortalCalendar() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-header">
        <h1>{t("notifications.calendar.title")}</h1>
        <p className="muted">{t("notifications.calendar.introPortal", { customer: data.customer.name })}</p>
      </div>
      {data.allowed ? (
        <>
          <CalendarFeedCard audience="portal" feed={data.feed} />
          <CalendarDeadlineList audience="portal" page={data} />
        </>
      ) : null}
    </>
  );
}
