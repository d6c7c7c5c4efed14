/**
 * The demo sub-processor data: every workspace gets its register, a change history, one change with
 * an open window (relative to the seed's clock) and one objection awaiting resolution; the Lai Media
 * and Elementon public pages show it, the others answer 404.
 */
import { and, asc, count, eq, inArray, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { customers, services, subprocessorChanges, subprocessorNotices, subprocessors, workspaces } from "../../db/schema";
import { demoCustomers, demoVendors } from "../../db/seed/demo-data";
import { ensureDemoData } from "../../db/seed/demo-seed";
import { seedDemoSubprocessors } from "../../db/seed/demo-subprocessors";
import { noticeState } from "~/domain/subprocessor-notice";
import type { Actor } from "~/domain/permissions";
import { verifyAuditChain } from "~/services/audit.server";
import { getPortalSubprocessors, listObjections } from "~/services/subprocessor-responses.server";
import { getPublicFeed, getPublicSubprocessorPage } from "~/services/subprocessor-public.server";
import { listCustomerSubprocessors, listSubprocessors } from "~/services/subprocessors.server";
import { setupTestApp, thrownResponse } from "../helpers/app";
import { seedPortalUser, seedStaffUser } from "../helpers/app";

const app = setupTestApp({ scope: "file" });
const SEEDED_AT = new Date("2026-11-22T09:00:00.000Z");
const NOW = "2026-11-22T10:00:00.000Z";

function workspaceOf(slug: string) {
  const ws = app.db.select().from(workspaces).where(eq(workspaces.slug, slug)).get();
  if (!ws) throw new Error(`no workspace ${slug}`);
  return ws;
}

function customerIdsInDemoOrder(slug: keyof typeof demoCustomers, workspaceId: string): string[] {
  const rows = app.db.select({ id: customers.id, name: customers.name }).from(customers).where(eq(customers.workspaceId, workspaceId)).all();
  return demoCustomers[slug].map((c) => rows.find((r) => r.name === c.name)!.id);
}

beforeAll(async () => {
  await ensureDemoData(app.db, SEEDED_AT);
  // the lead wires seedDemoSubprocessors into the demo seed; until then, run it the same way here
  const wired = app.db.select({ n: count() }).from(subprocessors).get()!.n > 0;
  if (!wired) {
    app.db.transaction(
      (tx) => {
        for (const vendor of demoVendors) {
          const ws = workspaceOf(vendor.slug);
          const serviceIds = new Map(
            tx
              .select()
              .from(services)
              .where(eq(services.workspaceId, ws.id))
              .all()
              .map((s) => [s.key, s.id] as const),
          );
          seedDemoSubprocessors(tx, { vendor, workspaceId: ws.id, customerIds: customerIdsInDemoOrder(vendor.slug, ws.id), serviceIds, now: SEEDED_AT.toISOString() });
        }
      },
      { behavior: "immediate" },
    );
  }
});

describe.each(demoVendors.map((v) => [v.slug, v] as const))("demo sub-processors of %s", (slug, vendor) => {
  it("has the vendor's register plus one proposed sub-processor", async () => {
    const ws = workspaceOf(slug);
    const actor = await seedStaffUser(app.db, ws.id, "auditor");
    const list = await listSubprocessors(actor, { q: "", status: "all" }, NOW);
    expect(list.total).toBe(vendor.subprocessors.length + 1);
    expect(list.counts).toEqual({
      proposed: 1,
      active: vendor.subprocessors.filter((s) => s.status === "active").length,
      retired: vendor.subprocessors.filter((s) => s.status === "retired").length,
    });
  });

  it("has a change history in effect and one change whose customers can still respond", () => {
    const ws = workspaceOf(slug);
    const changes = app.db.select().from(subprocessorChanges).where(eq(subprocessorChanges.workspaceId, ws.id)).orderBy(asc(subprocessorChanges.sentAt)).all();
    expect(changes.map((c) => c.status)).toEqual(["in_effect", slug === "leadcube" ? "awaiting_approval" : "scheduled"]);
    const pending = changes[1];
    expect(pending.plannedStart > NOW.slice(0, 10)).toBe(true);
    const notices = app.db.select().from(subprocessorNotices).where(eq(subprocessorNotices.changeId, pending.id)).all();
    expect(notices.length).toBeGreaterThan(0);
    const states = notices.map((n) =>
      noticeState({ regime: n.regime!, windowEnd: n.windowEnd, plannedStart: pending.plannedStart, changeStatus: pending.status, response: n.response, resolution: n.resolution }, NOW),
    );
    const open = { leadcube: "awaiting_approval", klantgenerator: "window_open", "lai-media": "window_open", elementon: "objection_open", puredigital: "window_open" }[slug];
    expect(states).toContain(open);
    for (const n of notices) expect(n.bodySha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("has one objection awaiting resolution", async () => {
    const ws = workspaceOf(slug);
    const actor = await seedStaffUser(app.db, ws.id, "privacy_officer");
    const queue = await listObjections(actor, { state: "open" });
    expect(queue.openCount).toBe(1);
    expect(queue.items[0].reasons.length).toBeGreaterThan(20);
  });

  it("shows the first customer (the portal user's) its sub-processors and the pending notice", async () => {
    const ws = workspaceOf(slug);
    const customerId = customerIdsInDemoOrder(slug, ws.id)[0];
    const portal = await seedPortalUser(app.db, ws.id, customerId);
    const actor: Actor = { kind: "portal", userId: portal.userId, name: "Portal", email: portal.email, workspaceId: ws.id, customerId };
    const view = await getPortalSubprocessors(actor, NOW);
    expect(view.current.length).toBeGreaterThan(0);
    expect(view.pending).toHaveLength(1);
    expect(await listCustomerSubprocessors(actor, customerId, NOW)).toEqual(view.current);
  });

  it("keeps the audit chain intact", () => {
    expect(verifyAuditChain(app.db, workspaceOf(slug).id)).toMatchObject({ ok: true });
  });
});

describe("demo public pages", () => {
  it.each(["lai-media", "elementon"])("%s publishes its list, log and feed without customer names", async (slug) => {
    const page = await getPublicSubprocessorPage(slug, NOW, "nl");
    expect(page.current.length).toBeGreaterThan(0);
    expect(page.log).toHaveLength(2);
    const text = JSON.stringify(page) + (await getPublicFeed(slug, NOW, null));
    for (const c of demoCustomers[slug as "lai-media" | "elementon"]) expect(text).not.toContain(c.name);
    const notes = app.db
      .select({ note: subprocessors.internalNote })
      .from(subprocessors)
      .where(eq(subprocessors.workspaceId, workspaceOf(slug).id))
      .all()
      .map((r) => r.note)
      .filter((n) => n.length > 0);
    for (const note of notes) expect(text).not.toContain(note);
  });

  it.each(["leadcube", "klantgenerator", "puredigital"])("%s has no public page (404)", async (slug) => {
    expect((await thrownResponse(getPublicSubprocessorPage(slug, NOW, "nl"))).status).toBe(404);
    expect((await thrownResponse(getPublicFeed(slug, NOW, null))).status).toBe(404);
  });

  it("retired sub-processors never show as current", async () => {
    const page = await getPublicSubprocessorPage("lai-media", NOW, "en");
    const retired = app.db
      .select({ name: subprocessors.legalName })
      .from(subprocessors)
      .where(and(eq(subprocessors.workspaceId, workspaceOf("lai-media").id), inArray(subprocessors.status, ["retired", "proposed"])))
      .all();
    for (const r of retired) expect(page.current.map((c) => c.legalName)).not.toContain(r.name);
    expect(app.db.select({ n: count() }).from(subprocessorChanges).where(isNull(subprocessorChanges.sentAt)).get()!.n).toBe(0);
  });
});
