/**
 * The breach record: what Art. 33(3) GDPR, the EDPB guidelines 9/2022 and the Dutch authority's
 * notification form ask for, as one value that the register keeps and every notice is written
 * from. Pure: no I/O, `now` is passed in.
 *
 * Times are entered as wall-clock time in Europe/Amsterdam ("2026-03-28T14:00", what an
 * <input type="datetime-local"> sends) and stored as UTC instants. In the autumn hour that occurs
 * twice, the earlier one is taken (the stricter clock); a time in the spring gap moves forward.
 */
import { Temporal } from "temporal-polyfill";
import type { Locale, LocalizedText } from "./locale";
import { dataCategoryCatalogue, dataSubjectCatalogue, isDataCategoryKey, isDataSubjectKey } from "./processing-catalogue";
import { AMSTERDAM, formatDisplayInstant, toIsoInstant } from "./time";

import {
  BREACH_TYPES,
  RISK_LEVELS,
  SUBJECTS_NOTICE_DECISIONS,
  isLocalDateTime,
  type BreachType,
  type Classification,
  type RiskLevel,
  type SourceKind,
  type SubjectsNoticeDecision,
} from "./breach-enums";

export { BREACH_TYPES, RISK_LEVELS, SUBJECTS_NOTICE_DECISIONS, isLocalDateTime };
export type { BreachType, Classification, RiskLevel, SourceKind, SubjectsNoticeDecision };

export const EXEMPTIONS: ReadonlySet<SubjectsNoticeDecision> = new Set(["exempt_unintelligible", "exempt_measures", "exempt_disproportionate"]);

/** The facts of a breach as customers read them (the snapshot a notice is written from). */
export type BreachFacts = {
  reference: string;
  title: string;
  classification: Classification;
  classificationReasoning: string;
  nature: string;
  breachTypes: BreachType[];
  sourceKind: SourceKind;
  /** the sub-processor's name (legal name, trade name) when the breach happened there */
  subprocessorName: string | null;
  subprocessorReportedAt: string | null;
  occurredFrom: string | null;
  occurredTo: string | null;
  ongoing: boolean;
  discoveredAt: string;
  /** null: the moment of discovery */
  shouldHaveKnownAt: string | null;
  dataCategories: string[];
  dataCategoriesNote: string;
  dataSubjects: string[];
  subjectsMin: number | null;
  subjectsMax: number | null;
  recordsMin: number | null;
  recordsMax: number | null;
  protection: string;
  consequences: string;
  measuresTaken: string;
  measuresProposed: string;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  followUpContact: string;
  riskLevel: RiskLevel | null;
  riskReasoning: string;
  subjectsNotice: SubjectsNoticeDecision;
  subjectsNoticeReasoning: string;
  crossBorder: boolean;
};

// ---------------------------------------------------------------------------------------
// Wall-clock input in Europe/Amsterdam

/** Amsterdam wall-clock time → UTC instant ("2026-03-28T14:00" → "2026-03-28T13:00:00.000Z"). */
export function amsterdamLocalToInstant(local: string): string {
  const dateTime = Temporal.PlainDateTime.from(local, { overflow: "reject" });
  return toIsoInstant(dateTime.toZonedDateTime(AMSTERDAM, { disambiguation: "compatible" }).toInstant());
}

/** UTC instant → Amsterdam wall-clock time for a datetime-local input ("2026-03-28T14:00"). */
export function instantToAmsterdamLocal(iso: string): string {
  const zoned = Temporal.Instant.from(iso).toZonedDateTimeISO(AMSTERDAM);
  return zoned.toPlainDateTime().toString({ smallestUnit: "minute" });
}

// ---------------------------------------------------------------------------------------
// Checks on instants (the server's word; the form checks the same on wall-clock strings)

/** A record's times, as UTC instants. */
export type BreachTimes = {
  occurredFrom: string | null;
  occurredTo: string | null;
  ongoing: boolean;
  discoveredAt: string;
  shouldHaveKnownAt: string | null;
  subprocessorReportedAt: string | null;
};

/** A problem with one field; `message` is a message catalog key. */
export type RecordIssue = { field: string; message: string };

/** Tolerance for clocks that run slightly ahead of the server's. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

function ms(iso: string): number {
  return Temporal.Instant.from(iso).epochMilliseconds;
}

/** Order and plausibility of the timeline: nothing after now, discovery not before the start, end not before start. */
export function breachTimeIssues(times: BreachTimes, now: string): RecordIssue[] {
  const issues: RecordIssue[] = [];
  const limit = ms(now) + FUTURE_TOLERANCE_MS;
  const discovered = ms(times.discoveredAt);
  if (discovered > limit) issues.push({ field: "discoveredAt", message: "breaches.error.inFuture" });
  if (times.occurredFrom !== null) {
    const from = ms(times.occurredFrom);
    if (from > limit) issues.push({ field: "occurredFrom", message: "breaches.error.inFuture" });
    else if (discovered < from) issues.push({ field: "discoveredAt", message: "breaches.error.discoveredBeforeOccurred" });
  }
  if (times.occurredTo !== null) {
    if (times.ongoing) issues.push({ field: "occurredTo", message: "breaches.error.ongoingWithEnd" });
    else if (ms(times.occurredTo) > limit) issues.push({ field: "occurredTo", message: "breaches.error.inFuture" });
    else if (times.occurredFrom !== null && ms(times.occurredTo) < ms(times.occurredFrom)) {
      issues.push({ field: "occurredTo", message: "breaches.error.endBeforeStart" });
    }
  }
  if (times.shouldHaveKnownAt !== null && ms(times.shouldHaveKnownAt) > discovered) {
    issues.push({ field: "shouldHaveKnownAt", message: "breaches.error.knownAfterDiscovery" });
  }
  if (times.subprocessorReportedAt !== null && ms(times.subprocessorReportedAt) > limit) {
    issues.push({ field: "subprocessorReportedAt", message: "breaches.error.inFuture" });
  }
  return issues;
}

// ---------------------------------------------------------------------------------------
// Risk indicators (EDPB Guidelines 9/2022: nature, sensitivity and volume of the data, ease of
// identification, severity, special characteristics of the people, number affected)

export type RiskIndicator =
  | "special_categories"
  | "national_id"
  | "criminal_data"
  | "sensitive_data"
  | "vulnerable_people"
  | "large_number"
  | "confidentiality"
  | "no_protection_recorded";

export const LARGE_NUMBER_OF_SUBJECTS = 1000;

/** The factors in the record that raise the risk; a hint for the assessment, not the assessment. */
export function riskIndicators(
  facts: Pick<BreachFacts, "dataCategories" | "dataSubjects" | "subjectsMin" | "subjectsMax" | "breachTypes" | "protection">
): RiskIndicator[] {
  const categories = facts.dataCategories.filter(isDataCategoryKey).map((key) => dataCategoryCatalogue[key]);
  const subjects = facts.dataSubjects.filter(isDataSubjectKey).map((key) => dataSubjectCatalogue[key]);
  const indicators: RiskIndicator[] = [];
  if (categories.some((c) => c.special)) indicators.push("special_categories");
  if (categories.some((c) => c.nationalId)) indicators.push("national_id");
  if (categories.some((c) => c.criminal)) indicators.push("criminal_data");
  if (categories.some((c) => c.sensitive)) indicators.push("sensitive_data");
  if (categories.some((c) => c.vulnerable) || subjects.some((s) => s.vulnerable)) indicators.push("vulnerable_people");
  if ((facts.subjectsMax ?? facts.subjectsMin ?? 0) >= LARGE_NUMBER_OF_SUBJECTS) indicators.push("large_number");
  if (facts.breachTypes.includes("confidentiality")) indicators.push("confidentiality");
  if (facts.protection.trim() === "") indicators.push("no_protection_recorded");
  return indicators;
}

/** Flags of the affected data: special categories (Art. 9), national ID (BSN), criminal data (Art. 10). */
export function dataFlags(dataCategories: readonly string[]): { special: boolean; nationalId: boolean; criminal: boolean } {
  const entries = dataCategories.filter(isDataCategoryKey).map((key) => dataCategoryCatalogue[key]);
  return {
    special: entries.some((e) => e.special === true),
    nationalId: entries.some((e) => e.nationalId === true),
    criminal: entries.some((e) => e.criminal === true),
  };
}

// ---------------------------------------------------------------------------------------
// Texts of the record, in the letter's or the reader's language

export const BREACH_TYPE_LABELS: Record<BreachType, LocalizedText> = {
  confidentiality: { nl: "vertrouwelijkheid (onbevoegde toegang of verstrekking)", en: "confidentiality (unauthorised access or disclosure)" },
  integrity: { nl: "integriteit (onbevoegde of onbedoelde wijziging)", en: "integrity (unauthorised or accidental alteration)" },
  availability: { nl: "beschikbaarheid (verlies of vernietiging)", en: "availability (loss or destruction)" },
};

export const RISK_LEVEL_LABELS: Record<RiskLevel, LocalizedText> = {
  none: { nl: "geen risico waarschijnlijk", en: "no risk likely" },
  risk: { nl: "risico voor betrokkenen", en: "risk to data subjects" },
  high: { nl: "hoog risico voor betrokkenen", en: "high risk to data subjects" },
};

export const SUBJECTS_NOTICE_LABELS: Record<SubjectsNoticeDecision, LocalizedText> = {
  undecided: { nl: "nog niet beoordeeld", en: "not yet decided" },
  not_required: { nl: "niet nodig: geen hoog risico", en: "not needed: no high risk" },
  required: { nl: "betrokkenen moeten worden geïnformeerd (art. 34 lid 1 AVG)", en: "data subjects must be told (Art. 34(1) GDPR)" },
  exempt_unintelligible: {
    nl: "uitzondering art. 34 lid 3 onder a AVG: gegevens onbegrijpelijk (bijv. versleuteld)",
    en: "exemption Art. 34(3)(a) GDPR: data unintelligible (e.g. encrypted)",
  },
  exempt_measures: {
    nl: "uitzondering art. 34 lid 3 onder b AVG: hoog risico weggenomen door maatregelen achteraf",
    en: "exemption Art. 34(3)(b) GDPR: high risk removed by subsequent measures",
  },
  exempt_disproportionate: {
    nl: "uitzondering art. 34 lid 3 onder c AVG: onevenredige inspanning, openbare mededeling",
    en: "exemption Art. 34(3)(c) GDPR: disproportionate effort, public communication instead",
  },
};

export const SOURCE_LABELS: Record<SourceKind, LocalizedText> = {
  own_systems: { nl: "eigen systemen", en: "our own systems" },
  subprocessor: { nl: "subverwerker", en: "sub-processor" },
};

/** "120 – 450", "ongeveer 450" / "about 450", "minstens 120" / "at least 120", or null when unknown. */
export function formatRange(min: number | null, max: number | null, locale: Locale): string | null {
  const n = (v: number) => v.toLocaleString(locale === "nl" ? "nl-NL" : "en-GB");
  if (min !== null && max !== null) return min === max ? n(min) : `${n(min)} – ${n(max)}`;
  if (max !== null) return locale === "nl" ? `ten hoogste ${n(max)}` : `at most ${n(max)}`;
  if (min !== null) return locale === "nl" ? `minstens ${n(min)}` : `at least ${n(min)}`;
  return null;
}

/** A data category with its flag: "Burgerservicenummer (BSN) [BSN]", "Gezondheidsgegevens [bijzonder]". */
export function dataCategoryText(key: string, locale: Locale): string {
  if (!isDataCategoryKey(key)) return key;
  const entry = dataCategoryCatalogue[key];
  const flag = entry.nationalId
    ? locale === "nl"
      ? "BSN"
      : "national ID number"
    : entry.special
    ? locale === "nl"
      ? "bijzonder persoonsgegeven"
      : "special category"
    : entry.criminal
    ? locale === "nl"
      ? "strafrechtelijk"
      : "criminal data"
    : null;
  return flag ? `${entry[locale]} [${flag}]` : entry[locale];
}

export function dataSubjectText(key: string, locale: Locale): string {
  return isDataSubjectKey(key) ? dataSubjectCatalogue[key][locale] : key;
}

function displayOrNull(iso: string | null): string | null {
  return iso ? formatDisplayInstant(Temporal.Instant.from(iso)) : null;
}

/** "from 27-03-2026 22:00 CET to 28-03-2026 09:00 CET", "since … (still ongoing)", or "unknown". */
export function occurrenceText(facts: Pick<BreachFacts, "occurredFrom" | "occurredTo" | "ongoing">, locale: Locale): string {
  const from = displayOrNull(facts.occurredFrom);
  const to = displayOrNull(facts.occurredTo);
  const nl = locale === "nl";
  if (facts.ongoing)
    return from ? (nl ? `sinds ${from}, nog gaande` : `since ${from}, still ongoing`) : nl ? "nog gaande; begin onbekend" : "still ongoing; start unknown";
  if (from && to) return nl ? `van ${from} tot ${to}` : `from ${from} to ${to}`;
  if (from) return nl ? `vanaf ${from}; einde onbekend` : `from ${from}; end unknown`;
  if (to) return nl ? `tot ${to}; begin onbekend` : `until ${to}; start unknown`;
  return nl ? "onbekend" : "unknown";
}

/** One label/value pair of the authority's form. */
export type FormField = { label: string; value: string };

/**
 * The record in the order of the Dutch authority's notification form (contact, timeline, nature,
 * personal data, people, protection, consequences, follow-up), in the reader's language, for the
 * customer to copy into its own notification.
 */
export function authorityFormFields(facts: BreachFacts, vendorName: string, locale: Locale): FormField[] {
  const nl = locale === "nl";
  const unknown = nl ? "onbekend" : "unknown";
  const none = nl ? "niet ingevuld" : "not given";
  const text = (value: string) => (value.trim() === "" ? none : value.trim());
  const flags = dataFlags(facts.dataCategories);
  const yesNo = (value: boolean) => (value ? (nl ? "ja" : "yes") : nl ? "nee" : "no");
  const contact = [facts.contactName, facts.contactEmail, facts.contactPhone].filter((v) => v.trim() !== "").join(", ");
  const measures = [facts.measuresTaken.trim(), facts.measuresProposed.trim()].filter(Boolean);
  return [
    { label: nl ? "Referentie bij de verwerker" : "Processor's reference", value: `${facts.reference} (${vendorName})` },
    { label: nl ? "Korte omschrijving" : "Short description", value: facts.title },
    { label: nl ? "Contactpunt bij de verwerker" : "Contact point at the processor", value: contact || none },
    { label: nl ? "Datum en tijd van de inbreuk" : "Date and time of the breach", value: occurrenceText(facts, locale) },
    { label: nl ? "Is de inbreuk nog gaande?" : "Is the breach still ongoing?", value: yesNo(facts.ongoing) },
    { label: nl ? "Ontdekt door de verwerker" : "Discovered by the processor", value: displayOrNull(facts.discoveredAt) ?? unknown },
    ...(facts.sourceKind === "subprocessor"
      ? [
          {
            label: nl ? "Plaatsgevonden bij subverwerker" : "Happened at sub-processor",
            value: `${facts.subprocessorName ?? unknown}${
              facts.subprocessorReportedAt
                ? nl
                  ? `, gemeld aan ons op ${displayOrNull(facts.subprocessorReportedAt)}`
                  : `, reported to us on ${displayOrNull(facts.subprocessorReportedAt)}`
                : ""
            }`,
          },
        ]
      : []),
    { label: nl ? "Aard van de inbreuk" : "Nature of the breach", value: text(facts.nature) },
    {
      label: nl ? "Soort inbreuk" : "Type of breach",
      value: facts.breachTypes.length > 0 ? facts.breachTypes.map((t) => BREACH_TYPE_LABELS[t][locale]).join("; ") : unknown,
    },
    {
      label: nl ? "Soort persoonsgegevens" : "Types of personal data",
      value:
        facts.dataCategories.length > 0
          ? facts.dataCategories.map((k) => dataCategoryText(k, locale)).join("; ") + (facts.dataCategoriesNote ? `; ${facts.dataCategoriesNote}` : "")
          : facts.dataCategoriesNote || unknown,
    },
    { label: nl ? "Bijzondere persoonsgegevens" : "Special categories of personal data", value: yesNo(flags.special) },
    { label: nl ? "Burgerservicenummer (BSN)" : "Citizen service number (BSN)", value: yesNo(flags.nationalId) },
    { label: nl ? "Strafrechtelijke gegevens" : "Criminal convictions data", value: yesNo(flags.criminal) },
    {
      label: nl ? "Categorieën betrokkenen" : "Categories of data subjects",
      value: facts.dataSubjects.length > 0 ? facts.dataSubjects.map((k) => dataSubjectText(k, locale)).join("; ") : unknown,
    },
    {
      label: nl ? "Aantal betrokkenen (minimum – maximum)" : "Number of people (minimum – maximum)",
      value: formatRange(facts.subjectsMin, facts.subjectsMax, locale) ?? unknown,
    },
    { label: nl ? "Aantal records" : "Number of records", value: formatRange(facts.recordsMin, facts.recordsMax, locale) ?? unknown },
    { label: nl ? "Beveiliging vóór de inbreuk" : "Protection before the breach", value: text(facts.protection) },
    { label: nl ? "Waarschijnlijke gevolgen" : "Likely consequences", value: text(facts.consequences) },
    { label: nl ? "Genomen en voorgestelde maatregelen" : "Measures taken and proposed", value: measures.length > 0 ? measures.join("\n") : none },
    {
      label: nl ? "Risico-inschatting van de verwerker" : "Processor's risk assessment",
      value: facts.riskLevel
        ? `${RISK_LEVEL_LABELS[facts.riskLevel][locale]}${facts.riskReasoning ? `: ${facts.riskReasoning}` : ""}`
        : nl
        ? "nog niet beoordeeld"
        : "not yet assessed",
    },
    {
      label: nl ? "Informeren van betrokkenen" : "Informing data subjects",
      value: `${SUBJECTS_NOTICE_LABELS[facts.subjectsNotice][locale]}${facts.subjectsNoticeReasoning ? `: ${facts.subjectsNoticeReasoning}` : ""}`,
    },
    { label: nl ? "Betrokkenen in andere EU-landen" : "Data subjects in other EU countries", value: yesNo(facts.crossBorder) },
  ];
}

/** The form fields as plain text, one "label: value" per line, for the clipboard. */
export function authorityFormText(fields: readonly FormField[]): string {
  return fields.map((f) => `${f.label}: ${f.value}`).join("\n");
}
