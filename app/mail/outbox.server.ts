/**
 * The transactional outbox. A message is inserted in the same transaction as the change that
 * causes it (so it exists if and only if that change committed) and is delivered later by any
 * worker: workers claim due rows with a lease in the database, so two instances never send the
 * same message while the lease holds. Every status change is written to the audit trail.
 *
 * Leases and timeouts: a worker delivers the messages it claimed concurrently, and each SMTP
 * delivery is bounded by the transport's timeouts (about two minutes at worst), well inside the
 * default lease of five minutes. A worker whose lease was taken over records nothing.
 */
import { and, desc, eq, inArray, isNull, lte, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "../../db/client";
import { outbox } from "../../db/schema";
import { afterFailedAttempt } from "~/domain/backoff";
import { can, type Actor, type Permission } from "~/domain/permissions";
import { keysetAfter } from "~/services/keyset";
import { appendAudit } from "~/services/audit.server";
import { forbidden, notFound } from "~/services/http.server";
import { newId } from "~/services/ids.server";
import type { MailAttachment, MailTransport } from "./transports.server";

export type OutboxStatus = (typeof outbox.$inferSelect)["status"];

type OutboxRow = typeof outbox.$inferSelect;

export const DEFAULT_LEASE_MS = 5 * 60_000;
export const DEFAULT_CLAIM_LIMIT = 10;
const MAX_ERROR_LENGTH = 500;
const AUDIT_ENTITY = "mail";

const singleLine = (field: string) =>
  z
    .string()
    .trim()
    .min(1, `${field} is required`)
    .refine((value) => !/[\r\n]/.test(value), `${field} must be a single line`);

const MailInputSchema = z.object({
  workspaceId: z.string().min(1).nullable(),
  customerId: z.string().min(1).nullish(),
  kind: singleLine("kind"),
  to: z
    .array(z.string().trim().email("invalid recipient address"))
    .min(1, "at least one recipient is required")
    .transform((addresses) => [...new Set(addresses)]),
  subject: singleLine("subject"),
  text: z.string(),
  attachments: z
    .array(z.object({ filename: singleLine("attachment filename"), contentType: singleLine("attachment content type"), path: z.string().min(1) }))
    .default([]),
});

export type MailInput = z.input<typeof MailInputSchema>;

export class InvalidMailError extends Error {
  constructor(issue: z.ZodIssue) {
    super(`Invalid mail: ${issue.path.join(".") || "input"}: ${issue.message}`);
    this.name = "InvalidMailError";
  }
}

/** A message held under a lease by one worker, ready to send. */
export type ClaimedMessage = {
  id: string;
  workspaceId: string | null;
  customerId: string | null;
  kind: string;
  to: string[];
  subject: string;
  text: string;
  attachments: MailAttachment[];
  attempts: number;
  leaseOwner: string;
  leaseUntil: string;
};

export type DeliveryOutcome =
  | { kind: "sent"; messageId: string }
  | { kind: "retry"; attempts: number; nextAttemptAt: string; error: string }
  | { kind: "failed"; attempts: number; error: string }
  | { kind: "lease_lost" };

export type DeliveryFailure = { messageId: string; attempts: number; error: string; willRetry: boolean };

export type OutboxRunResult = {
  sent: number;
  failed: number;
  retried: number;
  /** messages whose lease another worker took over before this one finished */
  leaseLost: number;
  failures: DeliveryFailure[];
};

export type OutboxListItem = {
  id: string;
  customerId: string | null;
  kind: string;
  to: string[];
  subject: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
};

function outboxActor(workspaceId: string | null): Actor {
  return { kind: "system", label: "outbox", workspaceId };
}

function addMs(instant: string, ms: number): string {
  return new Date(Date.parse(instant) + ms).toISOString();
}

/** One line, no stack, bounded length: safe to store and to show to an administrator. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.replace(/\s+/g, " ").trim() || "unknown error";
  return line.length > MAX_ERROR_LENGTH ? `${line.slice(0, MAX_ERROR_LENGTH - 1)}…` : line;
}

/**
 * Queues a message inside the caller's transaction and returns its id. Throws InvalidMailError
 * (and so rolls the caller's transaction back) when there is no valid recipient or a field is bad.
 */
export function enqueueMail(tx: Tx, input: MailInput, now: string): string {
  const parsed = MailInputSchema.safeParse(input);
  if (!parsed.success) throw new InvalidMailError(parsed.error.issues[0]);
  const mail = parsed.data;
  const id = newId();
  tx.insert(outbox)
    .values({
      id,
      workspaceId: mail.workspaceId,
      customerId: mail.customerId ?? null,
      kind: mail.kind,
      toAddresses: JSON.stringify(mail.to),
      subject: mail.subject,
      textBody: mail.text,
      attachments: JSON.stringify(mail.attachments),
      status: "pending",
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
    })
    .run();
  appendAudit(tx, outboxActor(mail.workspaceId), now, {
    action: "mail.queued",
    entityType: AUDIT_ENTITY,
    entityId: id,
    customerId: mail.customerId ?? null,
    data: { kind: mail.kind, to: mail.to, subject: mail.subject, attachments: mail.attachments.map((a) => a.filename) },
  });
  return id;
}

function leaseIsFree(now: string): SQL {
  return or(isNull(outbox.leaseUntil), lte(outbox.leaseUntil, now))!;
}

function toClaimedMessage(row: OutboxRow): ClaimedMessage {
  if (row.leaseOwner === null || row.leaseUntil === null) throw new Error(`Outbox message ${row.id} has no lease`);
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    customerId: row.customerId,
    kind: row.kind,
    to: JSON.parse(row.toAddresses) as string[],
    subject: row.subject,
    text: row.textBody,
    attachments: JSON.parse(row.attachments) as MailAttachment[],
    attempts: row.attempts,
    leaseOwner: row.leaseOwner,
    leaseUntil: row.leaseUntil,
  };
}

/** UPDATE … RETURNING does not promise an order: put the rows back in the order they were selected. */
function sortedLike(rows: OutboxRow[], ids: string[]): OutboxRow[] {
  const position = new Map(ids.map((id, index) => [id, index]));
  return [...rows].sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
}

/**
 * Claims up to `limit` pending messages that are due and not leased by a live worker, oldest due
 * first, in one immediate (write-locked) transaction. Returns the claimed messages.
 */
export async function claimDueMessages(
  db: Db,
  options: { owner: string; now: string; leaseMs: number; limit: number },
): Promise<ClaimedMessage[]> {
  const { owner, now, leaseMs, limit } = options;
  const claimable = and(eq(outbox.status, "pending"), lte(outbox.nextAttemptAt, now), leaseIsFree(now));
  const { ids, rows } = db.transaction(
    (tx) => {
      const ids = tx
        .select({ id: outbox.id })
        .from(outbox)
        .where(claimable)
        .orderBy(outbox.nextAttemptAt, outbox.createdAt, outbox.id)
        .limit(limit)
        .all()
        .map((row) => row.id);
      if (ids.length === 0) return { ids, rows: [] as OutboxRow[] };
      const claimed = tx
        .update(outbox)
        .set({ leaseOwner: owner, leaseUntil: addMs(now, leaseMs) })
        .where(and(inArray(outbox.id, ids), claimable))
        .returning()
        .all();
      return { ids, rows: claimed };
    },
    { behavior: "immediate" },
  );
  return sortedLike(rows, ids).map(toClaimedMessage);
}

/** The row is still pending under exactly this claim (same owner, same lease). */
function heldByClaimant(message: ClaimedMessage): SQL {
  return and(
    eq(outbox.id, message.id),
    eq(outbox.status, "pending"),
    eq(outbox.leaseOwner, message.leaseOwner),
    eq(outbox.leaseUntil, message.leaseUntil),
  )!;
}

function stillHoldsLease(db: Db, message: ClaimedMessage, now: string): boolean {
  if (now >= message.leaseUntil) return false;
  return db.select({ id: outbox.id }).from(outbox).where(heldByClaimant(message)).get() !== undefined;
}

function auditFor(message: ClaimedMessage) {
  return { entityType: AUDIT_ENTITY, entityId: message.id, customerId: message.customerId };
}

function recordSent(db: Db, message: ClaimedMessage, now: string, sent: { messageId: string; rejected: string[] }): boolean {
  return db.transaction(
    (tx) => {
      const updated = tx
        .update(outbox)
        .set({ status: "sent", sentAt: now, messageId: sent.messageId, attempts: message.attempts + 1, leaseOwner: null, leaseUntil: null })
        .where(heldByClaimant(message))
        .returning({ id: outbox.id })
        .all();
      if (updated.length === 0) return false;
      appendAudit(tx, outboxActor(message.workspaceId), now, {
        action: "mail.sent",
        ...auditFor(message),
        data: { kind: message.kind, to: message.to, subject: message.subject, messageId: sent.messageId, rejected: sent.rejected, attempts: message.attempts + 1 },
      });
      return true;
    },
    { behavior: "immediate" },
  );
}

function recordFailure(db: Db, message: ClaimedMessage, now: string, error: string): DeliveryOutcome {
  const attempts = message.attempts + 1;
  const next = afterFailedAttempt(attempts, now);
  const outcome: DeliveryOutcome =
    next.kind === "retry" ? { kind: "retry", attempts, nextAttemptAt: next.nextAttemptAt, error } : { kind: "failed", attempts, error };
  return db.transaction(
    (tx) => {
      const updated = tx
        .update(outbox)
        .set({
          status: outcome.kind === "failed" ? "failed" : "pending",
          attempts,
          lastError: error,
          ...(outcome.kind === "retry" ? { nextAttemptAt: outcome.nextAttemptAt } : {}),
          leaseOwner: null,
          leaseUntil: null,
        })
        .where(heldByClaimant(message))
        .returning({ id: outbox.id })
        .all();
      if (updated.length === 0) return { kind: "lease_lost" } as const;
      appendAudit(tx, outboxActor(message.workspaceId), now, {
        action: outcome.kind === "failed" ? "mail.failed" : "mail.retry_scheduled",
        ...auditFor(message),
        data: { kind: message.kind, attempts, error, ...(outcome.kind === "retry" ? { nextAttemptAt: outcome.nextAttemptAt } : {}) },
      });
      return outcome;
    },
    { behavior: "immediate" },
  );
}

/**
 * Sends one claimed message and records the result: sent, retry later (exponential backoff), or
 * failed after MAX_ATTEMPTS. Nothing is sent or recorded once another worker holds the lease.
 */
export async function deliverClaimed(
  db: Db,
  transport: MailTransport,
  message: ClaimedMessage,
  options: { now: string; from: string },
): Promise<DeliveryOutcome> {
  const { now, from } = options;
  if (!stillHoldsLease(db, message, now)) return { kind: "lease_lost" };
  let sent: { messageId: string; rejected: string[] };
  try {
    sent = await transport.send({ from, to: message.to, subject: message.subject, text: message.text, attachments: message.attachments });
  } catch (error) {
    return recordFailure(db, message, now, describeError(error));
  }
  return recordSent(db, message, now, sent) ? { kind: "sent", messageId: sent.messageId } : { kind: "lease_lost" };
}

function emptyRunResult(): OutboxRunResult {
  return { sent: 0, failed: 0, retried: 0, leaseLost: 0, failures: [] };
}

function tally(result: OutboxRunResult, messageId: string, outcome: DeliveryOutcome): void {
  switch (outcome.kind) {
    case "sent":
      result.sent += 1;
      return;
    case "retry":
      result.retried += 1;
      result.failures.push({ messageId, attempts: outcome.attempts, error: outcome.error, willRetry: true });
      return;
    case "failed":
      result.failed += 1;
      result.failures.push({ messageId, attempts: outcome.attempts, error: outcome.error, willRetry: false });
      return;
    case "lease_lost":
      result.leaseLost += 1;
      return;
  }
}

/** Claims one batch of due messages and delivers them concurrently. */
export async function runOutboxOnce(
  db: Db,
  transport: MailTransport,
  options: { owner: string; now: string; from: string; leaseMs?: number; limit?: number },
): Promise<OutboxRunResult> {
  const { owner, now, from, leaseMs = DEFAULT_LEASE_MS, limit = DEFAULT_CLAIM_LIMIT } = options;
  const claimed = await claimDueMessages(db, { owner, now, leaseMs, limit });
  const outcomes = await Promise.all(claimed.map((message) => deliverClaimed(db, transport, message, { now, from })));
  const result = emptyRunResult();
  outcomes.forEach((outcome, index) => tally(result, claimed[index].id, outcome));
  return result;
}

/** Portal users get 404 (no hint that staff pages exist); staff without the permission get 403. */
function requireWorkspace(actor: Actor, permission: Permission): string {
  if (actor.kind === "portal") throw notFound();
  if (!can(actor, permission) || actor.workspaceId === null) throw forbidden();
  return actor.workspaceId;
}

function conflict(message: string): Response {
  return new Response(message, { status: 409, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

function badRequest(message: string): Response {
  return new Response(message, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** What was requeued, for the administrator's confirmation notice. */
export type RequeuedMessage = { id: string; to: string[]; subject: string };

/**
 * An administrator puts a failed message back in the queue: pending, attempts reset, due now.
 * Throws 403 without workspace:admin, 404 for a message outside the actor's workspace, and 409 for
 * a message that has not failed.
 */
export async function retryFailedMessage(db: Db, actor: Actor, messageId: string, now: string): Promise<RequeuedMessage> {
  const workspaceId = requireWorkspace(actor, "workspace:admin");
  return db.transaction(
    (tx) => {
      const row = tx
        .select()
        .from(outbox)
        .where(and(eq(outbox.id, messageId), eq(outbox.workspaceId, workspaceId)))
        .get();
      if (!row) throw notFound();
      if (row.status !== "failed") throw conflict("Only a failed message can be retried.");
      tx.update(outbox)
        .set({ status: "pending", attempts: 0, nextAttemptAt: now, leaseOwner: null, leaseUntil: null })
        .where(and(eq(outbox.id, messageId), eq(outbox.status, "failed")))
        .run();
      appendAudit(tx, actor, now, {
        action: "mail.requeued",
        entityType: AUDIT_ENTITY,
        entityId: row.id,
        customerId: row.customerId,
        data: { kind: row.kind, previousAttempts: row.attempts, lastError: row.lastError },
      });
      return { id: row.id, to: JSON.parse(row.toAddresses) as string[], subject: row.subject };
    },
    { behavior: "immediate" },
  );
}

const CursorSchema = z.object({ createdAt: z.string().min(1), id: z.string().min(1) });

type Cursor = z.infer<typeof CursorSchema>;

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

function decodeCursor(cursor: string): Cursor {
  try {
    return CursorSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw badRequest("Invalid page cursor.");
  }
}

function toListItem(row: OutboxRow): OutboxListItem {
  return {
    id: row.id,
    customerId: row.customerId,
    kind: row.kind,
    to: JSON.parse(row.toAddresses) as string[],
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastError: row.lastError,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
  };
}

export const MAX_LIST_LIMIT = 100;

/**
 * The workspace's outbox, newest first, keyset-paginated by (created_at, id). Pass the returned
 * `nextCursor` to get the following page; it is null on the last page.
 */
export async function listOutbox(
  db: Db,
  actor: Actor,
  options: { status?: OutboxStatus; cursor?: string | null; limit: number },
): Promise<{ items: OutboxListItem[]; nextCursor: string | null }> {
  const workspaceId = requireWorkspace(actor, "workspace:read");
  const limit = Math.min(Math.max(Math.trunc(options.limit), 1), MAX_LIST_LIMIT);
  const after = options.cursor ? decodeCursor(options.cursor) : null;
  const rows = db
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.workspaceId, workspaceId),
        options.status ? eq(outbox.status, options.status) : undefined,
        after
          ? keysetAfter(outbox.createdAt, outbox.id, { value: after.createdAt, id: after.id }, "desc")
          : undefined,
      ),
    )
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toListItem),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
  };
}

/** One message as the mailbox shows it: the list fields plus its text body and attachment names. */
export type OutboxMessage = OutboxListItem & {
  /** the body, or WITHHELD_BODY for a personal sign-in link read by someone else */
  text: string;
  withheld: boolean;
  /** the Message-ID header, once sent */
  messageId: string | null;
  /** file names and types only: where the file lives on the server is none of the reader's business */
  attachments: Array<{ filename: string; contentType: string }>;
};

/**
 * One message of the actor's workspace with its text body. Staff with workspace:read; a message of
 * another workspace, an unknown id and a portal user all get 404.
 */
/**
 * Kinds of mail that carry a personal, single-use sign-in link (invitations, password resets).
 * Their body is shown only to a recipient: anyone else reading the mailbox could otherwise take
 * over the account the link is for.
 */
export const PERSONAL_LINK_KINDS: ReadonlySet<string> = new Set(["password_reset", "staff_invitation", "portal_invitation"]);

export const WITHHELD_BODY = "[withheld: this message contains a personal sign-in link and is shown only to its recipient]";

export async function getOutboxMessage(db: Db, actor: Actor, id: string): Promise<OutboxMessage> {
  const workspaceId = requireWorkspace(actor, "workspace:read");
  const row = db
    .select()
    .from(outbox)
    .where(and(eq(outbox.id, id), eq(outbox.workspaceId, workspaceId)))
    .get();
  if (!row) throw notFound();
  const attachments = JSON.parse(row.attachments) as MailAttachment[];
  const recipients = (JSON.parse(row.toAddresses) as string[]).map((a) => a.toLowerCase());
  const viewer = actor.kind === "system" || actor.kind === "auditor_link" ? null : actor.email.toLowerCase();
  const withheld = PERSONAL_LINK_KINDS.has(row.kind) && (!viewer || !recipients.includes(viewer));
  return {
    ...toListItem(row),
    text: withheld ? WITHHELD_BODY : row.textBody,
    withheld,
    messageId: row.messageId,
    attachments: attachments.map((a) => ({ filename: a.filename, contentType: a.contentType })),
  };
}
