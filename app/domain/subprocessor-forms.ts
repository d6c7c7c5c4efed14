/**
 * The sub-processor forms: one zod schema per form, used by the browser (react-hook-form) and by the
 * server, and parsers that turn posted FormData (repeated checkbox fields) into the schema's input,
 * so a post with and without JavaScript is the same. Messages are catalog keys ("subprocessors.error.*").
 */
import { z } from "zod";
import { dataCategoryCatalogue } from "./processing-catalogue";
import { CHANGE_KINDS, MIN_REASON_LENGTH, OBJECTION_OUTCOMES } from "./subprocessor-notice";
import {
  SUBPROCESSOR_STATUSES,
  TRANSFER_SAFEGUARDS,
  lifecycleIssues,
  parseLocationList,
  transferIssues,
  type SubprocessorStatus,
  type TransferIssue,
} from "./subprocessor-register";

const requiredText = (max: number) =>
  z.string({ required_error: "subprocessors.error.required" }).trim().min(1, "subprocessors.error.required").max(max, "subprocessors.error.tooLong");
const optionalText = (max: number) => z.string().trim().max(max, "subprocessors.error.tooLong");

function isRealDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

const requiredDate = z
  .string({ required_error: "subprocessors.error.dateRequired" })
  .trim()
  .min(1, "subprocessors.error.dateRequired")
  .refine(isRealDate, "subprocessors.error.dateInvalid");
/*
 * Fields only check (no transforms that could fail): zod skips the object-level refinements once a
 * field is aborted, and every problem should be shown at once. Conversions happen at the end.
 */
const optionalDate = z
  .string()
  .trim()
  .refine((v) => v === "" || isRealDate(v), "subprocessors.error.dateInvalid");
const nullIfEmpty = (v: string): string | null => (v === "" ? null : v);

const safeguardField = z.enum(["", ...TRANSFER_SAFEGUARDS]);
type SafeguardValue = (typeof TRANSFER_SAFEGUARDS)[number];
const safeguardValue = (v: string): SafeguardValue | null => (v === "" ? null : (v as SafeguardValue));
const locationsField = z.string().max(500, "subprocessors.error.tooLong");
const dataCategoryKeys = Object.keys(dataCategoryCatalogue) as [string, ...string[]];

const TRANSFER_MESSAGES: Record<TransferIssue["code"], { path: "locations" | "transferSafeguard"; message: string }> = {
  locations_required: { path: "locations", message: "subprocessors.error.locationsRequired" },
  unknown_country: { path: "locations", message: "subprocessors.error.unknownCountry" },
  safeguard_required: { path: "transferSafeguard", message: "subprocessors.error.safeguardRequired" },
  no_adequacy_decision: { path: "transferSafeguard", message: "subprocessors.error.noAdequacy" },
};

/** Adds the transfer issues of `locations` + `safeguard` to the zod context, under the given field names. */
function refineTransfer(
  ctx: z.RefinementCtx,
  locations: string[],
  safeguard: "adequacy" | "scc" | "bcr" | null,
  fields: { locations: string; transferSafeguard: string },
): void {
  for (const issue of transferIssues(locations, safeguard)) {
    const target = TRANSFER_MESSAGES[issue.code];
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: [fields[target.path]], message: target.message });
  }
}

// ---------------------------------------------------------------------------------------
// Register entry

const hoursField = z
  .string()
  .trim()
  .refine((v) => v === "" || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 720), "subprocessors.error.hoursInvalid");

export const SubprocessorFormSchema = z
  .object({
    legalName: requiredText(200),
    tradeName: optionalText(200),
    serviceNl: requiredText(500),
    serviceEn: requiredText(500),
    purposeNl: requiredText(500),
    purposeEn: requiredText(500),
    locations: locationsField,
    transferSafeguard: safeguardField,
    dataCategories: z.array(z.enum(dataCategoryKeys)).min(1, "subprocessors.error.dataCategoriesRequired"),
    serviceIds: z.array(z.string().uuid("subprocessors.error.invalid")).min(1, "subprocessors.error.servicesRequired").max(100),
    dpaDate: optionalDate,
    breachNoticeHours: hoursField,
    status: z.enum(SUBPROCESSOR_STATUSES as [string, ...string[]]),
    startDate: optionalDate,
    endDate: optionalDate,
    internalNote: optionalText(2000),
  })
  .superRefine((v, ctx) => {
    refineTransfer(ctx, parseLocationList(v.locations), safeguardValue(v.transferSafeguard), { locations: "locations", transferSafeguard: "transferSafeguard" });
    const dates = { status: v.status as SubprocessorStatus, startDate: isRealDate(v.startDate) ? v.startDate : null, endDate: isRealDate(v.endDate) ? v.endDate : null };
    for (const issue of lifecycleIssues(dates)) {
      const message = {
        start_required: "subprocessors.error.startRequired",
        end_required: "subprocessors.error.endRequired",
        end_before_start: "subprocessors.error.endBeforeStart",
        end_not_allowed: "subprocessors.error.endNotAllowed",
      }[issue.code];
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [issue.field], message });
    }
  })
  .transform((v) => ({
    ...v,
    locations: parseLocationList(v.locations),
    transferSafeguard: safeguardValue(v.transferSafeguard),
    dpaDate: nullIfEmpty(v.dpaDate),
    breachNoticeHours: v.breachNoticeHours === "" ? null : Number(v.breachNoticeHours),
    status: v.status as SubprocessorStatus,
    startDate: nullIfEmpty(v.startDate),
    endDate: nullIfEmpty(v.endDate),
  }));

export type SubprocessorFormInput = z.input<typeof SubprocessorFormSchema>;
export type SubprocessorFormValues = z.output<typeof SubprocessorFormSchema>;

const SUBPROCESSOR_TEXT_FIELDS = [
  "legalName",
  "tradeName",
  "serviceNl",
  "serviceEn",
  "purposeNl",
  "purposeEn",
  "locations",
  "transferSafeguard",
  "dpaDate",
  "breachNoticeHours",
  "status",
  "startDate",
  "endDate",
  "internalNote",
] as const;

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

function list(form: FormData, name: string): string[] {
  return form.getAll(name).filter((v): v is string => typeof v === "string");
}

/** FormData (with or without JavaScript) → the register form's input shape. */
export function subprocessorFormInput(form: FormData): SubprocessorFormInput {
  const input: Record<string, unknown> = {};
  for (const field of SUBPROCESSOR_TEXT_FIELDS) input[field] = text(form, field);
  input.dataCategories = list(form, "dataCategories");
  input.serviceIds = list(form, "serviceIds");
  return input as SubprocessorFormInput;
}

/** Field errors of a zod result as { field: messageKey }, first message per field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : "form";
    errors[key] ??= issue.message;
  }
  return errors;
}

// ---------------------------------------------------------------------------------------
// Change notice (step 1: what changes and when)

export const ChangeFormSchema = z
  .object({
    kind: z.enum(CHANGE_KINDS as [string, ...string[]], { errorMap: () => ({ message: "subprocessors.error.kindRequired" }) }),
    subprocessorId: z.string().uuid("subprocessors.error.subprocessorRequired"),
    replacesSubprocessorId: z.string().trim(),
    plannedStart: requiredDate,
    newLocations: locationsField,
    newTransferSafeguard: safeguardField,
    newPurposeNl: optionalText(500),
    newPurposeEn: optionalText(500),
    descriptionNl: requiredText(2000),
    descriptionEn: requiredText(2000),
    internalNote: optionalText(2000),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "replacement") {
      if (!/^[0-9a-f-]{36}$/i.test(v.replacesSubprocessorId)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["replacesSubprocessorId"], message: "subprocessors.error.replacesRequired" });
      } else if (v.replacesSubprocessorId === v.subprocessorId) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["replacesSubprocessorId"], message: "subprocessors.error.replacesSame" });
      }
    }
    if (v.kind === "location") {
      refineTransfer(ctx, parseLocationList(v.newLocations), safeguardValue(v.newTransferSafeguard), {
        locations: "newLocations",
        transferSafeguard: "newTransferSafeguard",
      });
    }
    if (v.kind === "purpose") {
      if (!v.newPurposeNl) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["newPurposeNl"], message: "subprocessors.error.required" });
      if (!v.newPurposeEn) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["newPurposeEn"], message: "subprocessors.error.required" });
    }
  })
  .transform((v) => ({
    ...v,
    kind: v.kind as (typeof CHANGE_KINDS)[number],
    replacesSubprocessorId: v.kind === "replacement" ? v.replacesSubprocessorId : null,
    newLocations: v.kind === "location" ? parseLocationList(v.newLocations) : null,
    newTransferSafeguard: v.kind === "location" ? safeguardValue(v.newTransferSafeguard) : null,
    newPurposeNl: v.kind === "purpose" ? v.newPurposeNl : null,
    newPurposeEn: v.kind === "purpose" ? v.newPurposeEn : null,
  }));

export type ChangeFormInput = z.input<typeof ChangeFormSchema>;
export type ChangeFormValues = z.output<typeof ChangeFormSchema>;

const CHANGE_TEXT_FIELDS = [
  "kind",
  "subprocessorId",
  "replacesSubprocessorId",
  "plannedStart",
  "newLocations",
  "newTransferSafeguard",
  "newPurposeNl",
  "newPurposeEn",
  "descriptionNl",
  "descriptionEn",
  "internalNote",
] as const;

export function changeFormInput(form: FormData): ChangeFormInput {
  const input: Record<string, unknown> = {};
  for (const field of CHANGE_TEXT_FIELDS) input[field] = text(form, field);
  return input as ChangeFormInput;
}

// ---------------------------------------------------------------------------------------
// Draft selection, sending, accepting the start, cancelling

export const SelectionSchema = z.object({
  intent: z.enum(["include", "exclude", "include_all", "exclude_all"]),
  customerIds: z.array(z.string().uuid()).max(500),
});
export type SelectionInput = z.input<typeof SelectionSchema>;

export function selectionInput(form: FormData): SelectionInput {
  return { intent: text(form, "intent") as SelectionInput["intent"], customerIds: list(form, "customerIds") };
}

export const SendFormSchema = z.object({
  plannedStart: requiredDate,
  confirm: z.literal("yes", { errorMap: () => ({ message: "subprocessors.error.confirmSend" }) }),
  overrideReason: optionalText(2000),
});
export type SendFormInput = z.input<typeof SendFormSchema>;

export const AcceptStartSchema = z.object({
  plannedStart: requiredDate,
  overrideReason: optionalText(2000),
});
export type AcceptStartInput = z.input<typeof AcceptStartSchema>;

export const DiscardDraftSchema = z.object({
  confirm: z.literal("yes", { errorMap: () => ({ message: "subprocessors.error.confirmDiscard" }) }),
});

export const CancelChangeSchema = z.object({
  reason: requiredText(2000),
  confirm: z.literal("yes", { errorMap: () => ({ message: "subprocessors.error.confirmCancel" }) }),
});
export type CancelChangeInput = z.input<typeof CancelChangeSchema>;

// ---------------------------------------------------------------------------------------
// Portal response and staff resolution

export const ResponseFormSchema = z
  .object({
    noticeId: z.string().uuid("subprocessors.error.invalid"),
    intent: z.enum(["approve", "object"]),
    reasons: z.string().max(5000, "subprocessors.error.tooLong"),
  })
  .superRefine((v, ctx) => {
    if (v.intent === "object" && v.reasons.trim().length < MIN_REASON_LENGTH) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["reasons"], message: "subprocessors.error.reasonsRequired" });
    }
  });
export type ResponseFormInput = z.input<typeof ResponseFormSchema>;

export const ResolutionFormSchema = z
  .object({
    noticeId: z.string().uuid("subprocessors.error.invalid"),
    outcome: z.enum(OBJECTION_OUTCOMES as [string, ...string[]], { errorMap: () => ({ message: "subprocessors.error.outcomeRequired" }) }),
    note: requiredText(2000),
    confirm: z.string(),
  })
  .superRefine((v, ctx) => {
    if (v.outcome === "cancelled" && v.confirm !== "yes") {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["confirm"], message: "subprocessors.error.confirmCancel" });
    }
  })
  .transform((v) => ({ ...v, outcome: v.outcome as (typeof OBJECTION_OUTCOMES)[number] }));
export type ResolutionFormInput = z.input<typeof ResolutionFormSchema>;

export const SubscribeFormSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, "subprocessors.error.emailRequired").email("subprocessors.error.emailInvalid").max(254),
});
export type SubscribeFormInput = z.input<typeof SubscribeFormSchema>;

export const PublicPageFormSchema = z.object({ enabled: z.enum(["yes", "no"]) });

/** FormData → a plain object of its single string fields (for the small forms without repeated fields). */
export function formFields(form: FormData, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, text(form, name)]));
}
