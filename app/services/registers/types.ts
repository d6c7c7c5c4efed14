/**
 * The shapes every register shares: documented columns (a header and a description in Dutch and
 * English), the date range an export is limited to, and a row source that reads in batches so that
 * a large register is never in memory at once.
 */
import type { Locale, LocalizedText } from "~/domain/locale";

export const REGISTER_KEYS = ["dpas", "processing", "subprocessors", "objections", "breaches", "end-of-contract", "audit-log"] as const;
export type RegisterKey = (typeof REGISTER_KEYS)[number];

export const EXPORT_FORMATS = ["csv", "xlsx", "json", "pdf"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** How a cell is written: instants are ISO-8601 UTC in CSV/XLSX/JSON and Amsterdam time with zone in the PDF. */
export type ColumnType = "text" | "number" | "boolean" | "date" | "instant";

export type Cell = string | number | boolean | null;

export type ColumnDef = {
  /** the JSON key, stable across languages */
  key: string;
  header: LocalizedText;
  description: LocalizedText;
  type?: ColumnType;
};

/** Inclusive Amsterdam calendar days; null = open. */
export type DateRange = { from: string | null; to: string | null };

export type FilterValues = Record<string, string>;

export type SourceContext = {
  workspaceId: string;
  locale: Locale;
  range: DateRange;
  /** the register's own filters (validated by the register; unknown keys are ignored) */
  filters: FilterValues;
  /** the moment of the export (ISO instant), for states that depend on time (an objection window that has passed) */
  now: string;
};

/** Rows in column order, in batches; each batch comes from one short synchronous query. */
export type RowSource = {
  count: number;
  batches: () => Generator<Cell[][]>;
};

export type PdfLayout =
  /** a table of some columns (narrow registers, and the audit log) */
  | { kind: "table"; columns: { key: string; width?: number }[] }
  /** one section per row: a heading from `title`, then every non-empty column as label: value */
  | { kind: "records"; title: string[] };

export type RegisterDefinition = {
  key: RegisterKey;
  title: LocalizedText;
  purpose: LocalizedText;
  /** which date the range (the auditor link's or the page's from/to) is applied to */
  dateBasis: LocalizedText;
  columns: ColumnDef[];
  /** the query parameters this register understands besides from/to */
  filters: readonly string[];
  pdf: PdfLayout;
  /** more rows than this: no PDF (use a date range or CSV) */
  pdfRowLimit: number;
  open: (ctx: SourceContext) => RowSource;
};
