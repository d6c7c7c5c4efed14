import { describe, expect, it } from "vitest";
import { currentTermEnd, effectiveEndAfterTermination, type ContractTermStatus } from "~/domain/contract-clock";
import { DomainError } from "~/domain/errors";
import { effectiveTerms, type TermsProfile } from "~/domain/terms";
import { seedTermsProfiles, type SeedWorkspaceSlug } from "../../db/seed/terms-profiles";

const termsOf = (slug: SeedWorkspaceSlug) => effectiveTerms(seedTermsProfiles[slug], 1);

function running(status: ContractTermStatus) {
  if (status.kind !== "running") throw new Error(`expected a running term, got ${status.kind}`);
  return status;
}

describe("currentTermEnd per vendor", () => {
  it.each([
    // vendor, start, contract term (months), today, period, term start, last day, renews on, last notice day, notice months
    ["lai-media", "2026-01-15", undefined, "2026-06-01", 1, "2026-01-15", "2027-01-14", "2027-01-15", "2026-12-14", 1],
    ["lai-media", "2026-01-15", undefined, "2027-01-14", 1, "2026-01-15", "2027-01-14", "2027-01-15", "2026-12-14", 1],
    ["lai-media", "2026-01-15", undefined, "2027-01-15", 2, "2027-01-15", "2028-01-14", "2028-01-15", "2027-12-14", 1],
    ["lai-media", "2028-02-29", undefined, "2028-06-01", 1, "2028-02-29", "2029-02-27", "2029-02-28", "2029-01-27", 1],
    ["lai-media", "2027-03-01", undefined, "2027-06-01", 1, "2027-03-01", "2028-02-29", "2028-03-01", "2028-01-31", 1],
    ["leadcube", "2026-03-01", 12, "2026-05-01", 1, "2026-03-01", "2027-02-28", "2027-03-01", "2027-01-31", 1],
    ["leadcube", "2026-01-31", 1, "2026-01-31", 1, "2026-01-31", "2026-02-27", "2026-02-28", "2026-01-27", 1],
    ["leadcube", "2026-01-31", 1, "2026-03-15", 2, "2026-02-28", "2026-03-30", "2026-03-31", "2026-02-27", 1],
    ["leadcube", "2026-01-31", 1, "2026-04-30", 4, "2026-04-30", "2026-05-30", "2026-05-31", "2026-04-29", 1],
    ["klantgenerator", "2026-01-01", 6, "2026-03-01", 1, "2026-01-01", "2026-06-30", "2026-07-01", "2026-05-31", 1],
    ["klantgenerator", "2026-01-01", 7, "2026-03-01", 1, "2026-01-01", "2026-07-31", "2026-08-01", "2026-05-31", 2],
    ["klantgenerator", "2026-01-01", 12, "2026-03-01", 1, "2026-01-01", "2026-12-31", "2027-01-01", "2026-10-31", 2],
    ["klantgenerator", "2026-01-01", 12, "2029-07-01", 4, "2029-01-01", "2029-12-31", "2030-01-01", "2029-10-31", 2],
    ["puredigital", "2025-09-01", 24, "2026-06-01", 1, "2025-09-01", "2027-08-31", "2027-09-01", "2027-06-30", 2],
    ["puredigital", "2025-09-01", 24, "2027-09-01", 2, "2027-09-01", "2029-08-31", "2029-09-01", "2029-06-30", 2],
  ] as const)(
    "%s from %s (%s months) on %s: period %i, %s to %s, renews %s, notice by %s",
    (slug, contractStart, contractTermMonths, today, period, termStart, termLastDay, renewsOn, noticeBy, noticeMonths) => {
      const status = running(currentTermEnd({ terms: termsOf(slug), contractStart, contractTermMonths, today }));
      expect([status.period, status.termStart, status.termLastDay, status.renewsOn]).toEqual([period, termStart, termLastDay, renewsOn]);
      expect(status.lastNoticeDay).toMatchObject({ kind: "date", due: noticeBy, direction: "before", amount: noticeMonths, unit: "months" });
      expect(status.lastNoticeDay?.start).toEqual({ event: "term_end", at: termLastDay });
      expect(status.lastNoticeDay?.basis.kind).toBe("contractual");
    },
  );

  it("before the start date, reports the initial term", () => {
    const status = running(currentTermEnd({ terms: termsOf("lai-media"), contractStart: "2026-01-15", today: "2025-12-01" }));
    expect([status.period, status.termLastDay]).toEqual([1, "2027-01-14"]);
  });

  it("Elementon renews by a year and names no notice period: notice until the last day, labelled internal", () => {
    const status = running(currentTermEnd({ terms: termsOf("elementon"), contractStart: "2026-02-10", today: "2027-05-01" }));
    expect([status.period, status.termStart, status.termLastDay, status.renewsOn]).toEqual([2, "2027-02-10", "2028-02-09", "2028-02-10"]);
    expect(status.lastNoticeDay).toMatchObject({ due: "2028-02-09", direction: "on", amount: 0 });
    expect(status.lastNoticeDay?.basis.kind).toBe("internal");
  });

  it("uses the customer's contract term over the profile's default", () => {
    const status = running(currentTermEnd({ terms: termsOf("lai-media"), contractStart: "2026-01-15", contractTermMonths: 24, today: "2027-06-01" }));
    expect([status.period, status.termLastDay, status.periodMonths]).toEqual([1, "2028-01-14", 24]);
  });

  it("renews by the profile's renewal period when it differs from the term (Elementon: 24-month start, 12-month renewals)", () => {
    const status = running(
      currentTermEnd({ terms: termsOf("elementon"), contractStart: "2026-01-01", contractTermMonths: 24, today: "2028-03-01" }),
    );
    expect([status.period, status.termStart, status.termLastDay, status.periodMonths]).toEqual([2, "2028-01-01", "2028-12-31", 12]);
  });

  it("reports a contract without tacit renewal as ended after its term", () => {
    const profile: TermsProfile = structuredClone(seedTermsProfiles["lai-media"]);
    profile.mainContract.tacitRenewal = { value: false, article: "AV 27.2" };
    const terms = effectiveTerms(profile, 2);
    expect(currentTermEnd({ terms, contractStart: "2026-01-01", today: "2027-01-05" })).toEqual({ kind: "ended", endedOn: "2026-12-31" });
    const status = running(currentTermEnd({ terms, contractStart: "2026-01-01", today: "2026-12-31" }));
    expect([status.renewsOn, status.lastNoticeDay]).toEqual([null, null]);
  });

  it.each([
    [{ contractTermMonths: undefined }, "contract_term_missing", "contractTermMonths"],
    [{ contractTermMonths: 0 }, "invalid_period", "contractTermMonths"],
    [{ contractTermMonths: 1.5 }, "invalid_period", "contractTermMonths"],
    [{ contractTermMonths: 12, contractStart: "2026-02-30" }, "invalid_date", "contractStart"],
  ])("rejects %j with %s", (override, code, field) => {
    try {
      currentTermEnd({ terms: termsOf("klantgenerator"), contractStart: "2026-01-01", today: "2026-03-01", ...override });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe(code);
      expect((error as DomainError).field).toBe(field);
    }
  });
});

describe("effectiveEndAfterTermination", () => {
  it.each([
    // vendor, start, term, notice received, ends on, in time, periods added
    ["lai-media", "2026-01-15", undefined, "2026-12-14", "2027-01-14", true, 0],
    ["lai-media", "2026-01-15", undefined, "2026-12-15", "2028-01-14", false, 1],
    ["lai-media", "2026-01-15", undefined, "2026-02-01", "2027-01-14", true, 0],
    ["puredigital", "2026-01-01", 12, "2026-10-31", "2026-12-31", true, 0],
    ["puredigital", "2026-01-01", 12, "2026-11-01", "2027-12-31", false, 1],
    ["klantgenerator", "2026-01-01", 6, "2026-05-31", "2026-06-30", true, 0],
    ["klantgenerator", "2026-01-01", 6, "2026-06-01", "2026-12-31", false, 1],
    ["elementon", "2026-02-10", undefined, "2027-02-09", "2027-02-09", true, 0],
    ["elementon", "2026-02-10", undefined, "2027-02-10", "2028-02-09", true, 0],
    // monthly licence with one month's notice: notice always lands in a later period
    ["leadcube", "2026-01-31", 1, "2026-03-15", "2026-04-29", false, 1],
  ] as const)("%s from %s: notice on %s ends the contract on %s", (slug, contractStart, contractTermMonths, noticeReceivedOn, endsOn, inTime, added) => {
    const outcome = effectiveEndAfterTermination({ terms: termsOf(slug), contractStart, contractTermMonths, noticeReceivedOn });
    expect([outcome.endsOn, outcome.inTime, outcome.periodsAdded]).toEqual([endsOn, inTime, added]);
    expect(outcome.noticeDeadline).not.toBeNull();
  });

  it("applies the Termijnenwet to the notice day only when the profile says so (KlantGenerator 31-10-2026 is a Saturday)", () => {
    const plain = effectiveEndAfterTermination({
      terms: termsOf("klantgenerator"),
      contractStart: "2026-01-01",
      contractTermMonths: 12,
      noticeReceivedOn: "2026-11-02",
    });
    expect([plain.endsOn, plain.inTime, plain.noticeDeadline?.due]).toEqual(["2027-12-31", false, "2026-10-31"]);

    const profile = structuredClone(seedTermsProfiles.klantgenerator);
    profile.mainContract.noticeTermijnenwet = { value: true, note: "test" };
    const extended = effectiveEndAfterTermination({
      terms: effectiveTerms(profile, 2),
      contractStart: "2026-01-01",
      contractTermMonths: 12,
      noticeReceivedOn: "2026-11-02",
    });
    expect([extended.endsOn, extended.inTime, extended.noticeDeadline?.due]).toEqual(["2026-12-31", true, "2026-11-02"]);
    expect(extended.noticeDeadline?.adjustments[0]).toMatchObject({ kind: "termijnenwet", from: "2026-10-31", to: "2026-11-02" });
  });

  it("without tacit renewal the contract simply ends after its term", () => {
    const profile = structuredClone(seedTermsProfiles.puredigital);
    profile.mainContract.tacitRenewal = { value: false };
    const outcome = effectiveEndAfterTermination({
      terms: effectiveTerms(profile, 2),
      contractStart: "2026-01-01",
      contractTermMonths: 12,
      noticeReceivedOn: "2026-12-30",
    });
    expect(outcome).toEqual({ endsOn: "2026-12-31", inTime: true, noticeDeadline: null, periodsAdded: 0 });
  });
});

describe("renewal and notice per seed vendor at month ends", () => {
  it.each([
    // vendor, start, term, today, period, term start, last day, renews on, last notice day, basis of the notice day
    // Leadcube AV 5.3.3–5.3.4: same period again, 1 month's notice; 31-08 + 12 months, notice counted back from 31-08
    ["leadcube", "2026-08-31", 12, "2026-09-01", 1, "2026-08-31", "2027-08-30", "2027-08-31", "2027-07-30", "contractual"],
    // KlantGenerator AV 14.1: 3-month term → 1 month's notice; 30-11 + 3 months clamps to 28-02
    ["klantgenerator", "2026-11-30", 3, "2026-12-15", 1, "2026-11-30", "2027-02-27", "2027-02-28", "2027-01-27", "contractual"],
    ["klantgenerator", "2026-11-30", 3, "2027-03-01", 2, "2027-02-28", "2027-05-29", "2027-05-30", "2027-04-29", "contractual"],
    // Lai Media AV 27.1–27.2: one year, 1 month's notice before the end; notice day 29-11 (30-11 minus one day)
    ["lai-media", "2025-12-31", undefined, "2026-06-30", 1, "2025-12-31", "2026-12-30", "2026-12-31", "2026-11-29", "contractual"],
    // Elementon AV 21.1: year by year from a leap day, no notice period → notice until the last day (internal reading)
    ["elementon", "2024-02-29", undefined, "2027-06-01", 4, "2027-02-28", "2028-02-28", "2028-02-29", "2028-02-28", "internal"],
    // PureDigital AV 12.2: 2 months' notice; 31-03 + 6 months = 30-09
    ["puredigital", "2026-03-31", 6, "2026-04-01", 1, "2026-03-31", "2026-09-29", "2026-09-30", "2026-07-29", "contractual"],
  ] as const)(
    "%s from %s (%s months) on %s: term %i %s–%s, renews %s, notice by %s (%s)",
    (slug, contractStart, contractTermMonths, today, period, termStart, termLastDay, renewsOn, noticeBy, basisKind) => {
      const status = running(currentTermEnd({ terms: termsOf(slug), contractStart, contractTermMonths, today }));
      expect([status.period, status.termStart, status.termLastDay, status.renewsOn, status.lastNoticeDay?.due]).toEqual([
        period,
        termStart,
        termLastDay,
        renewsOn,
        noticeBy,
      ]);
      expect(status.lastNoticeDay?.basis.kind).toBe(basisKind);
    },
  );

  it.each([
    // vendor, start, term, notice received, ends on, in time
    ["leadcube", "2026-08-31", 12, "2027-07-30", "2027-08-30", true],
    ["leadcube", "2026-08-31", 12, "2027-07-31", "2028-08-30", false],
    ["klantgenerator", "2026-11-30", 3, "2027-01-27", "2027-02-27", true],
    ["klantgenerator", "2026-11-30", 3, "2027-01-28", "2027-05-29", false],
    ["lai-media", "2025-12-31", undefined, "2026-11-29", "2026-12-30", true],
    ["lai-media", "2025-12-31", undefined, "2026-11-30", "2027-12-30", false],
    ["elementon", "2024-02-29", undefined, "2028-02-28", "2028-02-28", true],
    ["elementon", "2024-02-29", undefined, "2028-02-29", "2029-02-27", true],
    ["puredigital", "2026-03-31", 6, "2026-07-29", "2026-09-29", true],
    ["puredigital", "2026-03-31", 6, "2026-07-30", "2027-03-30", false],
  ] as const)("%s from %s: notice received %s ends the contract on %s (in time: %s)", (slug, contractStart, contractTermMonths, noticeReceivedOn, endsOn, inTime) => {
    const outcome = effectiveEndAfterTermination({ terms: termsOf(slug), contractStart, contractTermMonths, noticeReceivedOn });
    expect([outcome.endsOn, outcome.inTime]).toEqual([endsOn, inTime]);
  });
});
