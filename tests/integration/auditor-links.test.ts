import { and, asc, eq } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { auditEvents, auditorLinks } from "../../db/schema";
import type { Actor } from "~/domain/permissions";
import { action as linksAction, loader as linksLoader } from "~/routes/_staff.settings.auditor-links";
import { loader as landingLoader } from "~/routes/audit.$token";
import { verifyAuditChain } from "~/services/audit.server";
import {
  AUDITOR_LINKS_PAGE_SIZE,
  createAuditorLink,
  listAuditorLinks,
  openAuditorLink,
  resolveAuditorLink,
  revokeAuditorLink,
  validateAuditorLinkInput,
  type AuditorLinkInput,
} from "~/services/auditor-links.server";
import { hashToken } from "~/services/ids.server";
import { mayReadRegister, requireRegisterAccess } from "~/services/register-access.server";
import { seedCustomer, seedWorkspace } from "../helpers/db";
import { cookiePair, requestWithCookie, seedPortalUser, seedStaffUser, setupTestApp, signInCookie, TEST_APP_URL, thrownResponse } from "../helpers/app";

const app = setupTestApp();
const CONTEXT = { cspNonce: "test", clientIp: "192.0.2.1" };

/** A fixed "now": Sunday 22 November 2026, 10:00 UTC (11:00 in Amsterdam). */
const NOW = "2026-11-22T10:00:00.000Z";
const REGISTERS = ["dpas", "processing", "subprocessors", "objections", "breaches", "end-of-contract", "audit-log"];

/** For paths that read the real clock (cookies, requireRegisterAccess, routes): a link valid for 30 more days. */
const LIVE_NOW = new Date().toISOString();
const LIVE_EXPIRY = Temporal.Instant.from(LIVE_NOW).toZonedDateTimeISO("Europe/Amsterdam").toPlainDate().add({ days: 30 }).toString();

function input(overrides: Partial<AuditorLinkInput> = {}): AuditorLinkInput {
  return { label: "Autoriteit Persoonsgegevens, verzoek 2026-114", expiresOn: "2026-12-22", registers: [], fromDate: null, toDate: null, ...overrides };
}

async function setup() {
  const workspace = seedWorkspace(app.db, { slug: "leadcube", legalName: "Lightcube B.V.", tradeName: "Leadcube" });
  const admin = await seedStaffUser(app.db, workspace.id, "admin");
  return { workspace, admin };
}

async function issueLive(admin: Actor, overrides: Partial<AuditorLinkInput> = {}) {
  return issue(admin, { expiresOn: LIVE_EXPIRY, ...overrides }, LIVE_NOW);
}

async function issue(admin: Actor, overrides: Partial<AuditorLinkInput> = {}, now = NOW) {
  const result = await createAuditorLink(admin, input(overrides), now);
  if (!result.ok) throw new Error(`link refused: ${JSON.stringify(result.errors)}`);
  return result;
}

/** The Cookie pair a browser would send after opening the link. */
async function linkCookie(token: string): Promise<string> {
  const opened = await openAuditorLink(requestWithCookie(null, `/audit/${token}`), token, LIVE_NOW);
  if (!opened.ok) throw new Error(`link not valid: ${opened.reason}`);
  return cookiePair(opened.setCookie);
}

function eventsOf(action: string) {
  return app.db.select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(asc(auditEvents.seq)).all();
}

describe("creating auditor links", () => {
  it("gives the admin a URL with a token that is stored only as its hash, valid to the end of the chosen Amsterdam day", async () => {
    const { workspace, admin } = await setup();
    const result = await issue(admin, { registers: ["dpas", "breaches", "dpas"], fromDate: "2026-01-01", toDate: "2026-06-30" });

    const token = result.url.slice(`${TEST_APP_URL}/audit/`.length);
    expect(result.url.startsWith(`${TEST_APP_URL}/audit/`)).toBe(true);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = app.db.select().from(auditorLinks).where(eq(auditorLinks.id, result.id)).get()!;
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    // 22 December 2026 ends at 23 December 00:00 CET = 22 December 23:00 UTC
    expect(row.expiresAt).toBe("2026-12-22T23:00:00.000Z");
    expect(row).toMatchObject({ workspaceId: workspace.id, registers: JSON.stringify(["breaches", "dpas"]), fromDate: "2026-01-01", toDate: "2026-06-30", useCount: 0, lastUsedAt: null });

    const [event] = eventsOf("auditor_link.created");
    expect(event).toMatchObject({ workspaceId: workspace.id, entityId: result.id, actorUserId: admin.userId });
    expect(JSON.parse(event.data)).toMatchObject({ registers: ["breaches", "dpas"], from: "2026-01-01", to: "2026-06-30", expiresAt: row.expiresAt });
    expect(event.data).not.toContain(token);
  });

  it("refuses a missing label, a past or too distant expiry, unknown registers and a reversed date range, writing nothing", async () => {
    const { admin } = await setup();
    const cases: [Partial<AuditorLinkInput>, Record<string, string>][] = [
      [{ label: "  " }, { label: "auditpack.links.labelRequired" }],
      [{ label: "x".repeat(201) }, { label: "auditpack.links.labelTooLong" }],
      [{ expiresOn: "" }, { expiresOn: "auditpack.links.expiryRequired" }],
      [{ expiresOn: "2026-11-21" }, { expiresOn: "auditpack.links.expiryPast" }],
      [{ expiresOn: "2027-02-21" }, { expiresOn: "auditpack.links.expiryTooFar" }],
      [{ expiresOn: "2026-02-30" }, { expiresOn: "auditpack.links.dateInvalid" }],
      [{ registers: ["dpas", "payroll"] }, { registers: "auditpack.links.registerUnknown" }],
      [{ fromDate: "2026-07-01", toDate: "2026-06-30" }, { toDate: "auditpack.links.rangeOrder" }],
      [{ fromDate: "01-07-2026" }, { fromDate: "auditpack.links.dateInvalid" }],
    ];
    for (const [overrides, errors] of cases) {
      expect(await createAuditorLink(admin, input(overrides), NOW)).toEqual({ ok: false, errors });
    }
    expect(app.db.select().from(auditorLinks).all()).toHaveLength(0);
    expect(eventsOf("auditor_link.created")).toHaveLength(0);
  });

  it("accepts today (Amsterdam) and exactly 90 days ahead as the last day", () => {
    // 23:30 UTC on 22 November is already 23 November in Amsterdam
    const late = "2026-11-22T23:30:00.000Z";
    expect(validateAuditorLinkInput(input({ expiresOn: "2026-11-23" }), late, REGISTERS)).toEqual({});
    expect(validateAuditorLinkInput(input({ expiresOn: "2026-11-22" }), late, REGISTERS)).toEqual({ expiresOn: "auditpack.links.expiryPast" });
    expect(validateAuditorLinkInput(input({ expiresOn: "2027-02-20" }), NOW, REGISTERS)).toEqual({});
    expect(validateAuditorLinkInput(input({ expiresOn: "2027-02-21" }), NOW, REGISTERS)).toEqual({ expiresOn: "auditpack.links.expiryTooFar" });
  });

  it("is for admins only: privacy officers and auditors get 403, portal users 404", async () => {
    const { workspace } = await setup();
    const officer = await seedStaffUser(app.db, workspace.id, "privacy_officer");
    const auditor = await seedStaffUser(app.db, workspace.id, "auditor");
    const customer = seedCustomer(app.db, workspace.id);
    const portal: Actor = { kind: "portal", userId: "p", name: "P", email: "p@example.test", workspaceId: workspace.id, customerId: customer.id };
    expect((await thrownResponse(createAuditorLink(officer, input(), NOW))).status).toBe(403);
    expect((await thrownResponse(createAuditorLink(auditor, input(), NOW))).status).toBe(403);
    expect((await thrownResponse(listAuditorLinks(auditor, {}, NOW))).status).toBe(403);
    expect((await thrownResponse(createAuditorLink(portal, input(), NOW))).status).toBe(404);
    expect(app.db.select().from(auditorLinks).all()).toHaveLength(0);
  });
});

describe("listing and revoking", () => {
  it("lists the workspace's links newest first, a page at a time, with their status", async () => {
    const { admin } = await setup();
    const other = seedWorkspace(app.db, { slug: "elementon" });
    const otherAdmin = await seedStaffUser(app.db, other.id, "admin");
    await issue(otherAdmin, { label: "Other workspace" });
    const ids: string[] = [];
    for (let i = 0; i < AUDITOR_LINKS_PAGE_SIZE + 2; i++) {
      ids.push((await issue(admin, { label: `Link ${i}` }, new Date(Date.parse(NOW) + i * 1000).toISOString())).id);
    }
    await revokeAuditorLink(admin, ids[ids.length - 1], NOW);

    const first = await listAuditorLinks(admin, {}, "2026-11-22T12:00:00.000Z");
    expect(first.links).toHaveLength(AUDITOR_LINKS_PAGE_SIZE);
    expect(first.links[0]).toMatchObject({ label: `Link ${ids.length - 1}`, status: "revoked", revokedByName: admin.name, createdByName: admin.name });
    expect(first.links[1]).toMatchObject({ label: `Link ${ids.length - 2}`, status: "active", useCount: 0, lastUsedAt: null });
    expect(first.next).not.toBeNull();
    const second = await listAuditorLinks(admin, { after: first.next }, "2026-11-22T12:00:00.000Z");
    expect(second.links.map((l) => l.label)).toEqual(["Link 1", "Link 0"]);
    expect(second.next).toBeNull();
    expect([...first.links, ...second.links].some((l) => l.label === "Other workspace")).toBe(false);

    // after the expiry day the same links show as expired
    const later = await listAuditorLinks(admin, {}, "2026-12-23T00:00:00.000Z");
    expect(later.links[1].status).toBe("expired");
  });

  it("revokes once, logs it, and refuses another workspace's link with 404", async () => {
    const { admin } = await setup();
    const link = await issue(admin);
    expect(await revokeAuditorLink(admin, link.id, NOW)).toEqual({ ok: true, label: input().label });
    expect(await revokeAuditorLink(admin, link.id, NOW)).toEqual({ ok: false, error: "auditpack.links.alreadyRevoked" });
    expect(eventsOf("auditor_link.revoked")).toHaveLength(1);

    const other = seedWorkspace(app.db, { slug: "elementon" });
    const otherAdmin = await seedStaffUser(app.db, other.id, "admin");
    const foreign = await issue(otherAdmin);
    expect((await thrownResponse(revokeAuditorLink(admin, foreign.id, NOW))).status).toBe(404);
    expect((await resolveAuditorLink(foreign.url.split("/audit/")[1], NOW)).ok).toBe(true);
  });
});

describe("using a link", () => {
  it("resolves a valid token to a read-only actor limited to the link's registers and dates", async () => {
    const { workspace, admin } = await setup();
    const link = await issue(admin, { registers: ["breaches"], fromDate: "2026-01-01", toDate: "2026-06-30" });
    const token = link.url.split("/audit/")[1];
    const resolved = await resolveAuditorLink(token, NOW);
    if (!resolved.ok) throw new Error(resolved.reason);
    expect(resolved.actor).toEqual({ kind: "auditor_link", linkId: link.id, label: input().label, workspaceId: workspace.id, registers: ["breaches"], from: "2026-01-01", to: "2026-06-30" });
    expect(mayReadRegister(resolved.actor, "breaches")).toBe(true);
    expect(mayReadRegister(resolved.actor, "dpas")).toBe(false);
    expect(await resolveAuditorLink("not-a-token", NOW)).toEqual({ ok: false, reason: "unknown" });
    expect(await resolveAuditorLink(token, "2026-12-22T23:00:00.000Z")).toEqual({ ok: false, reason: "expired", expiresAt: "2026-12-22T23:00:00.000Z" });
    await revokeAuditorLink(admin, link.id, NOW);
    expect(await resolveAuditorLink(token, NOW)).toEqual({ ok: false, reason: "revoked", revokedAt: NOW });
  });

  it("opening the link sets an httpOnly, Secure, SameSite=Lax cookie that lasts until the link expires, and logs the visit without the token", async () => {
    const { admin } = await setup();
    const link = await issue(admin);
    const token = link.url.split("/audit/")[1];
    const opened = await openAuditorLink(requestWithCookie(null, `/audit/${token}`), token, NOW);
    if (!opened.ok) throw new Error(opened.reason);
    expect(opened.setCookie).toMatch(/^__dpadesk_auditor=/);
    expect(opened.setCookie).toMatch(/; HttpOnly/i);
    expect(opened.setCookie).toMatch(/; Secure/i);
    expect(opened.setCookie).toMatch(/; SameSite=Lax/i);
    expect(opened.setCookie).toMatch(/; Path=\//);
    const maxAge = Number(/Max-Age=(\d+)/.exec(opened.setCookie)?.[1]);
    expect(maxAge).toBe((Date.parse(link.expiresAt) - Date.parse(NOW)) / 1000);

    const [use] = eventsOf("auditor_link.used");
    expect(use.actorLabel).toBe(`auditor link: ${input().label}`);
    expect(use.actorUserId).toBeNull();
    expect(JSON.parse(use.data)).toEqual({ method: "GET", path: "/audit/[token]", register: null, format: null });
    expect(use.data).not.toContain(token);
  });

  it("requireRegisterAccess accepts the cookie, logs every request once with path, register and format, and counts the uses", async () => {
    const { workspace, admin } = await setup();
    const link = await issueLive(admin);
    const cookie = await linkCookie(link.url.split("/audit/")[1]);

    const request = requestWithCookie(cookie, "/registers/dpas.csv?from=2026-01-01");
    const access = await requireRegisterAccess(request);
    expect(access.via).toBe("auditor_link");
    expect(access.workspace.id).toBe(workspace.id);
    expect(access.actor).toMatchObject({ kind: "auditor_link", linkId: link.id });
    // the page's loaders ask again for the same request: one use
    await requireRegisterAccess(request);
    await requireRegisterAccess(requestWithCookie(cookie, "/registers/audit-pack.zip"));
    await requireRegisterAccess(requestWithCookie(cookie, "/registers/breaches?_data=routes%2Fregisters.%24register"));

    const uses = eventsOf("auditor_link.used").map((e) => JSON.parse(e.data) as Record<string, unknown>);
    expect(uses.slice(1)).toEqual([
      { method: "GET", path: "/registers/dpas.csv?from=2026-01-01", register: "dpas", format: "csv" },
      { method: "GET", path: "/registers/audit-pack.zip", register: "audit-pack", format: "zip" },
      { method: "GET", path: "/registers/breaches", register: "breaches", format: null },
    ]);
    const row = app.db.select().from(auditorLinks).where(eq(auditorLinks.id, link.id)).get()!;
    expect(row.useCount).toBe(4);
    expect(row.lastUsedAt).not.toBeNull();
    expect(verifyAuditChain(app.db, workspace.id).ok).toBe(true);
  });

  it("refuses a POST made with a link (403, logged as an attempt)", async () => {
    const { admin } = await setup();
    const link = await issueLive(admin);
    const cookie = await linkCookie(link.url.split("/audit/")[1]);
    const response = await thrownResponse(requireRegisterAccess(requestWithCookie(cookie, "/registers/audit-pack.zip", { method: "POST", body: "x" })));
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("read-only");
    const last = eventsOf("auditor_link.used").at(-1)!;
    expect(JSON.parse(last.data)).toMatchObject({ method: "POST", path: "/registers/audit-pack.zip" });
  });

  it("refuses a revoked or expired link clearly and clears its cookie", async () => {
    const { admin } = await setup();
    const link = await issueLive(admin);
    const cookie = await linkCookie(link.url.split("/audit/")[1]);
    await revokeAuditorLink(admin, link.id, new Date().toISOString());
    const revoked = await thrownResponse(requireRegisterAccess(requestWithCookie(cookie, "/registers/dpas.csv")));
    expect(revoked.status).toBe(403);
    expect(await revoked.text()).toContain("This auditor link has been revoked");
    expect(revoked.headers.get("Set-Cookie")).toMatch(/^__dpadesk_auditor=;.*Max-Age=0/);

    // a link whose expiry has passed (moved into the past directly: the form cannot make one)
    const second = await issueLive(admin, { label: "Accountant" });
    const secondCookie = await linkCookie(second.url.split("/audit/")[1]);
    app.db.update(auditorLinks).set({ expiresAt: "2026-01-01T00:00:00.000Z" }).where(eq(auditorLinks.id, second.id)).run();
    const expired = await thrownResponse(requireRegisterAccess(requestWithCookie(secondCookie, "/registers/dpas.csv")));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain("This auditor link has expired");
    // neither refusal counted as a use
    expect(app.db.select().from(auditorLinks).where(eq(auditorLinks.id, second.id)).get()!.useCount).toBe(1);
  });

  it("without a cookie it is the staff rules: sign-in redirect, 404 for portal users; a staff session wins over a link cookie", async () => {
    const { workspace, admin } = await setup();
    expect((await thrownResponse(requireRegisterAccess(requestWithCookie(null, "/registers/dpas.csv")))).status).toBe(302);
    const customer = seedCustomer(app.db, workspace.id);
    const portal = await seedPortalUser(app.db, workspace.id, customer.id);
    expect((await thrownResponse(requireRegisterAccess(requestWithCookie(await signInCookie(portal.email), "/registers/dpas.csv")))).status).toBe(404);

    const link = await issueLive(admin, { registers: ["breaches"] });
    const auditor = await seedStaffUser(app.db, workspace.id, "auditor");
    const both = requestWithCookie([await signInCookie(auditor.email), await linkCookie(link.url.split("/audit/")[1])], "/registers/dpas.csv");
    const access = await requireRegisterAccess(both);
    expect(access.via).toBe("staff");
    expect(access.actor).toMatchObject({ kind: "staff", role: "auditor" });
  });

  it("a forged cookie (not signed with the session secret) counts as no cookie", async () => {
    await setup();
    const forged = requestWithCookie("__dpadesk_auditor=abc", "/registers/dpas.csv");
    expect((await thrownResponse(requireRegisterAccess(forged))).status).toBe(302);
  });
});

describe("the pages", () => {
  function formRequest(cookie: string, fields: [string, string][]): Request {
    const body = new URLSearchParams(fields);
    return requestWithCookie(cookie, "/settings/auditor-links", { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
  }

  it("the admin page creates a link from a plain form post (repeated register fields) and shows the URL once", async () => {
    const { admin, workspace } = await setup();
    const cookie = await signInCookie(admin.email);
    const response = (await linksAction({
      request: formRequest(cookie, [
        ["intent", "create"],
        ["label", "Accountant jaarcontrole"],
        ["expiresOn", LIVE_EXPIRY],
        ["registers", "dpas"],
        ["registers", "audit-log"],
        ["fromDate", "2026-01-01"],
        ["toDate", ""],
      ]),
      params: {},
      context: CONTEXT,
    })) as Response;
    const data = (await response.json()) as { created: { url: string; label: string } };
    expect(data.created.url).toMatch(new RegExp(`^${TEST_APP_URL}/audit/[A-Za-z0-9_-]{43}$`));
    const row = app.db.select().from(auditorLinks).where(eq(auditorLinks.workspaceId, workspace.id)).get()!;
    expect(row).toMatchObject({ label: "Accountant jaarcontrole", registers: JSON.stringify(["audit-log", "dpas"]), fromDate: "2026-01-01", toDate: null });

    const page = (await linksLoader({ request: requestWithCookie(cookie, "/settings/auditor-links"), params: {}, context: CONTEXT })) as Response;
    const listed = JSON.stringify(await page.json());
    expect(listed).toContain("Accountant jaarcontrole");
    expect(listed).not.toContain(data.created.url.split("/audit/")[1]);
  });

  it("the admin page shows field errors for a bad post and revokes through the confirmation form", async () => {
    const { admin } = await setup();
    const cookie = await signInCookie(admin.email);
    const bad = (await linksAction({ request: formRequest(cookie, [["intent", "create"], ["label", ""], ["expiresOn", "2020-01-01"]]), params: {}, context: CONTEXT })) as Response;
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: Record<string, string> }).errors).toMatchObject({ label: "auditpack.links.labelRequired", expiresOn: "auditpack.links.expiryPast" });

    const link = await issueLive(admin);
    const revoked = (await linksAction({ request: formRequest(cookie, [["intent", "revoke"], ["id", link.id]]), params: {}, context: CONTEXT })) as Response;
    expect(revoked.status).toBe(302);
    expect(revoked.headers.get("Location")).toBe(`/settings/auditor-links?revoked=${link.id}`);
    expect(app.db.select().from(auditorLinks).where(eq(auditorLinks.id, link.id)).get()!.revokedAt).not.toBeNull();
  });

  it("the landing page says clearly when a link is unknown, revoked or expired, and is never cached or indexed", async () => {
    const { admin } = await setup();
    const unknown = (await landingLoader({ request: requestWithCookie(null, "/audit/nope"), params: { token: "nope" }, context: CONTEXT })) as Response;
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ ok: false, reason: "unknown" });
    expect(unknown.headers.get("X-Robots-Tag")).toBe("noindex, nofollow");
    expect(unknown.headers.get("Referrer-Policy")).toBe("no-referrer");

    const link = await issueLive(admin);
    const token = link.url.split("/audit/")[1];
    await revokeAuditorLink(admin, link.id, new Date().toISOString());
    const revoked = (await landingLoader({ request: requestWithCookie(null, `/audit/${token}`), params: { token }, context: CONTEXT })) as Response;
    expect(revoked.status).toBe(410);
    expect(await revoked.json()).toMatchObject({ ok: false, reason: "revoked" });
    expect(revoked.headers.get("Set-Cookie")).toMatch(/Max-Age=0/);
    expect(app.db.select().from(auditEvents).where(and(eq(auditEvents.action, "auditor_link.used"))).all()).toHaveLength(0);
  });
});
