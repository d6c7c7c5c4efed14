/**
 * The clocks of one affected customer: the processor's notice to the customer (from the
 * customer's effective terms, via breach-clock.ts) and, once notified, the customer's own
 * deadline to the authority; their states; and the rule that a late notice needs a reason.
 *
 * Besides the deadline itself, an obligation stores two instants as plain columns so the
 * database can filter and sort by state without date functions: `due`, and `soonAt`, the moment
 * under 25% of the span is left (when `deadlineState` turns "due_soon").
 */
import { Temporal } from "temporal-polyfill";
import { authorityDeadline, customerNoticeDeadline, type BreachTiming } from "./breach-clock";
import { deadlineState, hoursDeadline, STATUTORY_AUTHORITY_BASIS, type DeadlineStatus, type InstantDeadline } from "./deadline";
import { MIN_LATE_REASON_LENGTH } from "./breach-enums";
import type { LocalizedText } from "./locale";
import type { BreachNoticeItem, EffectiveTerms } from "./terms";
import { parseInstant, toIsoInstant } from "./time";

/** Share of the span left under which a running clock is "due soon" (as in deadline.ts). */
const DUE_SOON_SHARE = 0.25;

export type NoticeClock = {
  deadline: InstantDeadline;
  /** what the clock counts from (discovery or should-have-known), ISO instant */
  start: string;
  /** the moment under 25% of the span is left */
  soonAt: string;
  due: string;
};

/** The moment a clock from `start` to `due` turns due soon (floored to the millisecond). */
export function dueSoonAt(start: string, due: string): string {
  const startMs = parseInstant(start, "start").epochMilliseconds;
  const dueMs = parseInstant(due, "due").epochMilliseconds;
  const span = dueMs - startMs;
  const soon = span <= 0 ? startMs : Math.floor(dueMs - span * DUE_SOON_SHARE);
  return toIsoInstant(Temporal.Instant.fromEpochMilliseconds(soon));
}

/**
 * The customer's notice clock. Without a terms version (a customer not yet on any DPA) the
 * workspace's internal target applies, labelled internal.
 */
export function noticeClock(input: { terms: EffectiveTerms | null; breach: BreachTiming; internalTargetHours: number }): NoticeClock {
  const deadline = input.terms
    ? customerNoticeDeadline({ terms: input.terms, breach: input.breach, internalTargetHours: input.internalTargetHours })
    : hoursDeadline({
        event: "breach_discovered",
        from: parseInstant(input.breach.discoveredAt, "discoveredAt"),
        hours: input.internalTargetHours,
        basis: { kind: "internal", note: "customer has no terms version; workspace internal breach notice target" },
      });
  return { deadline, start: deadline.start.at, soonAt: dueSoonAt(deadline.start.at, deadline.due), due: deadline.due };
}

/**
 * A cache key for customers whose clocks are equal: same terms version and same negotiated
 * breach fields give the same deadline for the same breach, so it is computed once per group.
 */
export function clockGroupKey(termsVersionId: string | null, breachDeviations: readonly { field: string; value: unknown }[]): string {
  const fields = [...breachDeviations].sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
  return `${termsVersionId ?? "-"}|${JSON.stringify(fields.map((d) => [d.field, d.value]))}`;
}

/** Terms fields that change a breach clock or the notice contents. */
export const BREACH_TERMS_FIELDS: ReadonlySet<string> = new Set([
  "breachNoticeHours",
  "breachClockStart",
  "thirdPartyBreachNoticeHours",
  "authorityDeadlineHours",
  "breachNoticeContents",
  "breachScope",
]);

/** The customer's deadline to the authority, from the moment it was notified. */
export function authorityClock(terms: EffectiveTerms | null, notifiedAt: string): InstantDeadline {
  if (terms) return authorityDeadline({ terms, notifiedAt });
  return hoursDeadline({ event: "customer_notified", from: parseInstant(notifiedAt, "notifiedAt"), hours: 72, basis: STATUTORY_AUTHORITY_BASIS });
}

export type ObligationState = "on_time" | "due_soon" | "overdue" | "notified_on_time" | "notified_late";

export const OBLIGATION_STATES: readonly ObligationState[] = ["overdue", "due_soon", "on_time", "notified_late", "notified_on_time"];

/** The notice clock's state at `now`: running (on time, due soon, overdue) or done (on time, late). */
export function obligationState(input: { deadline: InstantDeadline; notifiedAt: string | null; now: string }): {
  state: ObligationState;
  status: DeadlineStatus;
} {
  const status = deadlineState({
    deadline: input.deadline,
    startedAt: input.deadline.start.at,
    now: input.now,
    ...(input.notifiedAt ? { doneAt: input.notifiedAt } : {}),
  });
  const state: ObligationState = status.state === "done_on_time" ? "notified_on_time" : status.state === "done_late" ? "notified_late" : status.state;
  return { state, status };
}

/**
 * The same states from the stored columns, as the database filters them (ISO instants compare as
 * text): overdue when due < now; due soon when soonAt < now ≤ due; on time when now ≤ soonAt.
 * Kept equal to `obligationState` by tests.
 */
export function obligationStateFromColumns(
  row: { due: string; soonAt: string; notifiedAt: string | null; notifiedLate: boolean | null },
  now: string
): ObligationState {
  if (row.notifiedAt !== null) return row.notifiedLate ? "notified_late" : "notified_on_time";
  if (row.due < now) return "overdue";
  if (row.soonAt < now) return "due_soon";
  return "on_time";
}

/** A notice at `at` is late when it comes after the due instant. */
export function isLateNotice(due: string, at: string): boolean {
  return parseInstant(at, "at").epochMilliseconds > parseInstant(due, "due").epochMilliseconds;
}

/** A late notice needs a reason (Art. 33(1) asks the controller to give reasons for a delay; so do we). */
export function lateReasonProblem(input: { due: string; at: string; reason: string }): "late_reason_required" | null {
  if (!isLateNotice(input.due, input.at)) return null;
  return input.reason.trim().length >= MIN_LATE_REASON_LENGTH ? null : "late_reason_required";
}

export type AuthorityState = "on_time" | "due_soon" | "overdue" | "reported_on_time" | "reported_late" | "not_notifying";

/** The customer's authority clock at `now`, given what it reported in the portal. */
export function authorityState(input: { deadline: InstantDeadline; outcome: "notified" | "not_notifying" | null; outcomeAt: string | null; now: string }): {
  state: AuthorityState;
  status: DeadlineStatus;
} {
  if (input.outcome === "not_notifying") {
    return {
      state: "not_notifying",
      status: deadlineState({ deadline: input.deadline, startedAt: input.deadline.start.at, now: input.now, doneAt: input.outcomeAt ?? input.now }),
    };
  }
  const status = deadlineState({
    deadline: input.deadline,
    startedAt: input.deadline.start.at,
    now: input.now,
    ...(input.outcome === "notified" && input.outcomeAt ? { doneAt: input.outcomeAt } : {}),
  });
  const state: AuthorityState = status.state === "done_on_time" ? "reported_on_time" : status.state === "done_late" ? "reported_late" : status.state;
  return { state, status };
}

/** What the customer's terms say about which breaches must be notified, for the staff's judgement. */
export const BREACH_SCOPE_LABELS: Record<string, LocalizedText> = {
  all_breaches: { nl: "elk datalek", en: "every breach" },
  may_cause_harm: { nl: "inbreuken die schade of nadelige gevolgen kunnen hebben", en: "breaches that may cause harm or adverse effects" },
  actual_breaches_only: {
    nl: "alleen datalekken die zich echt voordeden, geen theoretische kwetsbaarheden",
    en: "only breaches that really happened, not theoretical vulnerabilities",
  },
  actual_high_impact_only: { nl: "alleen gebeurtenissen met grote impact die zich echt voordeden", en: "only high-impact events that really happened" },
};

/** The notice contents a customer's terms require (with the article), or the Art. 33(3) minimum without terms. */
export function requiredNoticeItems(terms: EffectiveTerms | null): {
  items: BreachNoticeItem[];
  article: string | null;
  source: "profile" | "negotiated" | "statutory";
} {
  if (!terms) return { items: ["nature", "categories_and_numbers", "contact_point", "consequences", "measures"], article: "GDPR 33(3)", source: "statutory" };
  const field = terms.breachNoticeContents;
  const source = field.source.kind === "negotiated" ? "negotiated" : "profile";
  const article = field.source.kind === "negotiated" ? field.source.clause : field.article ?? null;
  return { items: [...field.value], article, source };
}
