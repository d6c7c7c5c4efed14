/**
 * Background jobs: a small scheduler that runs each job every `intervalMs`, never two runs of the
 * same job at once, and a stop function that waits for the runs in flight. Jobs keep no state in
 * memory that another instance would need: each run claims its work in the database (outbox
 * leases), so the web server and any number of `npm run worker` processes can run side by side.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Db } from "../../db/client";
import type { Config } from "~/config.server";
import { DEFAULT_CLAIM_LIMIT, runOutboxOnce, type OutboxRunResult } from "~/mail/outbox.server";
import { applyDueSubprocessorChanges } from "~/services/subprocessors.server";
import { transportFor, type MailTransport } from "~/mail/transports.server";

export type ScheduledJob = {
  name: string;
  intervalMs: number;
  /** `signal` is aborted when the scheduler stops; a long run should end at the next safe point. */
  run(now: string, signal: AbortSignal): Promise<void>;
};

export type JobLog = (line: string) => void;

export const DEFAULT_JOB_INTERVAL_MS = 5_000;

const logToStderr: JobLog = (line) => console.error(line);

const isoNow = () => new Date().toISOString();

function errorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, " ").trim();
}

/** Identifies this process in lease rows: readable for operators, unique across restarts. */
export function workerOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

/**
 * Runs every job right away and then `intervalMs` after the previous run ended. A run that throws
 * is logged as one line and the job keeps its schedule. The returned function stops the timers and
 * resolves once every run in flight has finished.
 */
export function startScheduler(
  jobs: ScheduledJob[],
  options: { log?: JobLog; clock?: () => string } = {},
): () => Promise<void> {
  const log = options.log ?? logToStderr;
  const clock = options.clock ?? isoNow;
  const stopping = new AbortController();
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();

  const schedule = (job: ScheduledJob, delayMs: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      const run = Promise.resolve()
        .then(() => job.run(clock(), stopping.signal))
        .catch((error: unknown) => log(`[jobs] ${job.name} failed: ${errorLine(error)}`))
        .finally(() => {
          inFlight.delete(run);
          if (!stopping.signal.aborted) schedule(job, job.intervalMs);
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

function claimedCount(result: OutboxRunResult): number {
  return result.sent + result.failed + result.retried + result.leaseLost;
}

function logOutboxResult(log: JobLog, result: OutboxRunResult): void {
  for (const failure of result.failures) {
    const next = failure.willRetry ? "will retry" : "marked failed";
    log(`[jobs] outbox: message ${failure.messageId} attempt ${failure.attempts} failed (${next}): ${failure.error}`);
  }
  if (result.leaseLost > 0) log(`[jobs] outbox: lost the lease on ${result.leaseLost} message(s) to another worker`);
}

/** Delivers due mail in batches until a batch comes back short (the queue is drained) or the scheduler stops. */
export function outboxDeliveryJob(deps: {
  db: Db;
  transport: MailTransport;
  from: string;
  owner: string;
  intervalMs: number;
  log: JobLog;
  clock?: () => string;
}): ScheduledJob {
  const clock = deps.clock ?? isoNow;
  return {
    name: "outbox",
    intervalMs: deps.intervalMs,
    async run(now, signal) {
      for (let batchNow = now; !signal.aborted; batchNow = clock()) {
        const result = await runOutboxOnce(deps.db, deps.transport, {
          owner: deps.owner,
          now: batchNow,
          from: deps.from,
          limit: DEFAULT_CLAIM_LIMIT,
        });
        logOutboxResult(deps.log, result);
        if (claimedCount(result) < DEFAULT_CLAIM_LIMIT) return;
      }
    },
  };
}

export type BackgroundJobOptions = {
  intervalMs?: number;
  log?: JobLog;
  /** defaults to transportFor(config): SMTP when SMTP_URL is set, else .eml files in the mail folder */
  transport?: MailTransport;
  clock?: () => string;
};

/** Starts every background job of DPA Desk; returns a function that stops them and waits for runs in flight. */
export function startBackgroundJobs(db: Db, config: Config, options: BackgroundJobOptions = {}): () => Promise<void> {
  const log = options.log ?? logToStderr;
  const jobs: ScheduledJob[] = [
    outboxDeliveryJob({
      db,
      transport: options.transport ?? transportFor(config),
      from: config.mailFrom,
      owner: workerOwnerId(),
      intervalMs: options.intervalMs ?? DEFAULT_JOB_INTERVAL_MS,
      log,
      clock: options.clock,
    }),
    {
      // a sub-processor change takes effect on its start date even when nobody opens a page;
      // applying is idempotent inside one write transaction, so several instances may run it
      name: "subprocessor-changes",
      intervalMs: 60_000,
      async run(now) {
        const applied = await applyDueSubprocessorChanges(db, now);
        if (applied > 0) log(`subprocessor-changes: ${applied} change(s) took effect`);
      },
    },
  ];
  return startScheduler(jobs, { log, clock: options.clock });
}
