/**
 * The reminder jobs: per kind, find what is due across all workspaces (one workspace at a time,
 * through the workspace-leading indexes), decide the threshold that is due now (the latest one
 * passed; see app/domain/reminder-schedule.ts), and send it to the audience the workspace chose.
 * Every send goes through reminders.server.ts, which makes it happen exactly once.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { endOfContractCases, termDeviations, workspaces } from "../../db/schema";
import { currentTermEnd } from "~/domain/contract-clock";
import type { Deadline } from "~/domain/deadline";
import type { TaskBasis } from "~/domain/end-of-contract-tasks";
import { explainDeadline } from "~/domain/explain-deadline";
import {
  breachNoticeThresholds,
  contractNoticeThresholds,
  daysUntil,
  dpaSignatureThresholds,
  dueDateThresholds,
  endOfDay,
  instantOverdueThreshold,
  latestPassed,
  objectionWindowThresholds,
  type ReminderThreshold,
} from "~/domain/reminder-schedule";
import { effectiveTerms, type EffectiveTerms, type StoredDeviation } from "~/domain/terms";
import { amsterdamDateOf, parseInstant } from "~/domain/time";
import { translator, type Locale, type MessageKey } from "~/i18n/i18n";
import {
  closingObjectionWindows,
  openTasksPage,
  pendingBreachNoticeClocks,
  runningContractsPage,
  unsignedDpasPage,
} from "./deadline-sources.server";
import { groupDeviations, termsVersionsOf } from "./terms-store.server";
import { displayDate, displayInstant } from "./display.server";
import {
  emptyCounts,
  sendCustomerReminder,
  sendStaffReminder,
  staffRecipients,
  workspaceDirectory,
  type ReminderKey,
  type ReminderKind,
  type SendCounts,
  type StaffContent,
  type WorkspaceDirectory,
} from "./reminders.server";

export type ReminderContext = { appUrl: string };

const PAGE = 500;

function todayOf(now: string): string {
  return amsterdamDateOf(parseInstant(now, "now")).toString();
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The explanation of a stored deadline: a bare Deadline (breach and objection clocks) or an
 * end-of-contract task basis ({ kind: "deadline", deadline, explanation }).
 */
function explain(json: string | null, locale: Locale, fallback: string): string {
  if (!json) return fallback;
  try {
    const parsed = JSON.parse(json) as Deadline | TaskBasis;
    if (parsed.kind === "deadline") return explainDeadline(parsed.deadline, locale);
    if (parsed.kind !== "instant" && parsed.kind !== "date") return fallback;
    return explainDeadline(parsed, locale);
  } catch {
    return fallback;
  }
}

function allWorkspaces(db: Db) {
  return db.select().from(workspaces).orderBy(asc(workspaces.id)).all();
}

/** Lets the web server answer requests between pages of a long run (the database handle is synchronous). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs `each` for every workspace where at least one of the kinds is on, one workspace after another. */
async function forEachWorkspace(db: Db, kinds: ReminderKind[], each: (directory: WorkspaceDirectory) => Promise<void> | void): Promise<void> {
  for (const workspace of allWorkspaces(db)) {
    const directory = workspaceDirectory(db, workspace);
    if (kinds.some((kind) => directory.settings[kind].enabled)) await each(directory);
    await yieldToEventLoop();
  }
}

/** Reads `fetch` a page at a time (rows by id, after the last id of the page before), letting the server breathe between pages. */
async function forEachPage<T extends { id: string }>(fetch: (after: string, size: number) => T[], each: (page: T[]) => void): Promise<void> {
  let after = "";
  for (;;) {
    const page = fetch(after, PAGE);
    each(page);
    if (page.length < PAGE) break;
    after = page[page.length - 1].id;
    await yieldToEventLoop();
  }
}

function staffText(locale: Locale, prefix: string, vars: Record<string, string | number>, name: string, workspace: string, link: string) {
  const t = translator(locale);
  return {
    subject: t(`${prefix}.subject` as MessageKey, vars),
    text: `${t("reminders.mail.greeting", { name })}\n\n${t(`${prefix}.body` as MessageKey, vars)}\n\n${link}\n\n${t("reminders.mail.footer", { workspace })}\n`,
  };
}

/** Sends a staff reminder of `kind` to everyone in its audience. */
function toStaff(
  db: Db,
  directory: WorkspaceDirectory,
  key: ReminderKey,
  assigneeUserId: string | null,
  build: (locale: Locale, name: string) => StaffContent,
  now: string,
  counts: SendCounts,
): void {
  const setting = directory.settings[key.kind];
  if (!setting.enabled) return;
  for (const member of staffRecipients(directory, setting.audience, assigneeUserId)) {
    sendStaffReminder(db, key, member, (locale) => build(locale, member.name), now, counts);
  }
}

function wantsCustomer(directory: WorkspaceDirectory, kind: ReminderKind): boolean {
  const setting = directory.settings[kind];
  return setting.enabled && setting.audience.includes("customer");
}

// ---------------------------------------------------------------------------------------
// Breach notice clocks: 50/75/90% to the assignee, overdue escalation to the admins

/**
 * One reminder per clock group: the customers of one breach that share the same notice start and
 * due moment and are not notified yet (a breach at a sub-processor may affect thousands of customers
 * on one clock; they get one reminder, with the count).
 */
export async function runBreachReminders(db: Db, now: string, context: ReminderContext): Promise<SendCounts> {
  const counts = emptyCounts();
  await forEachWorkspace(db, ["breach_notice", "breach_overdue"], (directory) => {
    const groups = pendingBreachNoticeClocks(db, directory.workspaceId, now);
    for (const group of groups) {
      const path = `/breaches/${group.breachId}`;
      const base = {
        workspaceId: directory.workspaceId,
        subjectType: "breach_clock",
        subjectId: `${group.breachId}|${group.noticeStart}|${group.noticeDue}`,
        customerId: null,
        audit: { entityType: "breach", entityId: group.breachId },
      };
      const vars = (locale: Locale, percent?: string) => ({
        reference: group.reference,
        title: group.title,
        count: group.pending,
        due: displayInstant(group.noticeDue),
        explanation: explain(group.deadline, locale, displayInstant(group.noticeDue)),
        ...(percent ? { percent } : {}),
      });
      const threshold = latestPassed(breachNoticeThresholds(group.noticeStart, group.noticeDue), now, group.noticeDue);
      if (threshold) {
        const key: ReminderKey = { ...base, kind: "breach_notice", threshold: threshold.threshold, dueAt: threshold.at };
        toStaff(db, directory, key, group.assigneeUserId, (locale, name) => ({
          ...staffText(locale, "reminders.mail.breachNotice", vars(locale, threshold.threshold), name, directory.tradeName, `${context.appUrl}${path}`),
          messageKey: "reminders.notify.breachNotice",
          params: { reference: group.reference, percent: threshold.threshold, count: group.pending, due: displayInstant(group.noticeDue) },
          link: path,
        }), now, counts);
      }
      const overdue = instantOverdueThreshold(group.noticeDue);
      if (Date.parse(overdue.at) <= Date.parse(now)) {
        const key: ReminderKey = { ...base, kind: "breach_overdue", threshold: overdue.threshold, dueAt: overdue.at };
        toStaff(db, directory, key, group.assigneeUserId, (locale, name) => ({
          ...staffText(locale, "reminders.mail.breachOverdue", vars(locale), name, directory.tradeName, `${context.appUrl}${path}`),
          messageKey: "reminders.notify.breachOverdue",
          params: { reference: group.reference, count: group.pending, due: displayInstant(group.noticeDue) },
          link: path,
        }), now, counts);
      }
    }
  });
  return counts;
}

// ---------------------------------------------------------------------------------------
// Objection windows closing: customers who have not answered, and a summary to staff

export async function runObjectionWindowReminders(db: Db, now: string, context: ReminderContext): Promise<SendCounts> {
  const counts = emptyCounts();
  const today = todayOf(now);
  await forEachWorkspace(db, ["objection_window"], (directory) => {
    const rows = closingObjectionWindows(db, directory.workspaceId, today, addDays(today, 3));
    const summaries = new Map<string, { changeId: string; windowEnd: string; subprocessor: string; deadline: string | null; threshold: ReminderThreshold; customers: number }>();
    for (const row of rows) {
      if (!row.sentAt || !row.windowEnd) continue;
      const threshold = latestPassed(objectionWindowThresholds(row.windowEnd, row.sentAt), now, endOfDay(row.windowEnd));
      if (!threshold) continue;
      const groupKey = `${row.changeId}|${row.windowEnd}`;
      const summary = summaries.get(groupKey);
      if (summary) summary.customers += 1;
      else summaries.set(groupKey, { changeId: row.changeId, windowEnd: row.windowEnd, subprocessor: row.subprocessor, deadline: row.windowDeadline, threshold, customers: 1 });
      if (!wantsCustomer(directory, "objection_window")) continue;
      const locale: Locale = row.language ?? row.customerLanguage;
      const t = translator(locale);
      const vars = {
        vendor: directory.legalName,
        customer: row.customerName,
        subprocessor: row.subprocessor,
        sent: displayInstant(row.sentAt),
        date: displayDate(row.windowEnd),
        explanation: explain(row.windowDeadline, locale, displayDate(row.windowEnd)),
        link: `${context.appUrl}/portal/subprocessors`,
      };
      const content = { subject: t("reminders.mail.objectionCustomer.subject", vars), text: t("reminders.mail.objectionCustomer.body", vars) };
      const key: ReminderKey = {
        workspaceId: directory.workspaceId,
        kind: "objection_window",
        subjectType: "subprocessor_notice",
        subjectId: row.id,
        threshold: threshold.threshold,
        dueAt: threshold.at,
        customerId: row.customerId,
        audit: { entityType: "subprocessor_change", entityId: row.changeId },
      };
      let addresses: string[] = [];
      try {
        addresses = (JSON.parse(row.toAddresses ?? "[]") as unknown[]).filter((a): a is string => typeof a === "string");
      } catch {
        addresses = [];
      }
      for (const address of addresses) sendCustomerReminder(db, key, address, content, now, counts);
    }
    for (const summary of summaries.values()) {
      const path = `/subprocessors/changes/${summary.changeId}`;
      const key: ReminderKey = {
        workspaceId: directory.workspaceId,
        kind: "objection_window",
        subjectType: "subprocessor_change",
        subjectId: `${summary.changeId}|${summary.windowEnd}`,
        threshold: summary.threshold.threshold,
        dueAt: summary.threshold.at,
        customerId: null,
        audit: { entityType: "subprocessor_change", entityId: summary.changeId },
      };
      toStaff(db, directory, key, null, (locale, name) => {
        const vars = {
          subprocessor: summary.subprocessor,
          count: summary.customers,
          date: displayDate(summary.windowEnd),
          explanation: explain(summary.deadline, locale, displayDate(summary.windowEnd)),
        };
        return {
          ...staffText(locale, "reminders.mail.objectionStaff", vars, name, directory.tradeName, `${context.appUrl}${path}`),
          messageKey: "reminders.notify.objectionStaff",
          params: { subprocessor: summary.subprocessor, count: summary.customers, date: displayDate(summary.windowEnd) },
          link: path,
        };
      }, now, counts);
    }
  });
  return counts;
}

// ---------------------------------------------------------------------------------------
// DPA signatures outstanding after 7 and 14 days

export async function runDpaSignatureReminders(db: Db, now: string, context: ReminderContext): Promise<SendCounts> {
  const counts = emptyCounts();
  await forEachWorkspace(db, ["dpa_signature"], async (directory) => {
    await forEachPage((after, size) => unsignedDpasPage(db, directory.workspaceId, after, size), (page) => {
      for (const dpa of page) {
        if (!dpa.sentAt) continue;
        const threshold = latestPassed(dpaSignatureThresholds(dpa.sentAt), now);
        if (!threshold) continue;
        const days = threshold.threshold === "14d" ? 14 : 7;
        const key: ReminderKey = {
          workspaceId: directory.workspaceId,
          kind: "dpa_signature",
          subjectType: "dpa",
          subjectId: dpa.id,
          threshold: threshold.threshold,
          dueAt: threshold.at,
          customerId: dpa.customerId,
          audit: { entityType: "dpa", entityId: dpa.id },
        };
        if (wantsCustomer(directory, "dpa_signature")) {
          const t = translator(dpa.language);
          const vars = { vendor: directory.legalName, customer: dpa.customerName, version: dpa.versionLabel, days, sent: displayInstant(dpa.sentAt), link: `${context.appUrl}/portal/dpa` };
          const address = dpa.signatoryEmail || dpa.privacyContactEmail;
          sendCustomerReminder(db, key, address, { subject: t("reminders.mail.dpaCustomer.subject", vars), text: t("reminders.mail.dpaCustomer.body", vars) }, now, counts);
        }
        const path = `/dpas/${dpa.id}`;
        toStaff(db, directory, key, null, (locale, name) => ({
          ...staffText(locale, "reminders.mail.dpaStaff", { customer: dpa.customerName, version: dpa.versionLabel, days, sent: displayInstant(dpa.sentAt) }, name, directory.tradeName, `${context.appUrl}${path}`),
          messageKey: "reminders.notify.dpaStaff",
          params: { customer: dpa.customerName, days },
          link: path,
        }), now, counts);
      }
    });
  });
  return counts;
}

// ---------------------------------------------------------------------------------------
// Contract notice deadlines, 30 and 7 days ahead

function deviationsOf(db: Db, workspaceId: string, customerIds: string[]): Map<string, StoredDeviation[]> {
  if (customerIds.length === 0) return new Map();
  return groupDeviations(
    db
      .select()
      .from(termDeviations)
      .where(and(eq(termDeviations.workspaceId, workspaceId), inArray(termDeviations.customerId, customerIds)))
      .all(),
  );
}

export async function runContractNoticeReminders(db: Db, now: string, context: ReminderContext): Promise<SendCounts> {
  const counts = emptyCounts();
  const today = todayOf(now);
  await forEachWorkspace(db, ["contract_notice"], async (directory) => {
    const versions = termsVersionsOf(db, directory.workspaceId);
    const ending = new Set(
      db
        .select({ customerId: endOfContractCases.customerId })
        .from(endOfContractCases)
        .where(and(eq(endOfContractCases.workspaceId, directory.workspaceId), inArray(endOfContractCases.status, ["scheduled", "open"])))
        .all()
        .map((r) => r.customerId),
    );
    await forEachPage((after, size) => runningContractsPage(db, directory.workspaceId, after, size), (page) => {
      const deviations = deviationsOf(db, directory.workspaceId, page.map((c) => c.id));
      for (const customer of page) {
        if (ending.has(customer.id)) continue;
        const version = customer.termsVersionId ? versions.get(customer.termsVersionId) : undefined;
        if (!version?.profile) continue;
        let terms: EffectiveTerms;
        let status: ReturnType<typeof currentTermEnd>;
        try {
          terms = effectiveTerms(version.profile, version.version, deviations.get(customer.id) ?? []);
          status = currentTermEnd({ terms, contractStart: customer.contractStart, contractTermMonths: customer.contractTermMonths, today });
        } catch {
          continue; // a clock that cannot be computed is shown as such on the customer's terms page
        }
        if (status.kind !== "running" || !status.lastNoticeDay) continue;
        const lastNoticeDay = status.lastNoticeDay;
        const threshold = latestPassed(contractNoticeThresholds(lastNoticeDay.due), now, endOfDay(lastNoticeDay.due));
        if (!threshold) continue;
        const path = `/customers/${customer.id}/terms`;
        const key: ReminderKey = {
          workspaceId: directory.workspaceId,
          kind: "contract_notice",
          subjectType: "customer_term",
          subjectId: `${customer.id}|${lastNoticeDay.due}`,
          threshold: threshold.threshold,
          dueAt: threshold.at,
          customerId: customer.id,
          audit: { entityType: "customer", entityId: customer.id },
        };
        const days = daysUntil(lastNoticeDay.due, now);
        toStaff(db, directory, key, null, (locale, name) => ({
          ...staffText(
            locale,
            "reminders.mail.contractNotice",
            { customer: customer.name, date: displayDate(lastNoticeDay.due), days, renews: displayDate(status.renewsOn), explanation: explainDeadline(lastNoticeDay, locale) },
            name,
            directory.tradeName,
            `${context.appUrl}${path}`,
          ),
          messageKey: "reminders.notify.contractNotice",
          params: { customer: customer.name, date: displayDate(lastNoticeDay.due), days },
          link: path,
        }), now, counts);
      }
    });
  });
  return counts;
}

// ---------------------------------------------------------------------------------------
// End-of-contract tasks (and backup expiry): 7 days before, on the day, overdue

export async function runEndOfContractReminders(db: Db, now: string, context: ReminderContext): Promise<SendCounts> {
  const counts = emptyCounts();
  const horizon = addDays(todayOf(now), 7);
  await forEachWorkspace(db, ["eoc_task", "backup_expiry"], async (directory) => {
    await forEachPage((after, size) => openTasksPage(db, directory.workspaceId, horizon, after, size), (page) => {
      for (const task of page) {
        if (!task.dueDate) continue;
        const kind: ReminderKind = task.kind === "backup_expiry" ? "backup_expiry" : "eoc_task";
        const threshold = latestPassed(dueDateThresholds(task.dueDate), now);
        if (!threshold) continue;
        const path = `/contracts/${task.caseId}`;
        const key: ReminderKey = {
          workspaceId: directory.workspaceId,
          kind,
          subjectType: "eoc_task",
          subjectId: task.id,
          threshold: threshold.threshold,
          dueAt: threshold.at,
          customerId: task.customerId,
          audit: { entityType: "end_of_contract_case", entityId: task.caseId },
        };
        const prefix = kind === "backup_expiry" ? "reminders.mail.backupExpiry" : "reminders.mail.eocTask";
        const variant = threshold.threshold === "7d" ? "soon" : threshold.threshold === "due" ? "today" : "overdue";
        toStaff(db, directory, key, task.assigneeUserId, (locale, name) => {
          const t = translator(locale);
          const vars = {
            task: t(`reminders.task.${task.kind}` as MessageKey),
            customer: task.customerName,
            reference: task.reference,
            date: displayDate(task.dueDate),
            explanation: explain(task.basis, locale, displayDate(task.dueDate)),
          };
          return {
            ...staffText(locale, `${prefix}.${variant}`, vars, name, directory.tradeName, `${context.appUrl}${path}`),
            messageKey: `${prefix === "reminders.mail.backupExpiry" ? "reminders.notify.backupExpiry" : "reminders.notify.eocTask"}.${variant}` as MessageKey,
            params: { task: vars.task, customer: task.customerName, reference: task.reference, date: vars.date },
            link: path,
          };
        }, now, counts);
      }
    });
  });
  return counts;
}
