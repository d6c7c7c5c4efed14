import { describe, expect, it } from "vitest";
import {
  breachNoticeThresholds,
  contractNoticeThresholds,
  daysUntil,
  dpaSignatureThresholds,
  dueDateThresholds,
  endOfDay,
  instantOverdueThreshold,
  latestPassed,
  objectionWindowThresholds,
} from "~/domain/reminder-schedule";
import { formatDisplayInstant } from "~/domain/time";
import { Temporal } from "temporal-polyfill";

const show = (iso: string) => formatDisplayInstant(Temporal.Instant.from(iso));

describe("breach notice thresholds", () => {
  it("are elapsed shares of the span, unmoved by the DST change of 25 October 2026", () => {
    // 24 h from Saturday 24-10-2026 14:00 CEST to Sunday 25-10-2026 13:00 CET (clocks go back at 03:00 CEST)
    const thresholds = breachNoticeThresholds("2026-10-24T12:00:00.000Z", "2026-10-25T12:00:00.000Z");
    expect(thresholds).toEqual([
      { threshold: "50", at: "2026-10-25T00:00:00.000Z" },
      { threshold: "75", at: "2026-10-25T06:00:00.000Z" },
      { threshold: "90", at: "2026-10-25T09:36:00.000Z" },
    ]);
    expect(thresholds.map((t) => show(t.at))).toEqual(["25-10-2026 02:00 CEST", "25-10-2026 07:00 CET", "25-10-2026 10:36 CET"]);
  });

  it("handle the spring change of 28 March 2027 the same way", () => {
    const thresholds = breachNoticeThresholds("2027-03-27T20:00:00.000Z", "2027-03-28T08:00:00.000Z");
    expect(thresholds.map((t) => show(t.at))).toEqual(["28-03-2027 04:00 CEST", "28-03-2027 07:00 CEST", "28-03-2027 08:48 CEST"]);
  });

  it("are empty for a span that does not run forward, and overdue is the due instant", () => {
    expect(breachNoticeThresholds("2026-10-25T12:00:00.000Z", "2026-10-25T12:00:00.000Z")).toEqual([]);
    expect(instantOverdueThreshold("2026-10-25T12:00:00.000Z")).toEqual({ threshold: "overdue", at: "2026-10-25T12:00:00.000Z" });
  });
});

describe("day-based thresholds", () => {
  it("DPA signature: 7 and 14 calendar days later at the same Amsterdam time, across the spring change", () => {
    // sent Thursday 25-03-2027 11:00 CET; 7 days later is 01-04-2027 11:00 CEST (09:00 UTC, not 10:00)
    expect(dpaSignatureThresholds("2027-03-25T10:00:00.000Z")).toEqual([
      { threshold: "7d", at: "2027-04-01T09:00:00.000Z" },
      { threshold: "14d", at: "2027-04-08T09:00:00.000Z" },
    ]);
  });

  it("contract notice: 30 and 7 days before the last notice day, at 09:00 Amsterdam in either season", () => {
    const thresholds = contractNoticeThresholds("2026-11-30");
    expect(thresholds).toEqual([
      { threshold: "30d", at: "2026-10-31T08:00:00.000Z" },
      { threshold: "7d", at: "2026-11-23T08:00:00.000Z" },
    ]);
    expect(contractNoticeThresholds("2026-11-20")[0]).toEqual({ threshold: "30d", at: "2026-10-21T07:00:00.000Z" });
  });

  it("tasks: 7 days before and on the day at 09:00, overdue from 00:00 the next day", () => {
    expect(dueDateThresholds("2027-03-30").map((t) => [t.threshold, show(t.at)])).toEqual([
      ["7d", "23-03-2027 09:00 CET"],
      ["due", "30-03-2027 09:00 CEST"],
      ["overdue", "31-03-2027 00:00 CEST"],
    ]);
  });

  it("objection window: 3 days before and the day before the last day; none before the notice was sent", () => {
    expect(objectionWindowThresholds("2026-11-16", "2026-11-02T10:00:00.000Z").map((t) => [t.threshold, show(t.at)])).toEqual([
      ["3d", "13-11-2026 09:00 CET"],
      ["1d", "15-11-2026 09:00 CET"],
    ]);
    expect(objectionWindowThresholds("2026-11-16", "2026-11-14T10:00:00.000Z").map((t) => t.threshold)).toEqual(["1d"]);
  });

  it("endOfDay and daysUntil count Amsterdam calendar days", () => {
    expect(endOfDay("2026-10-25")).toBe("2026-10-25T23:00:00.000Z");
    expect(daysUntil("2026-11-30", "2026-11-23T08:00:00.000Z")).toBe(7);
    expect(daysUntil("2026-11-30", "2026-11-22T23:30:00.000Z")).toBe(7);
  });
});

describe("latestPassed", () => {
  const thresholds = breachNoticeThresholds("2026-10-24T12:00:00.000Z", "2026-10-25T12:00:00.000Z");

  it("is nothing before the first threshold, then each threshold from its moment on", () => {
    expect(latestPassed(thresholds, "2026-10-24T23:59:59.999Z")).toBeNull();
    expect(latestPassed(thresholds, "2026-10-25T00:00:00.000Z")?.threshold).toBe("50");
    expect(latestPassed(thresholds, "2026-10-25T05:59:59.999Z")?.threshold).toBe("50");
    expect(latestPassed(thresholds, "2026-10-25T06:00:00.000Z")?.threshold).toBe("75");
  });

  it("after downtime gives only the latest passed threshold, and nothing once the clock ended", () => {
    expect(latestPassed(thresholds, "2026-10-25T10:00:00.000Z", "2026-10-25T12:00:00.000Z")?.threshold).toBe("90");
    expect(latestPassed(thresholds, "2026-10-25T12:00:00.000Z", "2026-10-25T12:00:00.000Z")).toBeNull();
  });
});
