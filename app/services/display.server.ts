import { Temporal } from "temporal-polyfill";
import { formatDisplayDate, formatDisplayInstant } from "~/domain/time";

/** "28-03-2026 14:00 CET": instants are shown in Europe/Amsterdam with their zone, formatted on the server. */
export function displayInstant(iso: string | null | undefined): string {
  if (!iso) return "";
  return formatDisplayInstant(Temporal.Instant.from(iso));
}

/** "28-03-2026" */
export function displayDate(isoDate: string | null | undefined): string {
  if (!isoDate) return "";
  return formatDisplayDate(Temporal.PlainDate.from(isoDate));
}
