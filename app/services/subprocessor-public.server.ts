/**
 * The public sub-processor page of a workspace (opt-in): the sub-processors in use, a dated change
 * log, its Atom feed, and email subscriptions with double opt-in and one-click unsubscribe. No
 * account needed, so nothing here has an actor: everything is scoped by the workspace slug, and a
 * workspace that has not switched the page on answers 404. Only public fields are read: never a
 * customer, never an internal note.
 *
 * Subscription requests are throttled per IP address and per email address in the database (so the
 * limit holds across instances), and the answer is the same whether or not the address was known.
 */
import { and, asc, desc, eq, inArray, ne } from "drizzle-orm";
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Tx } from "../../db/client";
import { services, subprocessorChanges, subprocessorServices, subprocessors, subprocessorSubscriptions, workspaces } from "../../db/schema";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import type { Actor } from "~/domain/permissions";
import { renderAtomFeed } from "~/domain/subprocessor-feed";
import type { ChangeKind, ChangeStatus } from "~/domain/subprocessor-notice";
import type { Locale } from "~/i18n/i18n";
import { translator } from "~/i18n/i18n";
import { enqueueMail } from "~/mail/outbox.server";
import { eventsSince, recordEvents } from "./rate-limit.server";
import { appendAudit } from "./audit.server";
import { notFound } from "./http.server";
import { hashToken, newId, newToken } from "./ids.server";
import { publicEntry, subscriptionConfirmMail, type TextChange, type TextEntry } from "./subprocessor-texts.server";
import { amsterdamToday, applyDueChanges, inUseToday, parseList, subprocessorView, type SubprocessorRow, type SubprocessorView } from "./subprocessors.server";

export const CONFIRM_VALID_DAYS = 7;
export const SUBSCRIBE_LIMIT_PER_IP_PER_HOUR = 10;
export const SUBSCRIBE_LIMIT_PER_EMAIL_PER_HOUR = 3;
const LOG_LIMIT = 100;

type WorkspaceRow = typeof workspaces.$inferSelect;

function publicWorkspace(slug: string): WorkspaceRow {
  const ws = getDb().select().from(workspaces).where(eq(workspaces.slug, slug)).get();
  if (!ws || !ws.publicSubprocessorPage) throw notFound();
  return ws;
}

function publicActor(workspaceId: string): Actor {
  return { kind: "system", label: "public-subprocessor-page", workspaceId };
}

export function pageUrl(slug: string): string {
  return `${getConfig().appUrl}/trust/${encodeURIComponent(slug)}/subprocessors`;
}

// ---------------------------------------------------------------------------------------
// Unsubscribe tokens: derived, not stored, so every mail can carry one

function unsubscribeMac(subscriptionId: string): string {
  return createHmac("sha256", getConfig().sessionSecret).update(`subprocessor-unsubscribe:${subscriptionId}`).digest("base64url").slice(0, 32);
}

export function unsubscribeToken(subscriptionId: string): string {
  return `${subscriptionId}.${unsubscribeMac(subscriptionId)}`;
}

export function unsubscribeLink(slug: string, subscriptionId: string): string {
  return `${pageUrl(slug)}/unsubscribe/${unsubscribeToken(subscriptionId)}`;
}

function subscriptionIdFromToken(token: string): string | null {
  const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!match) return null;
  const expected = Buffer.from(unsubscribeMac(match[1]));
  const given = Buffer.from(match[2]);
  return expected.length === given.length && timingSafeEqual(expected, given) ? match[1] : null;
}

// ---------------------------------------------------------------------------------------
// Page and feed

export type PublicSubprocessor = Pick<SubprocessorView, "id" | "legalName" | "tradeName" | "service" | "purpose" | "locations" | "transferSafeguard" | "startDate"> & {
  serviceNames: { nl: string; en: string }[];
};

export type PublicLogEntry = {
  id: string;
  kind: ChangeKind;
  status: ChangeStatus;
  title: string;
  summary: string;
  description: string;
  subprocessor: string;
  replaces: string | null;
  plannedStart: string;
  sentAt: string;
  cancelledAt: string | null;
  appliedAt: string | null;
  updated: string;
};

export type PublicPage = {
  vendor: { tradeName: string; legalName: string; slug: string; website: string | null };
  current: PublicSubprocessor[];
  log: PublicLogEntry[];
};

function publicCurrent(workspaceId: string, today: string): PublicSubprocessor[] {
  const db = getDb();
  const rows = db
    .select()
    .from(subprocessors)
    .where(and(eq(subprocessors.workspaceId, workspaceId), inUseToday(today)))
    .orderBy(asc(subprocessors.nameKey), asc(subprocessors.id))
    .all();
  const names = new Map<string, { nl: string; en: string }[]>();
  if (rows.length > 0) {
    const serviceRows = db
      .select({ id: subprocessorServices.subprocessorId, nl: services.nameNl, en: services.nameEn })
      .from(subprocessorServices)
      .innerJoin(services, eq(services.id, subprocessorServices.serviceId))
      .where(
        inArray(
          subprocessorServices.subprocessorId,
          rows.map((r) => r.id),
        ),
      )
      .orderBy(asc(services.nameNl))
      .all();
    for (const r of serviceRows) names.set(r.id, [...(names.get(r.id) ?? []), { nl: r.nl, en: r.en }]);
  }
  return rows.map((row) => {
    const v = subprocessorView(row);
    return {
      id: v.id,
      legalName: v.legalName,
      tradeName: v.tradeName,
      service: v.service,
      purpose: v.purpose,
      locations: v.locations,
      transferSafeguard: v.transferSafeguard,
      startDate: v.startDate,
      serviceNames: names.get(row.id) ?? [],
    };
  });
}

function publicTextEntry(row: SubprocessorRow): TextEntry {
  const v = subprocessorView(row);
  return { legalName: v.legalName, tradeName: v.tradeName, service: v.service, purpose: v.purpose, locations: v.locations, dataCategories: v.dataCategories, transferSafeguard: v.transferSafeguard };
}

function publicLog(workspaceId: string, locale: Locale): PublicLogEntry[] {
  const db = getDb();
  const rows = db
    .select()
    .from(subprocessorChanges)
    .where(and(eq(subprocessorChanges.workspaceId, workspaceId), ne(subprocessorChanges.status, "draft")))
    .orderBy(desc(subprocessorChanges.sentAt), desc(subprocessorChanges.id))
    .limit(LOG_LIMIT)
    .all();
  const ids = [...new Set(rows.flatMap((r) => [r.subprocessorId, ...(r.replacesSubprocessorId ? [r.replacesSubprocessorId] : [])]))];
  const entries = new Map(
    (ids.length > 0 ? db.select().from(subprocessors).where(inArray(subprocessors.id, ids)).all() : []).map((row) => [row.id, row] as const),
  );
  return rows.flatMap((change) => {
    const subject = entries.get(change.subprocessorId);
    if (!subject || !change.sentAt) return [];
    const replaced = change.replacesSubprocessorId ? (entries.get(change.replacesSubprocessorId) ?? null) : null;
    const text: TextChange = {
      kind: change.kind,
      plannedStart: change.plannedStart,
      description: { nl: change.descriptionNl, en: change.descriptionEn },
      newLocations: change.newLocations ? parseList(change.newLocations) : null,
      newTransferSafeguard: change.newTransferSafeguard,
      newPurpose: change.newPurposeNl && change.newPurposeEn ? { nl: change.newPurposeNl, en: change.newPurposeEn } : null,
    };
    const { title, summary } = publicEntry(locale, text, publicTextEntry(subject), replaced ? publicTextEntry(replaced) : null);
    const moments = [change.sentAt, change.startAcceptedAt, change.cancelledAt, change.appliedAt].filter((m): m is string => Boolean(m));
    return [
      {
        id: change.id,
        kind: change.kind,
        status: change.status,
        title,
        summary,
        description: text.description[locale],
        subprocessor: subject.legalName,
        replaces: replaced?.legalName ?? null,
        plannedStart: change.plannedStart,
        sentAt: change.sentAt,
        cancelledAt: change.cancelledAt,
        appliedAt: change.appliedAt,
        updated: moments.reduce((a, b) => (b > a ? b : a)),
      },
    ];
  });
}

/** The public page: 404 unless the workspace switched it on. */
export async function getPublicSubprocessorPage(slug: string, now: string, locale: Locale): Promise<PublicPage> {
  const ws = publicWorkspace(slug);
  applyDueChanges(getDb(), ws.id, now);
  return {
    vendor: { tradeName: ws.tradeName, legalName: ws.legalName, slug: ws.slug, website: ws.website },
    current: publicCurrent(ws.id, amsterdamToday(now)),
    log: publicLog(ws.id, locale),
  };
}

/** The Atom 1.0 feed of the change log, in the workspace's default language unless `lang` says otherwise. */
export async function getPublicFeed(slug: string, now: string, lang: string | null): Promise<string> {
  const ws = publicWorkspace(slug);
  applyDueChanges(getDb(), ws.id, now);
  const locale: Locale = lang === "en" || lang === "nl" ? lang : ws.defaultLanguage;
  const t = translator(locale);
  const page = pageUrl(ws.slug);
  const log = publicLog(ws.id, locale);
  return renderAtomFeed({
    id: page,
    title: t("subprocessors.public.title", { vendor: ws.tradeName }),
    subtitle: t("subprocessors.public.feedSubtitle", { vendor: ws.legalName }),
    link: page,
    selfLink: `${page}.atom`,
    author: ws.legalName,
    language: locale,
    fallbackUpdated: ws.createdAt,
    entries: log.map((entry) => ({
      id: `urn:uuid:${entry.id}`,
      title: entry.status === "cancelled" ? `${entry.title} (${t("subprocessors.changeStatus.cancelled")})` : entry.title,
      updated: entry.updated,
      published: entry.sentAt,
      summary: entry.summary,
      link: `${page}#change-${entry.id}`,
    })),
  });
}

// ---------------------------------------------------------------------------------------
// Subscriptions

export type SubscribeResult = { ok: true } | { ok: false; reason: "throttled" };

/**
 * Asks for a subscription: a pending row (or a fresh token for a pending or unsubscribed one) and a
 * confirmation mail with a single-use link. Confirmed addresses get nothing new. The answer is the
 * same for every address; only the throttle says no (per IP and per address, per hour).
 */
export async function requestSubscription(slug: string, input: { email: string; ip: string | null; locale: Locale }, now: string): Promise<SubscribeResult> {
  const ws = publicWorkspace(slug);
  const email = input.email.trim().toLowerCase();
  const since = new Date(Date.parse(now) - 3_600_000).toISOString();
  const keys = [`subscribe:email:${ws.id}:${email}`, ...(input.ip ? [`subscribe:ip:${input.ip}`] : [])];
  return getDb().transaction(
    (tx): SubscribeResult => {
      const throttled =
        eventsSince(tx, keys[0], since) >= SUBSCRIBE_LIMIT_PER_EMAIL_PER_HOUR ||
        (input.ip !== null && eventsSince(tx, `subscribe:ip:${input.ip}`, since) >= SUBSCRIBE_LIMIT_PER_IP_PER_HOUR);
      recordEvents(tx, keys, now);
      if (throttled) return { ok: false, reason: "throttled" };
      const existing = tx
        .select()
        .from(subprocessorSubscriptions)
        .where(and(eq(subprocessorSubscriptions.workspaceId, ws.id), eq(subprocessorSubscriptions.email, email)))
        .get();
      if (existing?.status === "confirmed") return { ok: true };
      const token = newToken();
      const expires = new Date(Date.parse(now) + CONFIRM_VALID_DAYS * 86_400_000).toISOString();
      const id = existing?.id ?? newId();
      if (existing) {
        tx.update(subprocessorSubscriptions)
          .set({ status: "pending", language: input.locale, confirmTokenHash: hashToken(token), confirmExpiresAt: expires, updatedAt: now })
          .where(eq(subprocessorSubscriptions.id, id))
          .run();
      } else {
        tx.insert(subprocessorSubscriptions)
          .values({ id, workspaceId: ws.id, email, language: input.locale, status: "pending", confirmTokenHash: hashToken(token), confirmExpiresAt: expires, createdAt: now, updatedAt: now })
          .run();
      }
      const mail = subscriptionConfirmMail({
        locale: input.locale,
        vendor: ws.tradeName,
        confirmLink: `${pageUrl(ws.slug)}/confirm/${token}`,
        unsubscribeLink: unsubscribeLink(ws.slug, id),
        days: CONFIRM_VALID_DAYS,
      });
      enqueueMail(tx, { workspaceId: ws.id, customerId: null, kind: "subprocessor_subscription_confirm", to: [email], subject: mail.subject, text: mail.body }, now);
      appendAudit(tx, publicActor(ws.id), now, { action: "subprocessor_subscription.requested", entityType: "subprocessor_subscription", entityId: id });
      return { ok: true };
    },
    { behavior: "immediate" },
  );
}

function pendingByToken(tx: Tx | ReturnType<typeof getDb>, workspaceId: string, token: string, now: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const row = tx
    .select()
    .from(subprocessorSubscriptions)
    .where(and(eq(subprocessorSubscriptions.workspaceId, workspaceId), eq(subprocessorSubscriptions.confirmTokenHash, hashToken(token))))
    .get();
  if (!row || row.status !== "pending" || !row.confirmExpiresAt || row.confirmExpiresAt <= now) return undefined;
  return row;
}

export type TokenView = { vendor: string; email: string | null };

/** For the confirmation page: the address, or null when the link is invalid, expired or used. */
export async function viewConfirmation(slug: string, token: string, now: string): Promise<TokenView> {
  const ws = publicWorkspace(slug);
  return { vendor: ws.tradeName, email: pendingByToken(getDb(), ws.id, token, now)?.email ?? null };
}

/** Confirms a subscription; the link works once. */
export async function confirmSubscription(slug: string, token: string, now: string): Promise<{ ok: boolean }> {
  const ws = publicWorkspace(slug);
  return getDb().transaction(
    (tx) => {
      const row = pendingByToken(tx, ws.id, token, now);
      if (!row) return { ok: false };
      tx.update(subprocessorSubscriptions)
        .set({ status: "confirmed", confirmTokenHash: null, confirmExpiresAt: null, confirmedAt: now, updatedAt: now })
        .where(eq(subprocessorSubscriptions.id, row.id))
        .run();
      appendAudit(tx, publicActor(ws.id), now, { action: "subprocessor_subscription.confirmed", entityType: "subprocessor_subscription", entityId: row.id });
      return { ok: true };
    },
    { behavior: "immediate" },
  );
}

/** For the unsubscribe page: the address, or null for a link that is not ours. */
export async function viewUnsubscribe(slug: string, token: string): Promise<TokenView & { alreadyUnsubscribed: boolean }> {
  const ws = publicWorkspace(slug);
  const id = subscriptionIdFromToken(token);
  const row = id
    ? getDb()
        .select()
        .from(subprocessorSubscriptions)
        .where(and(eq(subprocessorSubscriptions.id, id), eq(subprocessorSubscriptions.workspaceId, ws.id)))
        .get()
    : undefined;
  return { vendor: ws.tradeName, email: row?.email ?? null, alreadyUnsubscribed: row?.status === "unsubscribed" };
}

/** Unsubscribes (one click, also as an RFC 8058 POST); repeating it is harmless. */
export async function unsubscribe(slug: string, token: string, now: string): Promise<{ ok: boolean }> {
  const ws = publicWorkspace(slug);
  const id = subscriptionIdFromToken(token);
  if (!id) return { ok: false };
  return getDb().transaction(
    (tx) => {
      const row = tx
        .select()
        .from(subprocessorSubscriptions)
        .where(and(eq(subprocessorSubscriptions.id, id), eq(subprocessorSubscriptions.workspaceId, ws.id)))
        .get();
      if (!row) return { ok: false };
      if (row.status === "unsubscribed") return { ok: true };
      tx.update(subprocessorSubscriptions)
        .set({ status: "unsubscribed", confirmTokenHash: null, confirmExpiresAt: null, unsubscribedAt: now, updatedAt: now })
        .where(eq(subprocessorSubscriptions.id, id))
        .run();
      appendAudit(tx, publicActor(ws.id), now, { action: "subprocessor_subscription.unsubscribed", entityType: "subprocessor_subscription", entityId: id });
      return { ok: true };
    },
    { behavior: "immediate" },
  );
}
