/**
 * A minimal streaming SpreadsheetML (XLSX) writer on yazl: one worksheet whose rows are written as
 * they come (inline strings, no shared-string table, so nothing is kept per row), a bold frozen
 * header row and wrapped text. Opens in Excel and LibreOffice; read back with exceljs in the tests.
 * Limits of the format: 1,048,576 rows per sheet and 32,767 characters per cell (longer text is cut
 * with "…" and the cut is said in the cell).
 */
import { PassThrough, type Readable } from "node:stream";
import yazl from "yazl";
import type { Locale } from "~/domain/locale";
import { batchWriter, pullStream } from "./stream";
import type { Cell, ColumnDef } from "./types";

/** Rows a sheet can hold besides the header. */
export const XLSX_MAX_ROWS = 1_048_575;
const MAX_CELL = 32_767;

// characters XML 1.0 does not allow (control characters other than tab, LF and CR)
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xmlText(text: string): string {
  return text.replace(INVALID_XML, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function columnLetters(index: number): string {
  let n = index + 1;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function cut(text: string, locale: Locale): string {
  if (text.length <= MAX_CELL) return text;
  const note = locale === "nl" ? " … (ingekort; zie CSV of JSON)" : " … (truncated; see CSV or JSON)";
  return text.slice(0, MAX_CELL - note.length) + note;
}

function cellXml(ref: string, cell: Cell, style: number, yes: string, no: string, locale: Locale): string {
  if (cell === null || cell === undefined || cell === "") return "";
  if (typeof cell === "number" && Number.isFinite(cell)) return `<c r="${ref}"${style ? ` s="${style}"` : ""}><v>${cell}</v></c>`;
  const text = typeof cell === "boolean" ? (cell ? yes : no) : cut(String(cell), locale);
  return `<c r="${ref}" t="inlineStr"${style ? ` s="${style}"` : ""}><is><t xml:space="preserve">${xmlText(text)}</t></is></c>`;
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`;

const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`;

const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\ */
export function sheetName(title: string): string {
  return title.replace(/[[\]:*?/\\]/g, " ").slice(0, 31).trim() || "Register";
}

export function xlsxStream(input: {
  columns: readonly ColumnDef[];
  batches: Iterator<Cell[][]>;
  locale: Locale;
  sheetTitle: string;
  author: string;
  createdAt: string;
}): Readable {
  const { columns, locale } = input;
  const yes = locale === "nl" ? "ja" : "yes";
  const no = locale === "nl" ? "nee" : "no";
  const letters = columns.map((_, i) => columnLetters(i));
  const widths = columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.type === "number" ? 12 : c.type === "instant" ? 26 : c.type === "date" || c.type === "boolean" ? 13 : 30}" customWidth="1"/>`).join("");
  const head =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
    `<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>` +
    `<sheetFormatPr defaultRowHeight="15"/><cols>${widths}</cols><sheetData>` +
    `<row r="1">${columns.map((c, i) => cellXml(`${letters[i]}1`, c.header[locale], 1, yes, no, locale)).join("")}</row>`;
  let rowNumber = 1;
  const sheet = pullStream(
    batchWriter(
      input.batches,
      head,
      (rows) => {
        let out = "";
        for (const row of rows) {
          rowNumber += 1;
          let cells = "";
          for (let i = 0; i < letters.length; i++) {
            const cell = row[i];
            cells += cellXml(`${letters[i]}${rowNumber}`, cell, typeof cell === "string" && cell.includes("\n") ? 2 : 0, yes, no, locale);
          }
          out += `<row r="${rowNumber}">${cells}</row>`;
        }
        return out;
      },
      "</sheetData></worksheet>",
    ),
  );
  const workbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${xmlText(sheetName(input.sheetTitle))}" sheetId="1" r:id="rId1"/></sheets></workbook>`;
  const core = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>${xmlText(input.sheetTitle)}</dc:title><dc:creator>${xmlText(input.author)}</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${input.createdAt.replace(/\.\d+Z$/, "Z")}</dcterms:created></cp:coreProperties>`;
  const mtime = new Date(input.createdAt);
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(CONTENT_TYPES), "[Content_Types].xml", { mtime });
  zip.addBuffer(Buffer.from(ROOT_RELS), "_rels/.rels", { mtime });
  zip.addBuffer(Buffer.from(core), "docProps/core.xml", { mtime });
  zip.addBuffer(Buffer.from(workbook), "xl/workbook.xml", { mtime });
  zip.addBuffer(Buffer.from(WORKBOOK_RELS), "xl/_rels/workbook.xml.rels", { mtime });
  zip.addBuffer(Buffer.from(STYLES), "xl/styles.xml", { mtime });
  zip.addReadStream(sheet, "xl/worksheets/sheet1.xml", { mtime });
  zip.end();
  // errors of the sheet (a failed read) end the download instead of leaving it hanging
  const out = new PassThrough();
  sheet.on("error", (error) => out.destroy(error));
  zip.outputStream.on("error", (error) => out.destroy(error));
  zip.outputStream.pipe(out);
  return out;
}
