/**
 * When reminders are due. Pure: every function takes the clock's own values and returns the
 * threshold instants (ISO UTC), each with the stable key stored in reminders_sent.
 *
 * - Breach notice clocks run in elapsed hours, so their thresholds are elapsed shares of the
 *   span [start, due]: 50%, 75% and 90%; a DST change moves nothing. "overdue" is the due instant.
 * - Everything counted in calendar days is a reminder at 09:00 Europe/Amsterdam on a calendar
 *   day (09:00 CET in winter, 09:00 CEST in summer), except "overdue" for a date deadline, which is
 *   the first instant after the due day (00:00 Amsterdam the next day), the moment it became late.
 *   - DPA signature outstanding: 7 and 14 calendar days after it was sent, at the same local time.
 *   - Contract notice: 30 and 7 days before the last notice day.
 *   - End-of-contract tasks and backup expiry: 7 days before the due day, on the due day, overdue.
 *   - Objection window closing: 3 days before the window's last day and the day before it
 *     (a 14-day window sent on Monday 1st, last day Monday 15th: Friday 12th and Sunday 14th).
 * - Catching up: when several thresholds of one clock have passed unsent (the app was down),
 *   only the latest is sent (`latestPassed`); a reminder that a later one supersedes is not sent.
 */
import { Temporal } from "temporal-polyfill";
import { z } from "zod";
import { AMSTERDAM, endOfAmsterdamDay, parseInstant, parsePlainDate, toIsoInstant } from "./time";

export type ReminderThreshold = {
  /** the key stored with each sent reminder: "50", "75", "90", "overdue", "7d", "14d", "30d", "due", "3d", "1d" */
  threshold: string;
  /** when it is due, ISO UTC */
  at: string;
};

/** The local hour day-based reminders go out at, Europe/Amsterdam. */
export const REMINDER_HOUR = 9;

export const BREACH_NOTICE_SHARES = [50, 75, 90] as const;

/** 50%, 75% and 90% of the elapsed span from start to due, in order. */
export function breachNoticeThresholds(start: string, due: string): ReminderThreshold[] {
  const from = parseInstant(start, "start").epochMilliseconds;
  const to = parseInstant(due, "due").epochMilliseconds;
  if (to <= from) return [];
  return BREACH_NOTICE_SHARES.map((share) => ({
    threshold: String(share),
    at: new Date(from + Math.round(((to - from) * share) / 100)).toISOString(),
  }));
}

/** The escalation once an instant deadline has passed unmet. */
export function instantOverdueThreshold(due: string): ReminderThreshold {
  return { threshold: "overdue", at: toIsoInstant(parseInstant(due, "due")) };
}

/** 09:00 Amsterdam on that date, as an instant. */
export function reminderInstantOn(date: Temporal.PlainDate): string {
  return toIsoInstant(date.toZonedDateTime({ timeZone: AMSTERDAM, plainTime: new Temporal.PlainTime(REMINDER_HOUR) }).toInstant());
}

function daysBefore(date: string, days: number): Temporal.PlainDate {
  return parsePlainDate(date, "date").subtract({ days });
}

/** 7 and 14 calendar days after the DPA was sent, at the same Amsterdam wall-clock time. */
export function dpaSignatureThresholds(sentAt: string): ReminderThreshold[] {
  const sent = parseInstant(sentAt, "sentAt").toZonedDateTimeISO(AMSTERDAM);
  return [7, 14].map((days) => ({ threshold: `${days}d`, at: toIsoInstant(sent.add({ days }).toInstant()) }));
}

/** 30 and 7 days before the last day to give notice, at 09:00 Amsterdam. */
export function contractNoticeThresholds(lastNoticeDay: string): ReminderThreshold[] {
  return [30, 7].map((days) => ({ threshold: `${days}d`, at: reminderInstantOn(daysBefore(lastNoticeDay, days)) }));
}

/** A task due on a date: 7 days before and on the day (09:00 Amsterdam), and overdue from 00:00 the next day. */
export function dueDateThresholds(dueDate: string): ReminderThreshold[] {
  return [
    { threshold: "7d", at: reminderInstantOn(daysBefore(dueDate, 7)) },
    { threshold: "due", at: reminderInstantOn(parsePlainDate(dueDate, "dueDate")) },
    { threshold: "overdue", at: toIsoInstant(endOfAmsterdamDay(parsePlainDate(dueDate, "dueDate"))) },
  ];
}

/**
 * 3 days before the window's last day and the day before it, at 09:00 Amsterdam; thresholds that
 * would fall before the notice was sent (a short window) are left out.
 */
export function objectionWindowThresholds(windowEnd: string, sentAt: string): ReminderThreshold[] {
  const sent = parseInstant(sentAt, "sentAt").epochMilliseconds;
  return [3, 1]
    .map((days) => ({ threshold: `${days}d`, at: reminderInstantOn(daysBefore(windowEnd, days)) }))
    .filter((t) => Date.parse(t.at) > sent);
}

/** The first instant after a date deadline's day: a window or notice day is over from then. */
export function endOfDay(date: string): string {
  return toIsoInstant(endOfAmsterdamDay(parsePlainDate(date, "date")));
}

/**
 * The reminder to send at `now`: the latest threshold that has passed, provided the clock is still
 * running (`now` before `until`, when given). Earlier thresholds it supersedes are not sent.
 */
export function latestPassed(thresholds: readonly ReminderThreshold[], now: string, until?: string): ReminderThreshold | null {
  const moment = Date.parse(now);
  if (until !== undefined && moment >= Date.parse(until)) return null;
  let latest: ReminderThreshold | null = null;
  for (const threshold of thresholds) {
    if (Date.parse(threshold.at) <= moment && (latest === null || Date.parse(threshold.at) >= Date.parse(latest.at))) latest = threshold;
  }
  return latest;
}

/** Whole calendar days from `today` to `date` in Amsterdam (negative once past). */
export function daysUntil(date: string, now: string): number {
  const today = parseInstant(now, "now").toZonedDateTimeISO(AMSTERDAM).toPlainDate();
  return today.until(parsePlainDate(date, "date"), { largestUnit: "days" }).days;
}

// ---------------------------------------------------------------------------------------
// Kinds of reminder and who may receive them (shared by the settings form and the services)

export const REMINDER_KINDS = [
  "breach_notice",
  "breach_overdue",
  "objection_window",
  "dpa_signature",
  "contract_notice",
  "eoc_task",
  "backup_expiry",
] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

export const AUDIENCES = ["assignee", "privacy_officers", "admins", "customer"] as const;
export type Audience = (typeof AUDIENCES)[number];

/** Who may receive each kind, in the order the settings page shows them. */
export const KIND_AUDIENCES: Record<ReminderKind, readonly Audience[]> = {
  breach_notice: ["assignee", "privacy_officers", "admins"],
  breach_overdue: ["admins", "assignee", "privacy_officers"],
  objection_window: ["customer", "privacy_officers", "admins"],
  dpa_signature: ["customer", "privacy_officers", "admins"],
  contract_notice: ["privacy_officers", "admins"],
  eoc_task: ["assignee", "privacy_officers", "admins"],
  backup_expiry: ["privacy_officers", "assignee", "admins"],
};

/** What a workspace gets without a settings row. */
export const DEFAULT_AUDIENCES: Record<ReminderKind, readonly Audience[]> = {
  breach_notice: ["assignee"],
  breach_overdue: ["admins"],
  objection_window: ["customer", "privacy_officers"],
  dpa_signature: ["customer", "privacy_officers"],
  contract_notice: ["privacy_officers"],
  eoc_task: ["assignee"],
  backup_expiry: ["privacy_officers"],
};

const kindSettingSchema = (kind: ReminderKind) =>
  z
    .object({ enabled: z.boolean(), audience: z.array(z.enum(AUDIENCES)) })
    .superRefine((value, ctx) => {
      if (value.audience.some((a) => !KIND_AUDIENCES[kind].includes(a))) {
        ctx.addIssue({ code: "custom", path: ["audience"], message: "reminders.error.audienceNotAllowed" });
      }
      if (value.enabled && value.audience.length === 0) {
        ctx.addIssue({ code: "custom", path: ["audience"], message: "reminders.error.audienceRequired" });
      }
    });

/** The settings form: one entry per kind; an enabled kind needs at least one audience. */
export const ReminderSettingsSchema = z.object(
  Object.fromEntries(REMINDER_KINDS.map((kind) => [kind, kindSettingSchema(kind)])) as Record<ReminderKind, ReturnType<typeof kindSettingSchema>>,
);
export type ReminderSettingsInput = z.infer<typeof ReminderSettingsSchema>;

