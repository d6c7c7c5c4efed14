import { and, asc, desc, eq, gt } from "drizzle-orm";
import { auditEvents } from "../../db/schema";
import type { Db, Tx } from "../../db/client";
import { hashAuditEvent, GENESIS_HASH, verifyChain, type ChainVerification, type StoredAuditEvent } from "~/domain/audit-chain";
import { actorLabel, actorUserId, type Actor } from "~/domain/permissions";

export type AuditInput = {
  action: string;
  entityType: string;
  entityId?: string | null;
  customerId?: string | null;
  /** the change: fields written, or { before, after } */
  data?: unknown;
};

export function chainKeyFor(workspaceId: string | null): string {
  return workspaceId ?? "system";
}

/**
 * Appends one event to the workspace's hash chain. Call it inside the transaction that makes the
 * change (transactions are opened with behavior "immediate", so two writers never read the same
 * chain head).
 */
export function appendAudit(tx: Tx | Db, actor: Actor, now: string, input: AuditInput): void {
  const workspaceId = actor.workspaceId;
  const chainKey = chainKeyFor(workspaceId);
  const head = tx
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .where(eq(auditEvents.chainKey, chainKey))
    .orderBy(desc(auditEvents.seq))
    .limit(1)
    .get();
  const fields = {
    chainKey,
    seq: (head?.seq ?? 0) + 1,
    workspaceId,
    actorUserId: actorUserId(actor),
    actorLabel: actorLabel(actor),
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId ?? null,
    customerId: input.customerId ?? null,
    at: now,
    data: JSON.stringify(input.data ?? {}),
  };
  const prevHash = head?.hash ?? GENESIS_HASH;
  tx.insert(auditEvents)
    .values({ ...fields, prevHash, hash: hashAuditEvent(prevHash, fields) })
    .run();
}

/** Reads a chain in pages so that a million events are never in memory at once. */
function* chainEvents(db: Db, chainKey: string, pageSize = 5000): Generator<StoredAuditEvent> {
  let afterSeq = 0;
  for (;;) {
    const page = db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.chainKey, chainKey), gt(auditEvents.seq, afterSeq)))
      .orderBy(asc(auditEvents.seq))
      .limit(pageSize)
      .all();
    if (page.length === 0) return;
    for (const row of page) yield row;
    afterSeq = page[page.length - 1].seq;
  }
}

export function verifyAuditChain(db: Db, workspaceId: string | null): ChainVerification {
  return verifyChain(chainEvents(db, chainKeyFor(workspaceId)));
}
