/**
 * Register exports: who may export which register, the date range (the auditor link's range always
 * applies), the register's own filters, the format writer, and the audit event. Everything that
 * serves /registers/<register>.<format> and the audit pack goes through `streamRegisterExport`.
 */
import type { Readable } from "node:stream";
import { Readable as NodeReadable } from "node:stream";
import { getDb } from "~/db.server";
import type { Locale, LocalizedText } from "~/domain/locale";
import { can } from "~/domain/permissions";
import { appendAudit } from "../audit.server";
import { forbidden, notFound } from "../http.server";
import { mayReadRegister, type RegisterActor } from "../register-access.server";
import { auditLogRegister } from "./audit-log";
import { breachesRegister } from "./breaches";
import { csvStream } from "./csv-writer";
import { dpasRegister } from "./dpas";
import { endOfContractRegister } from "./end-of-contract";
import { jsonStream } from "./json-writer";
import { objectionsRegister } from "./objections";
import { registerPdf } from "./pdf-writer";
import { processingRegister } from "./processing";
import { intersectRanges, isDate } from "./range";
import { subprocessorsRegister } from "./subprocessors";
import { EXPORT_FORMATS, REGISTER_KEYS, type Cell, type DateRange, type ExportFormat, type FilterValues, type RegisterDefinition, type RegisterKey, type SourceContext } from "./types";
import { XLSX_MAX_ROWS, xlsxStream } from "./xlsx-writer";

export const REGISTERS: Record<RegisterKey, RegisterDefinition> = {
  dpas: dpasRegister,
  processing: processingRegister,
  subprocessors: subprocessorsRegister,
  objections: objectionsRegister,
  breaches: breachesRegister,
  "end-of-contract": endOfContractRegister,
  "audit-log": auditLogRegister,
};

export function isRegisterKey(value: string): value is RegisterKey {
  return (REGISTER_KEYS as readonly string[]).includes(value);
}

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** "dpas.csv" → { register: "dpas", format: "csv" }; anything else → null. */
export function parseRegisterFile(file: string): { register: RegisterKey; format: ExportFormat } | null {
  const dot = file.lastIndexOf(".");
  if (dot <= 0) return null;
  const register = file.slice(0, dot);
  const format = file.slice(dot + 1);
  return isRegisterKey(register) && isExportFormat(format) ? { register, format } : null;
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  json: "application/json; charset=utf-8",
  pdf: "application/pdf",
};

export type RegisterFilterInput = URLSearchParams | Record<string, string | null | undefined>;

export type RegisterInfo = {
  key: RegisterKey;
  title: LocalizedText;
  purpose: LocalizedText;
  dateBasis: LocalizedText;
  columns: { key: string; header: LocalizedText; description: LocalizedText }[];
  filters: string[];
  pdfRowLimit: number;
};

/** Every register with its purpose and documented columns, in display order. */
export function registerCatalog(): RegisterInfo[] {
  return REGISTER_KEYS.map((key) => {
    const d = REGISTERS[key];
    return {
      key,
      title: d.title,
      purpose: d.purpose,
      dateBasis: d.dateBasis,
      columns: d.columns.map((c) => ({ key: c.key, header: c.header, description: c.description })),
      filters: [...d.filters],
      pdfRowLimit: d.pdfRowLimit,
    };
  });
}

/** A PDF (or XLSX) the register is too large for: the route answers 413 with `message`. */
export class RegisterExportRefused extends Error {
  readonly status = 413;
  readonly reason = "too_large" as const;
  constructor(
    message: string,
    readonly rows: number,
    readonly limit: number,
  ) {
    super(message);
    this.name = "RegisterExportRefused";
  }
}

function read(filters: RegisterFilterInput, key: string): string | undefined {
  const value = filters instanceof URLSearchParams ? filters.get(key) : filters[key];
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed.slice(0, 200);
}

/** The range asked for, narrowed to the auditor link's range. */
export function effectiveRange(actor: RegisterActor, filters: RegisterFilterInput): DateRange {
  const from = read(filters, "from");
  const to = read(filters, "to");
  const asked: DateRange = { from: isDate(from) ? from : null, to: isDate(to) ? to : null };
  return actor.kind === "auditor_link" ? intersectRanges(asked, { from: actor.from, to: actor.to }) : asked;
}

function registerFilters(def: RegisterDefinition, filters: RegisterFilterInput): FilterValues {
  const out: FilterValues = {};
  for (const key of def.filters) {
    const value = read(filters, key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function requireRegister(actor: RegisterActor, register: RegisterKey): RegisterDefinition {
  if (!can(actor, "registers:export")) throw forbidden();
  if (!mayReadRegister(actor, register)) throw notFound();
  return REGISTERS[register];
}

function context(actor: RegisterActor, def: RegisterDefinition, filters: RegisterFilterInput, locale: Locale, now: string): SourceContext {
  return { workspaceId: actor.workspaceId, locale, range: effectiveRange(actor, filters), filters: registerFilters(def, filters), now };
}

/** Rows per register the actor may read, with the same range and filters an export would use. */
export async function registerCounts(actor: RegisterActor, filters: RegisterFilterInput, now: string): Promise<Partial<Record<RegisterKey, number>>> {
  if (!can(actor, "registers:export")) throw forbidden();
  const out: Partial<Record<RegisterKey, number>> = {};
  for (const key of REGISTER_KEYS) {
    if (!mayReadRegister(actor, key)) continue;
    const def = REGISTERS[key];
    out[key] = def.open(context(actor, def, filters, "nl", now)).count;
  }
  return out;
}

/** Every row of a register, in column order, batch by batch (for callers that render rows themselves). */
export function registerRows(actor: RegisterActor, register: RegisterKey, filters: RegisterFilterInput, locale: Locale, now: string) {
  const def = requireRegister(actor, register);
  const source = def.open(context(actor, def, filters, locale, now));
  return { definition: def, count: source.count, batches: source.batches };
}

export type RegisterExport = {
  stream: Readable;
  filename: string;
  contentType: string;
  rowCountEstimate: number;
};

function describeScope(range: DateRange, filters: FilterValues): string {
  const parts: string[] = [];
  if (range.from || range.to) parts.push(`${range.from ?? "…"} – ${range.to ?? "…"}`);
  for (const [key, value] of Object.entries(filters)) parts.push(`${key}: ${value}`);
  return parts.join(" · ");
}

/**
 * One register in one format, as a stream. Checks access (404 for a register the actor may not
 * see), applies ranges and filters, refuses a PDF over the register's limit (RegisterExportRefused),
 * and records the export in the audit trail (unless `recordAudit` is false, for a caller that records
 * one event for several exports, like the audit pack).
 */
export async function streamRegisterExport(
  actor: RegisterActor,
  register: RegisterKey,
  format: ExportFormat,
  filters: RegisterFilterInput,
  locale: Locale,
  now: string,
  options: { recordAudit?: boolean } = {},
): Promise<RegisterExport> {
  const def = requireRegister(actor, register);
  const ctx = context(actor, def, filters, locale, now);
  const source = def.open(ctx);
  const nl = locale === "nl";
  const db = getDb();
  const workspace = db.$client
    .prepare("select id, slug, legal_name as legalName, city, country, website from workspaces where id = ?")
    .get(actor.workspaceId) as { id: string; slug: string; legalName: string; city: string; country: string; website: string | null };
  if (format === "pdf" && source.count > def.pdfRowLimit) {
    throw new RegisterExportRefused(
      nl
        ? `Deze selectie heeft ${source.count.toLocaleString("nl-NL")} regels; een PDF kan er hoogstens ${def.pdfRowLimit.toLocaleString("nl-NL")} bevatten. Kies een kleiner datumbereik, of download CSV, XLSX of JSON.`
        : `This selection has ${source.count.toLocaleString("en-GB")} rows; a PDF holds at most ${def.pdfRowLimit.toLocaleString("en-GB")}. Choose a smaller date range, or download CSV, XLSX or JSON.`,
      source.count,
      def.pdfRowLimit,
    );
  }
  if (format === "xlsx" && source.count > XLSX_MAX_ROWS) {
    throw new RegisterExportRefused(
      nl
        ? `Deze selectie heeft ${source.count.toLocaleString("nl-NL")} regels; een werkblad kan er hoogstens ${XLSX_MAX_ROWS.toLocaleString("nl-NL")} bevatten. Kies een datumbereik, of download CSV of JSON.`
        : `This selection has ${source.count.toLocaleString("en-GB")} rows; a worksheet holds at most ${XLSX_MAX_ROWS.toLocaleString("en-GB")}. Choose a date range, or download CSV or JSON.`,
      source.count,
      XLSX_MAX_ROWS,
    );
  }
  let stream: Readable;
  switch (format) {
    case "csv":
      stream = csvStream(def.columns, source.batches(), locale);
      break;
    case "json":
      stream = jsonStream(def.columns, source.batches());
      break;
    case "xlsx":
      stream = xlsxStream({ columns: def.columns, batches: source.batches(), locale, sheetTitle: def.title[locale], author: workspace.legalName, createdAt: now });
      break;
    case "pdf": {
      const rows: Cell[][] = [];
      for (const batch of source.batches()) rows.push(...batch);
      const pdf = await registerPdf({ definition: def, rows, locale, now, workspace, scope: describeScope(ctx.range, ctx.filters) });
      stream = NodeReadable.from([pdf]);
      break;
    }
  }
  if (options.recordAudit !== false) {
    db.transaction(
      (tx) => {
        appendAudit(tx, actor, now, {
          action: "register.exported",
          entityType: "register",
          entityId: register,
          data: { register, format, rows: source.count, range: ctx.range, filters: ctx.filters },
        });
      },
      { behavior: "immediate" },
    );
  }
  return {
    stream,
    filename: `${register}-${workspace.slug}-${now.slice(0, 10)}.${format}`,
    contentType: CONTENT_TYPES[format],
    rowCountEstimate: source.count,
  };
}
