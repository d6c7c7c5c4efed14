import { and, count, desc, eq } from "drizzle-orm";
import { auditEvents, customers, outbox } from "../../db/schema";
import { getDb } from "~/db.server";
import { can, type Actor } from "~/domain/permissions";
import { countCustomers } from "./customers.server";
import { forbidden, notFound } from "./http.server";

/** What the workspace's dashboard shows: customer counts, mail that needs attention, recent activity. */
export async function dashboardOverview(actor: Actor) {
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
  return {
    customers: await countCustomers(actor),
    mailPending: mailCount("pending"),
    mailFailed: mailCount("failed"),
    recent,
  };
}
