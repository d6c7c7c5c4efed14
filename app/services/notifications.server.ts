/**
 * In-app notifications for staff. Writers (reminders, escalations) call `createNotification` inside
 * their own write transaction, so a notification exists exactly when the event that caused it does.
 */
import type { Db, Tx } from "../../db/client";
import { notifications } from "../../db/schema";
import type { MessageKey } from "~/i18n/i18n";
import { newId } from "./ids.server";

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
