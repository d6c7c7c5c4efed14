import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { memberships, sessions } from "../../db/schema";
import { requirePortal, requireStaff, switchWorkspace } from "~/services/auth.server";
import { getCustomerDetail, listCustomers, CustomerListQuery } from "~/services/customers.server";
import { dashboardOverview } from "~/services/dashboard.server";
import { newId } from "~/services/ids.server";
import { seedCustomer, seedWorkspace } from "../helpers/db";
import { requestWithCookie, seedPortalUser, seedStaffUser, signInCookie, thrownResponse, setupTestApp } from "../helpers/app";

const app = setupTestApp();

const allCustomers = CustomerListQuery.parse({});

describe("requireStaff", () => {
  it("redirects a signed-out visitor to /login, remembering where they were going", async () => {
    const response = await thrownResponse(requireStaff(requestWithCookie(null, "/customers?q=bakker&sort=city")));
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("Location") ?? "", "http://localhost");
    expect(location.pathname).toBe("/login");
    expect(location.searchParams.get("redirectTo")).toBe("/customers?q=bakker&sort=city");
  });

  it("gives the actor of the active workspace with the member's role", async () => {
    const workspace = seedWorkspace(app.db, { tradeName: "Leadcube" });
    const officer = await seedStaffUser(app.db, workspace.id, "privacy_officer");
    const cookie = await signInCookie(officer.email);

    const context = await requireStaff(requestWithCookie(cookie), "workspace:write");

    expect(context.actor).toEqual({ kind: "staff", userId: officer.userId, name: officer.name, email: officer.email, workspaceId: workspace.id, role: "privacy_officer" });
    expect(context.workspace.id).toBe(workspace.id);
    expect(context.workspaces).toEqual([{ id: workspace.id, slug: workspace.slug, tradeName: "Leadcube", role: "privacy_officer" }]);
  });

  it("answers 404 to a portal user: staff pages do not exist for them", async () => {
    const workspace = seedWorkspace(app.db);
    const customer = seedCustomer(app.db, workspace.id);
    const portal = await seedPortalUser(app.db, workspace.id, customer.id);
    const cookie = await signInCookie(portal.email);

    expect((await thrownResponse(requireStaff(requestWithCookie(cookie)))).status).toBe(404);
  });

  it("answers 403 to an auditor asking to write or administer, and lets the auditor read", async () => {
    const workspace = seedWorkspace(app.db);
    const auditor = await seedStaffUser(app.db, workspace.id, "auditor");
    const request = requestWithCookie(await signInCookie(auditor.email));

    expect((await thrownResponse(requireStaff(request, "workspace:write"))).status).toBe(403);
    expect((await thrownResponse(requireStaff(request, "workspace:admin"))).status).toBe(403);
    expect((await requireStaff(request, "workspace:read")).actor.role).toBe("auditor");
    expect((await requireStaff(request, "registers:export")).actor.role).toBe("auditor");
  });

  it("answers 403 to a privacy officer asking for admin", async () => {
    const workspace = seedWorkspace(app.db);
    const officer = await seedStaffUser(app.db, workspace.id, "privacy_officer");
    const request = requestWithCookie(await signInCookie(officer.email));
    expect((await thrownResponse(requireStaff(request, "workspace:admin"))).status).toBe(403);
  });
});

describe("requirePortal", () => {
  it("gives the portal user's own customer and workspace", async () => {
    const workspace = seedWorkspace(app.db);
    const customer = seedCustomer(app.db, workspace.id, { name: "Bakkerij Jansen" });
    seedCustomer(app.db, workspace.id, { name: "Slagerij De Vries" });
    const portal = await seedPortalUser(app.db, workspace.id, customer.id);

    const context = await requirePortal(requestWithCookie(await signInCookie(portal.email)));

    expect(context.actor).toMatchObject({ kind: "portal", userId: portal.userId, workspaceId: workspace.id, customerId: customer.id });
    expect(context.customer.name).toBe("Bakkerij Jansen");
    expect(context.workspace.id).toBe(workspace.id);
  });

  it("answers 404 to staff and redirects a signed-out visitor to /login", async () => {
    const workspace = seedWorkspace(app.db);
    const admin = await seedStaffUser(app.db, workspace.id, "admin");

    expect((await thrownResponse(requirePortal(requestWithCookie(await signInCookie(admin.email))))).status).toBe(404);
    const signedOut = await thrownResponse(requirePortal(requestWithCookie(null, "/portal")));
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get("Location")).toBe("/login?redirectTo=%2Fportal");
  });

  it("answers 404 when the portal user's customer belongs to another workspace than the user", async () => {
    const home = seedWorkspace(app.db);
    const elsewhere = seedWorkspace(app.db);
    const foreignCustomer = seedCustomer(app.db, elsewhere.id);
    const portal = await seedPortalUser(app.db, home.id, foreignCustomer.id);

    expect((await thrownResponse(requirePortal(requestWithCookie(await signInCookie(portal.email))))).status).toBe(404);
  });
});

describe("workspaces", () => {
  async function consultantOfTwo() {
    const a = seedWorkspace(app.db, { slug: "a-workspace", tradeName: "Alpha" });
    const b = seedWorkspace(app.db, { slug: "b-workspace", tradeName: "Beta" });
    const consultant = await seedStaffUser(app.db, a.id, "privacy_officer");
    app.db.insert(memberships).values({ id: newId(), userId: consultant.userId, workspaceId: b.id, role: "auditor", createdAt: new Date().toISOString() }).run();
    const alphaCustomers = ["Alpha Bakkerij", "Alpha Slagerij", "Alpha Kapper"].map((name) => seedCustomer(app.db, a.id, { name }));
    const betaCustomers = ["Beta Drukkerij", "Beta Garage"].map((name) => seedCustomer(app.db, b.id, { name }));
    const cookie = await signInCookie(consultant.email);
    return { a, b, consultant, alphaCustomers, betaCustomers, cookie };
  }

  it("a member of two workspaces sees only the active workspace's customers, with that workspace's role", async () => {
    const { a, b, cookie, alphaCustomers, betaCustomers } = await consultantOfTwo();

    const inAlpha = await requireStaff(requestWithCookie(cookie));
    expect(inAlpha.actor).toMatchObject({ workspaceId: a.id, role: "privacy_officer" });
    expect(inAlpha.workspaces.map((w) => [w.tradeName, w.role])).toEqual([
      ["Alpha", "privacy_officer"],
      ["Beta", "auditor"],
    ]);
    const alphaList = await listCustomers(inAlpha.actor, allCustomers);
    expect(alphaList.total).toBe(3);
    expect(alphaList.customers.map((c) => c.id).sort()).toEqual(alphaCustomers.map((c) => c.id).sort());

    await switchWorkspace(requestWithCookie(cookie), b.id);

    const inBeta = await requireStaff(requestWithCookie(cookie));
    expect(inBeta.actor).toMatchObject({ workspaceId: b.id, role: "auditor" });
    expect(inBeta.workspace.id).toBe(b.id);
    const betaList = await listCustomers(inBeta.actor, allCustomers);
    expect(betaList.total).toBe(2);
    expect(betaList.customers.map((c) => c.id).sort()).toEqual(betaCustomers.map((c) => c.id).sort());
    // the role follows the workspace: auditor in Beta may not write there
    expect((await thrownResponse(requireStaff(requestWithCookie(cookie), "workspace:write"))).status).toBe(403);
  });

  it("switching to a workspace the user is not a member of answers 404 and changes nothing", async () => {
    const { a, cookie } = await consultantOfTwo();
    const stranger = seedWorkspace(app.db, { slug: "c-workspace", tradeName: "Gamma" });

    expect((await thrownResponse(switchWorkspace(requestWithCookie(cookie), stranger.id))).status).toBe(404);
    expect((await thrownResponse(switchWorkspace(requestWithCookie(cookie), "no-such-workspace"))).status).toBe(404);
    expect((await requireStaff(requestWithCookie(cookie))).actor.workspaceId).toBe(a.id);
    expect(app.db.select({ w: sessions.activeWorkspaceId }).from(sessions).all()).toEqual([{ w: a.id }]);
  });

  it("switching needs a staff session", async () => {
    const { b } = await consultantOfTwo();
    const customer = seedCustomer(app.db, b.id);
    const portal = await seedPortalUser(app.db, b.id, customer.id);
    expect((await thrownResponse(switchWorkspace(requestWithCookie(null), b.id))).status).toBe(404);
    expect((await thrownResponse(switchWorkspace(requestWithCookie(await signInCookie(portal.email)), b.id))).status).toBe(404);
  });

  it("a workspace membership that was removed no longer gives access to it", async () => {
    const { a, b, consultant, cookie } = await consultantOfTwo();
    await switchWorkspace(requestWithCookie(cookie), b.id);
    app.db.delete(memberships).where(eq(memberships.workspaceId, b.id)).run();

    const context = await requireStaff(requestWithCookie(cookie));
    expect(context.actor).toMatchObject({ userId: consultant.userId, workspaceId: a.id });
    expect(context.workspaces.map((w) => w.id)).toEqual([a.id]);
  });

  it("a staff user without any membership is refused (403)", async () => {
    const workspace = seedWorkspace(app.db);
    const loner = await seedStaffUser(app.db, workspace.id, "admin");
    const cookie = await signInCookie(loner.email);
    app.db.delete(memberships).where(eq(memberships.userId, loner.userId)).run();
    expect((await thrownResponse(requireStaff(requestWithCookie(cookie)))).status).toBe(403);
  });
});

describe("customer detail and dashboard are scoped to the actor's workspace", () => {
  it("getCustomerDetail answers 404 for another workspace's customer, even to its admin elsewhere", async () => {
    const a = seedWorkspace(app.db);
    const b = seedWorkspace(app.db);
    const own = seedCustomer(app.db, a.id, { name: "Eigen Klant" });
    const foreign = seedCustomer(app.db, b.id, { name: "Vreemde Klant" });
    const admin = await seedStaffUser(app.db, a.id, "admin");
    const { actor } = await requireStaff(requestWithCookie(await signInCookie(admin.email)));

    expect((await getCustomerDetail(actor, own.id)).customer.name).toBe("Eigen Klant");
    expect((await thrownResponse(getCustomerDetail(actor, foreign.id))).status).toBe(404);
    expect((await thrownResponse(getCustomerDetail(actor, newId()))).status).toBe(404);
  });

  it("portal users get 404 from staff services", async () => {
    const workspace = seedWorkspace(app.db);
    const customer = seedCustomer(app.db, workspace.id);
    const portalUser = await seedPortalUser(app.db, workspace.id, customer.id);
    const { actor } = await requirePortal(requestWithCookie(await signInCookie(portalUser.email)));

    expect((await thrownResponse(listCustomers(actor, allCustomers))).status).toBe(404);
    expect((await thrownResponse(getCustomerDetail(actor, customer.id))).status).toBe(404);
    expect((await thrownResponse(dashboardOverview(actor))).status).toBe(404);
  });

  it("the dashboard counts only the active workspace's customers and activity", async () => {
    const a = seedWorkspace(app.db);
    const b = seedWorkspace(app.db);
    seedCustomer(app.db, a.id, { status: "active" });
    seedCustomer(app.db, a.id, { status: "ending" });
    seedCustomer(app.db, a.id, { status: "active", archivedAt: "2026-02-01T00:00:00.000Z" });
    seedCustomer(app.db, b.id, { status: "active" });
    const auditorA = await seedStaffUser(app.db, a.id, "auditor");
    const adminB = await seedStaffUser(app.db, b.id, "admin");
    await signInCookie(adminB.email);
    const { actor } = await requireStaff(requestWithCookie(await signInCookie(auditorA.email)));

    const overview = await dashboardOverview(actor);

    expect(overview.customers).toEqual({ total: 2, active: 1, ending: 1, ended: 0 });
    expect(overview.recent.map((e) => e.action)).toEqual(["user.signed_in"]);
    expect(overview.recent[0].actorLabel).toBe(`${auditorA.name} <${auditorA.email}>`);
  });
});
