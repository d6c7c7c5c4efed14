/**
 * The small vocabulary of the breach record, with no dependencies, so the browser's form
 * validation can use it without loading the time library.
 */

export const BREACH_TYPES = ["confidentiality", "integrity", "availability"] as const;
export type BreachType = (typeof BREACH_TYPES)[number];

export const RISK_LEVELS = ["none", "risk", "high"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const SUBJECTS_NOTICE_DECISIONS = [
  "undecided",
  "not_required",
  "required",
  "exempt_unintelligible",
  "exempt_measures",
  "exempt_disproportionate",
] as const;
export type SubjectsNoticeDecision = (typeof SUBJECTS_NOTICE_DECISIONS)[number];

export type Classification = "breach" | "not_breach";
export type SourceKind = "own_systems" | "subprocessor";

/** A late notice's reason must say something: at least this many characters. */
export const MIN_LATE_REASON_LENGTH = 10;

const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** "2026-03-28T14:00" (what a datetime-local input sends) is a real date and time, not 2026-02-30T25:00. */
export function isLocalDateTime(value: string): boolean {
  const match = LOCAL_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
  if (year < 1900 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The filters of the per-customer table of a breach (states of the notice clock, and more). */
export const CUSTOMER_FILTERS = ["open", "overdue", "due_soon", "on_time", "notified", "notified_on_time", "notified_late", "removed", "all"] as const;
export type CustomerFilter = (typeof CUSTOMER_FILTERS)[number];

/** The reason stored when the system (not a person) removed a customer after the record changed. */
export const SYSTEM_REMOVAL = "system:no_longer_affected";
