/**
 * Reminders: the kinds, who may receive each kind, the workspace's settings (on/off and audience,
 * defaults when a workspace has no row), resolving an audience to staff members, and sending one
 * reminder to one recipient exactly once.
 *
 * Exactly once: the reminders_sent row (unique on kind, subject, threshold, recipient) is inserted
 * with INSERT … ON CONFLICT DO NOTHING in the same immediate transaction as the mail, the in-app
 * notification and the audit event; only when the insert took effect is anything else written. Two
 * instances, a catch-up after downtime or a repeated run therefore never send a reminder twice.
 */
import { eq } from "drizzle-orm";
import type { Db, Tx } from "../../db/client";
import { reminderSettings, remindersSent, type workspaces } from "../../db/schema";
import { can, type Actor } from "~/domain/permissions";
import {
  DEFAULT_AUDIENCES,
  KIND_AUDIENCES,
  REMINDER_KINDS,
  ReminderSettingsSchema,
  type Audience,
  type ReminderKind,
  type ReminderSettingsInput,
} from "~/domain/reminder-schedule";
import type { Locale, MessageKey } from "~/i18n/i18n";
import { enqueueMail, InvalidMailError } from "~/mail/outbox.server";
import { appendAudit } from "./audit.server";
import { workspaceStaff } from "./deadline-sources.server";
import { forbidden, notFound } from "./http.server";
import { newId } from "./ids.server";
import { createNotification } from "./notifications.server";

export { AUDIENCES, DEFAULT_AUDIENCES, KIND_AUDIENCES, REMINDER_KINDS, ReminderSettingsSchema } from "~/domain/reminder-schedule";
export type { Audience, ReminderKind, ReminderSettingsInput } from "~/domain/reminder-schedule";

export type ReminderSetting = { kind: ReminderKind; enabled: boolean; audience: Audience[]; isDefault: boolean };

function parseAudience(kind: ReminderKind, text: string): Audience[] {
  try {
    const value = JSON.parse(text) as unknown;
    if (!Array.isArray(value)) return [...DEFAULT_AUDIENCES[kind]];
    return KIND_AUDIENCES[kind].filter((a) => value.includes(a));
  } catch {
    return [...DEFAULT_AUDIENCES[kind]];
  }
}

/** Every kind's setting for a workspace (stored row, else the default). */
export function workspaceReminderSettings(db: Db | Tx, workspaceId: string): Record<ReminderKind, ReminderSetting> {
  const rows = db.select().from(reminderSettings).where(eq(reminderSettings.workspaceId, workspaceId)).all();
  const result = {} as Record<ReminderKind, ReminderSetting>;
  for (const kind of REMINDER_KINDS) {
    const row = rows.find((r) => r.kind === kind);
    result[kind] = row
      ? { kind, enabled: row.enabled, audience: parseAudience(kind, row.audience), isDefault: false }
      : { kind, enabled: true, audience: [...DEFAULT_AUDIENCES[kind]], isDefault: true };
  }
  return result;
}

// ---------------------------------------------------------------------------------------
// Settings page (admins)

function requireAdmin(actor: Actor): string {
  if (actor.kind === "portal") throw notFound();
  if (actor.kind !== "staff" || !can(actor, "workspace:admin")) throw forbidden();
  return actor.workspaceId;
}

export async function getReminderSettings(db: Db, actor: Actor): Promise<ReminderSetting[]> {
  const workspaceId = requireAdmin(actor);
  const settings = workspaceReminderSettings(db, workspaceId);
  return REMINDER_KINDS.map((kind) => settings[kind]);
}

/** Reads the settings form (checkboxes "<kind>.enabled" and repeated "<kind>.audience") into the schema's input. */
export function reminderSettingsFromForm(form: FormData): ReminderSettingsInput {
  return Object.fromEntries(
    REMINDER_KINDS.map((kind) => [
      kind,
      { enabled: form.get(`${kind}.enabled`) === "on", audience: form.getAll(`${kind}.audience`).map(String) as Audience[] },
    ]),
  ) as ReminderSettingsInput;
}

/** Saves the settings of every kind; one audit event with the kinds that changed (before/after). */
export async function updateReminderSettings(db: Db, actor: Actor, input: ReminderSettingsInput, now: string): Promise<{ changed: ReminderKind[] }> {
  const workspaceId = requireAdmin(actor);
  const parsed = ReminderSettingsSchema.parse(input);
  const userId = actor.kind === "staff" ? actor.userId : null;
  return db.transaction(
    (tx) => {
      const before = workspaceReminderSettings(tx, workspaceId);
      const changed: ReminderKind[] = [];
      const changes: Record<string, unknown> = {};
      for (const kind of REMINDER_KINDS) {
        const next = { enabled: parsed[kind].enabled, audience: KIND_AUDIENCES[kind].filter((a) => parsed[kind].audience.includes(a)) };
        const prev = before[kind];
        const same = prev.enabled === next.enabled && JSON.stringify(prev.audience) === JSON.stringify(next.audience);
        if (same && !prev.isDefault) continue;
        tx.insert(reminderSettings)
          .values({ workspaceId, kind, enabled: next.enabled, audience: JSON.stringify(next.audience), updatedAt: now, updatedByUserId: userId })
          .onConflictDoUpdate({
            target: [reminderSettings.workspaceId, reminderSettings.kind],
            set: { enabled: next.enabled, audience: JSON.stringify(next.audience), updatedAt: now, updatedByUserId: userId },
          })
          .run();
        if (!same) {
          changed.push(kind);
          changes[kind] = { before: { enabled: prev.enabled, audience: prev.audience }, after: next };
        }
      }
      if (changed.length > 0) {
        appendAudit(tx, actor, now, { action: "reminder_settings.updated", entityType: "workspace", entityId: workspaceId, data: changes });
      }
      return { changed };
    },
    { behavior: "immediate" },
  );
}

// ---------------------------------------------------------------------------------------
// Recipients

export type StaffMember = { userId: string; email: string; name: string; role: string; locale: Locale };

export type WorkspaceDirectory = {
  workspaceId: string;
  legalName: string;
  tradeName: string;
  defaultLanguage: Locale;
  settings: Record<ReminderKind, ReminderSetting>;
  admins: StaffMember[];
  /** the privacy officers; the admins when the workspace has none, so reminders never go nowhere */
  privacyOfficers: StaffMember[];
  byId: Map<string, StaffMember>;
};

export type WorkspaceRow = typeof workspaces.$inferSelect;

/** The workspace's active staff and reminder settings, read once per job run. */
export function workspaceDirectory(db: Db, workspace: WorkspaceRow): WorkspaceDirectory {
  const members = workspaceStaff(db, workspace.id, ["admin", "privacy_officer"]).map((m) => ({ userId: m.userId, email: m.email, name: m.name, role: m.role, locale: m.locale ?? workspace.defaultLanguage }));
  const admins = members.filter((m) => m.role === "admin");
  const officers = members.filter((m) => m.role === "privacy_officer");
  return {
    workspaceId: workspace.id,
    legalName: workspace.legalName,
    tradeName: workspace.tradeName,
    defaultLanguage: workspace.defaultLanguage,
    settings: workspaceReminderSettings(db, workspace.id),
    admins,
    privacyOfficers: officers.length > 0 ? officers : admins,
    byId: new Map(members.map((m) => [m.userId, m])),
  };
}

/** The staff members an audience means; "assignee" is the assignee when set and active, else the privacy officers. */
export function staffRecipients(directory: WorkspaceDirectory, audience: readonly Audience[], assigneeUserId: string | null): StaffMember[] {
  const chosen = new Map<string, StaffMember>();
  const add = (list: StaffMember[]) => list.forEach((m) => chosen.set(m.userId, m));
  for (const a of audience) {
    if (a === "assignee") {
      const assignee = assigneeUserId ? directory.byId.get(assigneeUserId) : undefined;
      add(assignee ? [assignee] : directory.privacyOfficers);
    } else if (a === "privacy_officers") add(directory.privacyOfficers);
    else if (a === "admins") add(directory.admins);
  }
  return [...chosen.values()];
}

// ---------------------------------------------------------------------------------------
// Sending one reminder to one recipient, exactly once

export type ReminderKey = {
  workspaceId: string;
  kind: ReminderKind;
  subjectType: string;
  subjectId: string;
  threshold: string;
  dueAt: string;
  customerId: string | null;
  /** the entity the audit event is about (e.g. the breach, the DPA) */
  audit: { entityType: string; entityId: string };
};

export type MailText = { subject: string; text: string };

export type StaffContent = MailText & { messageKey: MessageKey; params: Record<string, string | number>; link: string };

export type SendCounts = { sent: number; failed: number };

export function emptyCounts(): SendCounts {
  return { sent: 0, failed: 0 };
}

function reminderActor(workspaceId: string): Actor {
  return { kind: "system", label: "reminders", workspaceId };
}

/**
 * Records and sends one reminder in one transaction: reminders_sent row first (ignored when it
 * exists), then the mail, the in-app notification (staff) and the audit event. Returns whether it
 * was sent now. A bad address rolls the transaction back and counts as failed.
 */
function sendOnce(
  db: Db,
  key: ReminderKey,
  recipient: { key: string; email: string; userId: string | null },
  content: MailText & { notification?: Omit<StaffContent, "subject" | "text"> },
  now: string,
  counts: SendCounts,
): boolean {
  try {
    const sent = db.transaction(
      (tx) => {
        const inserted = tx
          .insert(remindersSent)
          .values({
            id: newId(),
            workspaceId: key.workspaceId,
            kind: key.kind,
            subjectType: key.subjectType,
            subjectId: key.subjectId,
            threshold: key.threshold,
            recipient: recipient.key,
            customerId: key.customerId,
            dueAt: key.dueAt,
            sentAt: now,
          })
          .onConflictDoNothing()
          .returning({ id: remindersSent.id })
          .all();
        if (inserted.length === 0) return false;
        const mailId = enqueueMail(
          tx,
          { workspaceId: key.workspaceId, customerId: key.customerId, kind: `reminder_${key.kind}`, to: [recipient.email], subject: content.subject, text: content.text },
          now,
        );
        const notificationId =
          content.notification && recipient.userId
            ? createNotification(
                tx,
                {
                  workspaceId: key.workspaceId,
                  userId: recipient.userId,
                  kind: `reminder_${key.kind}`,
                  messageKey: content.notification.messageKey,
                  params: content.notification.params,
                  link: content.notification.link,
                  customerId: key.customerId,
                },
                now,
              )
            : null;
        appendAudit(tx, reminderActor(key.workspaceId), now, {
          action: "reminder.sent",
          entityType: key.audit.entityType,
          entityId: key.audit.entityId,
          customerId: key.customerId,
          data: { kind: key.kind, threshold: key.threshold, recipient: recipient.key, dueAt: key.dueAt, subject: content.subject, mailId, notificationId },
        });
        return true;
      },
      { behavior: "immediate" },
    );
    if (sent) counts.sent += 1;
    return sent;
  } catch (error) {
    if (error instanceof InvalidMailError) {
      counts.failed += 1;
      return false;
    }
    throw error;
  }
}

/** A staff reminder: mail in the member's language and an in-app notification. */
export function sendStaffReminder(db: Db, key: ReminderKey, member: StaffMember, content: (locale: Locale) => StaffContent, now: string, counts: SendCounts): boolean {
  const c = content(member.locale);
  return sendOnce(
    db,
    key,
    { key: `user:${member.userId}`, email: member.email, userId: member.userId },
    { subject: c.subject, text: c.text, notification: { messageKey: c.messageKey, params: c.params, link: c.link } },
    now,
    counts,
  );
}

/** A customer reminder: mail only, in the customer's language. */
export function sendCustomerReminder(db: Db, key: ReminderKey, email: string, content: MailText, now: string, counts: SendCounts): boolean {
  const address = email.trim().toLowerCase();
  if (address.length === 0) return false;
  return sendOnce(db, key, { key: `email:${address}`, email: address, userId: null }, content, now, counts);
}
