/**
 * The scheduler: every job has one row in job_runs, and an instance runs a job only after it
 * claimed that row with a conditional UPDATE (due: next_run_at <= now; free: no lease or an
 * expired one). SQLite serialises the UPDATEs, so of several instances on one database exactly one
 * gets the row; the others see zero rows changed and wait. A run records its start, finish,
 * success or error and counts, and moves next_run_at on by the job's interval. A job whose
 * next_run_at passed while no instance was up is due at once when one starts (catch-up).
 *
 * A lease is renewed while the run lasts; an instance that dies mid-run leaves a lease that
 * expires after `leaseMs`, after which another instance takes the job over. Nothing here keeps
 * state another instance needs: the rows are the schedule.
 */
import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Db, Tx } from "../../db/client";
import { jobRuns } from "../../db/schema";

/** What a run did, e.g. { sent: 3, failed: 0 }; stored as the job's last result. */
export type JobSummary = Record<string, number>;

export type ScheduledJob = {
  name: string;
  intervalMs: number;
  /** `signal` is aborted when the scheduler stops; a long run should end at the next safe point. */
  run(now: string, signal: AbortSignal): Promise<JobSummary | void>;
};

export type JobLog = (line: string) => void;

export const DEFAULT_LEASE_MS = 5 * 60_000;
/** The longest an idle instance sleeps before it looks at the rows again ("run now", dead leases). */
export const DEFAULT_POLL_MS = 15_000;
const MAX_ERROR_LENGTH = 500;

const isoNow = () => new Date().toISOString();
const logToStderr: JobLog = (line) => console.error(line);

function addMs(instant: string, ms: number): string {
  return new Date(Date.parse(instant) + ms).toISOString();
}

export function errorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.replace(/\s+/g, " ").trim() || "unknown error";
  return line.length > MAX_ERROR_LENGTH ? `${line.slice(0, MAX_ERROR_LENGTH - 1)}…` : line;
}

/** Identifies this process in lease rows: readable for operators, unique across restarts. */
export function workerOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

type JobRow = typeof jobRuns.$inferSelect;

/** Creates the job's row, due at once, when it has none; an existing row keeps its schedule. */
export function ensureJobRow(db: Db | Tx, name: string, now: string): void {
  db.insert(jobRuns).values({ name, nextRunAt: now }).onConflictDoNothing().run();
}

export type Claim = { name: string; owner: string; leaseUntil: string; startedAt: string; nextRunAt: string };

/**
 * Claims the job when it is due and nobody holds a live lease: one conditional UPDATE, so two
 * instances can never both succeed. Returns null when the job is not due or another instance runs it.
 */
export function claimJob(db: Db, name: string, options: { owner: string; now: string; leaseMs: number }): Claim | null {
  const { owner, now, leaseMs } = options;
  const leaseUntil = addMs(now, leaseMs);
  const row = db
    .update(jobRuns)
    .set({ leaseOwner: owner, leaseUntil, lastStartedAt: now })
    .where(and(eq(jobRuns.name, name), lte(jobRuns.nextRunAt, now), or(isNull(jobRuns.leaseUntil), lte(jobRuns.leaseUntil, now))))
    .returning()
    .get();
  return row ? { name, owner, leaseUntil, startedAt: now, nextRunAt: row.nextRunAt } : null;
}

/** Extends a held lease; false when the lease was lost (expired and taken over). */
export function renewLease(db: Db, claim: Claim, options: { now: string; leaseMs: number }): boolean {
  const leaseUntil = addMs(options.now, options.leaseMs);
  const row = db
    .update(jobRuns)
    .set({ leaseUntil })
    .where(and(eq(jobRuns.name, claim.name), eq(jobRuns.leaseOwner, claim.owner)))
    .returning({ name: jobRuns.name })
    .get();
  if (row) claim.leaseUntil = leaseUntil;
  return row !== undefined;
}

export type RunOutcome = { ok: true; summary: JobSummary } | { ok: false; error: string };

/**
 * Records the end of a run and releases the lease. next_run_at moves to finish + interval, unless
 * someone asked for a run meanwhile ("run now" changed next_run_at): that request is kept.
 * Records nothing when another instance holds the lease by now.
 */
export function finishJob(db: Db, claim: Claim, outcome: RunOutcome, options: { now: string; intervalMs: number }): boolean {
  const { now, intervalMs } = options;
  const next = addMs(now, intervalMs);
  const row = db
    .update(jobRuns)
    .set({
      leaseOwner: null,
      leaseUntil: null,
      lastFinishedAt: now,
      runCount: sql`${jobRuns.runCount} + 1`,
      nextRunAt: sql`case when ${jobRuns.nextRunAt} = ${claim.nextRunAt} then ${next} else ${jobRuns.nextRunAt} end`,
      ...(outcome.ok
        ? { lastSucceededAt: now, lastResult: JSON.stringify(outcome.summary) }
        : { lastError: outcome.error, lastErrorAt: now, failureCount: sql`${jobRuns.failureCount} + 1`, lastResult: null }),
    })
    .where(and(eq(jobRuns.name, claim.name), eq(jobRuns.leaseOwner, claim.owner)))
    .returning({ name: jobRuns.name })
    .get();
  return row !== undefined;
}

export function jobRow(db: Db, name: string): JobRow | undefined {
  return db.select().from(jobRuns).where(eq(jobRuns.name, name)).get();
}

export type RunOptions = {
  owner: string;
  clock?: () => string;
  leaseMs?: number;
  log?: JobLog;
  signal?: AbortSignal;
};

/**
 * Claims and runs one job if it is due. Returns whether this instance ran it. A run that throws
 * is recorded (last error, failure count) and logged as one line; it never throws itself.
 */
export async function runJobIfDue(db: Db, job: ScheduledJob, options: RunOptions): Promise<boolean> {
  const clock = options.clock ?? isoNow;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const log = options.log ?? logToStderr;
  const signal = options.signal ?? new AbortController().signal;
  const startedAt = clock();
  // read first: an instance that finds the job not due (the common case) takes no write lock
  const row = jobRow(db, job.name);
  if (!row) ensureJobRow(db, job.name, startedAt);
  else if (row.nextRunAt > startedAt || (row.leaseUntil !== null && row.leaseUntil > startedAt)) return false;
  const claim = claimJob(db, job.name, { owner: options.owner, now: startedAt, leaseMs });
  if (!claim) return false;
  // renew the lease a few times per lease period while the run lasts
  const heartbeat = setInterval(() => {
    try {
      renewLease(db, claim, { now: clock(), leaseMs });
    } catch (error) {
      log(`[jobs] ${job.name}: lease renewal failed: ${errorLine(error)}`);
    }
  }, Math.max(10, Math.floor(leaseMs / 3)));
  let outcome: RunOutcome;
  try {
    const summary = await job.run(startedAt, signal);
    outcome = { ok: true, summary: summary ?? {} };
  } catch (error) {
    outcome = { ok: false, error: errorLine(error) };
    log(`[jobs] ${job.name} failed: ${outcome.error}`);
  } finally {
    clearInterval(heartbeat);
  }
  if (!finishJob(db, claim, outcome, { now: clock(), intervalMs: job.intervalMs })) {
    log(`[jobs] ${job.name}: lost the lease to another instance before the run was recorded`);
  }
  return true;
}

/** One pass over every job: runs each one that is due (in order). Returns the names this instance ran. */
export async function runDueJobs(db: Db, jobs: readonly ScheduledJob[], options: RunOptions): Promise<string[]> {
  const ran: string[] = [];
  for (const job of jobs) {
    if (options.signal?.aborted) break;
    if (await runJobIfDue(db, job, options)) ran.push(job.name);
  }
  return ran;
}

/** How long to sleep before looking at the job again: until it is due or its lease ends, at most pollMs. */
function delayUntilDue(db: Db, name: string, now: string, pollMs: number): number {
  const row = jobRow(db, name);
  if (!row) return 0;
  const due = Math.max(Date.parse(row.nextRunAt), row.leaseUntil ? Date.parse(row.leaseUntil) : 0);
  return Math.min(Math.max(due - Date.parse(now), 0), pollMs);
}

export type SchedulerOptions = {
  db: Db;
  /** the lease owner name of this instance; defaults to host:pid:random */
  owner?: string;
  log?: JobLog;
  clock?: () => string;
  leaseMs?: number;
  pollMs?: number;
};

/**
 * Starts one loop per job: claim when due, run, record, sleep until next due (never longer than
 * pollMs). Never two runs of one job at once, in this instance or any other. The returned function
 * stops the timers and resolves once every run in flight has finished and been recorded.
 */
export function startScheduler(jobs: ScheduledJob[], options: SchedulerOptions): () => Promise<void> {
  const { db } = options;
  const owner = options.owner ?? workerOwnerId();
  const log = options.log ?? logToStderr;
  const clock = options.clock ?? isoNow;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const stopping = new AbortController();
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();

  const schedule = (job: ScheduledJob, delayMs: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      let next = pollMs;
      const run = runJobIfDue(db, job, { owner, clock, leaseMs: options.leaseMs, log, signal: stopping.signal })
        .then(() => {
          next = delayUntilDue(db, job.name, clock(), pollMs);
        })
        .catch((error: unknown) => log(`[jobs] ${job.name}: scheduler error: ${errorLine(error)}`))
        .finally(() => {
          inFlight.delete(run);
          if (!stopping.signal.aborted) schedule(job, next);
        });
      inFlight.add(run);
    }, delayMs);
    timers.add(timer);
  };

  for (const job of jobs) schedule(job, 0);

  return async () => {
    stopping.abort();
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    await Promise.all(inFlight);
  };
}
