/**
 * What has to happen when a customer's contract ends, generated from the customer's effective
 * terms: the contract's last day after a notice, the customer's choice (return, delete, or
 * return then delete) with the default without an answer, and the tasks with their due dates
 * and bases (from the clock engine in end-of-contract-clock.ts), their evidence requirement,
 * and which tasks apply for which choice. Pure: `today` and dates are passed in.
 *
 * Reading decisions (docs/decisions/005-end-of-contract.md):
 * - Art. 28(3)(g) GDPR requires deleting existing copies after a return unless the law requires
 *   storage; so every choice keeps the deletion tasks. With "return" alone, staff may mark the
 *   deletion tasks not applicable with a reason (a legal retention duty); with a deletion choice
 *   they may not.
 * - Without an answer the data is deleted: no seed vendor's terms make the processor keep it.
 * - Backups: the task is done by recording the rotation rule and the date the backups expire by
 *   (at most the terms' retention after the production deletion); the certificate states it.
 */
import { Temporal } from "temporal-polyfill";
import { effectiveEndAfterTermination, currentTermEnd, type ContractTerm } from "./contract-clock";
import { basisOfField, type DateDeadline, type DeadlineBasis } from "./deadline";
import {
  backupExpiryDeadline,
  customerChoiceDeadline,
  exitRequestDeadline,
  returnOrDeletionDeadline,
  subprocessorDeletionDeadline,
  type NotApplicable,
} from "./end-of-contract-clock";
import { explainDeadline } from "./explain-deadline";
import type { LocalizedText } from "./locale";
import { formatArticleRef, type EffectiveTerms } from "./terms";
import { formatAmount, formatDisplayDate, parsePlainDate } from "./time";

export type EocChoice = "return" | "delete" | "return_then_delete";
export type EocTaskKind = "customer_choice" | "return_export" | "production_deletion" | "subprocessor_deletion" | "backup_expiry" | "certificate";
export type TerminationKind = "termination" | "non_renewal" | "immediate_end";

export const EOC_CHOICES: readonly EocChoice[] = ["return", "delete", "return_then_delete"];

export const CHOICE_LABELS: Record<EocChoice, LocalizedText> = {
  return: { nl: "teruggeven", en: "return" },
  delete: { nl: "verwijderen", en: "delete" },
  return_then_delete: { nl: "teruggeven en daarna verwijderen", en: "return, then delete" },
};

export function choiceIncludesReturn(choice: EocChoice | null): boolean {
  return choice === "return" || choice === "return_then_delete";
}

// ---------------------------------------------------------------------------------------
// Texts

export const TASK_TITLES: Record<EocTaskKind, LocalizedText> = {
  customer_choice: { nl: "Keuze van de klant: teruggeven of verwijderen", en: "Customer's choice: return or delete" },
  return_export: { nl: "Gegevens teruggeven (export geleverd)", en: "Return the data (export delivered)" },
  production_deletion: { nl: "Verwijderen uit productiesystemen", en: "Delete from production systems" },
  subprocessor_deletion: { nl: "Verwijderopdracht aan subverwerker", en: "Deletion instruction to sub-processor" },
  backup_expiry: { nl: "Back-ups laten verlopen", en: "Backups expired" },
  certificate: { nl: "Verwijderingscertificaat uitgeven", en: "Issue the deletion certificate" },
};

export const TASK_INSTRUCTIONS: Record<EocTaskKind, LocalizedText> = {
  customer_choice: {
    nl: "De klant kiest in het portaal of per e-mail; zonder antwoord geldt de standaardkeuze.",
    en: "The customer chooses in the portal or by e-mail; without an answer the default applies.",
  },
  return_export: {
    nl: "Lever een export van alle gegevens van de klant en leg het bewijs van levering vast (bijv. ontvangstbevestiging, downloadlog).",
    en: "Deliver an export of all the customer's data and record the proof of delivery (e.g. receipt confirmation, download log).",
  },
  production_deletion: {
    nl: "Verwijder de gegevens uit alle productiesystemen; noteer welke systemen, wanneer en door wie, met bewijs (bijv. log, screenshot).",
    en: "Delete the data from all production systems; note which systems, when and by whom, with evidence (e.g. log, screenshot).",
  },
  subprocessor_deletion: {
    nl: "Geef de subverwerker de opdracht de gegevens te verwijderen en leg de bevestiging vast.",
    en: "Instruct the sub-processor to delete the data and record its confirmation.",
  },
  backup_expiry: {
    nl: "Leg het rotatieschema van de back-ups vast en de datum waarop back-ups met deze gegevens uiterlijk verlopen.",
    en: "Record the backup rotation rule and the date by which backups holding this data expire.",
  },
  certificate: {
    nl: "Wordt automatisch uitgegeven, ondertekend en naar de klant gestuurd zodra alle andere taken klaar zijn.",
    en: "Issued, signed and sent to the customer automatically once all other tasks are done.",
  },
};

function text(nl: string, en: string): LocalizedText {
  return { nl, en };
}

function displayDate(date: string): string {
  return formatDisplayDate(parsePlainDate(date, "date"));
}

export function explainBoth(deadline: DateDeadline): LocalizedText {
  return { nl: explainDeadline(deadline, "nl"), en: explainDeadline(deadline, "en") };
}

function articleOf(ref: string | undefined): LocalizedText | null {
  return ref ? { nl: formatArticleRef(ref, "nl"), en: formatArticleRef(ref, "en") } : null;
}

// ---------------------------------------------------------------------------------------
// The customer's choice

export type DefaultChoice = { choice: EocChoice; explanation: LocalizedText; article?: string };

/** What happens to the data when the customer does not answer, from the terms' end-of-contract rule. */
export function defaultChoiceFor(terms: EffectiveTerms): DefaultChoice {
  const field = terms.endOfContract.choice;
  const article = field.source.kind === "negotiated" ? field.source.clause : field.source.article;
  const ref = articleOf(article);
  const where = ref ? { nl: ` (${ref.nl})`, en: ` (${ref.en})` } : { nl: "", en: "" };
  const base = article ? { article } : {};
  switch (field.value) {
    case "customer_choice_return_or_delete":
      return {
        choice: "delete",
        ...base,
        explanation: text(
          `De klant kiest tussen teruggeven en verwijderen${where.nl}. Zonder antwoord binnen de keuzetermijn worden de gegevens verwijderd: de voorwaarden geven geen recht om ze te bewaren.`,
          `The customer chooses between return and deletion${where.en}. Without an answer within the choice period the data is deleted: the terms give no right to keep it.`,
        ),
      };
    case "delete_immediately_copy_on_request":
      return {
        choice: "delete",
        ...base,
        explanation: text(
          `De gegevens worden na het einde gewist${where.nl}; een kopie alleen als de klant daar vóór het einde om vraagt, op kosten van de klant.`,
          `The data is wiped after the end${where.en}; a copy only if the customer asks before the end, at the customer's cost.`,
        ),
      };
    case "return_or_delete_on_request":
      return {
        choice: "delete",
        ...base,
        explanation: text(
          `Op verzoek van de klant worden de gegevens teruggegeven of gewist${where.nl}. Zonder verzoek binnen de keuzetermijn worden ze gewist.`,
          `At the customer's request the data is returned or deleted${where.en}. Without a request within the choice period it is deleted.`,
        ),
      };
    case "not_longer_than_necessary":
      return {
        choice: "delete",
        ...base,
        explanation: text(
          `Gegevens worden niet langer bewaard dan nodig${where.nl}; zonder antwoord worden ze na het einde verwijderd.`,
          `Data is not kept longer than necessary${where.en}; without an answer it is deleted after the end.`,
        ),
      };
  }
}

export function hasChoiceStep(terms: EffectiveTerms): boolean {
  return terms.endOfContract.choiceDeadline.value !== null;
}

export type ChoiceRefusal = "copy_too_late";

/**
 * Whether the customer may still choose `choice` on `today`. Terms without a choice step that
 * require a copy to be requested before the end (KlantGenerator 14.7) refuse a return after the
 * contract's last day.
 */
export function checkChoice(input: { terms: EffectiveTerms; choice: EocChoice; contractEndDate: string; today: string }): ChoiceRefusal | null {
  if (!choiceIncludesReturn(input.choice)) return null;
  const terms = input.terms.endOfContract;
  if (terms.choiceDeadline.value === null && terms.exitRequestDeadline.value === "before_end") {
    const today = parsePlainDate(input.today, "today");
    if (Temporal.PlainDate.compare(today, parsePlainDate(input.contractEndDate, "contractEndDate")) > 0) return "copy_too_late";
  }
  return null;
}

/** The choices offered on `today`. */
export function allowedChoices(input: { terms: EffectiveTerms; contractEndDate: string; today: string }): EocChoice[] {
  return EOC_CHOICES.filter((choice) => checkChoice({ ...input, choice }) === null);
}

// ---------------------------------------------------------------------------------------
// The contract's last day after a notice

export type TerminationEnd = {
  endsOn: string;
  inTime: boolean;
  periodsAdded: number;
  noticeDeadline: DateDeadline | null;
  basis: DeadlineBasis;
  explanation: LocalizedText;
};

/**
 * The contract's last day for a termination or non-renewal received on `noticeReceivedOn`
 * (the end of the running term when the notice was in time, else of a later term), or, for an
 * immediate end, the day the notice was received.
 */
export function terminationEnd(input: {
  terms: EffectiveTerms;
  contractStart: string;
  contractTermMonths: number;
  kind: TerminationKind;
  noticeReceivedOn: string;
}): TerminationEnd {
  const received = displayDate(input.noticeReceivedOn);
  if (input.kind === "immediate_end") {
    return {
      endsOn: input.noticeReceivedOn,
      inTime: true,
      periodsAdded: 0,
      noticeDeadline: null,
      basis: { kind: "none", note: "immediate end: the contract ends on the day the notice was received" },
      explanation: text(
        `Direct einde: het contract eindigt op de dag van de opzegging, ${received}.`,
        `Immediate end: the contract ends on the day of the notice, ${received}.`,
      ),
    };
  }
  const outcome = effectiveEndAfterTermination({
    terms: input.terms,
    contractStart: input.contractStart,
    contractTermMonths: input.contractTermMonths,
    noticeReceivedOn: input.noticeReceivedOn,
  });
  const ends = displayDate(outcome.endsOn);
  if (outcome.noticeDeadline === null) {
    const field = input.terms.mainContract.tacitRenewal;
    return {
      ...outcome,
      basis: basisOfField(field, "no tacit renewal: the contract ends after its term"),
      explanation: text(
        `Geen stilzwijgende verlenging: het contract eindigt na de looptijd, op ${ends}.`,
        `No tacit renewal: the contract ends after its term, on ${ends}.`,
      ),
    };
  }
  const deadline = explainBoth(outcome.noticeDeadline);
  const explanation = outcome.inTime
    ? text(
        `Opzegging ontvangen op ${received}, op tijd (uiterste opzegdag: ${deadline.nl}); het contract eindigt aan het einde van de lopende termijn, op ${ends}.`,
        `Notice received on ${received}, in time (last notice day: ${deadline.en}); the contract ends at the end of the running term, on ${ends}.`,
      )
    : text(
        `Opzegging ontvangen op ${received}, na de uiterste opzegdag (${deadline.nl}); het contract is stilzwijgend verlengd en eindigt na ${outcome.periodsAdded} extra termijn(en), op ${ends}.`,
        `Notice received on ${received}, after the last notice day (${deadline.en}); the contract renewed tacitly and ends after ${outcome.periodsAdded} more term(s), on ${ends}.`,
      );
  return { ...outcome, basis: outcome.noticeDeadline.basis, explanation };
}

// ---------------------------------------------------------------------------------------
// Contract dates for the overview

export type ExplainedContractTerm = ContractTerm & {
  termEndBasis: DeadlineBasis;
  termEndExplanation: LocalizedText;
  renewalBasis: DeadlineBasis;
  renewalExplanation: LocalizedText;
  noticeExplanation: LocalizedText | null;
};

/** The running term with the basis and a sentence for its end, its renewal and its last notice day. */
export function explainedContractTerm(input: {
  terms: EffectiveTerms;
  contractStart: string;
  contractTermMonths: number;
  today: string;
}): { kind: "running"; term: ExplainedContractTerm } | { kind: "ended"; endedOn: string } {
  const status = currentTermEnd(input);
  if (status.kind === "ended") return status;
  const contract = input.terms.mainContract;
  const months = { nl: formatAmount(status.periodMonths, "months", "nl"), en: formatAmount(status.periodMonths, "months", "en") };
  const start = displayDate(status.termStart);
  const last = displayDate(status.termLastDay);
  const termBasis = basisOfField(contract.termMonths, "the term agreed in the customer's contract");
  const termArticle = articleOf(termBasis.kind === "contractual" ? termBasis.article : undefined);
  const termEndExplanation = text(
    `Laatste dag van termijn ${status.period} (${months.nl} vanaf ${start}${termArticle ? `; ${termArticle.nl}` : ""}): ${last}.`,
    `Last day of term ${status.period} (${months.en} from ${start}${termArticle ? `; ${termArticle.en}` : ""}): ${last}.`,
  );
  const renewalBasis = basisOfField(contract.tacitRenewal, "tacit renewal");
  const renewalArticle = articleOf(renewalBasis.kind === "contractual" ? renewalBasis.article : undefined);
  const renewalMonths = contract.renewalMonths.value ?? input.contractTermMonths;
  const renewalExplanation =
    status.renewsOn === null
      ? text(
          `Geen stilzwijgende verlenging${renewalArticle ? ` (${renewalArticle.nl})` : ""}: het contract eindigt op ${last}.`,
          `No tacit renewal${renewalArticle ? ` (${renewalArticle.en})` : ""}: the contract ends on ${last}.`,
        )
      : text(
          `Stilzwijgend verlengd met ${formatAmount(renewalMonths, "months", "nl")} op ${displayDate(status.renewsOn)}${renewalArticle ? ` (${renewalArticle.nl})` : ""}, tenzij tijdig opgezegd.`,
          `Renews tacitly by ${formatAmount(renewalMonths, "months", "en")} on ${displayDate(status.renewsOn)}${renewalArticle ? ` (${renewalArticle.en})` : ""} unless notice is given in time.`,
        );
  return {
    kind: "running",
    term: {
      ...status,
      termEndBasis: termBasis,
      termEndExplanation,
      renewalBasis,
      renewalExplanation,
      noticeExplanation: status.lastNoticeDay ? explainBoth(status.lastNoticeDay) : null,
    },
  };
}

// ---------------------------------------------------------------------------------------
// Tasks

/** What a task's `basis` column holds (JSON). */
export type TaskBasis =
  | { kind: "deadline"; deadline: DateDeadline; explanation: LocalizedText; backupExpiry?: BackupRule }
  | { kind: "not_applicable"; reason: LocalizedText; article?: string }
  | { kind: "automatic"; explanation: LocalizedText };

/** The backup rule shown with the backup task and on the certificate. */
export type BackupRule =
  | { kind: "retention"; deadline: DateDeadline; explanation: LocalizedText }
  | { kind: "no_retention"; explanation: LocalizedText; article?: string };

export type GeneratedTask = {
  kind: EocTaskKind;
  subprocessorId: string | null;
  subprocessorName: string | null;
  position: number;
  dueDate: string | null;
  basis: TaskBasis;
  evidenceRequired: boolean;
  status: "open" | "not_applicable";
};

export type TaskSubprocessor = { id: string; name: string };

type TaskInput = {
  terms: EffectiveTerms;
  /** the contract's last day */
  contractEndDate: string;
  internalDeletionTargetDays: number;
};

function deadlineBasis(deadline: DateDeadline, backupExpiry?: BackupRule): TaskBasis {
  return { kind: "deadline", deadline, explanation: explainBoth(deadline), ...(backupExpiry ? { backupExpiry } : {}) };
}

/** The backup rule from the terms, counted from the deletion (done or due). */
export function backupRule(input: { terms: EffectiveTerms; deletedOn?: string; deletionDue: string }): BackupRule {
  const expiry = backupExpiryDeadline(input);
  if (expiry.kind !== "not_applicable") return { kind: "retention", deadline: expiry, explanation: explainBoth(expiry) };
  const field = input.terms.endOfContract.backupRetention;
  const ref = articleOf(field.source.kind === "profile" ? field.source.article : field.source.clause);
  const due = displayDate(input.deletionDue);
  const where = ref ? { nl: ` (${ref.nl})`, en: ` (${ref.en})` } : { nl: "", en: "" };
  const explanation = text(
    `De voorwaarden noemen geen bewaartermijn voor back-ups${where.nl}${field.note ? `: ${field.note}` : ""}. Back-ups met deze gegevens horen uiterlijk op de verwijderdatum ${due} weg te zijn of te verlopen.`,
    `The terms set no backup retention${where.en}. Backups holding this data should be gone or expire by the deletion deadline ${due}.`,
  );
  return { kind: "no_retention", explanation, ...(ref && field.source.kind === "profile" && field.source.article ? { article: field.source.article } : {}) };
}

/** The return task, added when the customer's choice includes a return. */
export function returnExportTask(input: TaskInput & { position: number }): GeneratedTask {
  const deadline = returnOrDeletionDeadline({ ...input, internalTargetDays: input.internalDeletionTargetDays });
  return {
    kind: "return_export",
    subprocessorId: null,
    subprocessorName: null,
    position: input.position,
    dueDate: deadline.due,
    basis: deadlineBasis(deadline),
    evidenceRequired: true,
    status: "open",
  };
}

/** Positions: choice 0, return 1, production 2, sub-processors 10+, backups 80, certificate 90. */
const POSITION = { customer_choice: 0, return_export: 1, production_deletion: 2, subprocessor_deletion: 10, backup_expiry: 80, certificate: 90 } as const;

/**
 * The tasks of a case whose contract's last day is `contractEndDate`: the customer's choice (or
 * not applicable when the terms have no choice step), the return when the choice includes it,
 * deletion in production, one deletion instruction per sub-processor used for the customer,
 * backups, and the certificate (issued automatically when the others are done).
 */
export function generateEndOfContractTasks(input: TaskInput & { subprocessors: readonly TaskSubprocessor[]; choice: EocChoice | null }): GeneratedTask[] {
  const tasks: GeneratedTask[] = [];
  const choiceDeadline = customerChoiceDeadline(input);
  tasks.push(
    choiceDeadline.kind === "not_applicable"
      ? {
          kind: "customer_choice",
          subprocessorId: null,
          subprocessorName: null,
          position: POSITION.customer_choice,
          dueDate: null,
          basis: notApplicableBasis(choiceDeadline),
          evidenceRequired: false,
          status: "not_applicable",
        }
      : {
          kind: "customer_choice",
          subprocessorId: null,
          subprocessorName: null,
          position: POSITION.customer_choice,
          dueDate: choiceDeadline.due,
          basis: deadlineBasis(choiceDeadline),
          evidenceRequired: false,
          status: "open",
        },
  );
  if (choiceIncludesReturn(input.choice)) tasks.push(returnExportTask({ ...input, position: POSITION.return_export }));
  const deletion = returnOrDeletionDeadline({ ...input, internalTargetDays: input.internalDeletionTargetDays });
  tasks.push({
    kind: "production_deletion",
    subprocessorId: null,
    subprocessorName: null,
    position: POSITION.production_deletion,
    dueDate: deletion.due,
    basis: deadlineBasis(deletion),
    evidenceRequired: true,
    status: "open",
  });
  const subDeadline = subprocessorDeletionDeadline({ ...input, internalTargetDays: input.internalDeletionTargetDays });
  input.subprocessors.forEach((sub, index) => {
    tasks.push({
      kind: "subprocessor_deletion",
      subprocessorId: sub.id,
      subprocessorName: sub.name,
      position: POSITION.subprocessor_deletion + index,
      dueDate: subDeadline.due,
      basis: deadlineBasis(subDeadline),
      evidenceRequired: true,
      status: "open",
    });
  });
  tasks.push({
    kind: "backup_expiry",
    subprocessorId: null,
    subprocessorName: null,
    position: POSITION.backup_expiry,
    dueDate: deletion.due,
    basis: deadlineBasis(deletion, backupRule({ terms: input.terms, deletionDue: deletion.due })),
    evidenceRequired: true,
    status: "open",
  });
  tasks.push({
    kind: "certificate",
    subprocessorId: null,
    subprocessorName: null,
    position: POSITION.certificate,
    dueDate: deletion.due,
    basis: {
      kind: "automatic",
      explanation: text(
        `Wordt uitgegeven zodra alle andere taken klaar zijn; bewijst de verwijdering binnen de termijn (${explainDeadline(deletion, "nl")}).`,
        `Issued as soon as all other tasks are done; proves the deletion within the deadline (${explainDeadline(deletion, "en")}).`,
      ),
    },
    evidenceRequired: false,
    status: "open",
  });
  return tasks;
}

function notApplicableBasis(value: NotApplicable): TaskBasis {
  return { kind: "not_applicable", reason: value.reason, ...(value.article ? { article: value.article } : {}) };
}

/** The exit-request deadline (a copy or exit support must be asked by the last day), or null. */
export function exitRequest(input: { terms: EffectiveTerms; contractEndDate: string }): DateDeadline | null {
  const value = exitRequestDeadline(input);
  return value.kind === "not_applicable" ? null : value;
}

/** The customer's choice deadline, or null when the terms have no choice step. */
export function choiceDeadline(input: { terms: EffectiveTerms; contractEndDate: string }): DateDeadline | null {
  const value = customerChoiceDeadline(input);
  return value.kind === "not_applicable" ? null : value;
}

/** Whether staff may mark a task not applicable (with a reason) under the customer's choice. */
export function mayMarkNotApplicable(kind: EocTaskKind, choice: EocChoice | null): boolean {
  if (kind === "subprocessor_deletion") return true;
  if (kind === "production_deletion" || kind === "backup_expiry") return choice === "return";
  return false;
}

export type BackupDateRefusal = "backup_date_exceeds_terms" | "backup_date_before_deletion";

/**
 * Checks the date backups expire by against the deletion in production and the terms' retention
 * counted from it. Without a retention in the terms, any date on or after the deletion is accepted
 * (the certificate states it).
 */
export function checkBackupExpiry(input: { terms: EffectiveTerms; deletedOn: string; backupsExpireOn: string }): BackupDateRefusal | null {
  const deleted = parsePlainDate(input.deletedOn, "deletedOn");
  const expires = parsePlainDate(input.backupsExpireOn, "backupsExpireOn");
  if (Temporal.PlainDate.compare(expires, deleted) < 0) return "backup_date_before_deletion";
  const limit = backupExpiryDeadline({ terms: input.terms, deletedOn: input.deletedOn, deletionDue: input.deletedOn });
  if (limit.kind === "not_applicable") return null;
  return Temporal.PlainDate.compare(expires, parsePlainDate(limit.due, "due")) > 0 ? "backup_date_exceeds_terms" : null;
}

/** Whether the terms set a backup retention (then the backup task needs the expiry date). */
export function hasBackupRetention(terms: EffectiveTerms): boolean {
  return terms.endOfContract.backupRetention.value !== null;
}

/** Whether a case whose contract's last day is `endDate` has ended on `today` (opens the day after). */
export function contractHasEnded(input: { endDate: string; today: string; kind: TerminationKind }): boolean {
  const comparison = Temporal.PlainDate.compare(parsePlainDate(input.today, "today"), parsePlainDate(input.endDate, "endDate"));
  return input.kind === "immediate_end" ? comparison >= 0 : comparison > 0;
}
