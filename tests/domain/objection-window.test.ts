import { describe, expect, it } from "vitest";
import type { DateDeadline } from "~/domain/deadline";
import { objectionWindowEnd, type ObjectionWindowResult } from "~/domain/objection-window";
import { effectiveTerms, type TermsProfile } from "~/domain/terms";
import { demoNegotiatedTerms, seedTermsProfiles } from "../../db/seed/terms-profiles";

function windowOf(result: ObjectionWindowResult): DateDeadline {
  if (result.kind !== "window") throw new Error(`expected a window, got ${result.kind}`);
  return result.deadline;
}

/** Lai Media's profile with the Algemene termijnenwet switched on for the window. */
function laiMediaWithTermijnenwet(): TermsProfile {
  const profile = structuredClone(seedTermsProfiles["lai-media"]);
  profile.objectionWindowTermijnenwet = { value: true, note: "test: contract applies the Atw" };
  return profile;
}

describe("objectionWindowEnd by regime", () => {
  it("Leadcube needs prior approval: no window runs", () => {
    expect(objectionWindowEnd({ terms: effectiveTerms(seedTermsProfiles.leadcube, 1), noticeSentAt: "2026-04-18T08:00:00.000Z" })).toEqual({
      kind: "approval_required",
      article: "VO 6",
    });
  });

  it.each([
    ["klantgenerator", "AV 12.10"],
    ["puredigital", "AV 6.9"],
  ] as const)("%s has no objection right: the notice is informational", (slug, article) => {
    expect(objectionWindowEnd({ terms: effectiveTerms(seedTermsProfiles[slug], 1), noticeSentAt: "2026-04-18T08:00:00.000Z" })).toEqual({
      kind: "informational",
      article,
    });
  });

  it("Elementon allows objection without a window", () => {
    expect(objectionWindowEnd({ terms: effectiveTerms(seedTermsProfiles.elementon, 1), noticeSentAt: "2026-04-18T08:00:00.000Z" })).toEqual({
      kind: "objection_without_window",
      article: "AV 30.5.1",
    });
  });

  it("an Elementon customer with a negotiated 30-day window gets a dated window from the clause", () => {
    const deviations = demoNegotiatedTerms.find((d) => d.workspaceSlug === "elementon" && d.customerIndex === 1)!.deviations;
    const deadline = windowOf(
      objectionWindowEnd({ terms: effectiveTerms(seedTermsProfiles.elementon, 1, deviations), noticeSentAt: "2026-01-30T09:00:00.000Z" }),
    );
    expect(deadline.due).toBe("2026-03-01");
    expect(deadline.unit).toBe("days");
    expect(deadline.amount).toBe(30);
    expect(deadline.basis).toMatchObject({ kind: "contractual", source: "negotiated", clause: "Aanvullende verwerkersafspraken gemeente, art. 4.3" });
  });
});

describe("Lai Media: 2 weeks after the notice was sent (B1 4.2), contractual, no Termijnenwet", () => {
  const terms = effectiveTerms(seedTermsProfiles["lai-media"], 1);

  it.each([
    ["2026-04-18T08:00:00.000Z", "2026-05-02"], // ends on a Saturday and stays there
    ["2026-04-17T22:30:00.000Z", "2026-05-02"], // 00:30 CEST on the 18th: counts from the Amsterdam date
    ["2026-04-17T21:30:00.000Z", "2026-05-01"], // 23:30 CEST on the 17th
    ["2026-12-18T10:00:00.000Z", "2027-01-01"], // over the year end, ends on New Year's Day
    ["2028-02-15T10:00:00.000Z", "2028-02-29"], // leap day
  ])("sent %s → ends %s", (noticeSentAt, due) => {
    const deadline = windowOf(objectionWindowEnd({ terms, noticeSentAt }));
    expect(deadline.due).toBe(due);
    expect(deadline.adjustments).toEqual([]);
    expect(deadline.start).toEqual({ event: "notice_sent", at: noticeSentAt });
    expect(deadline.basis).toEqual({ kind: "contractual", article: "B1 4.2", source: "profile", version: 1 });
  });
});

describe("a window with the Algemene termijnenwet switched on", () => {
  const terms = effectiveTerms(laiMediaWithTermijnenwet(), 2);

  it.each([
    // sent, unmoved end, moved end, skipped days
    ["2026-04-18T08:00:00.000Z", "2026-05-02", "2026-05-04", ["2026-05-02 saturday", "2026-05-03 sunday"]],
    ["2026-04-13T08:00:00.000Z", "2026-04-27", "2026-04-28", ["2026-04-27 kings_day"]],
    ["2026-04-21T08:00:00.000Z", "2026-05-05", "2026-05-06", ["2026-05-05 liberation_day"]],
    [
      "2026-03-20T09:00:00.000Z",
      "2026-04-03",
      "2026-04-07",
      ["2026-04-03 good_friday", "2026-04-04 saturday", "2026-04-05 sunday", "2026-04-06 easter_monday"],
    ],
    ["2026-12-11T09:00:00.000Z", "2026-12-25", "2026-12-28", ["2026-12-25 christmas_day", "2026-12-26 boxing_day", "2026-12-27 sunday"]],
    ["2026-12-18T09:00:00.000Z", "2027-01-01", "2027-01-04", ["2027-01-01 new_years_day", "2027-01-02 saturday", "2027-01-03 sunday"]],
    ["2026-04-30T09:00:00.000Z", "2026-05-14", "2026-05-15", ["2026-05-14 ascension_day"]],
    ["2026-05-11T09:00:00.000Z", "2026-05-25", "2026-05-26", ["2026-05-25 whit_monday"]],
  ])("sent %s: %s moves to %s", (noticeSentAt, from, to, skipped) => {
    const deadline = windowOf(objectionWindowEnd({ terms, noticeSentAt }));
    expect(deadline.due).toBe(to);
    expect(deadline.adjustments).toHaveLength(1);
    const [adjustment] = deadline.adjustments;
    if (adjustment.kind !== "termijnenwet") throw new Error("expected a termijnenwet adjustment");
    expect(adjustment.from).toBe(from);
    expect(adjustment.to).toBe(to);
    expect(adjustment.skipped.map((d) => `${d.date} ${d.holiday ?? d.reason}`)).toEqual(skipped);
  });

  it("leaves a window that ends on a working day alone", () => {
    const deadline = windowOf(objectionWindowEnd({ terms, noticeSentAt: "2026-04-20T08:00:00.000Z" }));
    expect(deadline.due).toBe("2026-05-04");
    expect(deadline.adjustments).toEqual([]);
  });
});

describe("month windows clamp at month ends", () => {
  function monthWindow(noticeSentAt: string) {
    const profile = structuredClone(seedTermsProfiles["lai-media"]);
    profile.objectionWindow = { value: { amount: 1, unit: "months", from: "notice_sent" }, article: "B1 4.2" };
    return windowOf(objectionWindowEnd({ terms: effectiveTerms(profile, 1), noticeSentAt }));
  }

  it.each([
    ["2026-01-31T10:00:00.000Z", "2026-02-28"],
    ["2028-01-31T10:00:00.000Z", "2028-02-29"],
    ["2026-03-31T10:00:00.000Z", "2026-04-30"],
  ])("sent %s → %s, with the clamp recorded", (noticeSentAt, due) => {
    const deadline = monthWindow(noticeSentAt);
    expect(deadline.due).toBe(due);
    expect(deadline.adjustments).toEqual([{ kind: "month_end_clamped", requestedDay: 31, to: due }]);
  });

  it("does not record a clamp when the day exists", () => {
    expect(monthWindow("2026-01-15T10:00:00.000Z")).toMatchObject({ due: "2026-02-15", adjustments: [] });
  });
});

describe("bad input", () => {
  it("rejects an unparseable notice time", () => {
    expect(() => objectionWindowEnd({ terms: effectiveTerms(seedTermsProfiles["lai-media"], 1), noticeSentAt: "2026-04-18" })).toThrowError(
      /not a valid instant/,
    );
  });
});
