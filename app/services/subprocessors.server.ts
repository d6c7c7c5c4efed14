/**
 * The sub-processor register: list, detail with history and the customers that use an entry,
 * create and edit (with the signed DPA as an optional PDF), which sub-processors one customer uses,
 * and the workspace's public-page switch.
 *
 * Access: staff read with workspace:read, write with workspace:write (the public-page switch needs
 * workspace:admin); portal users get 404 on everything here except `listCustomerSubprocessors` for
 * their own customer. Every query is scoped to the actor's workspace.
 *
 * Which customers use a sub-processor follows from the processing details: a customer uses it when
 * it uses one of the services the sub-processor supports, unless it is excluded for that customer
 * ("alternative agreed" after an objection), or it was introduced under specific prior
 * authorisation and that customer has not approved (silence is not approval).
 */
import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { and, asc, count, desc, eq, exists, gt, gte, inArray, isNull, lt, lte, ne, or, sql, type SQL } from "drizzle-orm";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Db, Tx } from "../../db/client";
import {
  customerServices,
  customers,
  services,
  subprocessorChanges,
  subprocessorExclusions,
  subprocessorHistory,
  subprocessorNotices,
  subprocessorServices,
  subprocessors,
  subprocessorSubscriptions,
  users,
  workspaces,
} from "../../db/schema";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { actorLabel, actorUserId, can, type Actor, type Permission } from "~/domain/permissions";
import type { SubprocessorFormInput, SubprocessorFormValues } from "~/domain/subprocessor-forms";
import { applyChange } from "~/domain/subprocessor-notice";
import { countryName, inUseOn, isEeaCountry, normalisedSafeguard, type SubprocessorStatus, type TransferSafeguard } from "~/domain/subprocessor-register";
import { amsterdamDateOf, parseInstant } from "~/domain/time";
import { appendAudit } from "./audit.server";
import { forbidden, notFound } from "./http.server";
import { keysetAfter } from "./keyset";
import { newId } from "./ids.server";

// ---------------------------------------------------------------------------------------
// Access, rows, small helpers shared by the subprocessor-* services

export type StaffActor = Extract<Actor, { kind: "staff" }>;
export type PortalActor = Extract<Actor, { kind: "portal" }>;

/** Portal users get 404 (these pages do not exist for them); staff without the permission 403. */
export function requireStaffActor(actor: Actor, permission: Permission = "workspace:read"): asserts actor is StaffActor {
  if (actor.kind !== "staff") throw notFound();
  if (!can(actor, permission)) throw forbidden();
}

export function requirePortalActor(actor: Actor): asserts actor is PortalActor {
  if (actor.kind !== "portal" || !can(actor, "portal:self")) throw notFound();
}

export type SubprocessorRow = typeof subprocessors.$inferSelect;
export type ChangeRow = typeof subprocessorChanges.$inferSelect;
export type NoticeRow = typeof subprocessorNotices.$inferSelect;

export function parseList(textValue: string | null): string[] {
  if (!textValue) return [];
  try {
    const value = JSON.parse(textValue) as unknown;
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

/** Today's date in Europe/Amsterdam for an ISO instant. */
export function amsterdamToday(now: string): string {
  return amsterdamDateOf(parseInstant(now, "now")).toString();
}

export function sha256Hex(value: string | Buffer): string {
  return createHash("sha256").update(value).digest("hex");
}

/** One entry of the register as the screens use it (no internal note: callers add it for staff). */
export type SubprocessorView = {
  id: string;
  legalName: string;
  tradeName: string | null;
  service: { nl: string; en: string };
  purpose: { nl: string; en: string };
  locations: string[];
  dataCategories: string[];
  transferSafeguard: TransferSafeguard | null;
  breachNoticeHours: number | null;
  status: SubprocessorStatus;
  startDate: string | null;
  endDate: string | null;
};

export function subprocessorView(row: SubprocessorRow): SubprocessorView {
  return {
    id: row.id,
    legalName: row.legalName,
    tradeName: row.tradeName,
    service: { nl: row.serviceNl, en: row.serviceEn },
    purpose: { nl: row.purposeNl, en: row.purposeEn },
    locations: parseList(row.locations),
    dataCategories: parseList(row.dataCategories),
    transferSafeguard: row.transferSafeguard,
    breachNoticeHours: row.breachNoticeHours,
    status: row.status,
    startDate: row.startDate,
    endDate: row.endDate,
  };
}

/** The entry of the workspace with this id, or 404. */
export function subprocessorOf(tx: Tx | Db, workspaceId: string, id: string): SubprocessorRow {
  const row = tx
    .select()
    .from(subprocessors)
    .where(and(eq(subprocessors.id, id), eq(subprocessors.workspaceId, workspaceId)))
    .get();
  if (!row) throw notFound();
  return row;
}

export function recordHistory(
  tx: Tx,
  actor: Actor,
  now: string,
  entry: { subprocessorId: string; event: string; changeId?: string | null; data?: unknown },
): void {
  if (actor.workspaceId === null) throw new Error("history needs a workspace");
  tx.insert(subprocessorHistory)
    .values({
      id: newId(),
      workspaceId: actor.workspaceId,
      subprocessorId: entry.subprocessorId,
      changeId: entry.changeId ?? null,
      event: entry.event,
      at: now,
      actorUserId: actorUserId(actor),
      actorLabel: actorLabel(actor),
      data: JSON.stringify(entry.data ?? {}),
    })
    .run();
}

/** The customers that count as current: not archived, contract not ended. */
export function activeCustomerFilter(workspaceId: string): SQL {
  return and(eq(customers.workspaceId, workspaceId), isNull(customers.archivedAt), ne(customers.status, "ended"))!;
}

/** SQL: customer `customerId` uses a service that sub-processor `subprocessorId` supports. */
export function usesRelatedService(db: Db | Tx, customerId: SQL | typeof customers.id | string, subprocessorId: SQL | typeof subprocessors.id | string): SQL {
  return exists(
    db
      .select({ one: sql`1` })
      .from(customerServices)
      .innerJoin(subprocessorServices, eq(subprocessorServices.serviceId, customerServices.serviceId))
      .where(and(eq(customerServices.customerId, customerId), eq(subprocessorServices.subprocessorId, subprocessorId))),
  );
}

/**
 * SQL: the sub-processor is not used for the customer: excluded after an objection, or introduced
 * (new, replacement) under specific prior authorisation without that customer's approval.
 */
function notUsedFor(db: Db | Tx, customerId: SQL | typeof customers.id | string, subprocessorId: SQL | typeof subprocessors.id | string): SQL {
  const excluded = exists(
    db
      .select({ one: sql`1` })
      .from(subprocessorExclusions)
      .where(and(eq(subprocessorExclusions.customerId, customerId), eq(subprocessorExclusions.subprocessorId, subprocessorId))),
  );
  const awaitingApproval = exists(
    db
      .select({ one: sql`1` })
      .from(subprocessorNotices)
      .innerJoin(subprocessorChanges, eq(subprocessorChanges.id, subprocessorNotices.changeId))
      .where(
        and(
          eq(subprocessorNotices.customerId, customerId),
          eq(subprocessorChanges.subprocessorId, subprocessorId),
          inArray(subprocessorChanges.kind, ["new", "replacement"]),
          inArray(subprocessorChanges.status, ["awaiting_approval", "scheduled", "in_effect"]),
          eq(subprocessorNotices.included, true),
          eq(subprocessorNotices.regime, "approval_required"),
          or(isNull(subprocessorNotices.response), ne(subprocessorNotices.response, "approved")),
          or(isNull(subprocessorNotices.resolution), ne(subprocessorNotices.resolution, "withdrew")),
        ),
      ),
  );
  return or(excluded, awaitingApproval)!;
}

/** SQL: the entry is in use on `today`: active, started, not ended (end date = last day of use). */
export function inUseToday(today: string): SQL {
  return and(
    eq(subprocessors.status, "active"),
    or(isNull(subprocessors.startDate), lte(subprocessors.startDate, today)),
    or(isNull(subprocessors.endDate), gte(subprocessors.endDate, today)),
  )!;
}

// ---------------------------------------------------------------------------------------
// Register list

const PAGE_SIZE = 25;

export type RegisterListQuery = { q: string; status: "all" | SubprocessorStatus; after?: string; before?: string };

type Cursor = { v: string; id: string };

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.v, c.id])).toString("base64url");
}

export function decodeCursor(raw: string | undefined | null): Cursor | null {
  if (!raw) return null;
  try {
    const [v, id] = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as unknown[];
    return typeof v === "string" && typeof id === "string" ? { v, id } : null;
  } catch {
    return null;
  }
}

export function likeNeedle(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

/** `customerCount` is null for an entry that is not in use today (proposed, retired, or not started). */
export type RegisterListItem = SubprocessorView & { inUse: boolean; customerCount: number | null; serviceNames: { nl: string; en: string }[] };

/** One page of the register, sorted by name, keyset-paginated; with how many customers use each entry. */
export async function listSubprocessors(
  actor: Actor,
  query: RegisterListQuery,
  now: string,
): Promise<{ items: RegisterListItem[]; total: number; next: string | null; previous: string | null; counts: Record<SubprocessorStatus, number> }> {
  requireStaffActor(actor);
  const db = getDb();
  applyDueChanges(db, actor.workspaceId, now);
  const filters: SQL[] = [eq(subprocessors.workspaceId, actor.workspaceId)];
  if (query.status !== "all") filters.push(eq(subprocessors.status, query.status));
  if (query.q) {
    const needle = likeNeedle(query.q);
    filters.push(or(sql`${subprocessors.nameKey} like ${needle} escape '\\'`, sql`lower(${subprocessors.tradeName}) like ${needle} escape '\\'`)!);
  }
  const total = db
    .select({ n: count() })
    .from(subprocessors)
    .where(and(...filters))
    .get()!.n;
  const after = decodeCursor(query.after);
  const before = after ? null : decodeCursor(query.before);
  const cursor = after ?? before;
  const forward = !before;
  const pageFilters = [...filters];
  if (cursor) {
    const cmp = forward ? gt : lt;
    pageFilters.push(or(cmp(subprocessors.nameKey, cursor.v), and(eq(subprocessors.nameKey, cursor.v), cmp(subprocessors.id, cursor.id)))!);
  }
  const rows = db
    .select()
    .from(subprocessors)
    .where(and(...pageFilters))
    .orderBy(...(forward ? [asc(subprocessors.nameKey), asc(subprocessors.id)] : [desc(subprocessors.nameKey), desc(subprocessors.id)]))
    .limit(PAGE_SIZE + 1)
    .all();
  const hasMore = rows.length > PAGE_SIZE;
  const page = rows.slice(0, PAGE_SIZE);
  if (!forward) page.reverse();
  const servicesBySubprocessor = serviceNamesOf(db, page.map((r) => r.id));
  const today = amsterdamToday(now);
  const items = page.map((row) => {
    const inUse = inUseOn(row, today);
    return {
      ...subprocessorView(row),
      inUse,
      customerCount: inUse ? countCustomersUsing(db, actor.workspaceId, row.id) : null,
      serviceNames: servicesBySubprocessor.get(row.id) ?? [],
    };
  });
  const statusCounts = db
    .select({ status: subprocessors.status, n: count() })
    .from(subprocessors)
    .where(eq(subprocessors.workspaceId, actor.workspaceId))
    .groupBy(subprocessors.status)
    .all();
  const counts: Record<SubprocessorStatus, number> = { proposed: 0, active: 0, retired: 0 };
  for (const c of statusCounts) counts[c.status] = c.n;
  const first = page[0];
  const last = page[page.length - 1];
  return {
    items,
    total,
    counts,
    next: last && (forward ? hasMore : true) ? encodeCursor({ v: last.nameKey, id: last.id }) : null,
    previous: first && (forward ? Boolean(cursor) : hasMore) ? encodeCursor({ v: first.nameKey, id: first.id }) : null,
  };
}

function serviceNamesOf(db: Db, subprocessorIds: string[]): Map<string, { nl: string; en: string }[]> {
  const map = new Map<string, { nl: string; en: string }[]>();
  if (subprocessorIds.length === 0) return map;
  const rows = db
    .select({ subprocessorId: subprocessorServices.subprocessorId, nl: services.nameNl, en: services.nameEn })
    .from(subprocessorServices)
    .innerJoin(services, eq(services.id, subprocessorServices.serviceId))
    .where(inArray(subprocessorServices.subprocessorId, subprocessorIds))
    .orderBy(asc(services.nameNl))
    .all();
  for (const r of rows) map.set(r.subprocessorId, [...(map.get(r.subprocessorId) ?? []), { nl: r.nl, en: r.en }]);
  return map;
}

function customersUsingFilter(db: Db | Tx, workspaceId: string, subprocessorId: string): SQL {
  return and(activeCustomerFilter(workspaceId), usesRelatedService(db, customers.id, subprocessorId), not(notUsedFor(db, customers.id, subprocessorId)))!;
}

function not(condition: SQL): SQL {
  return sql`not (${condition})`;
}

export function countCustomersUsing(db: Db | Tx, workspaceId: string, subprocessorId: string): number {
  return db
    .select({ n: count() })
    .from(customers)
    .where(customersUsingFilter(db, workspaceId, subprocessorId))
    .get()!.n;
}

// ---------------------------------------------------------------------------------------
// Detail

export type HistoryItem = { id: string; event: string; at: string; actorLabel: string; changeId: string | null; data: Record<string, unknown> };

export type SubprocessorDetail = {
  subprocessor: SubprocessorView & {
    internalNote: string;
    dpaDate: string | null;
    document: { filename: string; size: number; sha256: string } | null;
    createdAt: string;
    updatedAt: string;
  };
  services: { id: string; nl: string; en: string }[];
  customers: { items: { id: string; name: string; city: string }[]; total: number; next: string | null };
  changes: { id: string; kind: ChangeRow["kind"]; role: "subject" | "replaced"; status: ChangeRow["status"]; plannedStart: string; sentAt: string | null }[];
  history: { items: HistoryItem[]; next: string | null };
  /** a change for this entry that is still open (draft, awaiting approval, scheduled) */
  openChangeId: string | null;
  /** in use today; when not, `customers` lists those with a related service (who would use it, or did) */
  inUse: boolean;
};

const HISTORY_PAGE = 30;

/** One entry with its services, the customers that use it (paginated), its changes and its history (paginated, newest first). */
export async function getSubprocessorDetail(
  actor: Actor,
  id: string,
  now: string,
  options: { customersAfter?: string | null; historyBefore?: string | null } = {},
): Promise<SubprocessorDetail> {
  requireStaffActor(actor);
  const db = getDb();
  applyDueChanges(db, actor.workspaceId, now);
  const row = subprocessorOf(db, actor.workspaceId, id);
  const serviceRows = db
    .select({ id: services.id, nl: services.nameNl, en: services.nameEn })
    .from(subprocessorServices)
    .innerJoin(services, eq(services.id, subprocessorServices.serviceId))
    .where(eq(subprocessorServices.subprocessorId, id))
    .orderBy(asc(services.nameNl))
    .all();

  const customersAfter = decodeCursor(options.customersAfter);
  const customerFilter = customersUsingFilter(db, actor.workspaceId, id);
  const customerRows = db
    .select({ id: customers.id, name: customers.name, nameKey: customers.nameKey, city: customers.city })
    .from(customers)
    .where(
      and(
        customerFilter,
        customersAfter ? keysetAfter(customers.nameKey, customers.id, { value: customersAfter.v, id: customersAfter.id }, "asc") : undefined,
      ),
    )
    .orderBy(asc(customers.nameKey), asc(customers.id))
    .limit(PAGE_SIZE + 1)
    .all();
  const customerPage = customerRows.slice(0, PAGE_SIZE);
  const lastCustomer = customerPage[customerPage.length - 1];

  const changeRows = db
    .select()
    .from(subprocessorChanges)
    .where(
      and(
        eq(subprocessorChanges.workspaceId, actor.workspaceId),
        or(eq(subprocessorChanges.subprocessorId, id), eq(subprocessorChanges.replacesSubprocessorId, id)),
      ),
    )
    .orderBy(desc(subprocessorChanges.createdAt), desc(subprocessorChanges.id))
    .limit(50)
    .all();

  const historyBefore = decodeCursor(options.historyBefore);
  const historyRows = db
    .select()
    .from(subprocessorHistory)
    .where(
      and(
        eq(subprocessorHistory.subprocessorId, id),
        historyBefore ? keysetAfter(subprocessorHistory.at, subprocessorHistory.id, { value: historyBefore.v, id: historyBefore.id }, "desc") : undefined,
      ),
    )
    .orderBy(desc(subprocessorHistory.at), desc(subprocessorHistory.id))
    .limit(HISTORY_PAGE + 1)
    .all();
  const historyPage = historyRows.slice(0, HISTORY_PAGE);
  const lastHistory = historyPage[historyPage.length - 1];

  return {
    subprocessor: {
      ...subprocessorView(row),
      internalNote: row.internalNote,
      dpaDate: row.dpaDate,
      document:
        row.dpaDocumentPath && row.dpaDocumentFilename && row.dpaDocumentSha256
          ? { filename: row.dpaDocumentFilename, size: row.dpaDocumentSize ?? 0, sha256: row.dpaDocumentSha256 }
          : null,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    },
    services: serviceRows,
    customers: {
      items: customerPage.map(({ nameKey: _k, ...c }) => c),
      total: countCustomersUsing(db, actor.workspaceId, id),
      next: customerRows.length > PAGE_SIZE && lastCustomer ? encodeCursor({ v: lastCustomer.nameKey, id: lastCustomer.id }) : null,
    },
    changes: changeRows.map((c) => ({
      id: c.id,
      kind: c.kind,
      role: c.subprocessorId === id ? "subject" : "replaced",
      status: c.status,
      plannedStart: c.plannedStart,
      sentAt: c.sentAt,
    })),
    history: {
      items: historyPage.map((h) => ({
        id: h.id,
        event: h.event,
        at: h.at,
        actorLabel: h.actorLabel,
        changeId: h.changeId,
        data: safeObject(h.data),
      })),
      next: historyRows.length > HISTORY_PAGE && lastHistory ? encodeCursor({ v: lastHistory.at, id: lastHistory.id }) : null,
    },
    openChangeId: changeRows.find((c) => c.subprocessorId === id && ["draft", "awaiting_approval", "scheduled"].includes(c.status))?.id ?? null,
    inUse: inUseOn(row, amsterdamToday(now)),
  };
}

function safeObject(textValue: string): Record<string, unknown> {
  try {
    const value = JSON.parse(textValue) as unknown;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

// ---------------------------------------------------------------------------------------
// Create and edit

/** The signed DPA with the sub-processor, as uploaded: a PDF, at most MAX_DOCUMENT_BYTES. */
export type UploadedDocument = { filename: string; bytes: Buffer };

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export type SubprocessorWriteResult = { ok: true; id: string } | { ok: false; errors: Record<string, string> };

/** "%PDF-" at the start: the only check that matters for "is this a PDF" without parsing it. */
export function isPdf(bytes: Buffer): boolean {
  return bytes.length >= 5 && bytes.subarray(0, 5).toString("latin1") === "%PDF-";
}

function documentError(document: UploadedDocument | null): string | null {
  if (!document) return null;
  if (document.bytes.length === 0) return "subprocessors.error.documentEmpty";
  if (document.bytes.length > MAX_DOCUMENT_BYTES) return "subprocessors.error.documentTooLarge";
  if (!isPdf(document.bytes)) return "subprocessors.error.documentNotPdf";
  return null;
}

/** Stores the PDF under DATA_DIR/files/subprocessor-dpas/ with a random name; returns its path relative to DATA_DIR. */
async function storeDocument(document: UploadedDocument): Promise<{ relativePath: string; absolutePath: string; sha256: string }> {
  const dir = path.join(getConfig().dataDir, "files", "subprocessor-dpas");
  await mkdir(dir, { recursive: true });
  const name = `${randomBytes(16).toString("hex")}.pdf`;
  const absolutePath = path.join(dir, name);
  await writeFile(absolutePath, document.bytes, { flag: "wx", mode: 0o600 });
  return { relativePath: path.join("files", "subprocessor-dpas", name), absolutePath, sha256: sha256Hex(document.bytes) };
}

/** A file name safe to show and to send back in Content-Disposition. */
function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const cleaned = base.replace(/[^\w.\- ()]+/g, "_").slice(0, 120).trim();
  return cleaned.toLowerCase().endsWith(".pdf") ? cleaned : `${cleaned || "dpa"}.pdf`;
}

function assertServicesOfWorkspace(tx: Tx, workspaceId: string, serviceIds: string[]): boolean {
  const found = tx
    .select({ id: services.id })
    .from(services)
    .where(and(eq(services.workspaceId, workspaceId), inArray(services.id, serviceIds)))
    .all();
  return found.length === new Set(serviceIds).size;
}

function replaceServices(tx: Tx, workspaceId: string, subprocessorId: string, serviceIds: string[]): void {
  tx.delete(subprocessorServices).where(eq(subprocessorServices.subprocessorId, subprocessorId)).run();
  for (const serviceId of new Set(serviceIds)) tx.insert(subprocessorServices).values({ subprocessorId, serviceId, workspaceId }).run();
}

function columnsFrom(values: SubprocessorFormValues) {
  return {
    legalName: values.legalName,
    nameKey: values.legalName.toLowerCase(),
    tradeName: values.tradeName || null,
    serviceNl: values.serviceNl,
    serviceEn: values.serviceEn,
    purposeNl: values.purposeNl,
    purposeEn: values.purposeEn,
    locations: JSON.stringify(values.locations),
    dataCategories: JSON.stringify([...new Set(values.dataCategories)]),
    transferSafeguard: normalisedSafeguard(values.locations, values.transferSafeguard),
    dpaDate: values.dpaDate,
    breachNoticeHours: values.breachNoticeHours,
    startDate: values.startDate,
    endDate: values.endDate,
    internalNote: values.internalNote,
  };
}

/**
 * Adds an entry to the register. New sub-processors are entered as "proposed" and announced with a
 * change notice; "active" and "retired" are for entries that were in use before the register.
 */
export async function createSubprocessor(
  actor: Actor,
  values: SubprocessorFormValues,
  document: UploadedDocument | null,
  now: string,
): Promise<SubprocessorWriteResult> {
  requireStaffActor(actor, "workspace:write");
  const docError = documentError(document);
  if (docError) return { ok: false, errors: { document: docError } };
  const stored = document ? await storeDocument(document) : null;
  try {
    return getDb().transaction(
      (tx): SubprocessorWriteResult => {
        if (!assertServicesOfWorkspace(tx, actor.workspaceId, values.serviceIds)) return { ok: false, errors: { serviceIds: "subprocessors.error.invalid" } };
        const id = newId();
        const columns = columnsFrom(values);
        tx.insert(subprocessors)
          .values({
            id,
            workspaceId: actor.workspaceId,
            ...columns,
            status: values.status,
            ...(stored && document
              ? { dpaDocumentPath: stored.relativePath, dpaDocumentFilename: cleanFilename(document.filename), dpaDocumentSha256: stored.sha256, dpaDocumentSize: document.bytes.length }
              : {}),
            createdAt: now,
            updatedAt: now,
          })
          .run();
        replaceServices(tx, actor.workspaceId, id, values.serviceIds);
        const data = { ...columns, status: values.status, serviceIds: values.serviceIds, document: stored ? { sha256: stored.sha256 } : null };
        recordHistory(tx, actor, now, { subprocessorId: id, event: "created", data });
        appendAudit(tx, actor, now, { action: "subprocessor.created", entityType: "subprocessor", entityId: id, data: { legalName: values.legalName, status: values.status } });
        return { ok: true, id };
      },
      { behavior: "immediate" },
    );
  } catch (error) {
    if (stored) await rm(stored.absolutePath, { force: true });
    throw error;
  }
}

/** Status changes allowed by editing; the others go through change notices. */
function statusChangeAllowed(from: SubprocessorStatus, to: SubprocessorStatus): boolean {
  return from === to || (from === "proposed" && to === "retired");
}

const LOCKED_WHEN_ACTIVE = ["locations", "transferSafeguard", "purposeNl", "purposeEn"] as const;

/**
 * Edits an entry. Every field change lands in the history with before and after. Locations and
 * purpose of an active entry change only through a change notice; status changes too, except that a
 * proposal can be withdrawn (proposed → retired).
 */
export async function updateSubprocessor(
  actor: Actor,
  id: string,
  values: SubprocessorFormValues,
  document: UploadedDocument | null,
  now: string,
): Promise<SubprocessorWriteResult> {
  requireStaffActor(actor, "workspace:write");
  const docError = documentError(document);
  if (docError) return { ok: false, errors: { document: docError } };
  const stored = document ? await storeDocument(document) : null;
  try {
    return getDb().transaction(
      (tx): SubprocessorWriteResult => {
        const before = subprocessorOf(tx, actor.workspaceId, id);
        if (!statusChangeAllowed(before.status, values.status)) return { ok: false, errors: { status: "subprocessors.error.statusThroughChange" } };
        if (!assertServicesOfWorkspace(tx, actor.workspaceId, values.serviceIds)) return { ok: false, errors: { serviceIds: "subprocessors.error.invalid" } };
        const after = { ...columnsFrom(values), status: values.status };
        const errors: Record<string, string> = {};
        if (before.status === "active") {
          for (const field of LOCKED_WHEN_ACTIVE) {
            if ((before[field] ?? null) !== (after[field] ?? null)) errors[field === "transferSafeguard" ? "locations" : field] = "subprocessors.error.lockedWhenActive";
          }
        }
        if (Object.keys(errors).length > 0) return { ok: false, errors };
        const changed: Record<string, { before: unknown; after: unknown }> = {};
        for (const [key, value] of Object.entries(after)) {
          if (key === "nameKey") continue;
          const old = before[key as keyof typeof before] ?? null;
          if (old !== (value ?? null)) changed[key] = { before: old, after: value ?? null };
        }
        const servicesBefore = tx
          .select({ id: subprocessorServices.serviceId })
          .from(subprocessorServices)
          .where(eq(subprocessorServices.subprocessorId, id))
          .all()
          .map((r) => r.id)
          .sort();
        const servicesAfter = [...new Set(values.serviceIds)].sort();
        if (servicesBefore.join() !== servicesAfter.join()) changed.serviceIds = { before: servicesBefore, after: servicesAfter };
        if (stored && document) changed.document = { before: before.dpaDocumentSha256, after: stored.sha256 };
        if (Object.keys(changed).length === 0) return { ok: true, id };
        tx.update(subprocessors)
          .set({
            ...after,
            ...(stored && document
              ? { dpaDocumentPath: stored.relativePath, dpaDocumentFilename: cleanFilename(document.filename), dpaDocumentSha256: stored.sha256, dpaDocumentSize: document.bytes.length }
              : {}),
            updatedAt: now,
          })
          .where(eq(subprocessors.id, id))
          .run();
        replaceServices(tx, actor.workspaceId, id, values.serviceIds);
        recordHistory(tx, actor, now, { subprocessorId: id, event: "updated", data: changed });
        appendAudit(tx, actor, now, { action: "subprocessor.updated", entityType: "subprocessor", entityId: id, data: changed });
        return { ok: true, id };
      },
      { behavior: "immediate" },
    );
  } catch (error) {
    if (stored) await rm(stored.absolutePath, { force: true });
    throw error;
  }
}

/** The edit form's starting values. */
export async function subprocessorFormDefaults(actor: Actor, id: string): Promise<{ status: SubprocessorStatus; values: SubprocessorFormInput; document: { filename: string } | null }> {
  requireStaffActor(actor);
  const db = getDb();
  const row = subprocessorOf(db, actor.workspaceId, id);
  const serviceIds = db
    .select({ id: subprocessorServices.serviceId })
    .from(subprocessorServices)
    .where(eq(subprocessorServices.subprocessorId, id))
    .all()
    .map((r) => r.id);
  return {
    status: row.status,
    values: {
      legalName: row.legalName,
      tradeName: row.tradeName ?? "",
      serviceNl: row.serviceNl,
      serviceEn: row.serviceEn,
      purposeNl: row.purposeNl,
      purposeEn: row.purposeEn,
      locations: parseList(row.locations).join(", "),
      transferSafeguard: (row.transferSafeguard ?? "") as "" | TransferSafeguard,
      dataCategories: parseList(row.dataCategories),
      serviceIds,
      dpaDate: row.dpaDate ?? "",
      breachNoticeHours: row.breachNoticeHours === null ? "" : String(row.breachNoticeHours),
      status: row.status,
      startDate: row.startDate ?? "",
      endDate: row.endDate ?? "",
      internalNote: row.internalNote,
    },
    document: row.dpaDocumentFilename ? { filename: row.dpaDocumentFilename } : null,
  };
}

/** The workspace's services, for the form's checkboxes. */
export async function listServicesForSubprocessors(actor: Actor) {
  requireStaffActor(actor);
  return getDb()
    .select({ id: services.id, nameNl: services.nameNl, nameEn: services.nameEn })
    .from(services)
    .where(eq(services.workspaceId, actor.workspaceId))
    .orderBy(asc(services.nameNl))
    .all();
}

/** The stored DPA document of an entry, for download by staff: absolute path, name, hash. */
export async function subprocessorDocument(actor: Actor, id: string): Promise<{ absolutePath: string; filename: string; sha256: string }> {
  requireStaffActor(actor);
  const row = subprocessorOf(getDb(), actor.workspaceId, id);
  if (!row.dpaDocumentPath || !row.dpaDocumentFilename || !row.dpaDocumentSha256) throw notFound();
  const dataDir = getConfig().dataDir;
  const absolutePath = path.resolve(dataDir, row.dpaDocumentPath);
  if (!absolutePath.startsWith(path.resolve(dataDir) + path.sep)) throw notFound();
  return { absolutePath, filename: row.dpaDocumentFilename, sha256: row.dpaDocumentSha256 };
}

// ---------------------------------------------------------------------------------------
// Which sub-processors a customer uses

export type CustomerSubprocessor = SubprocessorView & { serviceNames: { nl: string; en: string }[] };

/**
 * The sub-processors one customer uses on `now`'s date: in use, supporting a service the customer
 * uses, minus exclusions and unapproved introductions. Portal users get their own customer only
 * (any other id: 404); staff any customer of their workspace.
 */
export async function listCustomerSubprocessors(actor: Actor, customerId: string, now: string): Promise<CustomerSubprocessor[]> {
  if (actor.kind === "portal") {
    requirePortalActor(actor);
    if (actor.customerId !== customerId) throw notFound();
  } else {
    requireStaffActor(actor);
  }
  const db = getDb();
  const customer = db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.workspaceId, actor.workspaceId!)))
    .get();
  if (!customer) throw notFound();
  applyDueChanges(db, actor.workspaceId!, now);
  return customerSubprocessorsIn(db, actor.workspaceId!, customerId, amsterdamToday(now));
}

export function customerSubprocessorsIn(db: Db | Tx, workspaceId: string, customerId: string, today: string): CustomerSubprocessor[] {
  const rows = db
    .select()
    .from(subprocessors)
    .where(
      and(
        eq(subprocessors.workspaceId, workspaceId),
        inUseToday(today),
        usesRelatedService(db, customerId, subprocessors.id),
        not(notUsedFor(db, customerId, subprocessors.id)),
      ),
    )
    .orderBy(asc(subprocessors.nameKey), asc(subprocessors.id))
    .all();
  const names = new Map<string, { nl: string; en: string }[]>();
  if (rows.length > 0) {
    const serviceRows = db
      .select({ subprocessorId: subprocessorServices.subprocessorId, nl: services.nameNl, en: services.nameEn })
      .from(subprocessorServices)
      .innerJoin(services, eq(services.id, subprocessorServices.serviceId))
      .innerJoin(customerServices, and(eq(customerServices.serviceId, services.id), eq(customerServices.customerId, customerId)))
      .where(
        inArray(
          subprocessorServices.subprocessorId,
          rows.map((r) => r.id),
        ),
      )
      .orderBy(asc(services.nameNl))
      .all();
    for (const r of serviceRows) names.set(r.subprocessorId, [...(names.get(r.subprocessorId) ?? []), { nl: r.nl, en: r.en }]);
  }
  return rows.map((row) => ({ ...subprocessorView(row), serviceNames: names.get(row.id) ?? [] }));
}

// ---------------------------------------------------------------------------------------
// Public page switch

export type PublicPageSettings = { enabled: boolean; slug: string; subscribers: { confirmed: number; pending: number }; canAdmin: boolean };

export async function getPublicPageSettings(actor: Actor): Promise<PublicPageSettings> {
  requireStaffActor(actor);
  const db = getDb();
  const ws = db.select().from(workspaces).where(eq(workspaces.id, actor.workspaceId)).get();
  if (!ws) throw notFound();
  const rows = db
    .select({ status: subprocessorSubscriptions.status, n: count() })
    .from(subprocessorSubscriptions)
    .where(eq(subprocessorSubscriptions.workspaceId, actor.workspaceId))
    .groupBy(subprocessorSubscriptions.status)
    .all();
  const of = (status: string) => rows.find((r) => r.status === status)?.n ?? 0;
  return { enabled: ws.publicSubprocessorPage, slug: ws.slug, subscribers: { confirmed: of("confirmed"), pending: of("pending") }, canAdmin: can(actor, "workspace:admin") };
}

/** Switches the public page on or off (administrators only). */
export async function setPublicPage(actor: Actor, enabled: boolean, now: string): Promise<void> {
  requireStaffActor(actor, "workspace:admin");
  getDb().transaction(
    (tx) => {
      const ws = tx.select({ enabled: workspaces.publicSubprocessorPage }).from(workspaces).where(eq(workspaces.id, actor.workspaceId)).get();
      if (!ws) throw notFound();
      if (ws.enabled === enabled) return;
      tx.update(workspaces).set({ publicSubprocessorPage: enabled }).where(eq(workspaces.id, actor.workspaceId)).run();
      appendAudit(tx, actor, now, { action: enabled ? "subprocessor_page.enabled" : "subprocessor_page.disabled", entityType: "workspace", entityId: actor.workspaceId });
    },
    { behavior: "immediate" },
  );
}

/** For other services' user lookups: a user's display name, or null. */
export function userName(db: Db | Tx, userId: string | null): string | null {
  if (!userId) return null;
  return db.select({ name: users.name }).from(users).where(eq(users.id, userId)).get()?.name ?? null;
}

// ---------------------------------------------------------------------------------------
// Changes taking effect

function systemActor(workspaceId: string): Actor {
  return { kind: "system", label: "subprocessor-changes", workspaceId };
}

/**
 * Puts one accepted change into effect in the register (inside the caller's transaction): the
 * subject (and for a replacement the replaced entry) get their new fields, the change becomes
 * in_effect, and both land in the history. Idempotent: a change already applied is left alone.
 */
export function applyChangeNow(tx: Tx, change: ChangeRow, actor: Actor, now: string): void {
  if (change.appliedAt !== null || change.status !== "scheduled") return;
  const subject = subprocessorOf(tx, change.workspaceId, change.subprocessorId);
  const replaced = change.replacesSubprocessorId ? subprocessorOf(tx, change.workspaceId, change.replacesSubprocessorId) : null;
  const fields = (row: SubprocessorRow) => ({
    status: row.status,
    startDate: row.startDate,
    endDate: row.endDate,
    locations: parseList(row.locations),
    transferSafeguard: row.transferSafeguard,
    purposeNl: row.purposeNl,
    purposeEn: row.purposeEn,
  });
  const effect = applyChange(
    {
      kind: change.kind,
      plannedStart: change.plannedStart,
      newLocations: change.newLocations ? parseList(change.newLocations) : null,
      newTransferSafeguard: change.newTransferSafeguard,
      newPurposeNl: change.newPurposeNl,
      newPurposeEn: change.newPurposeEn,
    },
    fields(subject),
    replaced ? fields(replaced) : null,
  );
  const write = (row: SubprocessorRow, patch: Partial<ReturnType<typeof fields>>) => {
    const changed: Record<string, { before: unknown; after: unknown }> = {};
    const current = fields(row) as Record<string, unknown>;
    for (const [key, value] of Object.entries(patch)) {
      if (JSON.stringify(current[key] ?? null) !== JSON.stringify(value ?? null)) changed[key] = { before: current[key] ?? null, after: value ?? null };
    }
    const { locations, ...rest } = patch;
    tx.update(subprocessors)
      .set({ ...rest, ...(locations ? { locations: JSON.stringify(locations) } : {}), updatedAt: now })
      .where(eq(subprocessors.id, row.id))
      .run();
    recordHistory(tx, actor, now, { subprocessorId: row.id, event: "change_in_effect", changeId: change.id, data: { kind: change.kind, plannedStart: change.plannedStart, changed } });
  };
  write(subject, effect.subject);
  if (replaced && effect.replaced) write(replaced, effect.replaced);
  tx.update(subprocessorChanges).set({ status: "in_effect", appliedAt: now, updatedAt: now }).where(eq(subprocessorChanges.id, change.id)).run();
  appendAudit(tx, actor, now, {
    action: "subprocessor_change.in_effect",
    entityType: "subprocessor_change",
    entityId: change.id,
    data: { kind: change.kind, subprocessorId: change.subprocessorId, plannedStart: change.plannedStart },
  });
}

/**
 * Puts every accepted change whose start date has come into effect: for one workspace, or (with
 * `workspaceId` null, for a background job) for all. Reading first keeps this a cheap indexed check
 * when nothing is due, so the register, portal and public page can call it before they read.
 */
export function applyDueChanges(db: Db, workspaceId: string | null, now: string): number {
  const today = amsterdamToday(now);
  const due = and(
    eq(subprocessorChanges.status, "scheduled"),
    lte(subprocessorChanges.plannedStart, today),
    isNull(subprocessorChanges.appliedAt),
    workspaceId ? eq(subprocessorChanges.workspaceId, workspaceId) : undefined,
  );
  const any = db.select({ id: subprocessorChanges.id }).from(subprocessorChanges).where(due).limit(1).get();
  if (!any) return 0;
  return db.transaction(
    (tx) => {
      const changes = tx.select().from(subprocessorChanges).where(due).orderBy(asc(subprocessorChanges.plannedStart), asc(subprocessorChanges.id)).all();
      for (const change of changes) applyChangeNow(tx, change, systemActor(change.workspaceId), now);
      return changes.length;
    },
    { behavior: "immediate" },
  );
}

/** For a background job: put due changes of every workspace into effect. */
export async function applyDueSubprocessorChanges(db: Db, now: string): Promise<number> {
  return applyDueChanges(db, null, now);
}

// ---------------------------------------------------------------------------------------
// Display helpers for loaders (country names are computed on the server, so the page renders the
// same text before and after hydration)

export type LocationLabel = { code: string; name: string; outsideEea: boolean };

export function locationLabels(codes: readonly string[], locale: "nl" | "en"): LocationLabel[] {
  return codes.map((code) => ({ code, name: countryName(code, locale), outsideEea: !isEeaCountry(code) }));
}

/** Open objections, for the section's navigation badge. */
export async function countOpenObjections(actor: Actor): Promise<number> {
  requireStaffActor(actor);
  return getDb()
    .select({ n: count() })
    .from(subprocessorNotices)
    .where(and(eq(subprocessorNotices.workspaceId, actor.workspaceId), eq(subprocessorNotices.response, "objected"), isNull(subprocessorNotices.resolution)))
    .get()!.n;
}

// ---------------------------------------------------------------------------------------
// Reading the register form (multipart, with the optional PDF)

const MAX_TEXT_PART_BYTES = 100_000;

/**
 * Reads the posted register form: the text fields as FormData and the PDF (if one was chosen).
 * A file over the size limit is read to the end and dropped, so the answer is a clear message next
 * to the field instead of a broken connection.
 */
export async function readSubprocessorForm(request: Request): Promise<{ form: FormData; document: UploadedDocument | null; documentError: string | null }> {
  const contentType = request.headers.get("Content-Type") ?? "";
  if (!contentType.startsWith("multipart/form-data")) return { form: await request.formData(), document: null, documentError: null };
  let document: UploadedDocument | null = null;
  let documentError: string | null = null;
  const handler: UploadHandler = async ({ name, filename, data }) => {
    const limit = typeof filename === "string" ? (name === "document" ? MAX_DOCUMENT_BYTES : 0) : MAX_TEXT_PART_BYTES;
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of data) {
      size += chunk.byteLength;
      if (size <= limit) chunks.push(chunk);
    }
    if (typeof filename !== "string") {
      if (size > limit) throw new Response("Form field too large", { status: 413 });
      return Buffer.concat(chunks).toString("utf8");
    }
    if (name !== "document" || (filename === "" && size === 0)) return undefined;
    if (size > limit) documentError = "subprocessors.error.documentTooLarge";
    else document = { filename, bytes: Buffer.concat(chunks) };
    return undefined;
  };
  const form = await unstable_parseMultipartFormData(request, handler);
  return { form, document, documentError };
}
