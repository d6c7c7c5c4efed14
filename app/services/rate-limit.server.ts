/** Counting events per key in a time window (rate_events), shared by sign-in and subscription throttling. */
import { and, count, eq, gt, lt } from "drizzle-orm";
import type { Db, Tx } from "../../db/client";
import { rateEvents } from "../../db/schema";

/** Events are kept one day; no limit here counts further back. */
const RETENTION_MS = 86_400_000;

export function eventsSince(db: Db | Tx, key: string, since: string): number {
  return db
    .select({ n: count() })
    .from(rateEvents)
    .where(and(eq(rateEvents.key, key), gt(rateEvents.at, since)))
    .get()!.n;
}

/** Records one event for each key and prunes what no window needs any more. */
export function recordEvents(tx: Db | Tx, keys: readonly string[], at: string): void {
  for (const key of keys) tx.insert(rateEvents).values({ key, at }).run();
  tx.delete(rateEvents)
    .where(lt(rateEvents.at, new Date(Date.parse(at) - RETENTION_MS).toISOString()))
    .run();
}
