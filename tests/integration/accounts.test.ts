import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accountTokens, auditEvents, memberships, outbox, sessions, users } from "../../db/schema";
import type { Actor } from "~/domain/permissions";
import { InvalidMailError } from "~/mail/outbox.server";
import {
  inspectAccountToken,
  invitePortalUser,
  inviteStaff,
  listStaff,
  redeemAccountToken,
  requestPasswordReset,
} from "~/services/accounts.server";
import { getCurrentSession, requirePortal, requireStaff, signIn } from "~/services/auth.server";
import { hashToken } from "~/services/ids.server";
import { seedCustomer, seedStaff, seedWorkspace } from "../helpers/db";
import {
  requestWithCookie,
  seedPortalUser,
  seedStaffUser,
  signInCookie,
  TEST_APP_URL,
  TEST_PASSWORD,
  thrownResponse,
  setupTestApp,
} from "../helpers/app";

const app = setupTestApp();

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const NEW_PASSWORD = "a brand new passphrase";

function later(now: string, plusMs: number): string {
  return new Date(Date.parse(now) + plusMs).toISOString();
}

function outboxRows() {
  return app.db.select().from(outbox).orderBy(asc(outbox.createdAt), asc(outbox.id)).all();
}

/** Row counts of every table a refused or failed invitation must leave alone. */
function footprint() {
  const n = (table: string) => (app.db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  return { users: n("users"), memberships: n("memberships"), tokens: n("account_tokens"), outbox: n("outbox"), audit: n("audit_events") };
}

/** The token in a mailed link such as https://dpadesk.test/invite/<token>. */
function tokenInMail(text: string, route: "invite" | "reset-password"): string {
  const match = new RegExp(`${TEST_APP_URL.replace(/[.]/g, "\\.")}/${route}/([A-Za-z0-9_-]+)`).exec(text);
  if (!match) throw new Error(`no /${route}/ link in mail:\n${text}`);
  return match[1];
}

function userByEmail(email: string) {
  return app.db.select().from(users).where(eq(users.email, email)).get();
}

function auditActions(workspaceId: string) {
  return app.db
    .select({ action: auditEvents.action, entityId: auditEvents.entityId, customerId: auditEvents.customerId })
    .from(auditEvents)
    .where(eq(auditEvents.workspaceId, workspaceId))
    .orderBy(asc(auditEvents.seq))
    .all();
}

function setup() {
  const workspace = seedWorkspace(app.db, { tradeName: "Leadcube" });
  return {
    workspace,
    admin: seedStaff(app.db, workspace.id, "admin"),
    officer: seedStaff(app.db, workspace.id, "privacy_officer"),
    auditor: seedStaff(app.db, workspace.id, "auditor"),
  };
}

describe("inviteStaff", () => {
  it("creates the account, the membership, a hashed single-use token and one mail with the link, in one transaction", async () => {
    const { workspace, admin } = setup();
    const now = new Date().toISOString();

    const result = await inviteStaff(admin, { email: "  Nieuw@Example.TEST ", role: "privacy_officer" }, now);

    expect(result).toEqual({ ok: true, email: "nieuw@example.test" });
    const user = userByEmail("nieuw@example.test");
    expect(user).toMatchObject({ kind: "staff", passwordHash: null });
    expect(app.db.select().from(memberships).where(eq(memberships.userId, user!.id)).all()).toMatchObject([
      { workspaceId: workspace.id, role: "privacy_officer" },
    ]);

    const mails = outboxRows();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ workspaceId: workspace.id, kind: "staff_invitation", status: "pending", createdAt: now });
    expect(JSON.parse(mails[0].toAddresses)).toEqual(["nieuw@example.test"]);
    expect(mails[0].subject).toContain("Leadcube");
    expect(mails[0].textBody).toContain(admin.name);
    const token = tokenInMail(mails[0].textBody, "invite");

    const tokens = app.db.select().from(accountTokens).all();
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ purpose: "invite", userId: user!.id, workspaceId: workspace.id, createdBy: admin.userId, usedAt: null });
    expect(tokens[0].tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(app.db.$client.prepare("select * from account_tokens").all())).not.toContain(token);
    expect(Date.parse(tokens[0].expiresAt) - Date.parse(now)).toBe(7 * DAY);

    expect(auditActions(workspace.id)).toEqual([
      { action: "mail.queued", entityId: mails[0].id, customerId: null },
      { action: "staff.invited", entityId: user!.id, customerId: null },
    ]);
  });

  it("rolls everything back when the mail cannot be queued", async () => {
    const { admin } = setup();
    const before = footprint();

    await expect(inviteStaff(admin, { email: "not-an-address", role: "auditor" }, new Date().toISOString())).rejects.toBeInstanceOf(InvalidMailError);

    expect(footprint()).toEqual(before);
    expect(userByEmail("not-an-address")).toBeUndefined();
  });

  it("is for admins only: privacy officers and auditors get 403, portal users 404, and nothing is written", async () => {
    const { workspace, officer, auditor } = setup();
    const customer = seedCustomer(app.db, workspace.id);
    const portal: Actor = { kind: "portal", userId: officer.userId, name: "P", email: "p@example.test", workspaceId: workspace.id, customerId: customer.id };
    const before = footprint();
    const now = new Date().toISOString();

    expect((await thrownResponse(inviteStaff(officer, { email: "x@example.test", role: "admin" }, now))).status).toBe(403);
    expect((await thrownResponse(inviteStaff(auditor, { email: "x@example.test", role: "auditor" }, now))).status).toBe(403);
    expect((await thrownResponse(inviteStaff(portal, { email: "x@example.test", role: "auditor" }, now))).status).toBe(404);
    expect((await thrownResponse(listStaff(officer))).status).toBe(403);
    expect(footprint()).toEqual(before);
  });

  it("adds an existing staff member of another workspace directly, with a sign-in link and no token", async () => {
    const { workspace, admin } = setup();
    const other = seedWorkspace(app.db, { tradeName: "Elementon" });
    const colleague = await seedStaffUser(app.db, other.id, "privacy_officer");

    const result = await inviteStaff(admin, { email: colleague.email, role: "auditor" }, new Date().toISOString());

    expect(result).toEqual({ ok: true, email: colleague.email });
    expect(
      app.db.select({ w: memberships.workspaceId, role: memberships.role }).from(memberships).where(eq(memberships.userId, colleague.userId)).all(),
    ).toEqual(expect.arrayContaining([{ w: workspace.id, role: "auditor" }, { w: other.id, role: "privacy_officer" }]));
    expect(app.db.select().from(accountTokens).all()).toHaveLength(0);
    const [mail] = outboxRows();
    expect(mail.textBody).toContain(`${TEST_APP_URL}/login`);
    expect(mail.textBody).not.toContain("/invite/");
    // the new membership works with the password the colleague already has
    const cookie = await signInCookie(colleague.email);
    expect((await requireStaff(requestWithCookie(cookie))).workspaces.map((w) => w.role).sort()).toEqual(["auditor", "privacy_officer"]);
  });

  it("refuses a member twice and an address that belongs to a portal user, without writing", async () => {
    const { workspace, admin, officer } = setup();
    const customer = seedCustomer(app.db, workspace.id);
    const portal = await seedPortalUser(app.db, workspace.id, customer.id);
    const before = footprint();
    const now = new Date().toISOString();

    expect(await inviteStaff(admin, { email: officer.email, role: "admin" }, now)).toEqual({ ok: false, error: "users.alreadyMember" });
    expect(await inviteStaff(admin, { email: portal.email, role: "auditor" }, now)).toEqual({ ok: false, error: "users.emailTaken" });
    expect(footprint()).toEqual(before);
  });

  it("listStaff shows the workspace's staff, an open invitation as invited", async () => {
    const { admin, officer, auditor } = setup();
    await inviteStaff(admin, { email: "invited@example.test", role: "auditor" }, new Date().toISOString());
    seedStaff(app.db, seedWorkspace(app.db).id, "admin");

    const staff = await listStaff(admin);

    expect(staff.map((s) => s.email)).toEqual([admin.email, auditor.email, "invited@example.test", officer.email].sort());
    expect(staff.find((s) => s.email === "invited@example.test")).toMatchObject({ role: "auditor", invited: true });
  });
});

describe("invitePortalUser", () => {
  it("lets a privacy officer invite a contact of the workspace's customer, in the customer's language", async () => {
    const { workspace, officer } = setup();
    const customer = seedCustomer(app.db, workspace.id, { name: "Bakery Smith Ltd", language: "en" });
    const now = new Date().toISOString();

    expect(await invitePortalUser(officer, { customerId: customer.id, email: "contact@bakery.test" }, now)).toEqual({ ok: true, email: "contact@bakery.test" });

    const user = userByEmail("contact@bakery.test");
    expect(user).toMatchObject({ kind: "portal", portalCustomerId: customer.id, portalWorkspaceId: workspace.id, locale: "en", passwordHash: null });
    const mails = outboxRows();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ kind: "portal_invitation", workspaceId: workspace.id, customerId: customer.id });
    expect(JSON.parse(mails[0].toAddresses)).toEqual(["contact@bakery.test"]);
    expect(mails[0].subject).toBe("Your access to the customer portal of Leadcube");
    expect(mails[0].textBody).toContain("Bakery Smith Ltd");
    const token = tokenInMail(mails[0].textBody, "invite");
    expect(await inspectAccountToken(token, "invite", now)).toEqual({
      userId: user!.id,
      email: "contact@bakery.test",
      purpose: "invite",
      workspaceName: "Leadcube",
      role: "portal",
    });
    expect(auditActions(workspace.id).map((e) => e.action)).toEqual(["mail.queued", "portal_user.invited"]);
    expect(auditActions(workspace.id)[1]).toMatchObject({ entityId: user!.id, customerId: customer.id });

    // accepting the invitation leads into the portal of exactly that customer
    expect(await redeemAccountToken(token, "invite", { password: NEW_PASSWORD, name: "Sam Smith" }, now)).toBe(true);
    const { actor } = await requirePortal(requestWithCookie(await signInCookie("contact@bakery.test", NEW_PASSWORD)));
    expect(actor).toMatchObject({ customerId: customer.id, workspaceId: workspace.id, name: "Sam Smith" });
  });

  it("refuses auditors (403) and portal users (404)", async () => {
    const { workspace, auditor } = setup();
    const customer = seedCustomer(app.db, workspace.id);
    const portal: Actor = { kind: "portal", userId: auditor.userId, name: "P", email: "p@example.test", workspaceId: workspace.id, customerId: customer.id };
    const before = footprint();
    const now = new Date().toISOString();

    expect((await thrownResponse(invitePortalUser(auditor, { customerId: customer.id, email: "c@example.test" }, now))).status).toBe(403);
    expect((await thrownResponse(invitePortalUser(portal, { customerId: customer.id, email: "c@example.test" }, now))).status).toBe(404);
    expect(footprint()).toEqual(before);
  });

  it("answers 404 for a customer of another workspace, and writes nothing", async () => {
    const { officer, admin } = setup();
    const elsewhere = seedWorkspace(app.db);
    const foreignCustomer = seedCustomer(app.db, elsewhere.id);
    const before = footprint();
    const now = new Date().toISOString();

    expect((await thrownResponse(invitePortalUser(officer, { customerId: foreignCustomer.id, email: "c@example.test" }, now))).status).toBe(404);
    expect((await thrownResponse(invitePortalUser(admin, { customerId: foreignCustomer.id, email: "c@example.test" }, now))).status).toBe(404);
    expect(footprint()).toEqual(before);
    expect(userByEmail("c@example.test")).toBeUndefined();
  });

  it("refuses an address that already has an account", async () => {
    const { workspace, officer } = setup();
    const customer = seedCustomer(app.db, workspace.id);
    const now = new Date().toISOString();
    await invitePortalUser(officer, { customerId: customer.id, email: "c@example.test" }, now);
    const before = footprint();

    expect(await invitePortalUser(officer, { customerId: customer.id, email: "c@example.test" }, now)).toEqual({ ok: false, error: "users.alreadyMember" });
    expect(await invitePortalUser(officer, { customerId: customer.id, email: officer.email }, now)).toEqual({ ok: false, error: "users.emailTaken" });
    expect(footprint()).toEqual(before);
  });
});

describe("invitation links", () => {
  async function invited(role: "admin" | "privacy_officer" | "auditor" = "privacy_officer") {
    const { workspace, admin } = setup();
    const now = new Date().toISOString();
    await inviteStaff(admin, { email: "new@example.test", role }, now);
    const [mail] = outboxRows();
    return { workspace, admin, now, token: tokenInMail(mail.textBody, "invite"), userId: userByEmail("new@example.test")!.id };
  }

  it("inspect shows the role and the workspace of a valid link, and nothing for a wrong one", async () => {
    const { now, token, userId } = await invited("auditor");

    expect(await inspectAccountToken(token, "invite", now)).toEqual({ userId, email: "new@example.test", purpose: "invite", workspaceName: "Leadcube", role: "auditor" });
    expect(await inspectAccountToken(token, "reset", now)).toBeNull();
    expect(await inspectAccountToken(`${token}x`, "invite", now)).toBeNull();
    expect(await inspectAccountToken("", "invite", now)).toBeNull();
  });

  it("is single-use: redeeming sets the password and name, and the second redemption fails", async () => {
    const { workspace, now, token, userId } = await invited();

    expect(await redeemAccountToken(token, "invite", { password: NEW_PASSWORD, name: "Nieuwe Collega" }, now)).toBe(true);
    expect(await redeemAccountToken(token, "invite", { password: "another password!", name: "Someone Else" }, later(now, 1000))).toBe(false);

    expect(await inspectAccountToken(token, "invite", now)).toBeNull();
    const user = app.db.select().from(users).where(eq(users.id, userId)).get()!;
    expect(user.name).toBe("Nieuwe Collega");
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await signIn({ email: "new@example.test", password: "another password!", ip: null, userAgent: null, previousCookieHeader: null })).toEqual({ ok: false, reason: "invalid" });
    const { actor } = await requireStaff(requestWithCookie(await signInCookie("new@example.test", NEW_PASSWORD)));
    expect(actor).toMatchObject({ userId, workspaceId: workspace.id, role: "privacy_officer", name: "Nieuwe Collega" });
    expect(auditActions(workspace.id).map((e) => e.action)).toContain("user.invitation_accepted");
  });

  it("accepting an invitation ends any session the account still had", async () => {
    const { now, token, userId } = await invited();
    app.db
      .insert(sessions)
      .values({ idHash: hashToken("left-over"), userId, activeWorkspaceId: null, createdAt: now, lastSeenAt: now, expiresAt: later(now, DAY) })
      .run();

    expect(await redeemAccountToken(token, "invite", { password: NEW_PASSWORD, name: "Nieuw" }, now)).toBe(true);

    expect(app.db.select({ revokedAt: sessions.revokedAt }).from(sessions).where(eq(sessions.userId, userId)).all()).toEqual([{ revokedAt: now }]);
  });

  it("two simultaneous redemptions of one link: exactly one succeeds", async () => {
    const { now, token } = await invited();
    const results = await Promise.all([
      redeemAccountToken(token, "invite", { password: "first password 1", name: "First" }, now),
      redeemAccountToken(token, "invite", { password: "second password 2", name: "Second" }, now),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results[0] ? "first password 1" : "second password 2";
    expect(await signInCookie("new@example.test", winner)).toMatch(/^__dpadesk_session=/);
  });

  it("expires after 7 days", async () => {
    const { now, token, userId } = await invited();

    expect(await inspectAccountToken(token, "invite", later(now, 7 * DAY - 1))).toMatchObject({ userId });
    expect(await inspectAccountToken(token, "invite", later(now, 7 * DAY))).toBeNull();
    expect(await redeemAccountToken(token, "invite", { password: NEW_PASSWORD, name: "Te Laat" }, later(now, 7 * DAY + 1))).toBe(false);
    expect(app.db.select().from(users).where(eq(users.id, userId)).get()?.passwordHash).toBeNull();
  });

  it("is refused for a disabled account", async () => {
    const { now, token, userId } = await invited();
    app.db.update(users).set({ disabledAt: now }).where(eq(users.id, userId)).run();
    expect(await inspectAccountToken(token, "invite", now)).toBeNull();
    expect(await redeemAccountToken(token, "invite", { password: NEW_PASSWORD, name: "X" }, now)).toBe(false);
  });
});

describe("password reset", () => {
  function resetMails(email: string) {
    return outboxRows().filter((m) => m.kind === "password_reset" && JSON.parse(m.toAddresses)[0] === email);
  }

  it("mails a one-hour link; redeeming sets the new password and ends every existing session", async () => {
    const { workspace } = setup();
    const user = await seedStaffUser(app.db, workspace.id, "privacy_officer");
    const laptop = await signInCookie(user.email);
    const phone = await signInCookie(user.email);
    const now = new Date().toISOString();

    await requestPasswordReset(` ${user.email.toUpperCase()}`, now);

    const mails = resetMails(user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ workspaceId: workspace.id, subject: "Nieuw wachtwoord voor DPA Desk" });
    const token = tokenInMail(mails[0].textBody, "reset-password");
    const stored = app.db.select().from(accountTokens).where(eq(accountTokens.purpose, "reset")).get()!;
    expect(stored.tokenHash).toBe(hashToken(token));
    expect(Date.parse(stored.expiresAt) - Date.parse(now)).toBe(HOUR);
    expect(await inspectAccountToken(token, "invite", now)).toBeNull();
    expect(await redeemAccountToken(token, "invite", { password: NEW_PASSWORD }, now)).toBe(false);

    expect(await redeemAccountToken(token, "reset", { password: NEW_PASSWORD }, now)).toBe(true);

    expect(await getCurrentSession(requestWithCookie(laptop))).toBeNull();
    expect(await getCurrentSession(requestWithCookie(phone))).toBeNull();
    expect(await signIn({ email: user.email, password: TEST_PASSWORD, ip: null, userAgent: null, previousCookieHeader: null })).toEqual({ ok: false, reason: "invalid" });
    expect(await getCurrentSession(requestWithCookie(await signInCookie(user.email, NEW_PASSWORD)))).toMatchObject({ user: { id: user.userId } });
    expect(await redeemAccountToken(token, "reset", { password: "yet another one" }, now)).toBe(false);
    expect(auditActions(workspace.id).map((e) => e.action)).toEqual(expect.arrayContaining(["user.password_reset_requested", "user.password_reset"]));
  });

  it("a reset link expires after an hour", async () => {
    const { workspace } = setup();
    const user = await seedStaffUser(app.db, workspace.id);
    const now = new Date().toISOString();
    await requestPasswordReset(user.email, now);
    const token = tokenInMail(resetMails(user.email)[0].textBody, "reset-password");

    expect(await redeemAccountToken(token, "reset", { password: NEW_PASSWORD }, later(now, HOUR))).toBe(false);
    expect(await signInCookie(user.email, TEST_PASSWORD)).toMatch(/^__dpadesk_session=/);
  });

  it("writes nothing for an unknown address, an invited account without password or a disabled account", async () => {
    const { workspace, admin } = setup();
    const disabled = await seedStaffUser(app.db, workspace.id, "auditor");
    const now = new Date().toISOString();
    app.db.update(users).set({ disabledAt: now }).where(eq(users.id, disabled.userId)).run();
    const before = footprint();

    await requestPasswordReset("nobody@example.test", now);
    await requestPasswordReset(admin.email, now); // seedStaff: invited, no password yet
    await requestPasswordReset(disabled.email, now);

    expect(footprint()).toEqual(before);
    expect(outboxRows()).toHaveLength(0);
  });

  it("sends at most three reset mails an hour per account; using one link ends the others", async () => {
    const { workspace } = setup();
    const user = await seedStaffUser(app.db, workspace.id);
    const t0 = new Date().toISOString();

    for (let i = 0; i < 5; i++) await requestPasswordReset(user.email, later(t0, i * 60_000));
    expect(resetMails(user.email)).toHaveLength(3);

    // an hour after the first request, one more may go out (the window slides)
    await requestPasswordReset(user.email, later(t0, HOUR + 1000));
    expect(resetMails(user.email)).toHaveLength(4);
    await requestPasswordReset(user.email, later(t0, HOUR + 2000));
    expect(resetMails(user.email)).toHaveLength(4);

    const tokens = resetMails(user.email).map((m) => tokenInMail(m.textBody, "reset-password"));
    expect(new Set(tokens).size).toBe(4);
    const usedAt = later(t0, HOUR + 3000);
    expect(await redeemAccountToken(tokens[3], "reset", { password: NEW_PASSWORD }, usedAt)).toBe(true);
    for (const token of tokens.slice(1, 3)) expect(await redeemAccountToken(token, "reset", { password: "someone else's" }, usedAt)).toBe(false);
    expect(
      app.db.select().from(accountTokens).where(and(eq(accountTokens.userId, user.userId), eq(accountTokens.purpose, "reset"))).all().every((t) => t.usedAt !== null),
    ).toBe(true);
  });

  it("a portal user's reset mail is in the account's language and tied to its customer", async () => {
    const { workspace } = setup();
    const customer = seedCustomer(app.db, workspace.id, { language: "en" });
    const portal = await seedPortalUser(app.db, workspace.id, customer.id);
    app.db.update(users).set({ locale: "en" }).where(eq(users.id, portal.userId)).run();

    await requestPasswordReset(portal.email, new Date().toISOString());

    expect(resetMails(portal.email)).toMatchObject([{ subject: "New password for DPA Desk", workspaceId: workspace.id, customerId: customer.id }]);
  });
});
