/**
 * Invitations and password resets: single-use, expiring links sent through the outbox.
 * Admins invite staff; staff (not auditors) invite portal users for one of their customers.
 */
import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { accountTokens, customers, memberships, users, workspaces } from "../../db/schema";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { can, type Actor, type StaffRole } from "~/domain/permissions";
import { translator, type Locale } from "~/i18n/i18n";
import { enqueueMail } from "~/mail/outbox.server";
import { appendAudit } from "./audit.server";
import { hashPassword, revokeAllSessions } from "./auth.server";
import { forbidden, notFound } from "./http.server";
import { hashToken, newId, newToken } from "./ids.server";

const INVITE_VALID_MS = 7 * 24 * 3600 * 1000;
const RESET_VALID_MS = 3600 * 1000;

export type InviteResult = { ok: true; email: string } | { ok: false; error: "users.alreadyMember" | "users.emailTaken" };

function issueToken(tx: Tx, input: { purpose: "invite" | "reset"; userId: string; workspaceId: string | null; createdBy: string | null; now: string; validMs: number }): string {
  const token = newToken();
  tx.insert(accountTokens)
    .values({
      id: newId(),
      tokenHash: hashToken(token),
      purpose: input.purpose,
      userId: input.userId,
      workspaceId: input.workspaceId,
      createdBy: input.createdBy,
      createdAt: input.now,
      expiresAt: new Date(Date.parse(input.now) + input.validMs).toISOString(),
    })
    .run();
  return token;
}

function mailLocale(tx: Tx, workspaceId: string): Locale {
  const ws = tx.select({ lang: workspaces.defaultLanguage }).from(workspaces).where(eq(workspaces.id, workspaceId)).get();
  return ws?.lang ?? "nl";
}

/** Admin only. A new person gets an account without password and an invitation link; an existing staff member is added directly. */
export async function inviteStaff(actor: Actor, input: { email: string; role: StaffRole }, now: string): Promise<InviteResult> {
  if (actor.kind !== "staff") throw notFound();
  if (!can(actor, "workspace:admin")) throw forbidden();
  const db = getDb();
  const email = input.email.trim().toLowerCase();
  return db.transaction(
    (tx): InviteResult => {
      const existing = tx.select().from(users).where(eq(users.email, email)).get();
      if (existing && existing.kind !== "staff") return { ok: false, error: "users.emailTaken" };
      if (existing) {
        const member = tx
          .select({ id: memberships.id })
          .from(memberships)
          .where(and(eq(memberships.userId, existing.id), eq(memberships.workspaceId, actor.workspaceId)))
          .get();
        if (member) return { ok: false, error: "users.alreadyMember" };
      }
      const userId = existing?.id ?? newId();
      if (!existing) tx.insert(users).values({ id: userId, email, name: email, kind: "staff", createdAt: now }).run();
      tx.insert(memberships).values({ id: newId(), userId, workspaceId: actor.workspaceId, role: input.role, createdAt: now }).run();
      const ws = tx.select().from(workspaces).where(eq(workspaces.id, actor.workspaceId)).get()!;
      const locale = mailLocale(tx, actor.workspaceId);
      const t = translator(locale);
      const base = getConfig().appUrl;
      const link = existing?.passwordHash ? `${base}/login` : `${base}/invite/${issueToken(tx, { purpose: "invite", userId, workspaceId: actor.workspaceId, createdBy: actor.userId, now, validMs: INVITE_VALID_MS })}`;
      enqueueMail(
        tx,
        {
          workspaceId: actor.workspaceId,
          kind: "staff_invitation",
          to: [email],
          subject: t("mail.invite.subject", { workspace: ws.tradeName }),
          text: t("mail.invite.body", { inviter: actor.name, workspace: ws.tradeName, role: t(`role.${input.role}`), link, days: 7 }),
        },
        now,
      );
      appendAudit(tx, actor, now, { action: "staff.invited", entityType: "user", entityId: userId, data: { email, role: input.role } });
      return { ok: true, email };
    },
    { behavior: "immediate" },
  );
}

/** Staff who may do privacy work invite a contact of one of their own customers to the portal. */
export async function invitePortalUser(actor: Actor, input: { customerId: string; email: string }, now: string): Promise<InviteResult> {
  if (actor.kind !== "staff") throw notFound();
  if (!can(actor, "workspace:write")) throw forbidden();
  const db = getDb();
  const email = input.email.trim().toLowerCase();
  return db.transaction(
    (tx): InviteResult => {
      const customer = tx
        .select()
        .from(customers)
        .where(and(eq(customers.id, input.customerId), eq(customers.workspaceId, actor.workspaceId)))
        .get();
      if (!customer) throw notFound();
      const existing = tx.select().from(users).where(eq(users.email, email)).get();
      if (existing) return { ok: false, error: existing.portalCustomerId === customer.id ? "users.alreadyMember" : "users.emailTaken" };
      const userId = newId();
      tx.insert(users)
        .values({ id: userId, email, name: email, kind: "portal", portalCustomerId: customer.id, portalWorkspaceId: actor.workspaceId, locale: customer.language, createdAt: now })
        .run();
      const ws = tx.select().from(workspaces).where(eq(workspaces.id, actor.workspaceId)).get()!;
      const t = translator(customer.language);
      const token = issueToken(tx, { purpose: "invite", userId, workspaceId: actor.workspaceId, createdBy: actor.userId, now, validMs: INVITE_VALID_MS });
      enqueueMail(
        tx,
        {
          workspaceId: actor.workspaceId,
          customerId: customer.id,
          kind: "portal_invitation",
          to: [email],
          subject: t("mail.portalInvite.subject", { workspace: ws.tradeName }),
          text: t("mail.portalInvite.body", { workspace: ws.tradeName, customer: customer.name, link: `${getConfig().appUrl}/invite/${token}`, days: 7 }),
        },
        now,
      );
      appendAudit(tx, actor, now, { action: "portal_user.invited", entityType: "user", entityId: userId, customerId: customer.id, data: { email } });
      return { ok: true, email };
    },
    { behavior: "immediate" },
  );
}

/**
 * Sends a reset link when the address belongs to an active account. The answer to the visitor is
 * the same either way, so the form does not reveal which addresses have accounts.
 */
export async function requestPasswordReset(emailInput: string, now: string): Promise<void> {
  const db = getDb();
  const email = emailInput.trim().toLowerCase();
  db.transaction(
    (tx) => {
      const user = tx.select().from(users).where(and(eq(users.email, email), isNull(users.disabledAt))).get();
      if (!user || !user.passwordHash) return;
      const recent = tx
        .select({ n: sql<number>`count(*)` })
        .from(accountTokens)
        .where(and(eq(accountTokens.userId, user.id), eq(accountTokens.purpose, "reset"), gt(accountTokens.createdAt, new Date(Date.parse(now) - 3600_000).toISOString())))
        .get();
      // at most three reset mails an hour per account, so the form cannot be used to flood a mailbox
      if ((recent?.n ?? 0) >= 3) return;
      const workspaceId = user.portalWorkspaceId ?? firstMembership(tx, user.id);
      const locale: Locale = user.locale ?? "nl";
      const t = translator(locale);
      const token = issueToken(tx, { purpose: "reset", userId: user.id, workspaceId, createdBy: null, now, validMs: RESET_VALID_MS });
      enqueueMail(
        tx,
        {
          workspaceId,
          customerId: user.portalCustomerId,
          kind: "password_reset",
          to: [email],
          subject: t("mail.reset.subject"),
          text: t("mail.reset.body", { link: `${getConfig().appUrl}/reset-password/${token}` }),
        },
        now,
      );
      appendAudit(tx, { kind: "system", label: "auth", workspaceId }, now, { action: "user.password_reset_requested", entityType: "user", entityId: user.id, customerId: user.portalCustomerId });
    },
    { behavior: "immediate" },
  );
}

function firstMembership(tx: Tx, userId: string): string | null {
  return (
    tx.select({ w: memberships.workspaceId }).from(memberships).where(eq(memberships.userId, userId)).orderBy(asc(memberships.createdAt)).limit(1).get()?.w ??
    null
  );
}

export type TokenInfo = { userId: string; email: string; purpose: "invite" | "reset"; workspaceName: string | null; role: StaffRole | "portal" | null };

/** What a link is for, if it is still valid (unused, unexpired); null otherwise. */
export async function inspectAccountToken(token: string, purpose: "invite" | "reset", now: string): Promise<TokenInfo | null> {
  const db = getDb();
  const row = db
    .select({ token: accountTokens, user: users })
    .from(accountTokens)
    .innerJoin(users, eq(users.id, accountTokens.userId))
    .where(and(eq(accountTokens.tokenHash, hashToken(token)), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, now)))
    .get();
  if (!row || row.user.disabledAt) return null;
  let workspaceName: string | null = null;
  let role: TokenInfo["role"] = row.user.kind === "portal" ? "portal" : null;
  if (row.token.workspaceId) {
    workspaceName = db.select({ n: workspaces.tradeName }).from(workspaces).where(eq(workspaces.id, row.token.workspaceId)).get()?.n ?? null;
    if (row.user.kind === "staff") {
      role =
        db
          .select({ r: memberships.role })
          .from(memberships)
          .where(and(eq(memberships.userId, row.user.id), eq(memberships.workspaceId, row.token.workspaceId)))
          .get()?.r ?? null;
    }
  }
  return { userId: row.user.id, email: row.user.email, purpose, workspaceName, role };
}

/**
 * Uses a link once: sets the password (and name for an invitation), marks the token used, and
 * revokes every existing session of the account. Returns false when the link is no longer valid.
 */
export async function redeemAccountToken(token: string, purpose: "invite" | "reset", input: { password: string; name?: string }, now: string): Promise<boolean> {
  const info = await inspectAccountToken(token, purpose, now);
  if (!info) return false;
  const passwordHash = await hashPassword(input.password);
  const db = getDb();
  return db.transaction(
    (tx) => {
      const used = tx
        .update(accountTokens)
        .set({ usedAt: now })
        .where(and(eq(accountTokens.tokenHash, hashToken(token)), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, now)))
        .run();
      if (used.changes !== 1) return false;
      tx.update(users)
        .set({ passwordHash, ...(input.name ? { name: input.name } : {}) })
        .where(eq(users.id, info.userId))
        .run();
      // other unused links of the same purpose die with this one
      tx.update(accountTokens)
        .set({ usedAt: now })
        .where(and(eq(accountTokens.userId, info.userId), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt)))
        .run();
      revokeAllSessions(tx, info.userId, now);
      const user = tx.select().from(users).where(eq(users.id, info.userId)).get()!;
      appendAudit(tx, { kind: "system", label: "auth", workspaceId: user.portalWorkspaceId ?? firstMembership(tx, user.id) }, now, {
        action: purpose === "invite" ? "user.invitation_accepted" : "user.password_reset",
        entityType: "user",
        entityId: info.userId,
        customerId: user.portalCustomerId,
      });
      return true;
    },
    { behavior: "immediate" },
  );
}

/** The workspace's staff with their role and state, for the admin's user page. */
export async function listStaff(actor: Actor) {
  if (actor.kind !== "staff") throw notFound();
  if (!can(actor, "workspace:admin")) throw forbidden();
  return getDb()
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: memberships.role,
      lastLoginAt: users.lastLoginAt,
      disabledAt: users.disabledAt,
      invited: sql<number>`${users.passwordHash} is null`,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, actor.workspaceId))
    .orderBy(asc(users.email))
    .all()
    .map((u) => ({ ...u, invited: Boolean(u.invited) }));
}
