/**
 * The rows deadlines are made of, read once for both readers: the deadline collector (calendar
 * feeds, calendar pages, dashboard; deadlines.server.ts) and the reminder jobs
 * (reminder-jobs.server.ts, reminders.server.ts). Breach clocks, objection windows, DPAs sent and
 * not signed, open end-of-contract tasks with a due date, the customers with a running contract and
 * their terms, and the workspace's staff by role.
 *
 * Pure reads: the handle and the workspace are passed in, every query is scoped by the workspace
 * (through the workspace-leading indexes), and nothing here checks permissions: the callers do.
 */
import { and, asc, count, eq, gt, gte, inArray, isNotNull, isNull, lte, min, ne, type SQL } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db, Tx } from "../../db/client";
import {
  breachCustomers,
  breaches,
  customers,
  dpas,
  endOfContractCases,
  endOfContractTasks,
  memberships,
  subprocessorChanges,
  subprocessorNotices,
  subprocessors,
  users,
  type Role,
} from "../../db/schema";

type Handle = Db | Tx;

/** A condition on an assignee column (the staff member's own work), or none. */
export type AssigneeFilter = (column: AnySQLiteColumn) => SQL | undefined;

// ---------------------------------------------------------------------------------------
// Staff

/**
 * The workspace's active (not disabled) staff: with `roles`, those roles ordered by e-mail; with
 * "all", every member, unordered (for "is still a member" checks).
 */
export function workspaceStaff(db: Handle, workspaceId: string, roles: readonly Role[] | "all") {
  return db
    .select({ userId: users.id, email: users.email, name: users.name, locale: users.locale, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, workspaceId), isNull(users.disabledAt), roles === "all" ? undefined : inArray(memberships.role, [...roles])))
    .orderBy(...(roles === "all" ? [] : [users.email]))
    .all();
}

// ---------------------------------------------------------------------------------------
// Breach clocks

function pendingNotice(workspaceId: string, ...extra: (SQL | undefined)[]): SQL | undefined {
  return and(
    eq(breachCustomers.workspaceId, workspaceId),
    eq(breachCustomers.status, "affected"),
    isNull(breachCustomers.notifiedAt),
    eq(breaches.status, "open"),
    ...extra,
  );
}

/** One affected customer of a breach, with the breach's reference and assignee. */
const obligationColumns = {
  id: breachCustomers.id,
  breachId: breachCustomers.breachId,
  customerId: breachCustomers.customerId,
  customerName: customers.name,
  reference: breaches.reference,
  assigneeUserId: breaches.assigneeUserId,
};

/** Affected customers of open breaches not notified yet, due by `dueBy`, nearest first. */
export function pendingBreachNotices(db: Handle, workspaceId: string, options: { dueBy: string; assigned: AssigneeFilter; limit: number }) {
  return db
    .select({
      ...obligationColumns,
      breachTitle: breaches.title,
      due: breachCustomers.noticeDue,
      soonAt: breachCustomers.noticeSoonAt,
      deadline: breachCustomers.noticeDeadline,
    })
    .from(breachCustomers)
    .innerJoin(breaches, eq(breaches.id, breachCustomers.breachId))
    .innerJoin(customers, eq(customers.id, breachCustomers.customerId))
    .where(
      pendingNotice(
        workspaceId,
        lte(breachCustomers.noticeDue, options.dueBy),
        eq(breaches.workspaceId, workspaceId),
        options.assigned(breaches.assigneeUserId),
      ),
    )
    .orderBy(asc(breachCustomers.noticeDue), asc(breachCustomers.id))
    .limit(options.limit)
    .all();
}

/**
 * The same pending notices grouped per clock (breach, notice start, due moment), for clocks started
 * by `startedBy`: a breach at a sub-processor may put thousands of customers on one clock.
 */
export function pendingBreachNoticeClocks(db: Handle, workspaceId: string, startedBy: string) {
  return db
    .select({
      breachId: breachCustomers.breachId,
      noticeStart: breachCustomers.noticeStart,
      noticeDue: breachCustomers.noticeDue,
      pending: count(),
      deadline: min(breachCustomers.noticeDeadline),
      reference: breaches.reference,
      title: breaches.title,
      assigneeUserId: breaches.assigneeUserId,
    })
    .from(breachCustomers)
    .innerJoin(breaches, eq(breaches.id, breachCustomers.breachId))
    .where(pendingNotice(workspaceId, lte(breachCustomers.noticeStart, startedBy), eq(breaches.classification, "breach")))
    .groupBy(breachCustomers.breachId, breachCustomers.noticeStart, breachCustomers.noticeDue)
    .all();
}

/** Customers' authority clocks after a notice, without an outcome, due in [from, to], nearest first. */
export function openAuthorityClocks(
  db: Handle,
  workspaceId: string,
  options: { customerId: string | null; from: string; to: string; assigned: AssigneeFilter | null; limit: number },
) {
  return db
    .select({ ...obligationColumns, due: breachCustomers.authorityDue, deadline: breachCustomers.authorityDeadline, notifiedAt: breachCustomers.notifiedAt })
    .from(breachCustomers)
    .innerJoin(breaches, eq(breaches.id, breachCustomers.breachId))
    .innerJoin(customers, eq(customers.id, breachCustomers.customerId))
    .where(
      and(
        eq(breachCustomers.workspaceId, workspaceId),
        options.customerId ? eq(breachCustomers.customerId, options.customerId) : undefined,
        eq(breachCustomers.status, "affected"),
        isNotNull(breachCustomers.notifiedAt),
        isNotNull(breachCustomers.authorityDue),
        isNull(breachCustomers.authorityOutcome),
        gte(breachCustomers.authorityDue, options.from),
        lte(breachCustomers.authorityDue, options.to),
        eq(breaches.workspaceId, workspaceId),
        options.assigned ? options.assigned(breaches.assigneeUserId) : undefined,
      ),
    )
    .orderBy(asc(breachCustomers.authorityDue), asc(breachCustomers.id))
    .limit(options.limit)
    .all();
}

// ---------------------------------------------------------------------------------------
// Objection windows

const windowColumns = {
  id: subprocessorNotices.id,
  changeId: subprocessorNotices.changeId,
  customerId: subprocessorNotices.customerId,
  customerName: customers.name,
  customerLanguage: customers.language,
  language: subprocessorNotices.language,
  sentAt: subprocessorNotices.sentAt,
  windowEnd: subprocessorNotices.windowEnd,
  windowDeadline: subprocessorNotices.windowDeadline,
  toAddresses: subprocessorNotices.toAddresses,
  subprocessor: subprocessors.legalName,
  tradeName: subprocessors.tradeName,
};

/** Sent, included notices under an objection window that closes in [from, to] ("YYYY-MM-DD") and that the customer has not answered. */
function unansweredWindows(db: Handle, workspaceId: string, from: string, to: string, ...extra: (SQL | undefined)[]) {
  return db
    .select(windowColumns)
    .from(subprocessorNotices)
    .innerJoin(subprocessorChanges, eq(subprocessorChanges.id, subprocessorNotices.changeId))
    .innerJoin(subprocessors, eq(subprocessors.id, subprocessorChanges.subprocessorId))
    .innerJoin(customers, eq(customers.id, subprocessorNotices.customerId))
    .where(
      and(
        eq(subprocessorNotices.workspaceId, workspaceId),
        isNull(subprocessorNotices.response),
        eq(subprocessorNotices.included, true),
        eq(subprocessorNotices.regime, "window"),
        isNotNull(subprocessorNotices.sentAt),
        gte(subprocessorNotices.windowEnd, from),
        lte(subprocessorNotices.windowEnd, to),
        ...extra,
      ),
    );
}

/** Unanswered, unresolved windows of changes not cancelled (one customer's, or all), nearest first. */
export function openObjectionWindows(db: Handle, workspaceId: string, options: { customerId: string | null; from: string; to: string; limit: number }) {
  return unansweredWindows(
    db,
    workspaceId,
    options.from,
    options.to,
    options.customerId ? eq(subprocessorNotices.customerId, options.customerId) : undefined,
    isNull(subprocessorNotices.resolution),
    ne(subprocessorChanges.status, "cancelled"),
    eq(subprocessorChanges.workspaceId, workspaceId),
  )
    .orderBy(asc(subprocessorNotices.windowEnd), asc(subprocessorNotices.id))
    .limit(options.limit)
    .all();
}

/** Unanswered windows of changes still waiting to take effect, per change and window end. */
export function closingObjectionWindows(db: Handle, workspaceId: string, from: string, to: string) {
  return unansweredWindows(db, workspaceId, from, to, inArray(subprocessorChanges.status, ["scheduled", "awaiting_approval"]))
    .orderBy(asc(subprocessorNotices.changeId), asc(subprocessorNotices.windowEnd), asc(subprocessorNotices.id))
    .all();
}

// ---------------------------------------------------------------------------------------
// DPAs sent and not signed

function sentDpas(db: Handle, workspaceId: string, ...extra: (SQL | undefined)[]) {
  return db
    .select({
      id: dpas.id,
      customerId: dpas.customerId,
      language: dpas.language,
      sentAt: dpas.sentAt,
      versionLabel: dpas.versionLabel,
      customerName: customers.name,
      signatoryEmail: customers.signatoryEmail,
      privacyContactEmail: customers.privacyContactEmail,
    })
    .from(dpas)
    .innerJoin(customers, eq(customers.id, dpas.customerId))
    .where(and(eq(dpas.workspaceId, workspaceId), eq(dpas.state, "sent"), ...extra));
}

/** DPAs sent and not signed, longest waiting first. */
export function unsignedDpasBySent(db: Handle, workspaceId: string, limit: number) {
  return sentDpas(db, workspaceId, isNotNull(dpas.sentAt)).orderBy(asc(dpas.sentAt), asc(dpas.id)).limit(limit).all();
}

/** One page (by id, after `after`) of the DPAs sent and not signed of customers not archived. */
export function unsignedDpasPage(db: Handle, workspaceId: string, after: string, size: number) {
  return sentDpas(db, workspaceId, isNull(customers.archivedAt), gt(dpas.id, after)).orderBy(asc(dpas.id)).limit(size).all();
}

// ---------------------------------------------------------------------------------------
// Open end-of-contract tasks with a due date

const taskColumns = {
  id: endOfContractTasks.id,
  caseId: endOfContractTasks.caseId,
  customerId: endOfContractTasks.customerId,
  kind: endOfContractTasks.kind,
  dueDate: endOfContractTasks.dueDate,
  basis: endOfContractTasks.basis,
  assigneeUserId: endOfContractTasks.assigneeUserId,
  reference: endOfContractCases.reference,
  customerName: customers.name,
};

/** Open tasks due by `dueBy` ("YYYY-MM-DD") of cases still running. */
function openTasksDueBy(workspaceId: string, dueBy: string, ...extra: (SQL | undefined)[]): SQL | undefined {
  return and(
    eq(endOfContractTasks.workspaceId, workspaceId),
    eq(endOfContractTasks.status, "open"),
    isNotNull(endOfContractTasks.dueDate),
    lte(endOfContractTasks.dueDate, dueBy),
    inArray(endOfContractCases.status, ["scheduled", "open"]),
    ...extra,
  );
}

/**
 * Open tasks due by `dueBy`, nearest first, with the sub-processor a task is about: the customer's
 * choice still to be made ("choice") or every other task ("tasks").
 */
export function openTasksByDue(
  db: Handle,
  workspaceId: string,
  options: { which: "choice" | "tasks"; dueBy: string; customerId: string | null; assigned: AssigneeFilter | null; limit: number },
) {
  const choice = options.which === "choice";
  return db
    .select({ ...taskColumns, subprocessor: subprocessors.legalName })
    .from(endOfContractTasks)
    .innerJoin(endOfContractCases, eq(endOfContractCases.id, endOfContractTasks.caseId))
    .innerJoin(customers, eq(customers.id, endOfContractTasks.customerId))
    .leftJoin(subprocessors, eq(subprocessors.id, endOfContractTasks.subprocessorId))
    .where(
      openTasksDueBy(
        workspaceId,
        options.dueBy,
        options.customerId ? eq(endOfContractTasks.customerId, options.customerId) : undefined,
        choice ? eq(endOfContractTasks.kind, "customer_choice") : ne(endOfContractTasks.kind, "customer_choice"),
        choice ? isNull(endOfContractCases.choice) : undefined,
        eq(endOfContractCases.workspaceId, workspaceId),
        options.assigned ? options.assigned(endOfContractTasks.assigneeUserId) : undefined,
      ),
    )
    .orderBy(asc(endOfContractTasks.dueDate), asc(endOfContractTasks.id))
    .limit(options.limit)
    .all();
}

/** One page (by id, after `after`) of the open tasks due by `dueBy`. */
export function openTasksPage(db: Handle, workspaceId: string, dueBy: string, after: string, size: number) {
  return db
    .select(taskColumns)
    .from(endOfContractTasks)
    .innerJoin(endOfContractCases, eq(endOfContractCases.id, endOfContractTasks.caseId))
    .innerJoin(customers, eq(customers.id, endOfContractTasks.customerId))
    .where(openTasksDueBy(workspaceId, dueBy, gt(endOfContractTasks.id, after)))
    .orderBy(asc(endOfContractTasks.id))
    .limit(size)
    .all();
}

// ---------------------------------------------------------------------------------------
// Contracts: customers with a running contract, and their terms

/** Active, not archived customers with a terms version (a contract clock). */
export function activeContract(workspaceId: string, ...extra: (SQL | undefined)[]): SQL {
  return and(eq(customers.workspaceId, workspaceId), isNull(customers.archivedAt), eq(customers.status, "active"), isNotNull(customers.termsVersionId), ...extra)!;
}

export const contractColumns = {
  id: customers.id,
  name: customers.name,
  termsVersionId: customers.termsVersionId,
  contractStart: customers.contractStart,
  contractTermMonths: customers.contractTermMonths,
};

/** One page (by id, after `after`) of the customers with a running contract. */
export function runningContractsPage(db: Handle, workspaceId: string, after: string, size: number) {
  return db.select(contractColumns).from(customers).where(activeContract(workspaceId, gt(customers.id, after))).orderBy(asc(customers.id)).limit(size).all();
}

