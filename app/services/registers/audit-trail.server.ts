/**
 * The audit trail page (/registers/audit-log): one page of events, newest first, filtered by person,
 * customer, action, entity type and time range, with keyset pagination on the chain's sequence, and
 * the chain verification (read-only, so auditors may run it).
 */
import { getDb } from "~/db.server";
import { can } from "~/domain/permissions";
import { verifyAuditChain } from "../audit.server";
import { displayInstant } from "../display.server";
import { forbidden, notFound } from "../http.server";
import { mayReadRegister, type RegisterActor } from "../register-access.server";
import { effectiveRange, type RegisterFilterInput } from "./export.server";
import { instantBounds, isEmptyRange } from "./range";

export const AUDIT_PAGE_SIZE = 50;

export type AuditTrailEvent = {
  id: number;
  seq: number;
  at: string;
  atDisplay: string;
  actorLabel: string;
  actorUserId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  customerId: string | null;
  customerName: string | null;
  /** the change in readable lines: "field: before → after", "key: value" */
  dataLines: string[];
};

function requireAuditLog(actor: RegisterActor): void {
  if (!can(actor, "registers:export")) throw forbidden();
  if (!mayReadRegister(actor, "audit-log")) throw notFound();
}

function text(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value === "" ? "“”" : value;
  return JSON.stringify(value);
}

/** The event's JSON data as readable lines (nested { before, after } as "before → after"). */
export function readableData(data: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return [data];
  }
  if (!value || typeof value !== "object") return value === null || value === undefined ? [] : [text(value)];
  if (Array.isArray(value)) return value.map(text);
  const record = value as Record<string, unknown>;
  if ("before" in record && "after" in record && Object.keys(record).length === 2 && record.before && record.after && typeof record.before === "object" && typeof record.after === "object") {
    const before = record.before as Record<string, unknown>;
    const after = record.after as Record<string, unknown>;
    return [...new Set([...Object.keys(before), ...Object.keys(after)])].map((k) => `${k}: ${text(before[k])} → ${text(after[k])}`);
  }
  return Object.entries(record).map(([k, v]) => {
    if (v && typeof v === "object" && !Array.isArray(v) && "before" in v && "after" in v) {
      const ba = v as { before: unknown; after: unknown };
      return `${k}: ${text(ba.before)} → ${text(ba.after)}`;
    }
    return `${k}: ${text(v)}`;
  });
}

export type AuditTrailQuery = { actor?: string; customer?: string; action?: string; entity?: string; from?: string; to?: string; after?: string };

function value(filters: RegisterFilterInput, key: string): string | undefined {
  const v = filters instanceof URLSearchParams ? filters.get(key) : filters[key];
  return typeof v === "string" && v.trim() !== "" ? v.trim().slice(0, 200) : undefined;
}

/** One page of the trail, newest first, with the total for the filters and the options for the filter form. */
export async function auditTrailPage(actor: RegisterActor, filters: RegisterFilterInput) {
  requireAuditLog(actor);
  const client = getDb().$client;
  const range = effectiveRange(actor, filters);
  const f = { actor: value(filters, "actor"), customer: value(filters, "customer"), action: value(filters, "action"), entity: value(filters, "entity") };
  const afterRaw = Number(value(filters, "after"));
  const after = Number.isInteger(afterRaw) && afterRaw > 0 ? afterRaw : null;
  const parts = ["e.chain_key = ?", "e.workspace_id = ?"];
  const params: (string | number)[] = [actor.workspaceId, actor.workspaceId];
  const { start, end } = instantBounds(range);
  const add = (condition: string, param: string | undefined | null) => {
    if (!param) return;
    parts.push(condition);
    params.push(param);
  };
  add("e.at >= ?", start);
  add("e.at < ?", end);
  add("e.actor_user_id = ?", f.actor);
  add("e.customer_id = ?", f.customer);
  add("e.action = ?", f.action);
  add("e.entity_type = ?", f.entity);
  const where = parts.join(" and ");
  const empty = isEmptyRange(range);
  const total = empty ? 0 : (client.prepare(`select count(*) as n from audit_events e where ${where}`).get(...params) as { n: number }).n;
  const rows = empty
    ? []
    : (client
        .prepare(
          `select e.id, e.seq, e.at, e.actor_label, e.actor_user_id, e.action, e.entity_type, e.entity_id, e.customer_id, c.name as customer_name, e.data
           from audit_events e left join customers c on c.id = e.customer_id
           where ${where}${after ? " and e.seq < ?" : ""} order by e.seq desc limit ${AUDIT_PAGE_SIZE + 1}`,
        )
        .all(...params, ...(after ? [after] : [])) as {
        id: number; seq: number; at: string; actor_label: string; actor_user_id: string | null; action: string; entity_type: string;
        entity_id: string | null; customer_id: string | null; customer_name: string | null; data: string;
      }[]);
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  const events: AuditTrailEvent[] = page.map((r) => ({
    id: r.id,
    seq: r.seq,
    at: r.at,
    atDisplay: displayInstant(r.at),
    actorLabel: r.actor_label,
    actorUserId: r.actor_user_id,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    customerId: r.customer_id,
    customerName: r.customer_name,
    dataLines: readableData(r.data),
  }));
  const people = client
    .prepare(`select u.id, u.name, u.email from users u join memberships m on m.user_id = u.id where m.workspace_id = ? order by u.name, u.id`)
    .all(actor.workspaceId) as { id: string; name: string; email: string }[];
  const customerCount = (client.prepare("select count(*) as n from customers where workspace_id = ?").get(actor.workspaceId) as { n: number }).n;
  // a select for a workspace of normal size; a large one filters by clicking a customer in the list
  const customers =
    customerCount <= 1000
      ? (client.prepare("select id, name from customers where workspace_id = ? order by name_key, id").all(actor.workspaceId) as { id: string; name: string }[])
      : null;
  const selectedCustomer =
    f.customer && !customers
      ? ((client.prepare("select id, name from customers where id = ? and workspace_id = ?").get(f.customer, actor.workspaceId) as { id: string; name: string } | undefined) ?? null)
      : null;
  return {
    range,
    filters: f,
    total,
    events,
    next: rows.length > AUDIT_PAGE_SIZE ? String(page[page.length - 1].seq) : null,
    people,
    customers,
    selectedCustomer,
  };
}

/** Recomputes the workspace's whole chain; read-only, so every reader of the audit log may run it. */
export async function verifyWorkspaceAuditChain(actor: RegisterActor) {
  requireAuditLog(actor);
  return verifyAuditChain(getDb(), actor.workspaceId);
}
