/**
 * What the breach services share: access checks, reading a breach row as facts, the customers'
 * effective terms (computed once per group of customers with equal terms), deriving the affected
 * customers, and writing their obligations with every clock in bulk (one multi-row insert per 500
 * customers, never a query per customer), so a breach that affects 10,000 customers is logged in
 * one transaction well within a second. Also used by the demo seed and the benchmark.
 */
import { createHash } from "node:crypto";
import { and, desc, eq, exists, inArray, isNull, like, ne, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "../../db/client";
import {
  breachCustomers,
  breaches,
  customers,
  customerServices,
  subprocessorExclusions,
  subprocessors,
  subprocessorServices,
  termDeviations,
  workspaces,
} from "../../db/schema";
import type { BreachTiming } from "~/domain/breach-clock";
import { BREACH_TERMS_FIELDS, clockGroupKey, noticeClock, type NoticeClock } from "~/domain/breach-obligations";
import type { BreachFacts, BreachType, SubjectsNoticeDecision } from "~/domain/breach-record";
import { can, type Actor, type Permission } from "~/domain/permissions";
import { effectiveTerms, type EffectiveTerms } from "~/domain/terms";
import { amsterdamDateOf, parseInstant } from "~/domain/time";
import { forbidden, notFound } from "./http.server";
import { newId } from "./ids.server";
import { groupDeviations, termsVersionsOf } from "./terms-store.server";

export type StaffActor = Extract<Actor, { kind: "staff" }>;
export type PortalActor = Extract<Actor, { kind: "portal" }>;
export type BreachRow = typeof breaches.$inferSelect;
export type ObligationRow = typeof breachCustomers.$inferSelect;
type Handle = Db | Tx;

/** Staff of the workspace with the permission; a portal user gets 404 (no hint that staff pages exist). */
export function requireStaffActor(actor: Actor, permission: Permission = "workspace:read"): asserts actor is StaffActor {
  if (actor.kind !== "staff") throw notFound();
  if (!can(actor, permission)) throw forbidden();
}

export function requirePortalActor(actor: Actor): asserts actor is PortalActor {
  if (actor.kind !== "portal" || !can(actor, "portal:self")) throw notFound();
}

export function parseList(text: string | null): string[] {
  if (!text) return [];
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

export function sha256Hex(value: string | Buffer): string {
  return createHash("sha256").update(value).digest("hex");
}

/** The breach of this workspace, or 404. */
export function breachOf(db: Handle, workspaceId: string, breachId: string): BreachRow {
  const row = db
    .select()
    .from(breaches)
    .where(and(eq(breaches.id, breachId), eq(breaches.workspaceId, workspaceId)))
    .get();
  if (!row) throw notFound();
  return row;
}

export function subprocessorNameOf(db: Handle, workspaceId: string, subprocessorId: string | null): string | null {
  if (!subprocessorId) return null;
  const row = db
    .select({ legalName: subprocessors.legalName, tradeName: subprocessors.tradeName })
    .from(subprocessors)
    .where(and(eq(subprocessors.id, subprocessorId), eq(subprocessors.workspaceId, workspaceId)))
    .get();
  if (!row) return null;
  return row.tradeName && row.tradeName !== row.legalName ? `${row.legalName} (${row.tradeName})` : row.legalName;
}

/** A stored breach as the facts notices and registers are written from. */
export function factsOf(row: BreachRow, subprocessorName: string | null): BreachFacts {
  return {
    reference: row.reference,
    title: row.title,
    classification: row.classification,
    classificationReasoning: row.classificationReasoning,
    nature: row.nature,
    breachTypes: parseList(row.breachTypes) as BreachType[],
    sourceKind: row.sourceKind,
    subprocessorName: row.sourceKind === "subprocessor" ? subprocessorName : null,
    subprocessorReportedAt: row.sourceKind === "subprocessor" ? row.subprocessorReportedAt : null,
    occurredFrom: row.occurredFrom,
    occurredTo: row.occurredTo,
    ongoing: row.ongoing,
    discoveredAt: row.discoveredAt,
    shouldHaveKnownAt: row.shouldHaveKnownAt,
    dataCategories: parseList(row.dataCategories),
    dataCategoriesNote: row.dataCategoriesNote,
    dataSubjects: parseList(row.dataSubjects),
    subjectsMin: row.subjectsMin,
    subjectsMax: row.subjectsMax,
    recordsMin: row.recordsMin,
    recordsMax: row.recordsMax,
    protection: row.protection,
    consequences: row.consequences,
    measuresTaken: row.measuresTaken,
    measuresProposed: row.measuresProposed,
    contactName: row.contactName,
    contactEmail: row.contactEmail,
    contactPhone: row.contactPhone,
    followUpContact: row.followUpContact,
    riskLevel: row.riskLevel,
    riskReasoning: row.riskReasoning,
    subjectsNotice: row.subjectsNotice as SubjectsNoticeDecision,
    subjectsNoticeReasoning: row.subjectsNoticeReasoning,
    crossBorder: row.crossBorder,
  };
}

export function factsOfBreach(db: Handle, row: BreachRow): BreachFacts {
  return factsOf(row, subprocessorNameOf(db, row.workspaceId, row.subprocessorId));
}

/** The timing the clocks count from; a breach at a sub-processor is a breach at a third party. */
export function breachTiming(row: Pick<BreachRow, "discoveredAt" | "shouldHaveKnownAt" | "sourceKind">): BreachTiming {
  return {
    discoveredAt: row.discoveredAt,
    ...(row.shouldHaveKnownAt ? { shouldHaveKnownAt: row.shouldHaveKnownAt } : {}),
    atThirdParty: row.sourceKind === "subprocessor",
  };
}

export function internalTargetOf(db: Handle, workspaceId: string): number {
  return db.select({ hours: workspaces.internalBreachTargetHours }).from(workspaces).where(eq(workspaces.id, workspaceId)).get()?.hours ?? 24;
}

// ---------------------------------------------------------------------------------------
// Effective terms, once per group of equal terms

export type TermsCustomer = { id: string; termsVersionId: string | null };
export type ResolvedTerms = { terms: EffectiveTerms | null; groupKey: string; version: number | null };

/**
 * A resolver of customers' effective breach terms for one workspace: the profile versions and the
 * negotiated breach deviations are read once; customers with equal terms share one EffectiveTerms.
 * A deviation that no longer validates falls back to no terms (the internal target, labelled).
 */
export function termsResolver(db: Handle, workspaceId: string): (customer: TermsCustomer) => ResolvedTerms {
  const versions = termsVersionsOf(db, workspaceId);
  const rows = db
    .select()
    .from(termDeviations)
    .where(and(eq(termDeviations.workspaceId, workspaceId), inArray(termDeviations.field, [...BREACH_TERMS_FIELDS])))
    .all();
  const deviations = groupDeviations(rows);
  const cache = new Map<string, ResolvedTerms>();
  return (customer) => {
    const own = deviations.get(customer.id) ?? [];
    const key = clockGroupKey(customer.termsVersionId, own) + (own.length > 0 ? `|${own.map((d) => `${d.clause}\u0000${d.reason}`).join("\u0001")}` : "");
    const cached = cache.get(key);
    if (cached) return cached;
    const version = customer.termsVersionId ? versions.get(customer.termsVersionId) : undefined;
    let terms: EffectiveTerms | null = null;
    if (version?.profile) {
      try {
        terms = effectiveTerms(version.profile, version.version, own);
      } catch {
        terms = null;
      }
    }
    const resolved: ResolvedTerms = { terms, groupKey: key, version: version?.version ?? null };
    cache.set(key, resolved);
    return resolved;
  };
}

// ---------------------------------------------------------------------------------------
// Affected customers

/** Customers that count as current: not archived, contract not ended. */
function activeCustomers(workspaceId: string): SQL {
  return and(eq(customers.workspaceId, workspaceId), isNull(customers.archivedAt), ne(customers.status, "ended"))!;
}

export type AffectedSource = { sourceKind: "own_systems" | "subprocessor"; subprocessorId: string | null; serviceIds: string[] };

/**
 * Every current customer whose processing uses the affected services (own systems) or a service
 * the sub-processor supports, minus customers for whom that sub-processor is excluded.
 */
export function deriveAffectedCustomers(db: Handle, workspaceId: string, source: AffectedSource): TermsCustomer[] {
  if (source.sourceKind === "subprocessor") {
    if (!source.subprocessorId) return [];
    const excluded = exists(
      db
        .select({ one: sql`1` })
        .from(subprocessorExclusions)
        .where(and(eq(subprocessorExclusions.customerId, customers.id), eq(subprocessorExclusions.subprocessorId, source.subprocessorId)))
    );
    return db
      .selectDistinct({ id: customers.id, termsVersionId: customers.termsVersionId })
      .from(customers)
      .innerJoin(customerServices, eq(customerServices.customerId, customers.id))
      .innerJoin(subprocessorServices, eq(subprocessorServices.serviceId, customerServices.serviceId))
      .where(and(activeCustomers(workspaceId), eq(subprocessorServices.subprocessorId, source.subprocessorId), sql`not ${excluded}`))
      .all();
  }
  if (source.serviceIds.length === 0) return [];
  return db
    .selectDistinct({ id: customers.id, termsVersionId: customers.termsVersionId })
    .from(customers)
    .innerJoin(customerServices, eq(customerServices.customerId, customers.id))
    .where(and(activeCustomers(workspaceId), inArray(customerServices.serviceId, source.serviceIds)))
    .all();
}

const INSERT_CHUNK = 500;

/**
 * Writes one obligation per customer, each with its notice clock from its own effective terms.
 * Clocks are computed once per group of equal terms; rows go in multi-row inserts.
 */
export function insertObligations(
  tx: Tx,
  input: {
    workspaceId: string;
    breachId: string;
    timing: BreachTiming;
    internalTargetHours: number;
    customers: readonly TermsCustomer[];
    origin: "derived" | "added";
    reason?: string | null;
    adjustedByUserId?: string | null;
    now: string;
    resolve?: (customer: TermsCustomer) => ResolvedTerms;
  }
): number {
  if (input.customers.length === 0) return 0;
  const resolve = input.resolve ?? termsResolver(tx, input.workspaceId);
  const clocks = new Map<string, { clock: NoticeClock; json: string }>();
  const rows: (typeof breachCustomers.$inferInsert)[] = input.customers.map((customer) => {
    const resolved = resolve(customer);
    let entry = clocks.get(resolved.groupKey);
    if (!entry) {
      const clock = noticeClock({ terms: resolved.terms, breach: input.timing, internalTargetHours: input.internalTargetHours });
      entry = { clock, json: JSON.stringify(clock.deadline) };
      clocks.set(resolved.groupKey, entry);
    }
    return {
      id: newId(),
      workspaceId: input.workspaceId,
      breachId: input.breachId,
      customerId: customer.id,
      status: "affected",
      origin: input.origin,
      adjustReason: input.reason ?? null,
      adjustedAt: input.origin === "added" ? input.now : null,
      adjustedByUserId: input.adjustedByUserId ?? null,
      termsVersionId: customer.termsVersionId,
      noticeDeadline: entry.json,
      noticeStart: entry.clock.start,
      noticeSoonAt: entry.clock.soonAt,
      noticeDue: entry.clock.due,
      createdAt: input.now,
      updatedAt: input.now,
    };
  });
  insertRows(tx, rows);
  return rows.length;
}

type ObligationInsert = typeof breachCustomers.$inferInsert;
const OBLIGATION_COLUMNS = [
  "id",
  "workspaceId",
  "breachId",
  "customerId",
  "status",
  "origin",
  "adjustReason",
  "adjustedAt",
  "adjustedByUserId",
  "termsVersionId",
  "noticeDeadline",
  "noticeStart",
  "noticeSoonAt",
  "noticeDue",
  "createdAt",
  "updatedAt",
] as const satisfies readonly (keyof ObligationInsert)[];

/**
 * One prepared multi-row INSERT of `INSERT_CHUNK` rows (its SQL built and parsed once per call), run
 * once per full chunk, and one for the remainder: no statement per row.
 */
function insertRows(tx: Tx, rows: readonly ObligationInsert[]): void {
  const full = Math.floor(rows.length / INSERT_CHUNK) * INSERT_CHUNK;
  const statementFor = (size: number) =>
    tx
      .insert(breachCustomers)
      .values(
        Array.from({ length: size }, (_, r) =>
          Object.fromEntries(OBLIGATION_COLUMNS.map((column) => [column, sql.placeholder(`${column}${r}`)]))
        ) as unknown as ObligationInsert[]
      )
      .prepare();
  const paramsOf = (chunk: readonly ObligationInsert[]) => {
    const params: Record<string, unknown> = {};
    chunk.forEach((row, r) => {
      for (const column of OBLIGATION_COLUMNS) params[`${column}${r}`] = row[column] ?? null;
    });
    return params;
  };
  if (full > 0) {
    const statement = statementFor(INSERT_CHUNK);
    for (let i = 0; i < full; i += INSERT_CHUNK) statement.run(paramsOf(rows.slice(i, i + INSERT_CHUNK)));
  }
  if (rows.length > full) statementFor(rows.length - full).run(paramsOf(rows.slice(full)));
}

/**
 * Recomputes the notice clocks of the customers not yet notified (after the discovery time, the
 * should-have-known time or the source changed). Customers already notified keep the clock they
 * were notified against. One update per group of equal terms.
 */
export function recomputeClocks(tx: Tx, breach: BreachRow, now: string): number {
  const pending = tx
    .select({ id: breachCustomers.id, customerId: breachCustomers.customerId, termsVersionId: breachCustomers.termsVersionId })
    .from(breachCustomers)
    .where(and(eq(breachCustomers.breachId, breach.id), isNull(breachCustomers.notifiedAt)))
    .all();
  if (pending.length === 0) return 0;
  const resolve = termsResolver(tx, breach.workspaceId);
  const internal = internalTargetOf(tx, breach.workspaceId);
  const timing = breachTiming(breach);
  const groups = new Map<string, { clock: NoticeClock; ids: string[] }>();
  for (const row of pending) {
    const resolved = resolve({ id: row.customerId, termsVersionId: row.termsVersionId });
    let group = groups.get(resolved.groupKey);
    if (!group) {
      group = { clock: noticeClock({ terms: resolved.terms, breach: timing, internalTargetHours: internal }), ids: [] };
      groups.set(resolved.groupKey, group);
    }
    group.ids.push(row.id);
  }
  for (const { clock, ids } of groups.values()) {
    for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
      tx.update(breachCustomers)
        .set({ noticeDeadline: JSON.stringify(clock.deadline), noticeStart: clock.start, noticeSoonAt: clock.soonAt, noticeDue: clock.due, updatedAt: now })
        .where(inArray(breachCustomers.id, ids.slice(i, i + INSERT_CHUNK)))
        .run();
    }
  }
  return pending.length;
}

/** "INC-2026-0007": the next incident number of the workspace in the (Amsterdam) year of `now`. */
export function nextReference(db: Handle, workspaceId: string, now: string): string {
  const year = amsterdamDateOf(parseInstant(now, "now")).year;
  const prefix = `INC-${year}-`;
  const last = db
    .select({ reference: breaches.reference })
    .from(breaches)
    .where(and(eq(breaches.workspaceId, workspaceId), like(breaches.reference, `${prefix}%`)))
    .orderBy(desc(breaches.reference))
    .limit(1)
    .get();
  const number = last ? Number(last.reference.slice(prefix.length)) + 1 : 1;
  return `${prefix}${String(number).padStart(4, "0")}`;
}

/** The record as stored: instants in UTC, lists as arrays. */
export type BreachInsert = Omit<
  typeof breaches.$inferInsert,
  | "id"
  | "workspaceId"
  | "reference"
  | "status"
  | "createdAt"
  | "updatedAt"
  | "breachTypes"
  | "serviceIds"
  | "dataCategories"
  | "dataSubjects"
  | "closedAt"
  | "closedByUserId"
  | "closingNote"
> & { breachTypes: string[]; serviceIds: string[]; dataCategories: string[]; dataSubjects: string[] };

export function storedLists(values: Pick<BreachInsert, "breachTypes" | "serviceIds" | "dataCategories" | "dataSubjects">) {
  return {
    breachTypes: JSON.stringify(values.breachTypes),
    serviceIds: JSON.stringify(values.serviceIds),
    dataCategories: JSON.stringify(values.dataCategories),
    dataSubjects: JSON.stringify(values.dataSubjects),
  };
}

/**
 * Inserts a breach and, for a personal data breach, one obligation per affected customer (the
 * given list, or derived from the source). Returns the id, reference and number of customers.
 */
export function insertBreach(
  tx: Tx,
  input: {
    workspaceId: string;
    values: BreachInsert;
    now: string;
    createdByUserId: string | null;
    customers?: readonly TermsCustomer[];
    status?: "open" | "closed";
  }
): { id: string; reference: string; affected: number } {
  const id = newId();
  const reference = nextReference(tx, input.workspaceId, input.now);
  const { values } = input;
  tx.insert(breaches)
    .values({
      ...values,
      ...storedLists(values),
      id,
      workspaceId: input.workspaceId,
      reference,
      status: input.status ?? "open",
      createdByUserId: input.createdByUserId,
      createdAt: input.now,
      updatedAt: input.now,
    })
    .run();
  let affected = 0;
  if (values.classification === "breach") {
    const list =
      input.customers ??
      deriveAffectedCustomers(tx, input.workspaceId, {
        sourceKind: values.sourceKind,
        subprocessorId: values.subprocessorId ?? null,
        serviceIds: values.serviceIds,
      });
    affected = insertObligations(tx, {
      workspaceId: input.workspaceId,
      breachId: id,
      timing: breachTiming({ discoveredAt: values.discoveredAt, shouldHaveKnownAt: values.shouldHaveKnownAt ?? null, sourceKind: values.sourceKind }),
      internalTargetHours: internalTargetOf(tx, input.workspaceId),
      customers: list,
      origin: "derived",
      now: input.now,
    });
  }
  return { id, reference, affected };
}
