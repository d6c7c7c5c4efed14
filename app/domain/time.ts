/**
 * Time conventions of DPA Desk, on the Temporal API.
 * - Instants cross the domain boundary as ISO-8601 UTC strings with milliseconds
 *   ("2026-03-28T13:00:00.000Z"); calendar dates as "YYYY-MM-DD".
 * - Hour limits are elapsed time on Temporal.Instant (through nights, weekends, DST).
 * - Day/week/month windows are calendar arithmetic on PlainDate in Europe/Amsterdam;
 *   month ends clamp (31 Jan + 1 month = 28/29 Feb).
 * - Display is Europe/Amsterdam with the zone abbreviation: "28-03-2026 14:00 CET".
 */
import { Temporal } from "temporal-polyfill";
import { DomainError } from "./errors";
import type { Locale } from "./locale";

export const AMSTERDAM = "Europe/Amsterdam";

export type CalendarUnit = "days" | "weeks" | "months";
export type CalendarPeriod = { amount: number; unit: CalendarUnit };

const MS_PER_HOUR = 3_600_000;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Parses an ISO-8601 instant with "Z" or an explicit offset; anything else is a DomainError. */
export function parseInstant(value: string, field: string): Temporal.Instant {
  try {
    return Temporal.Instant.from(value);
  } catch {
    throw new DomainError("invalid_instant", field, {
      nl: `"${value}" is geen geldig tijdstip (ISO-8601 met tijdzone, bv. 2026-03-28T13:00:00.000Z).`,
      en: `"${value}" is not a valid instant (ISO-8601 with a zone, e.g. 2026-03-28T13:00:00.000Z).`,
    });
  }
}

/** Parses a strict "YYYY-MM-DD" calendar date; 2026-02-30 is rejected, not clamped. */
export function parsePlainDate(value: string, field: string): Temporal.PlainDate {
  const invalid = () =>
    new DomainError("invalid_date", field, {
      nl: `"${value}" is geen geldige datum (JJJJ-MM-DD).`,
      en: `"${value}" is not a valid date (YYYY-MM-DD).`,
    });
  if (!DATE_PATTERN.test(value)) throw invalid();
  try {
    return Temporal.PlainDate.from(value, { overflow: "reject" });
  } catch {
    throw invalid();
  }
}

export function toIsoInstant(instant: Temporal.Instant): string {
  return instant.toString({ smallestUnit: "millisecond" });
}

export function toIsoDate(date: Temporal.PlainDate): string {
  return date.toString();
}

/** Elapsed hours: 24 h across a DST change is still 24 real hours. */
export function addElapsedHours(instant: Temporal.Instant, hours: number): Temporal.Instant {
  return instant.add({ milliseconds: Math.round(hours * MS_PER_HOUR) });
}

export function elapsedMs(from: Temporal.Instant, to: Temporal.Instant): number {
  return to.epochMilliseconds - from.epochMilliseconds;
}

/** Calendar arithmetic; month ends clamp (2026-01-31 + 1 month = 2026-02-28). */
export function addCalendarPeriod(date: Temporal.PlainDate, period: CalendarPeriod): Temporal.PlainDate {
  return date.add({ [period.unit]: period.amount }, { overflow: "constrain" });
}

export function subtractCalendarPeriod(date: Temporal.PlainDate, period: CalendarPeriod): Temporal.PlainDate {
  return date.subtract({ [period.unit]: period.amount }, { overflow: "constrain" });
}

/** The calendar date in Amsterdam at that instant. */
export function amsterdamDateOf(instant: Temporal.Instant): Temporal.PlainDate {
  return instant.toZonedDateTimeISO(AMSTERDAM).toPlainDate();
}

/** 00:00 Amsterdam time of that date, as an instant. */
export function startOfAmsterdamDay(date: Temporal.PlainDate): Temporal.Instant {
  return date.toZonedDateTime({ timeZone: AMSTERDAM }).toInstant();
}

/** The first instant after the whole of that Amsterdam day: when a date deadline is overdue. */
export function endOfAmsterdamDay(date: Temporal.PlainDate): Temporal.Instant {
  return startOfAmsterdamDay(date.add({ days: 1 }));
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** "28-03-2026" */
export function formatDisplayDate(date: Temporal.PlainDate): string {
  return `${pad2(date.day)}-${pad2(date.month)}-${date.year}`;
}

/** CET / CEST for Amsterdam's two offsets, "UTC+hh:mm" for anything else. */
export function amsterdamZoneAbbreviation(offset: string): string {
  if (offset === "+01:00") return "CET";
  if (offset === "+02:00") return "CEST";
  return `UTC${offset}`;
}

/** "28-03-2026 14:00 CET" / "29-03-2026 15:00 CEST" */
export function formatDisplayInstant(instant: Temporal.Instant): string {
  const zoned = instant.toZonedDateTimeISO(AMSTERDAM);
  const time = `${pad2(zoned.hour)}:${pad2(zoned.minute)}`;
  return `${formatDisplayDate(zoned.toPlainDate())} ${time} ${amsterdamZoneAbbreviation(zoned.offset)}`;
}

const WEEKDAYS: Record<Locale, readonly string[]> = {
  nl: ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
  en: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
};

export function weekdayName(date: Temporal.PlainDate, locale: Locale): string {
  return WEEKDAYS[locale][date.dayOfWeek - 1];
}

/** "28 dagen" / "28 days", "1 maand" / "1 month", "24 uur" / "24 h" */
export function formatAmount(amount: number, unit: CalendarUnit | "hours", locale: Locale): string {
  const one = amount === 1;
  const words: Record<Locale, Record<CalendarUnit | "hours", string>> = {
    nl: { hours: "uur", days: one ? "dag" : "dagen", weeks: one ? "week" : "weken", months: one ? "maand" : "maanden" },
    en: { hours: "h", days: one ? "day" : "days", weeks: one ? "week" : "weeks", months: one ? "month" : "months" },
  };
  return `${amount} ${words[locale][unit]}`;
}
