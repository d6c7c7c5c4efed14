/**
 * The one result type of every clock, how it is built, and its state at a given moment.
 *
 * A deadline is either an instant (hour limits: elapsed time) or a calendar date in
 * Europe/Amsterdam (day/week/month windows: due at the end of that day). It always says
 * what it counts from (`start`), by how much (`amount`, `unit`, `direction`), on what
 * basis (contract article, negotiated clause, statute, internal target) and how the date
 * was adjusted (month-end clamping, Algemene termijnenwet).
 */
import { Temporal } from "temporal-polyfill";
import { DomainError } from "./errors";
import { extendToWorkingDay, type NonWorkingDay } from "./holidays";
import type { LocalizedText } from "./locale";
import type { EffectiveField } from "./terms";
import {
  addCalendarPeriod,
  addElapsedHours,
  elapsedMs,
  endOfAmsterdamDay,
  parseInstant,
  parsePlainDate,
  subtractCalendarPeriod,
  toIsoInstant,
  type CalendarPeriod,
  type CalendarUnit,
} from "./time";

export type DeadlineBasis =
  | { kind: "contractual"; article: string; source: "profile" | "negotiated"; version?: number; clause?: string; reason?: string }
  | { kind: "statutory"; article: string; label: LocalizedText }
  | { kind: "internal"; note: string }
  /** no rule behind the date (e.g. a date a user set by hand); no clock here produces it */
  | { kind: "none"; note: string };

export type DeadlineStartEvent =
  | "breach_discovered"
  | "breach_should_have_known"
  | "customer_notified"
  | "notice_sent"
  | "term_end"
  | "contract_end"
  | "data_deleted"
  | "deletion_due";

/** What the deadline counts from: an ISO instant, or a "YYYY-MM-DD" date. */
export type DeadlineStart = { event: DeadlineStartEvent; at: string };

export type DeadlineAdjustment =
  | { kind: "termijnenwet"; from: string; to: string; skipped: NonWorkingDay[] }
  | { kind: "month_end_clamped"; requestedDay: number; to: string };

type DeadlineCore = {
  basis: DeadlineBasis;
  start: DeadlineStart;
  amount: number;
  /** "after": amount after start; "before": amount before start (notice); "on": on the start date itself */
  direction: "after" | "before" | "on";
  adjustments: DeadlineAdjustment[];
};

export type InstantDeadline = DeadlineCore & { kind: "instant"; due: string; unit: "hours" };
export type DateDeadline = DeadlineCore & { kind: "date"; due: string; unit: CalendarUnit };
export type Deadline = InstantDeadline | DateDeadline;

export const STATUTORY_AUTHORITY_BASIS: DeadlineBasis = {
  kind: "statutory",
  article: "GDPR 33(1)",
  label: { nl: "art. 33 lid 1 AVG", en: "Art. 33(1) GDPR" },
};

/**
 * The basis of a clock driven by one effective terms field: the negotiated clause, the
 * profile article, or (a profile value without an article, i.e. a product default)
 * internal.
 */
export function basisOfField(field: EffectiveField<unknown>, internalNote: string): DeadlineBasis {
  const source = field.source;
  if (source.kind === "negotiated") {
    return { kind: "contractual", article: source.clause, source: "negotiated", clause: source.clause, reason: source.reason };
  }
  if (source.article) return { kind: "contractual", article: source.article, source: "profile", version: source.version };
  return { kind: "internal", note: field.note ?? internalNote };
}

export function assertPositiveHours(hours: number, field: string): void {
  if (Number.isFinite(hours) && hours > 0) return;
  throw new DomainError("invalid_hours", field, {
    nl: `Het aantal uren moet groter dan 0 zijn (nu ${hours}).`,
    en: `The number of hours must be greater than 0 (got ${hours}).`,
  });
}

export function assertValidPeriod(period: CalendarPeriod, field: string): void {
  if (Number.isInteger(period.amount) && period.amount >= 1) return;
  throw new DomainError("invalid_period", field, {
    nl: `Een termijn moet een heel aantal van minstens 1 zijn (nu ${period.amount}).`,
    en: `A period must be a whole number of at least 1 (got ${period.amount}).`,
  });
}

/** An hour limit: elapsed hours from an instant. */
export function hoursDeadline(input: {
  event: DeadlineStartEvent;
  from: Temporal.Instant;
  hours: number;
  basis: DeadlineBasis;
}): InstantDeadline {
  assertPositiveHours(input.hours, "hours");
  return {
    kind: "instant",
    due: toIsoInstant(addElapsedHours(input.from, input.hours)),
    unit: "hours",
    amount: input.hours,
    direction: "after",
    start: { event: input.event, at: toIsoInstant(input.from) },
    basis: input.basis,
    adjustments: [],
  };
}

/**
 * A calendar window counted forward from a date (the day of the event is not counted:
 * 2 weeks after Saturday 18 April ends on Saturday 2 May). With `termijnenwet`, an end on a
 * Saturday, Sunday or Dutch holiday moves to the next working day (art. 1(1) Atw).
 */
export function calendarDeadlineAfter(input: {
  event: DeadlineStartEvent;
  startAt: string;
  from: Temporal.PlainDate;
  period: CalendarPeriod;
  basis: DeadlineBasis;
  termijnenwet: boolean;
}): DateDeadline {
  assertValidPeriod(input.period, "period");
  const raw = addCalendarPeriod(input.from, input.period);
  const adjustments: DeadlineAdjustment[] = [];
  if (input.period.unit === "months" && raw.day !== input.from.day) {
    adjustments.push({ kind: "month_end_clamped", requestedDay: input.from.day, to: raw.toString() });
  }
  const due = input.termijnenwet ? termijnenwetEnd(raw, adjustments) : raw;
  return {
    kind: "date",
    due: due.toString(),
    unit: input.period.unit,
    amount: input.period.amount,
    direction: "after",
    start: { event: input.event, at: input.startAt },
    basis: input.basis,
    adjustments,
  };
}

/**
 * The last day to act when something must happen `period` before a term ends (notice).
 * `termEndsAfter` is the last day of the term; the act must fall before the same calendar
 * point `period` earlier: last day 31-12 with 1 month → 30-11; last day 30-04 → 31-03.
 * The Atw itself does not extend such backward terms (art. 1(2)); `termijnenwet` is only
 * set when a contract chooses it, and then moves a non-working last day forward.
 */
export function calendarDeadlineBefore(input: {
  event: DeadlineStartEvent;
  termLastDay: Temporal.PlainDate;
  period: CalendarPeriod;
  basis: DeadlineBasis;
  termijnenwet: boolean;
}): DateDeadline {
  assertValidPeriod(input.period, "period");
  const boundary = input.termLastDay.add({ days: 1 });
  const raw = subtractCalendarPeriod(boundary, input.period).subtract({ days: 1 });
  const adjustments: DeadlineAdjustment[] = [];
  const due = input.termijnenwet ? termijnenwetEnd(raw, adjustments) : raw;
  return {
    kind: "date",
    due: due.toString(),
    unit: input.period.unit,
    amount: input.period.amount,
    direction: "before",
    start: { event: input.event, at: input.termLastDay.toString() },
    basis: input.basis,
    adjustments,
  };
}

/** A deadline on the date of the event itself ("by the last day of the contract"). */
export function onDateDeadline(input: { event: DeadlineStartEvent; date: Temporal.PlainDate; basis: DeadlineBasis }): DateDeadline {
  return {
    kind: "date",
    due: input.date.toString(),
    unit: "days",
    amount: 0,
    direction: "on",
    start: { event: input.event, at: input.date.toString() },
    basis: input.basis,
    adjustments: [],
  };
}

function termijnenwetEnd(date: Temporal.PlainDate, adjustments: DeadlineAdjustment[]): Temporal.PlainDate {
  const extended = extendToWorkingDay(date);
  if (extended.skipped.length > 0) {
    adjustments.push({ kind: "termijnenwet", from: date.toString(), to: extended.date.toString(), skipped: extended.skipped });
  }
  return extended.date;
}

/**
 * The due moment as an instant: the instant itself, or for a date the end of that Amsterdam
 * day (= 00:00 of the next day, which already counts as late).
 */
export function deadlineDueInstant(deadline: Deadline): Temporal.Instant {
  return deadline.kind === "instant"
    ? parseInstant(deadline.due, "deadline.due")
    : endOfAmsterdamDay(parsePlainDate(deadline.due, "deadline.due"));
}

/** Whether acting at `moment` misses the deadline: after the instant, or on/after the next day's 00:00. */
function isLate(deadline: Deadline, due: Temporal.Instant, moment: Temporal.Instant): boolean {
  const comparison = Temporal.Instant.compare(moment, due);
  return deadline.kind === "instant" ? comparison > 0 : comparison >= 0;
}

export type DeadlineStateName = "on_time" | "due_soon" | "overdue" | "done_on_time" | "done_late";

export type DeadlineStatus = {
  state: DeadlineStateName;
  /** ms from now (or from doneAt, when done) to the due moment; zero or negative once it has passed */
  remainingMs: number;
  /** the due moment as an ISO instant (for date deadlines: 00:00 Amsterdam of the next day) */
  dueAt: string;
};

/** Share of the span under which a running deadline counts as due soon. */
const DUE_SOON_SHARE = 0.25;

/**
 * The state of a deadline at `now`: done on time / late when `doneAt` is given, otherwise
 * overdue, due soon (under 25% of the span from `startedAt` to due left) or on time.
 */
export function deadlineState(input: { deadline: Deadline; startedAt: string; now: string; doneAt?: string }): DeadlineStatus {
  const due = deadlineDueInstant(input.deadline);
  const startedAt = parseInstant(input.startedAt, "startedAt");
  const now = parseInstant(input.now, "now");
  const dueAt = toIsoInstant(due);
  if (input.doneAt !== undefined) {
    const doneAt = parseInstant(input.doneAt, "doneAt");
    const state = isLate(input.deadline, due, doneAt) ? "done_late" : "done_on_time";
    return { state, remainingMs: elapsedMs(doneAt, due), dueAt };
  }
  const remainingMs = elapsedMs(now, due);
  if (isLate(input.deadline, due, now)) return { state: "overdue", remainingMs, dueAt };
  const spanMs = elapsedMs(startedAt, due);
  const dueSoon = spanMs <= 0 || remainingMs < spanMs * DUE_SOON_SHARE;
  return { state: dueSoon ? "due_soon" : "on_time", remainingMs, dueAt };
}
