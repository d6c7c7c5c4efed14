/**
 * The customer form: one zod schema used by the browser (react-hook-form) and by the server, and a
 * parser that turns the posted FormData (repeated checkbox fields, one-per-line textareas) into the
 * schema's input. Messages are catalog keys (customerForm.*).
 */
import { z } from "zod";
import { dataCategoryCatalogue, dataSubjectCatalogue } from "~/domain/processing-catalogue";

const lines = (max: number) =>
  z
    .string()
    .max(20_000)
    .transform((text) =>
      text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l.length > 0),
    )
    .pipe(z.array(z.string().max(1000)).max(max, "customerForm.tooMany"));

const optionalText = (max: number) => z.string().trim().max(max, "customerForm.tooLong");
const requiredText = (max: number) => z.string({ required_error: "customerForm.required" }).trim().min(1, "customerForm.required").max(max, "customerForm.tooLong");
const email = z.string().trim().toLowerCase().email("customerForm.emailInvalid").max(254);
const optionalEmail = z.union([z.literal(""), email]);

const dataCategoryKeys = Object.keys(dataCategoryCatalogue) as [string, ...string[]];
const dataSubjectKeys = Object.keys(dataSubjectCatalogue) as [string, ...string[]];

/** A date "YYYY-MM-DD" that exists in the calendar. */
const isoDate = z
  .string({ required_error: "customerForm.required" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "customerForm.dateInvalid")
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, "customerForm.dateInvalid");

export const CustomerFormSchema = z
  .object({
    name: requiredText(200),
    registrationNumber: optionalText(60),
    address: optionalText(200),
    postcode: optionalText(20),
    city: optionalText(100),
    country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, "customerForm.countryInvalid"),
    language: z.enum(["nl", "en"]),
    signatoryName: requiredText(200),
    signatoryRole: requiredText(200),
    signatoryEmail: email,
    privacyContactName: requiredText(200),
    privacyContactEmail: email,
    dpoName: optionalText(200),
    dpoEmail: optionalEmail,
    notificationEmails: z
      .string()
      .max(5000)
      .transform((text) =>
        text
          .split(/[\s,;]+/)
          .map((l) => l.trim().toLowerCase())
          .filter((l) => l.length > 0),
      )
      .pipe(z.array(email).min(1, "customerForm.notificationEmailsRequired").max(20, "customerForm.tooMany")),
    contractStart: isoDate,
    contractTermMonths: z.coerce
      .number({ invalid_type_error: "customerForm.termInvalid" })
      .int("customerForm.termInvalid")
      .min(1, "customerForm.termInvalid")
      .max(120, "customerForm.termInvalid"),
    subjectMatter: requiredText(2000),
    nature: requiredText(2000),
    processingDuration: optionalText(500),
    purposes: lines(30).pipe(z.array(z.string()).min(1, "customerForm.purposesRequired")),
    dataCategories: z.array(z.enum(dataCategoryKeys)).min(1, "customerForm.dataCategoriesRequired"),
    dataSubjects: z.array(z.enum(dataSubjectKeys)).min(1, "customerForm.dataSubjectsRequired"),
    serviceIds: z.array(z.string().uuid()).max(100),
    transfersOutsideEea: z.boolean(),
    securityAdditions: lines(30),
  })
  .refine((v) => v.dpoEmail === "" || v.dpoName.length > 0, { path: ["dpoName"], message: "customerForm.dpoNameRequired" });

export type CustomerFormInput = z.input<typeof CustomerFormSchema>;
export type CustomerFormValues = z.output<typeof CustomerFormSchema>;

const textFields = [
  "name",
  "registrationNumber",
  "address",
  "postcode",
  "city",
  "country",
  "language",
  "signatoryName",
  "signatoryRole",
  "signatoryEmail",
  "privacyContactName",
  "privacyContactEmail",
  "dpoName",
  "dpoEmail",
  "notificationEmails",
  "contractStart",
  "contractTermMonths",
  "subjectMatter",
  "nature",
  "processingDuration",
  "purposes",
  "securityAdditions",
] as const;

/** FormData (with or without JavaScript) → the schema's input shape. */
export function customerFormInput(form: FormData): CustomerFormInput {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  const list = (name: string) => form.getAll(name).filter((v): v is string => typeof v === "string");
  const input: Record<string, unknown> = {};
  for (const field of textFields) input[field] = text(field);
  input.dataCategories = list("dataCategories");
  input.dataSubjects = list("dataSubjects");
  input.serviceIds = list("serviceIds");
  input.transfersOutsideEea = form.get("transfersOutsideEea") === "on";
  return input as CustomerFormInput;
}

/** Field errors keyed by field name, each a catalog key (the first problem of each field). */
export function customerFormErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message.startsWith("customerForm.") ? issue.message : "customerForm.invalid";
  }
  return errors;
}
