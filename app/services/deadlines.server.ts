/**
 * The deadline collector: every open deadline of a workspace as one list, nearest first, each with
 * its basis, the page that shows it, who is responsible and whether the customer sees it too.
 * The calendar feeds, the calendar pages and the dashboard's "due next" all read this one list, so
 * what a feed contains is exactly what the screens show (ADR 009).
 *
 * Sources: breach notice deadlines per affected customer; the customer's authority clock after a
 * notice; sub-processor objection windows still unanswered; DPAs sent and not signed (internal
 * follow-up day); contract last notice days and ends (from the contract clock, within a horizon);
 * the end-of-contract customer choice and the open end-of-contract tasks with a due date (backup
 * expiry among them).
 *
 * Responsibility (staff): the assignee when there is one and it is still a member of the workspace,
 * else every admin and privacy officer. Auditors are responsible for nothing (they read the
 * workspace; they get no feed). Portal users: their own customer's objection windows, authority
 * clocks and end-of-contract choice.
 */
import { and, asc, count, eq, inArray, isNull, like, notInArray, or, type SQL } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Temporal } from "temporal-polyfill";
import { customers, termDeviations } from "../../db/schema";
import { obligationStateFromColumns } from "~/domain/breach-obligations";
import { currentTermEnd, type ContractTerm } from "~/domain/contract-clock";
import type { Deadline } from "~/domain/deadline";
import { describeBasis, explainDeadline } from "~/domain/explain-deadline";
import type { IcalDue } from "~/domain/ical";
import type { LocalizedText } from "~/domain/locale";
import { can, type Actor } from "~/domain/permissions";
import { effectiveTerms, noticeMonthsFor, type EffectiveTerms, type StoredDeviation } from "~/domain/terms";
import { amsterdamDateOf, endOfAmsterdamDay, formatDisplayDate, formatDisplayInstant, parseInstant, parsePlainDate } from "~/domain/time";
import { getDb } from "~/db.server";
import {
  activeContract,
  contractColumns,
  openAuthorityClocks,
  openObjectionWindows,
  openTasksByDue,
  pendingBreachNotices,
  unsignedDpasBySent,
  workspaceStaff,
} from "./deadline-sources.server";
import { groupDeviations, termsVersionsOf } from "./terms-store.server";
import { translator, type MessageKey } from "~/i18n/i18n";
import { forbidden, notFound } from "./http.server";

export type DeadlineSource =
  | "breach_notice"
  | "authority"
  | "objection_window"
  | "dpa_signature"
  | "contract_notice"
  | "contract_end"
  | "eoc_choice"
  | "eoc_task";

export const DEADLINE_SOURCES: readonly DeadlineSource[] = [
  "breach_notice",
  "authority",
  "objection_window",
  "dpa_signature",
  "contract_notice",
  "contract_end",
  "eoc_choice",
  "eoc_task",
];

export type DeadlineState = "on_time" | "due_soon" | "overdue";

export type Responsible = { kind: "assignee"; userId: string } | { kind: "officers" };

export type CollectedDeadline = {
  /** stable identity, also the iCalendar UID: "<source>-<id>@dpadesk" */
  uid: string;
  source: DeadlineSource;
  /** the row the deadline belongs to (breach_customers, subprocessor_notices, dpas, customers, end_of_contract_tasks) */
  id: string;
  title: LocalizedText;
  customer: { id: string; name: string };
  /** an instant for hour clocks, a date (Europe/Amsterdam, due by the end of that day) for calendar windows */
  due: IcalDue;
  /** the moment it is overdue (the instant; for a date 00:00 Amsterdam of the next day): the sort key */
  dueAt: string;
  dueDisplay: string;
  /** how the deadline was computed, with its basis (article, negotiated clause, statute, internal) */
  basis: LocalizedText;
  /** the record it belongs to: the breach, the sub-processor change, the DPA, the customer or the end-of-contract case */
  parent: { kind: "breach" | "change" | "dpa" | "customer" | "case"; id: string };
  /** the staff page that shows it */
  link: string;
  /** the portal page that shows it, for deadlines the customer sees */
  portalLink: string | null;
  responsible: Responsible;
  state: DeadlineState;
};

/** Contract clocks are looked at this far ahead (their notice days recur every term). */
export const CONTRACT_HORIZON_DAYS = 400;
/** Every other source: deadlines further away than this are left out. */
export const DEFAULT_HORIZON_DAYS = 400;
/** Customer-side clocks that passed (the authority clock) stay visible this long, until an outcome is recorded. */
export const PAST_CUSTOMER_CLOCK_DAYS = 30;
/** A DPA sent and not signed is followed up this many days after sending (internal, not contractual). */
export const DPA_SIGNATURE_FOLLOW_UP_DAYS = 14;
/** A date deadline counts as due soon this many days ahead; an hour clock under 25% of its span. */
export const DATE_DUE_SOON_DAYS = 7;
/** The most deadlines one list (a feed, the calendar page) holds. */
export const MAX_DEADLINES = 500;
/** Customers with negotiated contract terms whose clocks are computed one by one, at most. */
const MAX_INDIVIDUAL_CONTRACTS = 5000;

export type DeadlineScope =
  /** the whole workspace (dashboard), whoever is responsible */
  | { kind: "workspace"; workspaceId: string }
  /** what one staff member is responsible for */
  | { kind: "staff"; workspaceId: string; userId: string; officer: boolean }
  /** one customer's own deadlines, as its portal users see them */
  | { kind: "portal"; workspaceId: string; customerId: string };

export type CollectOptions = { limit?: number; horizonDays?: number; sources?: readonly DeadlineSource[] };

const nl = translator("nl");
const en = translator("en");

function localized(key: MessageKey, vars?: Record<string, string | number>): LocalizedText {
  return { nl: nl(key, vars), en: en(key, vars) };
}

function isDeadline(value: unknown): value is Deadline {
  if (!value || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return (v.kind === "instant" || v.kind === "date") && typeof v.due === "string" && typeof v.basis === "object" && typeof v.start === "object";
}

function parseJson(text: string | null | undefined): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The explanation of a stored deadline JSON, or `fallback` when it is missing or unreadable. */
function explainStored(text: string | null | undefined, fallback: LocalizedText): LocalizedText {
  const value = parseJson(text);
  if (isDeadline(value)) {
    try {
      return { nl: explainDeadline(value, "nl"), en: explainDeadline(value, "en") };
    } catch {
      return fallback;
    }
  }
  if (value && typeof value === "object") {
    const v = value as Record<string, unknown>;
    const reason = (v.reason ?? v.explanation) as Record<string, unknown> | undefined;
    if (reason && typeof reason.nl === "string" && typeof reason.en === "string") return { nl: reason.nl, en: reason.en };
    if (typeof v.nl === "string" && typeof v.en === "string") return { nl: v.nl, en: v.en };
  }
  return fallback;
}

function storedStart(text: string | null | undefined): string | null {
  const value = parseJson(text);
  if (!isDeadline(value)) return null;
  return value.start.at.length > 10 ? value.start.at : null;
}

type Clock = { nowMs: number; today: Temporal.PlainDate; now: string };

function clockAt(now: string): Clock {
  const instant = parseInstant(now, "now");
  return { nowMs: instant.epochMilliseconds, today: amsterdamDateOf(instant), now };
}

function dateDue(date: string): { due: IcalDue; dueAt: string; dueDisplay: string } {
  const plain = parsePlainDate(date, "date");
  return { due: { kind: "date", date }, dueAt: endOfAmsterdamDay(plain).toString({ smallestUnit: "millisecond" }), dueDisplay: formatDisplayDate(plain) };
}

function instantDue(at: string): { due: IcalDue; dueAt: string; dueDisplay: string } {
  const instant = parseInstant(at, "at");
  const iso = instant.toString({ smallestUnit: "millisecond" });
  return { due: { kind: "instant", at: iso }, dueAt: iso, dueDisplay: formatDisplayInstant(instant) };
}

/** Overdue once the due moment passed; due soon under 25% of the span (hour clocks with a known start) or within 7 days (dates). */
function stateOf(dueAt: string, clock: Clock, startedAt: string | null): DeadlineState {
  const dueMs = Date.parse(dueAt);
  const remaining = dueMs - clock.nowMs;
  if (remaining <= 0) return "overdue";
  if (startedAt) {
    const span = dueMs - Date.parse(startedAt);
    return span <= 0 || remaining < span * 0.25 ? "due_soon" : "on_time";
  }
  return remaining <= DATE_DUE_SOON_DAYS * 24 * 3600 * 1000 ? "due_soon" : "on_time";
}

function addDays(date: Temporal.PlainDate, days: number): string {
  return date.add({ days }).toString();
}

// ---------------------------------------------------------------------------------------
// Who is responsible

type Access = {
  /** SQL condition on an assignee column for the staff scope; undefined = no condition */
  assigned: (column: AnySQLiteColumn) => SQL | undefined;
  /** whether deadlines without an assignee column (officers' work) are included */
  officers: boolean;
  staff: boolean;
  customerId: string | null;
};

/** Workspace members an assignment can point to (not disabled). */
function memberIds(workspaceId: string): string[] {
  return workspaceStaff(getDb(), workspaceId, "all").map((row) => row.userId);
}

function accessOf(scope: DeadlineScope): Access {
  if (scope.kind === "workspace") return { assigned: () => undefined, officers: true, staff: true, customerId: null };
  if (scope.kind === "portal") return { assigned: () => undefined, officers: false, staff: false, customerId: scope.customerId };
  const members = memberIds(scope.workspaceId);
  return {
    assigned: (column) => {
      const mine = eq(column, scope.userId);
      if (!scope.officer) return mine;
      // unassigned, or assigned to someone no longer in the workspace: the officers' work
      const unowned = members.length > 0 ? or(isNull(column), notInArray(column, members)) : isNull(column);
      return or(mine, unowned);
    },
    officers: scope.officer,
    staff: true,
    customerId: null,
  };
}

function responsibleOf(assignee: string | null, members: Set<string> | null): Responsible {
  return assignee && (members === null || members.has(assignee)) ? { kind: "assignee", userId: assignee } : { kind: "officers" };
}

// ---------------------------------------------------------------------------------------
// Sources

type Window = { clock: Clock; horizonInstant: string; horizonDate: string; limit: number; members: Set<string> | null };

type DueFields = ReturnType<typeof dateDue>;

/** One collected deadline; its uid is "<source>-<id>@dpadesk". */
function entry(
  source: DeadlineSource,
  row: { id: string; customerId: string; customerName: string },
  due: DueFields,
  fields: Pick<CollectedDeadline, "title" | "basis" | "parent" | "link" | "portalLink" | "responsible" | "state">,
): CollectedDeadline {
  return {
    uid: `${source}-${row.id}@dpadesk`,
    source,
    id: row.id,
    title: fields.title,
    customer: { id: row.customerId, name: row.customerName },
    ...due,
    basis: fields.basis,
    parent: fields.parent,
    link: fields.link,
    portalLink: fields.portalLink,
    responsible: fields.responsible,
    state: fields.state,
  };
}

/** The explanation of a stored deadline JSON, or "no basis recorded". */
function storedBasis(text: string | null | undefined): LocalizedText {
  return explainStored(text, localized("notifications.deadline.noBasis"));
}

function breachNoticeDeadlines(scope: DeadlineScope, access: Access, w: Window): CollectedDeadline[] {
  if (!access.staff) return [];
  const rows = pendingBreachNotices(getDb(), scope.workspaceId, { dueBy: w.horizonInstant, assigned: access.assigned, limit: w.limit });
  return rows.map((row) => {
    const state = obligationStateFromColumns({ due: row.due, soonAt: row.soonAt, notifiedAt: null, notifiedLate: null }, w.clock.now);
    return entry("breach_notice", row, instantDue(row.due), {
      title: localized("notifications.deadline.breachNotice", { reference: row.reference, customer: row.customerName }),
      basis: storedBasis(row.deadline),
      parent: { kind: "breach", id: row.breachId },
      link: `/breaches/${row.breachId}/customers/${row.customerId}`,
      portalLink: null,
      responsible: responsibleOf(row.assigneeUserId, w.members),
      state: state === "overdue" || state === "due_soon" ? state : "on_time",
    });
  });
}

function authorityDeadlines(scope: DeadlineScope, access: Access, w: Window): CollectedDeadline[] {
  const rows = openAuthorityClocks(getDb(), scope.workspaceId, {
    customerId: access.customerId,
    from: new Date(w.clock.nowMs - PAST_CUSTOMER_CLOCK_DAYS * 24 * 3600 * 1000).toISOString(),
    to: w.horizonInstant,
    assigned: access.staff ? access.assigned : null,
    limit: w.limit,
  });
  return rows.map((row) => {
    const due = instantDue(row.due!);
    return entry("authority", row, due, {
      title: access.staff
        ? localized("notifications.deadline.authority", { reference: row.reference, customer: row.customerName })
        : localized("notifications.deadline.authorityPortal", { reference: row.reference }),
      basis: storedBasis(row.deadline),
      parent: { kind: "breach", id: row.breachId },
      link: `/breaches/${row.breachId}/customers/${row.customerId}`,
      portalLink: `/portal/breaches/${row.breachId}`,
      responsible: responsibleOf(row.assigneeUserId, w.members),
      state: stateOf(due.dueAt, w.clock, storedStart(row.deadline) ?? row.notifiedAt),
    });
  });
}

function objectionWindows(scope: DeadlineScope, access: Access, w: Window): CollectedDeadline[] {
  if (access.staff && !access.officers) return [];
  const rows = openObjectionWindows(getDb(), scope.workspaceId, { customerId: access.customerId, from: w.clock.today.toString(), to: w.horizonDate, limit: w.limit });
  return rows.map((row) => {
    const due = dateDue(row.windowEnd!);
    const name = row.tradeName ? `${row.tradeName} (${row.subprocessor})` : row.subprocessor;
    return entry("objection_window", row, due, {
      title: access.staff
        ? localized("notifications.deadline.objection", { subprocessor: name, customer: row.customerName })
        : localized("notifications.deadline.objectionPortal", { subprocessor: name }),
      basis: storedBasis(row.windowDeadline),
      parent: { kind: "change", id: row.changeId },
      link: `/subprocessors/changes/${row.changeId}`,
      portalLink: "/portal/subprocessors",
      responsible: { kind: "officers" },
      state: stateOf(due.dueAt, w.clock, null),
    });
  });
}

function signatureFollowUps(scope: DeadlineScope, access: Access, w: Window): CollectedDeadline[] {
  if (!access.staff || !access.officers) return [];
  const out: CollectedDeadline[] = [];
  for (const row of unsignedDpasBySent(getDb(), scope.workspaceId, w.limit)) {
    const sent = amsterdamDateOf(parseInstant(row.sentAt!, "sentAt"));
    const date = addDays(sent, DPA_SIGNATURE_FOLLOW_UP_DAYS);
    if (date > w.horizonDate) continue;
    const due = dateDue(date);
    out.push(
      entry("dpa_signature", row, due, {
        title: localized("notifications.deadline.signature", { customer: row.customerName }),
        basis: localized("notifications.deadline.signatureBasis", {
          days: DPA_SIGNATURE_FOLLOW_UP_DAYS,
          sent: formatDisplayDate(sent),
          label: row.versionLabel,
        }),
        parent: { kind: "dpa", id: row.id },
        link: `/dpas/${row.id}`,
        portalLink: null,
        responsible: { kind: "officers" },
        state: stateOf(due.dueAt, w.clock, null),
      }),
    );
  }
  return out;
}

const TASK_KEYS: Record<string, MessageKey> = {
  customer_choice: "notifications.deadline.task.customer_choice",
  return_export: "notifications.deadline.task.return_export",
  production_deletion: "notifications.deadline.task.production_deletion",
  subprocessor_deletion: "notifications.deadline.task.subprocessor_deletion",
  backup_expiry: "notifications.deadline.task.backup_expiry",
  certificate: "notifications.deadline.task.certificate",
};

function endOfContractDeadlines(scope: DeadlineScope, access: Access, w: Window, which: "choice" | "tasks"): CollectedDeadline[] {
  if (which === "tasks" && !access.staff) return [];
  const rows = openTasksByDue(getDb(), scope.workspaceId, {
    which,
    dueBy: w.horizonDate,
    customerId: access.customerId,
    assigned: access.staff ? access.assigned : null,
    limit: w.limit,
  });
  return rows.map((row) => {
    const task = localized(TASK_KEYS[row.kind] ?? "notifications.deadline.task.other", { subprocessor: row.subprocessor ?? "" });
    const title =
      which === "choice"
        ? access.staff
          ? localized("notifications.deadline.choice", { customer: row.customerName, reference: row.reference })
          : localized("notifications.deadline.choicePortal")
        : {
            nl: nl("notifications.deadline.task", { task: task.nl, customer: row.customerName, reference: row.reference }),
            en: en("notifications.deadline.task", { task: task.en, customer: row.customerName, reference: row.reference }),
          };
    const due = dateDue(row.dueDate!);
    return entry(which === "choice" ? "eoc_choice" : "eoc_task", row, due, {
      title,
      basis: storedBasis(row.basis),
      parent: { kind: "case", id: row.caseId },
      link: `/contracts/${row.caseId}`,
      portalLink: which === "choice" ? "/portal/contract" : null,
      responsible: responsibleOf(row.assigneeUserId, w.members),
      state: stateOf(due.dueAt, w.clock, null),
    });
  });
}

// ---------------------------------------------------------------------------------------
// Contract clocks: computed once per group of customers with equal terms, start and term

/** One contract date; its explanation is written only for the dates that make it into the list. */
type ContractEvent = { source: "contract_notice" | "contract_end"; date: string; basis: () => LocalizedText; renewsOn: string | null };

/**
 * The contract clock of one (terms version, start, term) on one day does not change (terms versions
 * are immutable), so its events are kept per process for the day: a feed or dashboard after the
 * first computes only what changed. Bounded; the oldest entries go first. Customers with negotiated
 * contract terms are computed afresh each time.
 */
const contractEventCache = new Map<string, ContractEvent[]>();
const CONTRACT_CACHE_MAX = 50_000;

function cachedContractEvents(key: string, compute: () => ContractEvent[]): ContractEvent[] {
  const hit = contractEventCache.get(key);
  if (hit) return hit;
  const events = compute();
  if (contractEventCache.size >= CONTRACT_CACHE_MAX) {
    let drop = Math.ceil(CONTRACT_CACHE_MAX / 10);
    for (const old of contractEventCache.keys()) {
      contractEventCache.delete(old);
      if (--drop <= 0) break;
    }
  }
  contractEventCache.set(key, events);
  return events;
}

/** "YYYY-MM-DD" plus whole months, the day clamped to the month's end (as Temporal's "constrain"). */
function addMonthsIso(date: string, months: number): string {
  const [y, m, d] = date.split("-").map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, "0")}-${String(month + 1).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

function addDaysIso(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * A cheap lower bound (plain month arithmetic, no time zones) for the first day on or after `today`
 * on which this contract can have a last notice day or an end: term boundaries fall on start + term +
 * k × renewal months, a notice day lies at most the notice period (+ a month and 10 days of slack for
 * month-end clamping and the Termijnenwet) before a boundary, an end the day before it. Null when no
 * such day can fall in [today, horizon]. The exact dates come from the contract clock.
 */
export function earliestContractDate(terms: EffectiveTerms, start: string, termMonths: number, today: string, horizonDate: string): string | null {
  const contract = terms.mainContract;
  const renewal = contract.renewalMonths.value ?? termMonths;
  if (!Number.isInteger(termMonths) || termMonths < 1 || !Number.isInteger(renewal) || renewal < 1) return today;
  const rule = contract.notice.value;
  const noticeMonths = rule === null ? 0 : Math.max(noticeMonthsFor(rule, termMonths), noticeMonthsFor(rule, renewal));
  const tacit = contract.tacitRenewal.value;
  const [sy, sm] = start.split("-").map(Number);
  const [ty, tm] = today.split("-").map(Number);
  const monthsSinceStart = (ty - sy) * 12 + (tm - sm);
  const firstK = tacit ? Math.max(0, Math.floor((monthsSinceStart - termMonths - noticeMonths - 2) / renewal)) : 0;
  for (let k = firstK; k < firstK + 10_000; k++) {
    if (k > 0 && !tacit) break;
    const boundary = addMonthsIso(start, termMonths + k * renewal);
    const windowStart = addDaysIso(addMonthsIso(boundary, -(noticeMonths + 1)), -10);
    if (windowStart > horizonDate) break;
    if (addDaysIso(boundary, 10) < today) continue;
    return windowStart < today ? today : windowStart;
  }
  return null;
}

/** The contract's next last notice day and (without tacit renewal) its end, from today up to `horizonDate`. */
function contractEvents(terms: EffectiveTerms, contractStart: string, contractTermMonths: number, clock: Clock, horizonDate: string): ContractEvent[] {
  const today = clock.today.toString();
  try {
    const status = currentTermEnd({ terms, contractStart, contractTermMonths, today });
    if (status.kind === "ended") return [];
    const events: ContractEvent[] = [];
    let term: ContractTerm = status;
    if (term.lastNoticeDay && term.lastNoticeDay.due < today && term.renewsOn) {
      // this term's notice day has passed: the next one is the next term's
      const next = currentTermEnd({ terms, contractStart, contractTermMonths, today: term.renewsOn });
      if (next.kind === "running") term = next;
    }
    const noticeDay = term.lastNoticeDay;
    if (noticeDay && noticeDay.due >= today && noticeDay.due <= horizonDate) {
      events.push({
        source: "contract_notice",
        date: noticeDay.due,
        basis: () => ({ nl: explainDeadline(noticeDay, "nl"), en: explainDeadline(noticeDay, "en") }),
        renewsOn: term.renewsOn,
      });
    }
    if (status.renewsOn === null && status.termLastDay >= today && status.termLastDay <= horizonDate) {
      const article = terms.mainContract.tacitRenewal.source;
      const ref = article.kind === "profile" && article.article ? article.article : null;
      events.push({
        source: "contract_end",
        date: status.termLastDay,
        basis: () => ({
          nl: nl("notifications.deadline.contractEndBasis", {
            start: formatDisplayDate(parsePlainDate(status.termStart, "termStart")),
            basis: ref ? describeBasis({ kind: "contractual", article: ref, source: "profile" }, "nl") : nl("notifications.deadline.noRenewalRule"),
          }),
          en: en("notifications.deadline.contractEndBasis", {
            start: formatDisplayDate(parsePlainDate(status.termStart, "termStart")),
            basis: ref ? describeBasis({ kind: "contractual", article: ref, source: "profile" }, "en") : en("notifications.deadline.noRenewalRule"),
          }),
        }),
        renewsOn: null,
      });
    }
    return events;
  } catch {
    // a contract whose terms leave the term open (or are inconsistent) has no clock; its page says why
    return [];
  }
}

function contractDeadlines(scope: DeadlineScope, access: Access, w: Window): CollectedDeadline[] {
  if (!access.staff || !access.officers) return [];
  const db = getDb();
  const versions = termsVersionsOf(db, scope.workspaceId);
  const termsCache = new Map<string, EffectiveTerms | null>();
  const termsOf = (versionId: string | null, deviations: StoredDeviation[], cacheKey: string | null): EffectiveTerms | null => {
    if (cacheKey !== null && termsCache.has(cacheKey)) return termsCache.get(cacheKey)!;
    const version = versionId ? versions.get(versionId) : undefined;
    let terms: EffectiveTerms | null = null;
    if (version?.profile) {
      try {
        terms = effectiveTerms(version.profile, version.version, deviations);
      } catch {
        terms = null;
      }
    }
    if (cacheKey !== null) termsCache.set(cacheKey, terms);
    return terms;
  };

  // customers with negotiated contract terms: one by one
  const deviationRows = db
    .select()
    .from(termDeviations)
    .where(and(eq(termDeviations.workspaceId, scope.workspaceId), like(termDeviations.field, "mainContract.%")))
    .limit(MAX_INDIVIDUAL_CONTRACTS * 5)
    .all();
  const deviations = groupDeviations(deviationRows);
  const individualIds = [...deviations.keys()].slice(0, MAX_INDIVIDUAL_CONTRACTS);

  type Unit = ContractEvent & { count: number; group: { termsVersionId: string; contractStart: string; contractTermMonths: number } | null; customer: { id: string; name: string } | null };
  const units: Unit[] = [];

  const groups = db
    .select({
      termsVersionId: customers.termsVersionId,
      contractStart: customers.contractStart,
      contractTermMonths: customers.contractTermMonths,
      n: count(),
    })
    .from(customers)
    .where(and(activeContract(scope.workspaceId), individualIds.length > 0 ? notInArray(customers.id, individualIds) : undefined))
    .groupBy(customers.termsVersionId, customers.contractStart, customers.contractTermMonths)
    .all();
  const today = w.clock.today.toString();
  const maxHorizon = addDays(w.clock.today, CONTRACT_HORIZON_DAYS);
  // cheap lower bounds first: the exact clock is computed only for groups that can still make the list
  const bounded: { group: (typeof groups)[number]; terms: EffectiveTerms; bound: string }[] = [];
  for (const group of groups) {
    const terms = termsOf(group.termsVersionId, [], group.termsVersionId);
    if (!terms) continue;
    const bound = earliestContractDate(terms, group.contractStart, group.contractTermMonths, today, w.horizonDate);
    if (bound !== null) bounded.push({ group, terms, bound });
  }
  bounded.sort((a, b) => (a.bound < b.bound ? -1 : a.bound > b.bound ? 1 : 0));
  for (const [index, { group, terms, bound }] of bounded.entries()) {
    if (index % 25 === 0 && index > 0) {
      // every later group's dates are on or after `bound`: stop once the list is full before it
      let before = 0;
      for (const unit of units) if (unit.date < bound) before += unit.count;
      if (before >= w.limit) break;
    }
    const key = `${group.termsVersionId}|${group.contractStart}|${group.contractTermMonths}|${today}|${maxHorizon}`;
    const events = cachedContractEvents(key, () => contractEvents(terms, group.contractStart, group.contractTermMonths, w.clock, maxHorizon));
    for (const event of events) {
      if (event.date > w.horizonDate) continue;
      units.push({
        ...event,
        count: group.n,
        group: { termsVersionId: group.termsVersionId!, contractStart: group.contractStart, contractTermMonths: group.contractTermMonths },
        customer: null,
      });
    }
  }
  for (let i = 0; i < individualIds.length; i += 500) {
    const chunk = individualIds.slice(i, i + 500);
    const rows = db
      .select(contractColumns)
      .from(customers)
      .where(and(activeContract(scope.workspaceId), inArray(customers.id, chunk)))
      .all();
    for (const row of rows) {
      const terms = termsOf(row.termsVersionId, deviations.get(row.id) ?? [], null);
      if (!terms) continue;
      for (const event of contractEvents(terms, row.contractStart, row.contractTermMonths, w.clock, w.horizonDate)) {
        units.push({ ...event, count: 1, group: null, customer: { id: row.id, name: row.name } });
      }
    }
  }

  const dueByDate = new Map<string, ReturnType<typeof dateDue>>();
  const dueOf = (date: string) => {
    let due = dueByDate.get(date);
    if (!due) {
      due = dateDue(date);
      dueByDate.set(date, due);
    }
    return due;
  };
  units.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  const out: CollectedDeadline[] = [];
  for (const unit of units) {
    if (out.length >= w.limit) break;
    const basis = unit.basis();
    const members = unit.customer
      ? [unit.customer]
      : db
          .select({ id: customers.id, name: customers.name })
          .from(customers)
          .where(
            and(
              activeContract(scope.workspaceId),
              eq(customers.termsVersionId, unit.group!.termsVersionId),
              eq(customers.contractStart, unit.group!.contractStart),
              eq(customers.contractTermMonths, unit.group!.contractTermMonths),
              individualIds.length > 0 ? notInArray(customers.id, individualIds) : undefined,
            ),
          )
          // by id: the (workspace, archived, contract start, id) index gives the order, no sort of a large group
          .orderBy(asc(customers.id))
          .limit(w.limit - out.length)
          .all();
    const due = dueOf(unit.date);
    for (const customer of members) {
      const renews = unit.renewsOn ? formatDisplayDate(parsePlainDate(unit.renewsOn, "renewsOn")) : "";
      out.push({
        uid: `${unit.source}-${customer.id}-${unit.date}@dpadesk`,
        source: unit.source,
        id: customer.id,
        title:
          unit.source === "contract_notice"
            ? localized("notifications.deadline.contractNotice", { customer: customer.name, renews })
            : localized("notifications.deadline.contractEnd", { customer: customer.name }),
        customer,
        ...due,
        basis,
        parent: { kind: "customer", id: customer.id },
        link: `/customers/${customer.id}/terms`,
        portalLink: null,
        responsible: { kind: "officers" },
        state: stateOf(due.dueAt, w.clock, null),
      });
      if (out.length >= w.limit) break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// The list

function compareDeadlines(a: CollectedDeadline, b: CollectedDeadline): number {
  if (a.dueAt !== b.dueAt) return a.dueAt < b.dueAt ? -1 : 1;
  return a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
}

/**
 * Every open deadline in `scope`, nearest first (overdue ones first of all), at most `limit`
 * (default 500), none further than `horizonDays` (default 400) ahead. Each source is read with
 * an indexed, limited query; contract clocks once per group of equal terms.
 */
export function collectDeadlines(scope: DeadlineScope, now: string, options: CollectOptions = {}): CollectedDeadline[] {
  const limit = Math.max(1, Math.min(options.limit ?? MAX_DEADLINES, MAX_DEADLINES));
  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const clock = clockAt(now);
  const sources = new Set(options.sources ?? DEADLINE_SOURCES);
  const access = accessOf(scope);
  const w: Window = {
    clock,
    horizonInstant: new Date(clock.nowMs + horizonDays * 24 * 3600 * 1000).toISOString(),
    horizonDate: addDays(clock.today, horizonDays),
    limit,
    members: scope.kind === "portal" ? null : new Set(memberIds(scope.workspaceId)),
  };
  const contractWindow: Window = { ...w, horizonDate: addDays(clock.today, Math.min(horizonDays, CONTRACT_HORIZON_DAYS)) };
  const all: CollectedDeadline[] = [];
  if (sources.has("breach_notice")) all.push(...breachNoticeDeadlines(scope, access, w));
  if (sources.has("authority")) all.push(...authorityDeadlines(scope, access, w));
  if (sources.has("objection_window")) all.push(...objectionWindows(scope, access, w));
  if (sources.has("dpa_signature")) all.push(...signatureFollowUps(scope, access, w));
  if (sources.has("eoc_choice")) all.push(...endOfContractDeadlines(scope, access, w, "choice"));
  if (sources.has("eoc_task")) all.push(...endOfContractDeadlines(scope, access, w, "tasks"));
  if (sources.has("contract_notice") || sources.has("contract_end")) {
    all.push(...contractDeadlines(scope, access, contractWindow).filter((d) => sources.has(d.source)));
  }
  return all.sort(compareDeadlines).slice(0, limit);
}

/** The scope of what this person is responsible for: staff (officers and assignees), or the portal user's customer. */
export function responsibilityScope(actor: Actor): DeadlineScope {
  if (actor.kind === "staff") {
    if (!can(actor, "workspace:read")) throw forbidden();
    return { kind: "staff", workspaceId: actor.workspaceId, userId: actor.userId, officer: actor.role === "admin" || actor.role === "privacy_officer" };
  }
  if (actor.kind === "portal") return { kind: "portal", workspaceId: actor.workspaceId, customerId: actor.customerId };
  throw notFound();
}

/** The deadlines the signed-in person is responsible for (staff) or that concern their customer (portal). */
export async function myDeadlines(actor: Actor, now: string, options: CollectOptions = {}): Promise<CollectedDeadline[]> {
  return collectDeadlines(responsibilityScope(actor), now, options);
}

/** The whole workspace's nearest deadlines, whoever handles them (dashboard). */
export async function workspaceDeadlines(actor: Actor, now: string, options: CollectOptions = {}): Promise<CollectedDeadline[]> {
  if (actor.kind !== "staff") throw notFound();
  if (!can(actor, "workspace:read")) throw forbidden();
  return collectDeadlines({ kind: "workspace", workspaceId: actor.workspaceId }, now, options);
}

/** Whether a staff role carries deadlines at all (auditors read; they are responsible for nothing). */
export function roleHasDeadlines(actor: Actor): boolean {
  return actor.kind === "portal" || (actor.kind === "staff" && actor.role !== "auditor");
}
