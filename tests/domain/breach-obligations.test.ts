import { describe, expect, it } from "vitest";
import {
  authorityClock,
  authorityState,
  clockGroupKey,
  dueSoonAt,
  isLateNotice,
  lateReasonProblem,
  noticeClock,
  obligationState,
  obligationStateFromColumns,
  requiredNoticeItems,
} from "~/domain/breach-obligations";
import { explainDeadline } from "~/domain/explain-deadline";
import { effectiveTerms, type StoredDeviation } from "~/domain/terms";
import { formatDisplayInstant, parseInstant } from "~/domain/time";
import { demoNegotiatedTerms, seedTermsProfiles, type SeedWorkspaceSlug } from "../../db/seed/terms-profiles";

const termsOf = (slug: SeedWorkspaceSlug, deviations: StoredDeviation[] = []) => effectiveTerms(seedTermsProfiles[slug], 1, deviations);
const negotiated = (slug: SeedWorkspaceSlug, customerIndex: number) =>
  demoNegotiatedTerms.find((d) => d.workspaceSlug === slug && d.customerIndex === customerIndex)!.deviations;
const shown = (iso: string) => formatDisplayInstant(parseInstant(iso, "due"));

describe("noticeClock: every seed vendor, across DST changes and year ends", () => {
  it.each([
    // label, terms, discoveredAt, shouldHaveKnownAt, at third party, internal target, due shown in Amsterdam, basis kind
    [
      "Leadcube 24 h from should-have-known, over the spring DST change",
      termsOf("leadcube"),
      "2026-03-28T15:00:00.000Z",
      "2026-03-28T13:00:00.000Z",
      false,
      24,
      "29-03-2026 15:00 CEST",
      "contractual",
    ],
    [
      "Leadcube negotiated 12 h (customer 2)",
      termsOf("leadcube", negotiated("leadcube", 2)),
      "2026-03-28T15:00:00.000Z",
      "2026-03-28T13:00:00.000Z",
      false,
      24,
      "29-03-2026 03:00 CEST",
      "contractual",
    ],
    ["Leadcube over New Year", termsOf("leadcube"), "2026-12-31T20:00:00.000Z", undefined, false, 24, "01-01-2027 21:00 CET", "contractual"],
    [
      "KlantGenerator 48 h from discovery, over the autumn DST change",
      termsOf("klantgenerator"),
      "2026-10-24T10:00:00.000Z",
      "2026-10-20T10:00:00.000Z",
      false,
      24,
      "26-10-2026 11:00 CET",
      "contractual",
    ],
    ["KlantGenerator over New Year", termsOf("klantgenerator"), "2026-12-31T15:00:00.000Z", undefined, false, 24, "02-01-2027 16:00 CET", "contractual"],
    [
      "PureDigital 12 h from discovery at a third party, over New Year",
      termsOf("puredigital"),
      "2026-12-31T20:00:00.000Z",
      undefined,
      true,
      24,
      "01-01-2027 09:00 CET",
      "contractual",
    ],
    ["PureDigital own systems: internal target", termsOf("puredigital"), "2026-03-28T13:00:00.000Z", undefined, false, 24, "29-03-2026 15:00 CEST", "internal"],
    ["Lai Media: internal target", termsOf("lai-media"), "2026-10-24T23:30:00.000Z", undefined, false, 24, "26-10-2026 00:30 CET", "internal"],
    [
      "Lai Media negotiated 24 h (customer 1)",
      termsOf("lai-media", negotiated("lai-media", 1)),
      "2026-10-24T23:30:00.000Z",
      undefined,
      false,
      48,
      "26-10-2026 00:30 CET",
      "contractual",
    ],
    ["Elementon: internal target of 36 h", termsOf("elementon"), "2026-03-28T13:00:00.000Z", undefined, true, 36, "30-03-2026 03:00 CEST", "internal"],
    ["no terms version: internal target", null, "2026-03-28T13:00:00.000Z", undefined, false, 24, "29-03-2026 15:00 CEST", "internal"],
  ] as const)("%s", (_label, terms, discoveredAt, shouldHaveKnownAt, atThirdParty, target, dueShown, basisKind) => {
    const clock = noticeClock({ terms, breach: { discoveredAt, shouldHaveKnownAt, atThirdParty }, internalTargetHours: target });
    expect(shown(clock.due)).toBe(dueShown);
    expect(clock.deadline.basis.kind).toBe(basisKind);
    expect(clock.start).toBe(clock.deadline.start.at);
    // the elapsed span is the whole number of hours, whatever the clock on the wall did
    expect(parseInstant(clock.due, "due").epochMilliseconds - parseInstant(clock.start, "start").epochMilliseconds).toBe(clock.deadline.amount * 3_600_000);
  });

  it("explains a negotiated clock with its clause and an internal one as internal", () => {
    const leadcube = noticeClock({
      terms: termsOf("leadcube", negotiated("leadcube", 2)),
      breach: { discoveredAt: "2026-03-28T13:00:00.000Z", atThirdParty: true },
      internalTargetHours: 24,
    });
    expect(explainDeadline(leadcube.deadline, "nl")).toBe(
      "12 uur na 28-03-2026 14:00 CET (onderhandeld: Side letter informatiebeveiliging, art. 3.2) → 29-03-2026 03:00 CEST"
    );
    const elementon = noticeClock({
      terms: termsOf("elementon"),
      breach: { discoveredAt: "2026-03-28T13:00:00.000Z", atThirdParty: false },
      internalTargetHours: 24,
    });
    expect(explainDeadline(elementon.deadline, "en")).toBe("24 h after 28-03-2026 14:00 CET (internal target, not contractual) → 29-03-2026 15:00 CEST");
  });
});

describe("authorityClock", () => {
  it("is 48 h for Leadcube (VO 7.5) and 72 h statutory elsewhere or without terms", () => {
    expect(authorityClock(termsOf("leadcube"), "2026-03-28T13:00:00.000Z").due).toBe("2026-03-30T13:00:00.000Z");
    expect(authorityClock(termsOf("klantgenerator"), "2026-03-28T13:00:00.000Z").due).toBe("2026-03-31T13:00:00.000Z");
    const none = authorityClock(null, "2026-10-24T12:00:00.000Z");
    expect(none.due).toBe("2026-10-27T12:00:00.000Z");
    expect(none.basis.kind).toBe("statutory");
  });
});

describe("states", () => {
  const clock = noticeClock({ terms: termsOf("leadcube"), breach: { discoveredAt: "2026-03-28T13:00:00.000Z", atThirdParty: false }, internalTargetHours: 24 });

  it.each([
    ["2026-03-28T13:00:00.000Z", null, "on_time"],
    ["2026-03-29T07:00:00.000Z", null, "on_time"],
    ["2026-03-29T07:00:00.001Z", null, "due_soon"],
    ["2026-03-29T13:00:00.000Z", null, "due_soon"],
    ["2026-03-29T13:00:00.001Z", null, "overdue"],
    ["2026-04-02T00:00:00.000Z", "2026-03-29T13:00:00.000Z", "notified_on_time"],
    ["2026-04-02T00:00:00.000Z", "2026-03-29T13:00:00.001Z", "notified_late"],
  ] as const)("at %s (notified %s) the clock is %s", (now, notifiedAt, expected) => {
    expect(obligationState({ deadline: clock.deadline, notifiedAt, now }).state).toBe(expected);
    const columns = { due: clock.due, soonAt: clock.soonAt, notifiedAt, notifiedLate: notifiedAt ? isLateNotice(clock.due, notifiedAt) : null };
    expect(obligationStateFromColumns(columns, now)).toBe(expected);
  });

  it("turns due soon under 25% of the span, also for odd spans (floored to the millisecond)", () => {
    expect(dueSoonAt("2026-03-28T13:00:00.000Z", "2026-03-29T13:00:00.000Z")).toBe("2026-03-29T07:00:00.000Z");
    const start = "2026-03-28T13:00:00.000Z";
    const due = "2026-03-28T13:00:00.007Z";
    const soon = dueSoonAt(start, due);
    expect(soon).toBe("2026-03-28T13:00:00.005Z");
    for (let ms = 0; ms <= 8; ms++) {
      const now = new Date(Date.parse(start) + ms).toISOString();
      const deadline = { ...clock.deadline, due, start: { event: "breach_discovered" as const, at: start } };
      expect(obligationStateFromColumns({ due, soonAt: soon, notifiedAt: null, notifiedLate: null }, now)).toBe(
        obligationState({ deadline, notifiedAt: null, now }).state
      );
    }
  });

  it("stops the authority clock when the customer reports what it did", () => {
    const deadline = authorityClock(termsOf("leadcube"), "2026-03-28T13:00:00.000Z");
    expect(authorityState({ deadline, outcome: null, outcomeAt: null, now: "2026-03-29T00:00:00.000Z" }).state).toBe("on_time");
    expect(authorityState({ deadline, outcome: null, outcomeAt: null, now: "2026-03-30T13:00:00.001Z" }).state).toBe("overdue");
    expect(authorityState({ deadline, outcome: "notified", outcomeAt: "2026-03-30T12:00:00.000Z", now: "2026-04-10T00:00:00.000Z" }).state).toBe(
      "reported_on_time"
    );
    expect(authorityState({ deadline, outcome: "notified", outcomeAt: "2026-03-31T12:00:00.000Z", now: "2026-04-10T00:00:00.000Z" }).state).toBe(
      "reported_late"
    );
    expect(authorityState({ deadline, outcome: "not_notifying", outcomeAt: "2026-03-29T12:00:00.000Z", now: "2026-04-10T00:00:00.000Z" }).state).toBe(
      "not_notifying"
    );
  });
});

describe("late notices need a reason", () => {
  const due = "2026-03-29T13:00:00.000Z";
  it.each([
    ["2026-03-29T13:00:00.000Z", "", null],
    ["2026-03-29T12:59:59.999Z", "", null],
    ["2026-03-29T13:00:00.001Z", "", "late_reason_required"],
    ["2026-03-29T14:00:00.000Z", "   too short", "late_reason_required"],
    ["2026-03-29T14:00:00.000Z", "  Told late.  ", null],
    ["2026-03-30T14:00:00.000Z", "Sub-processor told us only after the deadline had passed.", null],
  ] as const)("sent at %s with reason %j → %s", (at, reason, expected) => {
    expect(lateReasonProblem({ due, at, reason })).toBe(expected);
  });
});

describe("required notice contents per vendor", () => {
  it.each([
    ["leadcube", 5, "VO 7.6"],
    ["klantgenerator", 1, "AV 12.15"],
    ["lai-media", 8, "B1 6.3"],
    ["elementon", 6, "AV 30.7.2"],
    ["puredigital", 1, "AV 6.6"],
  ] as const)("%s requires %i items (%s)", (slug, n, article) => {
    const required = requiredNoticeItems(termsOf(slug));
    expect(required.items).toHaveLength(n);
    expect(required.article).toBe(article);
    expect(required.source).toBe("profile");
  });

  it("falls back to the Art. 33(3) minimum without terms", () => {
    expect(requiredNoticeItems(null)).toEqual({
      items: ["nature", "categories_and_numbers", "contact_point", "consequences", "measures"],
      article: "GDPR 33(3)",
      source: "statutory",
    });
  });
});

describe("clockGroupKey", () => {
  it("is equal for equal breach deviations in any order and differs by version or value", () => {
    const a = clockGroupKey("v1", [
      { field: "breachNoticeHours", value: 12 },
      { field: "breachClockStart", value: "discovery" },
    ]);
    const b = clockGroupKey("v1", [
      { field: "breachClockStart", value: "discovery" },
      { field: "breachNoticeHours", value: 12 },
    ]);
    expect(a).toBe(b);
    expect(clockGroupKey("v2", [{ field: "breachNoticeHours", value: 12 }])).not.toBe(clockGroupKey("v1", [{ field: "breachNoticeHours", value: 12 }]));
    expect(clockGroupKey("v1", [{ field: "breachNoticeHours", value: 24 }])).not.toBe(clockGroupKey("v1", [{ field: "breachNoticeHours", value: 12 }]));
  });
});
