/**
 * CSV: UTF-8 with BOM, RFC 4180 (CRLF, fields quoted when needed, quotes doubled), every text cell
 * neutralised against formula injection (app/domain/csv.ts); numbers as they are; booleans ja/nee
 * or yes/no; instants ISO-8601 UTC. One chunk per batch of rows.
 */
import type { Readable } from "node:stream";
import { UTF8_BOM, neutraliseFormula, quoteCsvField } from "~/domain/csv";
import type { Locale } from "~/domain/locale";
import { batchWriter, pullStream } from "./stream";
import type { Cell, ColumnDef } from "./types";

/** Anything that needs work: a formula start, or a character that needs quoting (one test for the common case). */
const NEEDS_WORK = /^[=+\-@\t\r]|[",\r\n]/;

export function csvCell(cell: Cell, yes: string, no: string): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "number") return String(cell);
  if (typeof cell === "boolean") return cell ? yes : no;
  return NEEDS_WORK.test(cell) ? quoteCsvField(neutraliseFormula(cell)) : cell;
}

export function csvStream(columns: readonly ColumnDef[], batches: Iterator<Cell[][]>, locale: Locale): Readable {
  const yes = locale === "nl" ? "ja" : "yes";
  const no = locale === "nl" ? "nee" : "no";
  const header = UTF8_BOM + columns.map((c) => quoteCsvField(neutraliseFormula(c.header[locale]))).join(",") + "\r\n";
  const width = columns.length;
  return pullStream(
    batchWriter(
      batches,
      header,
      (rows) => {
        const lines = new Array<string>(rows.length + 1);
        for (let r = 0; r < rows.length; r++) {
          const row = rows[r];
          let line = csvCell(row[0], yes, no);
          for (let i = 1; i < width; i++) line += "," + csvCell(row[i], yes, no);
          lines[r] = line;
        }
        lines[rows.length] = "";
        return Buffer.from(lines.join("\r\n"), "utf8");
      },
      "",
    ),
  );
}
