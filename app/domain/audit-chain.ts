/**
 * Tamper evidence for the audit trail: every event's hash covers its own fields and the hash of
 * the event before it in the same chain. Pure: hashing uses node:crypto only.
 */
import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export type AuditEventFields = {
  chainKey: string;
  seq: number;
  workspaceId: string | null;
  actorUserId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  customerId: string | null;
  at: string;
  data: string;
};

export type StoredAuditEvent = AuditEventFields & { id: number; prevHash: string; hash: string };

export function hashAuditEvent(prevHash: string, e: AuditEventFields): string {
  const canonical = JSON.stringify([
    prevHash,
    e.chainKey,
    e.seq,
    e.workspaceId,
    e.actorUserId,
    e.actorLabel,
    e.action,
    e.entityType,
    e.entityId,
    e.customerId,
    e.at,
    e.data,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

export type ChainBreak = {
  id: number;
  seq: number;
  reason: "sequence_gap" | "prev_hash_mismatch" | "hash_mismatch";
};

export type ChainVerification = { ok: true; checked: number } | { ok: false; checked: number; firstBroken: ChainBreak };

/**
 * Walks events in seq order (an iterable, so a million events need not be in memory) and names the
 * first event whose position, link or content does not match.
 */
export function verifyChain(events: Iterable<StoredAuditEvent>): ChainVerification {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (const e of events) {
    if (e.seq !== expectedSeq) return { ok: false, checked, firstBroken: { id: e.id, seq: e.seq, reason: "sequence_gap" } };
    if (e.prevHash !== prevHash) return { ok: false, checked, firstBroken: { id: e.id, seq: e.seq, reason: "prev_hash_mismatch" } };
    if (hashAuditEvent(e.prevHash, e) !== e.hash) return { ok: false, checked, firstBroken: { id: e.id, seq: e.seq, reason: "hash_mismatch" } };
    prevHash = e.hash;
    expectedSeq += 1;
    checked += 1;
  }
  return { ok: true, checked };
}
