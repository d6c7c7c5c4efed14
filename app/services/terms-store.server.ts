/**
 * Reading a workspace's terms from the database for many customers at once: every profile version
 * parsed once, and the negotiated deviations grouped per customer. The breach clocks, sub-processor
 * notices, reminders and the deadline collector all resolve effective terms from these.
 */
import { eq } from "drizzle-orm";
import type { Db, Tx } from "../../db/client";
import { termsVersions, type termDeviations } from "../../db/schema";
import { termsProfileSchema, type StoredDeviation, type TermsProfile } from "~/domain/terms";

type Handle = Db | Tx;

export type TermsVersionEntry = { version: number; profile: TermsProfile | null };

/** The workspace's terms versions by id, each profile parsed (null when it does not validate). */
export function termsVersionsOf(db: Handle, workspaceId: string): Map<string, TermsVersionEntry> {
  const versions = new Map<string, TermsVersionEntry>();
  for (const row of db.select().from(termsVersions).where(eq(termsVersions.workspaceId, workspaceId)).all()) {
    let profile: TermsProfile | null = null;
    try {
      profile = termsProfileSchema.parse(JSON.parse(row.content));
    } catch {
      profile = null;
    }
    versions.set(row.id, { version: row.version, profile });
  }
  return versions;
}

/** A stored deviation row as the terms domain takes it (an unreadable value as null). */
export function storedDeviation(row: typeof termDeviations.$inferSelect): StoredDeviation {
  let value: unknown = null;
  try {
    value = JSON.parse(row.value);
  } catch {
    value = null;
  }
  return { field: row.field, value, reason: row.reason, clause: row.clause };
}

/** Adds each deviation row to its customer's list. */
export function groupDeviations(rows: (typeof termDeviations.$inferSelect)[], into = new Map<string, StoredDeviation[]>()): Map<string, StoredDeviation[]> {
  for (const row of rows) into.set(row.customerId, [...(into.get(row.customerId) ?? []), storedDeviation(row)]);
  return into;
}
