import { describe, expect, it } from "vitest";
import { Temporal } from "temporal-polyfill";
import { DomainError } from "~/domain/errors";
import {
  addCalendarPeriod,
  addElapsedHours,
  amsterdamDateOf,
  endOfAmsterdamDay,
  formatAmount,
  formatDisplayInstant,
  parseInstant,
  parsePlainDate,
  subtractCalendarPeriod,
  toIsoInstant,
  weekdayName,
} from "~/domain/time";

const instant = (iso: string) => Temporal.Instant.from(iso);
const date = (iso: string) => Temporal.PlainDate.from(iso);

describe("formatDisplayInstant (Europe/Amsterdam with zone abbreviation)", () => {
  it.each([
    ["2026-03-28T13:00:00.000Z", "28-03-2026 14:00 CET"],
    ["2026-03-29T13:00:00.000Z", "29-03-2026 15:00 CEST"],
    ["2026-03-29T00:59:00.000Z", "29-03-2026 01:59 CET"],
    ["2026-03-29T01:00:00.000Z", "29-03-2026 03:00 CEST"],
    ["2026-10-25T00:30:00.000Z", "25-10-2026 02:30 CEST"],
    ["2026-10-25T01:30:00.000Z", "25-10-2026 02:30 CET"],
    ["2026-12-31T23:30:00.000Z", "01-01-2027 00:30 CET"],
  ])("%s → %s", (iso, expected) => {
    expect(formatDisplayInstant(instant(iso))).toBe(expected);
  });
});

describe("parsing at the domain boundary", () => {
  it("parses ISO instants with Z or an offset, and prints UTC with milliseconds", () => {
    expect(toIsoInstant(parseInstant("2026-03-28T14:00:00+01:00", "at"))).toBe("2026-03-28T13:00:00.000Z");
    expect(toIsoInstant(parseInstant("2026-03-28T13:00:00.000Z", "at"))).toBe("2026-03-28T13:00:00.000Z");
  });

  it.each(["2026-03-28T13:00:00", "2026-13-01T00:00:00Z", "yesterday", ""])("rejects instant %j with a DomainError", (value) => {
    try {
      parseInstant(value, "discoveredAt");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe("invalid_instant");
      expect((error as DomainError).field).toBe("discoveredAt");
      expect((error as DomainError).messages.nl).toContain("geen geldig tijdstip");
    }
  });

  it.each(["2026-02-30", "2026-2-3", "2026-02-03T00:00", "03-02-2026"])("rejects date %j instead of clamping it", (value) => {
    expect(() => parsePlainDate(value, "contractStart")).toThrowError(DomainError);
  });

  it("accepts 29 February only in leap years", () => {
    expect(parsePlainDate("2028-02-29", "d").toString()).toBe("2028-02-29");
    expect(() => parsePlainDate("2027-02-29", "d")).toThrowError(/not a valid date/);
  });
});

describe("elapsed hours", () => {
  it.each([
    ["2026-03-28T13:00:00.000Z", 24, "2026-03-29T13:00:00.000Z"], // spring forward: 24 real hours
    ["2026-10-24T10:00:00.000Z", 48, "2026-10-26T10:00:00.000Z"], // fall back
    ["2026-12-31T20:00:00.000Z", 12, "2027-01-01T08:00:00.000Z"], // year end
    ["2028-02-28T12:00:00.000Z", 48, "2028-03-01T12:00:00.000Z"], // leap day in between
    ["2026-05-01T10:00:00.000Z", 1.5, "2026-05-01T11:30:00.000Z"],
  ])("%s + %d h = %s", (from, hours, expected) => {
    expect(toIsoInstant(addElapsedHours(instant(from), hours))).toBe(expected);
  });
});

describe("calendar arithmetic", () => {
  it.each([
    ["2026-01-31", 1, "months", "2026-02-28"],
    ["2028-01-31", 1, "months", "2028-02-29"],
    ["2028-02-29", 12, "months", "2029-02-28"],
    ["2026-03-31", 1, "months", "2026-04-30"],
    ["2026-12-18", 2, "weeks", "2027-01-01"],
    ["2026-01-30", 30, "days", "2026-03-01"],
    ["2028-01-30", 30, "days", "2028-02-29"],
  ] as const)("%s + %d %s = %s", (from, amount, unit, expected) => {
    expect(addCalendarPeriod(date(from), { amount, unit }).toString()).toBe(expected);
  });

  it("subtracts with the same clamping", () => {
    expect(subtractCalendarPeriod(date("2026-03-31"), { amount: 1, unit: "months" }).toString()).toBe("2026-02-28");
  });

  it("takes the Amsterdam date of an instant, not the UTC date", () => {
    expect(amsterdamDateOf(instant("2026-04-17T22:30:00.000Z")).toString()).toBe("2026-04-18");
    expect(amsterdamDateOf(instant("2026-01-17T22:30:00.000Z")).toString()).toBe("2026-01-17");
  });

  it("ends an Amsterdam day at local midnight in summer and winter", () => {
    expect(toIsoInstant(endOfAmsterdamDay(date("2026-05-02")))).toBe("2026-05-02T22:00:00.000Z");
    expect(toIsoInstant(endOfAmsterdamDay(date("2026-12-02")))).toBe("2026-12-02T23:00:00.000Z");
    expect(toIsoInstant(endOfAmsterdamDay(date("2026-03-28")))).toBe("2026-03-28T23:00:00.000Z");
  });
});

describe("words", () => {
  it("formats amounts in both languages with singular and plural", () => {
    expect(formatAmount(24, "hours", "nl")).toBe("24 uur");
    expect(formatAmount(24, "hours", "en")).toBe("24 h");
    expect(formatAmount(1, "months", "nl")).toBe("1 maand");
    expect(formatAmount(2, "months", "en")).toBe("2 months");
    expect(formatAmount(1, "days", "en")).toBe("1 day");
    expect(formatAmount(2, "weeks", "nl")).toBe("2 weken");
  });

  it("names weekdays", () => {
    expect(weekdayName(date("2026-05-02"), "nl")).toBe("zaterdag");
    expect(weekdayName(date("2026-05-04"), "en")).toBe("Monday");
  });
});
