/**
 * A document described as data: services build one of these (DPA, breach notice letter, deletion
 * certificate), tests assert its content, and `renderPdf` turns it into a PDF. Nothing here knows
 * about PDF; the same document always renders to the same bytes.
 */
import type { Locale } from "~/domain/locale";

export type HeadingLevel = 1 | 2 | 3;

export type TableColumn = {
  header: string;
  /** relative width (default 1): columns share the text width in proportion */
  width?: number;
  align?: "left" | "right";
};

export type SignatureParty = {
  /** what the party signs as, e.g. "Verwerker" / "Processor" */
  role: string;
  /** organisation the signatory represents */
  organisation?: string;
  name: string;
  /** the signatory's job title */
  title?: string;
  place?: string;
  /** as displayed, e.g. "28-03-2026 14:00 CET"; without it the block leaves a line to sign on */
  date?: string;
  /** e.g. "Elektronisch ondertekend via het klantportaal"; shown instead of a signature line */
  statement?: string;
};

export type DocumentBlock =
  | { type: "heading"; level: HeadingLevel; text: string }
  | { type: "paragraph"; text: string; style?: "normal" | "small" | "strong" }
  | { type: "keyValue"; items: { label: string; value: string }[] }
  | { type: "table"; columns: TableColumn[]; rows: string[][] }
  | { type: "bullets"; items: string[] }
  | { type: "signatures"; parties: SignatureParty[] }
  | { type: "pageBreak" };

export type DocumentMetadata = {
  /** the PDF's Title; defaults to the document title */
  title?: string;
  author: string;
  subject?: string;
  keywords?: string[];
};

export type PdfDocumentSpec = {
  /** language of the text and of the page furniture ("Pagina 1 van 3" / "Page 1 of 3") */
  language: Locale;
  /** printed at the top of page 1 and in the header line of every page */
  title: string;
  subtitle?: string;
  metadata: DocumentMetadata;
  /** ISO-8601 instant; becomes the PDF's creation and modification date (reproducible output) */
  createdAt: string;
  /** small print at the left of every footer, e.g. a reference or certificate fingerprint */
  footerNote?: string;
  blocks: DocumentBlock[];
};

// ----- building blocks ---------------------------------------------------------------------------

export function heading(level: HeadingLevel, text: string): DocumentBlock {
  return { type: "heading", level, text };
}

export function paragraph(text: string, style: "normal" | "small" | "strong" = "normal"): DocumentBlock {
  return { type: "paragraph", text, style };
}

export function keyValues(items: { label: string; value: string }[]): DocumentBlock {
  return { type: "keyValue", items };
}

export function table(columns: TableColumn[], rows: string[][]): DocumentBlock {
  return { type: "table", columns, rows };
}

export function bullets(items: string[]): DocumentBlock {
  return { type: "bullets", items };
}

export function signatures(parties: SignatureParty[]): DocumentBlock {
  return { type: "signatures", parties };
}

export function pageBreak(): DocumentBlock {
  return { type: "pageBreak" };
}

// ----- validation --------------------------------------------------------------------------------

export class InvalidDocumentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid document: ${problems.join("; ")}`);
    this.name = "InvalidDocumentError";
  }
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** Every problem that would make the document render wrongly; empty when it is fine. */
export function documentProblems(spec: PdfDocumentSpec): string[] {
  const problems: string[] = [];
  if (spec.language !== "nl" && spec.language !== "en") problems.push(`language must be "nl" or "en", not "${String(spec.language)}"`);
  if (!spec.title.trim()) problems.push("title is empty");
  if (!spec.metadata.author.trim()) problems.push("metadata.author is empty");
  if (!ISO_INSTANT.test(spec.createdAt) || Number.isNaN(Date.parse(spec.createdAt))) {
    problems.push(`createdAt must be an ISO-8601 UTC instant like 2026-03-28T13:00:00.000Z, not "${spec.createdAt}"`);
  }
  spec.blocks.forEach((block, index) => {
    const where = `block ${index + 1} (${block.type})`;
    switch (block.type) {
      case "heading":
        if (![1, 2, 3].includes(block.level)) problems.push(`${where}: level must be 1, 2 or 3`);
        if (!block.text.trim()) problems.push(`${where}: text is empty`);
        break;
      case "paragraph":
        if (!block.text.trim()) problems.push(`${where}: text is empty`);
        break;
      case "keyValue":
        if (block.items.length === 0) problems.push(`${where}: has no items`);
        break;
      case "table":
        if (block.columns.length === 0) problems.push(`${where}: has no columns`);
        block.columns.forEach((column, c) => {
          if (column.width !== undefined && !(column.width > 0)) problems.push(`${where}: column ${c + 1} width must be positive`);
        });
        block.rows.forEach((row, r) => {
          if (row.length !== block.columns.length) {
            problems.push(`${where}: row ${r + 1} has ${row.length} cells, the table has ${block.columns.length} columns`);
          }
        });
        break;
      case "bullets":
        if (block.items.length === 0) problems.push(`${where}: has no items`);
        break;
      case "signatures":
        if (block.parties.length === 0) problems.push(`${where}: has no parties`);
        break;
      case "pageBreak":
        break;
    }
  });
  return problems;
}

export function assertValidDocument(spec: PdfDocumentSpec): void {
  const problems = documentProblems(spec);
  if (problems.length > 0) throw new InvalidDocumentError(problems);
}

// ----- plain text --------------------------------------------------------------------------------

const LABELS: Record<Locale, { name: string; title: string; place: string; date: string }> = {
  nl: { name: "Naam", title: "Functie", place: "Plaats", date: "Datum" },
  en: { name: "Name", title: "Title", place: "Place", date: "Date" },
};

/**
 * The document's words in reading order, one block per paragraph: what a test asserts on, and a
 * stable text to hash as "the document signed" (it changes exactly when the content changes).
 */
export function documentText(spec: PdfDocumentSpec): string {
  const labels = LABELS[spec.language];
  const parts: string[] = [spec.title];
  if (spec.subtitle) parts.push(spec.subtitle);
  for (const block of spec.blocks) {
    switch (block.type) {
      case "heading":
      case "paragraph":
        parts.push(block.text);
        break;
      case "keyValue":
        parts.push(block.items.map((item) => `${item.label}: ${item.value}`).join("\n"));
        break;
      case "table":
        parts.push([block.columns.map((c) => c.header), ...block.rows].map((row) => row.join(" | ")).join("\n"));
        break;
      case "bullets":
        parts.push(block.items.map((item) => `- ${item}`).join("\n"));
        break;
      case "signatures":
        for (const party of block.parties) {
          const lines = [party.role];
          if (party.organisation) lines.push(party.organisation);
          lines.push(`${labels.name}: ${party.name}`);
          if (party.title) lines.push(`${labels.title}: ${party.title}`);
          if (party.place) lines.push(`${labels.place}: ${party.place}`);
          if (party.date) lines.push(`${labels.date}: ${party.date}`);
          if (party.statement) lines.push(party.statement);
          parts.push(lines.join("\n"));
        }
        break;
      case "pageBreak":
        break;
    }
  }
  return parts.join("\n\n");
}

/** The page furniture and signature labels, per document language. */
export function documentLabels(language: Locale) {
  return {
    ...LABELS[language],
    signature: language === "nl" ? "Handtekening" : "Signature",
    page: (page: number, total: number) => (language === "nl" ? `Pagina ${page} van ${total}` : `Page ${page} of ${total}`),
  };
}

/** Text as part of a download's file name: accents dropped, only letters, digits, space, ".", "_" and "-". */
export function safeFilenamePart(value: string): string {
  return value
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9 ._-]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
}
