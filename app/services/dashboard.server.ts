import { and, asc, count, desc, eq, isNull } from "drizzle-orm";
import { auditEvents, breachCustomers, breaches, customers, outbox } from "../../db/schema";
import { obligationStateFromColumns } from "~/domain/breach-obligations";
import { getDb } from "~/db.server";
import { can, type Actor } from "~/domain/permissions";
import { countCustomers } from "./customers.server";
import { forbidden, notFound } from "./http.server";

/**
 * What the workspace's dashboard shows: the nearest breach notice deadlines still open (what is due
 * next, and for whom), customer counts, mail that needs attention, recent activity.
 */
export async function dashboardOverview(actor: Actor, now: string = new Date().toISOString()) {
  if (actor.kind !== "staff") throw notFound();
  if (!can(actor, "workspace:read")) throw forbidden();
  const db = getDb();
  const mail = db
    .select({ status: outbox.status, n: count() })
    .from(outbox)
    .where(eq(outbox.workspaceId, actor.workspaceId))
    .groupBy(outbox.status)
    .all();
  const mailCount = (status: "pending" | "failed") => mail.find((m) => m.status === status)?.n ?? 0;
  const recent = db
    .select({
      id: auditEvents.id,
      at: auditEvents.at,
      action: auditEvents.action,
      actorLabel: auditEvents.actorLabel,
      customerId: auditEvents.customerId,
      customerName: customers.name,
    })
    .from(auditEvents)
    .leftJoin(customers, and(eq(customers.id, auditEvents.customerId), eq(customers.workspaceId, actor.workspaceId)))
    .where(and(eq(auditEvents.workspaceId, actor.workspaceId)))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(10)
    .all();
  const dueNext = db
    .select({
      breachId: breachCustomers.breachId,
      reference: breaches.reference,
      customerId: breachCustomers.customerId,
      customerName: customers.name,
      due: breachCustomers.noticeDue,
      soonAt: breachCustomers.noticeSoonAt,
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
      ),
    )
    .orderBy(asc(breachCustomers.noticeDue), asc(breachCustomers.id))
    .limit(5)
    .all()
    .map((row) => ({ ...row, state: obligationStateFromColumns({ due: row.due, soonAt: row.soonAt, notifiedAt: null, notifiedLate: null }, now) }));
  return {
    dueNext,
    customers: await countCustomers(actor),
    mailPending: mailCount("pending"),
    mailFailed: mailCount("failed"),
    recent,
  };
}
