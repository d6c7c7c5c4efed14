/**
 * The reminder jobs with an injected clock: each reminder fires once, at its moment, across the
 * DST changes of October 2026 and March 2027; catching up sends only the latest threshold; the
 * workspace's settings decide whether and to whom; every reminder is mail + in-app notification
 * (staff) or mail in the customer's language, with an audit event.
 */
import { and, asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import {
  auditEvents,
  breachCustomers,
  breaches,
  dpas,
  endOfContractCases,
  endOfContractTasks,
  notifications,
  outbox,
  remindersSent,
  subprocessorChanges,
  subprocessorNotices,
  subprocessors,
  termsVersions,
  users,
} from "../../db/schema";
import { seedTermsProfiles } from "../../db/seed/terms-profiles";
import { verifyAuditChain } from "~/services/audit.server";
import {
  runBreachReminders,
  runContractNoticeReminders,
  runDpaSignatureReminders,
  runEndOfContractReminders,
  runObjectionWindowReminders,
} from "~/services/reminder-jobs.server";
import { getReminderSettings, reminderSettingsFromForm, updateReminderSettings, ReminderSettingsSchema } from "~/services/reminders.server";
import { newId } from "~/services/ids.server";
import { setDb } from "~/db.server";
import { setBreachAssignee } from "~/services/breaches.server";
import { breachAssigneeChoices } from "~/services/reminder-assignee.server";
import { createTestDb, seedCustomer, seedStaff, seedWorkspace, type StaffActor, type TestDb } from "../helpers/db";

const APP = { appUrl: "https://dpadesk.test" };
const SEED = "2026-01-05T09:00:00.000Z";

let t: TestDb;
let db: Db;
let workspaceId: string;
let admin: StaffActor;
let officer: StaffActor;
let handler: StaffActor;

beforeEach(() => {
  t = createTestDb();
  db = t.db;
  workspaceId = seedWorkspace(db, { tradeName: "Leadcube", legalName: "Leadcube B.V." }).id;
  admin = seedStaff(db, workspaceId, "admin");
  officer = seedStaff(db, workspaceId, "privacy_officer");
  handler = seedStaff(db, workspaceId, "privacy_officer");
  db.update(users).set({ locale: "en" }).where(eq(users.id, handler.userId)).run();
});

afterEach(() => t.cleanup());

function termsVersion(content: unknown = seedTermsProfiles.leadcube): string {
  const id = newId();
  db.insert(termsVersions).values({ id, workspaceId, version: 1, content: JSON.stringify(content), reason: "v1", effectiveDate: "2024-01-01", createdAt: SEED }).run();
  return id;
}

function breachWithClock(input: { start: string; due: string; customers?: number; assignee?: string | null; hours?: number }): string {
  const breachId = newId();
  db.insert(breaches)
    .values({
      id: breachId,
      workspaceId,
      reference: `DL-2026-${breachId.slice(0, 4)}`,
      title: "Phishing mailbox",
      classification: "breach",
      status: "open",
      sourceKind: "own_systems",
      discoveredAt: input.start,
      assigneeUserId: input.assignee ?? null,
      createdAt: input.start,
      updatedAt: input.start,
    })
    .run();
  const deadline = {
    kind: "instant",
    due: input.due,
    unit: "hours",
    amount: input.hours ?? 24,
    direction: "after",
    start: { event: "breach_discovered", at: input.start },
    basis: { kind: "contractual", article: "VO 7.5", source: "profile", version: 1 },
    adjustments: [],
  };
  for (let i = 0; i < (input.customers ?? 2); i++) {
    const customer = seedCustomer(db, workspaceId, { name: `Klant ${i} ${breachId.slice(0, 4)}` });
    db.insert(breachCustomers)
      .values({
        id: newId(),
        workspaceId,
        breachId,
        customerId: customer.id,
        status: "affected",
        origin: "derived",
        noticeDeadline: JSON.stringify(deadline),
        noticeStart: input.start,
        noticeSoonAt: input.due,
        noticeDue: input.due,
        createdAt: input.start,
        updatedAt: input.start,
      })
      .run();
  }
  return breachId;
}

function sent(kind?: string) {
  return db
    .select()
    .from(remindersSent)
    .where(kind ? eq(remindersSent.kind, kind) : undefined)
    .orderBy(asc(remindersSent.sentAt), asc(remindersSent.recipient))
    .all();
}

function mails() {
  return db.select().from(outbox).orderBy(asc(outbox.createdAt), asc(outbox.id)).all();
}

function reminderAudits() {
  return db.select().from(auditEvents).where(eq(auditEvents.action, "reminder.sent")).all();
}

describe("breach notice reminders across the October 2026 DST change", () => {
  // 24 h clock from Saturday 24-10-2026 14:00 CEST to Sunday 25-10-2026 13:00 CET
  const START = "2026-10-24T12:00:00.000Z";
  const DUE = "2026-10-25T12:00:00.000Z";

  it("fires 50%, 75% and 90% to the assignee once each at their moments, then escalates overdue to the admins", async () => {
    const breachId = breachWithClock({ start: START, due: DUE, assignee: handler.userId, customers: 3 });
    const steps: Array<[string, string[]]> = [
      ["2026-10-24T23:59:59.999Z", []],
      ["2026-10-25T00:00:00.000Z", ["breach_notice:50"]], // 02:00 CEST, before the clocks go back
      ["2026-10-25T00:30:00.000Z", []],
      ["2026-10-25T05:59:00.000Z", []],
      ["2026-10-25T06:00:00.000Z", ["breach_notice:75"]], // 07:00 CET
      ["2026-10-25T09:36:00.000Z", ["breach_notice:90"]], // 10:36 CET
      ["2026-10-25T11:59:59.000Z", []],
      ["2026-10-25T12:00:00.000Z", ["breach_overdue:overdue"]], // 13:00 CET
      ["2026-10-25T18:00:00.000Z", []],
    ];
    for (const [now, expected] of steps) {
      const before = sent().length;
      await runBreachReminders(db, now, APP);
      const fresh = sent().slice(before);
      expect(fresh.map((r) => `${r.kind}:${r.threshold}`), now).toEqual(expected);
      for (const row of fresh) expect(row.sentAt).toBe(now);
    }
    const notice = sent("breach_notice");
    expect(notice.every((r) => r.recipient === `user:${handler.userId}`)).toBe(true);
    expect(sent("breach_overdue").map((r) => r.recipient)).toEqual([`user:${admin.userId}`]);

    // one mail each, in the recipient's language, naming the deadline, its basis and the page
    const all = mails();
    expect(all).toHaveLength(4);
    const first = all[0];
    expect(JSON.parse(first.toAddresses)).toEqual([handler.email]);
    expect(first.subject).toBe(`Reminder: 50% of the notice deadline for breach DL-2026-${breachId.slice(0, 4)} has passed`);
    expect(first.textBody).toContain("Not yet notified: 3 customer(s).");
    expect(first.textBody).toContain("Deadline: 25-10-2026 13:00 CET");
    expect(first.textBody).toContain("24 h after 24-10-2026 14:00 CEST");
    expect(first.textBody).toContain(`https://dpadesk.test/breaches/${breachId}`);
    const escalation = all[3];
    expect(JSON.parse(escalation.toAddresses)).toEqual([admin.email]);
    expect(escalation.subject).toContain("Escalatie: meldtermijn voor datalek");

    // in-app notifications for the same people, linking to the breach
    const inApp = db.select().from(notifications).orderBy(asc(notifications.createdAt)).all();
    expect(inApp.map((n) => [n.userId, n.messageKey, n.link])).toEqual([
      [handler.userId, "reminders.notify.breachNotice", `/breaches/${breachId}`],
      [handler.userId, "reminders.notify.breachNotice", `/breaches/${breachId}`],
      [handler.userId, "reminders.notify.breachNotice", `/breaches/${breachId}`],
      [admin.userId, "reminders.notify.breachOverdue", `/breaches/${breachId}`],
    ]);
    expect(JSON.parse(inApp[0].params)).toMatchObject({ percent: "50", count: 3, due: "25-10-2026 13:00 CET" });

    // every reminder is in the audit log, on the breach, by the system
    const audits = reminderAudits();
    expect(audits).toHaveLength(4);
    expect(audits.every((a) => a.entityType === "breach" && a.entityId === breachId && a.actorLabel === "system: reminders")).toBe(true);
    expect(verifyAuditChain(db, workspaceId).ok).toBe(true);
  });

  it("goes to the privacy officers without an assignee, and stops once every customer is notified", async () => {
    const breachId = breachWithClock({ start: START, due: DUE });
    await runBreachReminders(db, "2026-10-25T00:00:00.000Z", APP);
    expect(sent("breach_notice").map((r) => r.recipient).sort()).toEqual([`user:${officer.userId}`, `user:${handler.userId}`].sort());
    db.update(breachCustomers).set({ notifiedAt: "2026-10-25T01:00:00.000Z" }).where(eq(breachCustomers.breachId, breachId)).run();
    await runBreachReminders(db, "2026-10-25T06:00:00.000Z", APP);
    await runBreachReminders(db, "2026-10-25T12:00:00.000Z", APP);
    expect(sent()).toHaveLength(2);
  });

  it("after downtime sends only the latest threshold passed, once", async () => {
    breachWithClock({ start: START, due: DUE, assignee: handler.userId });
    await runBreachReminders(db, "2026-10-25T07:00:00.000Z", APP);
    await runBreachReminders(db, "2026-10-25T07:00:00.000Z", APP);
    expect(sent().map((r) => r.threshold)).toEqual(["75"]);
  });
});

describe("breach notice reminders across the March 2027 DST change", () => {
  it("fires at the elapsed moments of a 12 h clock from 27-03-2027 21:00 CET", async () => {
    breachWithClock({ start: "2027-03-27T20:00:00.000Z", due: "2027-03-28T08:00:00.000Z", assignee: officer.userId, hours: 12 });
    const fired: string[] = [];
    // a clock that ticks every 6 minutes through the night, as a running scheduler would
    for (let ms = Date.parse("2027-03-27T20:00:00.000Z"); ms <= Date.parse("2027-03-28T09:00:00.000Z"); ms += 6 * 60_000) {
      const now = new Date(ms).toISOString();
      const before = sent().length;
      await runBreachReminders(db, now, APP);
      for (const row of sent().slice(before)) fired.push(`${row.threshold}@${now}`);
    }
    expect(fired).toEqual([
      "50@2027-03-28T02:00:00.000Z", // 04:00 CEST
      "75@2027-03-28T05:00:00.000Z", // 07:00 CEST
      "90@2027-03-28T06:48:00.000Z", // 08:48 CEST
      "overdue@2027-03-28T08:00:00.000Z",
    ]);
    expect(mails()[0].textBody).toContain("Uiterlijk: 28-03-2027 10:00 CEST");
  });
});

describe("reminder settings", () => {
  it("a kind turned off sends nothing; a changed audience reaches the other recipients", async () => {
    const defaults = await getReminderSettings(db, admin);
    expect(defaults.find((s) => s.kind === "breach_notice")).toMatchObject({ enabled: true, audience: ["assignee"], isDefault: true });

    const form = new FormData();
    for (const s of defaults) {
      if (s.kind !== "breach_notice") form.set(`${s.kind}.enabled`, "on");
      for (const a of s.audience) form.append(`${s.kind}.audience`, a);
    }
    const result = await updateReminderSettings(db, admin, reminderSettingsFromForm(form), "2026-10-20T10:00:00.000Z");
    expect(result.changed).toEqual(["breach_notice"]);
    const breachId = breachWithClock({ start: "2026-10-24T12:00:00.000Z", due: "2026-10-25T12:00:00.000Z", assignee: handler.userId });
    await runBreachReminders(db, "2026-10-25T00:00:00.000Z", APP);
    expect(sent("breach_notice")).toHaveLength(0);

    const form2 = reminderSettingsFromForm(form);
    form2.breach_notice = { enabled: true, audience: ["admins", "privacy_officers"] };
    await updateReminderSettings(db, admin, form2, "2026-10-20T10:05:00.000Z");
    await runBreachReminders(db, "2026-10-25T06:00:00.000Z", APP);
    expect(sent("breach_notice").map((r) => r.recipient).sort()).toEqual(
      [`user:${admin.userId}`, `user:${officer.userId}`, `user:${handler.userId}`].sort(),
    );
    expect(breachId).toBeTruthy();

    const settingAudits = db.select().from(auditEvents).where(eq(auditEvents.action, "reminder_settings.updated")).all();
    expect(settingAudits).toHaveLength(2);
    expect(JSON.parse(settingAudits[1].data)).toEqual({
      breach_notice: { before: { enabled: false, audience: ["assignee"] }, after: { enabled: true, audience: ["privacy_officers", "admins"] } },
    });
  });

  it("refuses an enabled kind without recipients and a recipient the kind does not allow; only admins may change them", async () => {
    const parsed = ReminderSettingsSchema.safeParse({
      ...Object.fromEntries((await getReminderSettings(db, admin)).map((s) => [s.kind, { enabled: s.enabled, audience: s.audience }])),
      contract_notice: { enabled: true, audience: ["customer"] },
      eoc_task: { enabled: true, audience: [] },
    });
    expect(parsed.success).toBe(false);
    const messages = parsed.error!.issues.map((i) => `${i.path.join(".")}:${i.message}`);
    expect(messages).toEqual(["contract_notice.audience:reminders.error.audienceNotAllowed", "eoc_task.audience:reminders.error.audienceRequired"]);
    await expect(getReminderSettings(db, officer)).rejects.toMatchObject({ status: 403 });
  });
});

describe("DPA signature reminders across the March 2027 DST change", () => {
  it("reminds the signatory (in the customer's language) and the privacy officers 7 and 14 days after sending", async () => {
    const customer = seedCustomer(db, workspaceId, { name: "Bakkerij Jansen", language: "en", signatoryEmail: "Jan@Bakkerij.test" });
    const dpaId = newId();
    db.insert(dpas)
      .values({
        id: dpaId,
        workspaceId,
        customerId: customer.id,
        termsVersionId: termsVersion(),
        language: "en",
        state: "sent",
        versionLabel: "Leadcube VO v1",
        text: "x",
        textHash: "h",
        rendered: "{}",
        createdAt: "2027-03-25T09:00:00.000Z",
        sentAt: "2027-03-25T10:00:00.000Z", // 11:00 CET
      })
      .run();
    await runDpaSignatureReminders(db, "2027-04-01T08:59:59.000Z", APP); // 7 × 24 h later, but 10:59 CEST
    expect(sent()).toHaveLength(0);
    await runDpaSignatureReminders(db, "2027-04-01T09:00:00.000Z", APP); // 11:00 CEST
    expect(sent().map((r) => `${r.threshold}:${r.recipient}`).sort()).toEqual(
      ["7d:email:jan@bakkerij.test", `7d:user:${officer.userId}`, `7d:user:${handler.userId}`].sort(),
    );
    const customerMail = mails().find((m) => m.toAddresses.includes("jan@bakkerij.test"))!;
    expect(customerMail.subject).toBe("Reminder: processor agreement from Leadcube B.V. not signed yet");
    expect(customerMail.textBody).toContain("https://dpadesk.test/portal/dpa");
    expect(db.select().from(notifications).all()).toHaveLength(2);
    await runDpaSignatureReminders(db, "2027-04-05T09:00:00.000Z", APP);
    await runDpaSignatureReminders(db, "2027-04-08T09:00:00.000Z", APP);
    expect(sent().filter((r) => r.threshold === "14d")).toHaveLength(3);
    db.update(dpas).set({ state: "signed" }).where(eq(dpas.id, dpaId)).run();
    await runDpaSignatureReminders(db, "2027-05-01T09:00:00.000Z", APP);
    expect(sent()).toHaveLength(6);
  });
});

describe("objection window reminders", () => {
  function noticeFixture() {
    const spId = newId();
    db.insert(subprocessors)
      .values({ id: spId, workspaceId, legalName: "Mailgun Technologies", nameKey: "mailgun technologies", serviceNl: "e-mail", serviceEn: "email", purposeNl: "p", purposeEn: "p", status: "proposed", createdAt: SEED, updatedAt: SEED })
      .run();
    const changeId = newId();
    db.insert(subprocessorChanges)
      .values({ id: changeId, workspaceId, kind: "new", subprocessorId: spId, plannedStart: "2026-12-01", descriptionNl: "d", descriptionEn: "d", status: "scheduled", createdAt: SEED, updatedAt: SEED, sentAt: "2026-11-02T10:00:00.000Z" })
      .run();
    const windowDeadline = {
      kind: "date",
      due: "2026-11-16",
      unit: "weeks",
      amount: 2,
      direction: "after",
      start: { event: "notice_sent", at: "2026-11-02T10:00:00.000Z" },
      basis: { kind: "contractual", article: "B1 4.2", source: "profile", version: 1 },
      adjustments: [],
    };
    const notices = ["nl", "en"].map((language, i) => {
      const customer = seedCustomer(db, workspaceId, { name: `Klant ${language}`, language: language as "nl" | "en" });
      const id = newId();
      db.insert(subprocessorNotices)
        .values({
          id,
          workspaceId,
          changeId,
          customerId: customer.id,
          included: true,
          usesRelatedService: true,
          sentAt: "2026-11-02T10:00:00.000Z",
          regime: "window",
          windowEnd: "2026-11-16",
          windowDeadline: JSON.stringify(windowDeadline),
          language: language as "nl" | "en",
          toAddresses: JSON.stringify([`privacy${i}@klant.test`]),
          createdAt: SEED,
        })
        .run();
      return id;
    });
    return { changeId, notices };
  }

  it("3 days and 1 day before the last day: customers who have not answered, and a summary to the privacy officers", async () => {
    const { changeId, notices } = noticeFixture();
    await runObjectionWindowReminders(db, "2026-11-13T07:59:00.000Z", APP);
    expect(sent()).toHaveLength(0);
    await runObjectionWindowReminders(db, "2026-11-13T08:00:00.000Z", APP); // Friday 09:00 CET
    expect(sent().map((r) => `${r.threshold}:${r.recipient}`).sort()).toEqual(
      ["3d:email:privacy0@klant.test", "3d:email:privacy1@klant.test", `3d:user:${officer.userId}`, `3d:user:${handler.userId}`].sort(),
    );
    const en = mails().find((m) => m.toAddresses.includes("privacy1@klant.test"))!;
    expect(en.subject).toBe("Reminder: you can respond to Leadcube B.V.'s sub-processor change until 16-11-2026");
    expect(en.textBody).toContain("2 weeks after 02-11-2026 11:00 CET");
    const staff = mails().find((m) => m.toAddresses.includes(officer.email))!;
    expect(staff.subject).toBe("Bezwaartermijn voor Mailgun Technologies loopt tot en met 16-11-2026: 2 klant(en) zonder reactie");
    expect(staff.textBody).toContain(`https://dpadesk.test/subprocessors/changes/${changeId}`);

    // one customer answers; the day before the last day only the other one is reminded
    db.update(subprocessorNotices).set({ response: "approved", respondedAt: "2026-11-14T10:00:00.000Z" }).where(eq(subprocessorNotices.id, notices[0])).run();
    await runObjectionWindowReminders(db, "2026-11-15T08:00:00.000Z", APP);
    const oneDay = sent().filter((r) => r.threshold === "1d");
    expect(oneDay.map((r) => r.recipient).sort()).toEqual(["email:privacy1@klant.test", `user:${officer.userId}`, `user:${handler.userId}`].sort());
    expect(mails().filter((m) => m.subject.includes("1 klant(en) zonder reactie") || m.subject.includes("1 customer(s) without an answer"))).toHaveLength(2);
    await runObjectionWindowReminders(db, "2026-11-17T08:00:00.000Z", APP);
    expect(sent()).toHaveLength(7);
  });

  it("respects the audience: staff only when the customer audience is off", async () => {
    noticeFixture();
    const settings = await getReminderSettings(db, admin);
    const input = Object.fromEntries(settings.map((s) => [s.kind, { enabled: s.enabled, audience: s.audience }]));
    input.objection_window = { enabled: true, audience: ["privacy_officers"] };
    await updateReminderSettings(db, admin, ReminderSettingsSchema.parse(input), "2026-11-01T10:00:00.000Z");
    await runObjectionWindowReminders(db, "2026-11-13T08:00:00.000Z", APP);
    expect(sent().every((r) => r.recipient.startsWith("user:"))).toBe(true);
    expect(sent()).toHaveLength(2);
  });
});

describe("contract notice reminders", () => {
  it("30 and 7 days before the last notice day (Lai Media: 1 month before the end of the year)", async () => {
    const customer = seedCustomer(db, workspaceId, { name: "Webshop Noord", contractStart: "2026-01-01", contractTermMonths: 12, termsVersionId: termsVersion(seedTermsProfiles["lai-media"]) });
    await runContractNoticeReminders(db, "2026-10-31T07:59:00.000Z", APP);
    expect(sent()).toHaveLength(0);
    await runContractNoticeReminders(db, "2026-10-31T08:00:00.000Z", APP); // 09:00 CET, 30 days before 30-11-2026
    expect(sent().map((r) => `${r.threshold}:${r.subjectId}`)).toEqual([
      `30d:${customer.id}|2026-11-30`,
      `30d:${customer.id}|2026-11-30`,
    ]);
    const mail = mails().find((m) => m.toAddresses.includes(officer.email))!;
    expect(mail.subject).toBe("Opzeggen voor Webshop Noord kan tot en met 30-11-2026");
    expect(mails().find((m) => m.toAddresses.includes(handler.email))!.subject).toBe("Notice for Webshop Noord can be given until 30-11-2026");
    expect(mail.textBody).toContain("stilzwijgend verlengd op 01-01-2027");
    expect(mail.textBody).toContain(`https://dpadesk.test/customers/${customer.id}/terms`);
    await runContractNoticeReminders(db, "2026-11-23T08:00:00.000Z", APP);
    await runContractNoticeReminders(db, "2026-11-23T09:00:00.000Z", APP);
    expect(sent().filter((r) => r.threshold === "7d")).toHaveLength(2);
    await runContractNoticeReminders(db, "2026-12-01T08:00:00.000Z", APP);
    expect(sent()).toHaveLength(4);
  });
});

describe("end-of-contract task and backup expiry reminders", () => {
  it("7 days before, on the day and overdue, to the task's assignee; backup expiry to the privacy officers", async () => {
    const customer = seedCustomer(db, workspaceId, { name: "Fietsenmaker Oost" });
    const caseId = newId();
    db.insert(endOfContractCases)
      .values({
        id: caseId,
        workspaceId,
        customerId: customer.id,
        reference: "EC-2027-0001",
        kind: "termination",
        noticeGivenBy: "customer",
        noticeReceivedOn: "2027-02-01",
        computedEndDate: "2027-03-02",
        endDate: "2027-03-02",
        status: "open",
        defaultChoice: "delete",
        createdAt: SEED,
        updatedAt: SEED,
      })
      .run();
    const task = (kind: "production_deletion" | "backup_expiry", dueDate: string, assignee: string | null) => {
      const id = newId();
      db.insert(endOfContractTasks)
        .values({ id, workspaceId, caseId, customerId: customer.id, kind, position: 1, dueDate, status: "open", assigneeUserId: assignee, createdAt: SEED, updatedAt: SEED })
        .run();
      return id;
    };
    const deletion = task("production_deletion", "2027-03-30", handler.userId);
    task("backup_expiry", "2027-03-30", null);
    const moments = ["2027-03-23T07:59:00.000Z", "2027-03-23T08:00:00.000Z", "2027-03-30T06:59:00.000Z", "2027-03-30T07:00:00.000Z", "2027-03-30T22:00:00.000Z"];
    for (const now of moments) await runEndOfContractReminders(db, now, APP);
    expect(sent("eoc_task").map((r) => `${r.threshold}:${r.recipient}:${r.dueAt}`)).toEqual([
      `7d:user:${handler.userId}:2027-03-23T08:00:00.000Z`, // 09:00 CET
      `due:user:${handler.userId}:2027-03-30T07:00:00.000Z`, // 09:00 CEST
      `overdue:user:${handler.userId}:2027-03-30T22:00:00.000Z`, // 00:00 CEST on the 31st
    ]);
    expect(sent("backup_expiry").map((r) => r.threshold)).toEqual(["7d", "7d", "due", "due", "overdue", "overdue"]);
    const overdueMail = mails().find((m) => m.subject.startsWith("Overdue: Delete in production"))!;
    expect(overdueMail.textBody).toContain(`https://dpadesk.test/contracts/${caseId}`);
    db.update(endOfContractTasks).set({ status: "done" }).where(and(eq(endOfContractTasks.id, deletion))).run();
    await runEndOfContractReminders(db, "2027-04-02T08:00:00.000Z", APP);
    expect(sent()).toHaveLength(9);
  });
});

describe("breach assignee", () => {
  it("staff who may write set and clear it (audited); only active admins and privacy officers can be assigned", async () => {
    setDb(db);
    try {
      const breachId = breachWithClock({ start: "2026-10-24T12:00:00.000Z", due: "2026-10-25T12:00:00.000Z" });
      const auditor = seedStaff(db, workspaceId, "auditor");
      const choices = await breachAssigneeChoices(db, auditor, breachId);
      expect(choices.assigneeUserId).toBeNull();
      expect(choices.candidates.map((c) => c.userId).sort()).toEqual([admin.userId, officer.userId, handler.userId].sort());

      expect(await setBreachAssignee(officer, breachId, handler.userId, "2026-10-24T13:00:00.000Z")).toEqual({ ok: true, changed: true });
      expect(await setBreachAssignee(officer, breachId, handler.userId, "2026-10-24T13:01:00.000Z")).toEqual({ ok: true, changed: false });
      expect(await setBreachAssignee(officer, breachId, auditor.userId, "2026-10-24T13:02:00.000Z")).toEqual({
        ok: false,
        errors: { assigneeUserId: "reminders.assignee.error.notStaff" },
      });
      await expect(setBreachAssignee(auditor, breachId, null, "2026-10-24T13:03:00.000Z")).rejects.toMatchObject({ status: 403 });
      const other = seedWorkspace(db);
      const outsider = seedStaff(db, other.id, "admin");
      await expect(setBreachAssignee(outsider, breachId, null, "2026-10-24T13:03:00.000Z")).rejects.toMatchObject({ status: 404 });
      expect((await breachAssigneeChoices(db, officer, breachId)).assigneeUserId).toBe(handler.userId);

      await runBreachReminders(db, "2026-10-25T00:00:00.000Z", APP);
      expect(sent().map((r) => r.recipient)).toEqual([`user:${handler.userId}`]);

      expect(await setBreachAssignee(admin, breachId, null, "2026-10-25T01:00:00.000Z")).toEqual({ ok: true, changed: true });
      const trail = db.select().from(auditEvents).where(and(eq(auditEvents.entityType, "breach"), eq(auditEvents.entityId, breachId))).orderBy(asc(auditEvents.id)).all();
      expect(trail.map((e) => e.action)).toEqual(["breach.assignee_set", "reminder.sent", "breach.assignee_cleared"]);
      expect(JSON.parse(trail[2].data)).toMatchObject({ before: handler.userId, after: null });
    } finally {
      setDb(undefined);
    }
  });
});
