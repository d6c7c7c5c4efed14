import { and, asc, count, desc, eq, inArray, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { z } from "zod";
import { auditEvents, customers, customerServices, services, termsVersions, users } from "../../db/schema";
import { getDb } from "~/db.server";
import { can, type Actor } from "~/domain/permissions";
import { appendAudit } from "./audit.server";
import type { CustomerFormInput, CustomerFormValues } from "./customer-form";
import { forbidden, notFound } from "./http.server";
import { keysetAfter } from "./keyset";
import { newId } from "./ids.server";

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
    pageFilters.push(keysetAfter(column, customers.id, { value: cursor.v, id: cursor.id }, goesUp ? "asc" : "desc"));
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

function requireStaffWrite(actor: Actor): asserts actor is Extract<Actor, { kind: "staff" }> {
  if (actor.kind !== "staff") throw notFound();
  if (!can(actor, "workspace:write")) throw forbidden();
}

type CustomerColumns = Omit<typeof customers.$inferInsert, "id" | "workspaceId" | "createdAt" | "updatedAt" | "termsVersionId" | "status" | "archivedAt">;

function columnsFrom(values: CustomerFormValues): CustomerColumns {
  return {
    name: values.name,
    nameKey: values.name.toLowerCase(),
    registrationNumber: values.registrationNumber || null,
    address: values.address,
    postcode: values.postcode,
    city: values.city,
    country: values.country,
    language: values.language,
    signatoryName: values.signatoryName,
    signatoryRole: values.signatoryRole,
    signatoryEmail: values.signatoryEmail,
    privacyContactName: values.privacyContactName,
    privacyContactEmail: values.privacyContactEmail,
    dpoName: values.dpoName || null,
    dpoEmail: values.dpoEmail || null,
    notificationEmails: JSON.stringify(values.notificationEmails),
    contractStart: values.contractStart,
    contractTermMonths: values.contractTermMonths,
    subjectMatter: values.subjectMatter,
    nature: values.nature,
    processingDuration: values.processingDuration,
    purposes: JSON.stringify(values.purposes),
    dataCategories: JSON.stringify(values.dataCategories),
    dataSubjects: JSON.stringify(values.dataSubjects),
    transfersOutsideEea: values.transfersOutsideEea,
    securityAdditions: JSON.stringify(values.securityAdditions),
  };
}

/** The workspace's services, for the customer form's checkboxes. */
export async function listWorkspaceServices(actor: Actor) {
  requireStaffRead(actor);
  return getDb()
    .select({ id: services.id, key: services.key, nameNl: services.nameNl, nameEn: services.nameEn })
    .from(services)
    .where(eq(services.workspaceId, actor.workspaceId))
    .orderBy(asc(services.nameNl))
    .all();
}

function assertServicesOfWorkspace(tx: Tx, workspaceId: string, serviceIds: string[]): boolean {
  if (serviceIds.length === 0) return true;
  const found = tx
    .select({ id: services.id })
    .from(services)
    .where(and(eq(services.workspaceId, workspaceId), inArray(services.id, serviceIds)))
    .all();
  return found.length === new Set(serviceIds).size;
}

function replaceServices(tx: Tx, workspaceId: string, customerId: string, serviceIds: string[]): void {
  tx.delete(customerServices).where(eq(customerServices.customerId, customerId)).run();
  for (const serviceId of new Set(serviceIds)) tx.insert(customerServices).values({ customerId, serviceId, workspaceId }).run();
}

/** The terms version a new customer signs under: the newest one already in effect, else the oldest. */
function currentTermsVersionId(tx: Tx, workspaceId: string, today: string): string | null {
  const inEffect = tx
    .select({ id: termsVersions.id })
    .from(termsVersions)
    .where(and(eq(termsVersions.workspaceId, workspaceId), lte(termsVersions.effectiveDate, today)))
    .orderBy(desc(termsVersions.version))
    .limit(1)
    .get();
  if (inEffect) return inEffect.id;
  return (
    tx
      .select({ id: termsVersions.id })
      .from(termsVersions)
      .where(eq(termsVersions.workspaceId, workspaceId))
      .orderBy(asc(termsVersions.version))
      .limit(1)
      .get()?.id ?? null
  );
}

export type CustomerWriteResult = { ok: true; customerId: string } | { ok: false; errors: Record<string, string> };

export async function createCustomer(actor: Actor, values: CustomerFormValues, now: string): Promise<CustomerWriteResult> {
  requireStaffWrite(actor);
  const db = getDb();
  return db.transaction(
    (tx): CustomerWriteResult => {
      if (!assertServicesOfWorkspace(tx, actor.workspaceId, values.serviceIds)) return { ok: false, errors: { serviceIds: "customerForm.invalid" } };
      const id = newId();
      tx.insert(customers)
        .values({
          id,
          workspaceId: actor.workspaceId,
          ...columnsFrom(values),
          termsVersionId: currentTermsVersionId(tx, actor.workspaceId, now.slice(0, 10)),
          createdAt: now,
          updatedAt: now,
        })
        .run();
      replaceServices(tx, actor.workspaceId, id, values.serviceIds);
      appendAudit(tx, actor, now, { action: "customer.created", entityType: "customer", entityId: id, customerId: id, data: { name: values.name } });
      return { ok: true, customerId: id };
    },
    { behavior: "immediate" },
  );
}

export async function updateCustomer(actor: Actor, customerId: string, values: CustomerFormValues, now: string): Promise<CustomerWriteResult> {
  requireStaffWrite(actor);
  const db = getDb();
  return db.transaction(
    (tx): CustomerWriteResult => {
      const before = tx
        .select()
        .from(customers)
        .where(and(eq(customers.id, customerId), eq(customers.workspaceId, actor.workspaceId)))
        .get();
      if (!before) throw notFound();
      if (!assertServicesOfWorkspace(tx, actor.workspaceId, values.serviceIds)) return { ok: false, errors: { serviceIds: "customerForm.invalid" } };
      const after = columnsFrom(values);
      const changed: Record<string, { before: unknown; after: unknown }> = Object.fromEntries(
        Object.entries(after)
          .filter(([k, v]) => before[k as keyof typeof before] !== v)
          .map(([k, v]) => [k, { before: before[k as keyof typeof before], after: v }]),
      );
      const servicesBefore = tx
        .select({ id: customerServices.serviceId })
        .from(customerServices)
        .where(eq(customerServices.customerId, customerId))
        .all()
        .map((r) => r.id)
        .sort();
      const servicesAfter = [...new Set(values.serviceIds)].sort();
      if (servicesBefore.join() !== servicesAfter.join()) changed.serviceIds = { before: servicesBefore, after: servicesAfter };
      if (Object.keys(changed).length === 0) return { ok: true, customerId };
      tx.update(customers).set({ ...after, updatedAt: now }).where(eq(customers.id, customerId)).run();
      replaceServices(tx, actor.workspaceId, customerId, values.serviceIds);
      appendAudit(tx, actor, now, { action: "customer.updated", entityType: "customer", entityId: customerId, customerId, data: changed });
      return { ok: true, customerId };
    },
    { behavior: "immediate" },
  );
}

/** Customers are archived, never deleted: their agreements and history stay evidence. */
export async function setCustomerArchived(actor: Actor, customerId: string, archived: boolean, now: string): Promise<void> {
  requireStaffWrite(actor);
  const db = getDb();
  db.transaction(
    (tx) => {
      const row = tx
        .select({ id: customers.id, archivedAt: customers.archivedAt })
        .from(customers)
        .where(and(eq(customers.id, customerId), eq(customers.workspaceId, actor.workspaceId)))
        .get();
      if (!row) throw notFound();
      if (Boolean(row.archivedAt) === archived) return;
      tx.update(customers)
        .set({ archivedAt: archived ? now : null, updatedAt: now })
        .where(eq(customers.id, customerId))
        .run();
      appendAudit(tx, actor, now, { action: archived ? "customer.archived" : "customer.restored", entityType: "customer", entityId: customerId, customerId });
    },
    { behavior: "immediate" },
  );
}

/** The edit form's starting values for an existing customer. */
export async function customerFormDefaults(actor: Actor, customerId: string): Promise<CustomerFormInput> {
  const { customer, services: used } = await getCustomerDetail(actor, customerId);
  return {
    name: customer.name,
    registrationNumber: customer.registrationNumber ?? "",
    address: customer.address,
    postcode: customer.postcode,
    city: customer.city,
    country: customer.country,
    language: customer.language,
    signatoryName: customer.signatoryName,
    signatoryRole: customer.signatoryRole,
    signatoryEmail: customer.signatoryEmail,
    privacyContactName: customer.privacyContactName,
    privacyContactEmail: customer.privacyContactEmail,
    dpoName: customer.dpoName ?? "",
    dpoEmail: customer.dpoEmail ?? "",
    notificationEmails: customer.notificationEmails.join("\n"),
    contractStart: customer.contractStart,
    contractTermMonths: customer.contractTermMonths,
    subjectMatter: customer.subjectMatter,
    nature: customer.nature,
    processingDuration: customer.processingDuration,
    purposes: customer.purposes.join("\n"),
    dataCategories: customer.dataCategories,
    dataSubjects: customer.dataSubjects,
    serviceIds: used.map((s) => s.id),
    transfersOutsideEea: customer.transfersOutsideEea,
    securityAdditions: customer.securityAdditions.join("\n"),
  };
}
