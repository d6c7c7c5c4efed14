/**
 * Change notices: a change to the sub-processor list is prepared as a draft (what changes, when,
 * which customers: by default every current customer using a related service, adjustable), then
 * sent in ONE transaction that writes, per customer, the proof of notice (when, to which addresses,
 * which text and its SHA-256, the regime and window from that customer's effective terms at that
 * moment) and queues the mail in the customer's language. A planned start on or before a window's
 * last day is refused with the customers and dates that conflict, unless staff give a reason to
 * override (recorded). Under specific prior authorisation the start is accepted only once every
 * such customer approved (or with a recorded override); accepted changes take effect on their start
 * date.
 *
 * Staff only: portal users get 404, auditors 403 on every write.
 */
import { and, asc, count, desc, eq, exists, inArray, isNotNull, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "../../db/client";
import {
  customers,
  customerServices,
  subprocessorChanges,
  subprocessorNotices,
  subprocessorServices,
  subprocessors,
  subprocessorSubscriptions,
  termDeviations,
  users,
  workspaces,
} from "../../db/schema";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import type { DateDeadline } from "~/domain/deadline";
import type { Actor } from "~/domain/permissions";
import type { ChangeFormValues } from "~/domain/subprocessor-forms";
import {
  earliestStart,
  noticeState,
  regimeForNotice,
  startConflicts,
  statusAfterSending,
  type ChangeKind,
  type ChangeStatus,
  type ConflictNotice,
  type NoticeRegime,
  type NoticeState,
  type RegimeForNotice,
  type StartConflict,
} from "~/domain/subprocessor-notice";
import { effectiveTerms, type EffectiveTerms, type StoredDeviation } from "~/domain/terms";
import type { Locale } from "~/i18n/i18n";
import { enqueueMail } from "~/mail/outbox.server";
import { appendAudit } from "./audit.server";
import { notFound } from "./http.server";
import { keysetAfter } from "./keyset";
import { newId } from "./ids.server";
import { unsubscribeLink } from "./subprocessor-public.server";
import {
  activeCustomerFilter,
  amsterdamToday,
  applyChangeNow,
  applyDueChanges,
  decodeCursor,
  encodeCursor,
  likeNeedle,
  parseList,
  recordHistory,
  requireStaffActor,
  sha256Hex,
  subprocessorOf,
  subprocessorView,
  type ChangeRow,
  type StaffActor,
  type SubprocessorRow,
  type SubprocessorView,
} from "./subprocessors.server";
import { cancellationMail, noticeTexts, publicEntry, subscriberChangeMail, type TextChange, type TextEntry } from "./subprocessor-texts.server";
import { groupDeviations, termsVersionsOf } from "./terms-store.server";

const PAGE_SIZE = 25;
const OPEN_STATUSES: ChangeStatus[] = ["draft", "awaiting_approval", "scheduled"];

export function textEntry(row: SubprocessorRow): TextEntry {
  const view = subprocessorView(row);
  return {
    legalName: view.legalName,
    tradeName: view.tradeName,
    service: view.service,
    purpose: view.purpose,
    locations: view.locations,
    dataCategories: view.dataCategories,
    transferSafeguard: view.transferSafeguard,
  };
}

export function textChange(change: ChangeRow): TextChange {
  return {
    kind: change.kind,
    plannedStart: change.plannedStart,
    description: { nl: change.descriptionNl, en: change.descriptionEn },
    newLocations: change.newLocations ? parseList(change.newLocations) : null,
    newTransferSafeguard: change.newTransferSafeguard,
    newPurpose: change.newPurposeNl && change.newPurposeEn ? { nl: change.newPurposeNl, en: change.newPurposeEn } : null,
  };
}

function changeOf(tx: Tx | ReturnType<typeof getDb>, workspaceId: string, id: string): ChangeRow {
  const row = tx
    .select()
    .from(subprocessorChanges)
    .where(and(eq(subprocessorChanges.id, id), eq(subprocessorChanges.workspaceId, workspaceId)))
    .get();
  if (!row) throw notFound();
  return row;
}

// ---------------------------------------------------------------------------------------
// Step 1: the draft

export type ChangeFormOptions = {
  proposed: { id: string; name: string }[];
  active: { id: string; name: string }[];
};

export async function changeFormOptions(actor: Actor): Promise<ChangeFormOptions> {
  requireStaffActor(actor);
  const rows = getDb()
    .select({ id: subprocessors.id, name: subprocessors.legalName, status: subprocessors.status })
    .from(subprocessors)
    .where(and(eq(subprocessors.workspaceId, actor.workspaceId), ne(subprocessors.status, "retired")))
    .orderBy(asc(subprocessors.nameKey), asc(subprocessors.id))
    .all();
  return {
    proposed: rows.filter((r) => r.status === "proposed").map(({ id, name }) => ({ id, name })),
    active: rows.filter((r) => r.status === "active").map(({ id, name }) => ({ id, name })),
  };
}

/** What must hold for a change of this kind; the field a problem belongs to, with its message key. */
function kindProblems(
  tx: Tx,
  workspaceId: string,
  input: { kind: ChangeKind; subprocessorId: string; replacesSubprocessorId: string | null; newLocations: string[] | null },
  ignoreChangeId: string | null,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const subject = tx
    .select()
    .from(subprocessors)
    .where(and(eq(subprocessors.id, input.subprocessorId), eq(subprocessors.workspaceId, workspaceId)))
    .get();
  if (!subject) return { subprocessorId: "subprocessors.error.subprocessorRequired" };
  const needsProposed = input.kind === "new" || input.kind === "replacement";
  if (needsProposed && subject.status !== "proposed") errors.subprocessorId = "subprocessors.error.mustBeProposed";
  if (!needsProposed && subject.status !== "active") errors.subprocessorId = "subprocessors.error.mustBeActive";
  const locations = input.kind === "location" ? (input.newLocations ?? []) : parseList(subject.locations);
  if (locations.length === 0) errors[input.kind === "location" ? "newLocations" : "subprocessorId"] = "subprocessors.error.noLocations";
  const ids = [subject.id];
  if (input.kind === "replacement") {
    const replaced = input.replacesSubprocessorId
      ? tx
          .select()
          .from(subprocessors)
          .where(and(eq(subprocessors.id, input.replacesSubprocessorId), eq(subprocessors.workspaceId, workspaceId)))
          .get()
      : undefined;
    if (!replaced) errors.replacesSubprocessorId = "subprocessors.error.replacesRequired";
    else if (replaced.status !== "active") errors.replacesSubprocessorId = "subprocessors.error.mustBeActive";
    else ids.push(replaced.id);
  }
  const open = tx
    .select({ id: subprocessorChanges.id })
    .from(subprocessorChanges)
    .where(
      and(
        eq(subprocessorChanges.workspaceId, workspaceId),
        inArray(subprocessorChanges.status, OPEN_STATUSES),
        or(inArray(subprocessorChanges.subprocessorId, ids), inArray(subprocessorChanges.replacesSubprocessorId, ids)),
        ignoreChangeId ? ne(subprocessorChanges.id, ignoreChangeId) : undefined,
      ),
    )
    .get();
  if (open) errors.subprocessorId ??= "subprocessors.error.openChangeExists";
  return errors;
}

export type DraftResult = { ok: true; id: string } | { ok: false; errors: Record<string, string> };

/**
 * Creates a draft change and its customer selection: every current customer of the workspace gets a
 * row, selected when it uses a service the change concerns (for a replacement: of either entry).
 * Nothing is sent yet.
 */
export async function createChangeDraft(actor: Actor, values: ChangeFormValues, now: string): Promise<DraftResult> {
  requireStaffActor(actor, "workspace:write");
  const today = amsterdamToday(now);
  return getDb().transaction(
    (tx): DraftResult => {
      const errors = kindProblems(tx, actor.workspaceId, values, null);
      if (values.plannedStart < today) errors.plannedStart = "subprocessors.error.startInPast";
      if (Object.keys(errors).length > 0) return { ok: false, errors };
      const id = newId();
      tx.insert(subprocessorChanges)
        .values({
          id,
          workspaceId: actor.workspaceId,
          kind: values.kind,
          subprocessorId: values.subprocessorId,
          replacesSubprocessorId: values.replacesSubprocessorId,
          plannedStart: values.plannedStart,
          newLocations: values.newLocations ? JSON.stringify(values.newLocations) : null,
          newTransferSafeguard: values.newTransferSafeguard,
          newPurposeNl: values.newPurposeNl,
          newPurposeEn: values.newPurposeEn,
          descriptionNl: values.descriptionNl,
          descriptionEn: values.descriptionEn,
          internalNote: values.internalNote,
          status: "draft",
          createdByUserId: actor.userId,
          createdAt: now,
          updatedAt: now,
        })
        .run();
      const related = [values.subprocessorId, ...(values.replacesSubprocessorId ? [values.replacesSubprocessorId] : [])];
      const usesRelated = exists(
        tx
          .select({ one: sql`1` })
          .from(customerServices)
          .innerJoin(subprocessorServices, eq(subprocessorServices.serviceId, customerServices.serviceId))
          .where(and(eq(customerServices.customerId, customers.id), inArray(subprocessorServices.subprocessorId, related))),
      );
      const rows = tx
        .select({ id: customers.id, related: sql<number>`case when ${usesRelated} then 1 else 0 end` })
        .from(customers)
        .where(activeCustomerFilter(actor.workspaceId))
        .all();
      const values_ = rows.map((r) => ({
        id: newId(),
        workspaceId: actor.workspaceId,
        changeId: id,
        customerId: r.id,
        included: Boolean(r.related),
        usesRelatedService: Boolean(r.related),
        createdAt: now,
      }));
      for (let i = 0; i < values_.length; i += 500) tx.insert(subprocessorNotices).values(values_.slice(i, i + 500)).run();
      appendAudit(tx, actor, now, {
        action: "subprocessor_change.drafted",
        entityType: "subprocessor_change",
        entityId: id,
        data: { kind: values.kind, subprocessorId: values.subprocessorId, plannedStart: values.plannedStart, selected: values_.filter((v) => v.included).length },
      });
      return { ok: true, id };
    },
    { behavior: "immediate" },
  );
}

// ---------------------------------------------------------------------------------------
// Terms per customer

type TermsCustomer = { id: string; termsVersionId: string | null };

/**
 * The regime of a notice sent at `sentAt`, per customer, from its effective terms. Customers without
 * negotiated deviations share their version's result, so thousands of customers cost a handful of
 * computations.
 */
function regimeResolver(tx: Tx, workspaceId: string, customerIds: readonly string[], sentAt: string) {
  const versions = termsVersionsOf(tx, workspaceId);
  const deviations = new Map<string, StoredDeviation[]>();
  for (let i = 0; i < customerIds.length; i += 500) {
    const chunk = customerIds.slice(i, i + 500);
    const rows = tx
      .select()
      .from(termDeviations)
      .where(and(eq(termDeviations.workspaceId, workspaceId), inArray(termDeviations.customerId, chunk)))
      .all();
    groupDeviations(rows, deviations);
  }
  const termsOf = (customer: TermsCustomer): EffectiveTerms | null => {
    const version = customer.termsVersionId ? versions.get(customer.termsVersionId) : undefined;
    if (!version?.profile) return null;
    try {
      return effectiveTerms(version.profile, version.version, deviations.get(customer.id) ?? []);
    } catch {
      // a deviation that no longer validates: fall back to the strictest regime rather than guess
      return null;
    }
  };
  const shared = new Map<string, RegimeForNotice>();
  return (customer: TermsCustomer): RegimeForNotice => {
    const key = deviations.has(customer.id) ? null : (customer.termsVersionId ?? "none");
    if (key !== null) {
      const cached = shared.get(key);
      if (cached) return cached;
    }
    const regime = regimeForNotice({ terms: termsOf(customer), noticeSentAt: sentAt });
    if (key !== null) shared.set(key, regime);
    return regime;
  };
}

const emailSchema = z.string().email();
const validEmails = new Map<string, boolean>();

/** The outbox's own address check, remembered per address (thousands of customers share few shapes). */
function isValidEmail(address: string): boolean {
  let valid = validEmails.get(address);
  if (valid === undefined) {
    valid = emailSchema.safeParse(address).success;
    if (validEmails.size > 50_000) validEmails.clear();
    validEmails.set(address, valid);
  }
  return valid;
}

/** Where a customer's notices go: its notification addresses, else its privacy contact. */
function recipientsOf(customer: { notificationEmails: string; privacyContactEmail: string }): string[] {
  const listed = parseList(customer.notificationEmails).filter(isValidEmail);
  if (listed.length > 0) return [...new Set(listed)];
  return isValidEmail(customer.privacyContactEmail) ? [customer.privacyContactEmail] : [];
}

// ---------------------------------------------------------------------------------------
// Reading a change

export type ChangeSummary = {
  id: string;
  kind: ChangeKind;
  status: ChangeStatus;
  subprocessor: { id: string; legalName: string };
  replaces: { id: string; legalName: string } | null;
  plannedStart: string;
  sentAt: string | null;
  createdAt: string;
  notified: number;
  openObjections: number;
};

export type ChangeListQuery = { status: "all" | "open" | ChangeStatus; after?: string };

/** The workspace's changes, newest first, keyset-paginated. */
export async function listChanges(actor: Actor, query: ChangeListQuery, now: string): Promise<{ items: ChangeSummary[]; next: string | null; total: number }> {
  requireStaffActor(actor);
  const db = getDb();
  applyDueChanges(db, actor.workspaceId, now);
  const filters: SQL[] = [eq(subprocessorChanges.workspaceId, actor.workspaceId)];
  if (query.status === "open") filters.push(inArray(subprocessorChanges.status, OPEN_STATUSES));
  else if (query.status !== "all") filters.push(eq(subprocessorChanges.status, query.status));
  const total = db
    .select({ n: count() })
    .from(subprocessorChanges)
    .where(and(...filters))
    .get()!.n;
  const after = decodeCursor(query.after);
  const rows = db
    .select()
    .from(subprocessorChanges)
    .where(
      and(
        ...filters,
        after ? keysetAfter(subprocessorChanges.createdAt, subprocessorChanges.id, { value: after.v, id: after.id }, "desc") : undefined,
      ),
    )
    .orderBy(desc(subprocessorChanges.createdAt), desc(subprocessorChanges.id))
    .limit(PAGE_SIZE + 1)
    .all();
  const page = rows.slice(0, PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    total,
    items: page.map((row) => summaryOf(db, row)),
    next: rows.length > PAGE_SIZE && last ? encodeCursor({ v: last.createdAt, id: last.id }) : null,
  };
}

function summaryOf(db: ReturnType<typeof getDb> | Tx, row: ChangeRow): ChangeSummary {
  const subject = subprocessorOf(db, row.workspaceId, row.subprocessorId);
  const replaced = row.replacesSubprocessorId ? subprocessorOf(db, row.workspaceId, row.replacesSubprocessorId) : null;
  const counts = db
    .select({
      notified: sql<number>`sum(case when ${subprocessorNotices.sentAt} is not null then 1 else 0 end)`,
      objections: sql<number>`sum(case when ${subprocessorNotices.response} = 'objected' and ${subprocessorNotices.resolution} is null then 1 else 0 end)`,
    })
    .from(subprocessorNotices)
    .where(eq(subprocessorNotices.changeId, row.id))
    .get();
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    subprocessor: { id: subject.id, legalName: subject.legalName },
    replaces: replaced ? { id: replaced.id, legalName: replaced.legalName } : null,
    plannedStart: row.plannedStart,
    sentAt: row.sentAt,
    createdAt: row.createdAt,
    notified: Number(counts?.notified ?? 0),
    openObjections: Number(counts?.objections ?? 0),
  };
}

export type SelectionRow = {
  customerId: string;
  name: string;
  city: string;
  included: boolean;
  usesRelatedService: boolean;
  /** what the customer's terms would give if the notice were sent now */
  regime: NoticeRegime;
  regimeAssumed: boolean;
  windowEnd: string | null;
};

export type NoticeRow = {
  noticeId: string;
  customerId: string;
  name: string;
  included: boolean;
  sentAt: string | null;
  regime: NoticeRegime | null;
  regimeArticle: string | null;
  windowEnd: string | null;
  windowDeadline: DateDeadline | null;
  toAddresses: string[];
  bodySha256: string | null;
  response: "approved" | "objected" | null;
  respondedAt: string | null;
  respondedByName: string | null;
  reasons: string | null;
  resolution: "withdrew" | "alternative" | "cancelled" | "terminates" | null;
  resolvedAt: string | null;
  resolutionNote: string | null;
  state: NoticeState | "not_notified";
};

export type SendPreview = {
  selected: number;
  byRegime: Record<NoticeRegime, number>;
  assumed: number;
  conflicts: StartConflict[];
  conflictCount: number;
  earliestStart: string;
  withoutAddress: { customerId: string; name: string }[];
};

export type NoticeFilter = "all" | "attention" | "open" | "objected" | "approved" | "not_notified";
export type SelectionFilter = "selected" | "not_selected" | "all";

export type ChangeDetail = {
  change: ChangeSummary & {
    description: { nl: string; en: string };
    internalNote: string;
    newLocations: string[] | null;
    newTransferSafeguard: ChangeRow["newTransferSafeguard"];
    newPurpose: { nl: string; en: string } | null;
    sendOverrideReason: string | null;
    startAcceptedAt: string | null;
    startAcceptedBy: string | null;
    startOverrideReason: string | null;
    cancelledAt: string | null;
    cancelledReason: string | null;
    appliedAt: string | null;
    createdBy: string | null;
    sentBy: string | null;
  };
  subprocessor: SubprocessorView;
  replaces: SubprocessorView | null;
  public: { title: string; summary: string };
  /** draft only */
  /** `total`: every customer row of the draft; `matching`: those in the current filter and search */
  selection: { rows: SelectionRow[]; next: string | null; total: number; matching: number; selected: number; preview: SendPreview } | null;
  /** sent only */
  notices: { rows: NoticeRow[]; next: string | null; matching: number; counts: Partial<Record<NoticeState | "not_notified", number>>; acceptConflicts: StartConflict[] } | null;
  canWrite: boolean;
};

function userNameOf(db: ReturnType<typeof getDb>, id: string | null): string | null {
  if (!id) return null;
  return db.select({ name: users.name }).from(users).where(eq(users.id, id)).get()?.name ?? null;
}

/**
 * One change with, for a draft, its customer selection (paginated, filterable) and a preview of
 * sending now (regimes, conflicts with the start date, customers without an address); for a sent
 * change, the status per customer (paginated, filterable) with counts per status, and what stands
 * in the way of accepting the start date.
 */
export async function getChange(
  actor: Actor,
  id: string,
  query: { filter?: string | null; q?: string | null; after?: string | null },
  now: string,
  locale: Locale,
): Promise<ChangeDetail> {
  requireStaffActor(actor);
  const db = getDb();
  applyDueChanges(db, actor.workspaceId, now);
  const change = changeOf(db, actor.workspaceId, id);
  const subject = subprocessorOf(db, actor.workspaceId, change.subprocessorId);
  const replaced = change.replacesSubprocessorId ? subprocessorOf(db, actor.workspaceId, change.replacesSubprocessorId) : null;
  const summary = summaryOf(db, change);
  const q = (query.q ?? "").trim().slice(0, 200);
  const after = decodeCursor(query.after);
  const base = {
    change: {
      ...summary,
      description: { nl: change.descriptionNl, en: change.descriptionEn },
      internalNote: change.internalNote,
      newLocations: change.newLocations ? parseList(change.newLocations) : null,
      newTransferSafeguard: change.newTransferSafeguard,
      newPurpose: change.newPurposeNl && change.newPurposeEn ? { nl: change.newPurposeNl, en: change.newPurposeEn } : null,
      sendOverrideReason: change.sendOverrideReason,
      startAcceptedAt: change.startAcceptedAt,
      startAcceptedBy: userNameOf(db, change.startAcceptedByUserId),
      startOverrideReason: change.startOverrideReason,
      cancelledAt: change.cancelledAt,
      cancelledReason: change.cancelledReason,
      appliedAt: change.appliedAt,
      createdBy: userNameOf(db, change.createdByUserId),
      sentBy: userNameOf(db, change.sentByUserId),
    },
    subprocessor: subprocessorView(subject),
    replaces: replaced ? subprocessorView(replaced) : null,
    public: publicEntry(locale, textChange(change), textEntry(subject), replaced ? textEntry(replaced) : null),
    canWrite: actor.role !== "auditor",
  };
  const nameFilter = q ? sql`${customers.nameKey} like ${likeNeedle(q)} escape '\\'` : undefined;
  const keyset = after ? keysetAfter(customers.nameKey, customers.id, { value: after.v, id: after.id }, "asc") : undefined;

  if (change.status === "draft") {
    const filter = (["selected", "not_selected", "all"] as const).find((f) => f === query.filter) ?? "selected";
    const where = and(
      eq(subprocessorNotices.changeId, id),
      filter === "selected" ? eq(subprocessorNotices.included, true) : filter === "not_selected" ? eq(subprocessorNotices.included, false) : undefined,
      nameFilter,
    );
    const matching = db
      .select({ n: count() })
      .from(subprocessorNotices)
      .innerJoin(customers, eq(customers.id, subprocessorNotices.customerId))
      .where(where)
      .get()!.n;
    const total = db.select({ n: count() }).from(subprocessorNotices).where(eq(subprocessorNotices.changeId, id)).get()!.n;
    const rows = db
      .select({
        customerId: customers.id,
        name: customers.name,
        nameKey: customers.nameKey,
        city: customers.city,
        termsVersionId: customers.termsVersionId,
        included: subprocessorNotices.included,
        usesRelatedService: subprocessorNotices.usesRelatedService,
      })
      .from(subprocessorNotices)
      .innerJoin(customers, eq(customers.id, subprocessorNotices.customerId))
      .where(and(where, keyset))
      .orderBy(asc(customers.nameKey), asc(customers.id))
      .limit(PAGE_SIZE + 1)
      .all();
    const page = rows.slice(0, PAGE_SIZE);
    const last = page[page.length - 1];
    const preview = db.transaction((tx) => previewSend(tx, change, now), { behavior: "deferred" });
    const resolve = db.transaction((tx) => regimeResolver(tx, actor.workspaceId, page.map((r) => r.customerId), now), { behavior: "deferred" });
    return {
      ...base,
      selection: {
        rows: page.map((r) => {
          const regime = resolve({ id: r.customerId, termsVersionId: r.termsVersionId });
          return {
            customerId: r.customerId,
            name: r.name,
            city: r.city,
            included: r.included,
            usesRelatedService: r.usesRelatedService,
            regime: regime.regime,
            regimeAssumed: regime.assumed,
            windowEnd: regime.windowEnd,
          };
        }),
        next: rows.length > PAGE_SIZE && last ? encodeCursor({ v: last.nameKey, id: last.customerId }) : null,
        total,
        matching,
        selected: preview.selected,
        preview,
      },
      notices: null,
    };
  }

  const today = amsterdamToday(now);
  const filter = (["all", "attention", "open", "objected", "approved", "not_notified"] as const).find((f) => f === query.filter) ?? "all";
  const n = subprocessorNotices;
  const filterSql: Record<NoticeFilter, SQL | undefined> = {
    all: eq(n.included, true),
    not_notified: eq(n.included, false),
    objected: and(eq(n.included, true), eq(n.response, "objected")),
    approved: and(eq(n.included, true), eq(n.response, "approved")),
    attention: and(
      eq(n.included, true),
      isNull(n.resolution),
      or(eq(n.response, "objected"), and(eq(n.regime, "approval_required"), isNull(n.response))),
    ),
    open: and(
      eq(n.included, true),
      isNull(n.resolution),
      isNull(n.response),
      or(
        eq(n.regime, "approval_required"),
        and(eq(n.regime, "window"), sql`${n.windowEnd} >= ${today}`),
        and(eq(n.regime, "objection_without_window"), sql`${change.plannedStart} > ${today}`),
      ),
    ),
  };
  const where = and(eq(n.changeId, id), filterSql[filter], nameFilter);
  const matching = db
    .select({ n: count() })
    .from(n)
    .innerJoin(customers, eq(customers.id, n.customerId))
    .where(where)
    .get()!.n;
  const rows = db
    .select({ notice: n, name: customers.name, nameKey: customers.nameKey })
    .from(n)
    .innerJoin(customers, eq(customers.id, n.customerId))
    .where(and(where, keyset))
    .orderBy(asc(customers.nameKey), asc(customers.id))
    .limit(PAGE_SIZE + 1)
    .all();
  const page = rows.slice(0, PAGE_SIZE);
  const last = page[page.length - 1];
  const all = db
    .select({
      customerId: n.customerId,
      name: customers.name,
      included: n.included,
      regime: n.regime,
      windowEnd: n.windowEnd,
      response: n.response,
      resolution: n.resolution,
      respondedAt: n.respondedAt,
    })
    .from(n)
    .innerJoin(customers, eq(customers.id, n.customerId))
    .where(eq(n.changeId, id))
    .orderBy(asc(customers.nameKey))
    .all();
  const counts: Partial<Record<NoticeState | "not_notified", number>> = {};
  const conflictInput: ConflictNotice[] = [];
  for (const row of all) {
    if (!row.included || !row.regime) {
      counts.not_notified = (counts.not_notified ?? 0) + 1;
      continue;
    }
    const state = noticeState(
      { regime: row.regime, windowEnd: row.windowEnd, plannedStart: change.plannedStart, changeStatus: change.status, response: row.response, resolution: row.resolution },
      now,
    );
    counts[state] = (counts[state] ?? 0) + 1;
    conflictInput.push({ ...row, customerName: row.name, regime: row.regime });
  }
  const acceptConflicts =
    change.status === "awaiting_approval" || change.status === "scheduled"
      ? startConflicts({ plannedStart: change.plannedStart, notices: conflictInput, phase: "accept" })
      : [];
  return {
    ...base,
    selection: null,
    notices: {
      rows: page.map(({ notice, name }) => ({
        noticeId: notice.id,
        customerId: notice.customerId,
        name,
        included: notice.included,
        sentAt: notice.sentAt,
        regime: notice.regime,
        regimeArticle: notice.regimeArticle,
        windowEnd: notice.windowEnd,
        windowDeadline: notice.windowDeadline ? (JSON.parse(notice.windowDeadline) as DateDeadline) : null,
        toAddresses: parseList(notice.toAddresses),
        bodySha256: notice.bodySha256,
        response: notice.response,
        respondedAt: notice.respondedAt,
        respondedByName: notice.respondedByName,
        reasons: notice.reasons,
        resolution: notice.resolution,
        resolvedAt: notice.resolvedAt,
        resolutionNote: notice.resolutionNote,
        state:
          notice.included && notice.regime
            ? noticeState(
                {
                  regime: notice.regime,
                  windowEnd: notice.windowEnd,
                  plannedStart: change.plannedStart,
                  changeStatus: change.status,
                  response: notice.response,
                  resolution: notice.resolution,
                },
                now,
              )
            : "not_notified",
      })),
      next: rows.length > PAGE_SIZE && last ? encodeCursor({ v: last.nameKey, id: last.notice.customerId }) : null,
      matching,
      counts,
      acceptConflicts,
    },
  };
}

/** The proof text of one notice (staff), for reading what exactly was sent. */
export async function getNoticeProof(actor: Actor, changeId: string, noticeId: string) {
  requireStaffActor(actor);
  const db = getDb();
  const row = db
    .select({ notice: subprocessorNotices, name: customers.name })
    .from(subprocessorNotices)
    .innerJoin(customers, eq(customers.id, subprocessorNotices.customerId))
    .where(and(eq(subprocessorNotices.id, noticeId), eq(subprocessorNotices.changeId, changeId), eq(subprocessorNotices.workspaceId, actor.workspaceId)))
    .get();
  if (!row || !row.notice.sentAt || row.notice.body === null) throw notFound();
  return {
    customerName: row.name,
    sentAt: row.notice.sentAt,
    to: parseList(row.notice.toAddresses),
    subject: row.notice.subject ?? "",
    body: row.notice.body,
    sha256: row.notice.bodySha256 ?? "",
    matches: sha256Hex(row.notice.body) === row.notice.bodySha256,
  };
}

// ---------------------------------------------------------------------------------------
// The selection of a draft

export type SelectionValues = { intent: "include" | "exclude" | "include_all" | "exclude_all" | "reset"; customerIds: string[] };

export async function updateDraftSelection(actor: Actor, changeId: string, input: SelectionValues, now: string): Promise<{ ok: true; changed: number } | { ok: false; error: string }> {
  requireStaffActor(actor, "workspace:write");
  return getDb().transaction(
    (tx) => {
      const change = changeOf(tx, actor.workspaceId, changeId);
      if (change.status !== "draft") return { ok: false as const, error: "subprocessors.error.notDraft" };
      const scope = eq(subprocessorNotices.changeId, changeId);
      let changed = 0;
      switch (input.intent) {
        case "include":
        case "exclude": {
          if (input.customerIds.length === 0) return { ok: false as const, error: "subprocessors.error.noneChecked" };
          changed = tx
            .update(subprocessorNotices)
            .set({ included: input.intent === "include" })
            .where(and(scope, inArray(subprocessorNotices.customerId, input.customerIds)))
            .run().changes;
          break;
        }
        case "include_all":
        case "exclude_all":
          changed = tx.update(subprocessorNotices).set({ included: input.intent === "include_all" }).where(scope).run().changes;
          break;
        case "reset":
          changed = tx
            .update(subprocessorNotices)
            .set({ included: sql`${subprocessorNotices.usesRelatedService}` })
            .where(scope)
            .run().changes;
          break;
      }
      tx.update(subprocessorChanges).set({ updatedAt: now }).where(eq(subprocessorChanges.id, changeId)).run();
      appendAudit(tx, actor, now, {
        action: "subprocessor_change.selection_changed",
        entityType: "subprocessor_change",
        entityId: changeId,
        data: { intent: input.intent, customerIds: input.customerIds.slice(0, 100), rows: changed },
      });
      return { ok: true as const, changed };
    },
    { behavior: "immediate" },
  );
}

/** Deletes a draft and its selection (nothing was sent, so nothing of it is evidence). */
export async function discardDraft(actor: Actor, changeId: string, now: string): Promise<{ ok: true } | { ok: false; error: string }> {
  requireStaffActor(actor, "workspace:write");
  return getDb().transaction(
    (tx) => {
      const change = changeOf(tx, actor.workspaceId, changeId);
      if (change.status !== "draft") return { ok: false as const, error: "subprocessors.error.notDraft" };
      tx.delete(subprocessorNotices).where(eq(subprocessorNotices.changeId, changeId)).run();
      tx.delete(subprocessorChanges).where(eq(subprocessorChanges.id, changeId)).run();
      appendAudit(tx, actor, now, {
        action: "subprocessor_change.discarded",
        entityType: "subprocessor_change",
        entityId: changeId,
        data: { kind: change.kind, subprocessorId: change.subprocessorId },
      });
      return { ok: true as const };
    },
    { behavior: "immediate" },
  );
}

// ---------------------------------------------------------------------------------------
// Sending

type Recipient = {
  noticeId: string;
  usesRelatedService: boolean;
  createdAt: string;
  customerId: string;
  name: string;
  language: Locale;
  termsVersionId: string | null;
  to: string[];
};

function selectedRecipients(tx: Tx, changeId: string): Recipient[] {
  return tx
    .select({
      noticeId: subprocessorNotices.id,
      usesRelatedService: subprocessorNotices.usesRelatedService,
      createdAt: subprocessorNotices.createdAt,
      customerId: customers.id,
      name: customers.name,
      language: customers.language,
      termsVersionId: customers.termsVersionId,
      notificationEmails: customers.notificationEmails,
      privacyContactEmail: customers.privacyContactEmail,
    })
    .from(subprocessorNotices)
    .innerJoin(customers, eq(customers.id, subprocessorNotices.customerId))
    // a customer archived or ended since the draft was made is not notified any more
    .where(and(eq(subprocessorNotices.changeId, changeId), eq(subprocessorNotices.included, true), isNull(customers.archivedAt), ne(customers.status, "ended")))
    .orderBy(asc(customers.nameKey), asc(customers.id))
    .all()
    .map((r) => ({
      noticeId: r.noticeId,
      usesRelatedService: r.usesRelatedService,
      createdAt: r.createdAt,
      customerId: r.customerId,
      name: r.name,
      language: r.language,
      termsVersionId: r.termsVersionId,
      to: recipientsOf(r),
    }));
}

const MAX_LISTED_CONFLICTS = 50;

function previewFor(tx: Tx, change: ChangeRow, plannedStart: string, now: string) {
  const recipients = selectedRecipients(tx, change.id);
  const resolve = regimeResolver(
    tx,
    change.workspaceId,
    recipients.map((r) => r.customerId),
    now,
  );
  const regimes = recipients.map((r) => ({ recipient: r, regime: resolve({ id: r.customerId, termsVersionId: r.termsVersionId }) }));
  const conflicts = startConflicts({
    plannedStart,
    phase: "send",
    notices: regimes.map(({ recipient, regime }) => ({
      customerId: recipient.customerId,
      customerName: recipient.name,
      regime: regime.regime,
      windowEnd: regime.windowEnd,
      response: null,
      resolution: null,
      respondedAt: null,
    })),
  });
  const byRegime: Record<NoticeRegime, number> = { approval_required: 0, window: 0, objection_without_window: 0, informational: 0 };
  for (const { regime } of regimes) byRegime[regime.regime] += 1;
  return {
    regimes,
    conflicts,
    preview: {
      selected: recipients.length,
      byRegime,
      assumed: regimes.filter((r) => r.regime.assumed).length,
      conflicts: conflicts.slice(0, MAX_LISTED_CONFLICTS),
      conflictCount: conflicts.length,
      earliestStart: earliestStart(
        regimes.map((r) => r.regime.windowEnd),
        amsterdamToday(now),
      ),
      withoutAddress: recipients.filter((r) => r.to.length === 0).map((r) => ({ customerId: r.customerId, name: r.name })),
    } satisfies SendPreview,
  };
}

function previewSend(tx: Tx, change: ChangeRow, now: string): SendPreview {
  return previewFor(tx, change, change.plannedStart, now).preview;
}

export type SendResult =
  | { ok: true; sent: number; status: "awaiting_approval" | "scheduled" | "in_effect" }
  | { ok: false; errors: Record<string, string>; conflicts?: StartConflict[]; conflictCount?: number; earliestStart?: string; withoutAddress?: { customerId: string; name: string }[] };

/**
 * Sends a draft: in one transaction, per selected customer, the regime and window from its
 * effective terms, the notice text in its language with the text's SHA-256, the addresses, the mail
 * through the outbox and an audit event; then the change's status, its history and the mail to the
 * public page's subscribers. Refused, with nothing stored, when no customer is selected, a customer
 * has no address, the start lies in the past, or (without `overrideReason`) the start falls on or
 * before a window's last day.
 */
export async function sendChange(actor: Actor, changeId: string, input: { plannedStart: string; overrideReason: string }, now: string): Promise<SendResult> {
  requireStaffActor(actor, "workspace:write");
  const config = getConfig();
  const today = amsterdamToday(now);
  return getDb().transaction(
    (tx): SendResult => {
      const change = changeOf(tx, actor.workspaceId, changeId);
      if (change.status !== "draft") return { ok: false, errors: { form: "subprocessors.error.notDraft" } };
      if (input.plannedStart < today) return { ok: false, errors: { plannedStart: "subprocessors.error.startInPast" } };
      const problems = kindProblems(
        tx,
        actor.workspaceId,
        { kind: change.kind, subprocessorId: change.subprocessorId, replacesSubprocessorId: change.replacesSubprocessorId, newLocations: change.newLocations ? parseList(change.newLocations) : null },
        change.id,
      );
      if (Object.keys(problems).length > 0) return { ok: false, errors: { form: Object.values(problems)[0] } };
      const planned = { ...change, plannedStart: input.plannedStart };
      const { regimes, conflicts, preview } = previewFor(tx, planned, input.plannedStart, now);
      if (regimes.length === 0) return { ok: false, errors: { form: "subprocessors.error.noneSelected" } };
      if (preview.withoutAddress.length > 0) return { ok: false, errors: { form: "subprocessors.error.noAddress" }, withoutAddress: preview.withoutAddress };
      const overrideReason = input.overrideReason.trim();
      if (conflicts.length > 0 && !overrideReason) {
        return {
          ok: false,
          errors: { plannedStart: "subprocessors.error.startConflicts" },
          conflicts: conflicts.slice(0, MAX_LISTED_CONFLICTS),
          conflictCount: conflicts.length,
          earliestStart: preview.earliestStart,
        };
      }

      const workspace = tx.select().from(workspaces).where(eq(workspaces.id, actor.workspaceId)).get()!;
      const subject = subprocessorOf(tx, actor.workspaceId, change.subprocessorId);
      const replaced = change.replacesSubprocessorId ? subprocessorOf(tx, actor.workspaceId, change.replacesSubprocessorId) : null;
      const text = textChange(planned);
      const subjectText = textEntry(subject);
      const replacedText = replaced ? textEntry(replaced) : null;
      const portalLink = `${config.appUrl}/portal/subprocessors`;
      const texts = noticeTexts({ vendor: workspace.tradeName, change: text, subject: subjectText, replaced: replacedText, portalLink });
      const rows: (typeof subprocessorNotices.$inferInsert)[] = [];
      for (const { recipient, regime } of regimes) {
        const mail = texts(recipient.language, recipient.name, regime);
        const bodySha256 = sha256Hex(mail.body);
        const outboxId = enqueueMail(
          tx,
          { workspaceId: actor.workspaceId, customerId: recipient.customerId, kind: "subprocessor_notice", to: recipient.to, subject: mail.subject, text: mail.body },
          now,
        );
        rows.push({
          id: recipient.noticeId,
          workspaceId: actor.workspaceId,
          changeId,
          customerId: recipient.customerId,
          included: true,
          usesRelatedService: recipient.usesRelatedService,
          createdAt: recipient.createdAt,
          sentAt: now,
          regime: regime.regime,
          regimeArticle: regime.article,
          termsVersionId: recipient.termsVersionId,
          windowEnd: regime.windowEnd,
          windowDeadline: regime.deadline ? JSON.stringify(regime.deadline) : null,
          language: recipient.language,
          toAddresses: JSON.stringify(recipient.to),
          subject: mail.subject,
          body: mail.body,
          bodySha256,
          outboxId,
        });
      }
      // the selected draft rows become the proof rows: replaced in bulk, same ids
      tx.delete(subprocessorNotices).where(and(eq(subprocessorNotices.changeId, changeId), eq(subprocessorNotices.included, true))).run();
      for (let i = 0; i < rows.length; i += 400) tx.insert(subprocessorNotices).values(rows.slice(i, i + 400)).run();
      const status = statusAfterSending(regimes.map((r) => r.regime.regime));
      tx.update(subprocessorChanges)
        .set({
          status,
          plannedStart: input.plannedStart,
          sentAt: now,
          sentByUserId: actor.userId,
          sendOverrideReason: conflicts.length > 0 ? overrideReason : null,
          ...(status === "scheduled" ? { startAcceptedAt: now, startAcceptedByUserId: actor.userId } : {}),
          updatedAt: now,
        })
        .where(eq(subprocessorChanges.id, changeId))
        .run();
      const historyData = { kind: change.kind, plannedStart: input.plannedStart, notified: regimes.length, status, override: conflicts.length > 0 ? overrideReason : null };
      recordHistory(tx, actor, now, { subprocessorId: subject.id, event: "change_announced", changeId, data: historyData });
      if (replaced) recordHistory(tx, actor, now, { subprocessorId: replaced.id, event: "change_announced", changeId, data: historyData });
      appendAudit(tx, actor, now, {
        action: "subprocessor_change.sent",
        entityType: "subprocessor_change",
        entityId: changeId,
        data: {
          ...historyData,
          conflicts: conflicts.slice(0, MAX_LISTED_CONFLICTS).map((c) => ({ customerId: c.customerId, kind: c.kind })),
          notSelected: tx
            .select({ n: count() })
            .from(subprocessorNotices)
            .where(and(eq(subprocessorNotices.changeId, changeId), eq(subprocessorNotices.included, false)))
            .get()!.n,
        },
      });
      if (workspace.publicSubprocessorPage) notifySubscribers(tx, actor, workspace, text, subjectText, replacedText, now);
      let finalStatus: "awaiting_approval" | "scheduled" | "in_effect" = status;
      if (status === "scheduled" && input.plannedStart <= today) {
        applyChangeNow(tx, changeOf(tx, actor.workspaceId, changeId), actor, now);
        finalStatus = "in_effect";
      }
      return { ok: true, sent: regimes.length, status: finalStatus };
    },
    { behavior: "immediate" },
  );
}

function notifySubscribers(
  tx: Tx,
  actor: StaffActor,
  workspace: typeof workspaces.$inferSelect,
  change: TextChange,
  subject: TextEntry,
  replaced: TextEntry | null,
  now: string,
): void {
  const subscribers = tx
    .select({ id: subprocessorSubscriptions.id, email: subprocessorSubscriptions.email, language: subprocessorSubscriptions.language })
    .from(subprocessorSubscriptions)
    .where(and(eq(subprocessorSubscriptions.workspaceId, workspace.id), eq(subprocessorSubscriptions.status, "confirmed")))
    .all();
  const pageLink = `${getConfig().appUrl}/trust/${workspace.slug}/subprocessors`;
  for (const s of subscribers) {
    const mail = subscriberChangeMail({
      locale: s.language,
      vendor: workspace.tradeName,
      change,
      subject,
      replaced,
      pageLink,
      unsubscribeLink: unsubscribeLink(workspace.slug, s.id),
    });
    enqueueMail(tx, { workspaceId: workspace.id, customerId: null, kind: "subprocessor_subscriber_notice", to: [s.email], subject: mail.subject, text: mail.body }, now);
  }
  if (subscribers.length > 0) {
    appendAudit(tx, actor, now, { action: "subprocessor_change.subscribers_notified", entityType: "workspace", entityId: workspace.id, data: { subscribers: subscribers.length } });
  }
}

// ---------------------------------------------------------------------------------------
// Accepting the start date, cancelling

export type AcceptResult = { ok: true; status: "scheduled" | "in_effect" } | { ok: false; errors: Record<string, string>; conflicts?: StartConflict[]; conflictCount?: number };

/**
 * Accepts the planned start (optionally moved): refused, listing the customers, while a required
 * approval is missing, an objection waits for resolution, or a window's last day is on or after the
 * start, unless `overrideReason` is given (recorded). On or after the start date the change takes
 * effect at once.
 */
export async function acceptStart(actor: Actor, changeId: string, input: { plannedStart: string; overrideReason: string }, now: string): Promise<AcceptResult> {
  requireStaffActor(actor, "workspace:write");
  const today = amsterdamToday(now);
  return getDb().transaction(
    (tx): AcceptResult => {
      const change = changeOf(tx, actor.workspaceId, changeId);
      if (change.status !== "awaiting_approval" && change.status !== "scheduled") return { ok: false, errors: { form: "subprocessors.error.notOpen" } };
      if (input.plannedStart < today) return { ok: false, errors: { plannedStart: "subprocessors.error.startInPast" } };
      const notices = tx
        .select({
          customerId: subprocessorNotices.customerId,
          customerName: customers.name,
          regime: subprocessorNotices.regime,
          windowEnd: subprocessorNotices.windowEnd,
          response: subprocessorNotices.response,
          resolution: subprocessorNotices.resolution,
          respondedAt: subprocessorNotices.respondedAt,
        })
        .from(subprocessorNotices)
        .innerJoin(customers, eq(customers.id, subprocessorNotices.customerId))
        .where(and(eq(subprocessorNotices.changeId, changeId), eq(subprocessorNotices.included, true), isNotNull(subprocessorNotices.regime)))
        .orderBy(asc(customers.nameKey))
        .all()
        .map((r) => ({ ...r, regime: r.regime! }));
      const conflicts = startConflicts({ plannedStart: input.plannedStart, notices, phase: "accept" });
      const overrideReason = input.overrideReason.trim();
      if (conflicts.length > 0 && !overrideReason) {
        return { ok: false, errors: { form: "subprocessors.error.acceptConflicts" }, conflicts: conflicts.slice(0, MAX_LISTED_CONFLICTS), conflictCount: conflicts.length };
      }
      tx.update(subprocessorChanges)
        .set({
          status: "scheduled",
          plannedStart: input.plannedStart,
          startAcceptedAt: now,
          startAcceptedByUserId: actor.userId,
          startOverrideReason: conflicts.length > 0 ? overrideReason : null,
          updatedAt: now,
        })
        .where(eq(subprocessorChanges.id, changeId))
        .run();
      const data = {
        plannedStart: input.plannedStart,
        previousStart: change.plannedStart,
        override: conflicts.length > 0 ? overrideReason : null,
        conflicts: conflicts.slice(0, MAX_LISTED_CONFLICTS).map((c) => ({ customerId: c.customerId, kind: c.kind })),
      };
      recordHistory(tx, actor, now, { subprocessorId: change.subprocessorId, event: "start_accepted", changeId, data });
      appendAudit(tx, actor, now, { action: "subprocessor_change.start_accepted", entityType: "subprocessor_change", entityId: changeId, data });
      if (input.plannedStart <= today) {
        applyChangeNow(tx, changeOf(tx, actor.workspaceId, changeId), actor, now);
        return { ok: true, status: "in_effect" };
      }
      return { ok: true, status: "scheduled" };
    },
    { behavior: "immediate" },
  );
}

/**
 * Cancels a sent change for every customer (not once it is in effect: then a new change, e.g. a
 * removal, is the way). Open objections on it are resolved as "change cancelled"; every notified
 * customer gets a message in its language.
 */
export function cancelChangeIn(tx: Tx, actor: StaffActor, change: ChangeRow, reason: string, now: string): { ok: true } | { ok: false; error: string } {
  if (change.status === "in_effect") return { ok: false, error: "subprocessors.error.alreadyInEffect" };
  if (change.status === "cancelled" || change.status === "draft") return { ok: false, error: "subprocessors.error.notOpen" };
  tx.update(subprocessorChanges)
    .set({ status: "cancelled", cancelledAt: now, cancelledReason: reason, updatedAt: now })
    .where(eq(subprocessorChanges.id, change.id))
    .run();
  tx.update(subprocessorNotices)
    .set({ resolution: "cancelled", resolvedAt: now, resolvedByUserId: actor.userId, resolutionNote: reason })
    .where(and(eq(subprocessorNotices.changeId, change.id), eq(subprocessorNotices.response, "objected"), isNull(subprocessorNotices.resolution)))
    .run();
  const workspace = tx.select().from(workspaces).where(eq(workspaces.id, change.workspaceId)).get()!;
  const subject = subprocessorOf(tx, change.workspaceId, change.subprocessorId);
  const notified = tx
    .select({ customerId: customers.id, name: customers.name, language: subprocessorNotices.language, to: subprocessorNotices.toAddresses })
    .from(subprocessorNotices)
    .innerJoin(customers, eq(customers.id, subprocessorNotices.customerId))
    .where(and(eq(subprocessorNotices.changeId, change.id), eq(subprocessorNotices.included, true), isNotNull(subprocessorNotices.sentAt)))
    .all();
  const portalLink = `${getConfig().appUrl}/portal/subprocessors`;
  for (const c of notified) {
    const to = parseList(c.to);
    if (to.length === 0) continue;
    const mail = cancellationMail({ locale: c.language ?? "nl", vendor: workspace.tradeName, customerName: c.name, kind: change.kind, subject: textEntry(subject), reason, portalLink });
    enqueueMail(tx, { workspaceId: change.workspaceId, customerId: c.customerId, kind: "subprocessor_cancellation", to, subject: mail.subject, text: mail.body }, now);
  }
  const data = { kind: change.kind, reason, notified: notified.length };
  recordHistory(tx, actor, now, { subprocessorId: change.subprocessorId, event: "change_cancelled", changeId: change.id, data });
  if (change.replacesSubprocessorId) recordHistory(tx, actor, now, { subprocessorId: change.replacesSubprocessorId, event: "change_cancelled", changeId: change.id, data });
  appendAudit(tx, actor, now, { action: "subprocessor_change.cancelled", entityType: "subprocessor_change", entityId: change.id, data });
  return { ok: true };
}

export async function cancelChange(actor: Actor, changeId: string, input: { reason: string }, now: string): Promise<{ ok: true } | { ok: false; error: string }> {
  requireStaffActor(actor, "workspace:write");
  return getDb().transaction((tx) => cancelChangeIn(tx, actor, changeOf(tx, actor.workspaceId, changeId), input.reason.trim(), now), { behavior: "immediate" });
}

/** Changes whose planned start is near, for overviews: open changes of the workspace ordered by start. */
export async function upcomingChanges(actor: Actor, now: string, limit = 10): Promise<ChangeSummary[]> {
  requireStaffActor(actor);
  const db = getDb();
  applyDueChanges(db, actor.workspaceId, now);
  return db
    .select()
    .from(subprocessorChanges)
    .where(and(eq(subprocessorChanges.workspaceId, actor.workspaceId), inArray(subprocessorChanges.status, ["awaiting_approval", "scheduled"])))
    .orderBy(asc(subprocessorChanges.plannedStart), asc(subprocessorChanges.id))
    .limit(Math.min(Math.max(limit, 1), 50))
    .all()
    .map((row) => summaryOf(db, row));
}

