/**
 * In-app notifications, reading side: the unread count, the list (unread or all, newest first, keyset
 * pages), marking one or all read, and that nobody reads or marks another person's notifications or
 * those of another workspace.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { notifications } from "../../db/schema";
import type { Actor } from "~/domain/permissions";
import { action as notificationsAction, loader as notificationsLoader } from "~/routes/_staff.notifications";
import { newId } from "~/services/ids.server";
import {
  createNotification,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  safeLink,
  unreadNotificationCount,
} from "~/services/notifications.server";
import { seedCustomer, seedStaff, seedWorkspace } from "../helpers/db";
import { requestWithCookie, seedStaffUser, setupTestApp, signInCookie, thrownResponse } from "../helpers/app";

const app = setupTestApp();
const context = { cspNonce: "test-nonce", clientIp: "192.0.2.1" };
const NOW = "2026-03-28T15:00:00.000Z";
const minutes = (m: number) => new Date(Date.parse(NOW) + m * 60_000).toISOString();

function notify(actor: Extract<Actor, { kind: "staff" }>, at: string, extra: { link?: string | null; customerId?: string | null; workspaceId?: string } = {}) {
  return createNotification(
    app.db,
    {
      workspaceId: extra.workspaceId ?? actor.workspaceId,
      userId: actor.userId,
      kind: "breach_notice_reminder",
      messageKey: "notifications.deadline.breachNotice",
      params: { reference: "DL-2026-0001", customer: "Alfa BV" },
      link: extra.link === undefined ? "/breaches/abc" : extra.link,
      customerId: extra.customerId ?? null,
    },
    at,
  );
}

describe("notifications", () => {
  it("counts, lists newest first and marks read only the reader's own notifications in the active workspace", async () => {
    const ws = seedWorkspace(app.db);
    const other = seedWorkspace(app.db);
    const me = seedStaff(app.db, ws.id, "privacy_officer");
    const colleague = seedStaff(app.db, ws.id, "privacy_officer");
    const customer = seedCustomer(app.db, ws.id, { name: "Alfa BV" });
    const first = notify(me, minutes(0), { customerId: customer.id });
    const second = notify(me, minutes(1));
    const third = notify(me, minutes(2), { link: null });
    const theirs = notify(colleague, minutes(3));
    notify(me, minutes(4), { workspaceId: other.id }); // mine, but in another workspace

    expect(await unreadNotificationCount(me)).toBe(3);
    expect(await unreadNotificationCount(colleague)).toBe(1);
    const page = await listNotifications(me);
    expect(page.items.map((n) => n.id)).toEqual([third, second, first]);
    expect(page.unread).toBe(3);
    expect(page.items[2]).toMatchObject({
      messageKey: "notifications.deadline.breachNotice",
      params: { reference: "DL-2026-0001", customer: "Alfa BV" },
      customerName: "Alfa BV",
      link: "/breaches/abc",
      readAt: null,
    });

    expect(await markNotificationRead(me, second, minutes(10))).toEqual({ link: "/breaches/abc" });
    expect(await unreadNotificationCount(me)).toBe(2);
    expect((await listNotifications(me, { filter: "unread" })).items.map((n) => n.id)).toEqual([third, first]);
    expect((await listNotifications(me, { filter: "all" })).items.map((n) => n.id)).toEqual([third, second, first]);
    // marking again keeps the first read moment
    await markNotificationRead(me, second, minutes(20));
    expect(app.db.select().from(notifications).where(eq(notifications.id, second)).get()!.readAt).toBe(minutes(10));

    // another user's notification: not found, and it stays unread
    expect((await thrownResponse(markNotificationRead(me, theirs, minutes(11)))).status).toBe(404);
    expect(await unreadNotificationCount(colleague)).toBe(1);
    expect((await listNotifications(me, { filter: "all" })).items.map((n) => n.id)).not.toContain(theirs);

    expect(await markAllNotificationsRead(me, minutes(12))).toBe(2);
    expect(await unreadNotificationCount(me)).toBe(0);
    expect(await unreadNotificationCount(colleague)).toBe(1);
    // the one in the other workspace is untouched
    expect(app.db.select().from(notifications).where(eq(notifications.workspaceId, other.id)).get()!.readAt).toBeNull();
    expect(await markAllNotificationsRead(me, minutes(13))).toBe(0);
  });

  it("pages with a keyset cursor, newest first, without gaps or repeats, also for equal times", async () => {
    const ws = seedWorkspace(app.db);
    const me = seedStaff(app.db, ws.id, "admin");
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(notify(me, minutes(Math.floor(i / 3))));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listNotifications(me, { filter: "all", cursor, pageSize: 7 });
      seen.push(...page.items.map((n) => n.id));
      cursor = page.next;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(30);
    const created = new Map(app.db.select().from(notifications).all().map((n) => [n.id, n.createdAt]));
    const order = seen.map((id) => `${created.get(id)}|${id}`);
    expect(order).toEqual([...order].sort().reverse());
    // a forged cursor is ignored (first page), never an error
    expect((await listNotifications(me, { cursor: "'; drop table notifications; --" })).items).toHaveLength(25);
  });

  it("follows only in-app links", () => {
    expect(safeLink("/breaches/1")).toBe("/breaches/1");
    expect(safeLink("https://evil.example/")).toBeNull();
    expect(safeLink("//evil.example/")).toBeNull();
    expect(safeLink("/\\evil.example")).toBeNull();
    expect(safeLink(null)).toBeNull();
  });

  it("is for staff only", async () => {
    const ws = seedWorkspace(app.db);
    const customer = seedCustomer(app.db, ws.id);
    const portal: Actor = { kind: "portal", userId: newId(), name: "P", email: "p@example.test", workspaceId: ws.id, customerId: customer.id };
    expect((await thrownResponse(unreadNotificationCount(portal))).status).toBe(404);
    expect((await thrownResponse(listNotifications(portal))).status).toBe(404);
  });

  it("through the page: lists in the reader's session, opens a link after marking it read, marks all read", async () => {
    const ws = seedWorkspace(app.db);
    const user = await seedStaffUser(app.db, ws.id, "privacy_officer");
    const colleague = seedStaff(app.db, ws.id, "privacy_officer");
    const cookie = await signInCookie(user.email);
    const one = notify(user, minutes(0), { link: "/breaches/one" });
    notify(user, minutes(1));
    const theirs = notify(colleague, minutes(2));
    const loaded = (await notificationsLoader({ request: requestWithCookie(cookie, "/notifications"), params: {}, context })) as Response;
    const data = (await loaded.json()) as { items: { id: string }[]; unread: number };
    expect(data.unread).toBe(2);
    expect(data.items).toHaveLength(2);

    const post = (fields: Record<string, string>) =>
      notificationsAction({ request: requestWithCookie(cookie, "/notifications", { method: "POST", body: new URLSearchParams(fields) }), params: {}, context }) as Promise<Response>;
    const opened = await post({ intent: "open", id: one });
    expect(opened.status).toBe(302);
    expect(opened.headers.get("Location")).toBe("/breaches/one");
    expect(await unreadNotificationCount(user)).toBe(1);

    const refused = await thrownResponse(post({ intent: "read", id: theirs }));
    expect(refused.status).toBe(404);
    expect((await post({ intent: "read", id: "not-a-uuid" })).status).toBe(400);

    expect(await (await post({ intent: "readAll" })).json()).toEqual({ marked: 1 });
    expect(await unreadNotificationCount(user)).toBe(0);
    expect(await unreadNotificationCount(colleague)).toBe(1);
  });
});
