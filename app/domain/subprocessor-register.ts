/**
 * The sub-processor register's rules: countries (ISO 3166-1 alpha-2), which of them are in the EEA,
 * which safeguard a transfer outside the EEA needs (Arts. 45–47 GDPR), the lifecycle of an entry
 * (proposed → active → retired, with start and end dates) and what a change does to an entry.
 * Pure: no I/O, the caller passes the date.
 */
import { Temporal } from "temporal-polyfill";
import type { Locale } from "./locale";
import { parsePlainDate } from "./time";

export type TransferSafeguard = "adequacy" | "scc" | "bcr";
export const TRANSFER_SAFEGUARDS: readonly TransferSafeguard[] = ["adequacy", "scc", "bcr"];

export type SubprocessorStatus = "proposed" | "active" | "retired";
export const SUBPROCESSOR_STATUSES: readonly SubprocessorStatus[] = ["proposed", "active", "retired"];

/** The 27 EU member states plus Iceland, Liechtenstein and Norway. Greece is "GR" in ISO 3166. */
export const EEA_COUNTRIES: ReadonlySet<string> = new Set([
  "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT",
  "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
]);

/**
 * Countries with an adequacy decision of the European Commission (Art. 45 GDPR). For Canada it
 * covers commercial organisations under PIPEDA, for the United States only organisations certified
 * under the EU-US Data Privacy Framework: the register records the choice, staff check the scope.
 */
export const ADEQUACY_COUNTRIES: ReadonlySet<string> = new Set(["AD", "AR", "CA", "CH", "FO", "GB", "GG", "IL", "IM", "JE", "JP", "KR", "NZ", "US", "UY"]);

/** Adequacy decisions that only cover part of the country's organisations. */
export const PARTIAL_ADEQUACY_COUNTRIES: ReadonlySet<string> = new Set(["CA", "US"]);

/** ISO 3166-1 alpha-2, officially assigned codes. */
const ISO_COUNTRY_CODES = (
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
  "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
  "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
  "KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT " +
  "MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
  "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG " +
  "UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
).split(" ");

export const COUNTRY_CODES: ReadonlySet<string> = new Set(ISO_COUNTRY_CODES);

export function isCountryCode(code: string): boolean {
  return COUNTRY_CODES.has(code);
}

export function isEeaCountry(code: string): boolean {
  return EEA_COUNTRIES.has(code);
}

/** The locations outside the EEA, in the order given. */
export function nonEeaLocations(locations: readonly string[]): string[] {
  return locations.filter((code) => !isEeaCountry(code));
}

/**
 * "NL, de; US" → ["NL", "DE", "US"]: split on commas, semicolons and white space, upper-cased,
 * duplicates removed. Unknown codes are kept, so that the caller can name them.
 */
export function parseLocationList(text: string): string[] {
  const codes = text
    .split(/[\s,;]+/)
    .map((part) => part.trim().toUpperCase())
    .filter((part) => part.length > 0);
  return [...new Set(codes)];
}

export type TransferIssue =
  | { code: "locations_required" }
  | { code: "unknown_country"; countries: string[] }
  | { code: "safeguard_required"; countries: string[] }
  | { code: "no_adequacy_decision"; countries: string[] };

/**
 * What is wrong with a set of processing locations and the safeguard chosen for them: at least one
 * location, known country codes, a safeguard when a location is outside the EEA, and for
 * "adequacy" an adequacy decision for every such country. A safeguard for EEA-only locations is
 * not an error: it is simply not needed (see `normalisedSafeguard`).
 */
export function transferIssues(locations: readonly string[], safeguard: TransferSafeguard | null): TransferIssue[] {
  if (locations.length === 0) return [{ code: "locations_required" }];
  const unknown = locations.filter((code) => !isCountryCode(code));
  if (unknown.length > 0) return [{ code: "unknown_country", countries: unknown }];
  const outside = nonEeaLocations(locations);
  if (outside.length === 0) return [];
  if (safeguard === null) return [{ code: "safeguard_required", countries: outside }];
  if (safeguard === "adequacy") {
    const without = outside.filter((code) => !ADEQUACY_COUNTRIES.has(code));
    if (without.length > 0) return [{ code: "no_adequacy_decision", countries: without }];
  }
  return [];
}

/** The safeguard to store: none when every location is in the EEA. */
export function normalisedSafeguard(locations: readonly string[], safeguard: TransferSafeguard | null): TransferSafeguard | null {
  return nonEeaLocations(locations).length === 0 ? null : safeguard;
}

export type LifecycleIssue =
  | { code: "start_required"; field: "startDate" }
  | { code: "end_required"; field: "endDate" }
  | { code: "end_before_start"; field: "endDate" }
  | { code: "end_not_allowed"; field: "endDate" };

/**
 * The dates an entry needs for its status: active needs a start date and no end date (ending goes
 * through a removal notice or by retiring it), retired needs an end date; an end never lies before
 * the start. A proposed entry may carry a planned start.
 */
export function lifecycleIssues(entry: { status: SubprocessorStatus; startDate: string | null; endDate: string | null }): LifecycleIssue[] {
  const issues: LifecycleIssue[] = [];
  if (entry.status === "active" && !entry.startDate) issues.push({ code: "start_required", field: "startDate" });
  if (entry.status === "retired" && !entry.endDate) issues.push({ code: "end_required", field: "endDate" });
  if (entry.status !== "retired" && entry.endDate) issues.push({ code: "end_not_allowed", field: "endDate" });
  if (entry.startDate && entry.endDate && entry.endDate < entry.startDate) issues.push({ code: "end_before_start", field: "endDate" });
  return issues;
}

/** In use on `date` ("YYYY-MM-DD"): active, started on or before that day, not ended before it (end date = last day of use). */
export function inUseOn(entry: { status: SubprocessorStatus; startDate: string | null; endDate: string | null }, date: string): boolean {
  parsePlainDate(date, "date");
  if (entry.status !== "active") return false;
  if (entry.startDate && entry.startDate > date) return false;
  if (entry.endDate && entry.endDate < date) return false;
  return true;
}

/** The day before a "YYYY-MM-DD" date: the last day of use when something stops on `date`. */
export function dayBefore(date: string): string {
  return parsePlainDate(date, "date").subtract({ days: 1 }).toString();
}

const regionNames = new Map<Locale, Intl.DisplayNames>();

/** Country name in the UI language, e.g. "US" → "Verenigde Staten"; an unknown code is shown as itself. */
export function countryName(code: string, locale: Locale): string {
  if (!isCountryCode(code)) return code;
  try {
    let names = regionNames.get(locale);
    if (!names) {
      names = new Intl.DisplayNames([locale], { type: "region" });
      regionNames.set(locale, names);
    }
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Sorted by Temporal order of the given dates; null sorts last. Used for registers and logs. */
export function compareDates(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return Temporal.PlainDate.compare(parsePlainDate(a, "a"), parsePlainDate(b, "b"));
}
