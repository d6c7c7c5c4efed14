/**
 * Dutch public holidays as the Algemene termijnenwet counts them (art. 3): New Year's Day,
 * Good Friday (equated by art. 3(2)), Easter Monday, King's Day, 5 May (every year),
 * Ascension Day, Whit Monday, Christmas Day and Boxing Day. General holiday libraries do not
 * match this list, so it is computed here from the date of Easter.
 *
 * Dates go in as "YYYY-MM-DD" strings or Temporal.PlainDate and come out as strings.
 */
import { Temporal } from "temporal-polyfill";
import type { LocalizedText } from "./locale";
import { parsePlainDate } from "./time";

export type DutchHolidayKey =
  | "new_years_day"
  | "good_friday"
  | "easter_monday"
  | "kings_day"
  | "liberation_day"
  | "ascension_day"
  | "whit_monday"
  | "christmas_day"
  | "boxing_day";

export type DutchHoliday = { key: DutchHolidayKey; date: string; name: LocalizedText };

/** Why a date is not a working day under the Algemene termijnenwet. */
export type NonWorkingDay = {
  date: string;
  reason: "saturday" | "sunday" | "holiday";
  holiday?: DutchHolidayKey;
  name: LocalizedText;
};

export const DUTCH_HOLIDAY_NAMES: Record<DutchHolidayKey, LocalizedText> = {
  new_years_day: { nl: "Nieuwjaarsdag", en: "New Year's Day" },
  good_friday: { nl: "Goede Vrijdag", en: "Good Friday" },
  easter_monday: { nl: "Tweede Paasdag", en: "Easter Monday" },
  kings_day: { nl: "Koningsdag", en: "King's Day" },
  liberation_day: { nl: "Bevrijdingsdag (5 mei)", en: "Liberation Day (5 May)" },
  ascension_day: { nl: "Hemelvaartsdag", en: "Ascension Day" },
  whit_monday: { nl: "Tweede Pinksterdag", en: "Whit Monday" },
  christmas_day: { nl: "Eerste Kerstdag", en: "Christmas Day" },
  boxing_day: { nl: "Tweede Kerstdag", en: "Boxing Day" },
};

const SATURDAY: LocalizedText = { nl: "zaterdag", en: "Saturday" };
const SUNDAY: LocalizedText = { nl: "zondag", en: "Sunday" };

function toPlainDate(date: Temporal.PlainDate | string): Temporal.PlainDate {
  return typeof date === "string" ? parsePlainDate(date, "date") : date;
}

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): Temporal.PlainDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Temporal.PlainDate.from({ year, month, day });
}

/** 27 April, or 26 April when the 27th is a Sunday. */
function kingsDay(year: number): Temporal.PlainDate {
  const april27 = Temporal.PlainDate.from({ year, month: 4, day: 27 });
  return april27.dayOfWeek === 7 ? april27.subtract({ days: 1 }) : april27;
}

/** The nine holidays of the Algemene termijnenwet in that year, in date order. */
export function dutchPublicHolidays(year: number): DutchHoliday[] {
  const easter = easterSunday(year);
  const fixed = (month: number, day: number) => Temporal.PlainDate.from({ year, month, day });
  const dates: Array<[DutchHolidayKey, Temporal.PlainDate]> = [
    ["new_years_day", fixed(1, 1)],
    ["good_friday", easter.subtract({ days: 2 })],
    ["easter_monday", easter.add({ days: 1 })],
    ["kings_day", kingsDay(year)],
    ["liberation_day", fixed(5, 5)],
    ["ascension_day", easter.add({ days: 39 })],
    ["whit_monday", easter.add({ days: 50 })],
    ["christmas_day", fixed(12, 25)],
    ["boxing_day", fixed(12, 26)],
  ];
  return dates
    .sort(([, x], [, y]) => Temporal.PlainDate.compare(x, y))
    .map(([key, date]) => ({ key, date: date.toString(), name: DUTCH_HOLIDAY_NAMES[key] }));
}

/** Per-year lookup by date, computed once per year (clocks ask day by day). */
const holidaysByYear = new Map<number, ReadonlyMap<string, DutchHoliday>>();

function holidayIndex(year: number): ReadonlyMap<string, DutchHoliday> {
  let index = holidaysByYear.get(year);
  if (!index) {
    index = new Map(dutchPublicHolidays(year).map((holiday) => [holiday.date, holiday]));
    holidaysByYear.set(year, index);
  }
  return index;
}

export function dutchHolidayOn(date: Temporal.PlainDate | string): DutchHoliday | null {
  const day = toPlainDate(date);
  const holiday = holidayIndex(day.year).get(day.toString());
  return holiday ? { ...holiday } : null;
}

/** Why the date is not a working day, or null when it is one. A holiday on a weekend reports the holiday. */
export function nonWorkingDay(date: Temporal.PlainDate | string): NonWorkingDay | null {
  const day = toPlainDate(date);
  const holiday = dutchHolidayOn(day);
  if (holiday) return { date: day.toString(), reason: "holiday", holiday: holiday.key, name: holiday.name };
  if (day.dayOfWeek === 6) return { date: day.toString(), reason: "saturday", name: SATURDAY };
  if (day.dayOfWeek === 7) return { date: day.toString(), reason: "sunday", name: SUNDAY };
  return null;
}

export function isDutchWorkingDay(date: Temporal.PlainDate | string): boolean {
  return nonWorkingDay(date) === null;
}

/** The first working day strictly after the date. */
export function nextDutchWorkingDay(date: Temporal.PlainDate | string): string {
  let day = toPlainDate(date).add({ days: 1 });
  while (!isDutchWorkingDay(day)) day = day.add({ days: 1 });
  return day.toString();
}

/**
 * Art. 1(1) Algemene termijnenwet: a term that ends on a Saturday, Sunday or holiday is
 * extended to the next working day. Returns the (possibly moved) end and the skipped days.
 */
export function extendToWorkingDay(date: Temporal.PlainDate): { date: Temporal.PlainDate; skipped: NonWorkingDay[] } {
  const skipped: NonWorkingDay[] = [];
  let day = date;
  for (let reason = nonWorkingDay(day); reason; reason = nonWorkingDay(day)) {
    skipped.push(reason);
    day = day.add({ days: 1 });
  }
  return { date: day, skipped };
}
