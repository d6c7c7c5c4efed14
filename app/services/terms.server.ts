/**
 * Terms profiles: the workspace's versions, a customer's effective (negotiated) terms with the
 * clocks they drive, and the workspace's internal breach-notice target.
 *
 * IMMUTABILITY BY CONSTRUCTION. A terms version is what a customer's DPA was signed under, and
 * every clock of that customer runs on it. This module therefore has no function that updates or
 * deletes a `terms_versions` row, and none may be added: a change is always a new version
 * (`createTermsVersion`, version = max + 1) with its own reason and effective date. Customers keep
 * the version their DPA refers to; moving a customer to a newer version belongs to signing a new
 * DPA, not to editing terms. Negotiated deviations live in `term_deviations`, per customer, on top
 * of the version, so negotiating never touches the version either.
 *
 * Every function takes the actor first: portal users get 404 (these screens do not exist for
 * them), auditors may read but not write (403), and every query is scoped to the actor's workspace.
 * Texts for the screens are returned in both languages (LocalizedText); the route picks one.
 */
import { and, asc, count, desc, eq, gt, lt, or, type SQL } from "drizzle-orm";
import { customers, termDeviations, termsVersions, users, workspaces } from "../../db/schema";
import { getDb } from "~/db.server";
import { authorityDeadline, customerNoticeDeadline } from "~/domain/breach-clock";
import { currentTermEnd } from "~/domain/contract-clock";
import type { Deadline, DeadlineBasis } from "~/domain/deadline";
import { DEFAULT_INTERNAL_DELETION_TARGET_DAYS } from "~/domain/end-of-contract-clock";
import { isDomainError } from "~/domain/errors";
import { explainDeadline } from "~/domain/explain-deadline";
import type { LocalizedText } from "~/domain/locale";
import { objectionWindowEnd } from "~/domain/objection-window";
import { can, type Actor, type Permission } from "~/domain/permissions";
import {
  BREACH_NOTICE_ITEM_LABELS,
  TERMS_FIELD_LABELS,
  TERMS_FIELD_PATHS,
  diffTermsVersions,
  effectiveTerms,
  formatArticleRef,
  getTermsField,
  isTermsFieldPath,
  termsProfileSchema,
  validateDeviation,
  validateNewVersion,
  type BreachNoticeItem,
  type EffectiveField,
  type EffectiveTerms,
  type FieldSource,
  type NoticeRule,
  type TermsField,
  type TermsFieldPath,
  type TermsProfile,
  type ValidationIssue,
} from "~/domain/terms";
import { amsterdamDateOf, parseInstant } from "~/domain/time";
import type { MessageKey } from "~/i18n/i18n";
import { appendAudit } from "./audit.server";
import { displayDate, displayInstant } from "./display.server";
import { forbidden, notFound } from "./http.server";
import { newId } from "./ids.server";
import {
  TERMS_FIELD_KINDS,
  TERMS_GROUPS,
  TERMS_GROUP_FIELDS,
  localized,
  termsProfileToFormValues,
  termsValueToFormValues,
  type FormIssue,
  type TermsFieldKindName,
  type TermsFormValues,
  type TermsGroupKey,
} from "./terms-form";

type StaffActor = Extract<Actor, { kind: "staff" }>;

/** The internal breach-notice target may be set between 1 hour and 30 days. */
export const INTERNAL_TARGET_MIN_HOURS = 1;
export const INTERNAL_TARGET_MAX_HOURS = 720;

const CUSTOMER_PAGE_SIZE = 25;
const MAX_REASON_LENGTH = 2000;
const MAX_CLAUSE_LENGTH = 500;

// ---------------------------------------------------------------------------------------
// Access

function requireStaff(actor: Actor, permission: Permission = "workspace:read"): asserts actor is StaffActor {
  if (actor.kind !== "staff") throw notFound();
  if (!can(actor, permission)) throw forbidden();
}

function todayIn(now: string): string {
  return amsterdamDateOf(parseInstant(now, "now")).toString();
}

// ---------------------------------------------------------------------------------------
// Plain-language values

type Period = { amount: number; unit: "days" | "weeks" | "months" };

function periodText(period: Period): LocalizedText {
  const key = period.amount === 1 ? (`terms.period.${period.unit}.one` as const) : (`terms.period.${period.unit}` as const);
  return localized(key, { count: period.amount });
}

function monthsText(months: number): LocalizedText {
  return periodText({ amount: months, unit: "months" });
}

function euroText(amount: number): LocalizedText {
  const format = (locale: string) =>
    new Intl.NumberFormat(locale, { style: "currency", currency: "EUR", maximumFractionDigits: amount % 1 === 0 ? 0 : 2 }).format(amount);
  return { nl: format("nl-NL"), en: format("en-GB") };
}

/** The catalog label of an enum value, e.g. "terms.enum.breachScope.all_breaches". */
export function termsEnumLabel(path: TermsFieldPath, value: string): LocalizedText {
  return localized(`terms.enum.${path}.${value}` as MessageKey);
}

/** Fields whose value drives a clock: without an article they are product defaults, i.e. internal. */
const CLOCK_FIELDS = new Set<TermsFieldPath>([
  "breachNoticeHours",
  "thirdPartyBreachNoticeHours",
  "authorityDeadlineHours",
  "objectionWindow",
  "endOfContract.deletionDeadline",
  "endOfContract.backupRetention",
  "endOfContract.choiceDeadline",
  "mainContract.notice",
]);

const PROSE_KINDS = new Set<TermsFieldKindName>(["text", "dpaChange", "liability"]);

type ValueDescription = { value: LocalizedText; items?: LocalizedText[]; internal: boolean };

type DescribeContext = { internalTargetHours: number };

/**
 * One field's value in plain language. Where the terms set no limit and the product falls back
 * to an internal target, the text says so and `internal` is set, so the screen can label it
 * "internal, not contractual".
 */
export function describeTermsValue(path: TermsFieldPath, value: unknown, context: DescribeContext): ValueDescription {
  const plain = (text: LocalizedText, items?: LocalizedText[]): ValueDescription => ({ value: text, items, internal: false });
  switch (path) {
    case "breachNoticeHours":
      return value === null
        ? { value: localized("terms.value.breachNoticeHours.none", { hours: context.internalTargetHours }), internal: true }
        : plain(localized("terms.value.hours", { count: value as number }));
    case "thirdPartyBreachNoticeHours":
      return plain(value === null ? localized("terms.value.thirdPartyBreachNoticeHours.none") : localized("terms.value.thirdPartyHours", { count: value as number }));
    case "authorityDeadlineHours":
      return plain(value === null ? localized("terms.value.authorityDeadlineHours.none") : localized("terms.value.authorityHours", { count: value as number }));
    case "breachClockStart":
    case "breachScope":
    case "subprocessorRegime":
    case "endOfContract.choice":
      return plain(termsEnumLabel(path, value as string));
    case "endOfContract.exitRequestDeadline":
      return plain(value === null ? localized("terms.value.endOfContract.exitRequestDeadline.none") : termsEnumLabel(path, value as string));
    case "breachNoticeContents": {
      const items = value as BreachNoticeItem[];
      return plain(localized("terms.value.items", { count: items.length }), items.map((item) => BREACH_NOTICE_ITEM_LABELS[item]));
    }
    case "objectionWindowTermijnenwet":
    case "mainContract.noticeTermijnenwet":
      return plain(localized(value === true ? "terms.value.termijnenwet.true" : "terms.value.termijnenwet.false"));
    case "mainContract.tacitRenewal":
      return plain(localized(value === true ? "terms.value.tacitRenewal.true" : "terms.value.tacitRenewal.false"));
    case "objectionWindow":
      return plain(value === null ? localized("terms.value.objectionWindow.none") : localized("terms.value.objectionWindow", { period: periodText(value as Period) }));
    case "endOfContract.deletionDeadline":
      return value === null
        ? { value: localized("terms.value.deletionDeadline.none", { days: DEFAULT_INTERNAL_DELETION_TARGET_DAYS }), internal: true }
        : plain(localized("terms.value.afterContractEnd", { period: periodText(value as Period) }));
    case "endOfContract.backupRetention":
      return plain(value === null ? localized("terms.value.backupRetention.none") : localized("terms.value.afterDeletion", { period: periodText(value as Period) }));
    case "endOfContract.choiceDeadline":
      return plain(value === null ? localized("terms.value.choiceDeadline.none") : localized("terms.value.afterContractEnd", { period: periodText(value as Period) }));
    case "transfersOutsideEea":
    case "auditRights":
      return plain(value === null ? localized("terms.value.text.none") : (value as LocalizedText));
    case "dpaChangeNotice": {
      const change = value as { noticePeriod: Period | null; responseWindow: Period | null; text: LocalizedText };
      return plain(change.text, [
        change.noticePeriod === null ? localized("terms.value.dpaChange.notice.none") : localized("terms.value.dpaChange.notice", { period: periodText(change.noticePeriod) }),
        change.responseWindow === null
          ? localized("terms.value.dpaChange.response.none")
          : localized("terms.value.dpaChange.response", { period: periodText(change.responseWindow) }),
      ]);
    }
    case "liabilityCap": {
      const cap = value as { text: LocalizedText; amountEur: number | null } | null;
      if (cap === null) return plain(localized("terms.value.liabilityCap.none"));
      return plain(cap.text, cap.amountEur === null ? undefined : [localized("terms.value.liabilityCap.amount", { amount: euroText(cap.amountEur) })]);
    }
    case "mainContract.termMonths":
      return plain(value === null ? localized("terms.value.termMonths.none") : monthsText(value as number));
    case "mainContract.renewalMonths":
      return plain(value === null ? localized("terms.value.renewalMonths.none") : localized("terms.value.renewalMonths", { period: monthsText(value as number) }));
    case "mainContract.notice": {
      const rule = value as NoticeRule | null;
      if (rule === null) return plain(localized("terms.value.notice.none"));
      if (rule.kind === "fixed") return plain(localized("terms.value.notice.fixed", { period: monthsText(rule.months) }));
      return plain(
        localized("terms.value.notice.byTermLength", {
          short: monthsText(rule.shortTermNoticeMonths),
          max: monthsText(rule.maxShortTermMonths),
          long: monthsText(rule.longTermNoticeMonths),
        }),
      );
    }
  }
}

function articleText(ref: string | undefined): LocalizedText | undefined {
  return ref ? { nl: formatArticleRef(ref, "nl"), en: formatArticleRef(ref, "en") } : undefined;
}

export type FieldSourceView =
  | { kind: "profile"; version: number; article?: LocalizedText }
  | { kind: "negotiated"; clause: string; reason: string };

export type TermsFieldView = {
  path: TermsFieldPath;
  label: LocalizedText;
  value: LocalizedText;
  items?: LocalizedText[];
  /** the value is an internal target or product default, not a contract term */
  internal: boolean;
  /** the value is running text (transfers, audits, changes, liability), not a short fact */
  prose: boolean;
  article?: LocalizedText;
  quote?: string;
  note?: string;
  /** only on a customer's effective terms */
  source?: FieldSourceView;
};

export type TermsGroupView = { key: TermsGroupKey; fields: TermsFieldView[] };

function fieldView(path: TermsFieldPath, field: TermsField<unknown>, context: DescribeContext, source?: FieldSource): TermsFieldView {
  const description = describeTermsValue(path, field.value, context);
  const negotiated = source?.kind === "negotiated";
  const productDefault = CLOCK_FIELDS.has(path) && field.value !== null && !field.article && !negotiated;
  return {
    path,
    label: TERMS_FIELD_LABELS[path],
    value: description.value,
    ...(description.items ? { items: description.items } : {}),
    internal: !negotiated && (description.internal || productDefault),
    prose: PROSE_KINDS.has(TERMS_FIELD_KINDS[path].kind) && field.value !== null,
    ...(field.article ? { article: articleText(field.article) } : {}),
    ...(field.quote ? { quote: field.quote } : {}),
    ...(field.note ? { note: field.note } : {}),
    ...(source ? { source: sourceView(source) } : {}),
  };
}

function sourceView(source: FieldSource): FieldSourceView {
  if (source.kind === "negotiated") return { kind: "negotiated", clause: source.clause, reason: source.reason };
  return { kind: "profile", version: source.version, ...(source.article ? { article: articleText(source.article) } : {}) };
}

function groupViews(fieldOf: (path: TermsFieldPath) => TermsFieldView): TermsGroupView[] {
  return TERMS_GROUPS.map((key) => ({ key, fields: TERMS_GROUP_FIELDS[key].map(fieldOf) }));
}

/** A profile version as grouped, plain-language fields with article, quote and note. */
export function termsProfileView(profile: TermsProfile, context: DescribeContext): TermsGroupView[] {
  return groupViews((path) => fieldView(path, getTermsField(profile, path), context));
}

function effectiveTermsView(terms: EffectiveTerms, context: DescribeContext): TermsGroupView[] {
  return groupViews((path) => {
    const field = effectiveFieldAt(terms, path);
    return fieldView(path, field, context, field.source);
  });
}

function effectiveFieldAt(terms: EffectiveTerms, path: TermsFieldPath): EffectiveField<unknown> {
  let node: unknown = terms;
  for (const key of path.split(".")) node = (node as Record<string, unknown>)[key];
  return node as EffectiveField<unknown>;
}

// ---------------------------------------------------------------------------------------
// Editing descriptors (the new-version form and the deviation form)

export type TermsFieldEditorView = {
  path: TermsFieldPath;
  label: LocalizedText;
  kind: TermsFieldKindName;
  /** choices of a select or of the item checkboxes */
  options: { value: string; label: LocalizedText }[];
  /** the label of the "no value" checkbox or select option, for fields that may be empty */
  noneLabel?: LocalizedText;
};

export type TermsEditorGroupView = { key: TermsGroupKey; fields: TermsFieldEditorView[] };

const NULLABLE_KINDS = new Set<TermsFieldKindName>(["hours", "months", "period", "objectionWindow", "text", "liability", "optionalChoice", "noticeRule"]);

export function termsFieldEditor(path: TermsFieldPath): TermsFieldEditorView {
  const kind = TERMS_FIELD_KINDS[path];
  const options =
    kind.kind === "choice" || kind.kind === "optionalChoice"
      ? kind.options.map((value) => ({ value, label: termsEnumLabel(path, value) }))
      : kind.kind === "items"
        ? kind.options.map((value) => ({ value, label: BREACH_NOTICE_ITEM_LABELS[value as BreachNoticeItem] }))
        : [];
  return {
    path,
    label: TERMS_FIELD_LABELS[path],
    kind: kind.kind,
    options,
    ...(NULLABLE_KINDS.has(kind.kind) ? { noneLabel: localized(`terms.form.none.${path}` as MessageKey) } : {}),
  };
}

function editorGroups(): TermsEditorGroupView[] {
  return TERMS_GROUPS.map((key) => ({ key, fields: TERMS_GROUP_FIELDS[key].map(termsFieldEditor) }));
}

// ---------------------------------------------------------------------------------------
// Versions

type VersionRow = typeof termsVersions.$inferSelect;

export type TermsVersionSummary = {
  id: string;
  version: number;
  effectiveDate: string;
  effectiveDateDisplay: string;
  reason: string;
  createdAt: string;
  createdAtDisplay: string;
  /** null for versions the system created (demo data, imports) */
  createdByName: string | null;
  customerCount: number;
  /** the effective date has not come yet */
  upcoming: boolean;
};

function parseProfile(row: Pick<VersionRow, "content">): TermsProfile {
  return termsProfileSchema.parse(JSON.parse(row.content));
}

function internalTargetOf(workspaceId: string): number {
  const row = getDb().select({ hours: workspaces.internalBreachTargetHours }).from(workspaces).where(eq(workspaces.id, workspaceId)).get();
  if (!row) throw notFound();
  return row.hours;
}

function versionSummaries(actor: StaffActor, today: string, filter?: SQL): TermsVersionSummary[] {
  const db = getDb();
  const rows = db
    .select({
      id: termsVersions.id,
      version: termsVersions.version,
      effectiveDate: termsVersions.effectiveDate,
      reason: termsVersions.reason,
      createdAt: termsVersions.createdAt,
      createdByName: users.name,
    })
    .from(termsVersions)
    .leftJoin(users, eq(users.id, termsVersions.createdByUserId))
    .where(and(eq(termsVersions.workspaceId, actor.workspaceId), filter))
    .orderBy(desc(termsVersions.version))
    .all();
  const counts = new Map(
    db
      .select({ versionId: customers.termsVersionId, n: count() })
      .from(customers)
      .where(eq(customers.workspaceId, actor.workspaceId))
      .groupBy(customers.termsVersionId)
      .all()
      .map((row) => [row.versionId, row.n]),
  );
  return rows.map((row) => ({
    ...row,
    effectiveDateDisplay: displayDate(row.effectiveDate),
    createdAtDisplay: displayInstant(row.createdAt),
    customerCount: counts.get(row.id) ?? 0,
    upcoming: row.effectiveDate > today,
  }));
}

/**
 * Every version of the workspace's profile, newest first, with the number of customers whose
 * DPA refers to it. Versions are made by hand, a few a year, so the list is not paginated.
 */
export async function listTermsVersions(actor: Actor, now: string = new Date().toISOString()): Promise<TermsVersionSummary[]> {
  requireStaff(actor);
  return versionSummaries(actor, todayIn(now));
}

export type TermsVersionDetail = TermsVersionSummary & {
  profile: TermsProfile;
  groups: TermsGroupView[];
  notes: string;
  internalTargetHours: number;
};

function versionRow(actor: StaffActor, version: number): VersionRow {
  if (!Number.isInteger(version) || version < 1) throw notFound();
  const row = getDb()
    .select()
    .from(termsVersions)
    .where(and(eq(termsVersions.workspaceId, actor.workspaceId), eq(termsVersions.version, version)))
    .get();
  if (!row) throw notFound();
  return row;
}

/** One version of the workspace's profile, parsed with the schema, with its grouped view. */
export async function getTermsVersion(actor: Actor, version: number, now: string = new Date().toISOString()): Promise<TermsVersionDetail> {
  requireStaff(actor);
  const row = versionRow(actor, version);
  const summary = versionSummaries(actor, todayIn(now), eq(termsVersions.id, row.id))[0];
  const profile = parseProfile(row);
  const internalTargetHours = internalTargetOf(actor.workspaceId);
  return { ...summary, profile, groups: termsProfileView(profile, { internalTargetHours }), notes: profile.notes, internalTargetHours };
}

/** The version in force on `today`: the newest whose effective date has come (else the oldest). */
function currentOf(versions: TermsVersionSummary[]): TermsVersionSummary | undefined {
  return versions.find((v) => !v.upcoming) ?? versions[versions.length - 1];
}

export type TermsOverview = {
  current: TermsVersionDetail | null;
  versions: TermsVersionSummary[];
  internalTargetHours: number;
  canWrite: boolean;
};

/** The /terms page: the version in force, grouped, and the list of all versions. */
export async function getTermsOverview(actor: Actor, now: string): Promise<TermsOverview> {
  requireStaff(actor);
  const versions = versionSummaries(actor, todayIn(now));
  const current = currentOf(versions);
  return {
    current: current ? await getTermsVersion(actor, current.version, now) : null,
    versions,
    internalTargetHours: internalTargetOf(actor.workspaceId),
    canWrite: can(actor, "workspace:write"),
  };
}

export type CustomerOnVersion = { id: string; name: string; city: string; status: string; contractStart: string; contractStartDisplay: string; archived: boolean };

type Cursor = { v: string; id: string };

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.v, cursor.id])).toString("base64url");
}

function decodeCursor(raw: string | null | undefined): Cursor | null {
  if (!raw) return null;
  try {
    const [v, id] = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as unknown[];
    return typeof v === "string" && typeof id === "string" ? { v, id } : null;
  } catch {
    return null;
  }
}

export type CustomersOnVersionPage = { customers: CustomerOnVersion[]; total: number; next: string | null; previous: string | null };

/**
 * The customers whose DPA refers to a version, by name, keyset-paginated on (name, id):
 * `after` pages forward, `before` back, so a deep page costs the same as the first.
 */
export async function customersOnVersion(
  actor: Actor,
  version: number,
  page: { after?: string | null; before?: string | null; /** same as `after` */ cursor?: string | null } = {},
): Promise<CustomersOnVersionPage> {
  requireStaff(actor);
  const row = versionRow(actor, version);
  const db = getDb();
  const scope = and(eq(customers.workspaceId, actor.workspaceId), eq(customers.termsVersionId, row.id));
  const total = db.select({ n: count() }).from(customers).where(scope).get()?.n ?? 0;
  const after = decodeCursor(page.after ?? page.cursor);
  const before = after ? null : decodeCursor(page.before);
  const cursor = after ?? before;
  const forward = before === null;
  const cmp = forward ? gt : lt;
  const rows = db
    .select({
      id: customers.id,
      name: customers.name,
      nameKey: customers.nameKey,
      city: customers.city,
      status: customers.status,
      contractStart: customers.contractStart,
      archivedAt: customers.archivedAt,
    })
    .from(customers)
    .where(cursor ? and(scope, or(cmp(customers.nameKey, cursor.v), and(eq(customers.nameKey, cursor.v), cmp(customers.id, cursor.id)))) : scope)
    .orderBy(...(forward ? [asc(customers.nameKey), asc(customers.id)] : [desc(customers.nameKey), desc(customers.id)]))
    .limit(CUSTOMER_PAGE_SIZE + 1)
    .all();
  const hasMore = rows.length > CUSTOMER_PAGE_SIZE;
  const pageRows = rows.slice(0, CUSTOMER_PAGE_SIZE);
  if (!forward) pageRows.reverse();
  const first = pageRows[0];
  const last = pageRows[pageRows.length - 1];
  return {
    total,
    customers: pageRows.map((c) => ({
      id: c.id,
      name: c.name,
      city: c.city,
      status: c.status,
      contractStart: c.contractStart,
      contractStartDisplay: displayDate(c.contractStart),
      archived: c.archivedAt !== null,
    })),
    next: last && (forward ? hasMore : true) ? encodeCursor({ v: last.nameKey, id: last.id }) : null,
    previous: first && (forward ? cursor !== null : hasMore) ? encodeCursor({ v: first.nameKey, id: first.id }) : null,
  };
}

// ---------------------------------------------------------------------------------------
// Creating a version

export type NewTermsVersionForm = {
  /** the newest version, which the form starts from; null when the workspace has none yet */
  base: TermsVersionSummary | null;
  values: TermsFormValues;
  groups: TermsEditorGroupView[];
  today: string;
};

/** What the new-version form needs: the newest version's values as form fields. */
export async function getNewTermsVersionForm(actor: Actor, now: string): Promise<NewTermsVersionForm> {
  requireStaff(actor, "workspace:write");
  const today = todayIn(now);
  const base = versionSummaries(actor, today)[0] ?? null;
  if (!base) throw notFound("This workspace has no terms profile to start from.");
  const profile = parseProfile(versionRow(actor, base.version));
  const values = termsProfileToFormValues(profile);
  values.effectiveDate = today;
  values.reason = "";
  return { base, values, groups: editorGroups(), today };
}

export type NewTermsVersionInput = {
  content: unknown;
  reason: string;
  effectiveDate: string;
  /** problems the form parser found (unreadable numbers); they take precedence on their paths */
  formIssues?: FormIssue[];
};

export type CreateTermsVersionResult =
  | { ok: true; id: string; version: number; previousVersion: number | null }
  | { ok: false; issues: FormIssue[] };

function fromValidation(issue: ValidationIssue): FormIssue {
  return { path: issue.path, message: issue.message };
}

/** Stable JSON (sorted keys) for comparing contents. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Stores a new version (max + 1) after full validation: the zod schema, the domain rules of
 * `validateNewVersion` (positive hours, windows of at least 1, cross-field rules, an effective
 * date today or later in Europe/Amsterdam), a reason, an effective date not before the previous
 * version's, and a content that differs from the previous version. Any problem: nothing stored,
 * every issue returned on its field path. Privacy officers and admins only.
 */
export async function createTermsVersion(actor: Actor, input: NewTermsVersionInput, now: string): Promise<CreateTermsVersionResult> {
  requireStaff(actor, "workspace:write");
  const today = todayIn(now);
  const formIssues = input.formIssues ?? [];
  const reason = input.reason.trim();

  return getDb().transaction(
    (tx): CreateTermsVersionResult => {
      const previous = tx
        .select()
        .from(termsVersions)
        .where(eq(termsVersions.workspaceId, actor.workspaceId))
        .orderBy(desc(termsVersions.version))
        .limit(1)
        .get();
      const previousProfile = previous ? parseProfile(previous) : null;

      const issues: FormIssue[] = [...formIssues, ...contentIssues(input, formIssues, previousProfile, today)];
      if (reason === "") issues.push({ path: "reason", message: localized("terms.form.error.reasonRequired") });
      if (reason.length > MAX_REASON_LENGTH) issues.push({ path: "reason", message: localized("terms.form.error.tooLong", { max: MAX_REASON_LENGTH }) });
      if (previous && !issues.some((issue) => issue.path === "effectiveDate") && input.effectiveDate < previous.effectiveDate) {
        issues.push({
          path: "effectiveDate",
          message: localized("terms.form.error.beforePrevious", { version: previous.version, date: displayDate(previous.effectiveDate) }),
        });
      }
      const parsed = termsProfileSchema.safeParse(input.content);
      if (previous && previousProfile && parsed.success && canonical(parsed.data) === canonical(previousProfile)) {
        issues.push({ path: "", message: localized("terms.form.error.identical", { version: previous.version }) });
      }
      if (issues.length > 0 || !parsed.success) return { ok: false, issues };

      const id = newId();
      const version = (previous?.version ?? 0) + 1;
      tx.insert(termsVersions)
        .values({
          id,
          workspaceId: actor.workspaceId,
          version,
          content: JSON.stringify(parsed.data),
          reason,
          effectiveDate: input.effectiveDate,
          createdByUserId: actor.userId,
          createdAt: now,
        })
        .run();
      const changedFields = previousProfile ? diffTermsVersions(previousProfile, parsed.data).map((change) => change.path) : TERMS_FIELD_PATHS;
      appendAudit(tx, actor, now, {
        action: "terms_version.created",
        entityType: "terms_version",
        entityId: id,
        data: { version, previousVersion: previous?.version ?? null, reason, effectiveDate: input.effectiveDate, changedFields },
      });
      return { ok: true, id, version, previousVersion: previous?.version ?? null };
    },
    { behavior: "immediate" },
  );
}

/** The `{ value, … }` object at a field path of an unchecked candidate, if the shape has it. */
function fieldNode(content: unknown, path: TermsFieldPath): { value?: unknown } | undefined {
  let node: unknown = content;
  for (const key of path.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node !== null && typeof node === "object" ? (node as { value?: unknown }) : undefined;
}

/** The terms field an issue path belongs to ("objectionWindow.amount" → "objectionWindow"). */
function fieldOfIssue(path: string): TermsFieldPath | undefined {
  return TERMS_FIELD_PATHS.find((field) => path === field || path.startsWith(`${field}.`));
}

/**
 * The domain's verdict on the content. Fields the form parser could not read (an empty amount)
 * would make the schema refuse the whole candidate and hide every other problem; so those
 * fields are checked with the previous version's value in their place, and only the issues of
 * the other fields are kept. Every problem then shows in one round.
 */
function contentIssues(input: NewTermsVersionInput, formIssues: FormIssue[], previous: TermsProfile | null, today: string): FormIssue[] {
  const unreadable = new Set(formIssues.map((issue) => fieldOfIssue(issue.path)).filter((field): field is TermsFieldPath => field !== undefined));
  let candidate = input.content;
  if (unreadable.size > 0 && previous && candidate !== null && typeof candidate === "object") {
    const patched = structuredClone(candidate);
    for (const field of unreadable) {
      const node = fieldNode(patched, field);
      if (node) node.value = getTermsField(previous, field).value;
    }
    candidate = patched;
  }
  return validateNewVersion(candidate, input.effectiveDate, today)
    .map(fromValidation)
    .filter((issue) => {
      const field = fieldOfIssue(issue.path);
      return field === undefined || !unreadable.has(field);
    });
}

// ---------------------------------------------------------------------------------------
// Comparing versions

type AspectView = { value: LocalizedText; items?: LocalizedText[]; article?: LocalizedText; quote?: string; note?: string };

export type TermsChangeView = {
  path: TermsFieldPath;
  label: LocalizedText;
  changed: Array<"value" | "article" | "quote" | "note">;
  before: AspectView;
  after: AspectView;
};

export type TermsComparison = {
  a: TermsVersionSummary;
  b: TermsVersionSummary;
  changes: TermsChangeView[];
  notes: { before: string; after: string } | null;
  versions: number[];
};

function aspectView(path: TermsFieldPath, field: TermsField<unknown>, context: DescribeContext): AspectView {
  const description = describeTermsValue(path, field.value, context);
  return {
    value: description.value,
    ...(description.items ? { items: description.items } : {}),
    ...(field.article ? { article: articleText(field.article) } : {}),
    ...(field.quote ? { quote: field.quote } : {}),
    ...(field.note ? { note: field.note } : {}),
  };
}

/** The fields that differ between two versions of the workspace's profile, old → new. */
export async function compareTermsVersions(actor: Actor, a: number, b: number, now: string = new Date().toISOString()): Promise<TermsComparison> {
  requireStaff(actor);
  const rowA = versionRow(actor, a);
  const rowB = versionRow(actor, b);
  const summaries = versionSummaries(actor, todayIn(now));
  const profileA = parseProfile(rowA);
  const profileB = parseProfile(rowB);
  const context = { internalTargetHours: internalTargetOf(actor.workspaceId) };
  return {
    a: summaries.find((s) => s.id === rowA.id)!,
    b: summaries.find((s) => s.id === rowB.id)!,
    changes: diffTermsVersions(profileA, profileB).map((change) => ({
      path: change.path,
      label: change.label,
      changed: change.changed,
      before: aspectView(change.path, change.before, context),
      after: aspectView(change.path, change.after, context),
    })),
    notes: profileA.notes === profileB.notes ? null : { before: profileA.notes, after: profileB.notes },
    versions: summaries.map((s) => s.version).sort((x, y) => x - y),
  };
}

// ---------------------------------------------------------------------------------------
// A customer's effective terms and clocks

type DeviationRow = typeof termDeviations.$inferSelect;

export type DeviationView = {
  id: string;
  field: TermsFieldPath;
  label: LocalizedText;
  value: LocalizedText;
  items?: LocalizedText[];
  reason: string;
  clause: string;
  createdAt: string;
  createdAtDisplay: string;
};

export type DeadlineView = {
  due: string;
  dueDisplay: string;
  explanation: LocalizedText;
  basis: DeadlineBasis;
  deadline: Deadline;
};

function deadlineView(deadline: Deadline): DeadlineView {
  return {
    due: deadline.due,
    dueDisplay: deadline.kind === "instant" ? displayInstant(deadline.due) : displayDate(deadline.due),
    explanation: { nl: explainDeadline(deadline, "nl"), en: explainDeadline(deadline, "en") },
    basis: deadline.basis,
    deadline,
  };
}

export type ContractClockView =
  | {
      kind: "running";
      period: number;
      termStart: string;
      termStartDisplay: string;
      termLastDay: string;
      termLastDayDisplay: string;
      periodText: LocalizedText;
      /** tacit renewal: the first day of the next period, else null (the contract then ends) */
      renewsOn: string | null;
      renewsOnDisplay: string;
      renewalText: LocalizedText;
      renewalArticle?: LocalizedText;
      lastNoticeDay: DeadlineView | null;
    }
  | { kind: "ended"; endedOn: string; endedOnDisplay: string }
  | { kind: "unavailable"; message: LocalizedText };

function contractClock(terms: EffectiveTerms, customer: { contractStart: string; contractTermMonths: number }, today: string): ContractClockView {
  try {
    const status = currentTermEnd({ terms, contractStart: customer.contractStart, contractTermMonths: customer.contractTermMonths, today });
    if (status.kind === "ended") return { kind: "ended", endedOn: status.endedOn, endedOnDisplay: displayDate(status.endedOn) };
    const tacit = terms.mainContract.tacitRenewal;
    const renewalMonths = terms.mainContract.renewalMonths.value ?? customer.contractTermMonths;
    return {
      kind: "running",
      period: status.period,
      termStart: status.termStart,
      termStartDisplay: displayDate(status.termStart),
      termLastDay: status.termLastDay,
      termLastDayDisplay: displayDate(status.termLastDay),
      periodText: monthsText(status.periodMonths),
      renewsOn: status.renewsOn,
      renewsOnDisplay: displayDate(status.renewsOn),
      renewalText:
        status.renewsOn === null
          ? localized("terms.clock.noRenewal", { date: displayDate(status.termLastDay) })
          : localized("terms.clock.renews", { date: displayDate(status.renewsOn), period: monthsText(renewalMonths) }),
      ...(tacit.source.kind === "profile" && tacit.source.article ? { renewalArticle: articleText(tacit.source.article) } : {}),
      lastNoticeDay: status.lastNoticeDay ? deadlineView(status.lastNoticeDay) : null,
    };
  } catch (error) {
    if (isDomainError(error)) return { kind: "unavailable", message: error.messages };
    throw error;
  }
}

export type ExampleClockView =
  | { key: "breachNotice" | "thirdPartyBreachNotice" | "authority" | "objection"; kind: "deadline"; deadline: DeadlineView }
  | { key: "objection"; kind: "status"; text: LocalizedText; article?: LocalizedText };

/** The clocks an event would start if it happened at `now`: what the customer's terms mean in practice. */
function exampleClocks(terms: EffectiveTerms, now: string, internalTargetHours: number): ExampleClockView[] {
  const examples: ExampleClockView[] = [
    {
      key: "breachNotice",
      kind: "deadline",
      deadline: deadlineView(customerNoticeDeadline({ terms, breach: { discoveredAt: now, atThirdParty: false }, internalTargetHours })),
    },
  ];
  if (terms.thirdPartyBreachNoticeHours.value !== null) {
    examples.push({
      key: "thirdPartyBreachNotice",
      kind: "deadline",
      deadline: deadlineView(customerNoticeDeadline({ terms, breach: { discoveredAt: now, atThirdParty: true }, internalTargetHours })),
    });
  }
  examples.push({ key: "authority", kind: "deadline", deadline: deadlineView(authorityDeadline({ terms, notifiedAt: now })) });
  const objection = objectionWindowEnd({ terms, noticeSentAt: now });
  if (objection.kind === "window") {
    examples.push({ key: "objection", kind: "deadline", deadline: deadlineView(objection.deadline) });
  } else {
    examples.push({
      key: "objection",
      kind: "status",
      text: localized(`terms.example.objection.${objection.kind}`),
      ...(objection.article ? { article: articleText(objection.article) } : {}),
    });
  }
  return examples;
}

export type CustomerTerms = {
  customer: { id: string; name: string; contractStart: string; contractStartDisplay: string; contractTermMonths: number; status: string };
  version: { id: string; version: number; effectiveDate: string; effectiveDateDisplay: string } | null;
  /** the merged terms the clocks use; null when the customer has no terms version */
  effective: EffectiveTerms | null;
  groups: TermsGroupView[];
  deviations: DeviationView[];
  contractClock: ContractClockView | null;
  examples: ExampleClockView[];
  internalTargetHours: number;
  canWrite: boolean;
  /** the fields a deviation can be added for (those without one yet), with their labels */
  deviationFields: { path: TermsFieldPath; label: LocalizedText }[];
  /** the value inputs for `options.editField`, pre-filled with the current effective value */
  editor: { field: TermsFieldEditorView; values: TermsFormValues } | null;
  now: string;
  nowDisplay: string;
};

function customerRow(actor: StaffActor, customerId: string) {
  const row = getDb()
    .select()
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.workspaceId, actor.workspaceId)))
    .get();
  if (!row) throw notFound();
  return row;
}

function customerVersionRow(actor: StaffActor, termsVersionId: string | null): VersionRow | null {
  if (!termsVersionId) return null;
  return (
    getDb()
      .select()
      .from(termsVersions)
      .where(and(eq(termsVersions.id, termsVersionId), eq(termsVersions.workspaceId, actor.workspaceId)))
      .get() ?? null
  );
}

function deviationRows(actor: StaffActor, customerId: string): DeviationRow[] {
  return getDb()
    .select()
    .from(termDeviations)
    .where(and(eq(termDeviations.workspaceId, actor.workspaceId), eq(termDeviations.customerId, customerId)))
    .orderBy(asc(termDeviations.createdAt), asc(termDeviations.id))
    .all();
}

function storedDeviations(rows: DeviationRow[]) {
  return rows.map((row) => ({ field: row.field, value: JSON.parse(row.value) as unknown, reason: row.reason, clause: row.clause }));
}

/**
 * A customer's effective terms: its DPA's version with its negotiated deviations, each field
 * with its source (profile version and article, or negotiated clause and reason); the contract
 * clocks (current term, tacit renewal, last notice day) with their explanations; and what a
 * breach or sub-processor notice at `now` would start.
 */
export async function getCustomerTerms(
  actor: Actor,
  customerId: string,
  now: string = new Date().toISOString(),
  options: { editField?: string | null } = {},
): Promise<CustomerTerms> {
  requireStaff(actor);
  const customer = customerRow(actor, customerId);
  const internalTargetHours = internalTargetOf(actor.workspaceId);
  const versionRowOfCustomer = customerVersionRow(actor, customer.termsVersionId);
  const canWrite = can(actor, "workspace:write");
  const base = {
    customer: {
      id: customer.id,
      name: customer.name,
      contractStart: customer.contractStart,
      contractStartDisplay: displayDate(customer.contractStart),
      contractTermMonths: customer.contractTermMonths,
      status: customer.status,
    },
    internalTargetHours,
    canWrite,
    now,
    nowDisplay: displayInstant(now),
  };
  if (!versionRowOfCustomer) {
    return { ...base, version: null, effective: null, groups: [], deviations: [], contractClock: null, examples: [], deviationFields: [], editor: null };
  }
  const profile = parseProfile(versionRowOfCustomer);
  const rows = deviationRows(actor, customer.id);
  const effective = effectiveTerms(profile, versionRowOfCustomer.version, storedDeviations(rows));
  const context = { internalTargetHours };
  const taken = new Set(rows.map((row) => row.field));
  const editField = options.editField && isTermsFieldPath(options.editField) && !taken.has(options.editField) ? options.editField : null;
  return {
    ...base,
    version: {
      id: versionRowOfCustomer.id,
      version: versionRowOfCustomer.version,
      effectiveDate: versionRowOfCustomer.effectiveDate,
      effectiveDateDisplay: displayDate(versionRowOfCustomer.effectiveDate),
    },
    effective,
    groups: effectiveTermsView(effective, context),
    deviations: rows.map((row) => {
      const field = row.field as TermsFieldPath;
      const description = describeTermsValue(field, JSON.parse(row.value) as unknown, context);
      return {
        id: row.id,
        field,
        label: TERMS_FIELD_LABELS[field],
        value: description.value,
        ...(description.items ? { items: description.items } : {}),
        reason: row.reason,
        clause: row.clause,
        createdAt: row.createdAt,
        createdAtDisplay: displayInstant(row.createdAt),
      };
    }),
    contractClock: contractClock(effective, customer, todayIn(now)),
    examples: exampleClocks(effective, now, internalTargetHours),
    deviationFields: TERMS_FIELD_PATHS.filter((path) => !taken.has(path)).map((path) => ({ path, label: TERMS_FIELD_LABELS[path] })),
    editor: editField
      ? { field: termsFieldEditor(editField), values: termsValueToFormValues(editField, effectiveFieldAt(effective, editField).value) }
      : null,
  };
}

// ---------------------------------------------------------------------------------------
// Negotiated deviations

export type DeviationInput = { field: string; value: unknown; reason: string; clause: string; formIssues?: FormIssue[] };

export type DeviationResult = { ok: true; id: string } | { ok: false; issues: FormIssue[] };

/** The profile with the customer's deviations applied, so a new deviation is checked against what really applies. */
function profileWithDeviations(profile: TermsProfile, deviations: { field: string; value: unknown }[]): TermsProfile {
  const merged = structuredClone(profile);
  for (const deviation of deviations) {
    if (isTermsFieldPath(deviation.field)) getTermsField(merged, deviation.field).value = deviation.value;
  }
  return merged;
}

function requiredText(value: string, path: string, max: number, required: MessageKey, issues: FormIssue[]): string {
  const trimmed = value.trim();
  if (trimmed === "") issues.push({ path, message: localized(required) });
  else if (trimmed.length > max) issues.push({ path, message: localized("terms.form.error.tooLong", { max }) });
  return trimmed;
}

/**
 * Records a negotiated deviation for one field of a customer's terms, with the reason and the
 * clause of the signed document. Checked with `validateDeviation` against the customer's version
 * with its other deviations applied; refused when the field already deviates or when the value is
 * the version's own. Audited. Privacy officers and admins only.
 */
export async function addDeviation(actor: Actor, customerId: string, input: DeviationInput, now: string): Promise<DeviationResult> {
  requireStaff(actor, "workspace:write");
  const customer = customerRow(actor, customerId);
  const versionOfCustomer = customerVersionRow(actor, customer.termsVersionId);
  if (!versionOfCustomer) return { ok: false, issues: [{ path: "", message: localized("terms.deviation.error.noVersion") }] };
  const issues: FormIssue[] = [...(input.formIssues ?? [])];
  const reason = requiredText(input.reason, "reason", MAX_REASON_LENGTH, "terms.deviation.error.reasonRequired", issues);
  const clause = requiredText(input.clause, "clause", MAX_CLAUSE_LENGTH, "terms.deviation.error.clauseRequired", issues);
  const profile = parseProfile(versionOfCustomer);

  return getDb().transaction(
    (tx): DeviationResult => {
      const existing = tx
        .select()
        .from(termDeviations)
        .where(and(eq(termDeviations.workspaceId, actor.workspaceId), eq(termDeviations.customerId, customer.id)))
        .all();
      if (!isTermsFieldPath(input.field)) {
        issues.push({ path: "field", message: localized("terms.deviation.error.field") });
        return { ok: false, issues };
      }
      const field = input.field;
      if (existing.some((row) => row.field === field)) {
        issues.push({ path: "field", message: localized("terms.deviation.error.exists") });
      } else if (!issues.some((issue) => issue.path === field || issue.path.startsWith(`${field}.`))) {
        const others = existing.map((row) => ({ field: row.field, value: JSON.parse(row.value) as unknown }));
        const valueIssues = validateDeviation(profileWithDeviations(profile, others), { field, value: input.value, reason, clause });
        issues.push(...valueIssues.map(fromValidation));
        if (valueIssues.length === 0 && canonical(input.value) === canonical(getTermsField(profile, field).value)) {
          issues.push({ path: field, message: localized("terms.deviation.error.sameAsProfile", { version: versionOfCustomer.version }) });
        }
      }
      if (issues.length > 0) return { ok: false, issues };

      const id = newId();
      tx.insert(termDeviations)
        .values({ id, workspaceId: actor.workspaceId, customerId: customer.id, field, value: JSON.stringify(input.value), reason, clause, createdAt: now })
        .run();
      appendAudit(tx, actor, now, {
        action: "terms_deviation.created",
        entityType: "term_deviation",
        entityId: id,
        customerId: customer.id,
        data: { field, value: input.value, reason, clause, termsVersion: versionOfCustomer.version },
      });
      return { ok: true, id };
    },
    { behavior: "immediate" },
  );
}

/**
 * Removes a negotiated deviation; the customer's field falls back to its version's value.
 * Refused when the remaining terms would contradict themselves (e.g. an objection window left
 * without the regime deviation that allowed it). Audited. Privacy officers and admins only.
 */
export async function removeDeviation(actor: Actor, customerId: string, deviationId: string, now: string): Promise<DeviationResult> {
  requireStaff(actor, "workspace:write");
  const customer = customerRow(actor, customerId);
  const versionOfCustomer = customerVersionRow(actor, customer.termsVersionId);
  return getDb().transaction(
    (tx): DeviationResult => {
      const rows = tx
        .select()
        .from(termDeviations)
        .where(and(eq(termDeviations.workspaceId, actor.workspaceId), eq(termDeviations.customerId, customer.id)))
        .all();
      const row = rows.find((r) => r.id === deviationId);
      if (!row) throw notFound();
      if (versionOfCustomer) {
        const remaining = rows.filter((r) => r.id !== row.id).map((r) => ({ field: r.field, value: JSON.parse(r.value) as unknown }));
        const merged = profileWithDeviations(parseProfile(versionOfCustomer), remaining);
        // the content rules of a version, applied to what would remain; the date check is moot (today vs today)
        const today = todayIn(now);
        const conflicts = validateNewVersion(merged, today, today);
        if (conflicts.length > 0) {
          return {
            ok: false,
            issues: conflicts.map((issue) => ({ path: "", message: localized("terms.deviation.error.removeConflict", { problem: issue.message }) })),
          };
        }
      }
      tx.delete(termDeviations).where(and(eq(termDeviations.id, row.id), eq(termDeviations.workspaceId, actor.workspaceId))).run();
      appendAudit(tx, actor, now, {
        action: "terms_deviation.removed",
        entityType: "term_deviation",
        entityId: row.id,
        customerId: customer.id,
        data: { field: row.field, value: JSON.parse(row.value) as unknown, reason: row.reason, clause: row.clause },
      });
      return { ok: true, id: row.id };
    },
    { behavior: "immediate" },
  );
}

// ---------------------------------------------------------------------------------------
// The workspace's internal target

/** The internal breach-notice target, for the settings page. Admins only. */
export async function getInternalTarget(actor: Actor): Promise<{ hours: number }> {
  requireStaff(actor, "workspace:admin");
  return { hours: internalTargetOf(actor.workspaceId) };
}

export type InternalTargetResult = { ok: true; hours: number; changed: boolean } | { ok: false; issues: FormIssue[] };

/**
 * Sets the hours the workspace gives itself to notify a customer of a breach when the customer's
 * terms set no hour limit. Internal, never contractual. Whole hours, 1 to 720. Audited. Admins only.
 */
export async function updateInternalTarget(actor: Actor, hours: number, now: string): Promise<InternalTargetResult> {
  requireStaff(actor, "workspace:admin");
  if (!Number.isInteger(hours) || hours < INTERNAL_TARGET_MIN_HOURS || hours > INTERNAL_TARGET_MAX_HOURS) {
    return { ok: false, issues: [{ path: "hours", message: localized("terms.settings.error.range") }] };
  }
  return getDb().transaction(
    (tx): InternalTargetResult => {
      const before = tx.select({ hours: workspaces.internalBreachTargetHours }).from(workspaces).where(eq(workspaces.id, actor.workspaceId)).get();
      if (!before) throw notFound();
      if (before.hours === hours) return { ok: true, hours, changed: false };
      tx.update(workspaces).set({ internalBreachTargetHours: hours }).where(eq(workspaces.id, actor.workspaceId)).run();
      appendAudit(tx, actor, now, {
        action: "workspace.internal_breach_target_changed",
        entityType: "workspace",
        entityId: actor.workspaceId,
        data: { before: before.hours, after: hours },
      });
      return { ok: true, hours, changed: true };
    },
    { behavior: "immediate" },
  );
}
