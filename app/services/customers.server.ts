import { and, asc, count, desc, eq, gt, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditEvents, customers, customerServices, services, termsVersions, users } from "../../db/schema";
import { getDb } from "~/db.server";
import { can, type Actor } from "~/domain/permissions";
import { forbidden, notFound } from "./http.server";

export const CustomerSortColumns = ["name", "city", "contractStart"] as const;
export type CustomerSort = (typeof CustomerSortColumns)[number];

export const CustomerListQuery = z.object({
  q: z.string().trim().max(200).optional().default(""),
  sort: z.enum(CustomerSortColumns).catch("name").default("name"),
  dir: z.enum(["asc", "desc"]).catch("asc").default("asc"),
  after: z.string().max(500).optional(),
  before: z.string().max(500).optional(),
  archived: z.enum(["0", "1"]).catch("0").default("0"),
});
export type CustomerListQuery = z.infer<typeof CustomerListQuery>;

const PAGE_SIZE = 25;

type Cursor = { v: string; id: string };

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.v, c.id])).toString("base64url");
}

function decodeCursor(raw: string | undefined): Cursor | null {
  if (!raw) return null;
  try {
    const [v, id] = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as unknown[];
    return typeof v === "string" && typeof id === "string" ? { v, id } : null;
  } catch {
    return null;
  }
}

const sortColumn = {
  name: customers.nameKey,
  city: customers.city,
  contractStart: customers.contractStart,
} as const;

function sortValue(row: { nameKey: string; city: string; contractStart: string }, sort: CustomerSort): string {
  return sort === "name" ? row.nameKey : sort === "city" ? row.city : row.contractStart;
}

function requireStaffRead(actor: Actor): asserts actor is Extract<Actor, { kind: "staff" }> {
  if (actor.kind !== "staff") throw notFound();
  if (!can(actor, "workspace:read")) throw forbidden();
}

/**
 * One page of the workspace's customers, keyset-paginated on (sort column, id) so a deep page costs
 * the same as the first. `after` pages forward, `before` pages back.
 */
export async function listCustomers(actor: Actor, query: CustomerListQuery) {
  requireStaffRead(actor);
  const db = getDb();
  const column = sortColumn[query.sort];
  const filters: SQL[] = [eq(customers.workspaceId, actor.workspaceId)];
  filters.push(query.archived === "1" ? sql`${customers.archivedAt} is not null` : isNull(customers.archivedAt));
  if (query.q) {
    const needle = `%${query.q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    filters.push(
      or(
        sql`${customers.nameKey} like ${needle} escape '\\'`,
        sql`lower(${customers.city}) like ${needle} escape '\\'`,
        sql`lower(${customers.registrationNumber}) like ${needle} escape '\\'`,
      )!,
    );
  }
  const total = db
    .select({ n: count() })
    .from(customers)
    .where(and(...filters))
    .get()!.n;

  const after = decodeCursor(query.after);
  const before = after ? null : decodeCursor(query.before);
  const forward = !before;
  const ascending = query.dir === "asc";
  // walking backwards reverses the comparison and the order; the page is flipped back afterwards
  const goesUp = ascending === forward;
  const cursor = after ?? before;
  const pageFilters = [...filters];
  if (cursor) {
    const cmp = goesUp ? gt : lt;
    pageFilters.push(or(cmp(column, cursor.v), and(eq(column, cursor.v), cmp(customers.id, cursor.id)))!);
  }
  const order = goesUp ? [asc(column), asc(customers.id)] : [desc(column), desc(customers.id)];
  const rows = db
    .select({
      id: customers.id,
      name: customers.name,
      nameKey: customers.nameKey,
      city: customers.city,
      country: customers.country,
      registrationNumber: customers.registrationNumber,
      contractStart: customers.contractStart,
      status: customers.status,
      language: customers.language,
      archivedAt: customers.archivedAt,
    })
    .from(customers)
    .where(and(...pageFilters))
    .orderBy(...order)
    .limit(PAGE_SIZE + 1)
    .all();
  const hasMore = rows.length > PAGE_SIZE;
  const page = rows.slice(0, PAGE_SIZE);
  if (!forward) page.reverse();
  const first = page[0];
  const last = page[page.length - 1];
  return {
    total,
    customers: page.map(({ nameKey: _n, ...rest }) => rest),
    next: last && (forward ? hasMore : true) ? encodeCursor({ v: sortValue(last, query.sort), id: last.id }) : null,
    previous: first && (forward ? Boolean(cursor) : hasMore) ? encodeCursor({ v: sortValue(first, query.sort), id: first.id }) : null,
  };
}

function parseJsonList(text: string): string[] {
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

/** One customer of the actor's workspace (404 for any other id), with its services, portal users and timeline. */
export async function getCustomerDetail(actor: Actor, customerId: string) {
  requireStaffRead(actor);
  const db = getDb();
  const customer = db
    .select()
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.workspaceId, actor.workspaceId)))
    .get();
  if (!customer) throw notFound();
  const usedServices = db
    .select({ id: services.id, key: services.key, nameNl: services.nameNl, nameEn: services.nameEn })
    .from(customerServices)
    .innerJoin(services, eq(services.id, customerServices.serviceId))
    .where(and(eq(customerServices.customerId, customer.id), eq(customerServices.workspaceId, actor.workspaceId)))
    .orderBy(asc(services.nameNl))
    .all();
  const portalUsers = db
    .select({ id: users.id, name: users.name, email: users.email, lastLoginAt: users.lastLoginAt, invited: sql<number>`${users.passwordHash} is null` })
    .from(users)
    .where(and(eq(users.portalCustomerId, customer.id), eq(users.portalWorkspaceId, actor.workspaceId)))
    .orderBy(asc(users.email))
    .all();
  const timeline = db
    .select({ id: auditEvents.id, at: auditEvents.at, action: auditEvents.action, actorLabel: auditEvents.actorLabel })
    .from(auditEvents)
    .where(and(eq(auditEvents.workspaceId, actor.workspaceId), eq(auditEvents.customerId, customer.id)))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(50)
    .all();
  const terms = customer.termsVersionId
    ? db
        .select({ id: termsVersions.id, version: termsVersions.version })
        .from(termsVersions)
        .where(and(eq(termsVersions.id, customer.termsVersionId), eq(termsVersions.workspaceId, actor.workspaceId)))
        .get() ?? null
    : null;
  return {
    customer: {
      ...customer,
      notificationEmails: parseJsonList(customer.notificationEmails),
      dataCategories: parseJsonList(customer.dataCategories),
      dataSubjects: parseJsonList(customer.dataSubjects),
      securityAdditions: parseJsonList(customer.securityAdditions),
      purposes: parseJsonList(customer.purposes),
    },
    services: usedServices,
    portalUsers: portalUsers.map((u) => ({ ...u, invited: Boolean(u.invited) })),
    timeline,
    terms,
  };
}

export async function countCustomers(actor: Actor) {
  requireStaffRead(actor);
  const db = getDb();
  const rows = db
    .select({ status: customers.status, n: count() })
    .from(customers)
    .where(and(eq(customers.workspaceId, actor.workspaceId), isNull(customers.archivedAt)))
    .groupBy(customers.status)
    .all();
  const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n])) as Partial<Record<(typeof rows)[number]["status"], number>>;
  return { total: rows.reduce((s, r) => s + r.n, 0), active: byStatus.active ?? 0, ending: byStatus.ending ?? 0, ended: byStatus.ended ?? 0 };
}
