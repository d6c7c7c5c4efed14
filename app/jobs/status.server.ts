/**
 * The admins' view of the background jobs: per job its last start and finish, last success, next
 * run, who holds the lease, run and failure counts, the last error and the last run's counts; and
 * "run now", which makes the job due at once (the next instance to look claims it).
 */
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { jobRuns } from "../../db/schema";
import { can, type Actor } from "~/domain/permissions";
import { appendAudit } from "~/services/audit.server";
import { forbidden, notFound } from "~/services/http.server";
import { JOB_INTERVALS, JOB_NAMES, isJobName, type JobName } from "./registry";
import { ensureJobRow } from "./scheduler.server";

export type JobState = "new" | "ok" | "failing";

export type JobStatus = {
  name: JobName;
  intervalMs: number;
  state: JobState;
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  lastSucceededAt: string | null;
  nextRunAt: string | null;
  /** the instance running it now (a live lease), else null */
  runningOn: string | null;
  runningSince: string | null;
  runCount: number;
  failureCount: number;
  lastError: string | null;
  lastErrorAt: string | null;
  lastResult: Record<string, number> | null;
};

function requireAdmin(actor: Actor): void {
  if (actor.kind === "portal") throw notFound();
  if (actor.kind !== "staff" || !can(actor, "workspace:admin")) throw forbidden();
}

function parseResult(text: string | null): Record<string, number> | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== "object" || value === null) return null;
    return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === "number"));
  } catch {
    return null;
  }
}

/** Every known job, in registry order, with its row (or "new" when it never ran on this database). */
export async function listJobStatus(db: Db, actor: Actor, now: string): Promise<JobStatus[]> {
  requireAdmin(actor);
  const rows = new Map(db.select().from(jobRuns).all().map((row) => [row.name, row]));
  return JOB_NAMES.map((name) => {
    const row = rows.get(name);
    const leaseLive = row?.leaseOwner && row.leaseUntil && row.leaseUntil > now;
    const failing = row?.lastErrorAt && (!row.lastSucceededAt || row.lastErrorAt > row.lastSucceededAt);
    return {
      name,
      intervalMs: JOB_INTERVALS[name],
      state: !row || row.runCount === 0 ? "new" : failing ? "failing" : "ok",
      lastStartedAt: row?.lastStartedAt ?? null,
      lastFinishedAt: row?.lastFinishedAt ?? null,
      lastSucceededAt: row?.lastSucceededAt ?? null,
      nextRunAt: row?.nextRunAt ?? null,
      runningOn: leaseLive ? row.leaseOwner : null,
      runningSince: leaseLive ? row.lastStartedAt : null,
      runCount: row?.runCount ?? 0,
      failureCount: row?.failureCount ?? 0,
      lastError: row?.lastError ?? null,
      lastErrorAt: row?.lastErrorAt ?? null,
      lastResult: parseResult(row?.lastResult ?? null),
    };
  });
}

/** "Run now": the job becomes due at `now`; a run in progress finishes first. Audited in the admin's workspace. */
export async function requestJobRun(db: Db, actor: Actor, name: string, now: string): Promise<{ name: JobName }> {
  requireAdmin(actor);
  if (!isJobName(name)) throw notFound();
  return db.transaction(
    (tx) => {
      ensureJobRow(tx, name, now);
      const before = tx.select({ nextRunAt: jobRuns.nextRunAt }).from(jobRuns).where(eq(jobRuns.name, name)).get();
      tx.update(jobRuns).set({ nextRunAt: now }).where(eq(jobRuns.name, name)).run();
      appendAudit(tx, actor, now, { action: "job.run_requested", entityType: "job", entityId: name, data: { before: before?.nextRunAt ?? null, after: now } });
      return { name };
    },
    { behavior: "immediate" },
  );
}
