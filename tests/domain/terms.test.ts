import { describe, expect, it } from "vitest";
import { DomainError } from "~/domain/errors";
import {
  diffTermsVersions,
  effectiveTerms,
  formatArticleRef,
  getTermsField,
  noticeMonthsFor,
  TERMS_FIELD_LABELS,
  TERMS_FIELD_PATHS,
  termsProfileSchema,
  validateDeviation,
  validateNewVersion,
  type TermsProfile,
} from "~/domain/terms";
import { demoNegotiatedTerms, seedTermsProfiles } from "../../db/seed/terms-profiles";

const clone = (profile: TermsProfile): TermsProfile => structuredClone(profile);

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a DomainError");
}

describe("the seed profiles", () => {
  it.each(Object.entries(seedTermsProfiles))("%s parses with the strict schema and passes validation", (_slug, profile) => {
    expect(termsProfileSchema.parse(profile)).toEqual(profile);
    expect(validateNewVersion(profile, "2026-06-01", "2026-05-01")).toEqual([]);
  });

  it("encodes the five vendors' breach and sub-processor terms as the domain table says", () => {
    const s = seedTermsProfiles;
    expect([s.leadcube, s.klantgenerator, s["lai-media"], s.elementon, s.puredigital].map((p) => p.breachNoticeHours.value)).toEqual([
      24,
      48,
      null,
      null,
      null,
    ]);
    expect(s.leadcube.breachClockStart.value).toBe("should_have_known");
    expect(s.leadcube.authorityDeadlineHours).toMatchObject({ value: 48, article: "VO 7.5" });
    expect(s.puredigital.thirdPartyBreachNoticeHours).toMatchObject({ value: 12, article: "AV 6.6" });
    expect(s.leadcube.breachNoticeContents.value).toHaveLength(5);
    expect(s["lai-media"].breachNoticeContents.value).toHaveLength(8);
    expect(s.leadcube.subprocessorRegime.value).toBe("specific_prior_authorisation");
    expect(s["lai-media"].objectionWindow.value).toEqual({ amount: 2, unit: "weeks", from: "notice_sent" });
    expect(s.elementon.endOfContract.backupRetention.value).toEqual({ amount: 6, unit: "months" });
    expect(s.leadcube.endOfContract.deletionDeadline.value).toEqual({ amount: 28, unit: "days" });
    expect(s.klantgenerator.mainContract.notice.value).toEqual({
      kind: "by_term_length",
      maxShortTermMonths: 6,
      shortTermNoticeMonths: 1,
      longTermNoticeMonths: 2,
    });
  });

  it("quotes the Dutch source text next to each contractual value", () => {
    expect(seedTermsProfiles.leadcube.breachNoticeHours.quote).toContain("binnen 24 uur nadat Verwerker hiervan redelijkerwijs op de hoogte had kunnen zijn");
    expect(seedTermsProfiles["lai-media"].objectionWindow.quote).toContain("binnen twee weken na verzending van de berichtgeving");
    expect(seedTermsProfiles.elementon.endOfContract.backupRetention.quote).toContain("maximale periode van 6 maanden");
  });

  it("flags the Elementon 1-month / three-months inconsistency in the notes", () => {
    expect(seedTermsProfiles.elementon.notes).toContain("30.12.4");
    expect(seedTermsProfiles.elementon.notes).toContain("drie maanden");
    expect(seedTermsProfiles.elementon.dpaChangeNotice.value.noticePeriod).toEqual({ amount: 1, unit: "months" });
  });

  it("gives every demo deviation a valid value, a reason and a clause, and never touches customer 0", () => {
    for (const entry of demoNegotiatedTerms) {
      expect(entry.customerIndex).toBeGreaterThan(0);
      for (const deviation of entry.deviations) {
        expect(validateDeviation(seedTermsProfiles[entry.workspaceSlug], deviation)).toEqual([]);
        expect(deviation.reason.length).toBeGreaterThan(10);
        expect(deviation.clause.length).toBeGreaterThan(3);
      }
    }
  });
});

describe("field registry", () => {
  it("lists every leaf field by dotted path, with a label in both languages", () => {
    expect(TERMS_FIELD_PATHS).toHaveLength(23);
    expect(TERMS_FIELD_PATHS).toContain("mainContract.notice");
    expect(TERMS_FIELD_PATHS).toContain("endOfContract.backupRetention");
    expect(TERMS_FIELD_PATHS).not.toContain("notes");
    for (const path of TERMS_FIELD_PATHS) {
      expect(TERMS_FIELD_LABELS[path].nl.length).toBeGreaterThan(0);
      expect(TERMS_FIELD_LABELS[path].en.length).toBeGreaterThan(0);
    }
  });

  it("defaults the termijnenwet switches to off when older content lacks them", () => {
    const { objectionWindowTermijnenwet: _dropped, ...rest } = clone(seedTermsProfiles["lai-media"]);
    const parsed = termsProfileSchema.parse(rest);
    expect(parsed.objectionWindowTermijnenwet).toEqual({ value: false });
  });

  it("reads a field by path", () => {
    expect(getTermsField(seedTermsProfiles.leadcube, "endOfContract.deletionDeadline").article).toBe("VO 2.5");
  });
});

describe("noticeMonthsFor", () => {
  const rule = seedTermsProfiles.klantgenerator.mainContract.notice.value!;
  it.each([
    [1, 1],
    [6, 1],
    [7, 2],
    [12, 2],
    [36, 2],
  ])("a %i-month KlantGenerator contract has %i month(s) notice", (term, expected) => {
    expect(noticeMonthsFor(rule, term)).toBe(expected);
  });
});

describe("formatArticleRef", () => {
  it.each([
    ["VO 7.5", "nl", "art. 7.5 verwerkersovereenkomst"],
    ["VO 7.5", "en", "Art. 7.5 processor agreement"],
    ["AV 12.15", "nl", "art. 12.15 algemene voorwaarden"],
    ["B1 4.2", "en", "Art. 4.2 Annex 1"],
    ["B1 4.2", "nl", "art. 4.2 Bijlage 1"],
    ["12.2", "nl", "art. 12.2"],
    ["Side letter 3.2", "en", "Side letter 3.2"],
  ] as const)("%s (%s) → %s", (ref, locale, expected) => {
    expect(formatArticleRef(ref, locale)).toBe(expected);
  });
});

describe("effectiveTerms", () => {
  const leadcubeCustomer2 = demoNegotiatedTerms.find((d) => d.workspaceSlug === "leadcube" && d.customerIndex === 2)!;

  it("without deviations takes every field from the profile version, with its article", () => {
    const terms = effectiveTerms(seedTermsProfiles.leadcube, 3);
    expect(terms.breachNoticeHours).toEqual({
      ...seedTermsProfiles.leadcube.breachNoticeHours,
      source: { kind: "profile", version: 3, article: "VO 7.5" },
    });
    expect(terms.endOfContract.choiceDeadline.source).toEqual({ kind: "profile", version: 3 });
    expect(terms.mainContract.notice.source).toEqual({ kind: "profile", version: 3, article: "AV 5.3.4" });
  });

  it("takes a negotiated field from the deviation, with clause and reason, and leaves the rest on the profile", () => {
    const terms = effectiveTerms(seedTermsProfiles.leadcube, 1, leadcubeCustomer2.deviations);
    expect(terms.breachNoticeHours.value).toBe(12);
    expect(terms.breachNoticeHours.source).toEqual({
      kind: "negotiated",
      clause: "Side letter informatiebeveiliging, art. 3.2",
      reason: leadcubeCustomer2.deviations[0].reason,
    });
    expect(terms.breachNoticeHours.article).toBeUndefined();
    expect(terms.breachClockStart.value).toBe("should_have_known");
    expect(terms.breachClockStart.source).toEqual({ kind: "profile", version: 1, article: "VO 7.5" });
  });

  it("accepts deviations as the database hands them over (field string, JSON value)", () => {
    const terms = effectiveTerms(seedTermsProfiles.elementon, 2, [
      { field: "endOfContract.deletionDeadline", value: { amount: 14, unit: "days" }, reason: "r", clause: "c" },
    ]);
    expect(terms.endOfContract.deletionDeadline.value).toEqual({ amount: 14, unit: "days" });
    expect(terms.endOfContract.deletionDeadline.source.kind).toBe("negotiated");
  });

  it.each([
    [{ field: "breachHours", value: 12 }, "unknown_terms_field", "breachHours"],
    [{ field: "breachNoticeHours", value: -4 }, "invalid_deviation_value", "breachNoticeHours"],
    [{ field: "breachNoticeHours", value: 0 }, "invalid_deviation_value", "breachNoticeHours"],
    [{ field: "breachNoticeHours", value: "24" }, "invalid_deviation_value", "breachNoticeHours"],
    [{ field: "objectionWindow", value: { amount: 0, unit: "days", from: "notice_sent" } }, "invalid_deviation_value", "objectionWindow"],
    [{ field: "objectionWindow", value: { amount: 10, unit: "fortnights", from: "notice_sent" } }, "invalid_deviation_value", "objectionWindow"],
  ])("rejects %j with %s", (partial, code, field) => {
    const error = thrown(() => effectiveTerms(seedTermsProfiles["lai-media"], 1, [{ ...partial, reason: "r", clause: "c" }]));
    expect(error.code).toBe(code);
    expect(error.field).toBe(field);
    expect(error.messages.nl.length).toBeGreaterThan(0);
  });

  it("rejects two deviations of one field", () => {
    const deviation = { field: "breachNoticeHours", value: 24, reason: "r", clause: "c" };
    expect(thrown(() => effectiveTerms(seedTermsProfiles["lai-media"], 1, [deviation, { ...deviation, value: 12 }])).code).toBe(
      "duplicate_deviation",
    );
  });
});

describe("validateDeviation", () => {
  it("refuses an objection window for a profile that requires prior approval", () => {
    const issues = validateDeviation(seedTermsProfiles.leadcube, {
      field: "objectionWindow",
      value: { amount: 30, unit: "days", from: "notice_sent" },
      reason: "r",
      clause: "c",
    });
    expect(issues.map((i) => [i.path, i.code])).toEqual([["objectionWindow", "window_without_objection_right"]]);
  });

  it("reports a bad value at its path inside the field", () => {
    const issues = validateDeviation(seedTermsProfiles["lai-media"], {
      field: "objectionWindow",
      value: { amount: 0, unit: "days", from: "notice_sent" },
      reason: "r",
      clause: "c",
    });
    expect(issues.map((i) => [i.path, i.code])).toEqual([["objectionWindow.amount", "not_positive"]]);
  });

  it("reports an unknown field", () => {
    expect(validateDeviation(seedTermsProfiles.leadcube, { field: "nope", value: 1, reason: "r", clause: "c" })[0].message.en).toBe(
      'Unknown field "nope".',
    );
  });
});

describe("diffTermsVersions", () => {
  it("lists nothing for identical versions", () => {
    expect(diffTermsVersions(seedTermsProfiles.leadcube, clone(seedTermsProfiles.leadcube))).toEqual([]);
  });

  it("lists changed fields in schema order with old and new and what changed", () => {
    const next = clone(seedTermsProfiles.leadcube);
    next.breachNoticeHours = { value: 12, article: "VO 7.5a", quote: "binnen 12 uur" };
    next.mainContract.notice = { ...next.mainContract.notice, note: "Verduidelijkt" };
    next.notes = "other notes are not a field";
    const changes = diffTermsVersions(seedTermsProfiles.leadcube, next);
    expect(changes.map((c) => [c.path, c.changed])).toEqual([
      ["breachNoticeHours", ["value", "article", "quote"]],
      ["mainContract.notice", ["note"]],
    ]);
    expect(changes[0].before.value).toBe(24);
    expect(changes[0].after.value).toBe(12);
    expect(changes[0].label.en).toBe("Breach notice to customer (hours)");
  });

  it("ignores key order inside values", () => {
    const next = clone(seedTermsProfiles["lai-media"]);
    next.objectionWindow = { ...next.objectionWindow, value: { from: "notice_sent", unit: "weeks", amount: 2 } };
    expect(diffTermsVersions(seedTermsProfiles["lai-media"], next)).toEqual([]);
  });

  it("sees a change deep inside a value", () => {
    const next = clone(seedTermsProfiles["lai-media"]);
    next.objectionWindow = { ...next.objectionWindow, value: { amount: 14, unit: "days", from: "notice_sent" } };
    const [change] = diffTermsVersions(seedTermsProfiles["lai-media"], next);
    expect(change.path).toBe("objectionWindow");
    expect(change.before.value).toEqual({ amount: 2, unit: "weeks", from: "notice_sent" });
  });
});

describe("validateNewVersion", () => {
  const today = "2026-05-01";
  const codes = (content: unknown, effectiveDate = "2026-05-01") =>
    validateNewVersion(content, effectiveDate, today).map((issue) => [issue.path, issue.code]);

  it("accepts an effective date of today", () => {
    expect(codes(seedTermsProfiles.elementon, today)).toEqual([]);
  });

  it("rejects an effective date in the past and an invalid one", () => {
    expect(codes(seedTermsProfiles.elementon, "2026-04-30")).toEqual([["effectiveDate", "effective_date_in_past"]]);
    expect(codes(seedTermsProfiles.elementon, "2026-04-31")).toEqual([["effectiveDate", "invalid_date"]]);
  });

  it("rejects negative and zero hours, and an authority limit above the statutory 72 h", () => {
    const content = clone(seedTermsProfiles.leadcube);
    content.breachNoticeHours.value = -24;
    content.thirdPartyBreachNoticeHours.value = 0;
    content.authorityDeadlineHours.value = 96;
    expect(codes(content)).toEqual([
      ["breachNoticeHours", "not_positive"],
      ["thirdPartyBreachNoticeHours", "not_positive"],
      ["authorityDeadlineHours", "exceeds_statutory"],
    ]);
  });

  it("rejects a zero window and fractional months, with messages in both languages", () => {
    const content = clone(seedTermsProfiles["lai-media"]);
    content.objectionWindow.value = { amount: 0, unit: "weeks", from: "notice_sent" };
    content.mainContract.termMonths.value = 12.5;
    const issues = validateNewVersion(content, "2026-06-01", today);
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ["objectionWindow.amount", "not_positive"],
      ["mainContract.termMonths", "not_whole"],
    ]);
    expect(issues[0].message).toEqual({ nl: "De termijn moet minstens 1 zijn.", en: "The period must be at least 1." });
    expect(issues[1].message.nl).toBe("Het aantal maanden moet een heel getal zijn.");
  });

  it("checks rules across fields", () => {
    const content = clone(seedTermsProfiles.leadcube);
    content.objectionWindow.value = { amount: 14, unit: "days", from: "notice_sent" };
    content.mainContract.tacitRenewal.value = false;
    content.mainContract.renewalMonths.value = 12;
    content.mainContract.termMonths.value = 1;
    expect(codes(content)).toEqual([
      ["objectionWindow", "window_without_objection_right"],
      ["mainContract.renewalMonths", "renewal_without_tacit_renewal"],
      ["mainContract.notice", "notice_not_shorter_than_term"],
    ]);
  });

  it("rejects the termijnenwet switch without a window, and duplicate notice items", () => {
    const content = clone(seedTermsProfiles.elementon);
    content.objectionWindowTermijnenwet.value = true;
    content.breachNoticeContents.value = ["nature", "nature"];
    expect(codes(content)).toEqual([
      ["breachNoticeContents", "duplicate_item"],
      ["objectionWindowTermijnenwet", "termijnenwet_without_window"],
    ]);
  });

  it("reports shape errors at the field path, without the internal 'value' segment", () => {
    const content = clone(seedTermsProfiles.puredigital) as Record<string, unknown>;
    delete content.breachScope;
    (content.mainContract as { notice: { value: unknown } }).notice.value = { kind: "fixed", months: "two" };
    const issues = validateNewVersion(content, "2026-06-01", today);
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ["breachScope", "invalid_shape"],
      ["mainContract.notice.months", "invalid_shape"],
    ]);
    expect(issues[0].message.nl).toMatch(/^Ongeldige of ontbrekende waarde/);
  });

  it("rejects a negative liability amount", () => {
    const content = clone(seedTermsProfiles.puredigital);
    content.liabilityCap.value = { ...content.liabilityCap.value!, amountEur: -1 };
    expect(codes(content)).toEqual([["liabilityCap.amountEur", "negative_amount"]]);
  });
});
