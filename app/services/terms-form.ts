/**
 * The terms profile as a plain HTML form, both ways: a profile (or one field's value) becomes a
 * flat map of form fields, and submitted FormData becomes the nested profile again. The form
 * works without JavaScript, so every input has a flat name:
 *
 *   breachNoticeHours.value            number (hours)
 *   breachNoticeHours.none             checkbox "no contractual limit" (value "true")
 *   objectionWindow.value.amount/.unit calendar period; objectionWindow.none for "no window"
 *   breachNoticeContents.value         one checkbox per item (several values under one name)
 *   mainContract.notice.value.kind     "none" | "fixed" | "by_term_length", with the month inputs
 *   <path>.article / .quote / .note    the article reference, quoted text and note of a field
 *   notes, reason, effectiveDate       profile notes and the new version's reason and date
 *
 * Parsing never throws: it builds the candidate profile and reports what it could not read (an
 * empty or non-numeric amount) as issues on the same paths `validateNewVersion` uses, so the
 * service can merge both lists and show every problem next to its field. The candidate is then
 * checked by the zod schema and the domain rules; this module only translates.
 */
import {
  BREACH_NOTICE_ITEM_KEYS,
  TERMS_FIELD_PATHS,
  calendarPeriodSchema,
  getTermsField,
  termsProfileSchema,
  type TermsField,
  type TermsFieldPath,
  type TermsProfile,
} from "~/domain/terms";
import type { LocalizedText } from "~/domain/locale";
import { translator, type MessageKey } from "~/i18n/i18n";

// ---------------------------------------------------------------------------------------
// Field kinds

const shape = termsProfileSchema.shape;
const endShape = shape.endOfContract.shape;

export const CALENDAR_UNITS = calendarPeriodSchema.shape.unit.options;
export type CalendarUnitName = (typeof CALENDAR_UNITS)[number];

export const NOTICE_RULE_KINDS = ["none", "fixed", "by_term_length"] as const;
export type NoticeRuleKindName = (typeof NOTICE_RULE_KINDS)[number];

/** How a field's value is edited; the options of a choice come from the zod schema itself. */
export type TermsFieldKind =
  | { kind: "hours" }
  | { kind: "choice"; options: readonly string[] }
  | { kind: "optionalChoice"; options: readonly string[] }
  | { kind: "items"; options: readonly string[] }
  | { kind: "flag" }
  | { kind: "period" }
  | { kind: "objectionWindow" }
  | { kind: "text" }
  | { kind: "dpaChange" }
  | { kind: "liability" }
  | { kind: "months" }
  | { kind: "noticeRule" };

export type TermsFieldKindName = TermsFieldKind["kind"];

export const TERMS_FIELD_KINDS: Record<TermsFieldPath, TermsFieldKind> = {
  breachNoticeHours: { kind: "hours" },
  breachClockStart: { kind: "choice", options: shape.breachClockStart.shape.value.options },
  thirdPartyBreachNoticeHours: { kind: "hours" },
  authorityDeadlineHours: { kind: "hours" },
  breachNoticeContents: { kind: "items", options: BREACH_NOTICE_ITEM_KEYS },
  breachScope: { kind: "choice", options: shape.breachScope.shape.value.options },
  subprocessorRegime: { kind: "choice", options: shape.subprocessorRegime.shape.value.options },
  objectionWindow: { kind: "objectionWindow" },
  objectionWindowTermijnenwet: { kind: "flag" },
  transfersOutsideEea: { kind: "text" },
  "endOfContract.choice": { kind: "choice", options: endShape.choice.shape.value.options },
  "endOfContract.deletionDeadline": { kind: "period" },
  "endOfContract.backupRetention": { kind: "period" },
  "endOfContract.exitRequestDeadline": { kind: "optionalChoice", options: endShape.exitRequestDeadline.shape.value.unwrap().options },
  "endOfContract.choiceDeadline": { kind: "period" },
  auditRights: { kind: "text" },
  dpaChangeNotice: { kind: "dpaChange" },
  liabilityCap: { kind: "liability" },
  "mainContract.termMonths": { kind: "months" },
  "mainContract.tacitRenewal": { kind: "flag" },
  "mainContract.renewalMonths": { kind: "months" },
  "mainContract.notice": { kind: "noticeRule" },
  "mainContract.noticeTermijnenwet": { kind: "flag" },
};

/** The groups of the profile screens, in the order a privacy officer reads them. */
export const TERMS_GROUPS = ["breach", "subprocessors", "transfers", "endOfContract", "audits", "dpaChanges", "liability", "mainContract"] as const;
export type TermsGroupKey = (typeof TERMS_GROUPS)[number];

export const TERMS_GROUP_FIELDS: Record<TermsGroupKey, readonly TermsFieldPath[]> = {
  breach: ["breachNoticeHours", "breachClockStart", "thirdPartyBreachNoticeHours", "authorityDeadlineHours", "breachNoticeContents", "breachScope"],
  subprocessors: ["subprocessorRegime", "objectionWindow", "objectionWindowTermijnenwet"],
  transfers: ["transfersOutsideEea"],
  endOfContract: [
    "endOfContract.choice",
    "endOfContract.deletionDeadline",
    "endOfContract.backupRetention",
    "endOfContract.exitRequestDeadline",
    "endOfContract.choiceDeadline",
  ],
  audits: ["auditRights"],
  dpaChanges: ["dpaChangeNotice"],
  liability: ["liabilityCap"],
  mainContract: ["mainContract.termMonths", "mainContract.tacitRenewal", "mainContract.renewalMonths", "mainContract.notice", "mainContract.noticeTermijnenwet"],
};

// ---------------------------------------------------------------------------------------
// Messages

type MessageVars = Record<string, string | number | LocalizedText>;

function varsFor(vars: MessageVars, locale: "nl" | "en"): Record<string, string | number> {
  return Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, typeof value === "object" ? value[locale] : value]));
}

/**
 * A catalog text in both languages, for texts the server builds and either locale shows.
 * A placeholder may itself be a LocalizedText; each language gets its own version of it.
 */
export function localized(key: MessageKey, vars: MessageVars = {}): LocalizedText {
  return { nl: translator("nl")(key, varsFor(vars, "nl")), en: translator("en")(key, varsFor(vars, "en")) };
}

/** A problem with one input, on the path `validateNewVersion` would use for it. */
export type FormIssue = { path: string; message: LocalizedText };

// ---------------------------------------------------------------------------------------
// Profile → form fields

/** Form field name → value; a checked checkbox holds "true", item checkboxes a list. */
export type TermsFormValues = Record<string, string | string[]>;

const CHECKED = "true";

type Period = { amount: number; unit: CalendarUnitName };
type Text = LocalizedText;

function putPeriod(values: TermsFormValues, name: string, period: Period | null): void {
  if (period === null) {
    values[`${name}.none`] = CHECKED;
    values[`${name}.value.amount`] = "";
    values[`${name}.value.unit`] = "days";
    return;
  }
  values[`${name}.value.amount`] = String(period.amount);
  values[`${name}.value.unit`] = period.unit;
}

function putOptionalNumber(values: TermsFormValues, name: string, value: number | null): void {
  if (value === null) values[`${name}.none`] = CHECKED;
  values[`${name}.value`] = value === null ? "" : String(value);
}

function putText(values: TermsFormValues, name: string, text: Text | null): void {
  if (text === null) values[`${name}.none`] = CHECKED;
  values[`${name}.value.nl`] = text?.nl ?? "";
  values[`${name}.value.en`] = text?.en ?? "";
}

/** The inputs of one field's value, named under `path`. */
export function termsValueToFormValues(path: TermsFieldPath, value: unknown, values: TermsFormValues = {}): TermsFormValues {
  const kind = TERMS_FIELD_KINDS[path];
  switch (kind.kind) {
    case "hours":
    case "months":
      putOptionalNumber(values, path, value as number | null);
      break;
    case "choice":
      values[`${path}.value`] = value as string;
      break;
    case "optionalChoice":
      values[`${path}.value`] = (value as string | null) ?? "";
      break;
    case "items":
      values[`${path}.value`] = [...(value as string[])];
      break;
    case "flag":
      if (value === true) values[`${path}.value`] = CHECKED;
      break;
    case "period":
    case "objectionWindow":
      putPeriod(values, path, value as Period | null);
      break;
    case "text":
      putText(values, path, value as Text | null);
      break;
    case "dpaChange": {
      const change = value as { noticePeriod: Period | null; responseWindow: Period | null; text: Text };
      putPeriod(values, `${path}.value.noticePeriod`, change.noticePeriod);
      putPeriod(values, `${path}.value.responseWindow`, change.responseWindow);
      values[`${path}.value.text.nl`] = change.text.nl;
      values[`${path}.value.text.en`] = change.text.en;
      break;
    }
    case "liability": {
      const cap = value as { text: Text; amountEur: number | null } | null;
      if (cap === null) values[`${path}.none`] = CHECKED;
      values[`${path}.value.text.nl`] = cap?.text.nl ?? "";
      values[`${path}.value.text.en`] = cap?.text.en ?? "";
      values[`${path}.value.amountEur`] = cap?.amountEur === null || cap === null ? "" : String(cap.amountEur);
      break;
    }
    case "noticeRule": {
      const rule = value as
        | { kind: "fixed"; months: number }
        | { kind: "by_term_length"; maxShortTermMonths: number; shortTermNoticeMonths: number; longTermNoticeMonths: number }
        | null;
      values[`${path}.value.kind`] = rule?.kind ?? "none";
      values[`${path}.value.months`] = rule?.kind === "fixed" ? String(rule.months) : "";
      values[`${path}.value.maxShortTermMonths`] = rule?.kind === "by_term_length" ? String(rule.maxShortTermMonths) : "";
      values[`${path}.value.shortTermNoticeMonths`] = rule?.kind === "by_term_length" ? String(rule.shortTermNoticeMonths) : "";
      values[`${path}.value.longTermNoticeMonths`] = rule?.kind === "by_term_length" ? String(rule.longTermNoticeMonths) : "";
      break;
    }
  }
  return values;
}

/** Every input of the new-version form, filled from a profile (the version it starts from). */
export function termsProfileToFormValues(profile: TermsProfile): TermsFormValues {
  const values: TermsFormValues = {};
  for (const path of TERMS_FIELD_PATHS) {
    const field = getTermsField(profile, path);
    termsValueToFormValues(path, field.value, values);
    values[`${path}.article`] = field.article ?? "";
    values[`${path}.quote`] = field.quote ?? "";
    values[`${path}.note`] = field.note ?? "";
  }
  values.notes = profile.notes;
  return values;
}

// ---------------------------------------------------------------------------------------
// Form fields → profile

/** What FormData and URLSearchParams both offer. */
export type FormSource = { get(name: string): FormDataEntryValue | null; getAll(name: string): FormDataEntryValue[] };

/**
 * A text input, cleaned: browsers send textarea line breaks as CRLF (the profile stores LF), and
 * U+FFFD / NUL never belong in terms text. They appear when the page that held the form was
 * damaged in transit (React 18's streaming renderer can emit NUL bytes where a multi-byte
 * character meets its 2 KB buffer boundary; the browser shows them as U+FFFD and would send them
 * back), so they are dropped rather than stored in an immutable version.
 */
export function formText(form: FormSource, name: string): string {
  const raw = form.get(name);
  return typeof raw === "string" ? raw.replaceAll("\u0000", "").replaceAll("\uFFFD", "").replace(/\r\n?/g, "\n").trim() : "";
}

const text = formText;

function checked(form: FormSource, name: string): boolean {
  return form.get(name) === CHECKED;
}

class FieldReader {
  readonly issues: FormIssue[] = [];

  constructor(private readonly form: FormSource) {}

  text(name: string): string {
    return text(this.form, name);
  }

  checked(name: string): boolean {
    return checked(this.form, name);
  }

  /**
   * A number as `<input type="number">` submits it ("24", "-3", "1.5"; no thousands separators).
   * Empty or not a number: an issue, and NaN in the candidate (which the schema refuses too).
   */
  number(name: string, issuePath: string): number {
    const raw = this.text(name);
    if (raw === "") {
      this.issues.push({ path: issuePath, message: localized("terms.form.error.numberRequired") });
      return Number.NaN;
    }
    const value = Number(raw);
    if (!/^-?\d+(\.\d+)?$/.test(raw) || !Number.isFinite(value)) {
      this.issues.push({ path: issuePath, message: localized("terms.form.error.notANumber") });
      return Number.NaN;
    }
    return value;
  }

  /** A number that may be left empty (→ null). */
  optionalNumber(name: string, issuePath: string): number | null {
    return this.text(name) === "" ? null : this.number(name, issuePath);
  }

  period(name: string, issuePath: string): Period | null {
    if (this.checked(`${name}.none`)) return null;
    return { amount: this.number(`${name}.value.amount`, `${issuePath}.amount`), unit: this.text(`${name}.value.unit`) as CalendarUnitName };
  }

  localizedText(name: string): Text {
    return { nl: this.text(`${name}.nl`), en: this.text(`${name}.en`) };
  }
}

function readValue(reader: FieldReader, form: FormSource, path: TermsFieldPath): unknown {
  const kind = TERMS_FIELD_KINDS[path];
  switch (kind.kind) {
    case "hours":
    case "months":
      return reader.checked(`${path}.none`) ? null : reader.number(`${path}.value`, path);
    case "choice":
      return reader.text(`${path}.value`);
    case "optionalChoice": {
      const value = reader.text(`${path}.value`);
      return value === "" ? null : value;
    }
    case "items":
      return form.getAll(`${path}.value`).filter((item): item is string => typeof item === "string");
    case "flag":
      return reader.checked(`${path}.value`);
    case "period":
      return reader.period(path, path);
    case "objectionWindow": {
      const period = reader.period(path, path);
      return period === null ? null : { ...period, from: "notice_sent" };
    }
    case "text":
      return reader.checked(`${path}.none`) ? null : reader.localizedText(`${path}.value`);
    case "dpaChange":
      return {
        noticePeriod: reader.period(`${path}.value.noticePeriod`, `${path}.noticePeriod`),
        responseWindow: reader.period(`${path}.value.responseWindow`, `${path}.responseWindow`),
        text: reader.localizedText(`${path}.value.text`),
      };
    case "liability":
      if (reader.checked(`${path}.none`)) return null;
      return {
        text: reader.localizedText(`${path}.value.text`),
        amountEur: reader.optionalNumber(`${path}.value.amountEur`, `${path}.amountEur`),
      };
    case "noticeRule": {
      const ruleKind = reader.text(`${path}.value.kind`);
      if (ruleKind === "none") return null;
      if (ruleKind === "fixed") return { kind: "fixed", months: reader.number(`${path}.value.months`, `${path}.months`) };
      if (ruleKind === "by_term_length") {
        return {
          kind: "by_term_length",
          maxShortTermMonths: reader.number(`${path}.value.maxShortTermMonths`, `${path}.maxShortTermMonths`),
          shortTermNoticeMonths: reader.number(`${path}.value.shortTermNoticeMonths`, `${path}.shortTermNoticeMonths`),
          longTermNoticeMonths: reader.number(`${path}.value.longTermNoticeMonths`, `${path}.longTermNoticeMonths`),
        };
      }
      // an unknown kind (a tampered request) reaches the zod schema as is and is refused there
      return { kind: ruleKind };
    }
  }
}

/** One field's value from the inputs named under `path` (the deviation form uses this). */
export function parseTermsValue(path: TermsFieldPath, form: FormSource): { value: unknown; issues: FormIssue[] } {
  const reader = new FieldReader(form);
  const value = readValue(reader, form, path);
  return { value, issues: reader.issues };
}

export type ParsedTermsForm = {
  /** the candidate profile, not yet validated */
  content: unknown;
  reason: string;
  effectiveDate: string;
  /** inputs that could not be read (empty or non-numeric amounts) */
  issues: FormIssue[];
};

/** The whole new-version form back into a nested profile candidate, its reason and effective date. */
export function parseTermsForm(form: FormSource): ParsedTermsForm {
  const reader = new FieldReader(form);
  const content: Record<string, unknown> = {};
  for (const path of TERMS_FIELD_PATHS) {
    const field: Partial<TermsField<unknown>> = { value: readValue(reader, form, path) };
    for (const aspect of ["article", "quote", "note"] as const) {
      const value = reader.text(`${path}.${aspect}`);
      if (value !== "") field[aspect] = value;
    }
    setAtPath(content, path, field);
  }
  content.notes = reader.text("notes");
  return { content, reason: reader.text("reason"), effectiveDate: reader.text("effectiveDate"), issues: reader.issues };
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

/** Turns form values into FormData, as a browser would submit them (for tests and round trips). */
export function formValuesToFormData(values: TermsFormValues): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(values)) {
    if (Array.isArray(value)) for (const item of value) data.append(name, item);
    else data.append(name, value);
  }
  return data;
}

const LIST_INPUTS = new Set(TERMS_FIELD_PATHS.filter((path) => TERMS_FIELD_KINDS[path].kind === "items").map((path) => `${path}.value`));

/** Form values as they were submitted, so a refused form can be shown again without losing input. */
export function formDataToFormValues(form: FormData): TermsFormValues {
  const values: TermsFormValues = {};
  for (const name of new Set(form.keys())) {
    const all = form.getAll(name).filter((item): item is string => typeof item === "string");
    values[name] = LIST_INPUTS.has(name) ? all : (all[0] ?? "");
  }
  return values;
}
