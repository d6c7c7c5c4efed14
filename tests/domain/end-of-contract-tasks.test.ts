import { describe, expect, it } from "vitest";
import { DEFAULT_INTERNAL_DELETION_TARGET_DAYS } from "~/domain/end-of-contract-clock";
import {
  allowedChoices,
  backupRule,
  checkBackupExpiry,
  checkChoice,
  contractHasEnded,
  defaultChoiceFor,
  explainedContractTerm,
  generateEndOfContractTasks,
  mayMarkNotApplicable,
  terminationEnd,
  type EocChoice,
  type GeneratedTask,
} from "~/domain/end-of-contract-tasks";
import { effectiveTerms } from "~/domain/terms";
import { seedTermsProfiles, type SeedWorkspaceSlug } from "../../db/seed/terms-profiles";

const termsOf = (slug: SeedWorkspaceSlug) => effectiveTerms(seedTermsProfiles[slug], 1);
const SUBS = [
  { id: "sp-1", name: "Hostingbedrijf" },
  { id: "sp-2", name: "Mailverzender" },
];

function generate(slug: SeedWorkspaceSlug, contractEndDate: string, choice: EocChoice | null = null, subprocessors = SUBS): GeneratedTask[] {
  return generateEndOfContractTasks({ terms: termsOf(slug), contractEndDate, internalDeletionTargetDays: DEFAULT_INTERNAL_DELETION_TARGET_DAYS, subprocessors, choice });
}

/** "kind[:sub] due status basis" per task, in order. */
function summary(tasks: GeneratedTask[]): string[] {
  return tasks.map((t) => {
    const basis = t.basis.kind === "deadline" ? t.basis.deadline.basis.kind : t.basis.kind;
    return `${t.kind}${t.subprocessorId ? `:${t.subprocessorId}` : ""} ${t.dueDate ?? "-"} ${t.status} ${basis}`;
  });
}

describe("task generation per vendor", () => {
  it("Leadcube: choice (product default 14 days), deletion and sub-processors within 28 days (VO 2.5), backups follow the deletion deadline", () => {
    const tasks = generate("leadcube", "2026-12-31");
    expect(summary(tasks)).toEqual([
      "customer_choice 2027-01-14 open internal",
      "production_deletion 2027-01-28 open contractual",
      "subprocessor_deletion:sp-1 2027-01-28 open contractual",
      "subprocessor_deletion:sp-2 2027-01-28 open contractual",
      "backup_expiry 2027-01-28 open contractual",
      "certificate 2027-01-28 open automatic",
    ]);
    const deletion = tasks.find((t) => t.kind === "production_deletion")!;
    expect(deletion.basis.kind === "deadline" && deletion.basis.deadline.basis).toMatchObject({ kind: "contractual", article: "VO 2.5" });
    expect(deletion.evidenceRequired).toBe(true);
    const backup = tasks.find((t) => t.kind === "backup_expiry")!;
    expect(backup.basis.kind === "deadline" && backup.basis.backupExpiry?.kind).toBe("no_retention");
    expect(tasks.find((t) => t.kind === "customer_choice")!.evidenceRequired).toBe(false);
    expect(tasks.find((t) => t.kind === "certificate")!.evidenceRequired).toBe(false);
  });

  it("Leadcube at a month end: 28 days from 28-02-2027", () => {
    expect(summary(generate("leadcube", "2027-02-28", "delete", []))).toEqual([
      "customer_choice 2027-03-14 open internal",
      "production_deletion 2027-03-28 open contractual",
      "backup_expiry 2027-03-28 open contractual",
      "certificate 2027-03-28 open automatic",
    ]);
  });

  it("KlantGenerator: no choice step (14.7), deletion on the internal target", () => {
    const tasks = generate("klantgenerator", "2026-06-30", null, SUBS.slice(0, 1));
    expect(summary(tasks)).toEqual([
      "customer_choice - not_applicable not_applicable",
      "production_deletion 2026-07-30 open internal",
      "subprocessor_deletion:sp-1 2026-07-30 open internal",
      "backup_expiry 2026-07-30 open internal",
      "certificate 2026-07-30 open automatic",
    ]);
  });

  it("Lai Media: return then delete adds the return export; backups 'may be destroyed any time' (19.3) is shown as the rule", () => {
    const tasks = generate("lai-media", "2026-12-31", "return_then_delete", []);
    expect(summary(tasks)).toEqual([
      "customer_choice 2027-01-14 open internal",
      "return_export 2027-01-30 open internal",
      "production_deletion 2027-01-30 open internal",
      "backup_expiry 2027-01-30 open internal",
      "certificate 2027-01-30 open automatic",
    ]);
    const backup = tasks.find((t) => t.kind === "backup_expiry")!;
    const rule = backup.basis.kind === "deadline" ? backup.basis.backupExpiry : undefined;
    expect(rule).toMatchObject({ kind: "no_retention", article: "AV 19.3" });
    expect(rule?.explanation.nl).toContain("vernietigen mag op elk moment");
  });

  it("Elementon: backups kept up to 6 months after deletion (30.12.5), month end clamped", () => {
    const tasks = generate("elementon", "2026-08-31", "delete", []);
    expect(summary(tasks)).toEqual([
      "customer_choice 2026-09-14 open internal",
      "production_deletion 2026-09-30 open internal",
      "backup_expiry 2026-09-30 open internal",
      "certificate 2026-09-30 open automatic",
    ]);
    const backup = tasks.find((t) => t.kind === "backup_expiry")!;
    const rule = backup.basis.kind === "deadline" ? backup.basis.backupExpiry : undefined;
    expect(rule?.kind).toBe("retention");
    if (rule?.kind === "retention") {
      expect(rule.deadline).toMatchObject({ due: "2027-03-30", amount: 6, unit: "months" });
      expect(rule.deadline.basis).toMatchObject({ kind: "contractual", article: "AV 30.12.5" });
    }
    // counted from the actual deletion once it is done
    const after = backupRule({ terms: termsOf("elementon"), deletedOn: "2026-08-31", deletionDue: "2026-09-30" });
    expect(after.kind === "retention" && after.deadline.due).toBe("2027-02-28");
  });

  it("PureDigital: 'not longer than necessary' (6.7): internal deletion target; return only when chosen", () => {
    expect(summary(generate("puredigital", "2026-12-31", "return", [])).slice(0, 3)).toEqual([
      "customer_choice 2027-01-14 open internal",
      "return_export 2027-01-30 open internal",
      "production_deletion 2027-01-30 open internal",
    ]);
    expect(generate("puredigital", "2026-12-31", "delete", []).some((t) => t.kind === "return_export")).toBe(false);
  });

  it("a negotiated deletion deadline replaces the profile's and says so", () => {
    const terms = effectiveTerms(seedTermsProfiles.elementon, 1, [
      { field: "endOfContract.deletionDeadline", value: { amount: 10, unit: "days" }, reason: "Gemeente eist snelle verwijdering", clause: "Aanvulling art. 9" },
    ]);
    const tasks = generateEndOfContractTasks({ terms, contractEndDate: "2026-12-31", internalDeletionTargetDays: 30, subprocessors: [], choice: "delete" });
    const deletion = tasks.find((t) => t.kind === "production_deletion")!;
    expect(deletion.dueDate).toBe("2027-01-10");
    expect(deletion.basis.kind === "deadline" && deletion.basis.deadline.basis).toMatchObject({ kind: "contractual", source: "negotiated", clause: "Aanvulling art. 9" });
  });
});

describe("the customer's choice", () => {
  it.each([
    ["leadcube", "VO 2.5"],
    ["klantgenerator", "AV 14.7"],
    ["lai-media", "B1 10.1"],
    ["elementon", "AV 30.12.3"],
    ["puredigital", "AV 6.7"],
  ] as const)("%s: without an answer the data is deleted, with the terms' article (%s)", (slug, article) => {
    const fallback = defaultChoiceFor(termsOf(slug));
    expect(fallback.choice).toBe("delete");
    expect(fallback.article).toBe(article);
    expect(fallback.explanation.nl.length).toBeGreaterThan(20);
    expect(fallback.explanation.en.length).toBeGreaterThan(20);
  });

  it("KlantGenerator: a copy (return) only when asked by the last day; deletion always", () => {
    const terms = termsOf("klantgenerator");
    expect(checkChoice({ terms, choice: "return", contractEndDate: "2026-06-30", today: "2026-06-30" })).toBeNull();
    expect(checkChoice({ terms, choice: "return_then_delete", contractEndDate: "2026-06-30", today: "2026-07-01" })).toBe("copy_too_late");
    expect(checkChoice({ terms, choice: "delete", contractEndDate: "2026-06-30", today: "2026-08-01" })).toBeNull();
    expect(allowedChoices({ terms, contractEndDate: "2026-06-30", today: "2026-07-01" })).toEqual(["delete"]);
  });

  it("Leadcube: every choice stays open after the end", () => {
    expect(allowedChoices({ terms: termsOf("leadcube"), contractEndDate: "2026-06-30", today: "2026-07-10" })).toEqual(["return", "delete", "return_then_delete"]);
  });

  it("deletion tasks may be marked not applicable only when the customer chose return alone; sub-processors always", () => {
    expect(mayMarkNotApplicable("production_deletion", "delete")).toBe(false);
    expect(mayMarkNotApplicable("production_deletion", "return_then_delete")).toBe(false);
    expect(mayMarkNotApplicable("production_deletion", "return")).toBe(true);
    expect(mayMarkNotApplicable("backup_expiry", "return")).toBe(true);
    expect(mayMarkNotApplicable("subprocessor_deletion", "delete")).toBe(true);
    expect(mayMarkNotApplicable("return_export", "return")).toBe(false);
    expect(mayMarkNotApplicable("certificate", "delete")).toBe(false);
    expect(mayMarkNotApplicable("customer_choice", null)).toBe(false);
  });
});

describe("backup expiry date", () => {
  it("Elementon: at most 6 months after the deletion; not before it", () => {
    const terms = termsOf("elementon");
    expect(checkBackupExpiry({ terms, deletedOn: "2026-08-31", backupsExpireOn: "2027-02-28" })).toBeNull();
    expect(checkBackupExpiry({ terms, deletedOn: "2026-08-31", backupsExpireOn: "2027-03-01" })).toBe("backup_date_exceeds_terms");
    expect(checkBackupExpiry({ terms, deletedOn: "2026-08-31", backupsExpireOn: "2026-08-30" })).toBe("backup_date_before_deletion");
  });

  it("without a retention in the terms, any date from the deletion on is accepted", () => {
    expect(checkBackupExpiry({ terms: termsOf("leadcube"), deletedOn: "2026-08-31", backupsExpireOn: "2027-08-31" })).toBeNull();
  });
});

describe("the contract's end after a notice", () => {
  it("Leadcube monthly licence from 31-01: notice on 15-03 is late for the term ending 30-03 and ends the contract on 29-04", () => {
    const end = terminationEnd({ terms: termsOf("leadcube"), contractStart: "2026-01-31", contractTermMonths: 1, kind: "termination", noticeReceivedOn: "2026-03-15" });
    expect([end.endsOn, end.inTime, end.periodsAdded]).toEqual(["2026-04-29", false, 1]);
    expect(end.basis).toMatchObject({ kind: "contractual", article: "AV 5.3.4" });
    expect(end.explanation.en).toContain("after the last notice day");
  });

  it("PureDigital non-renewal in time ends at the term's last day", () => {
    const end = terminationEnd({ terms: termsOf("puredigital"), contractStart: "2026-01-01", contractTermMonths: 12, kind: "non_renewal", noticeReceivedOn: "2026-10-31" });
    expect([end.endsOn, end.inTime]).toEqual(["2026-12-31", true]);
    expect(end.explanation.nl).toContain("op tijd");
  });

  it("an immediate end ends on the day of the notice and opens that same day", () => {
    const end = terminationEnd({ terms: termsOf("lai-media"), contractStart: "2026-01-15", contractTermMonths: 12, kind: "immediate_end", noticeReceivedOn: "2026-05-04" });
    expect(end.endsOn).toBe("2026-05-04");
    expect(end.basis.kind).toBe("none");
    expect(contractHasEnded({ endDate: "2026-05-04", today: "2026-05-04", kind: "immediate_end" })).toBe(true);
    expect(contractHasEnded({ endDate: "2026-05-04", today: "2026-05-04", kind: "termination" })).toBe(false);
    expect(contractHasEnded({ endDate: "2026-05-04", today: "2026-05-05", kind: "termination" })).toBe(true);
  });

  it("explains the running term, its renewal and the last notice day (KlantGenerator 12 months: 2 months' notice)", () => {
    const status = explainedContractTerm({ terms: termsOf("klantgenerator"), contractStart: "2026-01-01", contractTermMonths: 12, today: "2026-03-01" });
    expect(status.kind).toBe("running");
    if (status.kind === "running") {
      expect([status.term.termLastDay, status.term.renewsOn, status.term.lastNoticeDay?.due]).toEqual(["2026-12-31", "2027-01-01", "2026-10-31"]);
      expect(status.term.renewalBasis).toMatchObject({ kind: "contractual", article: "AV 14.1" });
      expect(status.term.renewalExplanation.nl).toContain("Stilzwijgend verlengd met 12 maanden op 01-01-2027");
      expect(status.term.noticeExplanation?.en).toContain("31-10-2026");
    }
  });
});
