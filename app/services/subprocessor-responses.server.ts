/**
 * The customer's side of a change notice and the processor's handling of objections.
 *
 * Portal: a customer sees the sub-processors it uses now, the notices still open with the time left,
 * and earlier notices with their outcome; it approves, or objects with written reasons, within what
 * its regime allows (app/domain/subprocessor-notice.ts). A notice of another customer is a 404.
 *
 * Staff: the objection queue, where every objection gets a recorded outcome: the customer withdrew,
 * an alternative was agreed (the sub-processor is not used for that customer), the change was
 * cancelled (for everyone), or the customer terminates (kept for the end-of-contract process).
 */
import { and, asc, count, desc, eq, isNotNull, isNull } from "drizzle-orm";
import { customers, subprocessorChanges, subprocessorExclusions, subprocessorNotices, subprocessors, users, workspaces } from "../../db/schema";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import type { DateDeadline } from "~/domain/deadline";
import type { Actor } from "~/domain/permissions";
import {
  OPEN_STATES,
  checkResponse,
  noticeState,
  objectionClosesAt,
  type ChangeKind,
  type ChangeStatus,
  type NoticeRegime,
  type NoticeState,
  type ObjectionOutcome,
  type ResponseRefusal,
} from "~/domain/subprocessor-notice";
import { enqueueMail } from "~/mail/outbox.server";
import { appendAudit } from "./audit.server";
import { notFound } from "./http.server";
import { keysetAfter } from "./keyset";
import { newId } from "./ids.server";
import { cancelChangeIn, textEntry } from "./subprocessor-changes.server";
import {
  applyDueChanges,
  customerSubprocessorsIn,
  decodeCursor,
  encodeCursor,
  parseList,
  recordHistory,
  requirePortalActor,
  requireStaffActor,
  subprocessorOf,
  subprocessorView,
  type CustomerSubprocessor,
  type SubprocessorView,
} from "./subprocessors.server";
import { resolutionMail } from "./subprocessor-texts.server";
import { amsterdamToday } from "./subprocessors.server";

// ---------------------------------------------------------------------------------------
// Portal

export type PortalNotice = {
  noticeId: string;
  changeId: string;
  kind: ChangeKind;
  changeStatus: ChangeStatus;
  subprocessor: SubprocessorView;
  replaces: string | null;
  plannedStart: string;
  description: { nl: string; en: string };
  newLocations: string[] | null;
  newPurpose: { nl: string; en: string } | null;
  sentAt: string;
  to: string[];
  subject: string;
  body: string;
  bodySha256: string;
  regime: NoticeRegime;
  regimeArticle: string | null;
  windowEnd: string | null;
  windowDeadline: DateDeadline | null;
  state: NoticeState;
  /** until when an objection is taken (window end of day, or the start), if that applies */
  closesAt: string | null;
  canApprove: boolean;
  canObject: boolean;
  response: "approved" | "objected" | null;
  respondedAt: string | null;
  reasons: string | null;
  resolution: ObjectionOutcome | null;
  resolvedAt: string | null;
  resolutionNote: string | null;
};

export type PortalSubprocessors = {
  current: CustomerSubprocessor[];
  pending: PortalNotice[];
  past: { items: PortalNotice[]; next: string | null };
};

const PAST_PAGE = 10;
const MAX_NOTICES = 500;

/** What the portal page shows: current sub-processors, notices still open, and earlier ones with their outcome. */
export async function getPortalSubprocessors(actor: Actor, now: string, options: { pastAfter?: string | null } = {}): Promise<PortalSubprocessors> {
  requirePortalActor(actor);
  const db = getDb();
  applyDueChanges(db, actor.workspaceId, now);
  const current = customerSubprocessorsIn(db, actor.workspaceId, actor.customerId, amsterdamToday(now));
  const rows = db
    .select({ notice: subprocessorNotices, change: subprocessorChanges })
    .from(subprocessorNotices)
    .innerJoin(subprocessorChanges, eq(subprocessorChanges.id, subprocessorNotices.changeId))
    .where(
      and(
        eq(subprocessorNotices.workspaceId, actor.workspaceId),
        eq(subprocessorNotices.customerId, actor.customerId),
        eq(subprocessorNotices.included, true),
        isNotNull(subprocessorNotices.sentAt),
      ),
    )
    .orderBy(desc(subprocessorNotices.sentAt), desc(subprocessorNotices.id))
    .limit(MAX_NOTICES)
    .all();
  const notices = rows.map(({ notice, change }) => portalNotice(db, notice, change, now));
  const pending = notices.filter((n) => isPending(n));
  const past = notices.filter((n) => !isPending(n));
  const after = decodeCursor(options.pastAfter);
  const start = after ? past.findIndex((n) => n.noticeId === after.id) + 1 : 0;
  const page = past.slice(start, start + PAST_PAGE);
  const last = page[page.length - 1];
  return { current, pending, past: { items: page, next: past.length > start + PAST_PAGE && last ? encodeCursor({ v: last.sentAt, id: last.noticeId }) : null } };
}

function isPending(n: PortalNotice): boolean {
  if (n.state === "objected" || OPEN_STATES.has(n.state)) return true;
  return n.changeStatus === "awaiting_approval" || n.changeStatus === "scheduled";
}

function portalNotice(
  db: ReturnType<typeof getDb>,
  notice: typeof subprocessorNotices.$inferSelect,
  change: typeof subprocessorChanges.$inferSelect,
  now: string,
): PortalNotice {
  const subject = subprocessorOf(db, change.workspaceId, change.subprocessorId);
  const replaced = change.replacesSubprocessorId ? subprocessorOf(db, change.workspaceId, change.replacesSubprocessorId) : null;
  const facts = {
    regime: notice.regime!,
    windowEnd: notice.windowEnd,
    plannedStart: change.plannedStart,
    changeStatus: change.status,
    response: notice.response,
    resolution: notice.resolution,
  };
  return {
    noticeId: notice.id,
    changeId: change.id,
    kind: change.kind,
    changeStatus: change.status,
    subprocessor: subprocessorView(subject),
    replaces: replaced?.legalName ?? null,
    plannedStart: change.plannedStart,
    description: { nl: change.descriptionNl, en: change.descriptionEn },
    newLocations: change.newLocations ? parseList(change.newLocations) : null,
    newPurpose: change.newPurposeNl && change.newPurposeEn ? { nl: change.newPurposeNl, en: change.newPurposeEn } : null,
    sentAt: notice.sentAt!,
    to: parseList(notice.toAddresses),
    subject: notice.subject ?? "",
    body: notice.body ?? "",
    bodySha256: notice.bodySha256 ?? "",
    regime: notice.regime!,
    regimeArticle: notice.regimeArticle,
    windowEnd: notice.windowEnd,
    windowDeadline: notice.windowDeadline ? (JSON.parse(notice.windowDeadline) as DateDeadline) : null,
    state: noticeState(facts, now),
    closesAt: objectionClosesAt(facts),
    canApprove: checkResponse(facts, { kind: "approved", reasons: "" }, now).ok,
    canObject: checkResponse(facts, { kind: "objected", reasons: "x".repeat(100) }, now).ok,
    response: notice.response,
    respondedAt: notice.respondedAt,
    reasons: notice.reasons,
    resolution: notice.resolution,
    resolvedAt: notice.resolvedAt,
    resolutionNote: notice.resolutionNote,
  };
}

export type RespondResult = { ok: true; response: "approved" | "objected" } | { ok: false; error: `subprocessors.refusal.${ResponseRefusal}` };

/**
 * The customer approves or objects (reasons required). Refused when its regime does not allow it
 * (informational), the window has closed, it already answered, or the change was cancelled or the
 * objection resolved. Another customer's notice is a 404.
 */
export async function respondToNotice(
  actor: Actor,
  input: { noticeId: string; intent: "approve" | "object"; reasons: string },
  now: string,
): Promise<RespondResult> {
  requirePortalActor(actor);
  return getDb().transaction(
    (tx): RespondResult => {
      const row = tx
        .select({ notice: subprocessorNotices, change: subprocessorChanges })
        .from(subprocessorNotices)
        .innerJoin(subprocessorChanges, eq(subprocessorChanges.id, subprocessorNotices.changeId))
        .where(
          and(
            eq(subprocessorNotices.id, input.noticeId),
            eq(subprocessorNotices.workspaceId, actor.workspaceId),
            eq(subprocessorNotices.customerId, actor.customerId),
            eq(subprocessorNotices.included, true),
            isNotNull(subprocessorNotices.sentAt),
          ),
        )
        .get();
      if (!row || !row.notice.regime) throw notFound();
      const kind = input.intent === "approve" ? "approved" : "objected";
      const reasons = input.reasons.trim();
      const check = checkResponse(
        {
          regime: row.notice.regime,
          windowEnd: row.notice.windowEnd,
          plannedStart: row.change.plannedStart,
          changeStatus: row.change.status,
          response: row.notice.response,
          resolution: row.notice.resolution,
        },
        { kind, reasons },
        now,
      );
      if (!check.ok) return { ok: false, error: `subprocessors.refusal.${check.refusal}` };
      const updated = tx
        .update(subprocessorNotices)
        .set({ response: kind, respondedAt: now, respondedByUserId: actor.userId, respondedByName: actor.name, reasons: kind === "objected" ? reasons : null })
        .where(and(eq(subprocessorNotices.id, row.notice.id), isNull(subprocessorNotices.response), isNull(subprocessorNotices.resolution)))
        .run();
      if (updated.changes === 0) return { ok: false, error: "subprocessors.refusal.already_responded" };
      appendAudit(tx, actor, now, {
        action: kind === "approved" ? "subprocessor_notice.approved" : "subprocessor_notice.objected",
        entityType: "subprocessor_notice",
        entityId: row.notice.id,
        customerId: actor.customerId,
        data: { changeId: row.change.id, regime: row.notice.regime, ...(kind === "objected" ? { reasons } : {}) },
      });
      return { ok: true, response: kind };
    },
    { behavior: "immediate" },
  );
}

// ---------------------------------------------------------------------------------------
// Staff: objection queue

export type ObjectionItem = {
  noticeId: string;
  changeId: string;
  kind: ChangeKind;
  changeStatus: ChangeStatus;
  plannedStart: string;
  customer: { id: string; name: string };
  subprocessor: { id: string; legalName: string };
  regime: NoticeRegime;
  windowEnd: string | null;
  respondedAt: string;
  respondedByName: string | null;
  reasons: string;
  resolution: ObjectionOutcome | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
};

const QUEUE_PAGE = 20;

/** Objections waiting for resolution (oldest first), or resolved ones (newest first), keyset-paginated. */
export async function listObjections(
  actor: Actor,
  query: { state: "open" | "resolved"; after?: string | null },
): Promise<{ items: ObjectionItem[]; next: string | null; openCount: number; resolvedCount: number }> {
  requireStaffActor(actor);
  const db = getDb();
  const n = subprocessorNotices;
  const base = and(eq(n.workspaceId, actor.workspaceId), eq(n.response, "objected"));
  const openWhere = and(base, isNull(n.resolution));
  const resolvedWhere = and(base, isNotNull(n.resolution));
  const openCount = db.select({ c: count() }).from(n).where(openWhere).get()!.c;
  const resolvedCount = db.select({ c: count() }).from(n).where(resolvedWhere).get()!.c;
  const after = decodeCursor(query.after);
  const open = query.state === "open";
  const sortColumn = open ? n.respondedAt : n.resolvedAt;
  const keyset = after
    ? open
      ? keysetAfter(n.respondedAt, n.id, { value: after.v, id: after.id }, "asc")
      : keysetAfter(n.resolvedAt, n.id, { value: after.v, id: after.id }, "desc")
    : undefined;
  const resolver = users;
  const rows = db
    .select({ notice: n, change: subprocessorChanges, customerName: customers.name, subprocessorName: subprocessors.legalName, resolvedBy: resolver.name })
    .from(n)
    .innerJoin(subprocessorChanges, eq(subprocessorChanges.id, n.changeId))
    .innerJoin(customers, eq(customers.id, n.customerId))
    .innerJoin(subprocessors, eq(subprocessors.id, subprocessorChanges.subprocessorId))
    .leftJoin(resolver, eq(resolver.id, n.resolvedByUserId))
    .where(and(open ? openWhere : resolvedWhere, keyset))
    .orderBy(...(open ? [asc(sortColumn), asc(n.id)] : [desc(sortColumn), desc(n.id)]))
    .limit(QUEUE_PAGE + 1)
    .all();
  const page = rows.slice(0, QUEUE_PAGE);
  const last = page[page.length - 1];
  return {
    openCount,
    resolvedCount,
    items: page.map((r) => ({
      noticeId: r.notice.id,
      changeId: r.change.id,
      kind: r.change.kind,
      changeStatus: r.change.status,
      plannedStart: r.change.plannedStart,
      customer: { id: r.notice.customerId, name: r.customerName },
      subprocessor: { id: r.change.subprocessorId, legalName: r.subprocessorName },
      regime: r.notice.regime!,
      windowEnd: r.notice.windowEnd,
      respondedAt: r.notice.respondedAt!,
      respondedByName: r.notice.respondedByName,
      reasons: r.notice.reasons ?? "",
      resolution: r.notice.resolution,
      resolvedAt: r.notice.resolvedAt,
      resolvedBy: r.resolvedBy,
      resolutionNote: r.notice.resolutionNote,
    })),
    next:
      rows.length > QUEUE_PAGE && last
        ? encodeCursor({ v: (open ? last.notice.respondedAt : last.notice.resolvedAt) ?? "", id: last.notice.id })
        : null,
  };
}

export type ResolveResult = { ok: true; outcome: ObjectionOutcome } | { ok: false; error: string };

/**
 * Records the outcome of one objection. "alternative" excludes the sub-processor for that customer;
 * "cancelled" cancels the change for every customer (and resolves its other open objections);
 * "terminates" is kept for the end-of-contract process (`listTerminationsFromObjections`). The
 * customer gets the outcome by mail and in the portal.
 */
export async function resolveObjection(actor: Actor, input: { noticeId: string; outcome: ObjectionOutcome; note: string }, now: string): Promise<ResolveResult> {
  requireStaffActor(actor, "workspace:write");
  const note = input.note.trim();
  return getDb().transaction(
    (tx): ResolveResult => {
      const row = tx
        .select({ notice: subprocessorNotices, change: subprocessorChanges, customerName: customers.name })
        .from(subprocessorNotices)
        .innerJoin(subprocessorChanges, eq(subprocessorChanges.id, subprocessorNotices.changeId))
        .innerJoin(customers, eq(customers.id, subprocessorNotices.customerId))
        .where(and(eq(subprocessorNotices.id, input.noticeId), eq(subprocessorNotices.workspaceId, actor.workspaceId)))
        .get();
      if (!row || row.notice.response !== "objected") throw notFound();
      if (row.notice.resolution !== null) return { ok: false, error: "subprocessors.error.alreadyResolved" };
      const { notice, change } = row;
      if (input.outcome === "cancelled") {
        const cancelled = cancelChangeIn(tx, actor, change, note, now);
        if (!cancelled.ok) return cancelled;
      } else {
        tx.update(subprocessorNotices)
          .set({ resolution: input.outcome, resolvedAt: now, resolvedByUserId: actor.userId, resolutionNote: note })
          .where(and(eq(subprocessorNotices.id, notice.id), isNull(subprocessorNotices.resolution)))
          .run();
      }
      if (input.outcome === "alternative") {
        tx.insert(subprocessorExclusions)
          .values({ id: newId(), workspaceId: actor.workspaceId, customerId: notice.customerId, subprocessorId: change.subprocessorId, noticeId: notice.id, createdByUserId: actor.userId, createdAt: now })
          .onConflictDoNothing()
          .run();
        recordHistory(tx, actor, now, {
          subprocessorId: change.subprocessorId,
          event: "excluded_for_customer",
          changeId: change.id,
          data: { customerId: notice.customerId, customerName: row.customerName, note },
        });
      }
      appendAudit(tx, actor, now, {
        action: "subprocessor_objection.resolved",
        entityType: "subprocessor_notice",
        entityId: notice.id,
        customerId: notice.customerId,
        data: { changeId: change.id, outcome: input.outcome, note },
      });
      const to = parseList(notice.toAddresses);
      if (to.length > 0) {
        const workspace = tx.select().from(workspaces).where(eq(workspaces.id, actor.workspaceId)).get()!;
        const mail = resolutionMail({
          locale: notice.language ?? "nl",
          vendor: workspace.tradeName,
          customerName: row.customerName,
          subject: textEntry(subprocessorOf(tx, actor.workspaceId, change.subprocessorId)),
          outcome: input.outcome,
          note,
          portalLink: `${getConfig().appUrl}/portal/subprocessors`,
        });
        enqueueMail(tx, { workspaceId: actor.workspaceId, customerId: notice.customerId, kind: "subprocessor_resolution", to, subject: mail.subject, text: mail.body }, now);
      }
      return { ok: true, outcome: input.outcome };
    },
    { behavior: "immediate" },
  );
}

/**
 * Customers who chose to terminate after an objection: the input the end-of-contract process will
 * start from once it exists (customer, when, why, which change).
 */
export async function listTerminationsFromObjections(actor: Actor): Promise<{ noticeId: string; changeId: string; customerId: string; customerName: string; resolvedAt: string; note: string }[]> {
  requireStaffActor(actor);
  return getDb()
    .select({
      noticeId: subprocessorNotices.id,
      changeId: subprocessorNotices.changeId,
      customerId: subprocessorNotices.customerId,
      customerName: customers.name,
      resolvedAt: subprocessorNotices.resolvedAt,
      note: subprocessorNotices.resolutionNote,
    })
    .from(subprocessorNotices)
    .innerJoin(customers, eq(customers.id, subprocessorNotices.customerId))
    .where(and(eq(subprocessorNotices.workspaceId, actor.workspaceId), eq(subprocessorNotices.resolution, "terminates")))
    .orderBy(desc(subprocessorNotices.resolvedAt))
    .limit(500)
    .all()
    .map((r) => ({ ...r, resolvedAt: r.resolvedAt ?? "", note: r.note ?? "" }));
}
