import type { LoaderFunctionArgs } from "@remix-run/node";
import { calendarFeedByToken } from "~/services/calendar-feeds.server";
import { notFound, nowIso } from "~/services/http.server";

/**
 * GET /calendar/<token>.ics: a personal iCalendar feed. The secret in the URL is the only
 * credential (calendar apps cannot sign in); unknown or revoked → 404, never cached.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const raw = params.token ?? "";
  const token = raw.endsWith(".ics") ? raw.slice(0, -4) : raw;
  const body = await calendarFeedByToken(token, nowIso());
  if (body === null) throw notFound();
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'inline; filename="dpadesk.ics"',
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
    },
  });
}
