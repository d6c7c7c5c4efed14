import { describe, expect, it } from "vitest";
import { authorityDeadline, customerNoticeDeadline } from "~/domain/breach-clock";
import { currentTermEnd } from "~/domain/contract-clock";
import { deadlineState, type DateDeadline, type Deadline } from "~/domain/deadline";
import { endOfContractPlan } from "~/domain/end-of-contract-clock";
import { explainDeadline } from "~/domain/explain-deadline";
import { objectionWindowEnd } from "~/domain/objection-window";
import { effectiveTerms } from "~/domain/terms";
import { demoNegotiatedTerms, seedTermsProfiles } from "../../db/seed/terms-profiles";

const leadcubeNotice = customerNoticeDeadline({
  terms: effectiveTerms(seedTermsProfiles.leadcube, 1),
  breach: { discoveredAt: "2026-03-28T13:00:00.000Z", atThirdParty: false },
  internalTargetHours: 24,
});

function laiMediaWindow(termijnenwet: boolean): DateDeadline {
  const profile = structuredClone(seedTermsProfiles["lai-media"]);
  profile.objectionWindowTermijnenwet = { value: termijnenwet };
  const result = objectionWindowEnd({ terms: effectiveTerms(profile, 1), noticeSentAt: "2026-04-18T08:00:00.000Z" });
  if (result.kind !== "window") throw new Error("expected a window");
  return result.deadline;
}

describe("deadlineState for an instant deadline (24 h, 28-03 13:00Z → 29-03 13:00Z)", () => {
  const startedAt = "2026-03-28T13:00:00.000Z";
  const H = 3_600_000;

  it.each([
    ["2026-03-28T13:00:00.000Z", "on_time", 24 * H],
    ["2026-03-28T20:00:00.000Z", "on_time", 17 * H],
    ["2026-03-29T07:00:00.000Z", "on_time", 6 * H], // exactly 25% left is not yet due soon
    ["2026-03-29T07:00:00.001Z", "due_soon", 6 * H - 1],
    ["2026-03-29T08:00:00.000Z", "due_soon", 5 * H],
    ["2026-03-29T13:00:00.000Z", "due_soon", 0], // the due instant itself is still in time
    ["2026-03-29T13:00:00.001Z", "overdue", -1],
    ["2026-03-30T13:00:00.000Z", "overdue", -24 * H],
  ])("at %s: %s, %i ms left", (now, state, remainingMs) => {
    expect(deadlineState({ deadline: leadcubeNotice, startedAt, now })).toEqual({
      state,
      remainingMs,
      dueAt: "2026-03-29T13:00:00.000Z",
    });
  });

  it.each([
    ["2026-03-29T12:59:00.000Z", "done_on_time", 60_000],
    ["2026-03-29T13:00:00.000Z", "done_on_time", 0],
    ["2026-03-29T13:30:00.000Z", "done_late", -1_800_000],
  ])("done at %s: %s", (doneAt, state, remainingMs) => {
    expect(deadlineState({ deadline: leadcubeNotice, startedAt, now: "2026-04-10T00:00:00.000Z", doneAt })).toEqual({
      state,
      remainingMs,
      dueAt: "2026-03-29T13:00:00.000Z",
    });
  });
});

describe("deadlineState for a date deadline (due 02-05-2026: late from 00:00 CEST on 03-05)", () => {
  const deadline = laiMediaWindow(false);
  const startedAt = "2026-04-18T08:00:00.000Z";

  it.each([
    ["2026-04-20T08:00:00.000Z", "on_time"],
    ["2026-05-01T08:00:00.000Z", "due_soon"],
    ["2026-05-02T21:59:59.999Z", "due_soon"],
    ["2026-05-02T22:00:00.000Z", "overdue"],
  ])("at %s: %s", (now, state) => {
    const status = deadlineState({ deadline, startedAt, now });
    expect(status.state).toBe(state);
    expect(status.dueAt).toBe("2026-05-02T22:00:00.000Z");
  });

  it("an objection received on the last day, late evening, is on time; at midnight it is late", () => {
    expect(deadlineState({ deadline, startedAt, now: "2026-05-10T00:00:00.000Z", doneAt: "2026-05-02T21:30:00.000Z" }).state).toBe("done_on_time");
    expect(deadlineState({ deadline, startedAt, now: "2026-05-10T00:00:00.000Z", doneAt: "2026-05-02T22:00:00.000Z" }).state).toBe("done_late");
  });

  it("rejects an unparseable now", () => {
    expect(() => deadlineState({ deadline, startedAt, now: "now" })).toThrowError(/not a valid instant/);
  });
});

describe("explainDeadline", () => {
  const cases: Array<[string, Deadline, string, string]> = [
    [
      "Leadcube 24 h, over the March DST change",
      leadcubeNotice,
      "24 uur na 28-03-2026 14:00 CET (art. 7.5 verwerkersovereenkomst) → 29-03-2026 15:00 CEST",
      "24 h after 28-03-2026 14:00 CET (Art. 7.5 processor agreement) → 29-03-2026 15:00 CEST",
    ],
    [
      "Lai Media internal target",
      customerNoticeDeadline({
        terms: effectiveTerms(seedTermsProfiles["lai-media"], 1),
        breach: { discoveredAt: "2026-10-24T22:00:00.000Z", atThirdParty: false },
        internalTargetHours: 24,
      }),
      "24 uur na 25-10-2026 00:00 CEST (interne norm, geen contractuele termijn) → 25-10-2026 23:00 CET",
      "24 h after 25-10-2026 00:00 CEST (internal target, not contractual) → 25-10-2026 23:00 CET",
    ],
    [
      "Leadcube negotiated 12 h",
      customerNoticeDeadline({
        terms: effectiveTerms(
          seedTermsProfiles.leadcube,
          1,
          demoNegotiatedTerms.find((d) => d.workspaceSlug === "leadcube")!.deviations,
        ),
        breach: { discoveredAt: "2026-12-31T18:00:00.000Z", atThirdParty: false },
        internalTargetHours: 24,
      }),
      "12 uur na 31-12-2026 19:00 CET (onderhandeld: Side letter informatiebeveiliging, art. 3.2) → 01-01-2027 07:00 CET",
      "12 h after 31-12-2026 19:00 CET (negotiated: Side letter informatiebeveiliging, art. 3.2) → 01-01-2027 07:00 CET",
    ],
    [
      "statutory authority deadline",
      authorityDeadline({ terms: effectiveTerms(seedTermsProfiles.klantgenerator, 1), notifiedAt: "2026-03-27T23:30:00.000Z" }),
      "72 uur na 28-03-2026 00:30 CET (art. 33 lid 1 AVG) → 31-03-2026 01:30 CEST",
      "72 h after 28-03-2026 00:30 CET (Art. 33(1) GDPR) → 31-03-2026 01:30 CEST",
    ],
    [
      "Lai Media window without Termijnenwet",
      laiMediaWindow(false),
      "2 weken na 18-04-2026 10:00 CEST (art. 4.2 Bijlage 1) → 02-05-2026",
      "2 weeks after 18-04-2026 10:00 CEST (Art. 4.2 Annex 1) → 02-05-2026",
    ],
    [
      "window moved by the Termijnenwet",
      laiMediaWindow(true),
      "2 weken na 18-04-2026 10:00 CEST (art. 4.2 Bijlage 1) → 02-05-2026; verschoven naar 04-05-2026 volgens de Algemene termijnenwet (zaterdag 02-05-2026, zondag 03-05-2026)",
      "2 weeks after 18-04-2026 10:00 CEST (Art. 4.2 Annex 1) → 02-05-2026; moved to 04-05-2026 under the Dutch Algemene termijnenwet (Saturday 02-05-2026, Sunday 03-05-2026)",
    ],
    [
      "notice before the end of the term",
      (() => {
        const status = currentTermEnd({ terms: effectiveTerms(seedTermsProfiles["lai-media"], 1), contractStart: "2026-01-15", today: "2026-06-01" });
        if (status.kind !== "running" || !status.lastNoticeDay) throw new Error("expected a running term");
        return status.lastNoticeDay;
      })(),
      "1 maand vóór 14-01-2027 (art. 27.2 algemene voorwaarden) → 14-12-2026",
      "1 month before 14-01-2027 (Art. 27.2 general terms) → 14-12-2026",
    ],
    [
      "exit request on the last day",
      endOfContractPlan({
        terms: effectiveTerms(seedTermsProfiles.klantgenerator, 1),
        contractEndDate: "2026-06-30",
        internalDeletionTargetDays: 30,
      }).exit_request as DateDeadline,
      "uiterlijk op 30-06-2026 (art. 14.7 algemene voorwaarden) → 30-06-2026",
      "by 30-06-2026 (Art. 14.7 general terms) → 30-06-2026",
    ],
    [
      "backup expiry with month-end clamping",
      endOfContractPlan({
        terms: effectiveTerms(seedTermsProfiles.elementon, 1),
        contractEndDate: "2026-08-31",
        internalDeletionTargetDays: 30,
        deletedOn: "2026-08-31",
      }).backup_expiry as DateDeadline,
      "6 maanden na 31-08-2026 (art. 30.12.5 algemene voorwaarden) → 28-02-2027 (geen 31e in die maand: laatste dag van de maand)",
      "6 months after 31-08-2026 (Art. 30.12.5 general terms) → 28-02-2027 (no day 31 in that month: last day of the month)",
    ],
  ];

  it.each(cases)("%s", (_name, deadline, nl, en) => {
    expect(explainDeadline(deadline, "nl")).toBe(nl);
    expect(explainDeadline(deadline, "en")).toBe(en);
  });

  it("names holidays when the Termijnenwet skips them", () => {
    const profile = structuredClone(seedTermsProfiles["lai-media"]);
    profile.objectionWindowTermijnenwet = { value: true };
    const result = objectionWindowEnd({ terms: effectiveTerms(profile, 1), noticeSentAt: "2026-03-20T09:00:00.000Z" });
    if (result.kind !== "window") throw new Error("expected a window");
    expect(explainDeadline(result.deadline, "nl")).toBe(
      "2 weken na 20-03-2026 10:00 CET (art. 4.2 Bijlage 1) → 03-04-2026; verschoven naar 07-04-2026 volgens de Algemene termijnenwet (Goede Vrijdag 03-04-2026, zaterdag 04-04-2026, zondag 05-04-2026, Tweede Paasdag 06-04-2026)",
    );
    expect(explainDeadline(result.deadline, "en")).toContain("(Good Friday 03-04-2026, Saturday 04-04-2026, Sunday 05-04-2026, Easter Monday 06-04-2026)");
  });
});
