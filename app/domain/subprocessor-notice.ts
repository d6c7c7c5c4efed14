/**
 * Sub-processor change notices, per customer: which regime its effective terms give (Art. 28(2)
 * GDPR; SCC 2021/915 clause 7.7), what the customer may still do, and the status that follows
 * from the dates and the recorded responses. Nothing here is stored: the status is derived
 * every time from the notice, the change and `now`.
 *
 * - approval_required (specific prior authorisation, e.g. Leadcube VO 6): the customer must approve
 *   before the sub-processor is used for it; silence is never approval.
 * - window (general authorisation with an objection window, e.g. Lai Media B1 4.2): a written,
 *   reasoned objection until the end of the window's last day (Europe/Amsterdam); after that,
 *   silence counts as accepted. The planned start must fall after the window's last day.
 * - objection_without_window (e.g. Elementon 30.5.1): the customer may object; with no window in the
 *   terms, objections are taken until the planned start date; after that, silence counts as accepted.
 * - informational (general without objection right, or not regulated): the notice informs.
 */
import { Temporal } from "temporal-polyfill";
import type { DateDeadline } from "./deadline";
import { objectionWindowEnd } from "./objection-window";
import type { EffectiveTerms } from "./terms";
import { endOfAmsterdamDay, parseInstant, parsePlainDate, startOfAmsterdamDay, toIsoInstant } from "./time";

export type ChangeKind = "new" | "replacement" | "location" | "purpose" | "removal";
export const CHANGE_KINDS: readonly ChangeKind[] = ["new", "replacement", "location", "purpose", "removal"];

export type ChangeStatus = "draft" | "awaiting_approval" | "scheduled" | "in_effect" | "cancelled";

export type NoticeRegime = "approval_required" | "window" | "objection_without_window" | "informational";
export const NOTICE_REGIMES: readonly NoticeRegime[] = ["approval_required", "window", "objection_without_window", "informational"];

export type NoticeResponse = "approved" | "objected";
export type ObjectionOutcome = "withdrew" | "alternative" | "cancelled" | "terminates";
export const OBJECTION_OUTCOMES: readonly ObjectionOutcome[] = ["withdrew", "alternative", "cancelled", "terminates"];

export type RegimeForNotice = {
  regime: NoticeRegime;
  /** the article or negotiated clause the regime comes from */
  article: string | null;
  /** true when the customer has no terms version: the strictest regime is assumed */
  assumed: boolean;
  /** window regime: the last day to object and the deadline behind it */
  windowEnd: string | null;
  deadline: DateDeadline | null;
};

/**
 * The regime for one customer of a notice sent at `noticeSentAt`, from its effective terms (profile
 * version with negotiated deviations). Without terms the strictest regime is assumed: the customer
 * must approve first.
 */
export function regimeForNotice(input: { terms: EffectiveTerms | null; noticeSentAt: string }): RegimeForNotice {
  if (input.terms === null) {
    parseInstant(input.noticeSentAt, "noticeSentAt");
    return { regime: "approval_required", article: null, assumed: true, windowEnd: null, deadline: null };
  }
  const result = objectionWindowEnd({ terms: input.terms, noticeSentAt: input.noticeSentAt });
  switch (result.kind) {
    case "window": {
      const basis = result.deadline.basis;
      const article = basis.kind === "contractual" ? (basis.clause ?? basis.article) : null;
      return { regime: "window", article, assumed: false, windowEnd: result.deadline.due, deadline: result.deadline };
    }
    case "approval_required":
      return { regime: "approval_required", article: result.article ?? null, assumed: false, windowEnd: null, deadline: null };
    case "objection_without_window":
      return { regime: "objection_without_window", article: result.article ?? null, assumed: false, windowEnd: null, deadline: null };
    case "informational":
      return { regime: "informational", article: result.article ?? null, assumed: false, windowEnd: null, deadline: null };
  }
}

/** What the derivations need of one notice and its change. */
export type NoticeFacts = {
  regime: NoticeRegime;
  /** last day of the objection window, for the window regime */
  windowEnd: string | null;
  plannedStart: string;
  changeStatus: ChangeStatus;
  response: NoticeResponse | null;
  resolution: ObjectionOutcome | null;
};

export type NoticeState =
  /** approval regime, no answer yet: the sub-processor is not used for this customer */
  | "awaiting_approval"
  | "approved"
  /** objection (or refusal) recorded, waiting for the processor's resolution */
  | "objected"
  | "window_open"
  /** window regime, window closed without objection */
  | "accepted_by_silence"
  /** objection without window, before the planned start */
  | "objection_open"
  /** objection without window, the start came without objection */
  | "no_objection"
  | "informed"
  /** outcomes of an objection */
  | "withdrawn"
  | "excluded"
  | "terminating"
  | "cancelled";

/**
 * The instant from which an objection is late: the end of the window's last day, or (no window in
 * the terms) the start of the planned start date. Null when objecting is not a right under the
 * regime (informational) or open-ended until resolved (approval).
 */
export function objectionClosesAt(facts: Pick<NoticeFacts, "regime" | "windowEnd" | "plannedStart">): string | null {
  switch (facts.regime) {
    case "window":
      if (!facts.windowEnd) return null;
      return toIsoInstant(endOfAmsterdamDay(parsePlainDate(facts.windowEnd, "windowEnd")));
    case "objection_without_window":
      return toIsoInstant(startOfAmsterdamDay(parsePlainDate(facts.plannedStart, "plannedStart")));
    case "approval_required":
    case "informational":
      return null;
  }
}

function isBefore(now: string, instant: string | null): boolean {
  if (instant === null) return false;
  return Temporal.Instant.compare(parseInstant(now, "now"), parseInstant(instant, "closesAt")) < 0;
}

/** The customer's status for a sent notice at `now`, derived from regime, dates, response and resolution. */
export function noticeState(facts: NoticeFacts, now: string): NoticeState {
  if (facts.changeStatus === "cancelled" || facts.resolution === "cancelled") return "cancelled";
  if (facts.resolution === "withdrew") return "withdrawn";
  if (facts.resolution === "alternative") return "excluded";
  if (facts.resolution === "terminates") return "terminating";
  if (facts.response === "objected") return "objected";
  if (facts.response === "approved") return "approved";
  switch (facts.regime) {
    case "approval_required":
      return "awaiting_approval";
    case "informational":
      return "informed";
    case "window":
      return isBefore(now, objectionClosesAt(facts)) ? "window_open" : "accepted_by_silence";
    case "objection_without_window":
      return isBefore(now, objectionClosesAt(facts)) ? "objection_open" : "no_objection";
  }
}

/** States in which the customer still has to (or may) act. */
export const OPEN_STATES: ReadonlySet<NoticeState> = new Set(["awaiting_approval", "window_open", "objection_open"]);

export type ResponseRefusal =
  | "change_closed"
  | "already_responded"
  | "no_response_right"
  | "window_closed"
  | "reasons_required";

export const MIN_REASON_LENGTH = 10;

/**
 * Whether the customer may respond now. Objections need written reasons; approval is the answer the
 * approval regime waits for, and under the other objection regimes an explicit "no objection" while
 * the window is open. Informational notices take no response.
 */
export function checkResponse(
  facts: NoticeFacts,
  response: { kind: NoticeResponse; reasons: string },
  now: string,
): { ok: true } | { ok: false; refusal: ResponseRefusal } {
  if (facts.changeStatus === "cancelled" || facts.changeStatus === "draft" || facts.resolution !== null) return { ok: false, refusal: "change_closed" };
  if (facts.response !== null) return { ok: false, refusal: "already_responded" };
  if (facts.regime === "informational") return { ok: false, refusal: "no_response_right" };
  if (facts.regime !== "approval_required" && !isBefore(now, objectionClosesAt(facts))) return { ok: false, refusal: "window_closed" };
  if (response.kind === "objected" && response.reasons.trim().length < MIN_REASON_LENGTH) return { ok: false, refusal: "reasons_required" };
  return { ok: true };
}

/** Whether the sub-processor a notice introduces may not (yet) be used for this customer. */
export function approvalBlocksUse(facts: Pick<NoticeFacts, "regime" | "response" | "resolution" | "changeStatus">): boolean {
  if (facts.regime !== "approval_required" || facts.changeStatus === "cancelled" || facts.changeStatus === "draft") return false;
  return facts.response !== "approved" && facts.resolution !== "withdrew";
}

export type StartConflict =
  | { kind: "window_not_closed"; customerId: string; customerName: string; windowEnd: string }
  | { kind: "approval_missing"; customerId: string; customerName: string }
  | { kind: "objection_open"; customerId: string; customerName: string; respondedAt: string | null };

export type ConflictNotice = {
  customerId: string;
  customerName: string;
  regime: NoticeRegime;
  windowEnd: string | null;
  response: NoticeResponse | null;
  resolution: ObjectionOutcome | null;
  respondedAt: string | null;
};

/**
 * The customers whose terms stand in the way of a planned start:
 * - a window whose last day is on or after the start (the start may not fall on or before it),
 *   unless the customer already said it does not object;
 * - when accepting the start ("accept"): a required approval that has not come, and any objection
 *   still waiting for a resolution.
 * At sending ("send") nobody can have answered yet, so only windows count then.
 */
export function startConflicts(input: { plannedStart: string; notices: readonly ConflictNotice[]; phase: "send" | "accept" }): StartConflict[] {
  parsePlainDate(input.plannedStart, "plannedStart");
  const conflicts: StartConflict[] = [];
  for (const n of input.notices) {
    if (n.resolution !== null) continue;
    if (input.phase === "accept" && n.response === "objected") {
      conflicts.push({ kind: "objection_open", customerId: n.customerId, customerName: n.customerName, respondedAt: n.respondedAt });
      continue;
    }
    if (n.regime === "window" && n.windowEnd && n.windowEnd >= input.plannedStart && n.response !== "approved") {
      conflicts.push({ kind: "window_not_closed", customerId: n.customerId, customerName: n.customerName, windowEnd: n.windowEnd });
      continue;
    }
    if (input.phase === "accept" && n.regime === "approval_required" && n.response !== "approved") {
      conflicts.push({ kind: "approval_missing", customerId: n.customerId, customerName: n.customerName });
    }
  }
  return conflicts;
}

/** The first day a start may fall on given the windows: the day after the latest window end. */
export function earliestStart(windowEnds: readonly (string | null)[], today: string): string {
  let earliest = parsePlainDate(today, "today");
  for (const end of windowEnds) {
    if (!end) continue;
    const after = parsePlainDate(end, "windowEnd").add({ days: 1 });
    if (Temporal.PlainDate.compare(after, earliest) > 0) earliest = after;
  }
  return earliest.toString();
}

/** Whole days from `now` until `instant` (rounded down), or 0 once it has passed. */
export function daysLeft(now: string, instant: string): number {
  const ms = parseInstant(instant, "instant").epochMilliseconds - parseInstant(now, "now").epochMilliseconds;
  return ms <= 0 ? 0 : Math.floor(ms / 86_400_000);
}

/** Milliseconds from `now` until `instant`; negative once it has passed. */
export function msLeft(now: string, instant: string): number {
  return parseInstant(instant, "instant").epochMilliseconds - parseInstant(now, "now").epochMilliseconds;
}

export type RegisterEntryFields = {
  status: "proposed" | "active" | "retired";
  startDate: string | null;
  endDate: string | null;
  locations: string[];
  transferSafeguard: "adequacy" | "scc" | "bcr" | null;
  purposeNl: string;
  purposeEn: string;
};

export type ChangeToApply = {
  kind: ChangeKind;
  plannedStart: string;
  newLocations: string[] | null;
  newTransferSafeguard: "adequacy" | "scc" | "bcr" | null;
  newPurposeNl: string | null;
  newPurposeEn: string | null;
};

/**
 * What a change does to the register once its start date has come: the subject's new fields, and
 * for a replacement the replaced entry's. A removal (and the replaced entry) stops the day before the
 * start: the end date is the last day of use.
 */
export function applyChange(
  change: ChangeToApply,
  subject: RegisterEntryFields,
  replaced: RegisterEntryFields | null,
): { subject: Partial<RegisterEntryFields>; replaced: Partial<RegisterEntryFields> | null } {
  const lastDay = parsePlainDate(change.plannedStart, "plannedStart").subtract({ days: 1 }).toString();
  const retire = (entry: RegisterEntryFields): Partial<RegisterEntryFields> =>
    entry.status === "retired" ? {} : { status: "retired", endDate: lastDay };
  switch (change.kind) {
    case "new":
      return { subject: { status: "active", startDate: change.plannedStart, endDate: null }, replaced: null };
    case "replacement":
      return { subject: { status: "active", startDate: change.plannedStart, endDate: null }, replaced: replaced ? retire(replaced) : null };
    case "location":
      return { subject: { locations: change.newLocations ?? subject.locations, transferSafeguard: change.newTransferSafeguard }, replaced: null };
    case "purpose":
      return {
        subject: { purposeNl: change.newPurposeNl ?? subject.purposeNl, purposeEn: change.newPurposeEn ?? subject.purposeEn },
        replaced: null,
      };
    case "removal":
      return { subject: retire(subject), replaced: null };
  }
}

/** The change's status once sent: some customer must approve first, or the start is set. */
export function statusAfterSending(regimes: readonly NoticeRegime[]): "awaiting_approval" | "scheduled" {
  return regimes.includes("approval_required") ? "awaiting_approval" : "scheduled";
}
