/**
 * Calendar feeds end to end: each feed parses as iCalendar with ical.js and its events are exactly the
 * deadlines the calendar page shows (same UID, moment, summary, basis); portal feeds hold only the own
 * customer; regenerated, revoked and unknown tokens answer 404; no other workspace ever appears.
 */
import ICAL from "ical.js";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, calendarFeeds, memberships, users } from "../../db/schema";
import type { Actor } from "~/domain/permissions";
import { seedCustomer } from "../helpers/db";
import { hours, NOW, seedDeadlineWorld } from "../helpers/deadline-fixture";
import { loader as feedLoader } from "~/routes/calendar.$token";
import { action as staffCalendarAction } from "~/routes/_staff.calendar";
import { calendarFeedByToken, calendarFeedStatus, calendarPage, createCalendarFeed, revokeCalendarFeed } from "~/services/calendar-feeds.server";
import type { CollectedDeadline } from "~/services/deadlines.server";
import { hashToken } from "~/services/ids.server";
import { requestWithCookie, seedPortalUser, seedStaffUser, setupTestApp, signInCookie, thrownResponse, type PortalUser } from "../helpers/app";

const app = setupTestApp();
const context = { cspNonce: "test-nonce", clientIp: "192.0.2.1" };

type ParsedEvent = { uid: string; summary: string; start: string; isDate: boolean; url: string; description: string };

/** Parses a feed with ical.js (which throws on invalid iCalendar) into plain events. */
function parseFeed(text: string): { name: string; events: ParsedEvent[] } {
  const component = new ICAL.Component(ICAL.parse(text));
  expect(component.name).toBe("vcalendar");
  expect(component.getFirstPropertyValue("version")).toBe("2.0");
  expect(component.getFirstPropertyValue("method")).toBe("PUBLISH");
  return {
    name: String(component.getFirstPropertyValue("x-wr-calname")),
    events: component.getAllSubcomponents("vevent").map((v) => {
      const event = new ICAL.Event(v);
      return {
        uid: event.uid,
        summary: event.summary,
        start: event.startDate.isDate ? event.startDate.toString() : event.startDate.toJSDate().toISOString(),
        isDate: event.startDate.isDate,
        url: String(v.getFirstPropertyValue("url")),
        description: event.description,
      };
    }),
  };
}

/** Every event is one deadline the calendar page shows, with the same moment and the same summary, and the other way round. */
function expectSameAsPage(feed: ParsedEvent[], page: CollectedDeadline[], locale: "nl" | "en") {
  expect(feed.map((e) => e.uid)).toEqual(page.map((d) => d.uid));
  for (const [i, event] of feed.entries()) {
    const deadline = page[i];
    expect(event.summary).toBe(deadline.title[locale]);
    if (deadline.due.kind === "instant") {
      expect(event.isDate).toBe(false);
      expect(event.start).toBe(deadline.due.at);
    } else {
      expect(event.isDate).toBe(true);
      expect(event.start).toBe(deadline.due.date);
    }
    expect(event.description).toContain(deadline.basis[locale]);
  }
}

function tokenOf(url: string): string {
  const match = /\/calendar\/([A-Za-z0-9_-]+)\.ics$/.exec(url);
  if (!match) throw new Error(`not a feed url: ${url}`);
  return match[1];
}

async function fetchFeed(token: string): Promise<Response> {
  try {
    return (await feedLoader({ request: new Request(`http://localhost/calendar/${token}.ics`), params: { token: `${token}.ics` }, context })) as Response;
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

const portalActor = (user: PortalUser): Actor => ({ kind: "portal", userId: user.userId, name: "Portal contact", email: user.email, workspaceId: user.workspaceId, customerId: user.customerId });

describe("calendar feeds", () => {
  it("gives a staff member a valid iCalendar feed whose events are exactly the deadlines on their calendar page", async () => {
    const w = seedDeadlineWorld(app.db);
    const { url, replaced } = await createCalendarFeed(w.officer, NOW);
    expect(replaced).toBe(false);
    expect(url).toMatch(/^https:\/\/dpadesk\.test\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    const text = await calendarFeedByToken(tokenOf(url), NOW);
    expect(text).not.toBeNull();
    const feed = parseFeed(text!);
    expect(feed.name).toBe(`DPA Desk – ${w.officer.name} (Verwerker)`);
    const page = await calendarPage(w.officer, NOW);
    expect(page.total).toBe(7);
    expectSameAsPage(feed.events, page.deadlines, "nl");
    const window = feed.events.find((e) => e.uid === w.uids.windowAlfa)!;
    expect(window.url).toMatch(/^https:\/\/dpadesk\.test\/subprocessors\/changes\//);
    // the assignee's work is in the assignee's feed, not the other officer's
    expect(feed.events.some((e) => e.uid === w.uids.noticeAlfa)).toBe(false);
    const assigneeFeed = parseFeed((await calendarFeedByToken(tokenOf((await createCalendarFeed(w.assignee, NOW)).url), NOW))!);
    expect(assigneeFeed.events.map((e) => e.uid)).toContain(w.uids.noticeAlfa);
    expectSameAsPage(assigneeFeed.events, (await calendarPage(w.assignee, NOW)).deadlines, "nl");
  });

  it("writes the feed in the owner's language", async () => {
    const w = seedDeadlineWorld(app.db);
    app.db.update(users).set({ locale: "en" }).where(eq(users.id, w.admin.userId)).run();
    const feed = parseFeed((await calendarFeedByToken(tokenOf((await createCalendarFeed(w.admin, NOW)).url), NOW))!);
    expectSameAsPage(feed.events, (await calendarPage(w.admin, NOW)).deadlines, "en");
    expect(feed.events.find((e) => e.uid === w.uids.noticeDayAlfa)?.summary).toBe("Last day of notice for Alfa Verwerker (else renewal on 01-06-2026)");
  });

  it("gives a portal user only their own customer's deadlines, linked to portal pages", async () => {
    const w = seedDeadlineWorld(app.db);
    const other = seedDeadlineWorld(app.db, "Ander");
    const beta = await seedPortalUser(app.db, w.ws.id, w.beta.id);
    const { url } = await createCalendarFeed(portalActor(beta), NOW);
    const feed = parseFeed((await calendarFeedByToken(tokenOf(url), NOW))!);
    expect(feed.name).toBe("Verwerker – termijnen Beta Verwerker");
    const page = await calendarPage(portalActor(beta), NOW);
    expectSameAsPage(feed.events, page.deadlines, "nl");
    expect(feed.events.map((e) => e.uid)).toEqual([w.uids.authorityBeta]);
    expect(feed.events[0].url).toBe(`https://dpadesk.test/portal/breaches/${w.breaches.b1}`);
    const names = [w.alfa.name, w.gamma.name, other.beta.name, other.alfa.name];
    for (const event of feed.events) for (const name of names) expect(`${event.summary} ${event.description}`).not.toContain(name);
  });

  it("never shows another workspace's deadlines", async () => {
    const w = seedDeadlineWorld(app.db);
    seedDeadlineWorld(app.db, "Ander");
    const feed = parseFeed((await calendarFeedByToken(tokenOf((await createCalendarFeed(w.assignee, NOW)).url), NOW))!);
    expect(feed.events).toHaveLength(10);
    for (const event of feed.events) expect(`${event.summary} ${event.description}`).not.toContain("Ander");
  });

  it("answers 404 for an unknown, regenerated or revoked token; a new link works at once", async () => {
    const w = seedDeadlineWorld(app.db);
    const first = tokenOf((await createCalendarFeed(w.officer, NOW)).url);
    const ok = await fetchFeed(first);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
    expect(ok.headers.get("Cache-Control")).toBe("private, no-store");
    parseFeed(await ok.text());

    const second = await createCalendarFeed(w.officer, NOW);
    expect(second.replaced).toBe(true);
    expect((await fetchFeed(first)).status).toBe(404);
    expect((await fetchFeed(tokenOf(second.url))).status).toBe(200);

    expect(await revokeCalendarFeed(w.officer, NOW)).toEqual({ ok: true });
    expect((await fetchFeed(tokenOf(second.url))).status).toBe(404);
    expect(await revokeCalendarFeed(w.officer, NOW)).toEqual({ ok: false, error: "notifications.calendar.error.noFeed" });
    expect((await fetchFeed("x".repeat(43))).status).toBe(404);
    expect((await fetchFeed("../../etc")).status).toBe(404);
    expect((await calendarFeedStatus(w.officer)).feed).toBeNull();
  });

  it("stores only the hash of the secret, audits creation and revocation, and notes use at most every 15 minutes", async () => {
    const w = seedDeadlineWorld(app.db);
    const token = tokenOf((await createCalendarFeed(w.officer, NOW)).url);
    const rows = app.db.select().from(calendarFeeds).all();
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    await calendarFeedByToken(token, NOW);
    await calendarFeedByToken(token, hours(0.1));
    expect(app.db.select().from(calendarFeeds).get()!.lastUsedAt).toBe(NOW);
    await calendarFeedByToken(token, hours(0.5));
    expect(app.db.select().from(calendarFeeds).get()!.lastUsedAt).toBe(hours(0.5));
    await revokeCalendarFeed(w.officer, NOW);
    const actions = app.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.workspaceId, w.ws.id))
      .all()
      .map((e) => e.action);
    expect(actions).toEqual(["calendar_feed.created", "calendar_feed.revoked"]);
    expect(JSON.stringify(app.db.select().from(auditEvents).all())).not.toContain(token);
  });

  it("stops a feed when its owner is disabled or leaves the workspace", async () => {
    const w = seedDeadlineWorld(app.db);
    const token = tokenOf((await createCalendarFeed(w.officer, NOW)).url);
    app.db.delete(memberships).where(and(eq(memberships.userId, w.officer.userId), eq(memberships.workspaceId, w.ws.id))).run();
    expect(await calendarFeedByToken(token, NOW)).toBeNull();
    const other = tokenOf((await createCalendarFeed(w.admin, NOW)).url);
    app.db.update(users).set({ disabledAt: NOW }).where(eq(users.id, w.admin.userId)).run();
    expect(await calendarFeedByToken(other, NOW)).toBeNull();
  });

  it("gives auditors no feed: they are responsible for no deadline", async () => {
    const w = seedDeadlineWorld(app.db);
    expect(await calendarFeedStatus(w.auditor)).toEqual({ allowed: false, feed: null });
    expect((await thrownResponse(createCalendarFeed(w.auditor, NOW))).status).toBe(403);
    const page = await calendarPage(w.auditor, NOW);
    expect(page.deadlines).toEqual([]);
  });

  it("pages the calendar page through the same list the feed holds", async () => {
    const w = seedDeadlineWorld(app.db);
    for (let i = 0; i < 60; i++) {
      seedCustomer(app.db, w.ws.id, { name: `Klant ${String(i).padStart(2, "0")}`, termsVersionId: w.versionId, contractStart: "2025-07-01", contractTermMonths: 12 });
    }
    const feed = parseFeed((await calendarFeedByToken(tokenOf((await createCalendarFeed(w.officer, NOW)).url), NOW))!);
    const first = await calendarPage(w.officer, NOW);
    expect(first.deadlines).toHaveLength(50);
    expect(first.next).not.toBeNull();
    const second = await calendarPage(w.officer, NOW, first.next);
    expect(second.next).toBeNull();
    expect(second.paged).toBe(true);
    expectSameAsPage(feed.events, [...first.deadlines, ...second.deadlines], "nl");
    expect(feed.events).toHaveLength(67);
  });

  it("refuses to regenerate or revoke without the confirmation, through the page's action, and changes nothing", async () => {
    const w = seedDeadlineWorld(app.db);
    const user = await seedStaffUser(app.db, w.ws.id, "privacy_officer");
    const cookie = await signInCookie(user.email);
    const post = (fields: Record<string, string>) =>
      staffCalendarAction({
        request: requestWithCookie(cookie, "/calendar", { method: "POST", body: new URLSearchParams(fields) }),
        params: {},
        context,
      }) as Promise<Response>;
    const created = await post({ intent: "create" });
    const { url } = (await created.json()) as { url: string };
    for (const intent of ["regenerate", "revoke"]) {
      const refused = await post({ intent });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toEqual({ intent, error: "notifications.calendar.error.confirm" });
    }
    expect(await calendarFeedByToken(tokenOf(url), NOW)).not.toBeNull();
    const regenerated = (await (await post({ intent: "regenerate", confirm: "yes" })).json()) as { url: string };
    expect(await calendarFeedByToken(tokenOf(url), NOW)).toBeNull();
    expect(await calendarFeedByToken(tokenOf(regenerated.url), NOW)).not.toBeNull();
    expect(await (await post({ intent: "revoke", confirm: "yes" })).json()).toEqual({ intent: "revoke", revoked: true });
    expect(await calendarFeedByToken(tokenOf(regenerated.url), NOW)).toBeNull();
  });
});
