import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { asc, eq } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { auditEvents, outbox } from "../../db/schema";
import { MAX_ATTEMPTS } from "~/domain/backoff";
import { startBackgroundJobs, startScheduler } from "~/jobs/background.server";
import {
  claimDueMessages,
  deliverClaimed,
  enqueueMail,
  getOutboxMessage,
  InvalidMailError,
  listOutbox,
  retryFailedMessage,
  runOutboxOnce,
  type MailInput,
} from "~/mail/outbox.server";
import {
  fileTransport,
  smtpTransport,
  type MailTransport,
  type OutgoingMail,
} from "~/mail/transports.server";
import { parseConfig } from "~/config.server";
import { verifyAuditChain } from "~/services/audit.server";
import { createTestDb, seedCustomer, seedStaff, seedWorkspace, type TestDb } from "../helpers/db";

const FROM = "DPA Desk <no-reply@dpadesk.test>";
const T0 = "2026-03-02T09:00:00.000Z";
const MINUTE = 60_000;

function at(base: string, plusMs: number): string {
  return new Date(Date.parse(base) + plusMs).toISOString();
}

// ----- a real SMTP server on loopback ---------------------------------------------------------

type ReceivedMail = { envelopeFrom: string | null; envelopeTo: string[]; raw: string };

type TestSmtpServer = { port: number; received: ReceivedMail[]; close: () => Promise<void> };

async function startSmtpServer(options: { port?: number; refuse?: string[] } = {}): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const refused = new Set(options.refuse ?? []);
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refused.has(address.address)) {
        const error = Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 });
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const mailFrom = session.envelope.mailFrom;
        received.push({
          envelopeFrom: mailFrom ? mailFrom.address : null,
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function smtpUrl(port: number): string {
  return `smtp://127.0.0.1:${port}?ignoreTLS=true`;
}

function headerValue(raw: string, name: string): string | undefined {
  const unfolded = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, " ");
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

// ----- fixtures --------------------------------------------------------------------------------

let t: TestDb;
let db: Db;
let workspaceId: string;

beforeEach(() => {
  t = createTestDb();
  db = t.db;
  workspaceId = seedWorkspace(db).id;
});

afterEach(() => {
  t.cleanup();
});

function mail(overrides: Partial<MailInput> = {}): MailInput {
  return {
    workspaceId,
    kind: "breach_notification",
    to: ["privacy@bakkerij-jansen.test"],
    subject: "Breach notification 2026-001",
    text: "Dear customer,\n\nWe are informing you of a personal data breach.\n",
    ...overrides,
  };
}

function enqueue(input: MailInput = mail(), now = T0): string {
  return db.transaction((tx) => enqueueMail(tx, input, now), { behavior: "immediate" });
}

function outboxRow(id: string) {
  const row = db.select().from(outbox).where(eq(outbox.id, id)).get();
  if (!row) throw new Error(`outbox row ${id} missing`);
  return row;
}

function auditTrail(entityId: string) {
  return db.select().from(auditEvents).where(eq(auditEvents.entityId, entityId)).orderBy(asc(auditEvents.id)).all();
}

/** A transport that fails every time with a multi-line error, counting the attempts. */
function failingTransport(): MailTransport & { attempts: number } {
  return {
    attempts: 0,
    async send() {
      this.attempts += 1;
      const error = new Error("421 Service not available\nclosing transmission channel");
      error.stack = `${error.message}\n    at fake (transport.ts:1:1)`;
      throw error;
    },
  };
}

function recordingTransport(): MailTransport & { sent: OutgoingMail[] } {
  return {
    sent: [],
    async send(message) {
      this.sent.push(message);
      return { messageId: `<${this.sent.length}@recording.test>`, rejected: [] };
    },
  };
}

// ----- enqueue ---------------------------------------------------------------------------------

describe("enqueueMail", () => {
  it("writes a pending, due message and a queued audit event in the caller's transaction", () => {
    const customer = seedCustomer(db, workspaceId);
    const id = enqueue(mail({ customerId: customer.id, to: [" a@example.test", "b@example.test", "a@example.test"] }));

    const row = outboxRow(id);
    expect(row).toMatchObject({ status: "pending", attempts: 0, nextAttemptAt: T0, createdAt: T0, leaseOwner: null, customerId: customer.id });
    expect(JSON.parse(row.toAddresses)).toEqual(["a@example.test", "b@example.test"]);
    const [queued] = auditTrail(id);
    expect(queued).toMatchObject({ action: "mail.queued", actorLabel: "system: outbox", actorUserId: null, workspaceId, customerId: customer.id });
  });

  it("disappears with the caller's transaction when that transaction rolls back", () => {
    let id = "";
    expect(() =>
      db.transaction((tx) => {
        id = enqueueMail(tx, mail(), T0);
        throw new Error("the causing change failed");
      }),
    ).toThrow("the causing change failed");
    expect(db.select().from(outbox).where(eq(outbox.id, id)).get()).toBeUndefined();
    expect(auditTrail(id)).toHaveLength(0);
  });

  it.each([
    ["no recipients", { to: [] }, /at least one recipient/],
    ["an invalid address", { to: ["not-an-address"] }, /invalid recipient address/],
    ["a subject with a line break", { subject: "Hello\r\nBcc: victim@example.test" }, /single line/],
  ])("refuses %s and writes nothing", (_label, overrides, message) => {
    expect(() => enqueue(mail(overrides as Partial<MailInput>))).toThrow(InvalidMailError);
    expect(() => enqueue(mail(overrides as Partial<MailInput>))).toThrow(message);
    expect(db.select().from(outbox).all()).toHaveLength(0);
  });
});

// ----- SMTP delivery ---------------------------------------------------------------------------

describe("delivery over SMTP", () => {
  let smtp: TestSmtpServer | undefined;

  afterEach(async () => {
    await smtp?.close();
    smtp = undefined;
  });

  it("delivers a due message with its subject, recipients and attachment, and records it as sent", async () => {
    smtp = await startSmtpServer();
    const attachmentPath = path.join(t.dir, "dpa.pdf");
    writeFileSync(attachmentPath, "%PDF-1.4 test document");
    const id = enqueue(
      mail({
        to: ["privacy@bakkerij-jansen.test", "dpo@bakkerij-jansen.test"],
        attachments: [{ filename: "dpa.pdf", contentType: "application/pdf", path: attachmentPath }],
      }),
    );

    const result = await runOutboxOnce(db, smtpTransport(smtpUrl(smtp.port)), { owner: "worker-a", now: T0, from: FROM });

    expect(result).toMatchObject({ sent: 1, failed: 0, retried: 0, leaseLost: 0, failures: [] });
    expect(smtp.received).toHaveLength(1);
    const [received] = smtp.received;
    expect(received.envelopeFrom).toBe("no-reply@dpadesk.test");
    expect(received.envelopeTo).toEqual(["privacy@bakkerij-jansen.test", "dpo@bakkerij-jansen.test"]);
    expect(headerValue(received.raw, "Subject")).toBe("Breach notification 2026-001");
    expect(headerValue(received.raw, "To")).toBe("privacy@bakkerij-jansen.test, dpo@bakkerij-jansen.test");
    expect(received.raw).toMatch(/\r\nContent-Disposition: attachment; filename=dpa\.pdf\r\n/);

    const row = outboxRow(id);
    expect(row).toMatchObject({ status: "sent", sentAt: T0, attempts: 1, leaseOwner: null, leaseUntil: null, lastError: null });
    expect(row.messageId).toBe(headerValue(received.raw, "Message-ID"));
    expect(auditTrail(id).map((e) => e.action)).toEqual(["mail.queued", "mail.sent"]);
    expect(verifyAuditChain(db, workspaceId)).toEqual({ ok: true, checked: 2 });
  });

  it("records recipients the server refused while delivering to the others", async () => {
    smtp = await startSmtpServer({ refuse: ["gone@bakkerij-jansen.test"] });
    const id = enqueue(mail({ to: ["privacy@bakkerij-jansen.test", "gone@bakkerij-jansen.test"] }));

    const result = await runOutboxOnce(db, smtpTransport(smtpUrl(smtp.port)), { owner: "worker-a", now: T0, from: FROM });

    expect(result.sent).toBe(1);
    expect(smtp.received.map((m) => m.envelopeTo)).toEqual([["privacy@bakkerij-jansen.test"]]);
    const sentEvent = auditTrail(id).find((e) => e.action === "mail.sent");
    expect(JSON.parse(sentEvent?.data ?? "{}")).toMatchObject({ rejected: ["gone@bakkerij-jansen.test"] });
  });

  it("retries per backoff while the server is down and then delivers exactly once", async () => {
    const probe = await startSmtpServer();
    const port = probe.port;
    await probe.close();
    const transport = smtpTransport(smtpUrl(port));
    const id = enqueue();

    const firstRun = await runOutboxOnce(db, transport, { owner: "worker-a", now: T0, from: FROM });
    expect(firstRun).toMatchObject({ sent: 0, retried: 1, failed: 0 });
    expect(firstRun.failures[0]).toMatchObject({ messageId: id, attempts: 1, willRetry: true });
    const afterFailure = outboxRow(id);
    expect(afterFailure).toMatchObject({ status: "pending", attempts: 1, nextAttemptAt: at(T0, MINUTE), leaseOwner: null, leaseUntil: null });
    expect(afterFailure.lastError).toMatch(/ECONNREFUSED/);
    expect(afterFailure.lastError).not.toMatch(/\n|\s{2}|at .*\.js/);

    smtp = await startSmtpServer({ port });
    const tooEarly = await runOutboxOnce(db, transport, { owner: "worker-a", now: at(T0, 30_000), from: FROM });
    expect(tooEarly).toMatchObject({ sent: 0, retried: 0, failed: 0 });
    expect(smtp.received).toHaveLength(0);

    const due = await runOutboxOnce(db, transport, { owner: "worker-b", now: at(T0, MINUTE), from: FROM });
    expect(due).toMatchObject({ sent: 1, retried: 0, failed: 0 });
    const later = await runOutboxOnce(db, transport, { owner: "worker-a", now: at(T0, 10 * MINUTE), from: FROM });
    expect(later).toMatchObject({ sent: 0, retried: 0, failed: 0 });

    expect(smtp.received).toHaveLength(1);
    expect(headerValue(smtp.received[0].raw, "Subject")).toBe("Breach notification 2026-001");
    expect(outboxRow(id)).toMatchObject({ status: "sent", attempts: 2, sentAt: at(T0, MINUTE) });
    expect(auditTrail(id).map((e) => e.action)).toEqual(["mail.queued", "mail.retry_scheduled", "mail.sent"]);
  });
});

// ----- failure, administrator retry ------------------------------------------------------------

describe("giving up after MAX_ATTEMPTS", () => {
  async function failUntilGivenUp(id: string, transport: MailTransport) {
    let now = T0;
    const results = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      results.push(await runOutboxOnce(db, transport, { owner: "worker-a", now, from: FROM }));
      now = outboxRow(id).nextAttemptAt;
    }
    return { results, lastNow: now };
  }

  it("backs off 1, 2, 4 … minutes, then marks the message failed with a one-line error", async () => {
    const transport = failingTransport();
    const id = enqueue();

    const scheduled: string[] = [];
    let now = T0;
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      const result = await runOutboxOnce(db, transport, { owner: "worker-a", now, from: FROM });
      expect(result).toMatchObject({ retried: 1, failed: 0 });
      now = outboxRow(id).nextAttemptAt;
      scheduled.push(now);
    }
    const minutesBetween = scheduled.map((s, i) => (Date.parse(s) - Date.parse(i === 0 ? T0 : scheduled[i - 1])) / MINUTE);
    expect(minutesBetween).toEqual([1, 2, 4, 8, 16, 32, 60]);

    const last = await runOutboxOnce(db, transport, { owner: "worker-a", now, from: FROM });
    expect(last).toMatchObject({ failed: 1, retried: 0, sent: 0 });
    expect(last.failures).toEqual([
      { messageId: id, attempts: MAX_ATTEMPTS, willRetry: false, error: "421 Service not available closing transmission channel" },
    ]);
    expect(outboxRow(id)).toMatchObject({
      status: "failed",
      attempts: MAX_ATTEMPTS,
      lastError: "421 Service not available closing transmission channel",
      leaseOwner: null,
    });

    const afterGivingUp = await runOutboxOnce(db, transport, { owner: "worker-a", now: at(now, 24 * 60 * MINUTE), from: FROM });
    expect(afterGivingUp).toMatchObject({ sent: 0, failed: 0, retried: 0 });
    expect(transport.attempts).toBe(MAX_ATTEMPTS);

    const actions = auditTrail(id).map((e) => e.action);
    expect(actions).toEqual(["mail.queued", ...Array(MAX_ATTEMPTS - 1).fill("mail.retry_scheduled"), "mail.failed"]);
    expect(verifyAuditChain(db, workspaceId)).toEqual({ ok: true, checked: MAX_ATTEMPTS + 1 });
  });

  it("lets an administrator of the workspace put a failed message back in the queue", async () => {
    const id = enqueue();
    const { lastNow } = await failUntilGivenUp(id, failingTransport());
    expect(outboxRow(id).status).toBe("failed");
    const admin = seedStaff(db, workspaceId, "admin");
    const retryAt = at(lastNow, 5 * MINUTE);

    expect(await retryFailedMessage(db, admin, id, retryAt)).toEqual({ id, to: ["privacy@bakkerij-jansen.test"], subject: "Breach notification 2026-001" });

    expect(outboxRow(id)).toMatchObject({ status: "pending", attempts: 0, nextAttemptAt: retryAt });
    const requeued = auditTrail(id).at(-1);
    expect(requeued).toMatchObject({ action: "mail.requeued", actorUserId: admin.userId });
    const delivered = recordingTransport();
    expect(await runOutboxOnce(db, delivered, { owner: "worker-a", now: retryAt, from: FROM })).toMatchObject({ sent: 1 });
    expect(delivered.sent.map((m) => m.subject)).toEqual(["Breach notification 2026-001"]);
  });

  it("refuses a retry to non-admins (403), other workspaces (404), portal users (404) and unfailed messages (409)", async () => {
    const id = enqueue();
    await failUntilGivenUp(id, failingTransport());
    const officer = seedStaff(db, workspaceId, "privacy_officer");
    const otherWorkspace = seedWorkspace(db);
    const otherAdmin = seedStaff(db, otherWorkspace.id, "admin");
    const customer = seedCustomer(db, workspaceId);
    const portal = { kind: "portal" as const, userId: officer.userId, name: "P", email: "p@example.test", workspaceId, customerId: customer.id };
    const pendingId = enqueue();
    const admin = seedStaff(db, workspaceId, "admin");

    await expect(retryFailedMessage(db, officer, id, T0)).rejects.toMatchObject({ status: 403 });
    await expect(retryFailedMessage(db, otherAdmin, id, T0)).rejects.toMatchObject({ status: 404 });
    await expect(retryFailedMessage(db, portal, id, T0)).rejects.toMatchObject({ status: 404 });
    await expect(retryFailedMessage(db, admin, pendingId, T0)).rejects.toMatchObject({ status: 409 });
    expect(outboxRow(id).status).toBe("failed");
    expect(auditTrail(id).some((e) => e.action === "mail.requeued")).toBe(false);
  });
});

// ----- leases ----------------------------------------------------------------------------------

describe("claiming with leases", () => {
  it("does not hand a leased message to another worker until the lease expires", async () => {
    const id = enqueue();
    const [claimedByA] = await claimDueMessages(db, { owner: "worker-a", now: T0, leaseMs: 5 * MINUTE, limit: 10 });
    expect(claimedByA).toMatchObject({ id, leaseOwner: "worker-a", leaseUntil: at(T0, 5 * MINUTE) });

    expect(await claimDueMessages(db, { owner: "worker-b", now: at(T0, 4 * MINUTE), leaseMs: 5 * MINUTE, limit: 10 })).toEqual([]);
    const [claimedByB] = await claimDueMessages(db, { owner: "worker-b", now: at(T0, 5 * MINUTE), leaseMs: 5 * MINUTE, limit: 10 });
    expect(claimedByB).toMatchObject({ id, leaseOwner: "worker-b" });

    const lateTransport = recordingTransport();
    const lateOutcome = await deliverClaimed(db, lateTransport, claimedByA, { now: at(T0, 4 * MINUTE), from: FROM });
    expect(lateOutcome).toEqual({ kind: "lease_lost" });
    expect(lateTransport.sent).toHaveLength(0);

    const outcome = await deliverClaimed(db, lateTransport, claimedByB, { now: at(T0, 6 * MINUTE), from: FROM });
    expect(outcome).toEqual({ kind: "sent", messageId: "<1@recording.test>" });
    expect(lateTransport.sent).toHaveLength(1);
  });

  it("claims only due messages, oldest due first, up to the limit", async () => {
    const first = enqueue(mail(), T0);
    const second = enqueue(mail(), at(T0, 1000));
    enqueue(mail(), at(T0, 2000));
    enqueue(mail(), at(T0, 10 * MINUTE));

    const claimed = await claimDueMessages(db, { owner: "worker-a", now: at(T0, 5000), leaseMs: MINUTE, limit: 2 });
    expect(claimed.map((m) => m.id)).toEqual([first, second]);
    const rest = await claimDueMessages(db, { owner: "worker-b", now: at(T0, 5000), leaseMs: MINUTE, limit: 10 });
    expect(rest).toHaveLength(1);
  });

  it("never gives the same message to two worker processes claiming at the same time", async () => {
    const messageCount = 120;
    db.transaction((tx) => {
      for (let i = 0; i < messageCount; i++) enqueueMail(tx, mail({ subject: `Message ${i}` }), T0);
    });
    const owners = ["proc-1", "proc-2", "proc-3", "proc-4"];

    const claimsByOwner = await claimConcurrentlyInProcesses(t.databasePath, owners, at(T0, 1000));

    const allClaimed = owners.flatMap((owner) => claimsByOwner[owner]);
    expect(allClaimed).toHaveLength(messageCount);
    expect(new Set(allClaimed).size).toBe(messageCount);
    expect(owners.filter((owner) => claimsByOwner[owner].length > 0).length).toBeGreaterThan(1);
    for (const owner of owners) {
      for (const id of claimsByOwner[owner]) expect(outboxRow(id).leaseOwner).toBe(owner);
    }
  });
});

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Child script: open its own connection, report ready, wait for "go", then claim until nothing is
 * left, pausing a millisecond between batches so that the processes' claims interleave.
 */
const CLAIM_LOOP = `
const { openDatabase } = await import(process.env.CLIENT_MODULE);
const { claimDueMessages } = await import(process.env.OUTBOX_MODULE);
const db = openDatabase(process.env.DATABASE_PATH);
process.stdout.write("ready\\n");
await new Promise((resolve) => process.stdin.once("data", resolve));
const claimed = [];
for (;;) {
  const batch = await claimDueMessages(db, { owner: process.env.OWNER, now: process.env.NOW, leaseMs: 600000, limit: 2 });
  if (batch.length === 0) break;
  claimed.push(...batch.map((m) => m.id));
  await new Promise((resolve) => setTimeout(resolve, 1));
}
db.$client.close();
process.stdout.write(JSON.stringify(claimed) + "\\n");
`;

async function claimConcurrentlyInProcesses(databasePath: string, owners: string[], now: string): Promise<Record<string, string[]>> {
  const children = owners.map((owner) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", CLAIM_LOOP], {
      cwd: repoRoot,
      env: {
        ...process.env,
        CLIENT_MODULE: path.join(repoRoot, "db/client.ts"),
        OUTBOX_MODULE: path.join(repoRoot, "app/mail/outbox.server.ts"),
        DATABASE_PATH: databasePath,
        OWNER: owner,
        NOW: now,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on("data", () => stdout.startsWith("ready\n") && resolve());
      child.once("exit", () => reject(new Error(`${owner} exited before ready: ${stderr}`)));
    });
    const done = new Promise<string[]>((resolve, reject) => {
      child.once("exit", (code) => {
        if (code !== 0) reject(new Error(`${owner} exited with ${code}: ${stderr}`));
        else resolve(JSON.parse(stdout.slice("ready\n".length)) as string[]);
      });
    });
    return { owner, child, ready, done };
  });
  await Promise.all(children.map((c) => c.ready));
  for (const c of children) c.child.stdin.end("go\n");
  const results = await Promise.all(children.map(async (c) => [c.owner, await c.done] as const));
  return Object.fromEntries(results);
}

// ----- listing ---------------------------------------------------------------------------------

describe("listOutbox", () => {
  it("pages newest first through the actor's workspace only, with a status filter", async () => {
    const ids = Array.from({ length: 5 }, (_, i) => enqueue(mail({ subject: `Message ${i}` }), at(T0, i * 1000)));
    const twin = enqueue(mail({ subject: "Same instant" }), at(T0, 4000));
    const otherWorkspace = seedWorkspace(db);
    enqueue(mail({ workspaceId: otherWorkspace.id, subject: "Elsewhere" }), at(T0, 9000));
    const auditor = seedStaff(db, workspaceId, "auditor");

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof listOutbox>> = await listOutbox(db, auditor, { cursor, limit: 2 });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);

    const newestFirst = [...[ids[4], twin].sort().reverse(), ids[3], ids[2], ids[1], ids[0]];
    expect(seen).toEqual(newestFirst);
    expect(pages).toBe(3);

    await runOutboxOnce(db, recordingTransport(), { owner: "worker-a", now: at(T0, 1500), from: FROM, limit: 2 });
    const sentOnly = await listOutbox(db, auditor, { status: "sent", limit: 10 });
    expect(sentOnly.items.map((i) => i.id)).toEqual([ids[1], ids[0]]);
    expect(sentOnly.items[0]).toMatchObject({ status: "sent", to: ["privacy@bakkerij-jansen.test"], subject: "Message 1" });
    expect(sentOnly.nextCursor).toBeNull();
  });

  it("refuses portal users (404) and a tampered cursor (400)", async () => {
    const customer = seedCustomer(db, workspaceId);
    const admin = seedStaff(db, workspaceId, "admin");
    const portal = { kind: "portal" as const, userId: admin.userId, name: "P", email: "p@example.test", workspaceId, customerId: customer.id };

    await expect(listOutbox(db, portal, { limit: 10 })).rejects.toMatchObject({ status: 404 });
    await expect(listOutbox(db, admin, { cursor: "not-a-cursor", limit: 10 })).rejects.toMatchObject({ status: 400 });
  });
});

describe("getOutboxMessage", () => {
  it("gives staff of the workspace one message with its text body and attachment names, not the file paths", async () => {
    const customer = seedCustomer(db, workspaceId);
    const id = enqueue(
      mail({
        customerId: customer.id,
        text: "Geachte klant,\n\nZie de bijlage.\n",
        attachments: [{ filename: "verwerkersovereenkomst.pdf", contentType: "application/pdf", path: "/srv/dpadesk/data/documents/x.pdf" }],
      }),
    );
    const auditor = seedStaff(db, workspaceId, "auditor");

    const message = await getOutboxMessage(db, auditor, id);

    expect(message).toEqual({
      id,
      customerId: customer.id,
      kind: "breach_notification",
      to: ["privacy@bakkerij-jansen.test"],
      subject: "Breach notification 2026-001",
      status: "pending",
      attempts: 0,
      nextAttemptAt: T0,
      lastError: null,
      createdAt: T0,
      sentAt: null,
      messageId: null,
      text: "Geachte klant,\n\nZie de bijlage.\n",
      withheld: false,
      attachments: [{ filename: "verwerkersovereenkomst.pdf", contentType: "application/pdf" }],
    });
    expect(JSON.stringify(message)).not.toContain("/srv/dpadesk");

    await runOutboxOnce(db, recordingTransport(), { owner: "worker-a", now: at(T0, 1000), from: FROM });
    expect(await getOutboxMessage(db, auditor, id)).toMatchObject({ status: "sent", sentAt: at(T0, 1000), messageId: "<1@recording.test>", attempts: 1 });
  });

  it("answers 404 for another workspace's message, an unknown id and a portal user", async () => {
    const id = enqueue();
    const otherWorkspace = seedWorkspace(db);
    const otherAdmin = seedStaff(db, otherWorkspace.id, "admin");
    const admin = seedStaff(db, workspaceId, "admin");
    const customer = seedCustomer(db, workspaceId);
    const portal = { kind: "portal" as const, userId: admin.userId, name: "P", email: "p@example.test", workspaceId, customerId: customer.id };

    await expect(getOutboxMessage(db, otherAdmin, id)).rejects.toMatchObject({ status: 404 });
    await expect(getOutboxMessage(db, portal, id)).rejects.toMatchObject({ status: 404 });
    await expect(getOutboxMessage(db, admin, "00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({ status: 404 });
    expect((await getOutboxMessage(db, admin, id)).id).toBe(id);
  });
});

// ----- file transport ------------------------------------------------------------------------------

/** The body of a single-part message as text, undoing the transfer encoding nodemailer chose. */
function textBodyOf(raw: string): string {
  const separator = raw.indexOf("\r\n\r\n");
  const body = raw.slice(separator + 4);
  const encoding = headerValue(raw, "Content-Transfer-Encoding");
  if (encoding === "7bit") return body;
  if (encoding === "quoted-printable") {
    const bytes = body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  throw new Error(`unexpected transfer encoding ${encoding}`);
}

describe("file transport", () => {
  function mailDir() {
    return path.join(t.dir, "mail");
  }

  it("writes one .eml per message with the Subject and To headers and the text body, CRLF line ends", async () => {
    const transport = fileTransport(mailDir());
    const messages = [
      { subject: "Invitation (7bit)", text: "Plain text body.\nSecond line.\n", encoding: "7bit" },
      {
        subject: "Verwerkersovereenkomst getekend (quoted-printable)",
        text: `Geachte heer Müller,\n\nUw verwerkersovereenkomst is getekend. Kosten: € 0,00. ${"Een lange regel ".repeat(8)}\n`,
        encoding: "quoted-printable",
      },
    ];
    const messageIds: string[] = [];
    for (const message of messages) {
      const result = await transport.send({
        from: FROM,
        to: ["privacy@bakkerij-jansen.test", "Jan Jansen <jan@bakkerij-jansen.test>"],
        subject: message.subject,
        text: message.text,
        attachments: [],
      });
      messageIds.push(result.messageId);
    }

    const files = readdirSync(mailDir());
    expect(files).toHaveLength(2);
    expect(files.every((name) => /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z-[0-9a-f-]{36}\.eml$/.test(name))).toBe(true);
    const rawFiles = files.map((name) => readFileSync(path.join(mailDir(), name), "latin1"));
    expect(rawFiles.every((raw) => raw.includes("\r\n") && !/[^\r]\n/.test(raw))).toBe(true);
    for (const [index, message] of messages.entries()) {
      const raw = rawFiles.find((r) => headerValue(r, "Subject") === message.subject);
      expect(raw, message.subject).toBeDefined();
      expect(headerValue(raw!, "To")).toBe("privacy@bakkerij-jansen.test, Jan Jansen <jan@bakkerij-jansen.test>");
      expect(headerValue(raw!, "From")).toBe(FROM);
      expect(headerValue(raw!, "Message-ID")).toBe(messageIds[index]);
      expect(headerValue(raw!, "Content-Transfer-Encoding")).toBe(message.encoding);
      expect(textBodyOf(raw!)).toBe(message.text.replace(/\n/g, "\r\n"));
    }
  });

  it("is what the outbox uses when no SMTP_URL is configured", async () => {
    const config = parseConfig({ NODE_ENV: "test", DATA_DIR: t.dir, SESSION_SECRET: "x".repeat(32) });
    expect(config.smtpUrl).toBeUndefined();
    const id = enqueue();

    const stop = startBackgroundJobs(db, config, { intervalMs: 20, log: () => undefined });
    await waitFor(() => outboxRow(id).status === "sent");
    await stop();

    const files = readdirSync(config.mailDir);
    expect(files).toHaveLength(1);
    const raw = readFileSync(path.join(config.mailDir, files[0]), "latin1");
    expect(headerValue(raw, "Subject")).toBe("Breach notification 2026-001");
    expect(headerValue(raw, "To")).toBe("privacy@bakkerij-jansen.test");
    expect(headerValue(raw, "Message-ID")).toBe(outboxRow(id).messageId);
  });
});

// ----- the scheduler ---------------------------------------------------------------------------

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("background jobs", () => {
  it("never overlaps runs of a job, logs one line per failed run, and stop waits for the run in flight", async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    let finishedRuns = 0;
    const lines: string[] = [];
    const stop = startScheduler(
      [
        {
          name: "slow",
          intervalMs: 1,
          async run() {
            running += 1;
            runs += 1;
            maxRunning = Math.max(maxRunning, running);
            await new Promise((resolve) => setTimeout(resolve, 15));
            running -= 1;
            finishedRuns += 1;
            if (runs % 2 === 0) throw new Error("disk full\n    at somewhere");
          },
        },
      ],
      { db, log: (line) => lines.push(line) },
    );

    await waitFor(() => runs >= 4);
    await stop();
    const runsAtStop = runs;
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(maxRunning).toBe(1);
    expect(finishedRuns).toBe(runs);
    expect(runs).toBe(runsAtStop);
    expect(lines.length).toBe(Math.floor(runs / 2));
    expect(lines.every((line) => line === "[jobs] slow failed: disk full at somewhere")).toBe(true);
  });

  it("delivers queued mail through the configured transport and logs each failed delivery on one line", async () => {
    const config = parseConfig({ NODE_ENV: "test", DATA_DIR: t.dir, SESSION_SECRET: "x".repeat(32) });
    const lines: string[] = [];
    const sentId = enqueue(mail({ subject: "Goes through" }));
    const failingId = enqueue(mail({ subject: "Fails" }));
    const transport: MailTransport = {
      async send(message) {
        if (message.subject === "Fails") throw new Error("550 no such user");
        return { messageId: "<ok@test>", rejected: [] };
      },
    };

    const stop = startBackgroundJobs(db, config, { intervalMs: 20, log: (line) => lines.push(line), transport, clock: () => T0 });
    await waitFor(() => outboxRow(sentId).status === "sent" && outboxRow(failingId).attempts === 1);
    await stop();

    expect(outboxRow(failingId)).toMatchObject({ status: "pending", nextAttemptAt: at(T0, MINUTE) });
    expect(lines).toEqual([`[jobs] outbox: message ${failingId} attempt 1 failed (will retry): 550 no such user`]);
  });
});

describe("personal sign-in links in the mailbox", () => {
  it("shows an invitation's body only to its recipient", async () => {
    const { db, cleanup } = createTestDb();
    try {
      const workspace = seedWorkspace(db);
      const admin = seedStaff(db, workspace.id, "admin");
      const officer = seedStaff(db, workspace.id, "privacy_officer");
      const now = "2026-11-22T10:00:00.000Z";
      const id = db.transaction((tx) =>
        enqueueMail(tx, { workspaceId: workspace.id, kind: "password_reset", to: [admin.email], subject: "Reset", text: "https://x.example/reset-password/secret" }, now),
      );
      const forOfficer = await getOutboxMessage(db, officer, id);
      expect(forOfficer.withheld).toBe(true);
      expect(forOfficer.text).not.toContain("secret");
      const forAdmin = await getOutboxMessage(db, admin, id);
      expect(forAdmin.withheld).toBe(false);
      expect(forAdmin.text).toContain("reset-password/secret");
    } finally {
      cleanup();
    }
  });
});
