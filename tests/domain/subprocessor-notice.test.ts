import { describe, expect, it } from "vitest";
import {
  applyChange,
  approvalBlocksUse,
  checkResponse,
  daysLeft,
  earliestStart,
  noticeState,
  objectionClosesAt,
  regimeForNotice,
  startConflicts,
  statusAfterSending,
  type ConflictNotice,
  type NoticeFacts,
  type RegisterEntryFields,
} from "~/domain/subprocessor-notice";
import { effectiveTerms } from "~/domain/terms";
import { demoNegotiatedTerms, seedTermsProfiles } from "../../db/seed/terms-profiles";

const SENT = "2026-11-19T09:30:00.000Z"; // Thursday 19 November 2026, 10:30 CET

function termsOf(slug: keyof typeof seedTermsProfiles, customerIndex?: number) {
  const deviations = demoNegotiatedTerms.find((d) => d.workspaceSlug === slug && d.customerIndex === customerIndex)?.deviations ?? [];
  return effectiveTerms(seedTermsProfiles[slug], 1, deviations);
}

describe("the regime of each seed vendor, from the customer's effective terms", () => {
  it("Leadcube: specific prior authorisation, no window (VO 6)", () => {
    expect(regimeForNotice({ terms: termsOf("leadcube"), noticeSentAt: SENT })).toEqual({
      regime: "approval_required",
      article: "VO 6",
      assumed: false,
      windowEnd: null,
      deadline: null,
    });
  });

  it("Leadcube customer 2, whose negotiated terms only touch breach hours, still needs to approve", () => {
    expect(regimeForNotice({ terms: termsOf("leadcube", 2), noticeSentAt: SENT }).regime).toBe("approval_required");
  });

  it("KlantGenerator: general authorisation without objection right, informational (AV 12.10)", () => {
    expect(regimeForNotice({ terms: termsOf("klantgenerator"), noticeSentAt: SENT })).toMatchObject({
      regime: "informational",
      article: "AV 12.10",
      windowEnd: null,
    });
  });

  it("Lai Media: an objection window of 2 weeks after the notice was sent (B1 4.2)", () => {
    const result = regimeForNotice({ terms: termsOf("lai-media"), noticeSentAt: SENT });
    expect(result).toMatchObject({ regime: "window", article: "B1 4.2", windowEnd: "2026-12-03", assumed: false });
    expect(result.deadline).toMatchObject({ amount: 2, unit: "weeks", due: "2026-12-03", start: { event: "notice_sent", at: SENT } });
  });

  it("Lai Media: a notice sent just after midnight Amsterdam time counts from that Amsterdam date", () => {
    // 23:30 UTC on 19 Nov is 00:30 CET on 20 Nov
    expect(regimeForNotice({ terms: termsOf("lai-media"), noticeSentAt: "2026-11-19T23:30:00.000Z" }).windowEnd).toBe("2026-12-04");
  });

  it("Elementon: objection possible but no window in the terms (AV 30.5.1)", () => {
    expect(regimeForNotice({ terms: termsOf("elementon"), noticeSentAt: SENT })).toMatchObject({
      regime: "objection_without_window",
      article: "AV 30.5.1",
      windowEnd: null,
    });
  });

  it("Elementon customer 1 negotiated 30 days: a dated window from the negotiated clause", () => {
    const result = regimeForNotice({ terms: termsOf("elementon", 1), noticeSentAt: SENT });
    expect(result).toMatchObject({
      regime: "window",
      article: "Aanvullende verwerkersafspraken gemeente, art. 4.3",
      windowEnd: "2026-12-19",
    });
    expect(result.deadline?.basis).toMatchObject({ kind: "contractual", source: "negotiated" });
  });

  it("PureDigital: sub-processors not regulated, the notice is informational (AV 6.9)", () => {
    expect(regimeForNotice({ terms: termsOf("puredigital"), noticeSentAt: SENT })).toMatchObject({ regime: "informational", article: "AV 6.9" });
  });

  it("a customer without a terms version gets the strictest regime, marked as assumed", () => {
    expect(regimeForNotice({ terms: null, noticeSentAt: SENT })).toEqual({
      regime: "approval_required",
      article: null,
      assumed: true,
      windowEnd: null,
      deadline: null,
    });
  });

  it("refuses an unparseable send time", () => {
    expect(() => regimeForNotice({ terms: null, noticeSentAt: "2026-11-19" })).toThrowError(/not a valid instant/);
  });
});

const base: NoticeFacts = {
  regime: "window",
  windowEnd: "2026-12-03",
  plannedStart: "2026-12-10",
  changeStatus: "scheduled",
  response: null,
  resolution: null,
};

describe("noticeState: derived from the dates and the recorded answers", () => {
  it.each([
    ["2026-11-20T10:00:00.000Z", "window_open"],
    ["2026-12-03T22:59:59.999Z", "window_open"], // 23:59:59.999 CET on the last day
    ["2026-12-03T23:00:00.000Z", "accepted_by_silence"], // 00:00 CET on the next day
  ] as const)("window regime at %s → %s", (now, state) => {
    expect(noticeState(base, now)).toBe(state);
  });

  it("objection without window: open until the planned start begins, then no objection", () => {
    const facts: NoticeFacts = { ...base, regime: "objection_without_window", windowEnd: null };
    expect(objectionClosesAt(facts)).toBe("2026-12-09T23:00:00.000Z");
    expect(noticeState(facts, "2026-12-09T22:59:00.000Z")).toBe("objection_open");
    expect(noticeState(facts, "2026-12-09T23:00:00.000Z")).toBe("no_objection");
  });

  it("approval regime: silence is never approval, however late it gets", () => {
    const facts: NoticeFacts = { ...base, regime: "approval_required", windowEnd: null };
    expect(noticeState(facts, "2030-01-01T00:00:00.000Z")).toBe("awaiting_approval");
    expect(noticeState({ ...facts, response: "approved" }, "2026-11-20T10:00:00.000Z")).toBe("approved");
  });

  it("informational stays informational", () => {
    expect(noticeState({ ...base, regime: "informational", windowEnd: null }, "2026-11-20T10:00:00.000Z")).toBe("informed");
  });

  it.each([
    ["withdrew", "withdrawn"],
    ["alternative", "excluded"],
    ["terminates", "terminating"],
    ["cancelled", "cancelled"],
  ] as const)("an objection resolved as %s → %s", (resolution, state) => {
    expect(noticeState({ ...base, response: "objected", resolution }, "2026-11-20T10:00:00.000Z")).toBe(state);
  });

  it("an objection waiting for resolution stays objected after the window", () => {
    expect(noticeState({ ...base, response: "objected" }, "2027-01-01T10:00:00.000Z")).toBe("objected");
  });

  it("a cancelled change is cancelled for every customer", () => {
    expect(noticeState({ ...base, changeStatus: "cancelled", response: "approved" }, "2026-11-20T10:00:00.000Z")).toBe("cancelled");
  });
});

describe("checkResponse: who may still answer", () => {
  const inWindow = "2026-11-25T10:00:00.000Z";
  const afterWindow = "2026-12-04T10:00:00.000Z";
  const reasons = "Wij verwerken patiëntgegevens en willen geen nieuwe partij.";

  it("accepts an objection with reasons inside the window", () => {
    expect(checkResponse(base, { kind: "objected", reasons }, inWindow)).toEqual({ ok: true });
  });

  it("refuses an objection without (enough) written reasons", () => {
    expect(checkResponse(base, { kind: "objected", reasons: "   nee   " }, inWindow)).toEqual({ ok: false, refusal: "reasons_required" });
  });

  it("refuses an objection after the window", () => {
    expect(checkResponse(base, { kind: "objected", reasons }, afterWindow)).toEqual({ ok: false, refusal: "window_closed" });
  });

  it("refuses a second answer", () => {
    expect(checkResponse({ ...base, response: "approved" }, { kind: "objected", reasons }, inWindow)).toEqual({ ok: false, refusal: "already_responded" });
  });

  it("refuses an answer to an informational notice", () => {
    expect(checkResponse({ ...base, regime: "informational", windowEnd: null }, { kind: "approved", reasons: "" }, inWindow)).toEqual({
      ok: false,
      refusal: "no_response_right",
    });
  });

  it("takes an approval under the approval regime at any time", () => {
    expect(checkResponse({ ...base, regime: "approval_required", windowEnd: null }, { kind: "approved", reasons: "" }, "2027-06-01T10:00:00.000Z")).toEqual({
      ok: true,
    });
  });

  it("refuses answers once the change is cancelled or the objection resolved", () => {
    expect(checkResponse({ ...base, changeStatus: "cancelled" }, { kind: "approved", reasons: "" }, inWindow)).toEqual({ ok: false, refusal: "change_closed" });
    expect(checkResponse({ ...base, response: "objected", resolution: "withdrew" }, { kind: "approved", reasons: "" }, inWindow)).toEqual({
      ok: false,
      refusal: "change_closed",
    });
  });
});

describe("startConflicts: the start may not fall on or before a window's last day, nor before approvals", () => {
  const notice = (over: Partial<ConflictNotice>): ConflictNotice => ({
    customerId: "c",
    customerName: "Klant",
    regime: "window",
    windowEnd: "2026-12-03",
    response: null,
    resolution: null,
    respondedAt: null,
    ...over,
  });

  it.each([
    ["2026-12-03", 1], // on the last day: refused
    ["2026-12-02", 1],
    ["2026-12-04", 0], // the day after: fine
  ])("start %s with a window ending 2026-12-03 → %i conflict(s)", (plannedStart, n) => {
    expect(startConflicts({ plannedStart, notices: [notice({})], phase: "send" })).toHaveLength(n);
  });

  it("names the customer and the date that conflicts", () => {
    expect(startConflicts({ plannedStart: "2026-12-01", notices: [notice({ customerId: "a", customerName: "Webbureau Maasland" })], phase: "send" })).toEqual([
      { kind: "window_not_closed", customerId: "a", customerName: "Webbureau Maasland", windowEnd: "2026-12-03" },
    ]);
  });

  it("at sending, an approval regime is no conflict yet; when accepting the start, a missing approval is", () => {
    const n = notice({ regime: "approval_required", windowEnd: null });
    expect(startConflicts({ plannedStart: "2026-12-10", notices: [n], phase: "send" })).toEqual([]);
    expect(startConflicts({ plannedStart: "2026-12-10", notices: [n], phase: "accept" })).toEqual([
      { kind: "approval_missing", customerId: "c", customerName: "Klant" },
    ]);
    expect(startConflicts({ plannedStart: "2026-12-10", notices: [{ ...n, response: "approved" }], phase: "accept" })).toEqual([]);
  });

  it("an open objection blocks accepting the start; a resolved one does not", () => {
    const objected = notice({ response: "objected", respondedAt: "2026-11-21T10:00:00.000Z", windowEnd: "2026-11-30" });
    expect(startConflicts({ plannedStart: "2026-12-10", notices: [objected], phase: "accept" })).toEqual([
      { kind: "objection_open", customerId: "c", customerName: "Klant", respondedAt: "2026-11-21T10:00:00.000Z" },
    ]);
    expect(startConflicts({ plannedStart: "2026-12-10", notices: [{ ...objected, resolution: "withdrew" }], phase: "accept" })).toEqual([]);
  });

  it("a customer who said it does not object no longer holds the start back", () => {
    expect(startConflicts({ plannedStart: "2026-12-01", notices: [notice({ response: "approved" })], phase: "accept" })).toEqual([]);
  });

  it("informational and window-less regimes never conflict with the date", () => {
    const notices = [notice({ regime: "informational", windowEnd: null }), notice({ regime: "objection_without_window", windowEnd: null })];
    expect(startConflicts({ plannedStart: "2026-11-20", notices, phase: "accept" })).toEqual([]);
  });

  it("earliestStart is the day after the latest window end, and never before today", () => {
    expect(earliestStart(["2026-12-03", null, "2026-12-19"], "2026-11-22")).toBe("2026-12-20");
    expect(earliestStart([], "2026-11-22")).toBe("2026-11-22");
  });
});

describe("what the dates and answers mean for use and for the register", () => {
  it("approval regime: the sub-processor is not used for the customer until it approves (or withdraws its refusal)", () => {
    const facts = { regime: "approval_required", response: null, resolution: null, changeStatus: "awaiting_approval" } as const;
    expect(approvalBlocksUse(facts)).toBe(true);
    expect(approvalBlocksUse({ ...facts, response: "approved" })).toBe(false);
    expect(approvalBlocksUse({ ...facts, response: "objected", resolution: "withdrew" })).toBe(false);
    expect(approvalBlocksUse({ ...facts, response: "objected", resolution: "terminates" })).toBe(true);
    expect(approvalBlocksUse({ ...facts, regime: "window" })).toBe(false);
  });

  it("status after sending: awaiting approval when any customer must approve", () => {
    expect(statusAfterSending(["window", "approval_required"])).toBe("awaiting_approval");
    expect(statusAfterSending(["window", "informational"])).toBe("scheduled");
  });

  const entry: RegisterEntryFields = {
    status: "active",
    startDate: "2020-01-01",
    endDate: null,
    locations: ["NL"],
    transferSafeguard: null,
    purposeNl: "Oud",
    purposeEn: "Old",
  };
  const change = { plannedStart: "2026-12-10", newLocations: null, newTransferSafeguard: null, newPurposeNl: null, newPurposeEn: null };

  it("a new sub-processor becomes active from the start; a replacement also retires the old one the day before", () => {
    const proposed = { ...entry, status: "proposed" as const, startDate: null };
    expect(applyChange({ ...change, kind: "new" }, proposed, null)).toEqual({ subject: { status: "active", startDate: "2026-12-10", endDate: null }, replaced: null });
    expect(applyChange({ ...change, kind: "replacement" }, proposed, entry)).toEqual({
      subject: { status: "active", startDate: "2026-12-10", endDate: null },
      replaced: { status: "retired", endDate: "2026-12-09" },
    });
  });

  it("a removal ends use the day before the start; location and purpose changes replace those fields", () => {
    expect(applyChange({ ...change, kind: "removal" }, entry, null).subject).toEqual({ status: "retired", endDate: "2026-12-09" });
    expect(applyChange({ ...change, kind: "location", newLocations: ["NL", "US"], newTransferSafeguard: "scc" }, entry, null).subject).toEqual({
      locations: ["NL", "US"],
      transferSafeguard: "scc",
    });
    expect(applyChange({ ...change, kind: "purpose", newPurposeNl: "Nieuw", newPurposeEn: "New" }, entry, null).subject).toEqual({
      purposeNl: "Nieuw",
      purposeEn: "New",
    });
  });

  it("daysLeft rounds down and stops at zero", () => {
    expect(daysLeft("2026-11-22T10:00:00.000Z", "2026-12-03T23:00:00.000Z")).toBe(11);
    expect(daysLeft("2026-12-04T10:00:00.000Z", "2026-12-03T23:00:00.000Z")).toBe(0);
  });
});
