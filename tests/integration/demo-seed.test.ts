import { and, asc, count, eq, isNotNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, customers, memberships, termsVersions, users, workspaces } from "../../db/schema";
import { demoCustomers, demoVendorSlugs } from "../../db/seed/demo-data";
import { DEMO_CONSULTANT_EMAIL, DEMO_PASSWORD, ensureDemoData } from "../../db/seed/demo-seed";
import { verifyAuditChain } from "~/services/audit.server";
import { requirePortal, requireStaff, verifyPassword } from "~/services/auth.server";
import { requestWithCookie, signInCookie, setupTestApp } from "../helpers/app";

// ensureDemoData hashes about twenty passwords with argon2: seed once for the whole file
const app = setupTestApp({ scope: "file" });

const SLUGS = ["leadcube", "klantgenerator", "lai-media", "elementon", "puredigital"];
const SEEDED_AT = new Date("2026-03-02T09:00:00.000Z");

let firstRun: boolean;
let secondRun: boolean;
let countsAfterFirst: Record<string, number>;

function tableCounts(): Record<string, number> {
  const tables = ["workspaces", "users", "memberships", "customers", "terms_versions", "term_deviations", "services", "customer_services", "audit_events"];
  return Object.fromEntries(tables.map((t) => [t, (app.db.$client.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n]));
}

function workspaceBySlug(slug: string) {
  const ws = app.db.select().from(workspaces).where(eq(workspaces.slug, slug)).get();
  if (!ws) throw new Error(`no workspace ${slug}`);
  return ws;
}

beforeAll(async () => {
  firstRun = await ensureDemoData(app.db, SEEDED_AT);
  countsAfterFirst = tableCounts();
  secondRun = await ensureDemoData(app.db, new Date(SEEDED_AT.getTime() + 60_000));
});

describe("ensureDemoData", () => {
  it("seeds an empty database once; a second call creates nothing", () => {
    expect(firstRun).toBe(true);
    expect(secondRun).toBe(false);
    expect(tableCounts()).toEqual(countsAfterFirst);
    expect(countsAfterFirst.workspaces).toBe(5);
  });

  it("creates the five vendors' workspaces", () => {
    const rows = app.db.select({ slug: workspaces.slug }).from(workspaces).orderBy(asc(workspaces.slug)).all();
    expect(rows.map((r) => r.slug)).toEqual([...SLUGS].sort());
    expect([...demoVendorSlugs].sort()).toEqual([...SLUGS].sort());
  });

  it.each(SLUGS)("%s: admin@, privacy@ and auditor@ with the right roles, and nobody else but the consultant", (slug) => {
    const ws = workspaceBySlug(slug);
    const members = app.db
      .select({ email: users.email, role: memberships.role, kind: users.kind })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.workspaceId, ws.id))
      .orderBy(asc(users.email))
      .all();
    expect(members).toEqual(
      [
        { email: `admin@${slug}.example`, role: "admin", kind: "staff" },
        { email: `auditor@${slug}.example`, role: "auditor", kind: "staff" },
        { email: DEMO_CONSULTANT_EMAIL, role: "privacy_officer", kind: "staff" },
        { email: `privacy@${slug}.example`, role: "privacy_officer", kind: "staff" },
      ].sort((a, b) => (a.email < b.email ? -1 : 1)),
    );
  });

  it.each(SLUGS)("%s: 20 customers on terms version 1, and a portal user bound to the first customer", (slug) => {
    const ws = workspaceBySlug(slug);
    const versions = app.db.select().from(termsVersions).where(eq(termsVersions.workspaceId, ws.id)).all();
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ version: 1 });
    expect(JSON.parse(versions[0].content)).toBeTypeOf("object");

    const rows = app.db.select().from(customers).where(eq(customers.workspaceId, ws.id)).all();
    expect(rows).toHaveLength(20);
    expect(rows.every((c) => c.termsVersionId === versions[0].id)).toBe(true);
    expect(rows.every((c) => c.nameKey === c.name.toLowerCase())).toBe(true);

    const portalUsers = app.db.select().from(users).where(and(eq(users.kind, "portal"), eq(users.portalWorkspaceId, ws.id))).all();
    expect(portalUsers).toHaveLength(1);
    expect(portalUsers[0].email).toBe(`portal@${slug}.example`);
    const bound = rows.find((c) => c.id === portalUsers[0].portalCustomerId);
    expect(bound?.name).toBe(demoCustomers[slug as keyof typeof demoCustomers][0].name);
    expect(app.db.select({ n: count() }).from(memberships).where(eq(memberships.userId, portalUsers[0].id)).get()?.n).toBe(0);
  });

  it("every demo account has an argon2id hash of the demo password", async () => {
    const accounts = app.db.select({ email: users.email, passwordHash: users.passwordHash }).from(users).all();
    expect(accounts).toHaveLength(5 * 4 + 1);
    const hashes = accounts.map((a) => a.passwordHash ?? "");
    expect(hashes.every((h) => h.startsWith("$argon2id$"))).toBe(true);
    expect(new Set(hashes).size).toBe(hashes.length); // one salt per account
    const verified = await Promise.all(accounts.map(async (a) => [a.email, await verifyPassword(a.passwordHash!, DEMO_PASSWORD)] as const));
    expect(verified.filter(([, ok]) => !ok)).toEqual([]);
    expect(await verifyPassword(accounts[0].passwordHash!, `${DEMO_PASSWORD}x`)).toBe(false);
  });

  it("the demo accounts can sign in and land where they belong", async () => {
    const admin = await requireStaff(requestWithCookie(await signInCookie("admin@elementon.example", DEMO_PASSWORD)), "workspace:admin");
    expect(admin.workspace.slug).toBe("elementon");

    const portal = await requirePortal(requestWithCookie(await signInCookie("portal@lai-media.example", DEMO_PASSWORD)));
    expect(portal.workspace.slug).toBe("lai-media");
    expect(portal.customer.name).toBe(demoCustomers["lai-media"][0].name);

    const consultant = await requireStaff(requestWithCookie(await signInCookie(DEMO_CONSULTANT_EMAIL, DEMO_PASSWORD)));
    expect(consultant.workspaces.map((w) => w.slug).sort()).toEqual([...SLUGS].sort());
  });

  it("records the seed in each workspace's audit chain, which verifies", () => {
    for (const slug of SLUGS) {
      const ws = workspaceBySlug(slug);
      const first = app.db.select().from(auditEvents).where(and(eq(auditEvents.workspaceId, ws.id), eq(auditEvents.seq, 1))).get();
      expect(first).toMatchObject({ action: "workspace.created", entityId: ws.id, actorLabel: "system: demo-seed", at: SEEDED_AT.toISOString() });
      const customerEvents = app.db
        .select({ n: count() })
        .from(auditEvents)
        .where(and(eq(auditEvents.workspaceId, ws.id), eq(auditEvents.action, "customer.created"), isNotNull(auditEvents.customerId)))
        .get();
      expect(customerEvents?.n).toBe(20);
      const verification = verifyAuditChain(app.db, ws.id);
      expect(verification.ok, slug).toBe(true);
    }
  });
});
