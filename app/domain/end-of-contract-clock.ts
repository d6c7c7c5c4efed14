/**
 * End-of-contract deadlines, counted in calendar days/weeks/months (Europe/Amsterdam) from
 * the contract's last day:
 * - exit request: the customer must ask for a copy / exit support by the last day
 *   (KlantGenerator 14.7, Lai Media 28.3);
 * - customer's choice between return and deletion (GDPR art. 28(3)(g));
 * - return or deletion in production (Leadcube VO 2.5: at most 28 days), or the workspace's
 *   internal target where the terms only say "without undue delay";
 * - deletion instructions to sub-processors: the same limit, since the processor answers for
 *   its sub-processors;
 * - backup expiry, counted from the deletion (Elementon 30.12.5: at most 6 months).
 * Contractual terms are never moved by the Algemene termijnenwet.
 */
import { assertValidPeriod, basisOfField, calendarDeadlineAfter, onDateDeadline, type DateDeadline } from "./deadline";
import type { LocalizedText } from "./locale";
import type { EffectiveTerms } from "./terms";
import { parsePlainDate } from "./time";

/** A sensible default for the workspace's internal deletion target when the terms set none. */
export const DEFAULT_INTERNAL_DELETION_TARGET_DAYS = 30;

export type NotApplicable = { kind: "not_applicable"; reason: LocalizedText; article?: string };

export type EndOfContractTask =
  | "exit_request"
  | "customer_choice"
  | "return_or_deletion"
  | "subprocessor_deletion"
  | "backup_expiry";

export type EndOfContractPlan = Record<EndOfContractTask, DateDeadline | NotApplicable>;

type EndInput = { terms: EffectiveTerms; contractEndDate: string };

export function exitRequestDeadline(input: EndInput): DateDeadline | NotApplicable {
  const field = input.terms.endOfContract.exitRequestDeadline;
  if (field.value === null) {
    return {
      kind: "not_applicable",
      reason: { nl: "De voorwaarden stellen geen termijn voor een exitverzoek.", en: "The terms set no deadline for an exit request." },
    };
  }
  return onDateDeadline({
    event: "contract_end",
    date: parsePlainDate(input.contractEndDate, "contractEndDate"),
    basis: basisOfField(field, "copy or exit support must be requested by the end of the contract"),
  });
}

export function customerChoiceDeadline(input: EndInput): DateDeadline | NotApplicable {
  const field = input.terms.endOfContract.choiceDeadline;
  if (field.value === null) {
    return {
      kind: "not_applicable",
      reason: {
        nl: "Geen keuzemoment: de voorwaarden regelen wat er met de gegevens gebeurt.",
        en: "No choice step: the terms settle what happens to the data.",
      },
      article: input.terms.endOfContract.choice.article,
    };
  }
  return calendarDeadlineAfter({
    event: "contract_end",
    startAt: input.contractEndDate,
    from: parsePlainDate(input.contractEndDate, "contractEndDate"),
    period: field.value,
    basis: basisOfField(field, "time for the customer's choice; a product default, not a contract term"),
    termijnenwet: false,
  });
}

/** Return or deletion in production: the contractual limit, else the internal target in days. */
export function returnOrDeletionDeadline(input: EndInput & { internalTargetDays: number }): DateDeadline {
  const field = input.terms.endOfContract.deletionDeadline;
  const from = parsePlainDate(input.contractEndDate, "contractEndDate");
  if (field.value !== null) {
    return calendarDeadlineAfter({
      event: "contract_end",
      startAt: input.contractEndDate,
      from,
      period: field.value,
      basis: basisOfField(field, "return or deletion deadline"),
      termijnenwet: false,
    });
  }
  const internalTarget = { amount: input.internalTargetDays, unit: "days" } as const;
  assertValidPeriod(internalTarget, "internalTargetDays");
  return calendarDeadlineAfter({
    event: "contract_end",
    startAt: input.contractEndDate,
    from,
    period: internalTarget,
    basis: { kind: "internal", note: "workspace internal deletion target; the terms set no deadline" },
    termijnenwet: false,
  });
}

/** Deletion at the sub-processors: bound by the same limit as the processor's own deletion. */
export function subprocessorDeletionDeadline(input: EndInput & { internalTargetDays: number }): DateDeadline {
  return returnOrDeletionDeadline(input);
}

/**
 * When backups holding the deleted data must be gone: the retention counted from the actual
 * deletion, or (while deletion is still open) from the deletion deadline.
 */
export function backupExpiryDeadline(input: {
  terms: EffectiveTerms;
  deletedOn?: string;
  deletionDue: string;
}): DateDeadline | NotApplicable {
  const field = input.terms.endOfContract.backupRetention;
  if (field.value === null) {
    return {
      kind: "not_applicable",
      reason: {
        nl: "De voorwaarden noemen geen bewaartermijn voor back-ups na verwijdering.",
        en: "The terms set no backup retention after deletion.",
      },
      article: field.article,
    };
  }
  const deleted = input.deletedOn !== undefined;
  const startAt = deleted ? input.deletedOn! : input.deletionDue;
  return calendarDeadlineAfter({
    event: deleted ? "data_deleted" : "deletion_due",
    startAt,
    from: parsePlainDate(startAt, deleted ? "deletedOn" : "deletionDue"),
    period: field.value,
    basis: basisOfField(field, "backup retention"),
    termijnenwet: false,
  });
}

/** Every end-of-contract deadline for one customer whose contract's last day is `contractEndDate`. */
export function endOfContractPlan(
  input: EndInput & { internalDeletionTargetDays: number; deletedOn?: string },
): EndOfContractPlan {
  const deletionInput = { ...input, internalTargetDays: input.internalDeletionTargetDays };
  const deletion = returnOrDeletionDeadline(deletionInput);
  return {
    exit_request: exitRequestDeadline(input),
    customer_choice: customerChoiceDeadline(input),
    return_or_deletion: deletion,
    subprocessor_deletion: subprocessorDeletionDeadline(deletionInput),
    backup_expiry: backupExpiryDeadline({ terms: input.terms, deletedOn: input.deletedOn, deletionDue: deletion.due }),
  };
}
