/**
 * The background jobs of DPA Desk by name, with their default intervals: what startBackgroundJobs
 * runs and what the admins' status page lists (a job that never ran still shows up there).
 */
export const JOB_NAMES = [
  "outbox",
  "subprocessor-changes",
  "breach-reminders",
  "objection-window-reminders",
  "dpa-signature-reminders",
  "contract-notice-reminders",
  "end-of-contract-reminders",
  "end-of-contract-housekeeping",
] as const;

export type JobName = (typeof JOB_NAMES)[number];

const MINUTE = 60_000;

/**
 * How often each job runs. Breach clocks run in hours, so their reminders are checked every
 * minute; the day-based reminders (at 09:00 Amsterdam) every 5 minutes; the outbox's interval is
 * configurable (DEFAULT_JOB_INTERVAL_MS).
 */
export const JOB_INTERVALS: Record<JobName, number> = {
  outbox: 5_000,
  "subprocessor-changes": MINUTE,
  "breach-reminders": MINUTE,
  "objection-window-reminders": 5 * MINUTE,
  "dpa-signature-reminders": 5 * MINUTE,
  "contract-notice-reminders": 15 * MINUTE,
  "end-of-contract-reminders": 5 * MINUTE,
  "end-of-contract-housekeeping": 5 * MINUTE,
};

export function isJobName(value: string): value is JobName {
  return (JOB_NAMES as readonly string[]).includes(value);
}
