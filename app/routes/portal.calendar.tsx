import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { CalendarDeadlineList, CalendarFeedCard } from "~/components/calendar-feed";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requirePortal } from "~/services/auth.server";
import type { FeedActionData } from "~/services/calendar-feed-form";
import { answerFeedAction, calendarPageView } from "~/services/calendar-feeds.server";
import { nowIso } from "~/services/http.server";

export const meta = titleMeta("notifications.calendar.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, customer } = await requirePortal(request);
  const page = await calendarPageView(actor, nowIso(), new URL(request.url).searchParams.get("after"));
  return json({ customer: { name: customer.name }, ...page });
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requirePortal(request);
  const { data, status } = await answerFeedAction(actor, await request.formData(), nowIso());
  return json<FeedActionData>(data, { status });
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
