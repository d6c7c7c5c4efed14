/**
 * Time-limited auditor links (issue #7). An admin issues a link for an outside auditor: a label,
 * an expiry date (today up to 90 days ahead), optionally a subset of registers and a date range.
 * The link's token is shown once; only its SHA-256 is stored. Opening /audit/<token> puts the raw
 * token in an httpOnly cookie, and every register request re-validates it here (revoked or expired
 * links stop working at once). Every use is written to the audit log and counted on the link.
 */
import { createCookie } from "@remix-run/node";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { auditorLinks, users, workspaces } from "../../db/schema";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { can, type Actor } from "~/domain/permissions";
import { amsterdamDateOf, endOfAmsterdamDay, toIsoInstant } from "~/domain/time";
import { appendAudit } from "./audit.server";
import { forbidden, notFound } from "./http.server";
import { hashToken, newId, newToken } from "./ids.server";
import { keysetAfter } from "./keyset";
import { REGISTER_KEYS } from "./registers/types";

export type AuditorLinkActor = Extract<Actor, { kind: "auditor_link" }>;
export type AuditorLinkRow = typeof auditorLinks.$inferSelect;
export type AuditorLinkStatus = "active" | "expired" | "revoked";

/** The longest a link may live: an audit, not a standing account. */
export const MAX_LINK_DAYS = 90;
export const AUDITOR_LINKS_PAGE_SIZE = 25;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

// ----- the cookie --------------------------------------------------------------------------------

/**
 * `__dpadesk_auditor`: the raw link token (signed with the session secret), httpOnly, SameSite=Lax,
 * Secure when the app is served over https, for the whole site (the landing page is /audit/…, the
 * downloads /registers/…). It never outlives the link; the token is checked again on every request.
 */
export function auditorLinkCookie(maxAgeSeconds?: number) {
  const config = getConfig();
  return createCookie("__dpadesk_auditor", {
    httpOnly: true,
    sameSite: "lax",
    secure: config.appUrl.startsWith("https:"),
    path: "/",
    secrets: [config.sessionSecret],
    ...(maxAgeSeconds !== undefined ? { maxAge: Math.max(0, Math.floor(maxAgeSeconds)) } : {}),
  });
}

export const AUDITOR_COOKIE_NAME = "__dpadesk_auditor";

/** The Set-Cookie header that hands the link's token to the browser until the link expires. */
export async function auditorCookieHeader(token: string, expiresAt: string, now: string): Promise<string> {
  const seconds = (Date.parse(expiresAt) - Date.parse(now)) / 1000;
  return auditorLinkCookie(seconds).serialize(token);
}

/** The raw token from the request's auditor cookie, or null. */
export async function auditorTokenFromRequest(request: Request): Promise<string | null> {
  const header = request.headers.get("Cookie");
  if (!header || !header.includes(AUDITOR_COOKIE_NAME)) return null;
  const value = await auditorLinkCookie().parse(header);
  return typeof value === "string" && value.length > 0 ? value : null;
}

// ----- status and views ---------------------------------------------------------------------------

export function linkStatus(link: Pick<AuditorLinkRow, "revokedAt" | "expiresAt">, now: string): AuditorLinkStatus {
  if (link.revokedAt) return "revoked";
  if (link.expiresAt <= now) return "expired";
  return "active";
}

function parseRegisters(value: string | null): string[] | null {
  if (value === null) return null;
  try {
    const parsed = JSON.parse(value) as unknown;
    return Array.isArray(parsed) ? parsed.filter((r): r is string => typeof r === "string") : null;
  } catch {
    return [];
  }
}

export function actorOfLink(link: AuditorLinkRow): AuditorLinkActor {
  return {
    kind: "auditor_link",
    linkId: link.id,
    label: link.label,
    workspaceId: link.workspaceId,
    registers: parseRegisters(link.registers),
    from: link.fromDate,
    to: link.toDate,
  };
}

export type AuditorLinkView = {
  id: string;
  label: string;
  registers: string[] | null;
  fromDate: string | null;
  toDate: string | null;
  expiresAt: string;
  createdAt: string;
  createdByName: string | null;
  revokedAt: string | null;
  revokedByName: string | null;
  lastUsedAt: string | null;
  useCount: number;
  status: AuditorLinkStatus;
};

// ----- creating ----------------------------------------------------------------------------------

export type AuditorLinkInput = {
  label: string;
  /** the last day the link works ("YYYY-MM-DD", Europe/Amsterdam) */
  expiresOn: string;
  /** register keys; empty = every register */
  registers: string[];
  fromDate: string | null;
  toDate: string | null;
};

export type AuditorLinkField = "label" | "expiresOn" | "registers" | "fromDate" | "toDate";

export type CreateAuditorLinkResult =
  | { ok: true; id: string; token: string; url: string; expiresAt: string }
  | { ok: false; errors: Partial<Record<AuditorLinkField, string>> };

function validDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  try {
    Temporal.PlainDate.from(value, { overflow: "reject" });
    return true;
  } catch {
    return false;
  }
}

/** Today in Amsterdam and the last expiry date allowed from there. */
export function expiryWindow(now: string): { today: string; latest: string } {
  const today = amsterdamDateOf(Temporal.Instant.from(now));
  return { today: today.toString(), latest: today.add({ days: MAX_LINK_DAYS }).toString() };
}

/**
 * The rules of a link, checked here whatever the form did (message keys per field): a label, an
 * expiry date from today to 90 days ahead, known registers, and a date range with from ≤ to.
 */
export function validateAuditorLinkInput(input: AuditorLinkInput, now: string, knownRegisters: readonly string[]): Partial<Record<AuditorLinkField, string>> {
  const errors: Partial<Record<AuditorLinkField, string>> = {};
  const label = input.label.trim();
  if (!label) errors.label = "auditpack.links.labelRequired";
  else if (label.length > 200) errors.label = "auditpack.links.labelTooLong";
  const { today, latest } = expiryWindow(now);
  if (!input.expiresOn) errors.expiresOn = "auditpack.links.expiryRequired";
  else if (!validDate(input.expiresOn)) errors.expiresOn = "auditpack.links.dateInvalid";
  else if (input.expiresOn < today) errors.expiresOn = "auditpack.links.expiryPast";
  else if (input.expiresOn > latest) errors.expiresOn = "auditpack.links.expiryTooFar";
  if (input.registers.some((r) => !knownRegisters.includes(r))) errors.registers = "auditpack.links.registerUnknown";
  if (input.fromDate && !validDate(input.fromDate)) errors.fromDate = "auditpack.links.dateInvalid";
  if (input.toDate && !validDate(input.toDate)) errors.toDate = "auditpack.links.dateInvalid";
  if (input.fromDate && input.toDate && !errors.fromDate && !errors.toDate && input.fromDate > input.toDate) errors.toDate = "auditpack.links.rangeOrder";
  return errors;
}

function requireAdmin(actor: Actor): asserts actor is Extract<Actor, { kind: "staff" }> {
  if (actor.kind !== "staff") throw notFound();
  if (!can(actor, "workspace:admin")) throw forbidden();
}

/** Admin only. Returns the link's URL with its token: shown once, never stored. */
export async function createAuditorLink(actor: Actor, input: AuditorLinkInput, now: string): Promise<CreateAuditorLinkResult> {
  requireAdmin(actor);
  const errors = validateAuditorLinkInput(input, now, REGISTER_KEYS);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const token = newToken();
  const id = newId();
  const expiresAt = toIsoInstant(endOfAmsterdamDay(Temporal.PlainDate.from(input.expiresOn)));
  const registers = input.registers.length > 0 ? [...new Set(input.registers)].sort() : null;
  const label = input.label.trim();
  const db = getDb();
  db.transaction(
    (tx) => {
      tx.insert(auditorLinks)
        .values({
          id,
          workspaceId: actor.workspaceId,
          label,
          tokenHash: hashToken(token),
          registers: registers ? JSON.stringify(registers) : null,
          fromDate: input.fromDate || null,
          toDate: input.toDate || null,
          expiresAt,
          createdByUserId: actor.userId,
          createdAt: now,
        })
        .run();
      appendAudit(tx, actor, now, {
        action: "auditor_link.created",
        entityType: "auditor_link",
        entityId: id,
        data: { label, expiresAt, registers, from: input.fromDate || null, to: input.toDate || null },
      });
    },
    { behavior: "immediate" },
  );
  return { ok: true, id, token, url: `${getConfig().appUrl}/audit/${token}`, expiresAt };
}

// ----- listing and revoking ------------------------------------------------------------------------

type Cursor = { createdAt: string; id: string };

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.id])).toString("base64url");
}

function decodeCursor(raw: string | null | undefined): Cursor | null {
  if (!raw) return null;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as unknown[];
    return typeof createdAt === "string" && typeof id === "string" ? { createdAt, id } : null;
  } catch {
    return null;
  }
}

function toView(row: AuditorLinkRow, names: Map<string, string>, now: string): AuditorLinkView {
  return {
    id: row.id,
    label: row.label,
    registers: parseRegisters(row.registers),
    fromDate: row.fromDate,
    toDate: row.toDate,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    createdByName: row.createdByUserId ? (names.get(row.createdByUserId) ?? null) : null,
    revokedAt: row.revokedAt,
    revokedByName: row.revokedByUserId ? (names.get(row.revokedByUserId) ?? null) : null,
    lastUsedAt: row.lastUsedAt,
    useCount: row.useCount,
    status: linkStatus(row, now),
  };
}

function userNames(ids: (string | null)[]): Map<string, string> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (wanted.length === 0) return new Map();
  const rows = getDb()
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(inArray(users.id, wanted))
    .all();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Admin only: the workspace's links, newest first, a page at a time. */
export async function listAuditorLinks(
  actor: Actor,
  query: { after?: string | null },
  now: string,
): Promise<{ links: AuditorLinkView[]; next: string | null }> {
  requireAdmin(actor);
  const cursor = decodeCursor(query.after);
  const rows = getDb()
    .select()
    .from(auditorLinks)
    .where(
      and(
        eq(auditorLinks.workspaceId, actor.workspaceId),
        cursor ? keysetAfter(auditorLinks.createdAt, auditorLinks.id, { value: cursor.createdAt, id: cursor.id }, "desc") : undefined,
      ),
    )
    .orderBy(desc(auditorLinks.createdAt), desc(auditorLinks.id))
    .limit(AUDITOR_LINKS_PAGE_SIZE + 1)
    .all();
  const page = rows.slice(0, AUDITOR_LINKS_PAGE_SIZE);
  const names = userNames(page.flatMap((r) => [r.createdByUserId, r.revokedByUserId]));
  const last = page[page.length - 1];
  return {
    links: page.map((r) => toView(r, names, now)),
    next: rows.length > AUDITOR_LINKS_PAGE_SIZE && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
  };
}

/** Admin only: one link of the workspace (for the revoke confirmation), or 404. */
export async function getAuditorLink(actor: Actor, id: string, now: string): Promise<AuditorLinkView> {
  requireAdmin(actor);
  const row = getDb()
    .select()
    .from(auditorLinks)
    .where(and(eq(auditorLinks.id, id), eq(auditorLinks.workspaceId, actor.workspaceId)))
    .get();
  if (!row) throw notFound();
  return toView(row, userNames([row.createdByUserId, row.revokedByUserId]), now);
}

export type RevokeResult = { ok: true; label: string } | { ok: false; error: "auditpack.links.alreadyRevoked" };

/** Admin only: ends the link at once (the next request with its cookie is refused). */
export async function revokeAuditorLink(actor: Actor, id: string, now: string): Promise<RevokeResult> {
  requireAdmin(actor);
  return getDb().transaction(
    (tx): RevokeResult => {
      const row = tx
        .select()
        .from(auditorLinks)
        .where(and(eq(auditorLinks.id, id), eq(auditorLinks.workspaceId, actor.workspaceId)))
        .get();
      if (!row) throw notFound();
      if (row.revokedAt) return { ok: false, error: "auditpack.links.alreadyRevoked" };
      tx.update(auditorLinks).set({ revokedAt: now, revokedByUserId: actor.userId }).where(eq(auditorLinks.id, id)).run();
      appendAudit(tx, actor, now, {
        action: "auditor_link.revoked",
        entityType: "auditor_link",
        entityId: id,
        data: { label: row.label, wasExpired: row.expiresAt <= now },
      });
      return { ok: true, label: row.label };
    },
    { behavior: "immediate" },
  );
}

// ----- using a link --------------------------------------------------------------------------------

export type ResolvedAuditorLink =
  | { ok: true; actor: AuditorLinkActor; link: AuditorLinkRow; workspace: typeof workspaces.$inferSelect }
  | { ok: false; reason: "unknown" | "expired" | "revoked"; expiresAt?: string; revokedAt?: string };

/** Looks a raw token up by its hash: valid, or why not. */
export async function resolveAuditorLink(token: string, now: string): Promise<ResolvedAuditorLink> {
  if (!token || token.length > 200) return { ok: false, reason: "unknown" };
  const db = getDb();
  const row = db
    .select({ link: auditorLinks, workspace: workspaces })
    .from(auditorLinks)
    .innerJoin(workspaces, eq(workspaces.id, auditorLinks.workspaceId))
    .where(eq(auditorLinks.tokenHash, hashToken(token)))
    .get();
  if (!row) return { ok: false, reason: "unknown" };
  const status = linkStatus(row.link, now);
  if (status === "revoked") return { ok: false, reason: "revoked", revokedAt: row.link.revokedAt ?? undefined };
  if (status === "expired") return { ok: false, reason: "expired", expiresAt: row.link.expiresAt };
  return { ok: true, actor: actorOfLink(row.link), link: row.link, workspace: row.workspace };
}

export type AuditorLinkUse = {
  method: string;
  /** the path asked for (a link's own token is never logged) */
  path: string;
  register: string | null;
  format: string | null;
};

/** What a request asked for: /registers/<register>.<format>, /registers/<register>, or another page. */
export function describeUse(request: Request): AuditorLinkUse {
  const url = new URL(request.url);
  const search = new URLSearchParams(url.search);
  search.delete("_data");
  const query = search.toString();
  const pathname = url.pathname.startsWith("/audit/") ? "/audit/[token]" : url.pathname;
  const path = `${pathname}${query ? `?${query}` : ""}`.slice(0, 500);
  const file = /^\/registers\/([a-z0-9-]+)\.([a-z0-9]+)$/.exec(url.pathname);
  const page = /^\/registers\/([a-z0-9-]+)\/?$/.exec(url.pathname);
  return {
    method: request.method.toUpperCase(),
    path,
    register: file?.[1] ?? page?.[1] ?? null,
    format: file?.[2] ?? null,
  };
}

/** Writes "auditor_link.used" and counts the use on the link, in one transaction. */
export function recordAuditorLinkUse(actor: AuditorLinkActor, use: AuditorLinkUse, now: string): void {
  getDb().transaction(
    (tx) => {
      tx.update(auditorLinks)
        .set({ lastUsedAt: now, useCount: sql`${auditorLinks.useCount} + 1` })
        .where(and(eq(auditorLinks.id, actor.linkId), eq(auditorLinks.workspaceId, actor.workspaceId)))
        .run();
      appendAudit(tx, actor, now, {
        action: "auditor_link.used",
        entityType: "auditor_link",
        entityId: actor.linkId,
        data: use,
      });
    },
    { behavior: "immediate" },
  );
}

export type OpenedAuditorLink =
  | {
      ok: true;
      actor: AuditorLinkActor;
      workspace: { name: string; legalName: string };
      expiresAt: string;
      /** Set-Cookie: the token for the register downloads, until the link expires */
      setCookie: string;
    }
  | { ok: false; reason: "unknown" | "expired" | "revoked"; at: string | null; setCookie: string };

/**
 * The link's landing page (/audit/<token>): checks the token, logs the visit as a use, and gives
 * the cookie that carries the token to the register downloads (or clears it for a dead link).
 */
export async function openAuditorLink(request: Request, token: string, now: string): Promise<OpenedAuditorLink> {
  const resolved = await resolveAuditorLink(token, now);
  if (!resolved.ok) {
    return {
      ok: false,
      reason: resolved.reason,
      at: resolved.revokedAt ?? resolved.expiresAt ?? null,
      setCookie: await auditorLinkCookie(0).serialize(""),
    };
  }
  recordAuditorLinkUse(resolved.actor, describeUse(request), now);
  return {
    ok: true,
    actor: resolved.actor,
    workspace: { name: resolved.workspace.tradeName, legalName: resolved.workspace.legalName },
    expiresAt: resolved.link.expiresAt,
    setCookie: await auditorCookieHeader(token, resolved.link.expiresAt, now),
  };
}
