import { describe, expect, it } from "vitest";
import { authorityDeadline, customerNoticeDeadline } from "~/domain/breach-clock";
import { DomainError } from "~/domain/errors";
import { effectiveTerms, type StoredDeviation } from "~/domain/terms";
import { demoNegotiatedTerms, seedTermsProfiles, type SeedWorkspaceSlug } from "../../db/seed/terms-profiles";

const termsOf = (slug: SeedWorkspaceSlug, deviations: StoredDeviation[] = []) => effectiveTerms(seedTermsProfiles[slug], 1, deviations);
const negotiated = (slug: SeedWorkspaceSlug, customerIndex: number) =>
  demoNegotiatedTerms.find((d) => d.workspaceSlug === slug && d.customerIndex === customerIndex)!.deviations;

describe("customerNoticeDeadline per vendor", () => {
  it.each([
    // vendor, discoveredAt, shouldHaveKnownAt, atThirdParty, internal target, due, start event, basis
    ["leadcube", "2026-03-28T13:00:00.000Z", undefined, false, 24, "2026-03-29T13:00:00.000Z", "breach_should_have_known", "VO 7.5"],
    ["leadcube", "2026-03-28T13:00:00.000Z", "2026-03-28T08:00:00.000Z", false, 24, "2026-03-29T08:00:00.000Z", "breach_should_have_known", "VO 7.5"],
    ["leadcube", "2026-10-24T22:00:00.000Z", undefined, true, 24, "2026-10-25T22:00:00.000Z", "breach_should_have_known", "VO 7.5"],
    ["klantgenerator", "2026-10-24T10:00:00.000Z", "2026-10-20T10:00:00.000Z", false, 24, "2026-10-26T10:00:00.000Z", "breach_discovered", "AV 12.15"],
    ["klantgenerator", "2026-12-31T15:00:00.000Z", undefined, false, 24, "2027-01-02T15:00:00.000Z", "breach_discovered", "AV 12.15"],
    ["klantgenerator", "2028-02-28T12:00:00.000Z", undefined, false, 24, "2028-03-01T12:00:00.000Z", "breach_discovered", "AV 12.15"],
    ["klantgenerator", "2027-02-28T12:00:00.000Z", undefined, false, 24, "2027-03-02T12:00:00.000Z", "breach_discovered", "AV 12.15"],
    ["puredigital", "2026-12-31T20:00:00.000Z", undefined, true, 24, "2027-01-01T08:00:00.000Z", "breach_discovered", "AV 6.6"],
  ] as const)("%s discovered %s (known %s, third party %s) → %s", (slug, discoveredAt, shouldHaveKnownAt, atThirdParty, target, due, event, article) => {
    const deadline = customerNoticeDeadline({
      terms: termsOf(slug),
      breach: { discoveredAt, shouldHaveKnownAt, atThirdParty },
      internalTargetHours: target,
    });
    expect(deadline.kind).toBe("instant");
    expect(deadline.due).toBe(due);
    expect(deadline.start.event).toBe(event);
    expect(deadline.basis).toEqual({ kind: "contractual", article, source: "profile", version: 1 });
  });

  it.each([
    ["lai-media", 24, "2026-03-29T13:00:00.000Z"],
    ["elementon", 36, "2026-03-30T01:00:00.000Z"],
    ["puredigital", 8, "2026-03-28T21:00:00.000Z"],
  ] as const)("%s has no contractual hour limit: internal target of %i h, labelled internal", (slug, target, due) => {
    const deadline = customerNoticeDeadline({
      terms: termsOf(slug),
      breach: { discoveredAt: "2026-03-28T13:00:00.000Z", atThirdParty: false },
      internalTargetHours: target,
    });
    expect(deadline.due).toBe(due);
    expect(deadline.amount).toBe(target);
    expect(deadline.start).toEqual({ event: "breach_discovered", at: "2026-03-28T13:00:00.000Z" });
    expect(deadline.basis.kind).toBe("internal");
  });

  it("uses a negotiated limit and says so (Lai Media customer with 24 h)", () => {
    const deadline = customerNoticeDeadline({
      terms: termsOf("lai-media", negotiated("lai-media", 1)),
      breach: { discoveredAt: "2026-10-24T23:30:00.000Z", atThirdParty: false },
      internalTargetHours: 48,
    });
    expect(deadline.due).toBe("2026-10-25T23:30:00.000Z");
    expect(deadline.basis).toMatchObject({
      kind: "contractual",
      source: "negotiated",
      clause: "Aanvulling op Bijlage 1, art. 6.1a (getekend 12-03-2025)",
    });
  });

  it("keeps Leadcube's should-have-known start under a negotiated 12 h", () => {
    const deadline = customerNoticeDeadline({
      terms: termsOf("leadcube", negotiated("leadcube", 2)),
      breach: { discoveredAt: "2026-03-28T13:00:00.000Z", shouldHaveKnownAt: "2026-03-28T08:00:00.000Z", atThirdParty: false },
      internalTargetHours: 24,
    });
    expect(deadline.due).toBe("2026-03-28T20:00:00.000Z");
    expect(deadline.start).toEqual({ event: "breach_should_have_known", at: "2026-03-28T08:00:00.000Z" });
    expect(deadline.basis).toMatchObject({ source: "negotiated", clause: "Side letter informatiebeveiliging, art. 3.2" });
  });

  it("normalises an offset input to UTC", () => {
    const deadline = customerNoticeDeadline({
      terms: termsOf("leadcube"),
      breach: { discoveredAt: "2026-03-28T14:00:00+01:00", atThirdParty: false },
      internalTargetHours: 24,
    });
    expect(deadline.start.at).toBe("2026-03-28T13:00:00.000Z");
    expect(deadline.due).toBe("2026-03-29T13:00:00.000Z");
  });

  it.each([
    [{ discoveredAt: "28-03-2026 14:00", atThirdParty: false }, 24, "invalid_instant", "discoveredAt"],
    [{ discoveredAt: "2026-02-30T10:00:00Z", atThirdParty: false }, 24, "invalid_instant", "discoveredAt"],
    [{ discoveredAt: "2026-03-28T13:00:00Z", atThirdParty: false }, -1, "invalid_hours", "internalTargetHours"],
    [{ discoveredAt: "2026-03-28T13:00:00Z", atThirdParty: false }, 0, "invalid_hours", "internalTargetHours"],
    [{ discoveredAt: "2026-03-28T13:00:00Z", shouldHaveKnownAt: "2026-03-28T14:00:00Z", atThirdParty: false }, 24, "invalid_order", "shouldHaveKnownAt"],
  ])("rejects %j (target %i) with %s on %s", (breach, target, code, field) => {
    try {
      customerNoticeDeadline({ terms: termsOf("leadcube"), breach, internalTargetHours: target });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe(code);
      expect((error as DomainError).field).toBe(field);
    }
  });
});

describe("authorityDeadline", () => {
  it("is 48 h contractual for Leadcube (VO 7.5), counted from the notice to the customer", () => {
    const deadline = authorityDeadline({ terms: termsOf("leadcube"), notifiedAt: "2026-03-28T13:00:00.000Z" });
    expect(deadline.due).toBe("2026-03-30T13:00:00.000Z");
    expect(deadline.start).toEqual({ event: "customer_notified", at: "2026-03-28T13:00:00.000Z" });
    expect(deadline.basis).toEqual({ kind: "contractual", article: "VO 7.5", source: "profile", version: 1 });
  });

  it.each(["klantgenerator", "lai-media", "elementon", "puredigital"] as const)("is the statutory 72 h for %s", (slug) => {
    const deadline = authorityDeadline({ terms: termsOf(slug), notifiedAt: "2026-03-27T23:30:00.000Z" });
    expect(deadline.due).toBe("2026-03-30T23:30:00.000Z");
    expect(deadline.amount).toBe(72);
    expect(deadline.basis).toEqual({ kind: "statutory", article: "GDPR 33(1)", label: { nl: "art. 33 lid 1 AVG", en: "Art. 33(1) GDPR" } });
  });

  it("runs 72 elapsed hours across the October DST change", () => {
    const deadline = authorityDeadline({ terms: termsOf("elementon"), notifiedAt: "2026-10-23T22:00:00.000Z" });
    expect(deadline.due).toBe("2026-10-26T22:00:00.000Z");
  });
});
