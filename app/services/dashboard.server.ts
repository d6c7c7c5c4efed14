import { and, count, desc, eq } from "drizzle-orm";
import { auditEvents, customers, outbox } from "../../db/schema";
import { getDb } from "~/db.server";
import { can, type Actor } from "~/domain/permissions";
import { countCustomers } from "./customers.server";
import { collectDeadlines, type DeadlineSource } from "./deadlines.server";
import { forbidden, notFound } from "./http.server";

/** How far ahead the dashboard looks for what is due next, and how many it shows. */
export const DUE_NEXT_DAYS = 30;
export const DUE_NEXT_LIMIT = 10;

/** The deadlines the dashboard shows: the processor's own work (the customer's authority clock is on the breach page). */
const DUE_NEXT_SOURCES: readonly DeadlineSource[] = [
  "breach_notice",
  "objection_window",
  "dpa_signature",
  "contract_notice",
  "contract_end",
  "eoc_choice",
  "eoc_task",
];

/**
 * What the workspace's dashboard shows: the nearest open deadlines of the whole workspace from the
 * deadline collector (what is due next, and for whom), customer counts, mail that needs attention,
 * recent activity.
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
  const dueNext = collectDeadlines({ kind: "workspace", workspaceId: actor.workspaceId }, now, {
    horizonDays: DUE_NEXT_DAYS,
    limit: DUE_NEXT_LIMIT,
    sources: DUE_NEXT_SOURCES,
  }).map((d) => ({
    uid: d.uid,
    source: d.source,
    title: d.title,
    basis: d.basis,
    customerId: d.customer.id,
    customerName: d.customer.name,
    breachId: d.parent.kind === "breach" ? d.parent.id : null,
    /** the due moment (for a date: 00:00 Amsterdam of the next day), nearest first */
    due: d.dueAt,
    dueKind: d.due.kind,
    dueDisplay: d.dueDisplay,
    state: d.state,
    link: d.link,
  }));
  return {
    dueNext,
    customers: await countCustomers(actor),
    mailPending: mailCount("pending"),
    mailFailed: mailCount("failed"),
    recent,
  };
}
