import { hash, verify } from "@node-rs/argon2";
import { createCookie, redirect } from "@remix-run/node";
import { and, asc, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { customers, memberships, sessions, users, workspaces } from "../../db/schema";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { can, type Actor, type Permission, type StaffRole } from "~/domain/permissions";
import { appendAudit } from "./audit.server";
import { forbidden, notFound, nowIso } from "./http.server";
import { hashToken, newToken } from "./ids.server";
import { eventsSince, recordEvents } from "./rate-limit.server";

/** argon2id with the library's defaults (m=19 MiB, t=2, p=1: the OWASP minimum). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so timing does not reveal which emails exist. */
let dummyHash: Promise<string> | undefined;

function sessionCookie() {
  const config = getConfig();
  return createCookie("__dpadesk_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: config.isProduction,
    path: "/",
    secrets: [config.sessionSecret],
    maxAge: config.sessionDays * 24 * 60 * 60,
  });
}

export type SignInResult =
  | { ok: true; userId: string; kind: "staff" | "portal"; cookie: string }
  | { ok: false; reason: "invalid" | "throttled"; retryAfterSeconds?: number };

function throttleKeys(email: string, ip: string | null): string[] {
  return [`email:${email}`, ...(ip ? [`ip:${ip}`] : [])];
}

/**
 * Signs a user in. Failed attempts are counted per account and per IP address in the database
 * (so the limit holds across app instances); past the limit every attempt is refused for a minute.
 * On success the old session (if any) is revoked and a new one is created: the id rotates at login.
 */
export async function signIn(input: {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  previousCookieHeader: string | null;
  now?: Date;
}): Promise<SignInResult> {
  const db = getDb();
  const config = getConfig();
  const now = input.now ?? new Date();
  const nowText = now.toISOString();
  const email = input.email.trim().toLowerCase();
  const windowStart = new Date(now.getTime() - 60_000).toISOString();
  const keys = throttleKeys(email, input.ip);
  if (keys.some((k) => eventsSince(db, k, windowStart) >= config.loginThrottlePerMinute)) {
    return { ok: false, reason: "throttled", retryAfterSeconds: 60 };
  }

  const user = db.select().from(users).where(eq(users.email, email)).get();
  dummyHash ??= hashPassword("dpadesk-timing-equaliser");
  const valid =
    user && user.passwordHash && !user.disabledAt
      ? await verifyPassword(user.passwordHash, input.password)
      : (await verifyPassword(await dummyHash, input.password + "x"), false);

  if (!user || !valid) {
    db.transaction((tx) => recordEvents(tx, keys, nowText), { behavior: "immediate" });
    return { ok: false, reason: "invalid" };
  }

  const previous = await readSessionToken(input.previousCookieHeader);
  const token = newToken();
  const workspaceId = user.kind === "portal" ? user.portalWorkspaceId : firstWorkspaceOf(db, user.id);
  db.transaction(
    (tx) => {
      if (previous) tx.update(sessions).set({ revokedAt: nowText }).where(eq(sessions.idHash, hashToken(previous))).run();
      tx.insert(sessions)
        .values({
          idHash: hashToken(token),
          userId: user.id,
          activeWorkspaceId: workspaceId,
          createdAt: nowText,
          lastSeenAt: nowText,
          expiresAt: new Date(now.getTime() + config.sessionDays * 86_400_000).toISOString(),
          ip: input.ip,
          userAgent: input.userAgent?.slice(0, 500) ?? null,
        })
        .run();
      tx.update(users).set({ lastLoginAt: nowText }).where(eq(users.id, user.id)).run();
      appendAudit(
        tx,
        { kind: "account", userId: user.id, name: user.name, email: user.email, workspaceId },
        nowText,
        { action: "user.signed_in", entityType: "user", entityId: user.id, customerId: user.portalCustomerId, data: { ip: input.ip } },
      );
    },
    { behavior: "immediate" },
  );
  return { ok: true, userId: user.id, kind: user.kind, cookie: await sessionCookie().serialize(token) };
}

function firstWorkspaceOf(db: Db, userId: string): string | null {
  const m = db
    .select({ workspaceId: memberships.workspaceId })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(workspaces.slug))
    .limit(1)
    .get();
  return m?.workspaceId ?? null;
}

async function readSessionToken(cookieHeader: string | null): Promise<string | null> {
  if (!cookieHeader) return null;
  const value = await sessionCookie().parse(cookieHeader);
  return typeof value === "string" && value.length > 0 ? value : null;
}

export type CurrentSession = {
  idHash: string;
  user: typeof users.$inferSelect;
  activeWorkspaceId: string | null;
};

/** One lookup per request: the root, layout and page loaders all ask for the same session. */
const sessionsByRequest = new WeakMap<Request, Promise<CurrentSession | null>>();

/** The signed-in user of this request, or null. Expired, revoked or disabled sessions count as signed out. */
export function getCurrentSession(request: Request): Promise<CurrentSession | null> {
  let lookup = sessionsByRequest.get(request);
  if (!lookup) {
    lookup = lookUpSession(request);
    sessionsByRequest.set(request, lookup);
  }
  return lookup;
}

async function lookUpSession(request: Request): Promise<CurrentSession | null> {
  const token = await readSessionToken(request.headers.get("Cookie"));
  if (!token) return null;
  const db = getDb();
  const idHash = hashToken(token);
  const now = nowIso();
  const row = db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, idHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .get();
  if (!row || row.user.disabledAt) return null;
  // record activity at most once a minute, so reads do not turn into writes on every request
  if (Date.parse(now) - Date.parse(row.session.lastSeenAt) > 60_000) {
    db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, idHash)).run();
  }
  return { idHash, user: row.user, activeWorkspaceId: row.session.activeWorkspaceId };
}

export async function signOut(request: Request): Promise<string> {
  const session = await getCurrentSession(request);
  if (session) {
    const db = getDb();
    const now = nowIso();
    db.transaction(
      (tx) => {
        tx.update(sessions).set({ revokedAt: now }).where(eq(sessions.idHash, session.idHash)).run();
        appendAudit(tx, accountActor(session), now, {
          action: "user.signed_out",
          entityType: "user",
          entityId: session.user.id,
        });
      },
      { behavior: "immediate" },
    );
  }
  return sessionCookie().serialize("", { maxAge: 0 });
}

/** The signed-in person acting on their own account, for audit events of sign-out, switching and preferences. */
export function accountActor(session: CurrentSession): Extract<Actor, { kind: "account" }> {
  return { kind: "account", userId: session.user.id, name: session.user.name, email: session.user.email, workspaceId: session.activeWorkspaceId };
}

/** Revokes every session of a user (after a password reset, or when an admin disables the account). */
export function revokeAllSessions(tx: Pick<Db, "update">, userId: string, now: string): void {
  tx.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt))).run();
}

function loginRedirect(request: Request): Response {
  const url = new URL(request.url);
  const redirectTo = `${url.pathname}${url.search}`;
  return redirect(`/login?redirectTo=${encodeURIComponent(redirectTo)}`);
}

export type StaffContext = {
  actor: Extract<Actor, { kind: "staff" }>;
  workspace: typeof workspaces.$inferSelect;
  workspaces: { id: string; slug: string; tradeName: string; role: StaffRole }[];
};

/**
 * The staff actor for this request, scoped to the session's active workspace.
 * Not signed in: redirect to /login. A portal user: 404 (staff pages do not exist for them).
 * Missing permission: 403.
 */
export async function requireStaff(request: Request, permission: Permission = "workspace:read"): Promise<StaffContext> {
  const session = await getCurrentSession(request);
  if (!session) throw loginRedirect(request);
  if (session.user.kind !== "staff") throw notFound();
  const db = getDb();
  const all = db
    .select({ id: workspaces.id, slug: workspaces.slug, tradeName: workspaces.tradeName, role: memberships.role })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, session.user.id))
    .orderBy(asc(workspaces.tradeName))
    .all();
  const active = all.find((w) => w.id === session.activeWorkspaceId) ?? all[0];
  if (!active) throw forbidden("You are not a member of any workspace.");
  const workspace = db.select().from(workspaces).where(eq(workspaces.id, active.id)).get();
  if (!workspace) throw notFound();
  const actor: StaffContext["actor"] = {
    kind: "staff",
    userId: session.user.id,
    name: session.user.name,
    email: session.user.email,
    workspaceId: workspace.id,
    role: active.role,
  };
  if (!can(actor, permission)) throw forbidden();
  return { actor, workspace, workspaces: all };
}

export type PortalContext = {
  actor: Extract<Actor, { kind: "portal" }>;
  customer: typeof customers.$inferSelect;
  workspace: typeof workspaces.$inferSelect;
};

/** The portal actor: exactly one customer of one workspace. Staff visiting the portal get 404. */
export async function requirePortal(request: Request): Promise<PortalContext> {
  const session = await getCurrentSession(request);
  if (!session) throw loginRedirect(request);
  const user = session.user;
  if (user.kind !== "portal" || !user.portalCustomerId || !user.portalWorkspaceId) throw notFound();
  const db = getDb();
  const customer = db
    .select()
    .from(customers)
    .where(and(eq(customers.id, user.portalCustomerId), eq(customers.workspaceId, user.portalWorkspaceId)))
    .get();
  const workspace = db.select().from(workspaces).where(eq(workspaces.id, user.portalWorkspaceId)).get();
  if (!customer || !workspace) throw notFound();
  return {
    actor: {
      kind: "portal",
      userId: user.id,
      name: user.name,
      email: user.email,
      workspaceId: workspace.id,
      customerId: customer.id,
    },
    customer,
    workspace,
  };
}

/** Switches the session's active workspace, if the user is a member of it. */
export async function switchWorkspace(request: Request, workspaceId: string): Promise<void> {
  const session = await getCurrentSession(request);
  if (!session || session.user.kind !== "staff") throw notFound();
  const db = getDb();
  const member = db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.userId, session.user.id), eq(memberships.workspaceId, workspaceId)))
    .get();
  if (!member) throw notFound();
  const now = nowIso();
  db.transaction(
    (tx) => {
      tx.update(sessions).set({ activeWorkspaceId: workspaceId }).where(eq(sessions.idHash, session.idHash)).run();
      appendAudit(tx, { ...accountActor(session), workspaceId }, now, {
        action: "user.switched_workspace",
        entityType: "user",
        entityId: session.user.id,
      });
    },
    { behavior: "immediate" },
  );
}

/** Only same-site paths, never `//evil.example` or absolute URLs. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (!to || typeof to !== "string") return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
