import { describe, expect, it } from "vitest";
import type { DateDeadline } from "~/domain/deadline";
import {
  backupExpiryDeadline,
  DEFAULT_INTERNAL_DELETION_TARGET_DAYS,
  endOfContractPlan,
  returnOrDeletionDeadline,
  type NotApplicable,
} from "~/domain/end-of-contract-clock";
import { DomainError } from "~/domain/errors";
import { effectiveTerms } from "~/domain/terms";
import { seedTermsProfiles, type SeedWorkspaceSlug } from "../../db/seed/terms-profiles";

const termsOf = (slug: SeedWorkspaceSlug) => effectiveTerms(seedTermsProfiles[slug], 1);

function dated(value: DateDeadline | NotApplicable): DateDeadline {
  if (value.kind === "not_applicable") throw new Error("expected a deadline");
  return value;
}

/** Compact view of a plan: due date and basis kind per task, or "n/a". */
function summary(slug: SeedWorkspaceSlug, contractEndDate: string, deletedOn?: string) {
  const plan = endOfContractPlan({
    terms: termsOf(slug),
    contractEndDate,
    internalDeletionTargetDays: DEFAULT_INTERNAL_DELETION_TARGET_DAYS,
    deletedOn,
  });
  return Object.fromEntries(
    Object.entries(plan).map(([task, value]) => [task, value.kind === "not_applicable" ? "n/a" : `${value.due} ${value.basis.kind}`]),
  );
}

describe("endOfContractPlan per vendor", () => {
  it("Leadcube: return or delete within 28 days (VO 2.5), sub-processors too; choice is a product default", () => {
    expect(summary("leadcube", "2026-12-31")).toEqual({
      exit_request: "n/a",
      customer_choice: "2027-01-14 internal",
      return_or_deletion: "2027-01-28 contractual",
      subprocessor_deletion: "2027-01-28 contractual",
      backup_expiry: "n/a",
    });
  });

  it("KlantGenerator: copy must be requested by the last day (14.7); no choice step; deletion on the internal target", () => {
    expect(summary("klantgenerator", "2026-06-30")).toEqual({
      exit_request: "2026-06-30 contractual",
      customer_choice: "n/a",
      return_or_deletion: "2026-07-30 internal",
      subprocessor_deletion: "2026-07-30 internal",
      backup_expiry: "n/a",
    });
  });

  it("Lai Media: exit support requested by the end date (28.3); deletion 'as soon as possible' → internal; backups may go any time", () => {
    expect(summary("lai-media", "2026-12-31")).toEqual({
      exit_request: "2026-12-31 contractual",
      customer_choice: "2027-01-14 internal",
      return_or_deletion: "2027-01-30 internal",
      subprocessor_deletion: "2027-01-30 internal",
      backup_expiry: "n/a",
    });
  });

  it("Elementon: backups expire 6 months after the deletion (30.12.5), projected from the deletion deadline until deleted", () => {
    expect(summary("elementon", "2026-08-31")).toEqual({
      exit_request: "n/a",
      customer_choice: "2026-09-14 internal",
      return_or_deletion: "2026-09-30 internal",
      subprocessor_deletion: "2026-09-30 internal",
      backup_expiry: "2027-03-30 contractual",
    });
    expect(summary("elementon", "2026-08-31", "2026-08-31").backup_expiry).toBe("2027-02-28 contractual");
  });

  it("PureDigital: not longer than necessary (6.7) → internal target", () => {
    expect(summary("puredigital", "2027-02-28")).toEqual({
      exit_request: "n/a",
      customer_choice: "2027-03-14 internal",
      return_or_deletion: "2027-03-30 internal",
      subprocessor_deletion: "2027-03-30 internal",
      backup_expiry: "n/a",
    });
  });
});

describe("return or deletion", () => {
  it.each([
    ["2026-12-31", "2027-01-28"],
    ["2028-02-10", "2028-03-09"], // leap year
    ["2027-02-10", "2027-03-10"],
    ["2026-12-04", "2027-01-01"], // ends on New Year's Day: contractual, so no Termijnenwet
  ])("Leadcube contract ending %s: 28 days → %s", (contractEndDate, due) => {
    const deadline = returnOrDeletionDeadline({ terms: termsOf("leadcube"), contractEndDate, internalTargetDays: 30 });
    expect(deadline).toMatchObject({
      due,
      amount: 28,
      unit: "days",
      direction: "after",
      adjustments: [],
      start: { event: "contract_end", at: contractEndDate },
      basis: { kind: "contractual", article: "VO 2.5", source: "profile", version: 1 },
    });
  });

  it("uses a negotiated deletion deadline over the internal target", () => {
    const terms = effectiveTerms(seedTermsProfiles["lai-media"], 1, [
      { field: "endOfContract.deletionDeadline", value: { amount: 10, unit: "days" }, reason: "Klant eist snelle verwijdering", clause: "DPA klant art. 11" },
    ]);
    const deadline = returnOrDeletionDeadline({ terms, contractEndDate: "2026-12-31", internalTargetDays: 30 });
    expect(deadline.due).toBe("2027-01-10");
    expect(deadline.basis).toMatchObject({ kind: "contractual", source: "negotiated", clause: "DPA klant art. 11" });
  });

  it.each([0, -3, 2.5])("rejects an internal target of %d days", (days) => {
    try {
      returnOrDeletionDeadline({ terms: termsOf("elementon"), contractEndDate: "2026-12-31", internalTargetDays: days });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe("invalid_period");
      expect((error as DomainError).field).toBe("internalTargetDays");
    }
  });
});

describe("backupExpiryDeadline", () => {
  it("counts from the actual deletion, clamping at month ends", () => {
    const deadline = dated(backupExpiryDeadline({ terms: termsOf("elementon"), deletedOn: "2026-08-31", deletionDue: "2026-09-30" }));
    expect(deadline).toMatchObject({
      due: "2027-02-28",
      amount: 6,
      unit: "months",
      start: { event: "data_deleted", at: "2026-08-31" },
      basis: { kind: "contractual", article: "AV 30.12.5" },
      adjustments: [{ kind: "month_end_clamped", requestedDay: 31, to: "2027-02-28" }],
    });
  });

  it("without a deletion yet, projects from the deletion deadline", () => {
    const deadline = dated(backupExpiryDeadline({ terms: termsOf("elementon"), deletionDue: "2027-08-31" }));
    expect(deadline.start).toEqual({ event: "deletion_due", at: "2027-08-31" });
    expect(deadline.due).toBe("2028-02-29");
  });

  it("explains why there is none for Lai Media", () => {
    const result = backupExpiryDeadline({ terms: termsOf("lai-media"), deletionDue: "2027-01-30" });
    expect(result).toMatchObject({ kind: "not_applicable", article: "AV 19.3" });
  });
});
