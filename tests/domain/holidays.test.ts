import { describe, expect, it } from "vitest";
import {
  dutchHolidayOn,
  dutchPublicHolidays,
  easterSunday,
  extendToWorkingDay,
  isDutchWorkingDay,
  nextDutchWorkingDay,
  nonWorkingDay,
} from "~/domain/holidays";
import { Temporal } from "temporal-polyfill";

describe("easterSunday", () => {
  it.each([
    [2024, "2024-03-31"],
    [2025, "2025-04-20"],
    [2026, "2026-04-05"],
    [2027, "2027-03-28"],
    [2028, "2028-04-16"],
    [2029, "2029-04-01"],
    [2030, "2030-04-21"],
  ])("Easter %i is on %s", (year, expected) => {
    expect(easterSunday(year).toString()).toBe(expected);
  });
});

describe("dutchPublicHolidays (Algemene termijnenwet)", () => {
  const expected: Record<number, string[]> = {
    // new year, good friday, easter monday, king's day, 5 may, ascension, whit monday, christmas, boxing day
    2025: ["2025-01-01", "2025-04-18", "2025-04-21", "2025-04-26", "2025-05-05", "2025-05-29", "2025-06-09", "2025-12-25", "2025-12-26"],
    2026: ["2026-01-01", "2026-04-03", "2026-04-06", "2026-04-27", "2026-05-05", "2026-05-14", "2026-05-25", "2026-12-25", "2026-12-26"],
    2027: ["2027-01-01", "2027-03-26", "2027-03-29", "2027-04-27", "2027-05-05", "2027-05-06", "2027-05-17", "2027-12-25", "2027-12-26"],
    2028: ["2028-01-01", "2028-04-14", "2028-04-17", "2028-04-27", "2028-05-05", "2028-05-25", "2028-06-05", "2028-12-25", "2028-12-26"],
    2029: ["2029-01-01", "2029-03-30", "2029-04-02", "2029-04-27", "2029-05-05", "2029-05-10", "2029-05-21", "2029-12-25", "2029-12-26"],
    2030: ["2030-01-01", "2030-04-19", "2030-04-22", "2030-04-27", "2030-05-05", "2030-05-30", "2030-06-10", "2030-12-25", "2030-12-26"],
  };

  it.each(Object.entries(expected))("%s has exactly the nine holidays on the right dates", (year, dates) => {
    const holidays = dutchPublicHolidays(Number(year));
    expect(holidays.map((h) => h.date)).toEqual(dates);
    expect(holidays.map((h) => h.key)).toEqual([
      "new_years_day",
      "good_friday",
      "easter_monday",
      "kings_day",
      "liberation_day",
      "ascension_day",
      "whit_monday",
      "christmas_day",
      "boxing_day",
    ]);
  });

  it("moves King's Day to 26 April when 27 April is a Sunday (2025), not when it is a Saturday (2030)", () => {
    expect(dutchHolidayOn("2025-04-26")?.key).toBe("kings_day");
    expect(dutchHolidayOn("2025-04-27")).toBeNull();
    expect(dutchHolidayOn("2030-04-27")?.key).toBe("kings_day");
    expect(dutchHolidayOn("2030-04-26")).toBeNull();
  });

  it("counts 5 May every year, including years that are not lustrum years", () => {
    expect(dutchHolidayOn("2026-05-05")?.name).toEqual({ nl: "Bevrijdingsdag (5 mei)", en: "Liberation Day (5 May)" });
    expect(dutchHolidayOn("2027-05-05")?.key).toBe("liberation_day");
  });

  it("names holidays in Dutch and English", () => {
    expect(dutchHolidayOn("2026-04-03")?.name).toEqual({ nl: "Goede Vrijdag", en: "Good Friday" });
    expect(dutchHolidayOn("2026-05-25")?.name).toEqual({ nl: "Tweede Pinksterdag", en: "Whit Monday" });
  });

  it("does not count Easter Sunday's neighbours that are not in the list (Friday after Ascension, Whit Sunday is a Sunday)", () => {
    expect(dutchHolidayOn("2026-05-15")).toBeNull();
    expect(isDutchWorkingDay("2026-05-15")).toBe(true);
    expect(nonWorkingDay("2026-05-24")).toMatchObject({ reason: "sunday" });
  });
});

describe("isDutchWorkingDay / nextDutchWorkingDay", () => {
  it.each([
    ["2026-04-02", true], // Thursday before Good Friday
    ["2026-04-03", false], // Good Friday
    ["2026-04-06", false], // Easter Monday
    ["2026-04-07", true],
    ["2026-05-02", false], // Saturday
    ["2026-05-03", false], // Sunday
    ["2026-05-04", true],
    ["2026-12-24", true],
    ["2026-12-25", false],
  ])("%s working day: %s", (date, expected) => {
    expect(isDutchWorkingDay(date)).toBe(expected);
  });

  it.each([
    ["2026-04-02", "2026-04-07"], // over Good Friday, the weekend and Easter Monday
    ["2026-04-24", "2026-04-28"], // Friday → weekend → King's Day (Mon 27) → Tuesday
    ["2026-05-04", "2026-05-06"], // over 5 May (Tuesday)
    ["2026-05-13", "2026-05-15"], // over Ascension Day
    ["2026-12-24", "2026-12-28"], // over Christmas, Boxing Day (Saturday) and Sunday
    ["2026-12-31", "2027-01-04"], // over New Year (Friday) and the weekend
    ["2029-05-04", "2029-05-07"], // 5 May 2029 is a Saturday
  ])("after %s the next working day is %s", (date, expected) => {
    expect(nextDutchWorkingDay(date)).toBe(expected);
  });

  it("reports a holiday that falls on a weekend as the holiday", () => {
    expect(nonWorkingDay("2026-12-26")).toEqual({
      date: "2026-12-26",
      reason: "holiday",
      holiday: "boxing_day",
      name: { nl: "Tweede Kerstdag", en: "Boxing Day" },
    });
  });

  it("rejects a malformed date", () => {
    expect(() => isDutchWorkingDay("2026-02-30")).toThrowError(/not a valid date/);
  });
});

describe("extendToWorkingDay", () => {
  it("keeps a working day and lists nothing", () => {
    const result = extendToWorkingDay(Temporal.PlainDate.from("2026-05-04"));
    expect(result.date.toString()).toBe("2026-05-04");
    expect(result.skipped).toEqual([]);
  });

  it("moves Good Friday 2026 to the Tuesday after Easter and lists the four skipped days", () => {
    const result = extendToWorkingDay(Temporal.PlainDate.from("2026-04-03"));
    expect(result.date.toString()).toBe("2026-04-07");
    expect(result.skipped.map((d) => [d.date, d.reason, d.holiday ?? null])).toEqual([
      ["2026-04-03", "holiday", "good_friday"],
      ["2026-04-04", "saturday", null],
      ["2026-04-05", "sunday", null],
      ["2026-04-06", "holiday", "easter_monday"],
    ]);
  });
});
