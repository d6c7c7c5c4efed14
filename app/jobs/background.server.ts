/**
 * The background jobs of DPA Desk, run by the lease scheduler (scheduler.server.ts): outbox
 * delivery, sub-processor changes taking effect, the reminder jobs and end-of-contract
 * housekeeping. The web server starts them (unless START_WORKERS=false) and `npm run worker` runs
 * them in a process of its own; any number of instances may run against one database, each job
 * run being claimed by exactly one of them.
 */
import type { Db } from "../../db/client";
import type { Config } from "~/config.server";
import { DEFAULT_CLAIM_LIMIT, runOutboxOnce, type OutboxRunResult } from "~/mail/outbox.server";
import { transportFor, type MailTransport } from "~/mail/transports.server";
import {
  runBreachReminders,
  runContractNoticeReminders,
  runDpaSignatureReminders,
  runEndOfContractReminders,
  runObjectionWindowReminders,
  type ReminderContext,
} from "~/services/reminder-jobs.server";
import type { SendCounts } from "~/services/reminders.server";
import { runEndOfContractHousekeeping } from "~/services/end-of-contract.server";
import { applyDueSubprocessorChanges } from "~/services/subprocessors.server";
import { JOB_INTERVALS, type JobName } from "./registry";
import { startScheduler, workerOwnerId, type JobLog, type JobSummary, type ScheduledJob } from "./scheduler.server";

export { runDueJobs, runJobIfDue, startScheduler, workerOwnerId } from "./scheduler.server";
export type { JobLog, JobSummary, ScheduledJob } from "./scheduler.server";

export const DEFAULT_JOB_INTERVAL_MS = JOB_INTERVALS.outbox;

const logToStderr: JobLog = (line) => console.error(line);

const isoNow = () => new Date().toISOString();

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
      const total = { sent: 0, failed: 0, retried: 0, leaseLost: 0 };
      for (let batchNow = now; !signal.aborted; batchNow = clock()) {
        const result = await runOutboxOnce(deps.db, deps.transport, {
          owner: deps.owner,
          now: batchNow,
          from: deps.from,
          limit: DEFAULT_CLAIM_LIMIT,
        });
        logOutboxResult(deps.log, result);
        total.sent += result.sent;
        total.failed += result.failed;
        total.retried += result.retried;
        total.leaseLost += result.leaseLost;
        if (claimedCount(result) < DEFAULT_CLAIM_LIMIT) break;
      }
      return total;
    },
  };
}

type ReminderRunner = (db: Db, now: string, context: ReminderContext) => Promise<SendCounts>;

/** A reminder job: finds what is due at `now` and sends each reminder exactly once. */
export function reminderJob(name: JobName, runner: ReminderRunner, deps: { db: Db; appUrl: string; log: JobLog; intervalMs?: number }): ScheduledJob {
  return {
    name,
    intervalMs: deps.intervalMs ?? JOB_INTERVALS[name],
    async run(now) {
      const counts = await runner(deps.db, now, { appUrl: deps.appUrl });
      if (counts.failed > 0) deps.log(`[jobs] ${name}: ${counts.failed} reminder(s) not sent: invalid address`);
      return { ...counts };
    },
  };
}

/** The reminder jobs, in the order a pass runs them. */
export function reminderJobs(deps: { db: Db; appUrl: string; log: JobLog }): ScheduledJob[] {
  return [
    reminderJob("breach-reminders", runBreachReminders, deps),
    reminderJob("objection-window-reminders", runObjectionWindowReminders, deps),
    reminderJob("dpa-signature-reminders", runDpaSignatureReminders, deps),
    reminderJob("contract-notice-reminders", runContractNoticeReminders, deps),
    reminderJob("end-of-contract-reminders", runEndOfContractReminders, deps),
  ];
}

export function subprocessorChangesJob(deps: { db: Db; log: JobLog }): ScheduledJob {
  return {
    // a sub-processor change takes effect on its start date even when nobody opens a page;
    // applying is idempotent inside one write transaction
    name: "subprocessor-changes",
    intervalMs: JOB_INTERVALS["subprocessor-changes"],
    async run(now): Promise<JobSummary> {
      const applied = await applyDueSubprocessorChanges(deps.db, now);
      if (applied > 0) deps.log(`subprocessor-changes: ${applied} change(s) took effect`);
      return { applied };
    },
  };
}

/** End of contract: opens cases whose contract has ended and applies the terms' default choice when the customer did not choose in time. */
export function endOfContractHousekeepingJob(deps: { db: Db; log: JobLog }): ScheduledJob {
  return {
    name: "end-of-contract-housekeeping",
    intervalMs: JOB_INTERVALS["end-of-contract-housekeeping"],
    async run(now): Promise<JobSummary> {
      const result = await runEndOfContractHousekeeping(deps.db, now);
      if (result.opened > 0 || result.defaultsApplied > 0) {
        deps.log(`end-of-contract-housekeeping: ${result.opened} case(s) opened, ${result.defaultsApplied} default choice(s) applied`);
      }
      return { ...result };
    },
  };
}

export type BackgroundJobOptions = {
  /** the outbox job's interval */
  intervalMs?: number;
  log?: JobLog;
  /** defaults to transportFor(config): SMTP when SMTP_URL is set, else .eml files in the mail folder */
  transport?: MailTransport;
  clock?: () => string;
  /** this instance's lease owner name; defaults to host:pid:random */
  owner?: string;
  pollMs?: number;
};

/** Every background job of DPA Desk. */
export function backgroundJobs(db: Db, config: Config, options: BackgroundJobOptions & { owner: string; log: JobLog }): ScheduledJob[] {
  return [
    outboxDeliveryJob({
      db,
      transport: options.transport ?? transportFor(config),
      from: config.mailFrom,
      owner: options.owner,
      intervalMs: options.intervalMs ?? DEFAULT_JOB_INTERVAL_MS,
      log: options.log,
      clock: options.clock,
    }),
    subprocessorChangesJob({ db, log: options.log }),
    endOfContractHousekeepingJob({ db, log: options.log }),
    ...reminderJobs({ db, appUrl: config.appUrl, log: options.log }),
  ];
}

/** Starts every background job of DPA Desk; returns a function that stops them and waits for runs in flight. */
export function startBackgroundJobs(db: Db, config: Config, options: BackgroundJobOptions = {}): () => Promise<void> {
  const log = options.log ?? logToStderr;
  const owner = options.owner ?? workerOwnerId();
  return startScheduler(backgroundJobs(db, config, { ...options, owner, log }), { db, owner, log, clock: options.clock, pollMs: options.pollMs });
}
