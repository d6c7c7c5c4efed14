import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { CalendarDeadlineList, CalendarFeedCard } from "~/components/calendar-feed";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import type { FeedActionData } from "~/services/calendar-feed-form";
import { answerFeedAction, calendarPageView } from "~/services/calendar-feeds.server";
import { nowIso } from "~/services/http.server";

export const meta = titleMeta("notifications.calendar.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request);
  return json(await calendarPageView(actor, nowIso(), new URL(request.url).searchParams.get("after")));
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request);
  const { data, status } = await answerFeedAction(actor, await request.formData(), nowIso());
  return json<FeedActionData>(data, { status });
}

export default function StaffCalendar() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-header">
        <h1>{t("notifications.calendar.title")}</h1>
        <p className="muted">{t("notifications.calendar.intro")}</p>
      </div>
      {data.allowed ? (
        <>
          <CalendarFeedCard audience="staff" feed={data.feed} />
          <CalendarDeadlineList audience="staff" page={data} />
        </>
      ) : (
        <p className="notice">{t("notifications.calendar.auditor")}</p>
      )}
    </>
  );
}
