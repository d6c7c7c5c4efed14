/**
 * End of contract (issue #6): contract dates per customer, terminations and non-renewals,
 * the end-of-contract case with its tasks (customer's choice, return, deletion in production
 * and at each sub-processor, backups, certificate), evidence, and the signed deletion
 * certificate. API description: /work/notes/eoc-api.md; decisions: docs/decisions/005-end-of-contract.md.
 *
 * A case is "scheduled" from the notice until the contract's last day, "open" from the day after
 * (tasks generated, customer and DPA ended), "closed" when the certificate is issued, or
 * "withdrawn". State changes are conditional updates inside immediate transactions, so the
 * scheduler's housekeeping can run on several instances and twice without doing anything twice.
 * Rendering and signing the certificate is asynchronous and happens between two transactions:
 * if the process dies in between, the case stays open with all tasks done and the next
 * housekeeping run issues the certificate.
 */
import { and, asc, count, desc, eq, gte, inArray, isNull, like, lt, lte, ne, notInArray, or, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "../../db/client";
import {
  customers,
  customerServices,
  dpas,
  endOfContractCases,
  endOfContractEvidence,
  endOfContractTasks,
  memberships,
  outbox,
  services,
  subprocessorNotices,
  subprocessors,
  termDeviations,
  termsVersions,
  users,
  workspaces,
} from "../../db/schema";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { deletionCertificateFilename, deletionCertificateSpec, type CertificateTask } from "~/documents/deletion-certificate";
import { certificateFingerprint, renderSignedPdf, workspaceSigner } from "~/documents/index.server";
import type { DateDeadline, DeadlineBasis } from "~/domain/deadline";
import { currentTermEnd } from "~/domain/contract-clock";
import { DEFAULT_INTERNAL_DELETION_TARGET_DAYS } from "~/domain/end-of-contract-clock";
import {
  allowedChoices,
  backupRule,
  CHOICE_LABELS,
  checkBackupExpiry,
  checkChoice,
  choiceDeadline,
  choiceIncludesReturn,
  contractHasEnded,
  defaultChoiceFor,
  EOC_CHOICES,
  exitRequest,
  explainBoth,
  explainedContractTerm,
  generateEndOfContractTasks,
  hasBackupRetention,
  mayMarkNotApplicable,
  returnExportTask,
  TASK_INSTRUCTIONS,
  TASK_TITLES,
  terminationEnd,
  type GeneratedTask,
  type TaskBasis,
} from "~/domain/end-of-contract-tasks";
import { isDomainError } from "~/domain/errors";
import type { Locale, LocalizedText } from "~/domain/locale";
import { can, type Actor } from "~/domain/permissions";
import { catalogueLabel } from "~/domain/processing-catalogue";
import { effectiveTerms, termsProfileSchema, type EffectiveTerms } from "~/domain/terms";
import { parsePlainDate } from "~/domain/time";
import { enqueueMail } from "~/mail/outbox.server";
import { appendAudit } from "./audit.server";
import { displayDate, displayInstant } from "./display.server";
import {
  certificateRelativePath,
  checkEvidenceFile,
  evidenceRelativePath,
  absolute,
  readStoredFile,
  removeFile,
  sha256,
  writeFileAtomically,
} from "./end-of-contract-files.server";
import { forbidden, notFound } from "./http.server";
import { newId } from "./ids.server";
import { keysetAfter } from "./keyset";
import { amsterdamToday, customerSubprocessorsIn } from "./subprocessors.server";

// ---------------------------------------------------------------------------------------
// Exported types

export type { EocChoice, EocTaskKind, TerminationKind } from "~/domain/end-of-contract-tasks";
import type { EocChoice, EocTaskKind, TerminationKind } from "~/domain/end-of-contract-tasks";
import { storedDeviation } from "./terms-store.server";
export type EocCaseStatus = "scheduled" | "open" | "closed" | "withdrawn";
export type EocTaskStatus = "open" | "done" | "not_applicable";
export type NoticeGivenBy = "customer" | "processor";

/** A date with why it is that date. */
export type ExplainedDate = { date: string; display: string; explanation: LocalizedText; basis: DeadlineBasis };

export type EocErrors = Record<string, string>;
export type EocResult = { ok: true } | { ok: false; errors: EocErrors };

export type ContractClock =
  | {
      kind: "running";
      period: number;
      periodMonths: number;
      termStart: string;
      termStartDisplay: string;
      termEnd: ExplainedDate;
      renewal: { renews: boolean; renewsOn: string | null; renewsOnDisplay: string; explanation: LocalizedText; basis: DeadlineBasis };
      lastNoticeDay: ExplainedDate | null;
    }
  | { kind: "ended"; endedOn: string; endedOnDisplay: string }
  | { kind: "unavailable"; message: LocalizedText };

export type ContractOverview = {
  customer: {
    id: string;
    name: string;
    status: "active" | "ending" | "ended";
    archived: boolean;
    contractStart: string;
    contractStartDisplay: string;
    contractTermMonths: number;
    language: "nl" | "en";
  };
  clock: ContractClock;
  /** the scheduled or open case, if any */
  activeCase: EocCaseSummary | null;
  /** the most recent closed or withdrawn cases (newest first, at most 5) */
  pastCases: EocCaseSummary[];
  canWrite: boolean;
};

export type UpcomingKind = "notice_deadline" | "term_end" | "contract_end";
export type UpcomingContractDate = {
  customerId: string;
  customerName: string;
  kind: UpcomingKind;
  date: string;
  display: string;
  daysLeft: number;
  explanation: LocalizedText;
  basis: DeadlineBasis;
  /** for "contract_end": the scheduled case */
  caseId: string | null;
  caseReference: string | null;
};
export type UpcomingPage = { items: UpcomingContractDate[]; next: string | null; windowEnd: string; windowEndDisplay: string; total: number };

export type TerminationInput = {
  kind: TerminationKind;
  noticeGivenBy: NoticeGivenBy;
  noticeReceivedOn: string;
  endDate?: string | null;
  overrideReason?: string | null;
  sourceRef?: string | null;
  note?: string | null;
};

export type TerminationPreview = {
  computedEndDate: string;
  computedEndDisplay: string;
  explanation: LocalizedText;
  basis: DeadlineBasis;
  inTime: boolean;
  periodsAdded: number;
  noticeDeadline: ExplainedDate | null;
  /** the end date that would be recorded (the override when given) */
  endDate: string;
  endDisplay: string;
  overridden: boolean;
  /** the case would open at once (end date already passed, or an immediate end) */
  opensImmediately: boolean;
};
export type PreviewResult = { ok: true; preview: TerminationPreview } | { ok: false; errors: EocErrors };
export type RecordTerminationResult = { ok: true; caseId: string; reference: string; opened: boolean } | { ok: false; errors: EocErrors };

export type EocCaseSummary = {
  id: string;
  reference: string;
  customerId: string;
  customerName: string;
  kind: TerminationKind;
  status: EocCaseStatus;
  noticeGivenBy: NoticeGivenBy;
  noticeReceivedOn: string;
  noticeReceivedDisplay: string;
  endDate: string;
  endDisplay: string;
  computedEndDate: string;
  overrideReason: string | null;
  choice: EocChoice | null;
  choiceSource: "portal" | "staff" | "default" | null;
  defaultChoice: EocChoice;
  openTasks: number;
  overdueTasks: number;
  certificateIssuedAt: string | null;
  certificateIssuedDisplay: string;
  createdAt: string;
};

export type EvidenceFileView = {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedAt: string;
  uploadedDisplay: string;
  uploadedBy: string | null;
};

export type EocTaskView = {
  id: string;
  caseId: string;
  caseReference: string;
  customerId: string;
  customerName: string;
  kind: EocTaskKind;
  title: LocalizedText;
  /** what to do and what counts as evidence */
  instruction: LocalizedText;
  subprocessor: { id: string; name: string; locations: string[] } | null;
  position: number;
  dueDate: string | null;
  dueDisplay: string;
  explanation: LocalizedText;
  basis: DeadlineBasis | null;
  status: EocTaskStatus;
  overdue: boolean;
  evidenceRequired: boolean;
  assignee: { id: string; name: string } | null;
  completedAt: string | null;
  completedDisplay: string;
  completedBy: string | null;
  doneOn: string | null;
  doneOnDisplay: string;
  evidenceNote: string | null;
  files: EvidenceFileView[];
  /** backup task: the date backups expire by, when recorded */
  backupsExpireOn: string | null;
  /** backup task: the rule from the terms (retention or none) */
  backupRule: LocalizedText | null;
  canComplete: boolean;
  canMarkNotApplicable: boolean;
};

export type PlannedTask = {
  kind: EocTaskKind;
  title: LocalizedText;
  subprocessorName: string | null;
  dueDate: string | null;
  dueDisplay: string;
  explanation: LocalizedText;
  applies: boolean;
};

export type EocCaseDetail = EocCaseSummary & {
  endExplanation: LocalizedText;
  endBasis: DeadlineBasis | null;
  sourceRef: string | null;
  note: string;
  termsVersion: number | null;
  choiceMadeAt: string | null;
  choiceMadeDisplay: string;
  choiceMadeBy: string | null;
  choiceDeadline: ExplainedDate | null;
  /** what happens without an answer, and why (from the terms) */
  defaultChoiceExplanation: LocalizedText;
  /** KlantGenerator / Lai Media: a copy or exit support must be requested by the last day */
  exitRequest: ExplainedDate | null;
  /** the choices that can still be recorded now (empty once chosen or closed) */
  choices: EocChoice[];
  tasks: EocTaskView[];
  /** for a scheduled case: the tasks that will be generated at the end date */
  plannedTasks: PlannedTask[];
  withdrawnAt: string | null;
  closedAt: string | null;
  certificateSha256: string | null;
  canWrite: boolean;
  canIssueCertificate: boolean;
  canWithdraw: boolean;
};

export type TaskListQuery = {
  due?: "overdue" | "7d" | "30d" | "all";
  customerId?: string | null;
  status?: EocTaskStatus | "all";
  /** a staff user id, or "none" for unassigned */
  assigneeUserId?: string | null;
  cursor?: string | null;
  limit?: number;
};
export type TaskPage = { tasks: EocTaskView[]; next: string | null };

export type CaseListQuery = { status?: EocCaseStatus | "active" | "all"; customerId?: string | null; cursor?: string | null; limit?: number };
export type CasePage = { cases: EocCaseSummary[]; next: string | null };

export type UploadedEvidence = { filename: string; bytes: Buffer; contentType?: string };
export type CompleteTaskInput = { note: string; doneOn: string; backupsExpireOn?: string | null; file?: UploadedEvidence | null };
export type CompleteTaskResult = { ok: true; caseClosed: boolean; certificateIssued: boolean } | { ok: false; errors: EocErrors };

export type FileDownload = { bytes: Buffer; filename: string; contentType: string };

export type PortalContract = {
  customer: { id: string; name: string };
  clock: ContractClock;
  /** the scheduled or open case, or the latest closed one; null when the contract runs without notice */
  case: {
    id: string;
    reference: string;
    status: EocCaseStatus;
    endDate: string;
    endDisplay: string;
    choice: EocChoice | null;
    choiceSource: "portal" | "staff" | "default" | null;
    choiceMadeDisplay: string;
    choiceDeadline: ExplainedDate | null;
    defaultChoice: EocChoice;
    defaultChoiceExplanation: LocalizedText;
    exitRequest: ExplainedDate | null;
    canChoose: boolean;
    /** the choices the terms allow now */
    choices: EocChoice[];
    tasks: { kind: EocTaskKind; title: LocalizedText; subprocessorName: string | null; status: EocTaskStatus; dueDisplay: string; doneOnDisplay: string }[];
    certificate: { issuedAt: string; issuedDisplay: string; sha256: string } | null;
  } | null;
};

export type StaffOption = { id: string; name: string; email: string };

// ---------------------------------------------------------------------------------------
// Access

type StaffActor = Extract<Actor, { kind: "staff" }>;
type PortalActor = Extract<Actor, { kind: "portal" }>;
type CaseRow = typeof endOfContractCases.$inferSelect;
type TaskRow = typeof endOfContractTasks.$inferSelect;
type CustomerRow = typeof customers.$inferSelect;
type Handle = Db | Tx;

function requireStaff(actor: Actor, permission: "workspace:read" | "workspace:write" = "workspace:read"): asserts actor is StaffActor {
  if (actor.kind !== "staff") throw notFound();
  if (!can(actor, permission)) throw forbidden();
}

function requirePortal(actor: Actor): asserts actor is PortalActor {
  if (actor.kind !== "portal" || !can(actor, "portal:self")) throw notFound();
}

function systemActor(workspaceId: string): Actor {
  return { kind: "system", label: "end-of-contract", workspaceId };
}

const MAX_NOTE = 4000;
const MAX_REASON = 1000;
const ERR = (code: string) => `contracts.error.${code}`;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(value: string | null | undefined): string | null {
  if (!value || !DATE_RE.test(value)) return null;
  try {
    parsePlainDate(value, "date");
    return value;
  } catch {
    return null;
  }
}

function addDays(date: string, days: number): string {
  return parsePlainDate(date, "date").add({ days }).toString();
}

function daysBetween(from: string, to: string): number {
  return parsePlainDate(from, "from").until(parsePlainDate(to, "to"), { largestUnit: "days" }).days;
}

// ---------------------------------------------------------------------------------------
// Rows and terms

function customerOf(db: Handle, workspaceId: string, customerId: string): CustomerRow {
  const row = db
    .select()
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.workspaceId, workspaceId)))
    .get();
  if (!row) throw notFound();
  return row;
}

type TermsOf = { terms: EffectiveTerms; versionId: string; version: number };

function termsFor(db: Handle, workspaceId: string, customerId: string, termsVersionId: string | null): TermsOf | null {
  if (!termsVersionId) return null;
  const version = db
    .select()
    .from(termsVersions)
    .where(and(eq(termsVersions.id, termsVersionId), eq(termsVersions.workspaceId, workspaceId)))
    .get();
  if (!version) return null;
  const deviations = db
    .select()
    .from(termDeviations)
    .where(and(eq(termDeviations.workspaceId, workspaceId), eq(termDeviations.customerId, customerId)))
    .all()
    .map(storedDeviation);
  return {
    terms: effectiveTerms(termsProfileSchema.parse(JSON.parse(version.content)), version.version, deviations),
    versionId: version.id,
    version: version.version,
  };
}

function caseTerms(db: Handle, row: CaseRow): TermsOf {
  const customer = customerOf(db, row.workspaceId, row.customerId);
  const found = termsFor(db, row.workspaceId, row.customerId, row.termsVersionId ?? customer.termsVersionId);
  if (!found) throw new Error(`end-of-contract case ${row.id} has no terms version`);
  return found;
}

function staffCase(db: Handle, actor: StaffActor, caseId: string): CaseRow {
  const row = db
    .select()
    .from(endOfContractCases)
    .where(and(eq(endOfContractCases.id, caseId), eq(endOfContractCases.workspaceId, actor.workspaceId)))
    .get();
  if (!row) throw notFound();
  return row;
}

function caseForActor(db: Handle, actor: Actor, caseId: string, permission: "workspace:read" | "workspace:write"): CaseRow {
  if (actor.kind === "portal") {
    requirePortal(actor);
    const row = db
      .select()
      .from(endOfContractCases)
      .where(
        and(
          eq(endOfContractCases.id, caseId),
          eq(endOfContractCases.workspaceId, actor.workspaceId),
          eq(endOfContractCases.customerId, actor.customerId),
        ),
      )
      .get();
    if (!row || row.status === "withdrawn") throw notFound();
    return row;
  }
  requireStaff(actor, permission);
  return staffCase(db, actor, caseId);
}

function staffTask(db: Handle, actor: StaffActor, taskId: string): TaskRow {
  const row = db
    .select()
    .from(endOfContractTasks)
    .where(and(eq(endOfContractTasks.id, taskId), eq(endOfContractTasks.workspaceId, actor.workspaceId)))
    .get();
  if (!row) throw notFound();
  return row;
}

function parseBasis(json: string): TaskBasis | null {
  const value = JSON.parse(json) as Partial<TaskBasis> & { kind?: string };
  return value.kind ? (value as TaskBasis) : null;
}

type StoredEndBasis = { basis: DeadlineBasis; explanation: LocalizedText; inTime: boolean; periodsAdded: number; noticeDeadline: DateDeadline | null };

function parseEndBasis(json: string): StoredEndBasis | null {
  const value = JSON.parse(json) as Partial<StoredEndBasis>;
  return value.basis ? (value as StoredEndBasis) : null;
}

function explained(deadline: DateDeadline): ExplainedDate {
  return { date: deadline.due, display: displayDate(deadline.due), explanation: explainBoth(deadline), basis: deadline.basis };
}

function userNames(db: Handle, ids: (string | null)[]): Map<string, string> {
  const unique = [...new Set(ids.filter((id): id is string => id !== null))];
  if (unique.length === 0) return new Map();
  return new Map(
    db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(inArray(users.id, unique))
      .all()
      .map((u) => [u.id, u.name]),
  );
}

// ---------------------------------------------------------------------------------------
// Mail

function recipientsOf(db: Handle, customer: CustomerRow): string[] {
  const portal = db
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.portalCustomerId, customer.id), isNull(users.disabledAt)))
    .all()
    .map((u) => u.email);
  let notification: string[] = [];
  try {
    notification = JSON.parse(customer.notificationEmails) as string[];
  } catch {
    notification = [];
  }
  return [...new Set([customer.privacyContactEmail, ...notification, ...portal].map((e) => e.trim()).filter((e) => /^[^\s@]+@[^\s@]+$/.test(e)))];
}

function mailCustomer(
  tx: Tx,
  customer: CustomerRow,
  kind: string,
  message: { subject: LocalizedText; body: LocalizedText },
  now: string,
  attachments: { filename: string; contentType: string; path: string }[] = [],
): void {
  const to = recipientsOf(tx, customer);
  if (to.length === 0) return;
  const lang = customer.language;
  enqueueMail(tx, { workspaceId: customer.workspaceId, customerId: customer.id, kind, to, subject: message.subject[lang], text: message.body[lang], attachments }, now);
}

function vendorName(db: Handle, workspaceId: string): { legalName: string; tradeName: string } {
  return db.select({ legalName: workspaces.legalName, tradeName: workspaces.tradeName }).from(workspaces).where(eq(workspaces.id, workspaceId)).get()!;
}

function choiceMail(db: Handle, customer: CustomerRow, row: CaseRow, terms: EffectiveTerms, reminder: boolean): { subject: LocalizedText; body: LocalizedText } {
  const vendor = vendorName(db, customer.workspaceId);
  const link = `${getConfig().appUrl}/portal/contract`;
  const end = displayDate(row.endDate);
  const deadline = choiceDeadline({ terms, contractEndDate: row.endDate });
  const fallback = defaultChoiceFor(terms);
  const exit = exitRequest({ terms, contractEndDate: row.endDate });
  const byDate = deadline?.due ?? exit?.due ?? null;
  const by = byDate ? { nl: ` vóór of op ${displayDate(byDate)}`, en: ` by ${displayDate(byDate)}` } : { nl: "", en: "" };
  const exitLine = exit
    ? { nl: `\nWilt u een kopie van uw gegevens? Vraag die uiterlijk op ${displayDate(exit.due)} aan.\n`, en: `\nDo you want a copy of your data? Request it by ${displayDate(exit.due)}.\n` }
    : { nl: "", en: "" };
  const subject = reminder
    ? { nl: `Herinnering: kies teruggave of verwijdering van uw gegevens – ${vendor.tradeName}`, en: `Reminder: choose return or deletion of your data – ${vendor.tradeName}` }
    : { nl: `Einde overeenkomst op ${end}: teruggave of verwijdering van uw gegevens – ${vendor.tradeName}`, en: `Agreement ends on ${end}: return or deletion of your data – ${vendor.tradeName}` };
  return {
    subject,
    body: {
      nl: `Beste ${customer.privacyContactName || customer.name},\n\nDe overeenkomst tussen ${customer.name} en ${vendor.legalName} eindigt op ${end} (kenmerk ${row.reference}).\nKies${by.nl} in het klantportaal of wij uw persoonsgegevens teruggeven, verwijderen, of eerst teruggeven en daarna verwijderen:\n${link}\n${exitLine}\nZonder antwoord geldt: ${fallback.explanation.nl}\n\nMet vriendelijke groet,\n${vendor.legalName}\n`,
      en: `Dear ${customer.privacyContactName || customer.name},\n\nThe agreement between ${customer.name} and ${vendor.legalName} ends on ${end} (reference ${row.reference}).\nPlease choose${by.en} in the customer portal whether we return your personal data, delete it, or return it and then delete it:\n${link}\n${exitLine}\nWithout an answer: ${fallback.explanation.en}\n\nKind regards,\n${vendor.legalName}\n`,
    },
  };
}

// ---------------------------------------------------------------------------------------
// Contract dates

function contractClock(terms: EffectiveTerms | null, customer: CustomerRow, today: string): ContractClock {
  if (!terms) {
    return {
      kind: "unavailable",
      message: { nl: "Deze klant heeft nog geen voorwaardenversie.", en: "This customer has no terms version yet." },
    };
  }
  try {
    const status = explainedContractTerm({ terms, contractStart: customer.contractStart, contractTermMonths: customer.contractTermMonths, today });
    if (status.kind === "ended") return { kind: "ended", endedOn: status.endedOn, endedOnDisplay: displayDate(status.endedOn) };
    const term = status.term;
    return {
      kind: "running",
      period: term.period,
      periodMonths: term.periodMonths,
      termStart: term.termStart,
      termStartDisplay: displayDate(term.termStart),
      termEnd: { date: term.termLastDay, display: displayDate(term.termLastDay), explanation: term.termEndExplanation, basis: term.termEndBasis },
      renewal: {
        renews: term.renewsOn !== null,
        renewsOn: term.renewsOn,
        renewsOnDisplay: displayDate(term.renewsOn),
        explanation: term.renewalExplanation,
        basis: term.renewalBasis,
      },
      lastNoticeDay: term.lastNoticeDay ? explained(term.lastNoticeDay) : null,
    };
  } catch (error) {
    if (isDomainError(error)) return { kind: "unavailable", message: error.messages };
    throw error;
  }
}

function caseCounts(db: Handle, caseIds: string[], today: string): Map<string, { open: number; overdue: number }> {
  if (caseIds.length === 0) return new Map();
  const rows = db
    .select({
      caseId: endOfContractTasks.caseId,
      open: sql<number>`sum(case when ${endOfContractTasks.status} = 'open' then 1 else 0 end)`,
      overdue: sql<number>`sum(case when ${endOfContractTasks.status} = 'open' and ${endOfContractTasks.dueDate} < ${today} then 1 else 0 end)`,
    })
    .from(endOfContractTasks)
    .where(inArray(endOfContractTasks.caseId, caseIds))
    .groupBy(endOfContractTasks.caseId)
    .all();
  return new Map(rows.map((r) => [r.caseId, { open: Number(r.open ?? 0), overdue: Number(r.overdue ?? 0) }]));
}

function summaries(db: Handle, rows: (CaseRow & { customerName: string })[], today: string): EocCaseSummary[] {
  const counts = caseCounts(
    db,
    rows.map((r) => r.id),
    today,
  );
  return rows.map((row) => summaryOf(row, row.customerName, counts.get(row.id) ?? { open: 0, overdue: 0 }));
}

function summaryOf(row: CaseRow, customerName: string, counts: { open: number; overdue: number }): EocCaseSummary {
  return {
    id: row.id,
    reference: row.reference,
    customerId: row.customerId,
    customerName,
    kind: row.kind,
    status: row.status,
    noticeGivenBy: row.noticeGivenBy,
    noticeReceivedOn: row.noticeReceivedOn,
    noticeReceivedDisplay: displayDate(row.noticeReceivedOn),
    endDate: row.endDate,
    endDisplay: displayDate(row.endDate),
    computedEndDate: row.computedEndDate,
    overrideReason: row.overrideReason,
    choice: row.choice,
    choiceSource: row.choiceSource,
    defaultChoice: row.defaultChoice,
    openTasks: counts.open,
    overdueTasks: counts.overdue,
    certificateIssuedAt: row.certificateIssuedAt,
    certificateIssuedDisplay: displayInstant(row.certificateIssuedAt),
    createdAt: row.createdAt,
  };
}

const caseColumns = { ...getColumns(), customerName: customers.name };

function getColumns() {
  const c = endOfContractCases;
  return {
    id: c.id,
    workspaceId: c.workspaceId,
    customerId: c.customerId,
    reference: c.reference,
    kind: c.kind,
    noticeGivenBy: c.noticeGivenBy,
    noticeReceivedOn: c.noticeReceivedOn,
    computedEndDate: c.computedEndDate,
    endBasis: c.endBasis,
    endDate: c.endDate,
    overrideReason: c.overrideReason,
    sourceRef: c.sourceRef,
    note: c.note,
    termsVersionId: c.termsVersionId,
    status: c.status,
    choice: c.choice,
    choiceMadeAt: c.choiceMadeAt,
    choiceMadeByUserId: c.choiceMadeByUserId,
    choiceSource: c.choiceSource,
    defaultChoice: c.defaultChoice,
    createdByUserId: c.createdByUserId,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    closedAt: c.closedAt,
    withdrawnAt: c.withdrawnAt,
    certificatePath: c.certificatePath,
    certificateSha256: c.certificateSha256,
    certificateIssuedAt: c.certificateIssuedAt,
  };
}

export async function getContractOverview(actor: Actor, customerId: string, now: string): Promise<ContractOverview> {
  requireStaff(actor);
  const db = getDb();
  const customer = customerOf(db, actor.workspaceId, customerId);
  const today = amsterdamToday(now);
  const found = termsFor(db, actor.workspaceId, customer.id, customer.termsVersionId);
  const rows = db
    .select(caseColumns)
    .from(endOfContractCases)
    .innerJoin(customers, eq(customers.id, endOfContractCases.customerId))
    .where(and(eq(endOfContractCases.workspaceId, actor.workspaceId), eq(endOfContractCases.customerId, customer.id)))
    .orderBy(desc(endOfContractCases.createdAt), desc(endOfContractCases.id))
    .limit(20)
    .all();
  const all = summaries(db, rows, today);
  const active = all.find((c) => c.status === "scheduled" || c.status === "open") ?? null;
  return {
    customer: {
      id: customer.id,
      name: customer.name,
      status: customer.status,
      archived: customer.archivedAt !== null,
      contractStart: customer.contractStart,
      contractStartDisplay: displayDate(customer.contractStart),
      contractTermMonths: customer.contractTermMonths,
      language: customer.language,
    },
    clock: customer.status === "ended" && active === null && all[0] ? { kind: "ended", endedOn: all[0].endDate, endedOnDisplay: all[0].endDisplay } : contractClock(found?.terms ?? null, customer, today),
    activeCase: active,
    pastCases: all.filter((c) => c !== active).slice(0, 5),
    canWrite: can(actor, "workspace:write"),
  };
}

const KIND_ORDER: Record<UpcomingKind, number> = { notice_deadline: 0, contract_end: 1, term_end: 2 };
type UpcomingCursor = { d: string; k: number; n: string; c: string };

function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function decodeCursor<T>(raw: string | null | undefined, check: (value: unknown) => value is T): T | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as unknown;
    return check(value) ? value : null;
  } catch {
    return null;
  }
}

function isUpcomingCursor(value: unknown): value is UpcomingCursor {
  const v = value as UpcomingCursor;
  return typeof v === "object" && v !== null && typeof v.d === "string" && typeof v.k === "number" && typeof v.n === "string" && typeof v.c === "string";
}

function compareUpcoming(a: UpcomingCursor, b: UpcomingCursor): number {
  return a.d.localeCompare(b.d) || a.k - b.k || a.n.localeCompare(b.n) || a.c.localeCompare(b.c);
}

/**
 * The dashboard of contracts ending or reaching their notice deadline between today and
 * today + `days`: for each active customer its last notice day and term end from its own terms,
 * and for each scheduled case its end date. Computed per customer (the clocks live in the domain),
 * sorted by date, and paged with a cursor.
 */
export async function listUpcomingContractDates(
  actor: Actor,
  now: string,
  options: { days?: number; cursor?: string | null; limit?: number; /** skip the anniversary prefilter (tests) */ exhaustive?: boolean } = {},
): Promise<UpcomingPage> {
  requireStaff(actor);
  const db = getDb();
  const days = Math.min(Math.max(Math.trunc(options.days ?? 90), 1), 366);
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50), 1), 200);
  const today = amsterdamToday(now);
  const windowEnd = addDays(today, days);
  const inWindow = (date: string) => date >= today && date <= windowEnd;

  const versions = new Map(
    db
      .select()
      .from(termsVersions)
      .where(eq(termsVersions.workspaceId, actor.workspaceId))
      .all()
      .map((v) => [v.id, { profile: termsProfileSchema.parse(JSON.parse(v.content)), version: v.version }]),
  );
  const deviationsByCustomer = new Map<string, { field: string; value: unknown; reason: string; clause: string }[]>();
  for (const d of db.select().from(termDeviations).where(eq(termDeviations.workspaceId, actor.workspaceId)).all()) {
    deviationsByCustomer.set(d.customerId, [...(deviationsByCustomer.get(d.customerId) ?? []), { field: d.field, value: JSON.parse(d.value) as unknown, reason: d.reason, clause: d.clause }]);
  }
  const plainTerms = new Map<string, EffectiveTerms>();
  const termsOf = (customerId: string, versionId: string | null): EffectiveTerms | null => {
    if (!versionId) return null;
    const version = versions.get(versionId);
    if (!version) return null;
    const deviations = deviationsByCustomer.get(customerId);
    if (deviations) return effectiveTerms(version.profile, version.version, deviations);
    let terms = plainTerms.get(versionId);
    if (!terms) {
      terms = effectiveTerms(version.profile, version.version);
      plainTerms.set(versionId, terms);
    }
    return terms;
  };

  const scheduled = new Map(
    db
      .select()
      .from(endOfContractCases)
      .where(and(eq(endOfContractCases.workspaceId, actor.workspaceId), eq(endOfContractCases.status, "scheduled")))
      .all()
      .map((c) => [c.customerId, c]),
  );
  // Prefilter, because the clock costs about half a millisecond per customer: a contract whose term
  // and renewal are whole years renews on the anniversary of its start, so only customers whose
  // start day-of-year lies between today and the window's end plus the longest notice period can
  // have a date in the window. Everyone else (other periods, negotiated terms, scheduled cases,
  // terms versions renewing by other periods) is checked in full.
  let maxNotice = 0;
  const nonAnnualVersions: string[] = [];
  for (const [id, version] of versions) {
    const contract = version.profile.mainContract;
    const rule = contract.notice.value;
    maxNotice = Math.max(maxNotice, rule === null ? 0 : rule.kind === "fixed" ? rule.months : Math.max(rule.shortTermNoticeMonths, rule.longTermNoticeMonths));
    if (contract.renewalMonths.value !== null && contract.renewalMonths.value % 12 !== 0) nonAnnualVersions.push(id);
  }
  // month-end clamping (a start on 29 February) moves an anniversary by a few days: widen the range
  const from = addDays(today, -3);
  const to = parsePlainDate(windowEnd, "windowEnd").add({ months: maxNotice }).add({ days: 4 }).toString();
  let prefilter: SQL | undefined;
  if (!options.exhaustive && daysBetween(from, to) < 360) {
    const monthDay = sql`substr(${customers.contractStart}, 6, 5)`;
    const [a, b] = [from.slice(5), to.slice(5)];
    prefilter = or(
      a <= b ? sql`${monthDay} between ${a} and ${b}` : sql`(${monthDay} >= ${a} or ${monthDay} <= ${b})`,
      sql`${customers.contractTermMonths} % 12 <> 0`,
      nonAnnualVersions.length > 0 ? inArray(customers.termsVersionId, nonAnnualVersions) : undefined,
      deviationsByCustomer.size > 0 ? inArray(customers.id, [...deviationsByCustomer.keys()]) : undefined,
      scheduled.size > 0 ? inArray(customers.id, [...scheduled.keys()]) : undefined,
    );
  }
  /** Candidates carry only what sorting needs; sentences and display dates are made for the page alone. */
  type Candidate = { key: UpcomingCursor; kind: UpcomingKind; date: string; customerId: string; customerName: string; caseRow: CaseRow | null; detail: () => { explanation: LocalizedText; basis: DeadlineBasis } };
  const items: Candidate[] = [];
  const rows = db
    .select({
      id: customers.id,
      name: customers.name,
      nameKey: customers.nameKey,
      status: customers.status,
      contractStart: customers.contractStart,
      contractTermMonths: customers.contractTermMonths,
      termsVersionId: customers.termsVersionId,
    })
    .from(customers)
    .where(and(eq(customers.workspaceId, actor.workspaceId), isNull(customers.archivedAt), ne(customers.status, "ended"), prefilter))
    .all();
  for (const customer of rows) {
    const push = (kind: UpcomingKind, date: string, caseRow: CaseRow | null, detail: Candidate["detail"]) => {
      items.push({ key: { d: date, k: KIND_ORDER[kind], n: customer.nameKey, c: customer.id }, kind, date, customerId: customer.id, customerName: customer.name, caseRow, detail });
    };
    const caseRow = scheduled.get(customer.id);
    if (caseRow) {
      if (inWindow(caseRow.endDate)) {
        push("contract_end", caseRow.endDate, caseRow, () => {
          const stored = parseEndBasis(caseRow.endBasis);
          return caseRow.overrideReason
            ? { explanation: { nl: `Einddatum aangepast: ${caseRow.overrideReason}`, en: `End date overridden: ${caseRow.overrideReason}` }, basis: { kind: "none", note: caseRow.overrideReason } }
            : { explanation: stored?.explanation ?? { nl: "Einde na opzegging.", en: "End after notice." }, basis: stored?.basis ?? { kind: "none", note: "" } };
        });
      }
      continue;
    }
    if (customer.status !== "active") continue;
    const terms = termsOf(customer.id, customer.termsVersionId);
    if (!terms) continue;
    try {
      const input = { terms, contractStart: customer.contractStart, contractTermMonths: customer.contractTermMonths, today };
      const status = currentTermEnd(input);
      if (status.kind !== "running") continue;
      const notice = status.lastNoticeDay;
      if (notice && inWindow(notice.due)) push("notice_deadline", notice.due, null, () => ({ explanation: explainBoth(notice), basis: notice.basis }));
      if (inWindow(status.termLastDay)) {
        push("term_end", status.termLastDay, null, () => {
          const explainedTerm = explainedContractTerm(input);
          return explainedTerm.kind === "running"
            ? { explanation: explainedTerm.term.renewalExplanation, basis: explainedTerm.term.renewalBasis }
            : { explanation: { nl: "", en: "" }, basis: { kind: "none", note: "" } };
        });
      }
    } catch (error) {
      if (!isDomainError(error)) throw error;
    }
  }
  items.sort((a, b) => compareUpcoming(a.key, b.key));
  const cursor = decodeCursor(options.cursor, isUpcomingCursor);
  const after = cursor ? items.filter((item) => compareUpcoming(item.key, cursor) > 0) : items;
  const page = after.slice(0, limit);
  const next = after.length > limit ? encodeCursor(page[page.length - 1].key) : null;
  return {
    items: page.map((item) => ({
      customerId: item.customerId,
      customerName: item.customerName,
      kind: item.kind,
      date: item.date,
      display: displayDate(item.date),
      daysLeft: daysBetween(today, item.date),
      ...item.detail(),
      caseId: item.caseRow?.id ?? null,
      caseReference: item.caseRow?.reference ?? null,
    })),
    next,
    windowEnd,
    windowEndDisplay: displayDate(windowEnd),
    total: items.length,
  };
}

// ---------------------------------------------------------------------------------------
// Termination

type ValidTermination = {
  computed: ReturnType<typeof terminationEnd>;
  endDate: string;
  overridden: boolean;
  overrideReason: string | null;
  sourceRef: string | null;
  note: string;
  kind: TerminationKind;
  noticeGivenBy: NoticeGivenBy;
  noticeReceivedOn: string;
  terms: TermsOf;
};

function validateTermination(
  db: Handle,
  workspaceId: string,
  customer: CustomerRow,
  input: TerminationInput,
  today: string,
): { ok: true; value: ValidTermination } | { ok: false; errors: EocErrors } {
  const errors: EocErrors = {};
  const kinds: TerminationKind[] = ["termination", "non_renewal", "immediate_end"];
  if (!kinds.includes(input.kind)) errors.kind = ERR("kind_invalid");
  if (input.noticeGivenBy !== "customer" && input.noticeGivenBy !== "processor") errors.noticeGivenBy = ERR("given_by_invalid");
  const received = validDate(input.noticeReceivedOn);
  if (!received) errors.noticeReceivedOn = ERR("date_invalid");
  else if (received > today) errors.noticeReceivedOn = ERR("received_in_future");
  else if (received < customer.contractStart) errors.noticeReceivedOn = ERR("received_before_start");
  const rawEnd = input.endDate?.trim() ? input.endDate.trim() : null;
  const endOverride = rawEnd ? validDate(rawEnd) : null;
  if (rawEnd && !endOverride) errors.endDate = ERR("date_invalid");
  else if (endOverride && endOverride < customer.contractStart) errors.endDate = ERR("end_before_start");
  else if (endOverride && received && endOverride < received) errors.endDate = ERR("end_before_notice");
  const overrideReason = input.overrideReason?.trim() || null;
  if (overrideReason && overrideReason.length > MAX_REASON) errors.overrideReason = ERR("too_long");
  const note = input.note?.trim() ?? "";
  if (note.length > MAX_NOTE) errors.note = ERR("too_long");
  const sourceRef = input.sourceRef?.trim() || null;
  if (sourceRef) {
    const match = /^subprocessor_objection:(.+)$/.exec(sourceRef);
    const notice = match
      ? db
          .select({ id: subprocessorNotices.id })
          .from(subprocessorNotices)
          .where(and(eq(subprocessorNotices.id, match[1]), eq(subprocessorNotices.workspaceId, workspaceId), eq(subprocessorNotices.customerId, customer.id)))
          .get()
      : undefined;
    if (!notice) errors.sourceRef = ERR("source_invalid");
  }
  if (customer.archivedAt) errors.form = ERR("customer_archived");
  else if (customer.status === "ended") errors.form = ERR("customer_ended");
  const terms = termsFor(db, workspaceId, customer.id, customer.termsVersionId);
  if (!terms) errors.form ??= ERR("no_terms_version");
  if (Object.keys(errors).length > 0 || !terms || !received) return { ok: false, errors };
  let computed: ReturnType<typeof terminationEnd>;
  try {
    computed = terminationEnd({
      terms: terms.terms,
      contractStart: customer.contractStart,
      contractTermMonths: customer.contractTermMonths,
      kind: input.kind,
      noticeReceivedOn: received,
    });
  } catch (error) {
    if (isDomainError(error)) return { ok: false, errors: { form: ERR("terms_unavailable") } };
    throw error;
  }
  const overridden = endOverride !== null && endOverride !== computed.endsOn;
  if (overridden && !overrideReason) return { ok: false, errors: { overrideReason: ERR("override_reason_required") } };
  return {
    ok: true,
    value: {
      computed,
      endDate: overridden ? endOverride! : computed.endsOn,
      overridden,
      overrideReason: overridden ? overrideReason : null,
      sourceRef,
      note,
      kind: input.kind,
      noticeGivenBy: input.noticeGivenBy,
      noticeReceivedOn: received,
      terms,
    },
  };
}

function previewOf(value: ValidTermination, today: string): TerminationPreview {
  return {
    computedEndDate: value.computed.endsOn,
    computedEndDisplay: displayDate(value.computed.endsOn),
    explanation: value.computed.explanation,
    basis: value.computed.basis,
    inTime: value.computed.inTime,
    periodsAdded: value.computed.periodsAdded,
    noticeDeadline: value.computed.noticeDeadline ? explained(value.computed.noticeDeadline) : null,
    endDate: value.endDate,
    endDisplay: displayDate(value.endDate),
    overridden: value.overridden,
    opensImmediately: contractHasEnded({ endDate: value.endDate, today, kind: value.kind }),
  };
}

export async function previewTermination(actor: Actor, customerId: string, input: TerminationInput, now: string): Promise<PreviewResult> {
  requireStaff(actor);
  const db = getDb();
  const customer = customerOf(db, actor.workspaceId, customerId);
  const today = amsterdamToday(now);
  const result = validateTermination(db, actor.workspaceId, customer, input, today);
  if (!result.ok) return result;
  return { ok: true, preview: previewOf(result.value, today) };
}

function activeCaseOf(db: Handle, workspaceId: string, customerId: string): CaseRow | undefined {
  return db
    .select()
    .from(endOfContractCases)
    .where(
      and(
        eq(endOfContractCases.workspaceId, workspaceId),
        eq(endOfContractCases.customerId, customerId),
        inArray(endOfContractCases.status, ["scheduled", "open"]),
      ),
    )
    .get();
}

function nextReference(tx: Tx, workspaceId: string, now: string): string {
  const prefix = `EC-${now.slice(0, 4)}-`;
  const rows = tx
    .select({ reference: endOfContractCases.reference })
    .from(endOfContractCases)
    .where(and(eq(endOfContractCases.workspaceId, workspaceId), like(endOfContractCases.reference, `${prefix}%`)))
    .all();
  const max = rows.reduce((m, r) => Math.max(m, Number(r.reference.slice(prefix.length)) || 0), 0);
  return `${prefix}${String(max + 1).padStart(4, "0")}`;
}

export async function recordTermination(actor: Actor, customerId: string, input: TerminationInput, now: string): Promise<RecordTerminationResult> {
  requireStaff(actor, "workspace:write");
  const db = getDb();
  const today = amsterdamToday(now);
  customerOf(db, actor.workspaceId, customerId);
  return db.transaction(
    (tx): RecordTerminationResult => {
      const customer = customerOf(tx, actor.workspaceId, customerId);
      if (activeCaseOf(tx, actor.workspaceId, customer.id)) return { ok: false, errors: { form: ERR("case_exists") } };
      const result = validateTermination(tx, actor.workspaceId, customer, input, today);
      if (!result.ok) return result;
      const value = result.value;
      const fallback = defaultChoiceFor(value.terms.terms);
      const id = newId();
      const reference = nextReference(tx, actor.workspaceId, now);
      const endBasis: StoredEndBasis = {
        basis: value.computed.basis,
        explanation: value.computed.explanation,
        inTime: value.computed.inTime,
        periodsAdded: value.computed.periodsAdded,
        noticeDeadline: value.computed.noticeDeadline,
      };
      tx.insert(endOfContractCases)
        .values({
          id,
          workspaceId: actor.workspaceId,
          customerId: customer.id,
          reference,
          kind: value.kind,
          noticeGivenBy: value.noticeGivenBy,
          noticeReceivedOn: value.noticeReceivedOn,
          computedEndDate: value.computed.endsOn,
          endBasis: JSON.stringify(endBasis),
          endDate: value.endDate,
          overrideReason: value.overrideReason,
          sourceRef: value.sourceRef,
          note: value.note,
          termsVersionId: value.terms.versionId,
          status: "scheduled",
          defaultChoice: fallback.choice,
          createdByUserId: actor.userId,
          createdAt: now,
          updatedAt: now,
        })
        .run();
      tx.update(customers).set({ status: "ending", updatedAt: now }).where(eq(customers.id, customer.id)).run();
      appendAudit(tx, actor, now, {
        action: "end_of_contract.termination_recorded",
        entityType: "end_of_contract_case",
        entityId: id,
        customerId: customer.id,
        data: {
          reference,
          kind: value.kind,
          noticeGivenBy: value.noticeGivenBy,
          noticeReceivedOn: value.noticeReceivedOn,
          computedEndDate: value.computed.endsOn,
          endDate: value.endDate,
          overrideReason: value.overrideReason,
          sourceRef: value.sourceRef,
          customerStatus: { before: customer.status, after: "ending" },
        },
      });
      const row = tx.select().from(endOfContractCases).where(eq(endOfContractCases.id, id)).get()!;
      mailCustomer(tx, { ...customer, status: "ending" }, "eoc_termination_recorded", choiceMail(tx, customer, row, value.terms.terms, false), now);
      let opened = false;
      if (contractHasEnded({ endDate: value.endDate, today, kind: value.kind })) {
        opened = openCaseInTx(tx, actor, id, now, { remind: false }).opened;
      }
      return { ok: true, caseId: id, reference, opened };
    },
    { behavior: "immediate" },
  );
}

export async function withdrawTermination(actor: Actor, caseId: string, reason: string, now: string): Promise<EocResult> {
  requireStaff(actor, "workspace:write");
  const db = getDb();
  staffCase(db, actor, caseId);
  const trimmed = reason.trim();
  if (!trimmed) return { ok: false, errors: { reason: ERR("reason_required") } };
  if (trimmed.length > MAX_REASON) return { ok: false, errors: { reason: ERR("too_long") } };
  return db.transaction(
    (tx): EocResult => {
      const row = staffCase(tx, actor, caseId);
      if (row.status !== "scheduled") return { ok: false, errors: { form: ERR("not_withdrawable") } };
      const changed = tx
        .update(endOfContractCases)
        .set({ status: "withdrawn", withdrawnAt: now, updatedAt: now })
        .where(and(eq(endOfContractCases.id, row.id), eq(endOfContractCases.status, "scheduled")))
        .run().changes;
      if (changed !== 1) return { ok: false, errors: { form: ERR("not_withdrawable") } };
      tx.update(customers)
        .set({ status: "active", updatedAt: now })
        .where(and(eq(customers.id, row.customerId), eq(customers.status, "ending")))
        .run();
      appendAudit(tx, actor, now, {
        action: "end_of_contract.termination_withdrawn",
        entityType: "end_of_contract_case",
        entityId: row.id,
        customerId: row.customerId,
        data: { reference: row.reference, reason: trimmed, customerStatus: { before: "ending", after: "active" } },
      });
      return { ok: true };
    },
    { behavior: "immediate" },
  );
}

// ---------------------------------------------------------------------------------------
// Opening a case, defaults, housekeeping

function insertTasks(tx: Tx, row: CaseRow, tasks: GeneratedTask[], now: string): void {
  for (const task of tasks) {
    tx.insert(endOfContractTasks)
      .values({
        id: newId(),
        workspaceId: row.workspaceId,
        caseId: row.id,
        customerId: row.customerId,
        kind: task.kind,
        subprocessorId: task.subprocessorId,
        position: task.position,
        dueDate: task.dueDate,
        basis: JSON.stringify(task.basis),
        evidenceRequired: task.evidenceRequired,
        status: task.status,
        createdAt: now,
        updatedAt: now,
      })
      .run();
  }
}

const CHOICE_SOURCE_TEXT: Record<"portal" | "staff" | "default", LocalizedText> = {
  portal: { nl: "gekozen door de klant in het portaal", en: "chosen by the customer in the portal" },
  staff: { nl: "namens de klant vastgelegd door een medewerker", en: "recorded by staff on the customer's behalf" },
  default: { nl: "standaardkeuze volgens de voorwaarden (geen antwoord)", en: "default under the terms (no answer)" },
};

/** The choice task's note, in the workspace's default language (a stored text, like staff notes). */
function choiceNote(tx: Tx, workspaceId: string, choice: EocChoice, source: "portal" | "staff" | "default"): string {
  const lang = tx.select({ lang: workspaces.defaultLanguage }).from(workspaces).where(eq(workspaces.id, workspaceId)).get()?.lang ?? "nl";
  return `${CHOICE_LABELS[choice][lang]}: ${CHOICE_SOURCE_TEXT[source][lang]}`;
}

function completeChoiceTask(tx: Tx, row: CaseRow, choice: EocChoice, source: "portal" | "staff" | "default", userId: string | null, at: string, now: string): void {
  tx.update(endOfContractTasks)
    .set({ status: "done", completedAt: at, completedByUserId: userId, doneOn: amsterdamToday(at), evidenceNote: choiceNote(tx, row.workspaceId, choice, source), updatedAt: now })
    .where(and(eq(endOfContractTasks.caseId, row.id), eq(endOfContractTasks.kind, "customer_choice"), eq(endOfContractTasks.status, "open")))
    .run();
}

function addReturnTask(tx: Tx, row: CaseRow, terms: EffectiveTerms, now: string): void {
  const exists = tx
    .select({ id: endOfContractTasks.id })
    .from(endOfContractTasks)
    .where(and(eq(endOfContractTasks.caseId, row.id), eq(endOfContractTasks.kind, "return_export")))
    .get();
  if (exists) return;
  insertTasks(tx, row, [returnExportTask({ terms, contractEndDate: row.endDate, internalDeletionTargetDays: DEFAULT_INTERNAL_DELETION_TARGET_DAYS, position: 1 })], now);
}

/**
 * Opens a scheduled case whose contract has ended: conditional on the status, so a second run or
 * a second instance does nothing. Customer "ended", the DPA in force "ended", tasks generated from
 * the case's terms version with the sub-processors used for the customer on that day.
 */
function openCaseInTx(tx: Tx, actor: Actor, caseId: string, now: string, options: { remind: boolean }): { opened: boolean; defaultApplied: boolean } {
  const changed = tx
    .update(endOfContractCases)
    .set({ status: "open", updatedAt: now })
    .where(and(eq(endOfContractCases.id, caseId), eq(endOfContractCases.status, "scheduled")))
    .run().changes;
  if (changed !== 1) return { opened: false, defaultApplied: false };
  const row = tx.select().from(endOfContractCases).where(eq(endOfContractCases.id, caseId)).get()!;
  const customer = customerOf(tx, row.workspaceId, row.customerId);
  const { terms } = caseTerms(tx, row);
  const today = amsterdamToday(now);
  const subs = customerSubprocessorsIn(tx, row.workspaceId, row.customerId, today < row.endDate ? today : row.endDate);
  const tasks = generateEndOfContractTasks({
    terms,
    contractEndDate: row.endDate,
    internalDeletionTargetDays: DEFAULT_INTERNAL_DELETION_TARGET_DAYS,
    subprocessors: subs.map((s) => ({ id: s.id, name: s.tradeName ?? s.legalName })),
    choice: row.choice,
  });
  insertTasks(tx, row, tasks, now);
  if (row.choice && row.choiceSource) completeChoiceTask(tx, row, row.choice, row.choiceSource, row.choiceMadeByUserId, row.choiceMadeAt ?? now, now);
  tx.update(customers).set({ status: "ended", updatedAt: now }).where(eq(customers.id, customer.id)).run();
  const endedDpas = tx
    .select({ id: dpas.id })
    .from(dpas)
    .where(and(eq(dpas.workspaceId, row.workspaceId), eq(dpas.customerId, row.customerId), eq(dpas.state, "in_force")))
    .all();
  for (const dpa of endedDpas) {
    tx.update(dpas).set({ state: "ended", endedAt: now }).where(and(eq(dpas.id, dpa.id), eq(dpas.state, "in_force"))).run();
    appendAudit(tx, actor, now, { action: "dpa.ended", entityType: "dpa", entityId: dpa.id, customerId: row.customerId, data: { reason: "end_of_contract", caseId: row.id, reference: row.reference } });
  }
  appendAudit(tx, actor, now, {
    action: "end_of_contract.case_opened",
    entityType: "end_of_contract_case",
    entityId: row.id,
    customerId: row.customerId,
    data: {
      reference: row.reference,
      endDate: row.endDate,
      tasks: tasks.map((t) => ({ kind: t.kind, dueDate: t.dueDate, status: t.status, subprocessorId: t.subprocessorId })),
      customerStatus: { before: customer.status, after: "ended" },
      dpasEnded: endedDpas.map((d) => d.id),
    },
  });
  let defaultApplied = false;
  if (row.choice === null && choiceDeadline({ terms, contractEndDate: row.endDate }) === null) {
    defaultApplied = applyDefaultInTx(tx, row.id, now);
  } else if (row.choice === null && options.remind) {
    mailCustomer(tx, customer, "eoc_choice_reminder", choiceMail(tx, customer, row, terms, true), now);
  }
  return { opened: true, defaultApplied };
}

/** Applies the terms' default choice to an open case without an answer; conditional, so only once. */
function applyDefaultInTx(tx: Tx, caseId: string, now: string): boolean {
  const row = tx.select().from(endOfContractCases).where(eq(endOfContractCases.id, caseId)).get();
  if (!row) return false;
  const changed = tx
    .update(endOfContractCases)
    .set({ choice: row.defaultChoice, choiceSource: "default", choiceMadeAt: now, choiceMadeByUserId: null, updatedAt: now })
    .where(and(eq(endOfContractCases.id, caseId), eq(endOfContractCases.status, "open"), isNull(endOfContractCases.choice)))
    .run().changes;
  if (changed !== 1) return false;
  const { terms } = caseTerms(tx, row);
  completeChoiceTask(tx, row, row.defaultChoice, "default", null, now, now);
  if (choiceIncludesReturn(row.defaultChoice)) addReturnTask(tx, row, terms, now);
  const fallback = defaultChoiceFor(terms);
  const actor = systemActor(row.workspaceId);
  appendAudit(tx, actor, now, {
    action: "end_of_contract.default_choice_applied",
    entityType: "end_of_contract_case",
    entityId: row.id,
    customerId: row.customerId,
    data: { reference: row.reference, choice: row.defaultChoice, basis: fallback.article ?? null },
  });
  const customer = customerOf(tx, row.workspaceId, row.customerId);
  const vendor = vendorName(tx, row.workspaceId);
  const choice = CHOICE_LABELS[row.defaultChoice];
  mailCustomer(
    tx,
    customer,
    "eoc_default_choice_applied",
    {
      subject: { nl: `Uw gegevens worden ${choice.nl === "verwijderen" ? "verwijderd" : choice.nl} – ${vendor.tradeName}`, en: `Your data will be handled: ${choice.en} – ${vendor.tradeName}` },
      body: {
        nl: `Beste ${customer.privacyContactName || customer.name},\n\nWe hebben geen keuze ontvangen over teruggave of verwijdering van uw gegevens na het einde van de overeenkomst op ${displayDate(row.endDate)} (kenmerk ${row.reference}).\n${fallback.explanation.nl}\nWe voeren daarom uit: ${choice.nl}. U ontvangt een ondertekend certificaat zodra alles is afgerond; u vindt het ook in het klantportaal: ${getConfig().appUrl}/portal/contract\n\nMet vriendelijke groet,\n${vendor.legalName}\n`,
        en: `Dear ${customer.privacyContactName || customer.name},\n\nWe did not receive a choice about returning or deleting your data after the agreement ended on ${displayDate(row.endDate)} (reference ${row.reference}).\n${fallback.explanation.en}\nWe will therefore: ${choice.en}. You will receive a signed certificate once everything is done; it is also in the customer portal: ${getConfig().appUrl}/portal/contract\n\nKind regards,\n${vendor.legalName}\n`,
      },
    },
    now,
  );
  return true;
}

const HOUSEKEEPING_BATCH = 200;
/** The customer is reminded once when this many days (or fewer) are left to choose. */
const CHOICE_REMINDER_DAYS = 3;

/** One reminder per case, a few days before the choice deadline (the outbox row is the marker). */
function remindChoiceInTx(tx: Tx, caseId: string, now: string): boolean {
  const row = tx.select().from(endOfContractCases).where(eq(endOfContractCases.id, caseId)).get();
  if (!row || row.status !== "open" || row.choice !== null) return false;
  const sent = tx
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.customerId, row.customerId), eq(outbox.kind, "eoc_choice_deadline_reminder"), gte(outbox.createdAt, row.createdAt)))
    .get();
  if (sent) return false;
  const customer = customerOf(tx, row.workspaceId, row.customerId);
  const { terms } = caseTerms(tx, row);
  if (recipientsOf(tx, customer).length === 0) return false;
  mailCustomer(tx, customer, "eoc_choice_deadline_reminder", choiceMail(tx, customer, row, terms, true), now);
  appendAudit(tx, systemActor(row.workspaceId), now, {
    action: "end_of_contract.choice_reminder_sent",
    entityType: "end_of_contract_case",
    entityId: row.id,
    customerId: row.customerId,
    data: { reference: row.reference },
  });
  return true;
}

/**
 * For the scheduler: opens cases whose contract has ended, applies the default choice when the
 * choice deadline passed without an answer (or the terms have no choice step), and issues
 * certificates that are due (all tasks done, certificate missing). Idempotent; safe to run on
 * several instances at once (every change is a conditional update in an immediate transaction).
 */
export async function runEndOfContractHousekeeping(db: Db, now: string): Promise<{ opened: number; defaultsApplied: number }> {
  const today = amsterdamToday(now);
  let opened = 0;
  let defaultsApplied = 0;
  const due = db
    .select({ id: endOfContractCases.id, workspaceId: endOfContractCases.workspaceId, kind: endOfContractCases.kind, endDate: endOfContractCases.endDate })
    .from(endOfContractCases)
    .where(and(eq(endOfContractCases.status, "scheduled"), lte(endOfContractCases.endDate, today)))
    .orderBy(asc(endOfContractCases.endDate), asc(endOfContractCases.id))
    .limit(HOUSEKEEPING_BATCH)
    .all()
    .filter((row) => contractHasEnded({ endDate: row.endDate, today, kind: row.kind }));
  for (const row of due) {
    const result = db.transaction((tx) => openCaseInTx(tx, systemActor(row.workspaceId), row.id, now, { remind: true }), { behavior: "immediate" });
    if (result.opened) opened++;
    if (result.defaultApplied) defaultsApplied++;
  }
  const unanswered = db
    .select({ id: endOfContractCases.id })
    .from(endOfContractCases)
    .innerJoin(endOfContractTasks, and(eq(endOfContractTasks.caseId, endOfContractCases.id), eq(endOfContractTasks.kind, "customer_choice")))
    .where(
      and(
        eq(endOfContractCases.status, "open"),
        isNull(endOfContractCases.choice),
        or(eq(endOfContractTasks.status, "not_applicable"), and(eq(endOfContractTasks.status, "open"), lt(endOfContractTasks.dueDate, today))),
      ),
    )
    .limit(HOUSEKEEPING_BATCH)
    .all();
  for (const row of unanswered) {
    if (db.transaction((tx) => applyDefaultInTx(tx, row.id, now), { behavior: "immediate" })) defaultsApplied++;
  }
  const remindable = db
    .select({ id: endOfContractCases.id })
    .from(endOfContractCases)
    .innerJoin(endOfContractTasks, and(eq(endOfContractTasks.caseId, endOfContractCases.id), eq(endOfContractTasks.kind, "customer_choice")))
    .where(
      and(
        eq(endOfContractCases.status, "open"),
        isNull(endOfContractCases.choice),
        eq(endOfContractTasks.status, "open"),
        lte(endOfContractTasks.dueDate, addDays(today, CHOICE_REMINDER_DAYS)),
        gte(endOfContractTasks.dueDate, today),
      ),
    )
    .limit(HOUSEKEEPING_BATCH)
    .all();
  for (const row of remindable) db.transaction((tx) => remindChoiceInTx(tx, row.id, now), { behavior: "immediate" });
  const ready = db
    .select({ id: endOfContractCases.id, workspaceId: endOfContractCases.workspaceId })
    .from(endOfContractCases)
    .where(
      and(
        eq(endOfContractCases.status, "open"),
        isNull(endOfContractCases.certificatePath),
        sql`not exists (select 1 from ${endOfContractTasks} where ${endOfContractTasks.caseId} = ${endOfContractCases.id} and ${endOfContractTasks.status} = 'open' and ${endOfContractTasks.kind} <> 'certificate')`,
      ),
    )
    .limit(HOUSEKEEPING_BATCH)
    .all();
  for (const row of ready) {
    try {
      await issueCertificateFor(db, systemActor(row.workspaceId), row.id, now);
    } catch (error) {
      console.error(`end-of-contract: certificate for case ${row.id} failed:`, error instanceof Error ? error.message : error);
    }
  }
  return { opened, defaultsApplied };
}

// ---------------------------------------------------------------------------------------
// The customer's choice

export async function recordChoice(actor: Actor, caseId: string, choice: EocChoice, now: string): Promise<EocResult> {
  const db = getDb();
  caseForActor(db, actor, caseId, "workspace:write");
  if (!EOC_CHOICES.includes(choice)) return { ok: false, errors: { choice: ERR("choice_invalid") } };
  const source: "portal" | "staff" = actor.kind === "portal" ? "portal" : "staff";
  const userId = actor.kind === "portal" || actor.kind === "staff" ? actor.userId : null;
  return db.transaction(
    (tx): EocResult => {
      const row = caseForActor(tx, actor, caseId, "workspace:write");
      if ((row.status !== "scheduled" && row.status !== "open") || row.choice !== null) return { ok: false, errors: { choice: ERR("choice_closed") } };
      const { terms } = caseTerms(tx, row);
      const refusal = checkChoice({ terms, choice, contractEndDate: row.endDate, today: amsterdamToday(now) });
      if (refusal) return { ok: false, errors: { choice: ERR(refusal) } };
      const changed = tx
        .update(endOfContractCases)
        .set({ choice, choiceSource: source, choiceMadeAt: now, choiceMadeByUserId: userId, updatedAt: now })
        .where(and(eq(endOfContractCases.id, row.id), isNull(endOfContractCases.choice), inArray(endOfContractCases.status, ["scheduled", "open"])))
        .run().changes;
      if (changed !== 1) return { ok: false, errors: { choice: ERR("choice_closed") } };
      if (row.status === "open") {
        completeChoiceTask(tx, row, choice, source, userId, now, now);
        if (choiceIncludesReturn(choice)) addReturnTask(tx, row, terms, now);
      }
      appendAudit(tx, actor, now, {
        action: "end_of_contract.choice_recorded",
        entityType: "end_of_contract_case",
        entityId: row.id,
        customerId: row.customerId,
        data: { reference: row.reference, choice, source },
      });
      return { ok: true };
    },
    { behavior: "immediate" },
  );
}

// ---------------------------------------------------------------------------------------
// Views of cases and tasks

type TaskJoinRow = TaskRow & {
  caseReference: string;
  caseChoice: EocChoice | null;
  caseStatus: EocCaseStatus;
  customerName: string;
  subprocessorName: string | null;
  subprocessorTradeName: string | null;
  subprocessorLocations: string | null;
};

function taskSelect() {
  const t = endOfContractTasks;
  return {
    id: t.id,
    workspaceId: t.workspaceId,
    caseId: t.caseId,
    customerId: t.customerId,
    kind: t.kind,
    subprocessorId: t.subprocessorId,
    position: t.position,
    dueDate: t.dueDate,
    basis: t.basis,
    evidenceRequired: t.evidenceRequired,
    status: t.status,
    assigneeUserId: t.assigneeUserId,
    completedAt: t.completedAt,
    completedByUserId: t.completedByUserId,
    evidenceNote: t.evidenceNote,
    doneOn: t.doneOn,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    caseReference: endOfContractCases.reference,
    caseChoice: endOfContractCases.choice,
    caseStatus: endOfContractCases.status,
    customerName: customers.name,
    subprocessorName: subprocessors.legalName,
    subprocessorTradeName: subprocessors.tradeName,
    subprocessorLocations: subprocessors.locations,
  };
}

function taskQuery(db: Handle) {
  return db
    .select(taskSelect())
    .from(endOfContractTasks)
    .innerJoin(endOfContractCases, eq(endOfContractCases.id, endOfContractTasks.caseId))
    .innerJoin(customers, eq(customers.id, endOfContractTasks.customerId))
    .leftJoin(subprocessors, eq(subprocessors.id, endOfContractTasks.subprocessorId));
}

function parseList(value: string | null): string[] {
  if (!value) return [];
  try {
    const list = JSON.parse(value) as unknown;
    return Array.isArray(list) ? list.map(String) : [];
  } catch {
    return [];
  }
}

function taskViews(db: Handle, rows: TaskJoinRow[], today: string, canWrite: boolean): EocTaskView[] {
  const ids = rows.map((r) => r.id);
  const files =
    ids.length === 0
      ? []
      : db.select().from(endOfContractEvidence).where(inArray(endOfContractEvidence.taskId, ids)).orderBy(asc(endOfContractEvidence.createdAt), asc(endOfContractEvidence.id)).all();
  const names = userNames(db, [...rows.flatMap((r) => [r.assigneeUserId, r.completedByUserId]), ...files.map((f) => f.uploadedByUserId)]);
  return rows.map((row) => {
    const basis = parseBasis(row.basis);
    const backupsExpireOn = (JSON.parse(row.basis) as { backupsExpireOn?: string }).backupsExpireOn ?? null;
    const explanation: LocalizedText =
      basis?.kind === "deadline" ? basis.explanation : basis?.kind === "not_applicable" ? basis.reason : basis?.kind === "automatic" ? basis.explanation : { nl: "", en: "" };
    const open = row.status === "open" && row.caseStatus === "open";
    return {
      id: row.id,
      caseId: row.caseId,
      caseReference: row.caseReference,
      customerId: row.customerId,
      customerName: row.customerName,
      kind: row.kind,
      title: TASK_TITLES[row.kind],
      instruction: TASK_INSTRUCTIONS[row.kind],
      subprocessor: row.subprocessorId
        ? { id: row.subprocessorId, name: row.subprocessorTradeName ?? row.subprocessorName ?? "", locations: parseList(row.subprocessorLocations) }
        : null,
      position: row.position,
      dueDate: row.dueDate,
      dueDisplay: displayDate(row.dueDate),
      explanation,
      basis: basis?.kind === "deadline" ? basis.deadline.basis : null,
      status: row.status,
      overdue: row.status === "open" && row.dueDate !== null && row.dueDate < today,
      evidenceRequired: row.evidenceRequired,
      assignee: row.assigneeUserId ? { id: row.assigneeUserId, name: names.get(row.assigneeUserId) ?? "" } : null,
      completedAt: row.completedAt,
      completedDisplay: displayInstant(row.completedAt),
      completedBy: row.completedAt ? (row.completedByUserId ? (names.get(row.completedByUserId) ?? null) : "DPA Desk") : null,
      doneOn: row.doneOn,
      doneOnDisplay: displayDate(row.doneOn),
      evidenceNote: row.evidenceNote,
      files: files
        .filter((f) => f.taskId === row.id)
        .map((f) => ({
          id: f.id,
          filename: f.filename,
          contentType: f.contentType,
          sizeBytes: f.sizeBytes,
          sha256: f.sha256,
          uploadedAt: f.createdAt,
          uploadedDisplay: displayInstant(f.createdAt),
          uploadedBy: f.uploadedByUserId ? (names.get(f.uploadedByUserId) ?? null) : null,
        })),
      backupsExpireOn,
      backupRule: basis?.kind === "deadline" && basis.backupExpiry ? basis.backupExpiry.explanation : null,
      canComplete: canWrite && open && row.kind !== "customer_choice" && row.kind !== "certificate",
      canMarkNotApplicable: canWrite && open && mayMarkNotApplicable(row.kind, row.caseChoice),
    };
  });
}

type TaskCursor = { v: string; id: string };
function isTaskCursor(value: unknown): value is TaskCursor {
  const v = value as TaskCursor;
  return typeof v === "object" && v !== null && typeof v.v === "string" && typeof v.id === "string";
}

const NO_DUE = "9999-12-31";

export async function listTasks(actor: Actor, query: TaskListQuery, now: string): Promise<TaskPage> {
  requireStaff(actor);
  const db = getDb();
  const today = amsterdamToday(now);
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 200);
  // due date, then the task's place in its case (position < 900), then id: one portable text key
  const dueKey = sql<string>`coalesce(${endOfContractTasks.dueDate}, ${NO_DUE}) || '#' || (${endOfContractTasks.position} + 100)`;
  const conditions: SQL[] = [eq(endOfContractTasks.workspaceId, actor.workspaceId), inArray(endOfContractCases.status, ["open", "closed"])];
  const status = query.status ?? "open";
  if (status !== "all") conditions.push(eq(endOfContractTasks.status, status));
  const due = query.due ?? "all";
  if (due === "overdue") conditions.push(eq(endOfContractTasks.status, "open"), lt(endOfContractTasks.dueDate, today));
  if (due === "7d") conditions.push(eq(endOfContractTasks.status, "open"), lte(endOfContractTasks.dueDate, addDays(today, 7)));
  if (due === "30d") conditions.push(eq(endOfContractTasks.status, "open"), lte(endOfContractTasks.dueDate, addDays(today, 30)));
  if (query.customerId) conditions.push(eq(endOfContractTasks.customerId, query.customerId));
  if (query.assigneeUserId === "none") conditions.push(isNull(endOfContractTasks.assigneeUserId));
  else if (query.assigneeUserId) conditions.push(eq(endOfContractTasks.assigneeUserId, query.assigneeUserId));
  const cursor = decodeCursor(query.cursor, isTaskCursor);
  if (cursor) conditions.push(keysetAfter(dueKey, endOfContractTasks.id, { value: cursor.v, id: cursor.id }, "asc"));
  const rows = taskQuery(db)
    .where(and(...conditions))
    .orderBy(asc(dueKey), asc(endOfContractTasks.id))
    .limit(limit + 1)
    .all() as TaskJoinRow[];
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    tasks: taskViews(db, page, today, can(actor, "workspace:write")),
    next: rows.length > limit && last ? encodeCursor({ v: `${last.dueDate ?? NO_DUE}#${last.position + 100}`, id: last.id }) : null,
  };
}

type CaseCursor = { v: string; id: string };

export async function listCases(actor: Actor, query: CaseListQuery, now: string): Promise<CasePage> {
  requireStaff(actor);
  const db = getDb();
  const today = amsterdamToday(now);
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 200);
  const conditions: SQL[] = [eq(endOfContractCases.workspaceId, actor.workspaceId)];
  const status = query.status ?? "active";
  if (status === "active") conditions.push(inArray(endOfContractCases.status, ["scheduled", "open"]));
  else if (status !== "all") conditions.push(eq(endOfContractCases.status, status));
  if (query.customerId) conditions.push(eq(endOfContractCases.customerId, query.customerId));
  const cursor = decodeCursor(query.cursor, isTaskCursor) as CaseCursor | null;
  if (cursor) conditions.push(keysetAfter(endOfContractCases.endDate, endOfContractCases.id, { value: cursor.v, id: cursor.id }, "asc"));
  const rows = db
    .select(caseColumns)
    .from(endOfContractCases)
    .innerJoin(customers, eq(customers.id, endOfContractCases.customerId))
    .where(and(...conditions))
    .orderBy(asc(endOfContractCases.endDate), asc(endOfContractCases.id))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { cases: summaries(db, page, today), next: rows.length > limit && last ? encodeCursor({ v: last.endDate, id: last.id }) : null };
}

function plannedTasksOf(db: Handle, row: CaseRow, terms: EffectiveTerms, today: string): PlannedTask[] {
  const subs = customerSubprocessorsIn(db, row.workspaceId, row.customerId, today);
  return generateEndOfContractTasks({
    terms,
    contractEndDate: row.endDate,
    internalDeletionTargetDays: DEFAULT_INTERNAL_DELETION_TARGET_DAYS,
    subprocessors: subs.map((s) => ({ id: s.id, name: s.tradeName ?? s.legalName })),
    choice: row.choice,
  }).map((task) => ({
    kind: task.kind,
    title: TASK_TITLES[task.kind],
    subprocessorName: task.subprocessorName,
    dueDate: task.dueDate,
    dueDisplay: displayDate(task.dueDate),
    explanation: task.basis.kind === "not_applicable" ? task.basis.reason : task.basis.explanation,
    applies: task.status === "open",
  }));
}

export async function getCase(actor: Actor, caseId: string, now: string): Promise<EocCaseDetail> {
  requireStaff(actor);
  const db = getDb();
  const row = staffCase(db, actor, caseId);
  const customer = customerOf(db, actor.workspaceId, row.customerId);
  const today = amsterdamToday(now);
  const { terms, version } = caseTerms(db, row);
  const taskRows = taskQuery(db)
    .where(eq(endOfContractTasks.caseId, row.id))
    .orderBy(asc(endOfContractTasks.position), asc(endOfContractTasks.id))
    .all() as TaskJoinRow[];
  const canWrite = can(actor, "workspace:write");
  const tasks = taskViews(db, taskRows, today, canWrite);
  const open = tasks.filter((t) => t.status === "open");
  const stored = parseEndBasis(row.endBasis);
  const choiceBy = row.choiceMadeByUserId ? (userNames(db, [row.choiceMadeByUserId]).get(row.choiceMadeByUserId) ?? null) : null;
  const choiceDue = choiceDeadline({ terms, contractEndDate: row.endDate });
  const exit = exitRequest({ terms, contractEndDate: row.endDate });
  const activeStatus = row.status === "scheduled" || row.status === "open";
  return {
    ...summaryOf(row, customer.name, { open: open.length, overdue: open.filter((t) => t.overdue).length }),
    endExplanation: row.overrideReason
      ? {
          nl: `Berekend: ${displayDate(row.computedEndDate)} (${stored?.explanation.nl ?? ""}). Aangepast naar ${displayDate(row.endDate)}: ${row.overrideReason}`,
          en: `Computed: ${displayDate(row.computedEndDate)} (${stored?.explanation.en ?? ""}). Overridden to ${displayDate(row.endDate)}: ${row.overrideReason}`,
        }
      : (stored?.explanation ?? { nl: "", en: "" }),
    endBasis: stored?.basis ?? null,
    sourceRef: row.sourceRef,
    note: row.note,
    termsVersion: version,
    choiceMadeAt: row.choiceMadeAt,
    choiceMadeDisplay: displayInstant(row.choiceMadeAt),
    choiceMadeBy: choiceBy,
    choiceDeadline: choiceDue ? explained(choiceDue) : null,
    defaultChoiceExplanation: defaultChoiceFor(terms).explanation,
    exitRequest: exit ? explained(exit) : null,
    choices: activeStatus && row.choice === null ? allowedChoices({ terms, contractEndDate: row.endDate, today }) : [],
    tasks,
    plannedTasks: row.status === "scheduled" ? plannedTasksOf(db, row, terms, today) : [],
    withdrawnAt: row.withdrawnAt,
    closedAt: row.closedAt,
    certificateSha256: row.certificateSha256,
    canWrite,
    canIssueCertificate: canWrite && row.status === "open" && row.certificatePath === null && open.every((t) => t.kind === "certificate"),
    canWithdraw: canWrite && row.status === "scheduled",
  };
}

export async function listAssignableStaff(actor: Actor): Promise<StaffOption[]> {
  requireStaff(actor);
  return getDb()
    .select({ id: users.id, name: users.name, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, actor.workspaceId), inArray(memberships.role, ["admin", "privacy_officer"]), isNull(users.disabledAt)))
    .orderBy(asc(users.name), asc(users.id))
    .limit(500)
    .all();
}

export async function assignTask(actor: Actor, taskId: string, assigneeUserId: string | null, now: string): Promise<EocResult> {
  requireStaff(actor, "workspace:write");
  const db = getDb();
  staffTask(db, actor, taskId);
  return db.transaction(
    (tx): EocResult => {
      const task = staffTask(tx, actor, taskId);
      if (assigneeUserId) {
        const member = tx
          .select({ id: memberships.id })
          .from(memberships)
          .innerJoin(users, eq(users.id, memberships.userId))
          .where(
            and(
              eq(memberships.workspaceId, actor.workspaceId),
              eq(memberships.userId, assigneeUserId),
              inArray(memberships.role, ["admin", "privacy_officer"]),
              isNull(users.disabledAt),
            ),
          )
          .get();
        if (!member) return { ok: false, errors: { assigneeUserId: ERR("assignee_invalid") } };
      }
      if (task.status !== "open") return { ok: false, errors: { form: ERR("task_closed") } };
      tx.update(endOfContractTasks).set({ assigneeUserId, updatedAt: now }).where(eq(endOfContractTasks.id, task.id)).run();
      appendAudit(tx, actor, now, {
        action: "end_of_contract.task_assigned",
        entityType: "end_of_contract_task",
        entityId: task.id,
        customerId: task.customerId,
        data: { kind: task.kind, before: task.assigneeUserId, after: assigneeUserId },
      });
      return { ok: true };
    },
    { behavior: "immediate" },
  );
}

// ---------------------------------------------------------------------------------------
// Completing tasks

function remainingTasks(db: Handle, caseId: string): number {
  return (
    db
      .select({ n: count() })
      .from(endOfContractTasks)
      .where(and(eq(endOfContractTasks.caseId, caseId), eq(endOfContractTasks.status, "open"), ne(endOfContractTasks.kind, "certificate")))
      .get()?.n ?? 0
  );
}

function refusalForTask(row: CaseRow, task: TaskRow): string | null {
  if (row.status !== "open") return row.status === "closed" ? ERR("task_closed") : ERR("case_not_open");
  if (task.status !== "open") return ERR("task_closed");
  if (task.kind === "customer_choice") return ERR("task_choice_only");
  if (task.kind === "certificate") return ERR("certificate_automatic");
  return null;
}

export async function completeTask(actor: Actor, taskId: string, input: CompleteTaskInput, now: string): Promise<CompleteTaskResult> {
  requireStaff(actor, "workspace:write");
  const db = getDb();
  const task = staffTask(db, actor, taskId);
  const row = staffCase(db, actor, task.caseId);
  const refusal = refusalForTask(row, task);
  if (refusal) return { ok: false, errors: { form: refusal } };
  const today = amsterdamToday(now);
  const errors: EocErrors = {};
  const note = (input.note ?? "").trim();
  if (task.evidenceRequired && note.length === 0) errors.note = ERR("evidence_required");
  else if (note.length > MAX_NOTE) errors.note = ERR("too_long");
  const doneOn = validDate(input.doneOn?.trim());
  if (!doneOn) errors.doneOn = ERR("date_invalid");
  else if (doneOn > today) errors.doneOn = ERR("done_in_future");
  else if (doneOn < row.noticeReceivedOn) errors.doneOn = ERR("done_before_notice");
  let fileCheck: ReturnType<typeof checkEvidenceFile> | null = null;
  if (input.file && (input.file.bytes.length > 0 || input.file.filename)) {
    fileCheck = checkEvidenceFile(input.file);
    if (!fileCheck.ok) errors.file = ERR(fileCheck.error);
  }
  let backupsExpireOn: string | null = null;
  if (task.kind === "backup_expiry") {
    const { terms } = caseTerms(db, row);
    const raw = input.backupsExpireOn?.trim() || null;
    const deletion = db
      .select({ doneOn: endOfContractTasks.doneOn, status: endOfContractTasks.status })
      .from(endOfContractTasks)
      .where(and(eq(endOfContractTasks.caseId, row.id), eq(endOfContractTasks.kind, "production_deletion")))
      .get();
    const deletedOn = deletion?.status === "done" ? deletion.doneOn : null;
    if (raw && !validDate(raw)) errors.backupsExpireOn = ERR("date_invalid");
    else if (hasBackupRetention(terms)) {
      if (!deletedOn) return { ok: false, errors: { form: ERR("deletion_first") } };
      if (!raw) errors.backupsExpireOn = ERR("backup_date_required");
      else {
        const backupRefusal = checkBackupExpiry({ terms, deletedOn, backupsExpireOn: raw });
        if (backupRefusal) errors.backupsExpireOn = ERR(backupRefusal);
      }
    } else if (raw && deletedOn && raw < deletedOn) errors.backupsExpireOn = ERR("backup_date_before_deletion");
    backupsExpireOn = raw;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  let stored: { id: string; relative: string; sha: string; size: number; filename: string; contentType: string } | null = null;
  if (fileCheck?.ok && input.file) {
    const id = newId();
    const relative = evidenceRelativePath(row.workspaceId, row.id, id, fileCheck.type.extension);
    await writeFileAtomically(relative, input.file.bytes);
    stored = { id, relative, sha: sha256(input.file.bytes), size: input.file.bytes.length, filename: fileCheck.filename, contentType: fileCheck.type.contentType };
  }
  const outcome = db.transaction(
    (tx): { ok: true; last: boolean } | { ok: false; errors: EocErrors } => {
      const freshTask = staffTask(tx, actor, taskId);
      const freshCase = staffCase(tx, actor, freshTask.caseId);
      const again = refusalForTask(freshCase, freshTask);
      if (again) return { ok: false, errors: { form: again } };
      const basis = JSON.parse(freshTask.basis) as Record<string, unknown>;
      const changed = tx
        .update(endOfContractTasks)
        .set({
          status: "done",
          completedAt: now,
          completedByUserId: actor.userId,
          evidenceNote: note || null,
          doneOn: doneOn!,
          ...(backupsExpireOn ? { basis: JSON.stringify({ ...basis, backupsExpireOn }) } : {}),
          updatedAt: now,
        })
        .where(and(eq(endOfContractTasks.id, freshTask.id), eq(endOfContractTasks.status, "open")))
        .run().changes;
      if (changed !== 1) return { ok: false, errors: { form: ERR("task_closed") } };
      if (stored) {
        tx.insert(endOfContractEvidence)
          .values({
            id: stored.id,
            workspaceId: freshTask.workspaceId,
            taskId: freshTask.id,
            filename: stored.filename,
            contentType: stored.contentType,
            sizeBytes: stored.size,
            sha256: stored.sha,
            path: stored.relative,
            uploadedByUserId: actor.userId,
            createdAt: now,
          })
          .run();
      }
      appendAudit(tx, actor, now, {
        action: "end_of_contract.task_completed",
        entityType: "end_of_contract_task",
        entityId: freshTask.id,
        customerId: freshTask.customerId,
        data: {
          caseId: freshCase.id,
          reference: freshCase.reference,
          kind: freshTask.kind,
          subprocessorId: freshTask.subprocessorId,
          doneOn,
          note,
          backupsExpireOn,
          file: stored ? { id: stored.id, filename: stored.filename, sha256: stored.sha, size: stored.size, contentType: stored.contentType } : null,
          late: freshTask.dueDate !== null && doneOn! > freshTask.dueDate,
        },
      });
      return { ok: true, last: remainingTasks(tx, freshCase.id) === 0 };
    },
    { behavior: "immediate" },
  );
  if (!outcome.ok) {
    if (stored) await removeFile(stored.relative);
    return outcome;
  }
  if (!outcome.last) return { ok: true, caseClosed: false, certificateIssued: false };
  const issued = await issueCertificateSafely(db, actor, row.id, now);
  return { ok: true, caseClosed: issued, certificateIssued: issued };
}

export async function markNotApplicable(actor: Actor, taskId: string, reason: string, now: string): Promise<CompleteTaskResult> {
  requireStaff(actor, "workspace:write");
  const db = getDb();
  const task = staffTask(db, actor, taskId);
  const trimmed = reason.trim();
  if (!trimmed) return { ok: false, errors: { reason: ERR("reason_required") } };
  if (trimmed.length > MAX_REASON) return { ok: false, errors: { reason: ERR("too_long") } };
  const outcome = db.transaction(
    (tx): { ok: true; last: boolean } | { ok: false; errors: EocErrors } => {
      const freshTask = staffTask(tx, actor, task.id);
      const row = staffCase(tx, actor, freshTask.caseId);
      const refusal = refusalForTask(row, freshTask);
      if (refusal) return { ok: false, errors: { form: refusal } };
      if (!mayMarkNotApplicable(freshTask.kind, row.choice)) return { ok: false, errors: { form: ERR("not_applicable_not_allowed") } };
      const changed = tx
        .update(endOfContractTasks)
        .set({ status: "not_applicable", completedAt: now, completedByUserId: actor.userId, evidenceNote: trimmed, doneOn: amsterdamToday(now), updatedAt: now })
        .where(and(eq(endOfContractTasks.id, freshTask.id), eq(endOfContractTasks.status, "open")))
        .run().changes;
      if (changed !== 1) return { ok: false, errors: { form: ERR("task_closed") } };
      appendAudit(tx, actor, now, {
        action: "end_of_contract.task_not_applicable",
        entityType: "end_of_contract_task",
        entityId: freshTask.id,
        customerId: freshTask.customerId,
        data: { caseId: row.id, reference: row.reference, kind: freshTask.kind, subprocessorId: freshTask.subprocessorId, reason: trimmed },
      });
      return { ok: true, last: remainingTasks(tx, row.id) === 0 };
    },
    { behavior: "immediate" },
  );
  if (!outcome.ok) return outcome;
  if (!outcome.last) return { ok: true, caseClosed: false, certificateIssued: false };
  const issued = await issueCertificateSafely(db, actor, task.caseId, now);
  return { ok: true, caseClosed: issued, certificateIssued: issued };
}

/**
 * After the last task: issue the certificate, but never let a rendering or signing failure undo
 * the task just recorded. The case then stays open with all tasks done; the scheduler's
 * housekeeping (or an explicit issueCertificate) issues it later.
 */
async function issueCertificateSafely(db: Db, actor: Actor, caseId: string, now: string): Promise<boolean> {
  try {
    return await issueCertificateFor(db, actor, caseId, now);
  } catch (error) {
    console.error(`end-of-contract: certificate for case ${caseId} failed, housekeeping will retry:`, error instanceof Error ? error.message : error);
    return false;
  }
}

// ---------------------------------------------------------------------------------------
// The certificate

export async function issueCertificate(actor: Actor, caseId: string, now: string): Promise<EocResult> {
  requireStaff(actor, "workspace:write");
  const db = getDb();
  const row = staffCase(db, actor, caseId);
  if (row.certificatePath || row.status === "closed") return { ok: false, errors: { form: ERR("certificate_issued") } };
  if (row.status !== "open") return { ok: false, errors: { form: ERR("case_not_open") } };
  if (remainingTasks(db, row.id) > 0) return { ok: false, errors: { form: ERR("tasks_remaining") } };
  const issued = await issueCertificateFor(db, actor, row.id, now);
  return issued ? { ok: true } : { ok: false, errors: { form: ERR("certificate_issued") } };
}

const WHERE_TEXT: Record<"return_export" | "production_deletion" | "backup_expiry", (vendor: string, customer: string) => LocalizedText> = {
  return_export: (_vendor, customer) => ({ nl: `export geleverd aan ${customer}`, en: `export delivered to ${customer}` }),
  production_deletion: (vendor) => ({ nl: `productiesystemen van ${vendor}`, en: `production systems of ${vendor}` }),
  backup_expiry: (vendor) => ({ nl: `back-ups van ${vendor}`, en: `backups of ${vendor}` }),
};

function dataDescription(db: Handle, customer: CustomerRow, lang: Locale): string[] {
  const serviceNames = db
    .select({ nl: services.nameNl, en: services.nameEn })
    .from(customerServices)
    .innerJoin(services, eq(services.id, customerServices.serviceId))
    .where(eq(customerServices.customerId, customer.id))
    .orderBy(asc(services.nameNl))
    .all()
    .map((s) => s[lang]);
  const categories = parseList(customer.dataCategories).map((key) => catalogueLabel("dataCategory", key, lang).text);
  const subjects = parseList(customer.dataSubjects).map((key) => catalogueLabel("dataSubject", key, lang).text);
  const lines: string[] = [];
  if (serviceNames.length > 0) lines.push(`${lang === "nl" ? "Diensten" : "Services"}: ${serviceNames.join(", ")}`);
  if (categories.length > 0) lines.push(`${lang === "nl" ? "Categorieën persoonsgegevens" : "Categories of personal data"}: ${categories.join(", ")}`);
  if (subjects.length > 0) lines.push(`${lang === "nl" ? "Categorieën betrokkenen" : "Categories of data subjects"}: ${subjects.join(", ")}`);
  return lines;
}

/**
 * Renders, signs and stores the certificate of a case whose tasks are all done, then closes the
 * case, completes the certificate task and mails the certificate, conditionally (only the first
 * caller wins; a loser removes its file). Returns whether this call issued it.
 */
async function issueCertificateFor(db: Db, actor: Actor, caseId: string, now: string): Promise<boolean> {
  const row = db.select().from(endOfContractCases).where(eq(endOfContractCases.id, caseId)).get();
  if (!row || row.status !== "open" || row.certificatePath || row.choice === null || row.choiceSource === null) return false;
  if (remainingTasks(db, row.id) > 0) return false;
  const workspace = db.select().from(workspaces).where(eq(workspaces.id, row.workspaceId)).get()!;
  const customer = customerOf(db, row.workspaceId, row.customerId);
  const { terms, version } = caseTerms(db, row);
  const lang = customer.language;
  const taskRows = taskQuery(db)
    .where(and(eq(endOfContractTasks.caseId, row.id), notInArray(endOfContractTasks.kind, ["certificate", "customer_choice"])))
    .orderBy(asc(endOfContractTasks.position), asc(endOfContractTasks.id))
    .all() as TaskJoinRow[];
  const views = taskViews(db, taskRows, amsterdamToday(now), false);
  const tasks: CertificateTask[] = views.map((view) => ({
    kind: view.kind as CertificateTask["kind"],
    title: view.title,
    where:
      view.kind === "subprocessor_deletion" && view.subprocessor
        ? `${view.subprocessor.name}${view.subprocessor.locations.length > 0 ? ` (${view.subprocessor.locations.join(", ")})` : ""}`
        : WHERE_TEXT[view.kind as "return_export" | "production_deletion" | "backup_expiry"](workspace.legalName, customer.name)[lang],
    status: view.status === "not_applicable" ? "not_applicable" : "done",
    dueDisplay: view.dueDisplay,
    doneOnDisplay: view.doneOnDisplay,
    completedBy: view.completedBy ?? "",
    note: view.evidenceNote ?? "",
    files: view.files.map((f) => ({ filename: f.filename, sha256: f.sha256, sizeBytes: f.sizeBytes })),
  }));
  const deletion = views.find((v) => v.kind === "production_deletion");
  const backup = views.find((v) => v.kind === "backup_expiry");
  const rule =
    deletion?.doneOn && deletion.status === "done"
      ? backupRule({ terms, deletedOn: deletion.doneOn, deletionDue: deletion.dueDate ?? deletion.doneOn })
      : backupRule({ terms, deletionDue: deletion?.dueDate ?? row.endDate });
  const expireBy = backup?.backupsExpireOn ?? (rule.kind === "retention" ? rule.deadline.due : null);
  const signer = await workspaceSigner({ id: workspace.id, slug: workspace.slug, legalName: workspace.legalName }, getConfig());
  const issuedBy = actor.kind === "staff" ? actor.name : lang === "nl" ? "DPA Desk (automatisch)" : "DPA Desk (automatic)";
  const spec = deletionCertificateSpec({
    language: lang,
    reference: row.reference,
    processor: { legalName: workspace.legalName, address: [workspace.address, workspace.postcode, workspace.city].filter(Boolean).join(" "), kvkNumber: workspace.kvkNumber },
    customer: { name: customer.name, address: [customer.address, customer.postcode, customer.city].filter(Boolean).join(" "), registrationNumber: customer.registrationNumber },
    contractEndDisplay: displayDate(row.endDate),
    termsLabel: `${workspace.tradeName}, ${lang === "nl" ? "voorwaardenversie" : "terms version"} ${version}`,
    choice: row.choice,
    choiceSource: row.choiceSource,
    choiceMadeDisplay: displayInstant(row.choiceMadeAt),
    dataDescription: dataDescription(db, customer, lang),
    tasks,
    backups: { rule: (backup?.status === "not_applicable" ? { nl: backup.evidenceNote ?? "", en: backup.evidenceNote ?? "" } : rule.explanation)[lang] || "-", expireByDisplay: backup?.status === "not_applicable" ? null : expireBy ? displayDate(expireBy) : null },
    issuedAt: now,
    issuedAtDisplay: displayInstant(now),
    issuedBy,
    certificateFingerprint: certificateFingerprint(signer.p12, signer.passphrase),
  });
  const pdf = await renderSignedPdf(spec, signer, {
    reason: spec.title,
    name: workspace.legalName,
    location: workspace.city || "NL",
    contactInfo: customer.privacyContactEmail,
    signingTime: new Date(now),
  });
  const relative = certificateRelativePath(row.workspaceId, row.id);
  const file = await writeFileAtomically(relative, pdf);
  const digest = sha256(pdf);
  const filename = deletionCertificateFilename(lang, customer.name, row.reference);
  const issued = db.transaction(
    (tx): boolean => {
      if (remainingTasks(tx, row.id) > 0) return false;
      const changed = tx
        .update(endOfContractCases)
        .set({ status: "closed", closedAt: now, certificatePath: relative, certificateSha256: digest, certificateIssuedAt: now, updatedAt: now })
        .where(and(eq(endOfContractCases.id, row.id), eq(endOfContractCases.status, "open"), isNull(endOfContractCases.certificatePath)))
        .run().changes;
      if (changed !== 1) return false;
      tx.update(endOfContractTasks)
        .set({
          status: "done",
          completedAt: now,
          completedByUserId: actor.kind === "staff" ? actor.userId : null,
          doneOn: amsterdamToday(now),
          evidenceNote: `SHA-256 ${digest}`,
          updatedAt: now,
        })
        .where(and(eq(endOfContractTasks.caseId, row.id), eq(endOfContractTasks.kind, "certificate"), eq(endOfContractTasks.status, "open")))
        .run();
      appendAudit(tx, actor, now, {
        action: "end_of_contract.certificate_issued",
        entityType: "end_of_contract_case",
        entityId: row.id,
        customerId: row.customerId,
        data: { reference: row.reference, sha256: digest, path: relative, choice: row.choice, backupsExpireBy: expireBy },
      });
      appendAudit(tx, actor, now, {
        action: "end_of_contract.case_closed",
        entityType: "end_of_contract_case",
        entityId: row.id,
        customerId: row.customerId,
        data: { reference: row.reference, status: { before: "open", after: "closed" } },
      });
      const vendor = vendorName(tx, row.workspaceId);
      mailCustomer(
        tx,
        customer,
        "eoc_certificate",
        {
          subject: { nl: `Verklaring van verwijdering ${row.reference} – ${vendor.tradeName}`, en: `Certificate of deletion ${row.reference} – ${vendor.tradeName}` },
          body: {
            nl: `Beste ${customer.privacyContactName || customer.name},\n\nDe teruggave en verwijdering van uw gegevens na het einde van de overeenkomst op ${displayDate(row.endDate)} is afgerond. In de bijlage vindt u de digitaal ondertekende verklaring (kenmerk ${row.reference}, SHA-256 ${digest}).${expireBy ? `\nBack-ups met uw gegevens verlopen uiterlijk op ${displayDate(expireBy)}.` : ""}\nU kunt de verklaring ook downloaden in het klantportaal: ${getConfig().appUrl}/portal/contract\n\nMet vriendelijke groet,\n${vendor.legalName}\n`,
            en: `Dear ${customer.privacyContactName || customer.name},\n\nThe return and deletion of your data after the agreement ended on ${displayDate(row.endDate)} is complete. Attached is the digitally signed certificate (reference ${row.reference}, SHA-256 ${digest}).${expireBy ? `\nBackups holding your data expire by ${displayDate(expireBy)} at the latest.` : ""}\nYou can also download the certificate in the customer portal: ${getConfig().appUrl}/portal/contract\n\nKind regards,\n${vendor.legalName}\n`,
          },
        },
        now,
        [{ filename, contentType: "application/pdf", path: file }],
      );
      return true;
    },
    { behavior: "immediate" },
  );
  if (!issued) await removeFile(relative);
  return issued;
}

// ---------------------------------------------------------------------------------------
// Files

export async function evidenceFile(actor: Actor, evidenceId: string): Promise<FileDownload> {
  requireStaff(actor);
  const row = getDb()
    .select()
    .from(endOfContractEvidence)
    .where(and(eq(endOfContractEvidence.id, evidenceId), eq(endOfContractEvidence.workspaceId, actor.workspaceId)))
    .get();
  if (!row) throw notFound();
  return { bytes: await readStoredFile(row.path), filename: row.filename, contentType: row.contentType };
}

async function certificateOf(row: CaseRow): Promise<FileDownload> {
  if (!row.certificatePath) throw notFound();
  const customer = getDb().select({ name: customers.name, language: customers.language }).from(customers).where(eq(customers.id, row.customerId)).get()!;
  return {
    bytes: await readStoredFile(row.certificatePath),
    filename: deletionCertificateFilename(customer.language, customer.name, row.reference),
    contentType: "application/pdf",
  };
}

export async function certificateFile(actor: Actor, caseId: string): Promise<FileDownload> {
  const row = caseForActor(getDb(), actor, caseId, "workspace:read");
  return certificateOf(row);
}

function latestPortalCase(db: Handle, actor: PortalActor): CaseRow | undefined {
  const scope = and(eq(endOfContractCases.workspaceId, actor.workspaceId), eq(endOfContractCases.customerId, actor.customerId));
  return (
    db
      .select()
      .from(endOfContractCases)
      .where(and(scope, inArray(endOfContractCases.status, ["scheduled", "open"])))
      .get() ??
    db
      .select()
      .from(endOfContractCases)
      .where(and(scope, eq(endOfContractCases.status, "closed")))
      .orderBy(desc(endOfContractCases.closedAt), desc(endOfContractCases.id))
      .limit(1)
      .get()
  );
}

export async function portalCertificateFile(actor: Actor): Promise<FileDownload> {
  requirePortal(actor);
  const db = getDb();
  const row = db
    .select()
    .from(endOfContractCases)
    .where(
      and(
        eq(endOfContractCases.workspaceId, actor.workspaceId),
        eq(endOfContractCases.customerId, actor.customerId),
        eq(endOfContractCases.status, "closed"),
      ),
    )
    .orderBy(desc(endOfContractCases.closedAt), desc(endOfContractCases.id))
    .limit(1)
    .get();
  if (!row) throw notFound();
  return certificateOf(row);
}

// ---------------------------------------------------------------------------------------
// Portal

export async function portalCase(actor: Actor, now: string): Promise<PortalContract> {
  requirePortal(actor);
  const db = getDb();
  const customer = customerOf(db, actor.workspaceId, actor.customerId);
  const today = amsterdamToday(now);
  const row = latestPortalCase(db, actor);
  const customerTerms = termsFor(db, actor.workspaceId, customer.id, customer.termsVersionId);
  const clock: ContractClock =
    customer.status === "ended" && row ? { kind: "ended", endedOn: row.endDate, endedOnDisplay: displayDate(row.endDate) } : contractClock(customerTerms?.terms ?? null, customer, today);
  if (!row) return { customer: { id: customer.id, name: customer.name }, clock, case: null };
  const { terms } = caseTerms(db, row);
  const choiceDue = choiceDeadline({ terms, contractEndDate: row.endDate });
  const exit = exitRequest({ terms, contractEndDate: row.endDate });
  const taskRows = db
    .select({
      kind: endOfContractTasks.kind,
      status: endOfContractTasks.status,
      dueDate: endOfContractTasks.dueDate,
      doneOn: endOfContractTasks.doneOn,
      subprocessorName: subprocessors.legalName,
      subprocessorTradeName: subprocessors.tradeName,
    })
    .from(endOfContractTasks)
    .leftJoin(subprocessors, eq(subprocessors.id, endOfContractTasks.subprocessorId))
    .where(and(eq(endOfContractTasks.caseId, row.id), eq(endOfContractTasks.customerId, actor.customerId)))
    .orderBy(asc(endOfContractTasks.position), asc(endOfContractTasks.id))
    .all();
  const choices = (row.status === "scheduled" || row.status === "open") && row.choice === null ? allowedChoices({ terms, contractEndDate: row.endDate, today }) : [];
  return {
    customer: { id: customer.id, name: customer.name },
    clock,
    case: {
      id: row.id,
      reference: row.reference,
      status: row.status,
      endDate: row.endDate,
      endDisplay: displayDate(row.endDate),
      choice: row.choice,
      choiceSource: row.choiceSource,
      choiceMadeDisplay: displayInstant(row.choiceMadeAt),
      choiceDeadline: choiceDue ? explained(choiceDue) : null,
      defaultChoice: row.defaultChoice,
      defaultChoiceExplanation: defaultChoiceFor(terms).explanation,
      exitRequest: exit ? explained(exit) : null,
      canChoose: choices.length > 0,
      choices,
      tasks: taskRows.map((t) => ({
        kind: t.kind,
        title: TASK_TITLES[t.kind],
        subprocessorName: t.subprocessorTradeName ?? t.subprocessorName ?? null,
        status: t.status,
        dueDisplay: displayDate(t.dueDate),
        doneOnDisplay: displayDate(t.doneOn),
      })),
      certificate:
        row.certificateIssuedAt && row.certificateSha256
          ? { issuedAt: row.certificateIssuedAt, issuedDisplay: displayInstant(row.certificateIssuedAt), sha256: row.certificateSha256 }
          : null,
    },
  };
}

/** For tests and the demo seed: the absolute path of a stored case file. */
export function storedCaseFilePath(relative: string): string {
  return absolute(relative);
}
