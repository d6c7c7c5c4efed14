/**
 * The terms profile model: the structured content of one VERSION of a workspace's DPA terms.
 *
 * Every leaf is a field `{ value, article?, quote?, note? }`; `value: null` means "the terms
 * set no rule here" (the clocks then fall back to statute or to the workspace's internal
 * target, clearly labelled). A customer's negotiated deviations replace single fields by
 * dotted path ("breachNoticeHours", "endOfContract.deletionDeadline"); `effectiveTerms`
 * merges them and tells, per field, where the value came from.
 *
 * Article references use a short grammar that `formatArticleRef` renders per language:
 * "VO 7.5" (separate processor agreement), "AV 12.15" (general terms), "B1 6.3" (Annex 1).
 */
import { z } from "zod";
import { Temporal } from "temporal-polyfill";
import { DomainError } from "./errors";
import type { Locale, LocalizedText } from "./locale";
import { parsePlainDate } from "./time";

// ---------------------------------------------------------------------------------------
// Building blocks

export const localizedTextSchema = z.object({ nl: z.string().trim().min(1), en: z.string().trim().min(1) }).strict();

export const calendarPeriodSchema = z
  .object({ amount: z.number().finite(), unit: z.enum(["days", "weeks", "months"]) })
  .strict();

function termsField<T extends z.ZodTypeAny>(value: T) {
  return z
    .object({
      value,
      article: z.string().trim().min(1).optional(),
      quote: z.string().trim().min(1).optional(),
      note: z.string().trim().min(1).optional(),
    })
    .strict();
}

/** Breach notice content items; each profile lists the ones its terms require. */
export const BREACH_NOTICE_ITEM_KEYS = [
  "breach_occurred",
  "nature",
  "categories_and_numbers",
  "personal_data_categories",
  "data_subject_categories",
  "data_subject_count",
  "protection",
  "contact_point",
  "follow_up_contact",
  "consequences",
  "measures",
  "all_available_information",
  "all_relevant_information",
] as const;

export type BreachNoticeItem = (typeof BREACH_NOTICE_ITEM_KEYS)[number];

export const BREACH_NOTICE_ITEM_LABELS: Record<BreachNoticeItem, LocalizedText> = {
  breach_occurred: { nl: "het feit dat er een lek is geweest", en: "the fact that a breach occurred" },
  nature: { nl: "de aard van de inbreuk", en: "the nature of the breach" },
  categories_and_numbers: {
    nl: "de categorieën en het (bij benadering) aantal betrokkenen en persoonsgegevensregisters",
    en: "the categories and approximate number of data subjects and personal data records",
  },
  personal_data_categories: { nl: "de getroffen categorieën persoonsgegevens", en: "the categories of personal data affected" },
  data_subject_categories: { nl: "de categorieën betrokkenen", en: "the categories of data subjects" },
  data_subject_count: { nl: "het (geschatte) aantal betrokkenen", en: "the (estimated) number of data subjects" },
  protection: { nl: "of en hoe de persoonsgegevens waren beveiligd", en: "whether and how the personal data was protected" },
  contact_point: {
    nl: "naam en contactgegevens van de functionaris gegevensbescherming of een ander contactpunt",
    en: "name and contact details of the data protection officer or another contact point",
  },
  follow_up_contact: {
    nl: "eventueel afwijkende contactgegevens voor de opvolging",
    en: "different contact details for the follow-up, if any",
  },
  consequences: { nl: "de (waarschijnlijke) gevolgen van de inbreuk", en: "the (likely) consequences of the breach" },
  measures: {
    nl: "de genomen of voorgestelde maatregelen, ook om nadelige gevolgen te beperken",
    en: "the measures taken or proposed, including to mitigate adverse effects",
  },
  all_available_information: { nl: "alle beschikbare informatie", en: "all information available" },
  all_relevant_information: { nl: "alle relevante informatie", en: "all relevant information" },
};

const noticeRuleSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("fixed"), months: z.number().finite() }).strict(),
  /** KlantGenerator 14.1: 1 month when the term is ≤ 6 months, else 2 months */
  z
    .object({
      kind: z.literal("by_term_length"),
      maxShortTermMonths: z.number().finite(),
      shortTermNoticeMonths: z.number().finite(),
      longTermNoticeMonths: z.number().finite(),
    })
    .strict(),
]);

export type NoticeRule = z.infer<typeof noticeRuleSchema>;

// ---------------------------------------------------------------------------------------
// The profile

export const termsProfileSchema = z
  .object({
    /** hours after the clock start within which the customer must be told; null = no contractual hour limit */
    breachNoticeHours: termsField(z.number().finite().nullable()),
    breachClockStart: termsField(z.enum(["discovery", "should_have_known"])),
    /** stricter limit for breaches at an engaged third party (counted from discovery) */
    thirdPartyBreachNoticeHours: termsField(z.number().finite().nullable()),
    /** the customer's own limit towards the authority; null = statutory 72 h (art. 33(1) GDPR) */
    authorityDeadlineHours: termsField(z.number().finite().nullable()),
    breachNoticeContents: termsField(z.array(z.enum(BREACH_NOTICE_ITEM_KEYS))),
    breachScope: termsField(z.enum(["all_breaches", "may_cause_harm", "actual_breaches_only", "actual_high_impact_only"])),
    subprocessorRegime: termsField(
      z.enum(["specific_prior_authorisation", "general_with_objection", "general_no_objection", "not_regulated"]),
    ),
    objectionWindow: termsField(calendarPeriodSchema.extend({ from: z.literal("notice_sent") }).strict().nullable()),
    objectionWindowTermijnenwet: termsField(z.boolean()).default({ value: false }),
    transfersOutsideEea: termsField(localizedTextSchema.nullable()),
    endOfContract: z
      .object({
        choice: termsField(
          z.enum([
            "customer_choice_return_or_delete",
            "delete_immediately_copy_on_request",
            "return_or_delete_on_request",
            "not_longer_than_necessary",
          ]),
        ),
        /** counted from the last day of the contract */
        deletionDeadline: termsField(calendarPeriodSchema.nullable()),
        /** counted from the deletion in production */
        backupRetention: termsField(calendarPeriodSchema.nullable()),
        /** the customer must ask for a copy / exit support by the last day of the contract */
        exitRequestDeadline: termsField(z.enum(["before_end"]).nullable()),
        /** time the customer gets to choose return or deletion; null = no choice step */
        choiceDeadline: termsField(calendarPeriodSchema.nullable()),
      })
      .strict(),
    auditRights: termsField(localizedTextSchema.nullable()),
    dpaChangeNotice: termsField(
      z
        .object({
          /** advance notice before a change takes effect */
          noticePeriod: calendarPeriodSchema.nullable(),
          /** window for the customer to object or terminate */
          responseWindow: calendarPeriodSchema.nullable(),
          text: localizedTextSchema,
        })
        .strict(),
    ),
    liabilityCap: termsField(z.object({ text: localizedTextSchema, amountEur: z.number().finite().nullable() }).strict().nullable()),
    mainContract: z
      .object({
        /** null = the term is set in each customer's contract */
        termMonths: termsField(z.number().finite().nullable()),
        tacitRenewal: termsField(z.boolean()),
        /** null = renewed for the same period as the term */
        renewalMonths: termsField(z.number().finite().nullable()),
        /** null = the terms set no notice period */
        notice: termsField(noticeRuleSchema.nullable()),
        noticeTermijnenwet: termsField(z.boolean()).default({ value: false }),
      })
      .strict(),
    /** inconsistencies and reading decisions about the source text */
    notes: z.string(),
  })
  .strict();

export type TermsProfile = z.infer<typeof termsProfileSchema>;
export type TermsField<V> = { value: V; article?: string; quote?: string; note?: string };
export type SubprocessorRegime = TermsProfile["subprocessorRegime"]["value"];
export type EndOfContractChoice = TermsProfile["endOfContract"]["choice"]["value"];

type FieldTree = Omit<TermsProfile, "notes">;

type LeafPaths<T> = {
  [K in keyof T & string]: T[K] extends { value: unknown } ? K : `${K}.${LeafPaths<T[K]>}`;
}[keyof T & string];

type ValueAt<T, P extends string> = P extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? ValueAt<T[Head], Rest>
    : never
  : P extends keyof T
    ? T[P] extends { value: infer V }
      ? V
      : never
    : never;

/** Dotted path of one terms field, e.g. "mainContract.notice". */
export type TermsFieldPath = LeafPaths<FieldTree>;
export type TermsFieldValue<P extends TermsFieldPath> = ValueAt<FieldTree, P>;

export const TERMS_FIELD_LABELS: Record<TermsFieldPath, LocalizedText> = {
  breachNoticeHours: { nl: "Meldtermijn datalek aan klant (uren)", en: "Breach notice to customer (hours)" },
  breachClockStart: { nl: "Start van de meldtermijn", en: "Breach clock starts at" },
  thirdPartyBreachNoticeHours: { nl: "Meldtermijn datalek bij derde (uren)", en: "Notice for breaches at a third party (hours)" },
  authorityDeadlineHours: { nl: "Termijn klant → AP (uren)", en: "Customer → authority deadline (hours)" },
  breachNoticeContents: { nl: "Inhoud van de melding", en: "Contents of the notice" },
  breachScope: { nl: "Welke inbreuken gemeld worden", en: "Which breaches are notified" },
  subprocessorRegime: { nl: "Regime subverwerkers", en: "Sub-processor regime" },
  objectionWindow: { nl: "Bezwaartermijn subverwerker", en: "Sub-processor objection window" },
  objectionWindowTermijnenwet: { nl: "Algemene termijnenwet op bezwaartermijn", en: "Termijnenwet applies to objection window" },
  transfersOutsideEea: { nl: "Doorgifte buiten de EER", en: "Transfers outside the EEA" },
  "endOfContract.choice": { nl: "Einde contract: teruggave of verwijdering", en: "End of contract: return or deletion" },
  "endOfContract.deletionDeadline": { nl: "Termijn teruggave/verwijdering", en: "Return/deletion deadline" },
  "endOfContract.backupRetention": { nl: "Bewaartermijn back-ups na verwijdering", en: "Backup retention after deletion" },
  "endOfContract.exitRequestDeadline": { nl: "Uiterste moment verzoek kopie/exit", en: "Latest copy/exit request" },
  "endOfContract.choiceDeadline": { nl: "Termijn keuze klant", en: "Customer's choice deadline" },
  auditRights: { nl: "Auditrechten", en: "Audit rights" },
  dpaChangeNotice: { nl: "Wijziging verwerkersovereenkomst", en: "Changes to the DPA" },
  liabilityCap: { nl: "Aansprakelijkheidslimiet", en: "Liability cap" },
  "mainContract.termMonths": { nl: "Looptijd (maanden)", en: "Term (months)" },
  "mainContract.tacitRenewal": { nl: "Stilzwijgende verlenging", en: "Tacit renewal" },
  "mainContract.renewalMonths": { nl: "Verlengingsperiode (maanden)", en: "Renewal period (months)" },
  "mainContract.notice": { nl: "Opzegtermijn", en: "Notice period" },
  "mainContract.noticeTermijnenwet": { nl: "Algemene termijnenwet op opzegtermijn", en: "Termijnenwet applies to notice" },
};

// ---------------------------------------------------------------------------------------
// Field registry, derived from the schema

type FieldEntry = { path: TermsFieldPath; valueSchema: z.ZodTypeAny };

function unwrapDefault(schema: z.ZodTypeAny): z.ZodTypeAny {
  return schema instanceof z.ZodDefault ? (schema._def.innerType as z.ZodTypeAny) : schema;
}

function collectFields(shape: z.ZodRawShape, prefix: string): FieldEntry[] {
  return Object.entries(shape).flatMap(([key, schema]) => {
    const inner = unwrapDefault(schema);
    if (!(inner instanceof z.ZodObject)) return [];
    const innerShape = inner.shape as z.ZodRawShape;
    const path = `${prefix}${key}`;
    if ("value" in innerShape) return [{ path: path as TermsFieldPath, valueSchema: innerShape.value }];
    return collectFields(innerShape, `${path}.`);
  });
}

const FIELD_ENTRIES: readonly FieldEntry[] = collectFields(termsProfileSchema.shape, "");
const FIELD_BY_PATH = new Map(FIELD_ENTRIES.map((entry) => [entry.path as string, entry]));

/** Every field path of a profile, in schema order. */
export const TERMS_FIELD_PATHS: readonly TermsFieldPath[] = FIELD_ENTRIES.map((entry) => entry.path);

export function isTermsFieldPath(path: string): path is TermsFieldPath {
  return FIELD_BY_PATH.has(path);
}

export function getTermsField(profile: TermsProfile, path: TermsFieldPath): TermsField<unknown> {
  let node: unknown = profile;
  for (const key of path.split(".")) node = (node as Record<string, unknown>)[key];
  return node as TermsField<unknown>;
}

// ---------------------------------------------------------------------------------------
// Article references

const ARTICLE_DOCUMENTS: Record<string, LocalizedText> = {
  VO: { nl: "verwerkersovereenkomst", en: "processor agreement" },
  AV: { nl: "algemene voorwaarden", en: "general terms" },
  B1: { nl: "Bijlage 1", en: "Annex 1" },
};

/**
 * "VO 7.5" → "art. 7.5 verwerkersovereenkomst" / "Art. 7.5 processor agreement"; a bare
 * number "12.2" → "art. 12.2"; anything else (a clause name) is shown as written.
 */
export function formatArticleRef(ref: string, locale: Locale): string {
  const trimmed = ref.trim();
  const prefix = locale === "nl" ? "art." : "Art.";
  const match = /^(VO|AV|B1) (.+)$/.exec(trimmed);
  if (match) return `${prefix} ${match[2]} ${ARTICLE_DOCUMENTS[match[1]][locale]}`;
  return /^\d/.test(trimmed) ? `${prefix} ${trimmed}` : trimmed;
}

// ---------------------------------------------------------------------------------------
// Rules on single values (shared by new versions and negotiated deviations)

export type ValidationIssueCode =
  | "invalid_shape"
  | "not_positive"
  | "not_whole"
  | "exceeds_statutory"
  | "duplicate_item"
  | "negative_amount"
  | "window_without_objection_right"
  | "termijnenwet_without_window"
  | "renewal_without_tacit_renewal"
  | "notice_not_shorter_than_term"
  | "invalid_date"
  | "effective_date_in_past";

export type ValidationIssue = { path: string; code: ValidationIssueCode; message: LocalizedText };

const STATUTORY_AUTHORITY_HOURS = 72;

function positiveHours(path: string, hours: number | null): ValidationIssue[] {
  if (hours === null || hours > 0) return [];
  return [
    {
      path,
      code: "not_positive",
      message: { nl: "Het aantal uren moet groter dan 0 zijn.", en: "The number of hours must be greater than 0." },
    },
  ];
}

function wholePositive(path: string, amount: number | null, what: LocalizedText): ValidationIssue[] {
  if (amount === null) return [];
  if (!Number.isInteger(amount)) {
    return [{ path, code: "not_whole", message: { nl: `${what.nl} moet een heel getal zijn.`, en: `${what.en} must be a whole number.` } }];
  }
  if (amount < 1) {
    return [
      { path, code: "not_positive", message: { nl: `${what.nl} moet minstens 1 zijn.`, en: `${what.en} must be at least 1.` } },
    ];
  }
  return [];
}

const PERIOD: LocalizedText = { nl: "De termijn", en: "The period" };
const MONTHS: LocalizedText = { nl: "Het aantal maanden", en: "The number of months" };

function periodIssues(path: string, period: { amount: number } | null): ValidationIssue[] {
  return period === null ? [] : wholePositive(`${path}.amount`, period.amount, PERIOD);
}

type FieldRules = { [P in TermsFieldPath]?: (value: TermsFieldValue<P>, path: P) => ValidationIssue[] };

const FIELD_RULES: FieldRules = {
  breachNoticeHours: (hours, path) => positiveHours(path, hours),
  thirdPartyBreachNoticeHours: (hours, path) => positiveHours(path, hours),
  authorityDeadlineHours: (hours, path) => {
    const issues = positiveHours(path, hours);
    if (hours !== null && hours > STATUTORY_AUTHORITY_HOURS) {
      issues.push({
        path,
        code: "exceeds_statutory",
        message: {
          nl: "Een contract kan de wettelijke 72 uur voor melding aan de AP (art. 33 lid 1 AVG) niet verlengen.",
          en: "A contract cannot extend the statutory 72 hours for notifying the authority (Art. 33(1) GDPR).",
        },
      });
    }
    return issues;
  },
  breachNoticeContents: (items, path) =>
    new Set(items).size === items.length
      ? []
      : [{ path, code: "duplicate_item", message: { nl: "Een onderdeel staat er dubbel in.", en: "An item is listed twice." } }],
  objectionWindow: (window, path) => periodIssues(path, window),
  "endOfContract.deletionDeadline": (period, path) => periodIssues(path, period),
  "endOfContract.backupRetention": (period, path) => periodIssues(path, period),
  "endOfContract.choiceDeadline": (period, path) => periodIssues(path, period),
  dpaChangeNotice: (change, path) => [
    ...periodIssues(`${path}.noticePeriod`, change.noticePeriod),
    ...periodIssues(`${path}.responseWindow`, change.responseWindow),
  ],
  liabilityCap: (cap, path) =>
    cap !== null && cap.amountEur !== null && cap.amountEur < 0
      ? [
          {
            path: `${path}.amountEur`,
            code: "negative_amount",
            message: { nl: "Het bedrag mag niet negatief zijn.", en: "The amount cannot be negative." },
          },
        ]
      : [],
  "mainContract.termMonths": (months, path) => wholePositive(path, months, MONTHS),
  "mainContract.renewalMonths": (months, path) => wholePositive(path, months, MONTHS),
  "mainContract.notice": (rule, path) => {
    if (rule === null) return [];
    if (rule.kind === "fixed") return wholePositive(`${path}.months`, rule.months, MONTHS);
    return [
      ...wholePositive(`${path}.maxShortTermMonths`, rule.maxShortTermMonths, MONTHS),
      ...wholePositive(`${path}.shortTermNoticeMonths`, rule.shortTermNoticeMonths, MONTHS),
      ...wholePositive(`${path}.longTermNoticeMonths`, rule.longTermNoticeMonths, MONTHS),
    ];
  },
};

function fieldValueIssues(path: TermsFieldPath, value: unknown): ValidationIssue[] {
  const rule = FIELD_RULES[path] as ((value: unknown, path: TermsFieldPath) => ValidationIssue[]) | undefined;
  return rule ? rule(value, path) : [];
}

/** Rules across fields, checked on the merged (effective) values. */
function crossFieldIssues(values: (path: TermsFieldPath) => unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const regime = values("subprocessorRegime") as SubprocessorRegime;
  const window = values("objectionWindow");
  if (window !== null && regime !== "general_with_objection") {
    issues.push({
      path: "objectionWindow",
      code: "window_without_objection_right",
      message: {
        nl: "Een bezwaartermijn past alleen bij een algemene toestemming met bezwaarrecht.",
        en: "An objection window only fits general authorisation with a right to object.",
      },
    });
  }
  if (window === null && values("objectionWindowTermijnenwet") === true) {
    issues.push({
      path: "objectionWindowTermijnenwet",
      code: "termijnenwet_without_window",
      message: {
        nl: "De Algemene termijnenwet kan alleen gelden als er een bezwaartermijn is.",
        en: "The Termijnenwet can only apply when there is an objection window.",
      },
    });
  }
  if (values("mainContract.tacitRenewal") === false && values("mainContract.renewalMonths") !== null) {
    issues.push({
      path: "mainContract.renewalMonths",
      code: "renewal_without_tacit_renewal",
      message: {
        nl: "Een verlengingsperiode heeft alleen zin bij stilzwijgende verlenging.",
        en: "A renewal period only makes sense with tacit renewal.",
      },
    });
  }
  const term = values("mainContract.termMonths") as number | null;
  const notice = values("mainContract.notice") as NoticeRule | null;
  if (term !== null && notice !== null && noticeMonthsFor(notice, term) >= term) {
    issues.push({
      path: "mainContract.notice",
      code: "notice_not_shorter_than_term",
      message: {
        nl: "De opzegtermijn moet korter zijn dan de looptijd.",
        en: "The notice period must be shorter than the term.",
      },
    });
  }
  return issues;
}

/** The notice period in months that applies to a contract period of `termMonths`. */
export function noticeMonthsFor(rule: NoticeRule, termMonths: number): number {
  if (rule.kind === "fixed") return rule.months;
  return termMonths <= rule.maxShortTermMonths ? rule.shortTermNoticeMonths : rule.longTermNoticeMonths;
}

function zodIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.filter((segment) => segment !== "value").join("."),
    code: "invalid_shape",
    message: { nl: `Ongeldige of ontbrekende waarde (${issue.message}).`, en: `Invalid or missing value (${issue.message}).` },
  }));
}

/**
 * Checks the content of a new profile version before it is stored: shape, per-field rules
 * (positive hours, windows of at least 1, whole months), cross-field rules, and an effective
 * date that is today or later. Returns every problem found; an empty list means valid.
 */
export function validateNewVersion(content: unknown, effectiveDate: string, today: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [...effectiveDateIssues(effectiveDate, today)];
  const parsed = termsProfileSchema.safeParse(content);
  if (!parsed.success) return [...issues, ...zodIssues(parsed.error)];
  const profile = parsed.data;
  for (const path of TERMS_FIELD_PATHS) issues.push(...fieldValueIssues(path, getTermsField(profile, path).value));
  issues.push(...crossFieldIssues((path) => getTermsField(profile, path).value));
  return issues;
}

function effectiveDateIssues(effectiveDate: string, today: string): ValidationIssue[] {
  const todayDate = parsePlainDate(today, "today");
  let date: Temporal.PlainDate;
  try {
    date = parsePlainDate(effectiveDate, "effectiveDate");
  } catch {
    return [
      {
        path: "effectiveDate",
        code: "invalid_date",
        message: { nl: "Vul een geldige ingangsdatum in (JJJJ-MM-DD).", en: "Enter a valid effective date (YYYY-MM-DD)." },
      },
    ];
  }
  if (Temporal.PlainDate.compare(date, todayDate) >= 0) return [];
  return [
    {
      path: "effectiveDate",
      code: "effective_date_in_past",
      message: {
        nl: "De ingangsdatum ligt in het verleden; een nieuwe versie kan niet met terugwerkende kracht gelden.",
        en: "The effective date is in the past; a new version cannot apply retroactively.",
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------
// Negotiated deviations and effective terms

/** A deviation as the database hands it over: field path and JSON value, not yet checked. */
export type StoredDeviation = { field: string; value: unknown; reason: string; clause: string };

/** A deviation typed by its field, for code and seed data. */
export type NegotiatedDeviation = {
  [P in TermsFieldPath]: { field: P; value: TermsFieldValue<P>; reason: string; clause: string };
}[TermsFieldPath];

export type FieldSource =
  | { kind: "profile"; version: number; article?: string }
  | { kind: "negotiated"; clause: string; reason: string };

export type EffectiveField<V> = TermsField<V> & { source: FieldSource };

type EffectiveTree<T> = {
  [K in keyof T]: T[K] extends { value: infer V } ? EffectiveField<V> : EffectiveTree<T[K]>;
};

/** A customer's terms: its profile version with its negotiated deviations applied. */
export type EffectiveTerms = EffectiveTree<FieldTree>;

/**
 * Checks one deviation against the profile version it modifies: known field, valid value,
 * per-field rules, and cross-field rules on the result. Returns every problem found.
 */
export function validateDeviation(profile: TermsProfile, deviation: StoredDeviation): ValidationIssue[] {
  if (!isTermsFieldPath(deviation.field)) {
    return [
      {
        path: "field",
        code: "invalid_shape",
        message: { nl: `Onbekend veld "${deviation.field}".`, en: `Unknown field "${deviation.field}".` },
      },
    ];
  }
  const path = deviation.field;
  const parsed = FIELD_BY_PATH.get(path)!.valueSchema.safeParse(deviation.value);
  if (!parsed.success) return zodIssues(parsed.error).map((issue) => ({ ...issue, path: joinPath(path, issue.path) }));
  const issues = fieldValueIssues(path, parsed.data);
  if (issues.length > 0) return issues;
  return crossFieldIssues((other) => (other === path ? parsed.data : getTermsField(profile, other).value));
}

function joinPath(base: string, rest: string): string {
  return rest ? `${base}.${rest}` : base;
}

function checkedDeviationValue(deviation: StoredDeviation): unknown {
  if (!isTermsFieldPath(deviation.field)) {
    throw new DomainError("unknown_terms_field", deviation.field, {
      nl: `Onbekend veld "${deviation.field}" in onderhandelde afwijking.`,
      en: `Unknown field "${deviation.field}" in negotiated deviation.`,
    });
  }
  const parsed = FIELD_BY_PATH.get(deviation.field)!.valueSchema.safeParse(deviation.value);
  const issues = parsed.success ? fieldValueIssues(deviation.field, parsed.data) : zodIssues(parsed.error);
  if (!parsed.success || issues.length > 0) {
    throw new DomainError("invalid_deviation_value", deviation.field, {
      nl: `Ongeldige onderhandelde waarde: ${issues[0].message.nl}`,
      en: `Invalid negotiated value: ${issues[0].message.en}`,
    });
  }
  return parsed.data;
}

/**
 * Merges a profile version with a customer's negotiated deviations. Every field carries its
 * source: `{ kind: "profile", version, article }` or `{ kind: "negotiated", clause, reason }`.
 * Throws DomainError for an unknown field, an invalid value, or two deviations on one field.
 */
export function effectiveTerms(
  profile: TermsProfile,
  version: number,
  deviations: readonly StoredDeviation[] = [],
): EffectiveTerms {
  const byPath = new Map<string, StoredDeviation>();
  for (const deviation of deviations) {
    const value = checkedDeviationValue(deviation);
    if (byPath.has(deviation.field)) {
      throw new DomainError("duplicate_deviation", deviation.field, {
        nl: "Voor dit veld bestaan twee onderhandelde afwijkingen.",
        en: "This field has two negotiated deviations.",
      });
    }
    byPath.set(deviation.field, { ...deviation, value });
  }
  const result: Record<string, unknown> = {};
  for (const path of TERMS_FIELD_PATHS) {
    const deviation = byPath.get(path);
    const field = getTermsField(profile, path);
    const effective: EffectiveField<unknown> = deviation
      ? { value: deviation.value, source: { kind: "negotiated", clause: deviation.clause, reason: deviation.reason } }
      : { ...field, source: { kind: "profile", version, ...(field.article ? { article: field.article } : {}) } };
    setAtPath(result, path, effective);
  }
  return result as EffectiveTerms;
}

function setAtPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

// ---------------------------------------------------------------------------------------
// Differences between versions

export type TermsFieldChange = {
  path: TermsFieldPath;
  label: LocalizedText;
  before: TermsField<unknown>;
  after: TermsField<unknown>;
  changed: Array<"value" | "article" | "quote" | "note">;
};

/** Stable JSON with sorted object keys, for comparing values. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

/** The fields that differ between two versions, in schema order, with old and new. */
export function diffTermsVersions(before: TermsProfile, after: TermsProfile): TermsFieldChange[] {
  const aspects = ["value", "article", "quote", "note"] as const;
  return TERMS_FIELD_PATHS.flatMap((path) => {
    const a = getTermsField(before, path);
    const b = getTermsField(after, path);
    const changed = aspects.filter((aspect) => canonicalJson(a[aspect]) !== canonicalJson(b[aspect]));
    return changed.length === 0 ? [] : [{ path, label: TERMS_FIELD_LABELS[path], before: a, after: b, changed }];
  });
}
