/**
 * Calendar feeds end to end: each feed parses as iCalendar with ical.js and its events are exactly the
 * deadlines the calendar page shows (same UID, moment, summary, basis); portal feeds hold only the own
 * customer; regenerated, revoked and unknown tokens answer 404; no other workspace ever appears.
 */
import ICAL from "ical.js";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import {
  breachCustomers,
  breaches,
  calendarFeeds,
  auditEvents,
  users,
  dpas,
  endOfContractCases,
  endOfContractTasks,
  memberships,
  subprocessorChanges,
  subprocessorNotices,
  subprocessors,
  termsVersions,
} from "../../db/schema";
import { seedTermsProfiles } from "../../db/seed/terms-profiles";
import type { Actor } from "~/domain/permissions";
import { newId } from "~/services/ids.server";
import { seedCustomer, seedStaff, seedWorkspace } from "../helpers/db";
import { loader as feedLoader } from "~/routes/calendar.$token";
import { action as staffCalendarAction } from "~/routes/_staff.calendar";
import { calendarFeedByToken, calendarFeedStatus, calendarPage, createCalendarFeed, revokeCalendarFeed } from "~/services/calendar-feeds.server";
import type { CollectedDeadline } from "~/services/deadlines.server";
import { hashToken } from "~/services/ids.server";
import { requestWithCookie, seedPortalUser, seedStaffUser, setupTestApp, signInCookie, thrownResponse, type PortalUser } from "../helpers/app";

// ----- fixture: two workspaces with one deadline of every kind (direct inserts, fixed clock) -----

/** Saturday 28 March 2026, 16:00 in Amsterdam (CET). */
const NOW = "2026-03-28T15:00:00.000Z";
const SEED = "2026-01-05T09:00:00.000Z";
const hours = (h: number) => new Date(Date.parse(NOW) + h * 3600_000).toISOString();

function instantDeadline(start: string, h: number) {
  return {
    kind: "instant",
    due: new Date(Date.parse(start) + h * 3600_000).toISOString(),
    unit: "hours",
    amount: h,
    direction: "after",
    start: { event: "breach_discovered", at: start },
    basis: { kind: "contractual", article: "VO 7.5", source: "profile", version: 1 },
    adjustments: [],
  };
}

function world(db: Db, name = "Verwerker") {
  const ws = seedWorkspace(db, { legalName: `${name} B.V.`, tradeName: name });
  const versionId = newId();
  db.insert(termsVersions)
    .values({ id: versionId, workspaceId: ws.id, version: 1, content: JSON.stringify(seedTermsProfiles.leadcube), reason: "Versie 1", effectiveDate: "2024-01-01", createdAt: SEED })
    .run();
  const admin = seedStaff(db, ws.id, "admin");
  const officer = seedStaff(db, ws.id, "privacy_officer");
  const assignee = seedStaff(db, ws.id, "privacy_officer");
  const auditor = seedStaff(db, ws.id, "auditor");
  const customer = (customerName: string, extra: Parameters<typeof seedCustomer>[2] = {}) =>
    seedCustomer(db, ws.id, { name: customerName, termsVersionId: versionId, contractTermMonths: 12, ...extra });
  // Alfa: term 01-06-2025 .. 31-05-2026, notice 1 month → last notice day 30-04-2026
  const alfa = customer(`Alfa ${name}`, { contractStart: "2025-06-01" });
  // Beta: term 15-09-2025 .. 14-09-2026 → last notice day 14-08-2026
  const beta = customer(`Beta ${name}`, { contractStart: "2025-09-15" });
  const gamma = customer(`Gamma ${name}`, { contractStart: "2024-04-01", status: "ending" });
  customer(`Archived ${name}`, { contractStart: "2025-06-01", archivedAt: SEED });

  // breach 1 (assigned): Alfa still to notify; Beta notified, its authority clock running
  const breach = (reference: string, status: "open" | "closed", assigneeUserId: string | null) => {
    const id = newId();
    db.insert(breaches)
      .values({
        id,
        workspaceId: ws.id,
        reference,
        title: `Lek ${reference}`,
        classification: "breach",
        status,
        sourceKind: "own_systems",
        discoveredAt: hours(-14),
        assigneeUserId,
        createdAt: hours(-14),
        updatedAt: hours(-14),
      })
      .run();
    return id;
  };
  const affected = (breachId: string, customerId: string, dueInHours: number, notified: { authorityDueInHours: number; outcome?: "notified" } | null = null) => {
    const id = newId();
    const deadline = instantDeadline(hours(dueInHours - 24), 24);
    db.insert(breachCustomers)
      .values({
        id,
        workspaceId: ws.id,
        breachId,
        customerId,
        status: "affected",
        origin: "derived",
        termsVersionId: versionId,
        noticeDeadline: JSON.stringify(deadline),
        noticeStart: hours(dueInHours - 24),
        noticeSoonAt: hours(dueInHours - 6),
        noticeDue: hours(dueInHours),
        notifiedAt: notified ? hours(-2) : null,
        notifiedLate: notified ? false : null,
        authorityDeadline: notified ? JSON.stringify({ ...instantDeadline(hours(-2), 48), basis: { kind: "contractual", article: "VO 7.5", source: "profile", version: 1 } }) : null,
        authorityDue: notified ? hours(notified.authorityDueInHours) : null,
        authorityOutcome: notified?.outcome ?? null,
        authorityOutcomeAt: notified?.outcome ? hours(-1) : null,
        createdAt: hours(-14),
        updatedAt: hours(-14),
      })
      .run();
    return id;
  };
  const b1 = breach(`DL-${name}-1`, "open", assignee.userId);
  const noticeAlfa = affected(b1, alfa.id, 10);
  const authorityBeta = affected(b1, beta.id, 10, { authorityDueInHours: 46 });
  const b2 = breach(`DL-${name}-2`, "open", null);
  const noticeBeta = affected(b2, beta.id, 20);
  affected(b2, alfa.id, 30, { authorityDueInHours: 40, outcome: "notified" }); // outcome recorded: no clock
  const b3 = breach(`DL-${name}-3`, "closed", null);
  affected(b3, alfa.id, 5); // closed breach: nothing to notify

  // a sub-processor change: Alfa's window open, Beta answered, Gamma's window closed already
  const spId = newId();
  db.insert(subprocessors)
    .values({
      id: spId,
      workspaceId: ws.id,
      legalName: `Hosting ${name} GmbH`,
      nameKey: `hosting ${name.toLowerCase()} gmbh`,
      serviceNl: "Hosting",
      serviceEn: "Hosting",
      purposeNl: "Opslag",
      purposeEn: "Storage",
      status: "proposed",
      createdAt: SEED,
      updatedAt: SEED,
    })
    .run();
  const changeId = newId();
  db.insert(subprocessorChanges)
    .values({ id: changeId, workspaceId: ws.id, kind: "new", subprocessorId: spId, plannedStart: "2026-05-01", descriptionNl: "Nieuw", descriptionEn: "New", status: "scheduled", createdAt: SEED, updatedAt: SEED, sentAt: hours(-48) })
    .run();
  const windowDeadline = {
    kind: "date",
    due: "2026-04-09",
    unit: "weeks",
    amount: 2,
    direction: "after",
    start: { event: "notice_sent", at: hours(-48) },
    basis: { kind: "contractual", article: "B1 4.2", source: "profile", version: 1 },
    adjustments: [],
  };
  const notice = (customerId: string, windowEnd: string, response: "objected" | null) => {
    const id = newId();
    db.insert(subprocessorNotices)
      .values({
        id,
        workspaceId: ws.id,
        changeId,
        customerId,
        included: true,
        usesRelatedService: true,
        sentAt: hours(-48),
        regime: "window",
        windowEnd,
        windowDeadline: JSON.stringify({ ...windowDeadline, due: windowEnd }),
        response,
        respondedAt: response ? hours(-1) : null,
        createdAt: SEED,
      })
      .run();
    return id;
  };
  const windowAlfa = notice(alfa.id, "2026-04-09", null);
  notice(beta.id, "2026-04-09", "objected");
  notice(gamma.id, "2026-03-20", null);

  // a DPA sent to Beta three days ago, not signed
  const dpaId = newId();
  db.insert(dpas)
    .values({
      id: dpaId,
      workspaceId: ws.id,
      customerId: beta.id,
      termsVersionId: versionId,
      language: "nl",
      state: "sent",
      versionLabel: "VO v1",
      text: "tekst",
      textHash: "0".repeat(64),
      rendered: "{}",
      createdAt: hours(-72),
      sentAt: hours(-72),
    })
    .run();

  // Gamma's contract ends: the choice (open), tasks with and without assignee, one done
  const caseId = newId();
  db.insert(endOfContractCases)
    .values({
      id: caseId,
      workspaceId: ws.id,
      customerId: gamma.id,
      reference: `EC-${name}-1`,
      kind: "termination",
      noticeGivenBy: "customer",
      noticeReceivedOn: "2026-02-01",
      computedEndDate: "2026-03-31",
      endDate: "2026-03-31",
      status: "scheduled",
      defaultChoice: "delete",
      createdAt: SEED,
      updatedAt: SEED,
    })
    .run();
  const task = (kind: "customer_choice" | "production_deletion" | "backup_expiry" | "return_export", dueDate: string | null, status: "open" | "done", assigneeUserId: string | null, position: number) => {
    const id = newId();
    db.insert(endOfContractTasks)
      .values({
        id,
        workspaceId: ws.id,
        caseId,
        customerId: gamma.id,
        kind,
        position,
        dueDate,
        basis: JSON.stringify({
          kind: "date",
          due: dueDate ?? "2026-03-31",
          unit: "days",
          amount: 28,
          direction: "after",
          start: { event: "contract_end", at: "2026-03-31" },
          basis: { kind: "contractual", article: "VO 2.5", source: "profile", version: 1 },
          adjustments: [],
        }),
        status,
        assigneeUserId,
        createdAt: SEED,
        updatedAt: SEED,
      })
      .run();
    return id;
  };
  const choice = task("customer_choice", "2026-03-31", "open", null, 1);
  const deletion = task("production_deletion", "2026-04-20", "open", assignee.userId, 2);
  const backups = task("backup_expiry", "2026-10-28", "open", null, 3);
  task("return_export", "2026-04-10", "done", null, 4);
  task("return_export", null, "open", null, 5); // no due date: not a deadline

  return {
    ws,
    versionId,
    admin,
    officer,
    assignee,
    auditor,
    alfa,
    beta,
    gamma,
    breaches: { b1, b2, b3 },
    uids: {
      noticeAlfa: `breach_notice-${noticeAlfa}@dpadesk`,
      noticeBeta: `breach_notice-${noticeBeta}@dpadesk`,
      authorityBeta: `authority-${authorityBeta}@dpadesk`,
      windowAlfa: `objection_window-${windowAlfa}@dpadesk`,
      signatureBeta: `dpa_signature-${dpaId}@dpadesk`,
      choiceGamma: `eoc_choice-${choice}@dpadesk`,
      deletionGamma: `eoc_task-${deletion}@dpadesk`,
      backupsGamma: `eoc_task-${backups}@dpadesk`,
      noticeDayAlfa: `contract_notice-${alfa.id}-2026-04-30@dpadesk`,
      noticeDayBeta: `contract_notice-${beta.id}-2026-08-14@dpadesk`,
    },
  };
}

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
    const w = world(app.db);
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
    const w = world(app.db);
    app.db.update(users).set({ locale: "en" }).where(eq(users.id, w.admin.userId)).run();
    const feed = parseFeed((await calendarFeedByToken(tokenOf((await createCalendarFeed(w.admin, NOW)).url), NOW))!);
    expectSameAsPage(feed.events, (await calendarPage(w.admin, NOW)).deadlines, "en");
    expect(feed.events.find((e) => e.uid === w.uids.noticeDayAlfa)?.summary).toBe("Last day of notice for Alfa Verwerker (else renewal on 01-06-2026)");
  });

  it("gives a portal user only their own customer's deadlines, linked to portal pages", async () => {
    const w = world(app.db);
    const other = world(app.db, "Ander");
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
    const w = world(app.db);
    world(app.db, "Ander");
    const feed = parseFeed((await calendarFeedByToken(tokenOf((await createCalendarFeed(w.assignee, NOW)).url), NOW))!);
    expect(feed.events).toHaveLength(10);
    for (const event of feed.events) expect(`${event.summary} ${event.description}`).not.toContain("Ander");
  });

  it("answers 404 for an unknown, regenerated or revoked token; a new link works at once", async () => {
    const w = world(app.db);
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
    const w = world(app.db);
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
    const w = world(app.db);
    const token = tokenOf((await createCalendarFeed(w.officer, NOW)).url);
    app.db.delete(memberships).where(and(eq(memberships.userId, w.officer.userId), eq(memberships.workspaceId, w.ws.id))).run();
    expect(await calendarFeedByToken(token, NOW)).toBeNull();
    const other = tokenOf((await createCalendarFeed(w.admin, NOW)).url);
    app.db.update(users).set({ disabledAt: NOW }).where(eq(users.id, w.admin.userId)).run();
    expect(await calendarFeedByToken(other, NOW)).toBeNull();
  });

  it("gives auditors no feed: they are responsible for no deadline", async () => {
    const w = world(app.db);
    expect(await calendarFeedStatus(w.auditor)).toEqual({ allowed: false, feed: null });
    expect((await thrownResponse(createCalendarFeed(w.auditor, NOW))).status).toBe(403);
    const page = await calendarPage(w.auditor, NOW);
    expect(page.deadlines).toEqual([]);
  });

  it("pages the calendar page through the same list the feed holds", async () => {
    const w = world(app.db);
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
    const w = world(app.db);
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
