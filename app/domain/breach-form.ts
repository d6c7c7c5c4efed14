/**
 * The forms of the breach screens: one zod schema per form, used by the browser (react-hook-form)
 * and by the server, and parsers that turn posted FormData (repeated checkbox fields) into the
 * schema's input, so requests with and without JavaScript are the same. Messages are catalog keys
 * ("breaches.error.*"). Times are Amsterdam wall-clock strings from datetime-local inputs; the
 * service converts them to instants and checks them again against `now`.
 */
import { z } from "zod";
import { BREACH_TYPES, MIN_LATE_REASON_LENGTH, RISK_LEVELS, SUBJECTS_NOTICE_DECISIONS, isLocalDateTime } from "./breach-enums";
import { dataCategoryCatalogue, dataSubjectCatalogue } from "./processing-catalogue";

const text = (max: number) => z.string().trim().max(max, "breaches.error.tooLong");
const required = (max: number) => z.string().trim().min(1, "breaches.error.required").max(max, "breaches.error.tooLong");

const localTime = z
  .string()
  .trim()
  .refine((v) => v === "" || isLocalDateTime(v), "breaches.error.invalidTime");

/** "" → null; otherwise a whole number of at least 0. */
const count = z
  .string()
  .trim()
  .refine((v) => v === "" || /^-?\d+([.,]\d+)?$/.test(v), "breaches.error.notANumber")
  .refine((v) => v === "" || !v.startsWith("-"), "breaches.error.negative")
  .refine((v) => v === "" || /^\d+$/.test(v), "breaches.error.notWhole")
  .refine((v) => v === "" || Number(v) <= 1_000_000_000, "breaches.error.tooLarge")
  .transform((v) => (v === "" ? null : Number(v)));

const dataCategoryKeys = Object.keys(dataCategoryCatalogue) as [string, ...string[]];
const dataSubjectKeys = Object.keys(dataSubjectCatalogue) as [string, ...string[]];

const emailOrEmpty = z.union([z.literal(""), z.string().trim().toLowerCase().email("breaches.error.email").max(254)]);

export const BreachFormSchema = z
  .object({
    title: required(200),
    classification: z.enum(["breach", "not_breach"]),
    classificationReasoning: text(5000),
    nature: text(5000),
    breachTypes: z.array(z.enum(BREACH_TYPES)),
    sourceKind: z.enum(["own_systems", "subprocessor"]),
    subprocessorId: z.string().trim().max(100),
    subprocessorReportedAt: localTime,
    serviceIds: z.array(z.string().trim().min(1).max(100)).max(200),
    occurredFrom: localTime,
    occurredTo: localTime,
    ongoing: z.boolean(),
    discoveredAt: z.string().trim().min(1, "breaches.error.required").refine(isLocalDateTime, "breaches.error.invalidTime"),
    shouldHaveKnownAt: localTime,
    dataCategories: z.array(z.enum(dataCategoryKeys)),
    dataCategoriesNote: text(2000),
    dataSubjects: z.array(z.enum(dataSubjectKeys)),
    subjectsMin: count,
    subjectsMax: count,
    recordsMin: count,
    recordsMax: count,
    protection: text(5000),
    consequences: text(5000),
    measuresTaken: text(5000),
    measuresProposed: text(5000),
    contactName: text(200),
    contactEmail: emailOrEmpty,
    contactPhone: text(60),
    followUpContact: text(1000),
    riskLevel: z.enum(["", ...RISK_LEVELS]),
    riskReasoning: text(5000),
    subjectsNotice: z.enum(SUBJECTS_NOTICE_DECISIONS),
    subjectsNoticeReasoning: text(5000),
    crossBorder: z.boolean(),
    /** why the record changes (edits only; the audit trail keeps it) */
    changeNote: text(1000),
  })
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    // wall-clock strings in one zone compare in time order
    if (v.occurredFrom && v.discoveredAt && isLocalDateTime(v.occurredFrom) && isLocalDateTime(v.discoveredAt) && v.discoveredAt < v.occurredFrom) {
      issue("discoveredAt", "breaches.error.discoveredBeforeOccurred");
    }
    if (v.ongoing && v.occurredTo) issue("occurredTo", "breaches.error.ongoingWithEnd");
    else if (v.occurredFrom && v.occurredTo && v.occurredTo < v.occurredFrom) issue("occurredTo", "breaches.error.endBeforeStart");
    if (v.shouldHaveKnownAt && v.discoveredAt && v.shouldHaveKnownAt > v.discoveredAt) issue("shouldHaveKnownAt", "breaches.error.knownAfterDiscovery");
    if (v.subjectsMin !== null && v.subjectsMax !== null && v.subjectsMin > v.subjectsMax) issue("subjectsMax", "breaches.error.minAboveMax");
    if (v.recordsMin !== null && v.recordsMax !== null && v.recordsMin > v.recordsMax) issue("recordsMax", "breaches.error.minAboveMax");
    if (v.classification === "not_breach" && v.classificationReasoning.length === 0) issue("classificationReasoning", "breaches.error.reasoningNotBreach");
    if (v.classification === "breach") {
      if (v.breachTypes.length === 0) issue("breachTypes", "breaches.error.typeRequired");
      if (v.sourceKind === "own_systems" && v.serviceIds.length === 0) issue("serviceIds", "breaches.error.serviceRequired");
    }
    if (v.sourceKind === "subprocessor" && v.subprocessorId === "") issue("subprocessorId", "breaches.error.subprocessorRequired");
    if (v.riskLevel !== "" && v.riskReasoning.length === 0) issue("riskReasoning", "breaches.error.riskReasoningRequired");
    if (v.riskLevel === "high" && v.subjectsNotice === "not_required") issue("subjectsNotice", "breaches.error.highRiskNeedsNotice");
    if (v.subjectsNotice.startsWith("exempt_") && v.subjectsNoticeReasoning.length === 0)
      issue("subjectsNoticeReasoning", "breaches.error.exemptionReasoningRequired");
    if (v.contactEmail !== "" && v.contactName === "") issue("contactName", "breaches.error.contactNameRequired");
  });

export type BreachFormInput = z.input<typeof BreachFormSchema>;
export type BreachFormValues = z.output<typeof BreachFormSchema>;

const TEXT_FIELDS = [
  "title",
  "classification",
  "classificationReasoning",
  "nature",
  "sourceKind",
  "subprocessorId",
  "subprocessorReportedAt",
  "occurredFrom",
  "occurredTo",
  "discoveredAt",
  "shouldHaveKnownAt",
  "dataCategoriesNote",
  "subjectsMin",
  "subjectsMax",
  "recordsMin",
  "recordsMax",
  "protection",
  "consequences",
  "measuresTaken",
  "measuresProposed",
  "contactName",
  "contactEmail",
  "contactPhone",
  "followUpContact",
  "riskLevel",
  "riskReasoning",
  "subjectsNotice",
  "subjectsNoticeReasoning",
  "changeNote",
] as const;

function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

function formList(form: FormData, name: string): string[] {
  return form.getAll(name).filter((v): v is string => typeof v === "string");
}

/** FormData → the schema's input (checkbox groups posted as repeated fields, checkboxes as "on"). */
export function breachFormInput(form: FormData): BreachFormInput {
  const input: Record<string, unknown> = {};
  for (const field of TEXT_FIELDS) input[field] = formText(form, field);
  input.breachTypes = formList(form, "breachTypes");
  input.serviceIds = formList(form, "serviceIds");
  input.dataCategories = formList(form, "dataCategories");
  input.dataSubjects = formList(form, "dataSubjects");
  input.ongoing = form.get("ongoing") === "on";
  input.crossBorder = form.get("crossBorder") === "on";
  return input as BreachFormInput;
}

/** Field errors keyed by field name (first problem per field), each a catalog key. */
export function formErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message.startsWith("breaches.") ? issue.message : "breaches.error.invalid";
  }
  return errors;
}

// ---------------------------------------------------------------------------------------
// Smaller forms

const reason = z.string().trim().min(10, "breaches.error.reasonTooShort").max(2000, "breaches.error.tooLong");

export const AdjustCustomerSchema = z.object({
  change: z.enum(["add", "remove"]),
  customerId: z.string().trim().min(1, "breaches.error.required").max(100),
  reason,
});
export type AdjustCustomerInput = z.input<typeof AdjustCustomerSchema>;

export const NoticeDraftSchema = z.object({
  messageNl: text(10_000),
  messageEn: text(10_000),
});
export type NoticeDraftInput = z.input<typeof NoticeDraftSchema>;

export const SendNoticeSchema = z.object({
  lateReason: z.string().trim().max(2000, "breaches.error.tooLong"),
  /** continue after this obligation (keyset cursor of the sending run); "" starts at the beginning */
  cursor: z.string().trim().max(500),
});
export type SendNoticeInput = z.input<typeof SendNoticeSchema>;

export const CloseBreachSchema = z.object({
  closingNote: z.string().trim().min(10, "breaches.error.reasonTooShort").max(5000, "breaches.error.tooLong"),
  confirm: z.literal("yes", { errorMap: () => ({ message: "breaches.error.confirmClose" }) }),
});
export type CloseBreachInput = z.input<typeof CloseBreachSchema>;

export const QuestionSchema = z.object({
  question: z.string().trim().min(5, "breaches.error.questionTooShort").max(5000, "breaches.error.tooLong"),
});
export type QuestionInput = z.input<typeof QuestionSchema>;

export const AnswerSchema = z.object({
  questionId: z.string().trim().min(1).max(100),
  answer: z.string().trim().min(2, "breaches.error.required").max(5000, "breaches.error.tooLong"),
});
export type AnswerInput = z.input<typeof AnswerSchema>;

export const AuthorityOutcomeSchema = z.object({
  outcome: z.enum(["notified", "not_notifying"]),
  at: z.string().trim().min(1, "breaches.error.required").refine(isLocalDateTime, "breaches.error.invalidTime"),
});
export type AuthorityOutcomeInput = z.input<typeof AuthorityOutcomeSchema>;

export { MIN_LATE_REASON_LENGTH };
