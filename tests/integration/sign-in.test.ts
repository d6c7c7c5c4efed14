import { createCookie } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rateEvents, sessions, users } from "../../db/schema";
import { getCurrentSession, signIn, signOut } from "~/services/auth.server";
import { hashToken } from "~/services/ids.server";
import { seedWorkspace } from "../helpers/db";
import {
  cookiePair,
  requestWithCookie,
  seedStaffUser,
  signInCookie,
  TEST_LOGIN_THROTTLE,
  TEST_PASSWORD,
  TEST_SESSION_SECRET,
  testConfig,
  setupTestApp,
} from "../helpers/app";

const app = setupTestApp();

const SECOND = 1000;

function at(base: Date, plusMs: number): Date {
  return new Date(base.getTime() + plusMs);
}

/** The raw session token inside the signed cookie, read the way the app reads it. */
async function tokenOf(setCookie: string): Promise<string> {
  const value = (await createCookie("__dpadesk_session", { secrets: [TEST_SESSION_SECRET] }).parse(cookiePair(setCookie))) as unknown;
  if (typeof value !== "string" || value.length < 32) throw new Error(`cookie holds no token: ${String(value)}`);
  return value;
}

function attempt(email: string, password: string, ip: string | null, now?: Date) {
  return signIn({ email, password, ip, userAgent: "vitest", previousCookieHeader: null, now });
}

async function staffUser(role: "admin" | "privacy_officer" | "auditor" = "admin") {
  const workspace = seedWorkspace(app.db);
  const actor = await seedStaffUser(app.db, workspace.id, role);
  return { workspace, actor };
}

function sessionRows(userId: string) {
  return app.db.select().from(sessions).where(eq(sessions.userId, userId)).all();
}

describe("signIn with the right password", () => {
  it("creates a session row that stores only the SHA-256 of the token, and a locked-down cookie", async () => {
    const { actor, workspace } = await staffUser();
    const before = Date.now();

    const result = await signIn({
      email: actor.email,
      password: TEST_PASSWORD,
      ip: "198.51.100.7",
      userAgent: "Mozilla/5.0 (test)",
      previousCookieHeader: null,
    });

    expect(result).toMatchObject({ ok: true, userId: actor.userId, kind: "staff" });
    if (!result.ok) return;
    const token = await tokenOf(result.cookie);
    const rows = sessionRows(actor.userId);
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row.idHash).toBe(hashToken(token));
    expect(row.idHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row).toMatchObject({ activeWorkspaceId: workspace.id, ip: "198.51.100.7", userAgent: "Mozilla/5.0 (test)", revokedAt: null });
    const days14 = 14 * 86_400_000;
    expect(Date.parse(row.expiresAt) - Date.parse(row.createdAt)).toBe(days14);
    expect(Date.parse(row.createdAt)).toBeGreaterThanOrEqual(before);
    // the token itself is nowhere in the database
    const dump = JSON.stringify(app.db.$client.prepare("select * from sessions").all()) + JSON.stringify(app.db.$client.prepare("select * from audit_events").all());
    expect(dump).not.toContain(token);

    const attributes = result.cookie.split(";").map((part) => part.trim().toLowerCase());
    expect(attributes[0].startsWith("__dpadesk_session=")).toBe(true);
    expect(attributes).toContain("httponly");
    expect(attributes).toContain("samesite=lax");
    expect(attributes).toContain("path=/");
    expect(attributes).toContain(`max-age=${14 * 86_400}`);
    expect(attributes).not.toContain("secure");

    const session = await getCurrentSession(requestWithCookie(result.cookie));
    expect(session).toMatchObject({ idHash: row.idHash, activeWorkspaceId: workspace.id, user: { id: actor.userId } });
    expect(app.db.select().from(users).where(eq(users.id, actor.userId)).get()?.lastLoginAt).toBe(row.createdAt);
  });

  it("accepts the email in any case and with surrounding spaces", async () => {
    const { actor } = await staffUser();
    const result = await attempt(`  ${actor.email.toUpperCase()} `, TEST_PASSWORD, "192.0.2.1");
    expect(result).toMatchObject({ ok: true, userId: actor.userId });
  });

  it("marks the cookie Secure in production", async () => {
    const { actor } = await staffUser();
    app.configure({
      NODE_ENV: "production",
      SMTP_URL: "smtp://mail.example:587",
      SESSION_SECRET: "p".repeat(40),
      SIGNING_P12_DIR: "/etc/dpadesk/certs",
      SIGNING_P12_PASSPHRASE: "secret",
    });
    const cookie = await signInCookie(actor.email);
    expect(cookie.split(";").map((p) => p.trim())).toContain("Secure");
    expect(await getCurrentSession(requestWithCookie(cookie))).not.toBeNull();
  });

  it("stores passwords as argon2id hashes with at least the OWASP parameters (19 MiB, 2 passes)", async () => {
    const { actor } = await staffUser();
    const stored = app.db.select().from(users).where(eq(users.id, actor.userId)).get()?.passwordHash;
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(stored).not.toContain(TEST_PASSWORD);
  });
});

describe("signIn refusals", () => {
  it("gives the same answer for a wrong password and an unknown email, and creates no session", async () => {
    const { actor } = await staffUser();

    const wrongPassword = await attempt(actor.email, "not the password", "192.0.2.10");
    const unknownEmail = await attempt("nobody@example.test", TEST_PASSWORD, "192.0.2.11");

    expect(wrongPassword).toEqual({ ok: false, reason: "invalid" });
    expect(unknownEmail).toEqual(wrongPassword);
    expect(app.db.select().from(sessions).all()).toHaveLength(0);
    // both failures are recorded the same way, per account key and per IP
    expect(app.db.select({ key: rateEvents.key }).from(rateEvents).all().map((r) => r.key).sort()).toEqual(
      [`email:${actor.email}`, "email:nobody@example.test", "ip:192.0.2.10", "ip:192.0.2.11"].sort(),
    );
  });

  it("refuses a disabled user with the right password, and ends the sessions the user still has", async () => {
    const { actor } = await staffUser();
    const cookie = await signInCookie(actor.email);
    app.db.update(users).set({ disabledAt: new Date().toISOString() }).where(eq(users.id, actor.userId)).run();

    expect(await attempt(actor.email, TEST_PASSWORD, "192.0.2.1")).toEqual({ ok: false, reason: "invalid" });
    expect(await getCurrentSession(requestWithCookie(cookie))).toBeNull();
  });

  it("refuses an invited user who has not chosen a password yet", async () => {
    const { actor } = await staffUser();
    app.db.update(users).set({ passwordHash: null }).where(eq(users.id, actor.userId)).run();
    expect(await attempt(actor.email, "", "192.0.2.1")).toEqual({ ok: false, reason: "invalid" });
    expect(await attempt(actor.email, TEST_PASSWORD, "192.0.2.1")).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("throttling", () => {
  it("per account: after the limit, even the right password is refused, from any IP, for a minute", async () => {
    const { actor } = await staffUser();
    const t0 = new Date();
    for (let i = 0; i < TEST_LOGIN_THROTTLE; i++) {
      expect(await attempt(actor.email, `wrong ${i}`, `203.0.113.${i + 1}`, at(t0, i * SECOND))).toEqual({ ok: false, reason: "invalid" });
    }

    const refused = await attempt(actor.email, TEST_PASSWORD, "203.0.113.200", at(t0, 10 * SECOND));
    expect(refused).toEqual({ ok: false, reason: "throttled", retryAfterSeconds: 60 });
    expect(sessionRows(actor.userId)).toHaveLength(0);

    // other accounts are not affected
    const { actor: other } = await staffUser();
    expect(await attempt(other.email, TEST_PASSWORD, "203.0.113.201", at(t0, 10 * SECOND))).toMatchObject({ ok: true });

    // a minute after the last failure the account may sign in again
    const later = await attempt(actor.email, TEST_PASSWORD, "203.0.113.200", at(t0, (TEST_LOGIN_THROTTLE - 1) * SECOND + 61 * SECOND));
    expect(later).toMatchObject({ ok: true, userId: actor.userId });
  });

  it("one failure below the limit still lets the right password in", async () => {
    const { actor } = await staffUser();
    const t0 = new Date();
    for (let i = 0; i < TEST_LOGIN_THROTTLE - 1; i++) await attempt(actor.email, "wrong", null, at(t0, i * SECOND));
    expect(await attempt(actor.email, TEST_PASSWORD, null, at(t0, 10 * SECOND))).toMatchObject({ ok: true });
  });

  it("per IP: failures for different emails from one address throttle that address only", async () => {
    const { actor } = await staffUser();
    const t0 = new Date();
    const ip = "198.51.100.99";
    for (let i = 0; i < TEST_LOGIN_THROTTLE; i++) {
      expect(await attempt(`guess-${i}@example.test`, "password", ip, at(t0, i * SECOND))).toEqual({ ok: false, reason: "invalid" });
    }

    expect(await attempt(actor.email, TEST_PASSWORD, ip, at(t0, 10 * SECOND))).toMatchObject({ ok: false, reason: "throttled" });
    expect(await attempt(actor.email, TEST_PASSWORD, "198.51.100.100", at(t0, 11 * SECOND))).toMatchObject({ ok: true, userId: actor.userId });
  });
});

describe("sessions", () => {
  it("rotate at sign-in: signing in with an existing session cookie revokes the old session", async () => {
    const { actor } = await staffUser();
    const first = await signInCookie(actor.email);
    const second = await signInCookie(actor.email, TEST_PASSWORD, { previousCookie: first });

    expect(cookiePair(second)).not.toBe(cookiePair(first));
    expect(await getCurrentSession(requestWithCookie(first))).toBeNull();
    expect(await getCurrentSession(requestWithCookie(second))).toMatchObject({ user: { id: actor.userId } });
    const rows = sessionRows(actor.userId);
    expect(rows).toHaveLength(2);
    const firstHash = hashToken(await tokenOf(first));
    const secondHash = hashToken(await tokenOf(second));
    expect(rows.find((r) => r.idHash === firstHash)?.revokedAt).not.toBeNull();
    expect(rows.find((r) => r.idHash === secondHash)?.revokedAt).toBeNull();
  });

  it("a second sign-in without the old cookie (another browser) leaves the first session alone", async () => {
    const { actor } = await staffUser();
    const laptop = await signInCookie(actor.email);
    const phone = await signInCookie(actor.email);
    expect(await getCurrentSession(requestWithCookie(laptop))).not.toBeNull();
    expect(await getCurrentSession(requestWithCookie(phone))).not.toBeNull();
  });

  it("an expired session counts as signed out", async () => {
    const { actor } = await staffUser();
    const fifteenDaysAgo = new Date(Date.now() - 15 * 86_400_000);
    const cookie = await signInCookie(actor.email, TEST_PASSWORD, { now: fifteenDaysAgo });
    expect(sessionRows(actor.userId)).toHaveLength(1);
    expect(await getCurrentSession(requestWithCookie(cookie))).toBeNull();
  });

  it("a revoked session counts as signed out", async () => {
    const { actor } = await staffUser();
    const cookie = await signInCookie(actor.email);
    app.db.update(sessions).set({ revokedAt: new Date().toISOString() }).where(eq(sessions.userId, actor.userId)).run();
    expect(await getCurrentSession(requestWithCookie(cookie))).toBeNull();
  });

  it("a cookie signed with another secret, a tampered cookie or no cookie is no session", async () => {
    const { actor } = await staffUser();
    const cookie = await signInCookie(actor.email);
    const token = await tokenOf(cookie);
    const forged = await createCookie("__dpadesk_session", { secrets: ["y".repeat(40)] }).serialize(token);
    const [name, value] = cookiePair(cookie).split("=");

    expect(await getCurrentSession(requestWithCookie(forged))).toBeNull();
    expect(await getCurrentSession(requestWithCookie(`${name}=${value.slice(0, -2)}xx`))).toBeNull();
    expect(await getCurrentSession(requestWithCookie(`__dpadesk_session=${token}`))).toBeNull();
    expect(await getCurrentSession(requestWithCookie(null))).toBeNull();
  });

  it("signOut revokes the session and clears the cookie", async () => {
    const { actor } = await staffUser();
    const cookie = await signInCookie(actor.email);

    const cleared = await signOut(requestWithCookie(cookie));

    expect(cleared.startsWith("__dpadesk_session=;")).toBe(true);
    expect(cleared).toMatch(/Max-Age=0/);
    expect(cleared).toMatch(/Path=\//);
    expect(await getCurrentSession(requestWithCookie(cookie))).toBeNull();
    expect(sessionRows(actor.userId)[0].revokedAt).not.toBeNull();
    // signing out without a session is harmless
    expect(await signOut(requestWithCookie(null))).toMatch(/Max-Age=0/);
  });

  it("a session created under one secret is unreadable after the secret changes", async () => {
    const { actor } = await staffUser();
    const cookie = await signInCookie(actor.email);
    app.configure({ SESSION_SECRET: "z".repeat(40) });
    expect(app.config).toEqual(testConfig(app.dir, app.databasePath, { SESSION_SECRET: "z".repeat(40) }));
    expect(await getCurrentSession(requestWithCookie(cookie))).toBeNull();
  });
});
