/**
 * CSV for registers that auditors open in a spreadsheet: RFC 4180 (fields with a comma, quote,
 * CR or LF are quoted, quotes doubled, CRLF between records), UTF-8 with a byte order mark so
 * Excel reads accents right, and cells neutralised against formula injection (CWE-1236): a cell
 * that starts with = + - @, a tab or a carriage return gets a leading apostrophe, so a
 * spreadsheet shows it as text instead of running it.
 */

/** The UTF-8 byte order mark, as the first character of the file. */
export const UTF8_BOM = "\uFEFF";

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell a spreadsheet would read as a formula gets a leading apostrophe; anything else is unchanged. */
export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** One field, quoted when RFC 4180 requires it. */
export function quoteCsvField(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

export type CsvCell = string | number | boolean | null | undefined;

function cellText(cell: CsvCell): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "boolean") return cell ? "true" : "false";
  return String(cell);
}

/**
 * The whole file: BOM, header and rows, every record ended by CRLF. Numbers are written as they
 * are (a negative number stays a number); every text cell is neutralised.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const line = (cells: readonly CsvCell[]) =>
    cells.map((cell) => quoteCsvField(typeof cell === "number" ? cellText(cell) : neutraliseFormula(cellText(cell)))).join(",");
  return UTF8_BOM + [header, ...rows].map((cells) => `${line(cells)}\r\n`).join("");
}
