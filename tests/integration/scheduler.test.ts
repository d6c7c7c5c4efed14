/**
 * The lease scheduler on job_runs: two instances on one database file run each job once per due
 * moment and send each reminder exactly once; an instance that died mid-run is taken over after its
 * lease; a restart after downtime catches up at once without duplicates; "run now" and the status
 * page for admins.
 */
import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../db/client";
import { auditEvents, breachCustomers, breaches, jobRuns, outbox, remindersSent } from "../../db/schema";
import { parseConfig } from "~/config.server";
import { backgroundJobs, reminderJobs, startBackgroundJobs } from "~/jobs/background.server";
import { JOB_NAMES } from "~/jobs/registry";
import { claimJob, finishJob, runDueJobs, runJobIfDue, type ScheduledJob } from "~/jobs/scheduler.server";
import { listJobStatus, requestJobRun } from "~/jobs/status.server";
import type { MailTransport } from "~/mail/transports.server";
import { runBreachReminders } from "~/services/reminder-jobs.server";
import { newId } from "~/services/ids.server";
import { createTestDb, seedCustomer, seedStaff, seedWorkspace, type StaffActor, type TestDb } from "../helpers/db";

const START = "2026-10-24T12:00:00.000Z"; // 14:00 CEST
const DUE = "2026-10-25T12:00:00.000Z"; // 13:00 CET, after the clocks went back
const MINUTE = 60_000;

let t: TestDb;
let db: Db;
let second: Db;
let workspaceId: string;
let admin: StaffActor;
let officer: StaffActor;

beforeEach(() => {
  t = createTestDb();
  db = t.db;
  second = openDatabase(t.databasePath);
  workspaceId = seedWorkspace(db).id;
  admin = seedStaff(db, workspaceId, "admin");
  officer = seedStaff(db, workspaceId, "privacy_officer");
});

afterEach(() => {
  second.$client.close();
  t.cleanup();
});

function at(base: string, plusMs: number): string {
  return new Date(Date.parse(base) + plusMs).toISOString();
}

function seedBreach(customers = 3): string {
  const breachId = newId();
  db.insert(breaches)
    .values({ id: breachId, workspaceId, reference: "DL-2026-0007", title: "Lost laptop", classification: "breach", status: "open", sourceKind: "own_systems", discoveredAt: START, createdAt: START, updatedAt: START })
    .run();
  const deadline = { kind: "instant", due: DUE, unit: "hours", amount: 24, direction: "after", start: { event: "breach_discovered", at: START }, basis: { kind: "internal", note: "x" }, adjustments: [] };
  for (let i = 0; i < customers; i++) {
    const customer = seedCustomer(db, workspaceId, { name: `Klant ${i}` });
    db.insert(breachCustomers)
      .values({ id: newId(), workspaceId, breachId, customerId: customer.id, status: "affected", origin: "derived", noticeDeadline: JSON.stringify(deadline), noticeStart: START, noticeSoonAt: DUE, noticeDue: DUE, createdAt: START, updatedAt: START })
      .run();
  }
  return breachId;
}

function sentRows() {
  return db.select().from(remindersSent).orderBy(asc(remindersSent.sentAt), asc(remindersSent.threshold)).all();
}

function job(name: string) {
  return db.select().from(jobRuns).where(eq(jobRuns.name, name)).get();
}

const appUrl = "https://dpadesk.test";
const noLog = () => undefined;

describe("two scheduler instances on one database", () => {
  it("run each due job in exactly one instance and send each reminder exactly once", async () => {
    seedBreach();
    const jobsA = reminderJobs({ db, appUrl, log: noLog });
    const jobsB = reminderJobs({ db: second, appUrl, log: noLog });
    // both instances wake at the same moments through the night, one clock for both
    for (let ms = Date.parse(START); ms <= Date.parse(DUE) + 30 * MINUTE; ms += 20 * MINUTE) {
      const clock = () => new Date(ms).toISOString();
      const [ranA, ranB] = await Promise.all([
        runDueJobs(db, jobsA, { owner: "instance-a", clock, log: noLog }),
        runDueJobs(second, jobsB, { owner: "instance-b", clock, log: noLog }),
      ]);
      // never both: a job due at this moment ran in one of them
      expect(ranA.filter((name) => ranB.includes(name)), clock()).toEqual([]);
    }
    expect(sentRows().map((r) => `${r.kind}:${r.threshold}`)).toEqual([
      "breach_notice:50",
      "breach_notice:75",
      "breach_notice:90",
      "breach_overdue:overdue",
    ]);
    // officer (no assignee) for 50/75/90 and the admin for the escalation: 4 mails, no duplicates
    const mails = db.select().from(outbox).all();
    expect(mails).toHaveLength(4);
    expect(new Set(mails.map((m) => m.subject)).size).toBe(4);
    expect(sentRows().map((r) => r.sentAt)).toEqual(["2026-10-25T00:00:00.000Z", "2026-10-25T06:00:00.000Z", "2026-10-25T09:40:00.000Z", "2026-10-25T12:00:00.000Z"]);
    const breachJob = job("breach-reminders")!;
    expect(breachJob.leaseOwner).toBeNull();
    expect(breachJob.runCount).toBeGreaterThan(0);
  });

  it("even without the job lease, the reminder key keeps two instances from sending twice", async () => {
    seedBreach();
    const now = "2026-10-25T06:30:00.000Z";
    const results = await Promise.all([
      runBreachReminders(db, now, { appUrl }),
      runBreachReminders(second, now, { appUrl }),
      runBreachReminders(db, now, { appUrl }),
      runBreachReminders(second, now, { appUrl }),
    ]);
    expect(results.reduce((sum, r) => sum + r.sent, 0)).toBe(1);
    expect(sentRows()).toHaveLength(1);
    expect(db.select().from(outbox).all()).toHaveLength(1);
    expect(db.select().from(auditEvents).where(eq(auditEvents.action, "reminder.sent")).all()).toHaveLength(1);
  });

  it("with real timers, two running schedulers share the work through the leases", async () => {
    seedBreach();
    const config = parseConfig({ NODE_ENV: "test", DATA_DIR: t.dir, SESSION_SECRET: "x".repeat(32), APP_URL: appUrl });
    const transport: MailTransport = { send: async () => ({ messageId: `<${newId()}@test>`, rejected: [] }) };
    // an injected clock that starts at 10:00 (90% passed) and runs on in real time
    const started = Date.now();
    const now = () => at("2026-10-25T10:00:00.000Z", Date.now() - started);
    const stopA = startBackgroundJobs(db, config, { transport, clock: now, owner: "a", log: noLog, intervalMs: 5, pollMs: 5 });
    const stopB = startBackgroundJobs(second, config, { transport, clock: now, owner: "b", log: noLog, intervalMs: 5, pollMs: 5 });
    const deadline = Date.now() + 10_000;
    while (db.select().from(outbox).where(eq(outbox.status, "sent")).all().length < 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await Promise.all([stopA(), stopB()]);
    expect(sentRows().map((r) => r.threshold)).toEqual(["90"]);
    expect(db.select().from(outbox).all().map((m) => m.status)).toEqual(["sent"]);
    for (const name of JOB_NAMES) {
      const row = job(name)!;
      expect(row.runCount, name).toBeGreaterThanOrEqual(1);
      expect(row.leaseOwner, name).toBeNull();
    }
  });
});

describe("leases", () => {
  const counting = (): ScheduledJob & { runs: string[] } => ({
    name: "breach-reminders",
    intervalMs: 10 * MINUTE,
    runs: [],
    async run(now) {
      this.runs.push(now);
      return { sent: 0 };
    },
  });

  it("an instance that died mid-run blocks the job until its lease expires; then another takes over", async () => {
    const T = "2026-10-25T00:00:00.000Z";
    db.insert(jobRuns).values({ name: "breach-reminders", nextRunAt: T }).run();
    const dead = claimJob(db, "breach-reminders", { owner: "dead", now: T, leaseMs: 5 * MINUTE });
    expect(dead).not.toBeNull();
    const jobB = counting();
    expect(await runJobIfDue(second, jobB, { owner: "b", clock: () => at(T, 4 * MINUTE), log: noLog })).toBe(false);
    expect(await runJobIfDue(second, jobB, { owner: "b", clock: () => at(T, 5 * MINUTE), log: noLog })).toBe(true);
    expect(jobB.runs).toEqual([at(T, 5 * MINUTE)]);
    // the dead instance's late finish records nothing
    expect(finishJob(db, dead!, { ok: true, summary: {} }, { now: at(T, 6 * MINUTE), intervalMs: 10 * MINUTE })).toBe(false);
    expect(job("breach-reminders")).toMatchObject({ runCount: 1, lastSucceededAt: at(T, 5 * MINUTE), nextRunAt: at(T, 15 * MINUTE), lastResult: '{"sent":0}' });
  });

  it("records failures with one line and keeps the schedule", async () => {
    const lines: string[] = [];
    const failing: ScheduledJob = { name: "outbox", intervalMs: MINUTE, run: async () => Promise.reject(new Error("disk full\n  at x")) };
    const T = "2026-10-25T00:00:00.000Z";
    await runJobIfDue(db, failing, { owner: "a", clock: () => T, log: (l) => lines.push(l) });
    expect(lines).toEqual(["[jobs] outbox failed: disk full at x"]);
    expect(job("outbox")).toMatchObject({ runCount: 1, failureCount: 1, lastError: "disk full at x", lastErrorAt: T, nextRunAt: at(T, MINUTE), lastSucceededAt: null });
    const [status] = (await listJobStatus(db, admin, T)).filter((s) => s.name === "outbox");
    expect(status).toMatchObject({ state: "failing", failureCount: 1, lastError: "disk full at x" });
  });
});

describe("restart after downtime", () => {
  it("runs the missed jobs at once on start and sends each due reminder once, only the latest threshold", async () => {
    seedBreach();
    const config = parseConfig({ NODE_ENV: "test", DATA_DIR: t.dir, SESSION_SECRET: "x".repeat(32), APP_URL: appUrl });
    const transport: MailTransport = { send: async () => ({ messageId: "<x@test>", rejected: [] }) };
    const jobsFor = (handle: Db, owner: string) => backgroundJobs(handle, config, { transport, owner, log: noLog });

    // the first instance runs at 01:00 (50% passed) and then goes down
    const T1 = "2026-10-25T01:00:00.000Z";
    await runDueJobs(db, jobsFor(db, "first"), { owner: "first", clock: () => T1, log: noLog });
    expect(sentRows().map((r) => r.threshold)).toEqual(["50"]);
    expect(job("breach-reminders")!.nextRunAt).toBe(at(T1, MINUTE));

    // down from 01:00 until 10:00: the 75% and 90% moments pass unseen; at start the job is due at once
    const T2 = "2026-10-25T10:00:00.000Z";
    const jobs = jobsFor(second, "restarted");
    const ran = await runDueJobs(second, jobs, { owner: "restarted", clock: () => T2, log: noLog });
    expect(ran).toContain("breach-reminders");
    expect(sentRows().map((r) => `${r.threshold}@${r.sentAt}`)).toEqual([`50@${T1}`, `90@${T2}`]);

    // running again (or forcing a run) sends nothing new
    expect(await runDueJobs(second, jobs, { owner: "restarted", clock: () => T2, log: noLog })).toEqual([]);
    await requestJobRun(second, admin, "breach-reminders", T2);
    expect(await runDueJobs(second, jobs, { owner: "restarted", clock: () => T2, log: noLog })).toEqual(["breach-reminders"]);
    expect(sentRows()).toHaveLength(2);
    expect(job("breach-reminders")!.lastResult).toBe('{"sent":0,"failed":0}');
  });
});

describe("run now and the status page", () => {
  it("run now makes the job due at once, is audited, and survives a run in progress", async () => {
    const T = "2026-10-25T00:00:00.000Z";
    const slow: ScheduledJob = { name: "contract-notice-reminders", intervalMs: 15 * MINUTE, run: async () => ({ sent: 2, failed: 0 }) };
    await runJobIfDue(db, slow, { owner: "a", clock: () => T, log: noLog });
    expect(job(slow.name)!.nextRunAt).toBe(at(T, 15 * MINUTE));

    // a request while a run is in flight is kept: the finish does not overwrite it
    const claim = claimJob(db, slow.name, { owner: "a", now: at(T, 15 * MINUTE), leaseMs: 5 * MINUTE })!;
    await requestJobRun(db, admin, slow.name, at(T, 16 * MINUTE));
    finishJob(db, claim, { ok: true, summary: { sent: 1 } }, { now: at(T, 17 * MINUTE), intervalMs: 15 * MINUTE });
    expect(job(slow.name)!.nextRunAt).toBe(at(T, 16 * MINUTE));

    const audit = db.select().from(auditEvents).where(eq(auditEvents.action, "job.run_requested")).get()!;
    expect(audit).toMatchObject({ entityType: "job", entityId: slow.name, workspaceId, actorUserId: admin.userId });

    const statuses = await listJobStatus(db, admin, at(T, 17 * MINUTE));
    expect(statuses.map((s) => s.name)).toEqual([...JOB_NAMES]);
    expect(statuses.find((s) => s.name === slow.name)).toMatchObject({ state: "ok", runCount: 2, lastResult: { sent: 1 }, runningOn: null });
    expect(statuses.find((s) => s.name === "outbox")).toMatchObject({ state: "new", runCount: 0, nextRunAt: null });
  });

  it("only admins see the status page and run jobs; an unknown job is 404", async () => {
    await expect(listJobStatus(db, officer, START)).rejects.toMatchObject({ status: 403 });
    await expect(requestJobRun(db, officer, "outbox", START)).rejects.toMatchObject({ status: 403 });
    await expect(requestJobRun(db, admin, "no-such-job", START)).rejects.toMatchObject({ status: 404 });
    const portal = { kind: "portal" as const, userId: "u", name: "p", email: "p@x.test", workspaceId, customerId: "c" };
    await expect(listJobStatus(db, portal, START)).rejects.toMatchObject({ status: 404 });
  });
});
