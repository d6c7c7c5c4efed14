/**
 * The demo breach data: every workspace gets a closed breach with its notices, acknowledgements and
 * per-customer clocks from the customers' own terms, and an incident judged not to be a breach with
 * its reasoning. The first customer's portal user sees the breach and can download a signed letter.
 */
import { and, count, eq } from "drizzle-orm";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { breachCustomers, breachNoticeDeliveries, breaches, customers, users, workspaces } from "../../db/schema";
import { demoCustomers, demoVendorSlugs, type VendorSlug } from "../../db/seed/demo-data";
import { seedDemoBreaches } from "../../db/seed/demo-breaches";
import { ensureDemoData } from "../../db/seed/demo-seed";
import { verifyAuditChain } from "~/services/audit.server";
import { getPortalBreach, listPortalBreaches, portalLetterPdf } from "~/services/breach-portal.server";
import { breachRegisterCsv } from "~/services/breach-register.server";
import { RegisterQuery } from "~/services/breaches.server";
import { setupTestApp } from "../helpers/app";

const app = setupTestApp({ scope: "file" });
const SEEDED_AT = new Date("2026-11-22T09:00:00.000Z");
const NOW = "2026-11-22T10:00:00.000Z";

function workspaceOf(slug: string) {
  const ws = app.db.select().from(workspaces).where(eq(workspaces.slug, slug)).get();
  if (!ws) throw new Error(`no workspace ${slug}`);
  return ws;
}

function customerIdsInDemoOrder(slug: VendorSlug, workspaceId: string): string[] {
  const rows = app.db.select({ id: customers.id, name: customers.name }).from(customers).where(eq(customers.workspaceId, workspaceId)).all();
  return demoCustomers[slug].map((c) => rows.find((r) => r.name === c.name)!.id);
}

beforeAll(async () => {
  await ensureDemoData(app.db, SEEDED_AT);
  // the lead wires seedDemoBreaches into the demo seed; until then, run it the same way here
  if (app.db.select({ n: count() }).from(breaches).get()!.n === 0) {
    app.db.transaction(
      (tx) => {
        for (const slug of demoVendorSlugs) {
          const ws = workspaceOf(slug);
          seedDemoBreaches(tx, { vendorSlug: slug, workspaceId: ws.id, customerIds: customerIdsInDemoOrder(slug, ws.id), now: SEEDED_AT.toISOString() });
        }
      },
      { behavior: "immediate" }
    );
  }
});

describe("seedDemoBreaches", () => {
  it.each(demoVendorSlugs)("gives %s a closed breach with notices and acknowledgements, and a non-breach incident with reasoning", (slug) => {
    const ws = workspaceOf(slug);
    const rows = app.db.select().from(breaches).where(eq(breaches.workspaceId, ws.id)).all();
    const breach = rows.find((r) => r.classification === "breach")!;
    const incident = rows.find((r) => r.classification === "not_breach")!;
    expect(breach).toMatchObject({ status: "closed" });
    expect(incident).toMatchObject({ status: "closed" });
    expect(incident.classificationReasoning.length).toBeGreaterThan(50);
    const obligations = app.db.select().from(breachCustomers).where(eq(breachCustomers.breachId, breach.id)).all();
    expect(obligations.length).toBe(4);
    for (const o of obligations) {
      expect(o.notifiedAt).not.toBeNull();
      expect(o.notifiedLate).toBe(false);
      expect(o.authorityDue).not.toBeNull();
    }
    const deliveries = app.db.select().from(breachNoticeDeliveries).where(eq(breachNoticeDeliveries.breachId, breach.id)).all();
    expect(deliveries).toHaveLength(8);
    expect(deliveries.every((d) => d.acknowledgedAt !== null && d.body.includes(breach.reference))).toBe(true);
    expect(verifyAuditChain(app.db, ws.id).ok).toBe(true);
  });

  it("uses each customer's own terms: Leadcube's negotiated 12 h and 48 h to the authority", () => {
    const ws = workspaceOf("leadcube");
    const breach = app.db
      .select()
      .from(breaches)
      .where(and(eq(breaches.workspaceId, ws.id), eq(breaches.classification, "breach")))
      .get()!;
    const first = app.db.select().from(breachCustomers).where(eq(breachCustomers.breachId, breach.id)).all();
    const span = (o: (typeof first)[number]) => (Date.parse(o.noticeDue) - Date.parse(o.noticeStart)) / 3_600_000;
    expect(first.map(span)).toEqual([24, 24, 24, 24]);
    expect(first.every((o) => o.noticeStart === breach.shouldHaveKnownAt)).toBe(true);
    expect(first.every((o) => JSON.parse(o.authorityDeadline!).amount === 48)).toBe(true);
  });

  it("shows the first customer's portal user the breach, its acknowledgement and the authority report, and a signed letter", async () => {
    const ws = workspaceOf("lai-media");
    const portal = app.db.select().from(users).where(eq(users.email, "portal@lai-media.example")).get()!;
    const actor = {
      kind: "portal" as const,
      userId: portal.id,
      name: portal.name,
      email: portal.email,
      workspaceId: ws.id,
      customerId: portal.portalCustomerId!,
    };
    const list = await listPortalBreaches(actor, NOW);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ notices: 2, unacknowledged: 0, authority: { state: "reported_on_time" } });
    const view = await getPortalBreach(actor, list[0].id, "nl", NOW);
    expect(view.notices.map((n) => n.sequence)).toEqual([2, 1]);
    expect(view.notices[1].acknowledgedByName).toBe(portal.name);
    const letter = await portalLetterPdf(actor, list[0].id, view.notices[1].id);
    expect(readFileSync(letter.absolutePath).subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("puts both entries in the register export", async () => {
    const ws = workspaceOf("elementon");
    const auditor = app.db.select().from(users).where(eq(users.email, "auditor@elementon.example")).get()!;
    const staff = { kind: "staff" as const, userId: auditor.id, name: auditor.name, email: auditor.email, workspaceId: ws.id, role: "auditor" as const };
    const { csv, count: n } = await breachRegisterCsv(staff, RegisterQuery.parse({}), "en", NOW);
    expect(n).toBe(2);
    expect(csv).toContain("not a personal data breach");
    expect(csv).toContain("Laptop van een medewerker verloren in de trein");
  });
});
