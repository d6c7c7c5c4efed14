/**
 * Breaches: log and edit the record, the affected customers and their clocks, the dashboard
 * ordered by urgency, the detail page with the per-customer table, adjustments with a reason,
 * answering customers' questions, closing and reopening.
 *
 * Access: staff read with workspace:read and write with workspace:write; portal users get 404.
 * Every query is scoped to the actor's workspace; every change is written in one immediate
 * transaction with its audit event (edits with the fields before and after).
 */
import { keysetAfter } from "./keyset";
import { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, like, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "../../db/client";
import {
  breachCustomers,
  breachNoticeDeliveries,
  breachNotices,
  breachQuestions,
  breaches,
  customers,
  services,
  subprocessors,
  termsVersions,
  users,
  auditEvents,
} from "../../db/schema";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { enqueueMail } from "~/mail/outbox.server";
import { CUSTOMER_FILTERS, SYSTEM_REMOVAL, type CustomerFilter } from "~/domain/breach-enums";
import type { BreachFormInput, BreachFormValues } from "~/domain/breach-form";
import { authorityState, obligationState, type AuthorityState, type ObligationState } from "~/domain/breach-obligations";
import {
  amsterdamLocalToInstant,
  breachTimeIssues,
  dataFlags,
  instantToAmsterdamLocal,
  riskIndicators,
  type BreachFacts,
  type RiskIndicator,
} from "~/domain/breach-record";
import type { InstantDeadline } from "~/domain/deadline";
import { appendAudit } from "./audit.server";
import {
  breachOf,
  breachTiming,
  deriveAffectedCustomers,
  factsOf as factsOfBreachRow,
  factsOfBreach,
  insertBreach,
  insertObligations,
  internalTargetOf,
  parseList,
  recomputeClocks,
  requireStaffActor,
  storedLists,
  termsResolver,
  type BreachInsert,
  type BreachRow,
  type StaffActor,
} from "./breach-core.server";
import { notFound } from "./http.server";
import { isAssigneeCandidate } from "./reminder-assignee.server";

const PAGE_SIZE = 25;

/**
 * The outer row of a correlated subquery, written out with its table: in a select list over one
 * table drizzle leaves columns unqualified, and a bare "id" would mean the subquery's own table.
 */
const OUTER_BREACH_ID = sql.raw(`"breaches"."id"`);
const OUTER_NOTICE_ID = sql.raw(`"breach_notices"."id"`);

type WriteResult<T> = ({ ok: true } & T) | { ok: false; errors: Record<string, string> };

// ---------------------------------------------------------------------------------------
// Form options and the record ⇄ form

export type BreachFormOptions = {
  services: { id: string; nameNl: string; nameEn: string }[];
  subprocessors: { id: string; name: string; status: string }[];
};

export async function breachFormOptions(actor: Parameters<typeof requireStaffActor>[0]): Promise<BreachFormOptions> {
  requireStaffActor(actor, "workspace:write");
  const db = getDb();
  const serviceRows = db
    .select({ id: services.id, nameNl: services.nameNl, nameEn: services.nameEn })
    .from(services)
    .where(eq(services.workspaceId, actor.workspaceId))
    .orderBy(asc(services.nameNl))
    .all();
  const subprocessorRows = db
    .select({ id: subprocessors.id, legalName: subprocessors.legalName, tradeName: subprocessors.tradeName, status: subprocessors.status })
    .from(subprocessors)
    .where(eq(subprocessors.workspaceId, actor.workspaceId))
    .orderBy(asc(subprocessors.nameKey))
    .all();
  return {
    services: serviceRows,
    subprocessors: subprocessorRows.map((s) => ({
      id: s.id,
      name: s.tradeName && s.tradeName !== s.legalName ? `${s.legalName} (${s.tradeName})` : s.legalName,
      status: s.status,
    })),
  };
}

/** An empty form for a new breach, with the signed-in officer as contact point and discovery now. */
export function newBreachDefaults(actor: StaffActor, now: string): BreachFormInput {
  return {
    title: "",
    classification: "breach",
    classificationReasoning: "",
    nature: "",
    breachTypes: [],
    sourceKind: "own_systems",
    subprocessorId: "",
    subprocessorReportedAt: "",
    serviceIds: [],
    occurredFrom: "",
    occurredTo: "",
    ongoing: false,
    discoveredAt: instantToAmsterdamLocal(now),
    shouldHaveKnownAt: "",
    dataCategories: [],
    dataCategoriesNote: "",
    dataSubjects: [],
    subjectsMin: "",
    subjectsMax: "",
    recordsMin: "",
    recordsMax: "",
    protection: "",
    consequences: "",
    measuresTaken: "",
    measuresProposed: "",
    contactName: actor.name,
    contactEmail: actor.email,
    contactPhone: "",
    followUpContact: "",
    riskLevel: "",
    riskReasoning: "",
    subjectsNotice: "undecided",
    subjectsNoticeReasoning: "",
    crossBorder: false,
    changeNote: "",
  };
}

function localOrEmpty(iso: string | null): string {
  return iso ? instantToAmsterdamLocal(iso) : "";
}

function numberText(value: number | null): string {
  return value === null ? "" : String(value);
}

/** The stored record as the edit form's values. */
export function breachFormDefaults(row: BreachRow): BreachFormInput {
  return {
    title: row.title,
    classification: row.classification,
    classificationReasoning: row.classificationReasoning,
    nature: row.nature,
    breachTypes: parseList(row.breachTypes) as BreachFormInput["breachTypes"],
    sourceKind: row.sourceKind,
    subprocessorId: row.subprocessorId ?? "",
    subprocessorReportedAt: localOrEmpty(row.subprocessorReportedAt),
    serviceIds: parseList(row.serviceIds),
    occurredFrom: localOrEmpty(row.occurredFrom),
    occurredTo: localOrEmpty(row.occurredTo),
    ongoing: row.ongoing,
    discoveredAt: instantToAmsterdamLocal(row.discoveredAt),
    shouldHaveKnownAt: localOrEmpty(row.shouldHaveKnownAt),
    dataCategories: parseList(row.dataCategories),
    dataCategoriesNote: row.dataCategoriesNote,
    dataSubjects: parseList(row.dataSubjects),
    subjectsMin: numberText(row.subjectsMin),
    subjectsMax: numberText(row.subjectsMax),
    recordsMin: numberText(row.recordsMin),
    recordsMax: numberText(row.recordsMax),
    protection: row.protection,
    consequences: row.consequences,
    measuresTaken: row.measuresTaken,
    measuresProposed: row.measuresProposed,
    contactName: row.contactName,
    contactEmail: row.contactEmail,
    contactPhone: row.contactPhone,
    followUpContact: row.followUpContact,
    riskLevel: row.riskLevel ?? "",
    riskReasoning: row.riskReasoning,
    subjectsNotice: row.subjectsNotice,
    subjectsNoticeReasoning: row.subjectsNoticeReasoning,
    crossBorder: row.crossBorder,
    changeNote: "",
  };
}

export async function getBreachForEdit(actor: Parameters<typeof requireStaffActor>[0], breachId: string) {
  requireStaffActor(actor, "workspace:write");
  const row = breachOf(getDb(), actor.workspaceId, breachId);
  return { id: row.id, reference: row.reference, title: row.title, status: row.status, defaults: breachFormDefaults(row) };
}

const toInstant = (local: string) => (local === "" ? null : amsterdamLocalToInstant(local));

/** Form values → the stored record; checks the timeline against `now` and the workspace's own ids. */
function recordFromForm(db: ReturnType<typeof getDb>, workspaceId: string, values: BreachFormValues, now: string): WriteResult<{ record: BreachInsert }> {
  const times = {
    occurredFrom: toInstant(values.occurredFrom),
    occurredTo: values.ongoing ? null : toInstant(values.occurredTo),
    ongoing: values.ongoing,
    discoveredAt: amsterdamLocalToInstant(values.discoveredAt),
    shouldHaveKnownAt: toInstant(values.shouldHaveKnownAt),
    subprocessorReportedAt: values.sourceKind === "subprocessor" ? toInstant(values.subprocessorReportedAt) : null,
  };
  const errors: Record<string, string> = {};
  for (const issue of breachTimeIssues({ ...times, occurredTo: toInstant(values.occurredTo) }, now)) errors[issue.field] ??= issue.message;
  const subprocessorId = values.sourceKind === "subprocessor" ? values.subprocessorId : null;
  if (subprocessorId) {
    const found = db
      .select({ id: subprocessors.id })
      .from(subprocessors)
      .where(and(eq(subprocessors.id, subprocessorId), eq(subprocessors.workspaceId, workspaceId)))
      .get();
    if (!found) errors.subprocessorId ??= "breaches.error.unknownSubprocessor";
  }
  const serviceIds = values.sourceKind === "own_systems" ? [...new Set(values.serviceIds)] : [];
  if (serviceIds.length > 0) {
    const known = db
      .select({ id: services.id })
      .from(services)
      .where(and(eq(services.workspaceId, workspaceId), inArray(services.id, serviceIds)))
      .all();
    if (known.length !== serviceIds.length) errors.serviceIds ??= "breaches.error.unknownService";
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    record: {
      title: values.title,
      classification: values.classification,
      classificationReasoning: values.classificationReasoning,
      nature: values.nature,
      breachTypes: [...new Set(values.breachTypes)],
      sourceKind: values.sourceKind,
      subprocessorId,
      subprocessorReportedAt: times.subprocessorReportedAt,
      serviceIds,
      occurredFrom: times.occurredFrom,
      occurredTo: times.occurredTo,
      ongoing: values.ongoing,
      discoveredAt: times.discoveredAt,
      shouldHaveKnownAt: times.shouldHaveKnownAt !== null && times.shouldHaveKnownAt !== times.discoveredAt ? times.shouldHaveKnownAt : null,
      dataCategories: [...new Set(values.dataCategories)],
      dataCategoriesNote: values.dataCategoriesNote,
      dataSubjects: [...new Set(values.dataSubjects)],
      subjectsMin: values.subjectsMin,
      subjectsMax: values.subjectsMax,
      recordsMin: values.recordsMin,
      recordsMax: values.recordsMax,
      protection: values.protection,
      consequences: values.consequences,
      measuresTaken: values.measuresTaken,
      measuresProposed: values.measuresProposed,
      contactName: values.contactName,
      contactEmail: values.contactEmail,
      contactPhone: values.contactPhone,
      followUpContact: values.followUpContact,
      riskLevel: values.riskLevel === "" ? null : values.riskLevel,
      riskReasoning: values.riskReasoning,
      subjectsNotice: values.subjectsNotice,
      subjectsNoticeReasoning: values.subjectsNoticeReasoning,
      crossBorder: values.crossBorder,
    },
  };
}

// ---------------------------------------------------------------------------------------
// Logging and editing

/**
 * Logs a breach (or an incident judged not to be one): the record, and for a breach one
 * obligation per affected customer with its notice clock, all in one transaction.
 */
export async function logBreach(
  actor: Parameters<typeof requireStaffActor>[0],
  values: BreachFormValues,
  now: string
): Promise<WriteResult<{ id: string; reference: string; affected: number }>> {
  requireStaffActor(actor, "workspace:write");
  const db = getDb();
  const checked = recordFromForm(db, actor.workspaceId, values, now);
  if (!checked.ok) return checked;
  return db.transaction(
    (tx) => {
      const created = insertBreach(tx, { workspaceId: actor.workspaceId, values: checked.record, now, createdByUserId: actor.userId });
      appendAudit(tx, actor, now, {
        action: "breach.logged",
        entityType: "breach",
        entityId: created.id,
        data: { reference: created.reference, record: checked.record, affectedCustomers: created.affected },
      });
      return { ok: true as const, ...created };
    },
    { behavior: "immediate" }
  );
}

const RECORD_FIELDS = [
  "title",
  "classification",
  "classificationReasoning",
  "nature",
  "breachTypes",
  "sourceKind",
  "subprocessorId",
  "subprocessorReportedAt",
  "serviceIds",
  "occurredFrom",
  "occurredTo",
  "ongoing",
  "discoveredAt",
  "shouldHaveKnownAt",
  "dataCategories",
  "dataCategoriesNote",
  "dataSubjects",
  "subjectsMin",
  "subjectsMax",
  "recordsMin",
  "recordsMax",
  "protection",
  "consequences",
  "measuresTaken",
  "measuresProposed",
  "contactName",
  "contactEmail",
  "contactPhone",
  "followUpContact",
  "riskLevel",
  "riskReasoning",
  "subjectsNotice",
  "subjectsNoticeReasoning",
  "crossBorder",
] as const satisfies readonly (keyof BreachInsert)[];

function storedValue(row: BreachRow, field: (typeof RECORD_FIELDS)[number]): unknown {
  const value = row[field];
  return field === "breachTypes" || field === "serviceIds" || field === "dataCategories" || field === "dataSubjects" ? parseList(value as string) : value;
}

/**
 * Edits the record. The audit event keeps every changed field before and after, and the note.
 * When the timeline or source changes, the clocks of customers not yet notified are computed
 * again; when the source or classification changes, the derived customers follow.
 */
export async function updateBreach(
  actor: Parameters<typeof requireStaffActor>[0],
  breachId: string,
  values: BreachFormValues,
  now: string
): Promise<WriteResult<{ id: string; recomputed: number; added: number; removed: number }>> {
  requireStaffActor(actor, "workspace:write");
  const db = getDb();
  const existing = breachOf(db, actor.workspaceId, breachId);
  if (existing.status === "closed") return { ok: false, errors: { form: "breaches.error.closedNoEdit" } };
  const checked = recordFromForm(db, actor.workspaceId, values, now);
  if (!checked.ok) return checked;
  const record = checked.record;
  return db.transaction(
    (tx) => {
      const before = breachOf(tx, actor.workspaceId, breachId);
      if (before.status === "closed") return { ok: false as const, errors: { form: "breaches.error.closedNoEdit" } };
      const changes: Record<string, { before: unknown; after: unknown }> = {};
      for (const field of RECORD_FIELDS) {
        const old = storedValue(before, field);
        const next = record[field] ?? null;
        if (JSON.stringify(old) !== JSON.stringify(next)) changes[field] = { before: old, after: next };
      }
      if (Object.keys(changes).length === 0) return { ok: true as const, id: breachId, recomputed: 0, added: 0, removed: 0 };
      tx.update(breaches)
        .set({ ...record, ...storedLists(record), updatedAt: now })
        .where(and(eq(breaches.id, breachId), eq(breaches.workspaceId, actor.workspaceId)))
        .run();
      const after = breachOf(tx, actor.workspaceId, breachId);
      const sourceChanged = ["classification", "sourceKind", "subprocessorId", "serviceIds"].some((f) => f in changes);
      const sync = sourceChanged ? syncDerivedCustomers(tx, actor, after, now) : { added: 0, removed: 0, restored: 0 };
      const timingChanged = sourceChanged || ["discoveredAt", "shouldHaveKnownAt"].some((f) => f in changes);
      const recomputed = timingChanged ? recomputeClocks(tx, after, now) : 0;
      appendAudit(tx, actor, now, {
        action: "breach.updated",
        entityType: "breach",
        entityId: breachId,
        data: { reference: after.reference, changes, note: values.changeNote || null, clocksRecomputed: recomputed, customers: sync },
      });
      return { ok: true as const, id: breachId, recomputed, added: sync.added + sync.restored, removed: sync.removed };
    },
    { behavior: "immediate" }
  );
}

/**
 * Makes the derived customers follow the record: newly derived customers are added; customers the
 * system removed earlier and now derived again come back; derived customers no longer affected and
 * not yet notified are removed (marked as a system removal). An incident judged not to be a breach
 * has no affected customers. Customers notified or adjusted by hand stay as they are.
 */
function syncDerivedCustomers(tx: Tx, actor: StaffActor, breach: BreachRow, now: string) {
  const derived =
    breach.classification === "breach"
      ? deriveAffectedCustomers(tx, breach.workspaceId, {
          sourceKind: breach.sourceKind,
          subprocessorId: breach.subprocessorId,
          serviceIds: parseList(breach.serviceIds),
        })
      : [];
  const derivedIds = new Set(derived.map((c) => c.id));
  const existing = tx
    .select({
      id: breachCustomers.id,
      customerId: breachCustomers.customerId,
      status: breachCustomers.status,
      origin: breachCustomers.origin,
      adjustReason: breachCustomers.adjustReason,
      notifiedAt: breachCustomers.notifiedAt,
    })
    .from(breachCustomers)
    .where(eq(breachCustomers.breachId, breach.id))
    .all();
  const byCustomer = new Map(existing.map((row) => [row.customerId, row]));
  const toAdd = derived.filter((c) => !byCustomer.has(c.id));
  const toRestore = existing.filter(
    (row) =>
      row.status === "removed" &&
      row.adjustReason === SYSTEM_REMOVAL &&
      (derivedIds.has(row.customerId) || (row.origin === "added" && breach.classification === "breach"))
  );
  const toRemove = existing.filter(
    (row) =>
      row.status === "affected" &&
      row.notifiedAt === null &&
      (breach.classification === "not_breach" || (row.origin === "derived" && !derivedIds.has(row.customerId)))
  );
  const added = insertObligations(tx, {
    workspaceId: breach.workspaceId,
    breachId: breach.id,
    timing: breachTiming(breach),
    internalTargetHours: internalTargetOf(tx, breach.workspaceId),
    customers: toAdd,
    origin: "derived",
    now,
  });
  for (let i = 0; i < toRestore.length; i += 500) {
    tx.update(breachCustomers)
      .set({ status: "affected", adjustReason: null, adjustedAt: now, adjustedByUserId: null, updatedAt: now })
      .where(
        inArray(
          breachCustomers.id,
          toRestore.slice(i, i + 500).map((r) => r.id)
        )
      )
      .run();
  }
  for (let i = 0; i < toRemove.length; i += 500) {
    tx.update(breachCustomers)
      .set({ status: "removed", adjustReason: SYSTEM_REMOVAL, adjustedAt: now, adjustedByUserId: actor.userId, updatedAt: now })
      .where(
        inArray(
          breachCustomers.id,
          toRemove.slice(i, i + 500).map((r) => r.id)
        )
      )
      .run();
  }
  return { added, removed: toRemove.length, restored: toRestore.length };
}

// ---------------------------------------------------------------------------------------
// States of the per-customer clocks, as SQL on the stored columns


function filterCondition(filter: CustomerFilter, now: string): SQL {
  const affected = eq(breachCustomers.status, "affected");
  const pending = and(affected, isNull(breachCustomers.notifiedAt))!;
  switch (filter) {
    case "open":
      return pending;
    case "overdue":
      return and(pending, lt(breachCustomers.noticeDue, now))!;
    case "due_soon":
      return and(pending, gte(breachCustomers.noticeDue, now), lt(breachCustomers.noticeSoonAt, now))!;
    case "on_time":
      return and(pending, gte(breachCustomers.noticeSoonAt, now))!;
    case "notified":
      return and(affected, isNotNull(breachCustomers.notifiedAt))!;
    case "notified_on_time":
      return and(affected, isNotNull(breachCustomers.notifiedAt), eq(breachCustomers.notifiedLate, false))!;
    case "notified_late":
      return and(affected, isNotNull(breachCustomers.notifiedAt), eq(breachCustomers.notifiedLate, true))!;
    case "removed":
      return eq(breachCustomers.status, "removed");
    case "all":
      return affected;
  }
}

export type StateCounts = Record<ObligationState | "removed" | "affected", number>;

function stateCounts(db: ReturnType<typeof getDb>, breachId: string, now: string): StateCounts {
  const n = (condition: SQL) => sql<number>`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`;
  const row = db
    .select({
      affected: n(filterCondition("all", now)),
      overdue: n(filterCondition("overdue", now)),
      due_soon: n(filterCondition("due_soon", now)),
      on_time: n(filterCondition("on_time", now)),
      notified_on_time: n(filterCondition("notified_on_time", now)),
      notified_late: n(filterCondition("notified_late", now)),
      removed: n(filterCondition("removed", now)),
    })
    .from(breachCustomers)
    .where(eq(breachCustomers.breachId, breachId))
    .get();
  return {
    affected: Number(row?.affected ?? 0),
    overdue: Number(row?.overdue ?? 0),
    due_soon: Number(row?.due_soon ?? 0),
    on_time: Number(row?.on_time ?? 0),
    notified_on_time: Number(row?.notified_on_time ?? 0),
    notified_late: Number(row?.notified_late ?? 0),
    removed: Number(row?.removed ?? 0),
  };
}

type Cursor = { due: string; id: string };

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.due, c.id])).toString("base64url");
}

function decodeCursor(raw: string | undefined | null): Cursor | null {
  if (!raw) return null;
  try {
    const [due, id] = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as unknown[];
    return typeof due === "string" && typeof id === "string" ? { due, id } : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------
// The dashboard

export const BreachListQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

export type DashboardBreach = {
  id: string;
  reference: string;
  title: string;
  classification: "breach" | "not_breach";
  sourceKind: "own_systems" | "subprocessor";
  discoveredAt: string;
  riskLevel: "none" | "risk" | "high" | null;
  affected: number;
  notified: number;
  overdue: number;
  openQuestions: number;
  /** the nearest notice deadline of a customer not yet notified */
  next: { due: string; deadline: InstantDeadline; customerName: string; customerId: string; state: ObligationState; remainingMs: number } | null;
};

export type NextDeadline = {
  breachId: string;
  reference: string;
  customerId: string;
  customerName: string;
  deadline: InstantDeadline;
  state: ObligationState;
  remainingMs: number;
};

/**
 * Open breaches and incidents, the most urgent first (nearest unmet notice deadline; breaches with
 * every customer notified after those, newest first), and the next deadlines across all of them.
 */
export async function breachDashboard(actor: Parameters<typeof requireStaffActor>[0], query: z.infer<typeof BreachListQuery>, now: string) {
  requireStaffActor(actor);
  const db = getDb();
  const open = and(eq(breaches.workspaceId, actor.workspaceId), eq(breaches.status, "open"))!;
  const total = db.select({ n: count() }).from(breaches).where(open).get()?.n ?? 0;
  const pendingOf = sql`${breachCustomers.breachId} = ${OUTER_BREACH_ID} and ${breachCustomers.status} = 'affected' and ${breachCustomers.notifiedAt} is null`;
  const nextDue = sql<string | null>`(select min(${breachCustomers.noticeDue}) from ${breachCustomers} where ${pendingOf})`;
  const rows = db
    .select({
      id: breaches.id,
      reference: breaches.reference,
      title: breaches.title,
      classification: breaches.classification,
      sourceKind: breaches.sourceKind,
      discoveredAt: breaches.discoveredAt,
      riskLevel: breaches.riskLevel,
      nextDue,
      affected: sql<number>`(select count(*) from ${breachCustomers} where ${breachCustomers.breachId} = ${OUTER_BREACH_ID} and ${breachCustomers.status} = 'affected')`,
      notified: sql<number>`(select count(*) from ${breachCustomers} where ${breachCustomers.breachId} = ${OUTER_BREACH_ID} and ${breachCustomers.status} = 'affected' and ${breachCustomers.notifiedAt} is not null)`,
      overdue: sql<number>`(select count(*) from ${breachCustomers} where ${pendingOf} and ${breachCustomers.noticeDue} < ${now})`,
      openQuestions: sql<number>`(select count(*) from ${breachQuestions} where ${breachQuestions.breachId} = ${OUTER_BREACH_ID} and ${breachQuestions.answeredAt} is null)`,
    })
    .from(breaches)
    .where(open)
    .orderBy(sql`${nextDue} is null`, asc(nextDue), desc(breaches.discoveredAt), asc(breaches.id))
    .limit(PAGE_SIZE)
    .offset((query.page - 1) * PAGE_SIZE)
    .all();
  const list: DashboardBreach[] = rows.map((row) => {
    let next: DashboardBreach["next"] = null;
    if (row.nextDue) {
      const first = db
        .select({ deadline: breachCustomers.noticeDeadline, customerId: breachCustomers.customerId, name: customers.name })
        .from(breachCustomers)
        .innerJoin(customers, eq(customers.id, breachCustomers.customerId))
        .where(and(eq(breachCustomers.breachId, row.id), eq(breachCustomers.status, "affected"), isNull(breachCustomers.notifiedAt)))
        .orderBy(asc(breachCustomers.noticeDue), asc(breachCustomers.id))
        .limit(1)
        .get();
      if (first) {
        const deadline = JSON.parse(first.deadline) as InstantDeadline;
        const { state, status } = obligationState({ deadline, notifiedAt: null, now });
        next = { due: row.nextDue, deadline, customerName: first.name, customerId: first.customerId, state, remainingMs: status.remainingMs };
      }
    }
    return {
      id: row.id,
      reference: row.reference,
      title: row.title,
      classification: row.classification,
      sourceKind: row.sourceKind,
      discoveredAt: row.discoveredAt,
      riskLevel: row.riskLevel,
      affected: Number(row.affected),
      notified: Number(row.notified),
      overdue: Number(row.overdue),
      openQuestions: Number(row.openQuestions),
      next,
    };
  });
  const upcoming = db
    .select({
      breachId: breachCustomers.breachId,
      reference: breaches.reference,
      customerId: breachCustomers.customerId,
      customerName: customers.name,
      deadline: breachCustomers.noticeDeadline,
    })
    .from(breachCustomers)
    .innerJoin(breaches, eq(breaches.id, breachCustomers.breachId))
    .innerJoin(customers, eq(customers.id, breachCustomers.customerId))
    .where(
      and(
        eq(breachCustomers.workspaceId, actor.workspaceId),
        eq(breachCustomers.status, "affected"),
        isNull(breachCustomers.notifiedAt),
        eq(breaches.status, "open"),
        eq(breaches.classification, "breach")
      )
    )
    .orderBy(asc(breachCustomers.noticeDue), asc(breachCustomers.id))
    .limit(10)
    .all()
    .map((row): NextDeadline => {
      const deadline = JSON.parse(row.deadline) as InstantDeadline;
      const { state, status } = obligationState({ deadline, notifiedAt: null, now });
      return {
        breachId: row.breachId,
        reference: row.reference,
        customerId: row.customerId,
        customerName: row.customerName,
        deadline,
        state,
        remainingMs: status.remainingMs,
      };
    });
  const closedCount =
    db
      .select({ n: count() })
      .from(breaches)
      .where(and(eq(breaches.workspaceId, actor.workspaceId), eq(breaches.status, "closed")))
      .get()?.n ?? 0;
  return { breaches: list, upcoming, total, closedCount, page: query.page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

// ---------------------------------------------------------------------------------------
// The detail page

export const BreachDetailQuery = z.object({
  state: z.enum(CUSTOMER_FILTERS).catch("open").default("open"),
  after: z.string().max(500).optional(),
  addq: z.string().trim().max(200).optional().default(""),
});
export type BreachDetailQuery = z.infer<typeof BreachDetailQuery>;

export type ObligationView = {
  id: string;
  customerId: string;
  customerName: string;
  customerLanguage: "nl" | "en";
  termsVersion: number | null;
  origin: "derived" | "added";
  status: "affected" | "removed";
  adjustReason: string | null;
  deadline: InstantDeadline;
  state: ObligationState;
  remainingMs: number;
  notifiedAt: string | null;
  lateReason: string | null;
  deliveries: number;
  acknowledged: number;
  authority: {
    deadline: InstantDeadline;
    state: AuthorityState;
    remainingMs: number;
    outcome: "notified" | "not_notifying" | null;
    outcomeAt: string | null;
  } | null;
};

function obligationView(
  row: {
    id: string;
    customerId: string;
    customerName: string;
    customerLanguage: "nl" | "en";
    termsVersion: number | null;
    origin: "derived" | "added";
    status: "affected" | "removed";
    adjustReason: string | null;
    noticeDeadline: string;
    notifiedAt: string | null;
    lateReason: string | null;
    authorityDeadline: string | null;
    authorityOutcome: "notified" | "not_notifying" | null;
    authorityOutcomeAt: string | null;
    deliveries: number;
    acknowledged: number;
  },
  now: string
): ObligationView {
  const deadline = JSON.parse(row.noticeDeadline) as InstantDeadline;
  const { state, status } = obligationState({ deadline, notifiedAt: row.notifiedAt, now });
  let authority: ObligationView["authority"] = null;
  if (row.authorityDeadline) {
    const authorityDeadline = JSON.parse(row.authorityDeadline) as InstantDeadline;
    const a = authorityState({ deadline: authorityDeadline, outcome: row.authorityOutcome, outcomeAt: row.authorityOutcomeAt, now });
    authority = {
      deadline: authorityDeadline,
      state: a.state,
      remainingMs: a.status.remainingMs,
      outcome: row.authorityOutcome,
      outcomeAt: row.authorityOutcomeAt,
    };
  }
  return {
    id: row.id,
    customerId: row.customerId,
    customerName: row.customerName,
    customerLanguage: row.customerLanguage,
    termsVersion: row.termsVersion,
    origin: row.origin,
    status: row.status,
    adjustReason: row.adjustReason,
    deadline,
    state,
    remainingMs: status.remainingMs,
    notifiedAt: row.notifiedAt,
    lateReason: row.lateReason,
    deliveries: Number(row.deliveries),
    acknowledged: Number(row.acknowledged),
    authority,
  };
}

function obligationSelect() {
  return {
    id: breachCustomers.id,
    customerId: breachCustomers.customerId,
    customerName: customers.name,
    customerLanguage: customers.language,
    termsVersion: termsVersions.version,
    origin: breachCustomers.origin,
    status: breachCustomers.status,
    adjustReason: breachCustomers.adjustReason,
    noticeDeadline: breachCustomers.noticeDeadline,
    noticeDue: breachCustomers.noticeDue,
    notifiedAt: breachCustomers.notifiedAt,
    lateReason: breachCustomers.lateReason,
    authorityDeadline: breachCustomers.authorityDeadline,
    authorityOutcome: breachCustomers.authorityOutcome,
    authorityOutcomeAt: breachCustomers.authorityOutcomeAt,
    deliveries: sql<number>`(select count(*) from ${breachNoticeDeliveries} where ${breachNoticeDeliveries.breachId} = ${breachCustomers.breachId} and ${breachNoticeDeliveries.customerId} = ${breachCustomers.customerId})`,
    acknowledged: sql<number>`(select count(*) from ${breachNoticeDeliveries} where ${breachNoticeDeliveries.breachId} = ${breachCustomers.breachId} and ${breachNoticeDeliveries.customerId} = ${breachCustomers.customerId} and ${breachNoticeDeliveries.acknowledgedAt} is not null)`,
  };
}

export type NoticeSummary = {
  id: string;
  sequence: number;
  status: "draft" | "sent";
  sentAt: string | null;
  delivered: number;
  acknowledged: number;
};

export type QuestionView = {
  id: string;
  customerId: string;
  customerName: string;
  question: string;
  askedByName: string;
  askedAt: string;
  answer: string | null;
  answeredByName: string | null;
  answeredAt: string | null;
};

/** One breach: record, risk indicators, per-state counts, a page of customers, notices, open questions, history. */
export async function getBreachDetail(actor: Parameters<typeof requireStaffActor>[0], breachId: string, query: BreachDetailQuery, now: string) {
  requireStaffActor(actor);
  const db = getDb();
  const row = breachOf(db, actor.workspaceId, breachId);
  const facts = factsOfBreach(db, row);
  const counts = stateCounts(db, breachId, now);
  const cursor = decodeCursor(query.after);
  const conditions: SQL[] = [eq(breachCustomers.breachId, breachId), filterCondition(query.state, now)];
  if (cursor)
    conditions.push(keysetAfter(breachCustomers.noticeDue, breachCustomers.id, { value: cursor.due, id: cursor.id }, "asc"));
  const pageRows = db
    .select(obligationSelect())
    .from(breachCustomers)
    .innerJoin(customers, eq(customers.id, breachCustomers.customerId))
    .leftJoin(termsVersions, eq(termsVersions.id, breachCustomers.termsVersionId))
    .where(and(...conditions))
    .orderBy(asc(breachCustomers.noticeDue), asc(breachCustomers.id))
    .limit(PAGE_SIZE + 1)
    .all();
  const hasMore = pageRows.length > PAGE_SIZE;
  const page = pageRows.slice(0, PAGE_SIZE);
  const last = page[page.length - 1];
  const filteredTotal =
    db
      .select({ n: count() })
      .from(breachCustomers)
      .where(and(eq(breachCustomers.breachId, breachId), filterCondition(query.state, now)))
      .get()?.n ?? 0;
  const notices: NoticeSummary[] = db
    .select({
      id: breachNotices.id,
      sequence: breachNotices.sequence,
      status: breachNotices.status,
      sentAt: breachNotices.sentAt,
      delivered: sql<number>`(select count(*) from ${breachNoticeDeliveries} where ${breachNoticeDeliveries.noticeId} = ${OUTER_NOTICE_ID})`,
      acknowledged: sql<number>`(select count(*) from ${breachNoticeDeliveries} where ${breachNoticeDeliveries.noticeId} = ${OUTER_NOTICE_ID} and ${breachNoticeDeliveries.acknowledgedAt} is not null)`,
    })
    .from(breachNotices)
    .where(eq(breachNotices.breachId, breachId))
    .orderBy(asc(breachNotices.sequence))
    .all()
    .map((n) => ({ ...n, delivered: Number(n.delivered), acknowledged: Number(n.acknowledged) }));
  const questions: QuestionView[] = db
    .select({
      id: breachQuestions.id,
      customerId: breachQuestions.customerId,
      customerName: customers.name,
      question: breachQuestions.question,
      askedByName: breachQuestions.askedByName,
      askedAt: breachQuestions.askedAt,
      answer: breachQuestions.answer,
      answeredByName: breachQuestions.answeredByName,
      answeredAt: breachQuestions.answeredAt,
    })
    .from(breachQuestions)
    .innerJoin(customers, eq(customers.id, breachQuestions.customerId))
    .where(and(eq(breachQuestions.breachId, breachId), isNull(breachQuestions.answeredAt)))
    .orderBy(asc(breachQuestions.askedAt))
    .limit(50)
    .all();
  const history = db
    .select({ id: auditEvents.id, at: auditEvents.at, action: auditEvents.action, actorLabel: auditEvents.actorLabel, data: auditEvents.data })
    .from(auditEvents)
    .where(and(eq(auditEvents.workspaceId, actor.workspaceId), eq(auditEvents.entityType, "breach"), eq(auditEvents.entityId, breachId)))
    .orderBy(desc(auditEvents.id))
    .limit(50)
    .all()
    .map((e) => ({ id: e.id, at: e.at, action: e.action, actorLabel: e.actorLabel, note: noteOf(e.data) }));
  const candidates =
    query.addq && row.status === "open" && row.classification === "breach" ? findCustomersToAdd(db, actor.workspaceId, breachId, query.addq) : [];
  const serviceNames = db
    .select({ id: services.id, nameNl: services.nameNl, nameEn: services.nameEn })
    .from(services)
    .where(and(eq(services.workspaceId, actor.workspaceId), inArray(services.id, parseList(row.serviceIds).length > 0 ? parseList(row.serviceIds) : ["-"])))
    .all();
  const creator = row.createdByUserId ? db.select({ name: users.name }).from(users).where(eq(users.id, row.createdByUserId)).get()?.name ?? null : null;
  return {
    breach: {
      id: row.id,
      status: row.status,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      closedAt: row.closedAt,
      closingNote: row.closingNote,
      createdBy: creator,
      subprocessorId: row.subprocessorId,
    },
    facts,
    flags: dataFlags(facts.dataCategories),
    indicators: riskIndicators(facts) as RiskIndicator[],
    services: serviceNames,
    counts,
    filteredTotal,
    customers: page.map((r) => obligationView(r, now)),
    next: hasMore && last ? encodeCursor({ due: last.noticeDue, id: last.id }) : null,
    notices,
    questions,
    candidates,
    history,
  };
}

function noteOf(data: string): string | null {
  try {
    const parsed = JSON.parse(data) as { note?: unknown; reason?: unknown };
    const note = typeof parsed.note === "string" ? parsed.note : typeof parsed.reason === "string" ? parsed.reason : null;
    return note;
  } catch {
    return null;
  }
}

/** Up to 10 current customers of the workspace, matching the name, that are not affected yet. */
function findCustomersToAdd(db: ReturnType<typeof getDb>, workspaceId: string, breachId: string, q: string) {
  const needle = `%${q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  return db
    .select({ id: customers.id, name: customers.name, city: customers.city, removed: breachCustomers.status })
    .from(customers)
    .leftJoin(breachCustomers, and(eq(breachCustomers.customerId, customers.id), eq(breachCustomers.breachId, breachId)))
    .where(
      and(
        eq(customers.workspaceId, workspaceId),
        isNull(customers.archivedAt),
        sql`${customers.nameKey} like ${needle} escape '\\'`,
        or(isNull(breachCustomers.id), eq(breachCustomers.status, "removed"))
      )
    )
    .orderBy(asc(customers.nameKey), asc(customers.id))
    .limit(10)
    .all()
    .map((c) => ({ id: c.id, name: c.name, city: c.city, wasRemoved: c.removed === "removed" }));
}

// ---------------------------------------------------------------------------------------
// One customer of a breach

export async function getBreachCustomer(actor: Parameters<typeof requireStaffActor>[0], breachId: string, customerId: string, now: string) {
  requireStaffActor(actor);
  const db = getDb();
  const breach = breachOf(db, actor.workspaceId, breachId);
  const row = db
    .select(obligationSelect())
    .from(breachCustomers)
    .innerJoin(customers, eq(customers.id, breachCustomers.customerId))
    .leftJoin(termsVersions, eq(termsVersions.id, breachCustomers.termsVersionId))
    .where(and(eq(breachCustomers.breachId, breachId), eq(breachCustomers.customerId, customerId), eq(breachCustomers.workspaceId, actor.workspaceId)))
    .get();
  if (!row) throw notFound();
  const deliveries = db
    .select({
      id: breachNoticeDeliveries.id,
      sequence: breachNotices.sequence,
      sentAt: breachNoticeDeliveries.sentAt,
      subject: breachNoticeDeliveries.subject,
      toAddresses: breachNoticeDeliveries.toAddresses,
      bodySha256: breachNoticeDeliveries.bodySha256,
      late: breachNoticeDeliveries.late,
      lateReason: breachNoticeDeliveries.lateReason,
      acknowledgedAt: breachNoticeDeliveries.acknowledgedAt,
      acknowledgedByName: breachNoticeDeliveries.acknowledgedByName,
    })
    .from(breachNoticeDeliveries)
    .innerJoin(breachNotices, eq(breachNotices.id, breachNoticeDeliveries.noticeId))
    .where(and(eq(breachNoticeDeliveries.breachId, breachId), eq(breachNoticeDeliveries.customerId, customerId)))
    .orderBy(asc(breachNotices.sequence))
    .all()
    .map((d) => ({ ...d, toAddresses: parseList(d.toAddresses) }));
  const thread = db
    .select()
    .from(breachQuestions)
    .where(and(eq(breachQuestions.breachId, breachId), eq(breachQuestions.customerId, customerId)))
    .orderBy(asc(breachQuestions.askedAt))
    .all();
  const received = new Set(deliveries.map((d) => d.sequence));
  const obligation = obligationView(row, now);
  const sendable =
    breach.status === "open" && obligation.status === "affected"
      ? db
          .select({ id: breachNotices.id, sequence: breachNotices.sequence })
          .from(breachNotices)
          .where(and(eq(breachNotices.breachId, breachId), eq(breachNotices.status, "sent")))
          .orderBy(asc(breachNotices.sequence))
          .all()
          .filter((n) => !received.has(n.sequence) && (n.sequence === 1 ? obligation.notifiedAt === null : obligation.notifiedAt !== null))
          .map((n) => ({ noticeId: n.id, sequence: n.sequence, late: n.sequence === 1 && obligation.state === "overdue" }))
      : [];
  const resolve = termsResolver(db, actor.workspaceId);
  const customerRow = db.select({ termsVersionId: customers.termsVersionId }).from(customers).where(eq(customers.id, customerId)).get();
  const terms = resolve({ id: customerId, termsVersionId: customerRow?.termsVersionId ?? null }).terms;
  return {
    breach: { id: breach.id, reference: breach.reference, title: breach.title, status: breach.status, classification: breach.classification },
    obligation,
    sendable,
    scope: terms ? { value: terms.breachScope.value, article: terms.breachScope.article ?? null } : null,
    deliveries,
    thread,
  };
}

// ---------------------------------------------------------------------------------------
// Adjusting the affected customers

/**
 * Adds a customer to the breach (with its clock) or removes one, always with a reason. A removed
 * customer can be added again; a customer already notified cannot be removed.
 */
export async function adjustAffectedCustomer(
  actor: Parameters<typeof requireStaffActor>[0],
  breachId: string,
  input: { intent: "add" | "remove"; customerId: string; reason: string },
  now: string
): Promise<WriteResult<{ customerId: string }>> {
  requireStaffActor(actor, "workspace:write");
  const db = getDb();
  return db.transaction(
    (tx) => {
      const breach = breachOf(tx, actor.workspaceId, breachId);
      if (breach.status === "closed") return { ok: false as const, errors: { form: "breaches.error.closedNoEdit" } };
      if (breach.classification !== "breach") return { ok: false as const, errors: { form: "breaches.error.notABreach" } };
      const customer = tx
        .select({ id: customers.id, name: customers.name, termsVersionId: customers.termsVersionId, archivedAt: customers.archivedAt })
        .from(customers)
        .where(and(eq(customers.id, input.customerId), eq(customers.workspaceId, actor.workspaceId)))
        .get();
      if (!customer) throw notFound();
      const existing = tx
        .select()
        .from(breachCustomers)
        .where(and(eq(breachCustomers.breachId, breachId), eq(breachCustomers.customerId, customer.id)))
        .get();
      if (input.intent === "add") {
        if (existing?.status === "affected") return { ok: false as const, errors: { form: "breaches.error.alreadyAffected" } };
        if (existing) {
          tx.update(breachCustomers)
            .set({ status: "affected", origin: "added", adjustReason: input.reason, adjustedAt: now, adjustedByUserId: actor.userId, updatedAt: now })
            .where(eq(breachCustomers.id, existing.id))
            .run();
          if (existing.notifiedAt === null) recomputeClocks(tx, breach, now);
        } else {
          insertObligations(tx, {
            workspaceId: actor.workspaceId,
            breachId,
            timing: breachTiming(breach),
            internalTargetHours: internalTargetOf(tx, actor.workspaceId),
            customers: [{ id: customer.id, termsVersionId: customer.termsVersionId }],
            origin: "added",
            reason: input.reason,
            adjustedByUserId: actor.userId,
            now,
          });
        }
      } else {
        if (!existing || existing.status === "removed") return { ok: false as const, errors: { form: "breaches.error.notAffected" } };
        if (existing.notifiedAt !== null) return { ok: false as const, errors: { form: "breaches.error.removeNotified" } };
        tx.update(breachCustomers)
          .set({ status: "removed", adjustReason: input.reason, adjustedAt: now, adjustedByUserId: actor.userId, updatedAt: now })
          .where(eq(breachCustomers.id, existing.id))
          .run();
      }
      appendAudit(tx, actor, now, {
        action: input.intent === "add" ? "breach.customer_added" : "breach.customer_removed",
        entityType: "breach",
        entityId: breachId,
        customerId: customer.id,
        data: {
          reference: breach.reference,
          customer: customer.name,
          reason: input.reason,
          before: existing ? { status: existing.status, origin: existing.origin } : null,
        },
      });
      return { ok: true as const, customerId: customer.id };
    },
    { behavior: "immediate" }
  );
}

// ---------------------------------------------------------------------------------------
// Questions, closing, reopening

/** Answers a customer's question in its thread and mails the answer to whoever asked it. */
export async function answerQuestion(
  actor: Parameters<typeof requireStaffActor>[0],
  breachId: string,
  input: { questionId: string; answer: string },
  now: string
): Promise<WriteResult<{ questionId: string }>> {
  requireStaffActor(actor, "workspace:write");
  const db = getDb();
  const appUrl = getConfig().appUrl;
  return db.transaction(
    (tx) => {
      const breach = breachOf(tx, actor.workspaceId, breachId);
      const question = tx
        .select()
        .from(breachQuestions)
        .where(and(eq(breachQuestions.id, input.questionId), eq(breachQuestions.breachId, breachId), eq(breachQuestions.workspaceId, actor.workspaceId)))
        .get();
      if (!question) throw notFound();
      if (question.answeredAt !== null) return { ok: false as const, errors: { answer: "breaches.error.alreadyAnswered" } };
      tx.update(breachQuestions)
        .set({ answer: input.answer, answeredAt: now, answeredByUserId: actor.userId, answeredByName: actor.name })
        .where(eq(breachQuestions.id, question.id))
        .run();
      const asker = question.askedByUserId
        ? tx.select({ email: users.email, locale: users.locale }).from(users).where(eq(users.id, question.askedByUserId)).get()
        : undefined;
      const customer = tx.select({ language: customers.language }).from(customers).where(eq(customers.id, question.customerId)).get();
      if (asker) {
        const nl = (asker.locale ?? customer?.language ?? "nl") === "nl";
        enqueueMail(
          tx,
          {
            workspaceId: actor.workspaceId,
            customerId: question.customerId,
            kind: "breach_answer",
            to: [asker.email],
            subject: nl ? `Antwoord op uw vraag over ${breach.reference}` : `Answer to your question about ${breach.reference}`,
            text: nl
              ? `Uw vraag over ${breach.reference} ("${breach.title}") is beantwoord.\n\nUw vraag:\n${question.question}\n\nAntwoord van ${actor.name}:\n${input.answer}\n\nHet hele gesprek staat in het klantportaal: ${appUrl}/portal/breaches/${breachId}`
              : `Your question about ${breach.reference} ("${breach.title}") has been answered.\n\nYour question:\n${question.question}\n\nAnswer from ${actor.name}:\n${input.answer}\n\nThe whole thread is in the customer portal: ${appUrl}/portal/breaches/${breachId}`,
          },
          now
        );
      }
      appendAudit(tx, actor, now, {
        action: "breach.question_answered",
        entityType: "breach",
        entityId: breachId,
        customerId: question.customerId,
        data: { questionId: question.id, answer: input.answer },
      });
      return { ok: true as const, questionId: question.id };
    },
    { behavior: "immediate" }
  );
}

/**
 * Closes a breach with a closing note. A breach with customers still to be notified stays open
 * (notify or remove them first); an incident judged not to be a breach can always be closed.
 */
export async function closeBreach(
  actor: Parameters<typeof requireStaffActor>[0],
  breachId: string,
  input: { closingNote: string },
  now: string
): Promise<WriteResult<{ pending: number }>> {
  requireStaffActor(actor, "workspace:write");
  const db = getDb();
  return db.transaction(
    (tx) => {
      const breach = breachOf(tx, actor.workspaceId, breachId);
      if (breach.status === "closed") return { ok: false as const, errors: { form: "breaches.error.alreadyClosed" } };
      const pending =
        tx
          .select({ n: count() })
          .from(breachCustomers)
          .where(and(eq(breachCustomers.breachId, breachId), eq(breachCustomers.status, "affected"), isNull(breachCustomers.notifiedAt)))
          .get()?.n ?? 0;
      if (breach.classification === "breach" && pending > 0)
        return { ok: false as const, errors: { form: "breaches.error.closePending" }, pending } as { ok: false; errors: Record<string, string> };
      const drafts = tx
        .select({ id: breachNotices.id })
        .from(breachNotices)
        .where(and(eq(breachNotices.breachId, breachId), eq(breachNotices.status, "draft")))
        .all();
      if (drafts.length > 0) return { ok: false as const, errors: { form: "breaches.error.closeDraft" } };
      tx.update(breaches)
        .set({ status: "closed", closedAt: now, closedByUserId: actor.userId, closingNote: input.closingNote, updatedAt: now })
        .where(eq(breaches.id, breachId))
        .run();
      appendAudit(tx, actor, now, {
        action: "breach.closed",
        entityType: "breach",
        entityId: breachId,
        data: { reference: breach.reference, note: input.closingNote },
      });
      return { ok: true as const, pending: 0 };
    },
    { behavior: "immediate" }
  );
}

export async function reopenBreach(
  actor: Parameters<typeof requireStaffActor>[0],
  breachId: string,
  input: { reason: string },
  now: string
): Promise<WriteResult<object>> {
  requireStaffActor(actor, "workspace:write");
  const db = getDb();
  return db.transaction(
    (tx) => {
      const breach = breachOf(tx, actor.workspaceId, breachId);
      if (breach.status !== "closed") return { ok: false as const, errors: { form: "breaches.error.notClosed" } };
      tx.update(breaches)
        .set({ status: "open", closedAt: null, closedByUserId: null, closingNote: null, updatedAt: now })
        .where(eq(breaches.id, breachId))
        .run();
      appendAudit(tx, actor, now, {
        action: "breach.reopened",
        entityType: "breach",
        entityId: breachId,
        data: { reference: breach.reference, note: input.reason, before: { closedAt: breach.closedAt, closingNote: breach.closingNote } },
      });
      return { ok: true as const };
    },
    { behavior: "immediate" }
  );
}

/**
 * Sets (or, with null, clears) the staff member who handles the breach and gets its notice
 * reminders. Only active admins and privacy officers of the workspace can be assigned.
 */
export async function setBreachAssignee(
  actor: Parameters<typeof requireStaffActor>[0],
  breachId: string,
  assigneeUserId: string | null,
  now: string
): Promise<WriteResult<{ changed: boolean }>> {
  requireStaffActor(actor, "workspace:write");
  const db = getDb();
  return db.transaction(
    (tx) => {
      const breach = breachOf(tx, actor.workspaceId, breachId);
      if (assigneeUserId !== null && !isAssigneeCandidate(tx, actor.workspaceId, assigneeUserId)) {
        return { ok: false as const, errors: { assigneeUserId: "reminders.assignee.error.notStaff" } };
      }
      if (breach.assigneeUserId === assigneeUserId) return { ok: true as const, changed: false };
      tx.update(breaches).set({ assigneeUserId, updatedAt: now }).where(eq(breaches.id, breachId)).run();
      appendAudit(tx, actor, now, {
        action: assigneeUserId ? "breach.assignee_set" : "breach.assignee_cleared",
        entityType: "breach",
        entityId: breachId,
        data: { reference: breach.reference, before: breach.assigneeUserId, after: assigneeUserId },
      });
      return { ok: true as const, changed: true };
    },
    { behavior: "immediate" }
  );
}

// ---------------------------------------------------------------------------------------
// The register (Art. 33(5)): every breach and incident with its decisions

export const RegisterQuery = z.object({
  classification: z.enum(["all", "breach", "not_breach"]).catch("all").default("all"),
  status: z.enum(["all", "open", "closed"]).catch("all").default("all"),
  risk: z.enum(["all", "none", "risk", "high", "unassessed"]).catch("all").default("all"),
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .catch(undefined),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .catch(undefined),
  q: z.string().trim().max(200).optional().default(""),
  after: z.string().max(500).optional(),
});
export type RegisterQuery = z.infer<typeof RegisterQuery>;

function registerConditions(workspaceId: string, query: RegisterQuery): SQL[] {
  const conditions: SQL[] = [eq(breaches.workspaceId, workspaceId)];
  if (query.classification !== "all") conditions.push(eq(breaches.classification, query.classification));
  if (query.status !== "all") conditions.push(eq(breaches.status, query.status));
  if (query.risk === "unassessed") conditions.push(isNull(breaches.riskLevel));
  else if (query.risk !== "all") conditions.push(eq(breaches.riskLevel, query.risk));
  // dates are Amsterdam days; the instant bounds are generous by a day and exact enough for a filter
  if (query.from) conditions.push(gte(breaches.discoveredAt, amsterdamLocalToInstant(`${query.from}T00:00`)));
  if (query.to) conditions.push(lt(breaches.discoveredAt, amsterdamLocalToInstant(`${nextDay(query.to)}T00:00`)));
  if (query.q) {
    const needle = `%${query.q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    conditions.push(
      or(sql`lower(${breaches.title}) like ${needle} escape '\\'`, like(breaches.reference, `%${query.q.toUpperCase().replace(/[\\%_]/g, "")}%`))!
    );
  }
  return conditions;
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export type RegisterEntry = {
  id: string;
  facts: BreachFacts;
  status: "open" | "closed";
  closedAt: string | null;
  closingNote: string | null;
  affected: number;
  notified: number;
  notifiedLate: number;
  firstNoticeAt: string | null;
  flags: { special: boolean; nationalId: boolean; criminal: boolean };
};

function registerSelect() {
  return {
    row: breaches,
    subprocessorName: subprocessors.legalName,
    subprocessorTradeName: subprocessors.tradeName,
    affected: sql<number>`(select count(*) from ${breachCustomers} where ${breachCustomers.breachId} = ${OUTER_BREACH_ID} and ${breachCustomers.status} = 'affected')`,
    notified: sql<number>`(select count(*) from ${breachCustomers} where ${breachCustomers.breachId} = ${OUTER_BREACH_ID} and ${breachCustomers.status} = 'affected' and ${breachCustomers.notifiedAt} is not null)`,
    notifiedLate: sql<number>`(select count(*) from ${breachCustomers} where ${breachCustomers.breachId} = ${OUTER_BREACH_ID} and ${breachCustomers.status} = 'affected' and ${breachCustomers.notifiedLate} = 1)`,
    firstNoticeAt: sql<string | null>`(select min(${breachCustomers.notifiedAt}) from ${breachCustomers} where ${breachCustomers.breachId} = ${OUTER_BREACH_ID})`,
  };
}

function registerEntry(r: {
  row: BreachRow;
  subprocessorName: string | null;
  subprocessorTradeName: string | null;
  affected: number;
  notified: number;
  notifiedLate: number;
  firstNoticeAt: string | null;
}): RegisterEntry {
  const name = r.subprocessorName
    ? r.subprocessorTradeName && r.subprocessorTradeName !== r.subprocessorName
      ? `${r.subprocessorName} (${r.subprocessorTradeName})`
      : r.subprocessorName
    : null;
  const facts = factsOfBreachRow(r.row, name);
  return {
    id: r.row.id,
    facts,
    status: r.row.status,
    closedAt: r.row.closedAt,
    closingNote: r.row.closingNote,
    affected: Number(r.affected),
    notified: Number(r.notified),
    notifiedLate: Number(r.notifiedLate),
    firstNoticeAt: r.firstNoticeAt,
    flags: dataFlags(facts.dataCategories),
  };
}

/** One page of the register, newest discovery first (keyset on discovery time and id). */
export async function listRegister(actor: Parameters<typeof requireStaffActor>[0], query: RegisterQuery) {
  requireStaffActor(actor);
  const db = getDb();
  const conditions = registerConditions(actor.workspaceId, query);
  const total =
    db
      .select({ n: count() })
      .from(breaches)
      .where(and(...conditions))
      .get()?.n ?? 0;
  const cursor = decodeCursor(query.after);
  const page = [...conditions];
  if (cursor) page.push(keysetAfter(breaches.discoveredAt, breaches.id, { value: cursor.due, id: cursor.id }, "desc"));
  const rows = db
    .select(registerSelect())
    .from(breaches)
    .leftJoin(subprocessors, eq(subprocessors.id, breaches.subprocessorId))
    .where(and(...page))
    .orderBy(desc(breaches.discoveredAt), desc(breaches.id))
    .limit(PAGE_SIZE + 1)
    .all();
  const hasMore = rows.length > PAGE_SIZE;
  const entries = rows.slice(0, PAGE_SIZE).map(registerEntry);
  const last = entries[entries.length - 1];
  return { total, entries, next: hasMore && last ? encodeCursor({ due: last.facts.discoveredAt, id: last.id }) : null };
}

/** Every entry matching the filters, for the CSV and PDF exports (newest first), read in pages. */
export function* registerEntries(workspaceId: string, query: RegisterQuery): Generator<RegisterEntry> {
  const db = getDb();
  const conditions = registerConditions(workspaceId, query);
  let cursor: Cursor | null = null;
  for (;;) {
    const page = [...conditions];
    if (cursor) page.push(keysetAfter(breaches.discoveredAt, breaches.id, { value: cursor.due, id: cursor.id }, "desc"));
    const rows = db
      .select(registerSelect())
      .from(breaches)
      .leftJoin(subprocessors, eq(subprocessors.id, breaches.subprocessorId))
      .where(and(...page))
      .orderBy(desc(breaches.discoveredAt), desc(breaches.id))
      .limit(500)
      .all();
    if (rows.length === 0) return;
    for (const r of rows) yield registerEntry(r);
    const last = rows[rows.length - 1].row;
    cursor = { due: last.discoveredAt, id: last.id };
  }
}
