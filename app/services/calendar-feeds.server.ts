/**
 * Personal iCalendar feeds: a secret, revocable URL per person (staff: per workspace; portal: their
 * customer). Only the SHA-256 of the secret is stored; the URL is shown once, right after it was
 * made. Making a new one revokes the old one. The feed holds exactly the deadlines the calendar
 * page lists (`myDeadlines` / `collectDeadlines` with the same scope and limits).
 */
import { and, desc, eq, isNull } from "drizzle-orm";
import { calendarFeeds, customers, memberships, users, workspaces } from "../../db/schema";
import { writeCalendar, type IcalEvent } from "~/domain/ical";
import { can, type Actor } from "~/domain/permissions";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { isLocale, translator, type Locale } from "~/i18n/i18n";
import { appendAudit } from "./audit.server";
import { parseFeedAction, type FeedActionData } from "./calendar-feed-form";
import { displayInstant } from "./display.server";
import {
  DEFAULT_HORIZON_DAYS,
  MAX_DEADLINES,
  collectDeadlines,
  responsibilityScope,
  roleHasDeadlines,
  type CollectedDeadline,
  type DeadlineScope,
} from "./deadlines.server";
import { forbidden, notFound } from "./http.server";
import { hashToken, newId, newToken } from "./ids.server";

/** A feed fetch records `last_used_at` at most this often (calendar apps poll; one write per poll would be noise). */
export const LAST_USED_GRANULARITY_MS = 15 * 60 * 1000;
/** What the feed suggests as refresh interval to calendar apps, in minutes. */
export const FEED_REFRESH_MINUTES = 60;

type FeedActor = Extract<Actor, { kind: "staff" } | { kind: "portal" }>;

function requireFeedActor(actor: Actor): FeedActor {
  if (actor.kind === "portal") return actor;
  if (actor.kind !== "staff") throw notFound();
  if (!can(actor, "workspace:read")) throw forbidden();
  return actor;
}

export type FeedStatus = {
  /** false for auditors: they are responsible for no deadline and get no feed */
  allowed: boolean;
  feed: { id: string; createdAt: string; lastUsedAt: string | null } | null;
};

function activeFeed(userId: string, workspaceId: string) {
  return getDb()
    .select({ id: calendarFeeds.id, createdAt: calendarFeeds.createdAt, lastUsedAt: calendarFeeds.lastUsedAt })
    .from(calendarFeeds)
    .where(and(eq(calendarFeeds.userId, userId), eq(calendarFeeds.workspaceId, workspaceId), isNull(calendarFeeds.revokedAt)))
    .orderBy(desc(calendarFeeds.createdAt))
    .get();
}

/** The signed-in person's feed in the active workspace, if any. */
export async function calendarFeedStatus(actor: Actor): Promise<FeedStatus> {
  const a = requireFeedActor(actor);
  return { allowed: roleHasDeadlines(a), feed: activeFeed(a.userId, a.workspaceId) ?? null };
}

export function feedUrl(token: string): string {
  return `${getConfig().appUrl}/calendar/${token}.ics`;
}

/**
 * Makes a new feed URL for the signed-in person and revokes the one they had (if any), in one
 * transaction, audited. Returns the secret URL: this is the only time it exists outside the caller.
 */
export async function createCalendarFeed(actor: Actor, now: string): Promise<{ url: string; replaced: boolean }> {
  const a = requireFeedActor(actor);
  if (!roleHasDeadlines(a)) throw forbidden();
  const token = newToken();
  const id = newId();
  const replaced = getDb().transaction(
    (tx) => {
      const revoked = tx
        .update(calendarFeeds)
        .set({ revokedAt: now })
        .where(and(eq(calendarFeeds.userId, a.userId), eq(calendarFeeds.workspaceId, a.workspaceId), isNull(calendarFeeds.revokedAt)))
        .run().changes;
      tx.insert(calendarFeeds).values({ id, userId: a.userId, workspaceId: a.workspaceId, tokenHash: hashToken(token), createdAt: now }).run();
      appendAudit(tx, a, now, {
        action: "calendar_feed.created",
        entityType: "calendar_feed",
        entityId: id,
        customerId: a.kind === "portal" ? a.customerId : null,
        data: { replacedFeeds: revoked },
      });
      return revoked > 0;
    },
    { behavior: "immediate" },
  );
  return { url: feedUrl(token), replaced };
}

/** Revokes the signed-in person's feed: its URL answers 404 from now on. */
export async function revokeCalendarFeed(actor: Actor, now: string): Promise<{ ok: true } | { ok: false; error: "notifications.calendar.error.noFeed" }> {
  const a = requireFeedActor(actor);
  return getDb().transaction(
    (tx) => {
      const feeds = tx
        .select({ id: calendarFeeds.id })
        .from(calendarFeeds)
        .where(and(eq(calendarFeeds.userId, a.userId), eq(calendarFeeds.workspaceId, a.workspaceId), isNull(calendarFeeds.revokedAt)))
        .all();
      if (feeds.length === 0) return { ok: false as const, error: "notifications.calendar.error.noFeed" as const };
      for (const feed of feeds) {
        tx.update(calendarFeeds).set({ revokedAt: now }).where(eq(calendarFeeds.id, feed.id)).run();
        appendAudit(tx, a, now, {
          action: "calendar_feed.revoked",
          entityType: "calendar_feed",
          entityId: feed.id,
          customerId: a.kind === "portal" ? a.customerId : null,
        });
      }
      return { ok: true as const };
    },
    { behavior: "immediate" },
  );
}

// ---------------------------------------------------------------------------------------
// The feed itself

export type FeedOwner = {
  scope: DeadlineScope;
  locale: Locale;
  name: string;
  workspaceName: string;
  customerName: string | null;
};

/** Who a token belongs to and what they may see now; null for an unknown or revoked token, a disabled user, or lost access. */
export function feedOwnerByToken(token: string): { feedId: string; lastUsedAt: string | null; owner: FeedOwner } | null {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const db = getDb();
  const feed = db
    .select()
    .from(calendarFeeds)
    .where(and(eq(calendarFeeds.tokenHash, hashToken(token)), isNull(calendarFeeds.revokedAt)))
    .get();
  if (!feed) return null;
  const user = db.select().from(users).where(eq(users.id, feed.userId)).get();
  const workspace = db.select().from(workspaces).where(eq(workspaces.id, feed.workspaceId)).get();
  if (!user || user.disabledAt || !workspace) return null;
  const locale: Locale = user.locale && isLocale(user.locale) ? user.locale : workspace.defaultLanguage;
  if (user.kind === "staff") {
    const membership = db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.userId, user.id), eq(memberships.workspaceId, workspace.id)))
      .get();
    if (!membership) return null;
    return {
      feedId: feed.id,
      lastUsedAt: feed.lastUsedAt,
      owner: {
        scope: { kind: "staff", workspaceId: workspace.id, userId: user.id, officer: membership.role === "admin" || membership.role === "privacy_officer" },
        locale,
        name: user.name,
        workspaceName: workspace.tradeName,
        customerName: null,
      },
    };
  }
  if (!user.portalCustomerId || user.portalWorkspaceId !== workspace.id) return null;
  const customer = db
    .select({ id: customers.id, name: customers.name })
    .from(customers)
    .where(and(eq(customers.id, user.portalCustomerId), eq(customers.workspaceId, workspace.id)))
    .get();
  if (!customer) return null;
  return {
    feedId: feed.id,
    lastUsedAt: feed.lastUsedAt,
    owner: {
      scope: { kind: "portal", workspaceId: workspace.id, customerId: customer.id },
      locale,
      name: user.name,
      workspaceName: workspace.tradeName,
      customerName: customer.name,
    },
  };
}

/** Alarm: hour clocks two hours ahead; date deadlines at 09:00 the day before (15 h before the day starts). */
function alarmMinutes(deadline: CollectedDeadline): number {
  return deadline.due.kind === "instant" ? 120 : 15 * 60;
}

/** The feed's events: one per deadline, in the owner's language, with its basis and a link to its page. */
export function feedEvents(deadlines: CollectedDeadline[], owner: Pick<FeedOwner, "scope" | "locale">): IcalEvent[] {
  const t = translator(owner.locale);
  const base = getConfig().appUrl;
  const portal = owner.scope.kind === "portal";
  return deadlines.map((deadline) => {
    const path = portal ? (deadline.portalLink ?? "/portal") : deadline.link;
    const url = `${base}${path}`;
    const summary = deadline.title[owner.locale];
    return {
      uid: deadline.uid,
      summary,
      description: [deadline.basis[owner.locale], t("notifications.calendar.open", { url })].join("\n"),
      due: deadline.due,
      url,
      categories: [t(`notifications.source.${deadline.source}`)],
      alarm: { minutesBefore: alarmMinutes(deadline), description: t("notifications.calendar.alarm", { title: summary }) },
    };
  });
}

/** The whole iCalendar text for an owner at `now`. */
export function calendarText(owner: FeedOwner, deadlines: CollectedDeadline[], now: string): string {
  const t = translator(owner.locale);
  return writeCalendar({
    prodId: "-//DPA Desk//Deadlines//NL",
    name:
      owner.scope.kind === "portal"
        ? t("notifications.calendar.feedNamePortal", { workspace: owner.workspaceName, customer: owner.customerName ?? "" })
        : t("notifications.calendar.feedName", { name: owner.name, workspace: owner.workspaceName }),
    description: t("notifications.calendar.feedDescription"),
    now,
    refreshMinutes: FEED_REFRESH_MINUTES,
    events: feedEvents(deadlines, owner),
  });
}

/**
 * GET /calendar/<token>.ics: the feed for the token's owner, or null (404) when the token is
 * unknown or revoked. Notes the use at most every 15 minutes.
 */
export async function calendarFeedByToken(token: string, now: string): Promise<string | null> {
  const found = feedOwnerByToken(token);
  if (!found) return null;
  const deadlines = collectDeadlines(found.owner.scope, now);
  if (!found.lastUsedAt || Date.parse(now) - Date.parse(found.lastUsedAt) >= LAST_USED_GRANULARITY_MS) {
    getDb().update(calendarFeeds).set({ lastUsedAt: now }).where(eq(calendarFeeds.id, found.feedId)).run();
  }
  return calendarText(found.owner, deadlines, now);
}

// ---------------------------------------------------------------------------------------
// The calendar page

/** Deadlines per page of the calendar page (the feed itself holds all of them, up to MAX_DEADLINES). */
export const CALENDAR_PAGE_SIZE = 50;

export type CalendarPage = FeedStatus & {
  deadlines: (CollectedDeadline & { mine: boolean })[];
  total: number;
  /** uid of the last deadline shown when there are more, else null */
  next: string | null;
  /** whether this is not the first page */
  paged: boolean;
  maxDeadlines: number;
  horizonDays: number;
};

/**
 * What the calendar page shows: the feed's status and exactly the deadlines the feed contains
 * (the same collector, scope and limits), a page at a time after the deadline `after` (its uid).
 */
export async function calendarPage(actor: Actor, now: string, after: string | null = null): Promise<CalendarPage> {
  const a = requireFeedActor(actor);
  const status: FeedStatus = { allowed: roleHasDeadlines(a), feed: activeFeed(a.userId, a.workspaceId) ?? null };
  const all = status.allowed ? collectDeadlines(responsibilityScope(a), now) : [];
  const start = after ? all.findIndex((d) => d.uid === after) + 1 : 0;
  const slice = all.slice(start, start + CALENDAR_PAGE_SIZE);
  return {
    ...status,
    deadlines: slice.map((d) => ({ ...d, mine: d.responsible.kind === "assignee" && d.responsible.userId === a.userId })),
    total: all.length,
    next: start + CALENDAR_PAGE_SIZE < all.length ? slice[slice.length - 1].uid : null,
    paged: start > 0,
    maxDeadlines: MAX_DEADLINES,
    horizonDays: DEFAULT_HORIZON_DAYS,
  };
}

/** The calendar page's data with the feed's times for display (staff and portal pages alike). */
export async function calendarPageView(actor: Actor, now: string, after: string | null) {
  const page = await calendarPage(actor, now, after);
  return {
    ...page,
    feed: page.feed
      ? { ...page.feed, createdDisplay: displayInstant(page.feed.createdAt), lastUsedDisplay: displayInstant(page.feed.lastUsedAt) }
      : null,
  };
}

/** Answers a post of the feed card (create, regenerate, revoke) with the data and HTTP status for the page. */
export async function answerFeedAction(actor: Actor, form: FormData, now: string): Promise<{ data: FeedActionData; status: number }> {
  const parsed = parseFeedAction(form);
  if (!parsed.ok) return { data: parsed.answer, status: 400 };
  if (parsed.intent === "revoke") {
    const result = await revokeCalendarFeed(actor, now);
    if (!result.ok) return { data: { intent: "revoke", error: result.error }, status: 409 };
    return { data: { intent: "revoke", revoked: true }, status: 200 };
  }
  const { url } = await createCalendarFeed(actor, now);
  return { data: { intent: parsed.intent, url }, status: 200 };
}
