/**
 * In-app notifications for staff. Writers (reminders, escalations) call `createNotification` inside
 * their own write transaction, so a notification exists exactly when the event that caused it does.
 */
import { and, count, desc, eq, isNull, type SQL } from "drizzle-orm";
import type { Db, Tx } from "../../db/client";
import { customers, notifications } from "../../db/schema";
import { can, type Actor } from "~/domain/permissions";
import { getDb } from "~/db.server";
import type { MessageKey } from "~/i18n/i18n";
import { forbidden, notFound } from "./http.server";
import { newId } from "./ids.server";
import { keysetAfter } from "./keyset";

export type NotificationInput = {
  workspaceId: string;
  userId: string;
  /** what caused it, e.g. "breach_notice_reminder", "breach_overdue", "eoc_task_due" */
  kind: string;
  /** catalog key rendered in the reader's language, with its {placeholders} in `params` */
  messageKey: MessageKey;
  params?: Record<string, string | number>;
  /** in-app path, e.g. "/breaches/<id>" */
  link?: string | null;
  customerId?: string | null;
};

export function createNotification(tx: Tx | Db, input: NotificationInput, now: string): string {
  const id = newId();
  tx.insert(notifications)
    .values({
      id,
      workspaceId: input.workspaceId,
      userId: input.userId,
      kind: input.kind,
      messageKey: input.messageKey,
      params: JSON.stringify(input.params ?? {}),
      link: input.link ?? null,
      customerId: input.customerId ?? null,
      createdAt: now,
    })
    .run();
  return id;
}

// ---------------------------------------------------------------------------------------
// Reading side: only the signed-in staff member's own rows in the active workspace.

/** Rows per page of the notifications list. */
export const NOTIFICATIONS_PAGE_SIZE = 25;

type StaffActor = Extract<Actor, { kind: "staff" }>;

function requireReader(actor: Actor): StaffActor {
  if (actor.kind !== "staff") throw notFound();
  if (!can(actor, "workspace:read")) throw forbidden();
  return actor;
}

function ownRows(actor: StaffActor): SQL {
  return and(eq(notifications.userId, actor.userId), eq(notifications.workspaceId, actor.workspaceId))!;
}

/** How many of the reader's notifications in the active workspace are unread. */
export async function unreadNotificationCount(actor: Actor): Promise<number> {
  const a = requireReader(actor);
  const row = getDb()
    .select({ n: count() })
    .from(notifications)
    .where(and(ownRows(a), isNull(notifications.readAt)))
    .get();
  return row?.n ?? 0;
}

export type NotificationFilter = "unread" | "all";

export type NotificationItem = {
  id: string;
  kind: string;
  messageKey: string;
  params: Record<string, string | number>;
  link: string | null;
  customerId: string | null;
  customerName: string | null;
  createdAt: string;
  readAt: string | null;
};

export type NotificationPage = {
  items: NotificationItem[];
  /** cursor of the next (older) page, or null on the last page */
  next: string | null;
  filter: NotificationFilter;
  unread: number;
};

/** "createdAt|id" of the last row shown; the next page starts after it. */
export function encodeNotificationCursor(row: { createdAt: string; id: string }): string {
  return `${row.createdAt}|${row.id}`;
}

function decodeCursor(cursor: string | null | undefined): { createdAt: string; id: string } | null {
  if (!cursor) return null;
  const match = /^(\d{4}-\d{2}-\d{2}T[0-9:.]+Z)\|([0-9a-f-]{36})$/.exec(cursor);
  return match ? { createdAt: match[1], id: match[2] } : null;
}

function parseParams(text: string): Record<string, string | number> {
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== "object" || Array.isArray(value)) return {};
    const out: Record<string, string | number> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v === "string" || typeof v === "number") out[key] = v;
    }
    return out;
  } catch {
    return {};
  }
}

/** Only in-app paths are followed ("/..." but not "//host"), so a stored link can never send the reader elsewhere. */
export function safeLink(link: string | null): string | null {
  return link && link.startsWith("/") && !link.startsWith("//") && !link.startsWith("/\\") ? link : null;
}

/** The reader's notifications, newest first, unread only or all, one keyset page at a time. */
export async function listNotifications(
  actor: Actor,
  options: { filter?: NotificationFilter; cursor?: string | null; pageSize?: number } = {},
): Promise<NotificationPage> {
  const a = requireReader(actor);
  const filter = options.filter ?? "unread";
  const pageSize = Math.max(1, Math.min(options.pageSize ?? NOTIFICATIONS_PAGE_SIZE, 100));
  const after = decodeCursor(options.cursor);
  const rows = getDb()
    .select({
      id: notifications.id,
      kind: notifications.kind,
      messageKey: notifications.messageKey,
      params: notifications.params,
      link: notifications.link,
      customerId: notifications.customerId,
      customerName: customers.name,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .leftJoin(customers, and(eq(customers.id, notifications.customerId), eq(customers.workspaceId, a.workspaceId)))
    .where(
      and(
        ownRows(a),
        filter === "unread" ? isNull(notifications.readAt) : undefined,
        after ? keysetAfter(notifications.createdAt, notifications.id, { value: after.createdAt, id: after.id }, "desc") : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(pageSize + 1)
    .all();
  const page = rows.slice(0, pageSize);
  return {
    items: page.map((row) => ({ ...row, params: parseParams(row.params), link: safeLink(row.link) })),
    next: rows.length > pageSize ? encodeNotificationCursor(page[page.length - 1]) : null,
    filter,
    unread: await unreadNotificationCount(a),
  };
}

/**
 * Marks one of the reader's notifications read (again is harmless) and returns its link. Another
 * user's notification, or one in another workspace, is "not found".
 */
export async function markNotificationRead(actor: Actor, notificationId: string, now: string): Promise<{ link: string | null }> {
  const a = requireReader(actor);
  return getDb().transaction(
    (tx) => {
      const row = tx
        .select({ id: notifications.id, link: notifications.link, readAt: notifications.readAt })
        .from(notifications)
        .where(and(eq(notifications.id, notificationId), ownRows(a)))
        .get();
      if (!row) throw notFound();
      if (row.readAt === null) tx.update(notifications).set({ readAt: now }).where(eq(notifications.id, row.id)).run();
      return { link: safeLink(row.link) };
    },
    { behavior: "immediate" },
  );
}

/** Marks every unread notification of the reader in the active workspace read; returns how many. */
export async function markAllNotificationsRead(actor: Actor, now: string): Promise<number> {
  const a = requireReader(actor);
  return getDb().transaction(
    (tx) => tx.update(notifications).set({ readAt: now }).where(and(ownRows(a), isNull(notifications.readAt))).run().changes,
    { behavior: "immediate" },
  );
}
