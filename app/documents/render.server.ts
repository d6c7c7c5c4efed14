/**
 * Renders a `PdfDocumentSpec` to PDF bytes with pdfkit: A4, Helvetica, a header line with the
 * title on every page, "Pagina 3 van 12" in the footer, bookmarks for the headings, tables that
 * continue on the next page under a repeated header row.
 *
 * Reproducible: the same spec gives the same bytes. The PDF's dates come from `spec.createdAt`,
 * and pdfkit derives the file ID from the Info dictionary (an MD5 of its entries), so nothing
 * depends on the clock or on chance. The layout wraps lines itself (instead of letting pdfkit
 * flow text) so it decides every page break: headings stay with what follows, a paragraph never
 * leaves one line behind, a table row is kept whole unless it is taller than a page.
 *
 * The output has a classic cross-reference table and no object streams, which is what
 * @signpdf/placeholder-plain needs to add the signature placeholder. Content streams are
 * Flate-compressed; that does not matter to the signer, which only parses the objects around them.
 */
import PDFDocument from "pdfkit";
import {
  assertValidDocument,
  documentLabels,
  type DocumentBlock,
  type PdfDocumentSpec,
  type SignatureParty,
  type TableColumn,
} from "./document";
import { toWinAnsi } from "./pdf-text";

type Pdf = InstanceType<typeof PDFDocument>;

const MARGIN = { top: 80, bottom: 76, left: 62, right: 62 };
const FONT = { regular: "Helvetica", bold: "Helvetica-Bold", italic: "Helvetica-Oblique" } as const;
const COLOR = { text: "#1b1f23", muted: "#56606b", rule: "#9aa5b1", grid: "#b9c2cc", headerFill: "#e6ebf0" } as const;
const BODY_SIZE = 10;
const LINE_FACTOR = 1.32;
const HEADING_SIZE = { 1: 15, 2: 12.5, 3: 11 } as const;
const HEADING_SPACE_BEFORE = { 1: 16, 2: 12, 3: 9 } as const;
const TABLE_SIZE = 9;
const CELL_PAD_X = 5;
const CELL_PAD_Y = 4;

type FontName = (typeof FONT)[keyof typeof FONT];

type Style = { font: FontName; size: number; color: string };

const BODY: Style = { font: FONT.regular, size: BODY_SIZE, color: COLOR.text };

function lineHeight(size: number): number {
  return size * LINE_FACTOR;
}

/** Renders the document; throws InvalidDocumentError (listing every problem) for a malformed spec. */
export async function renderPdf(spec: PdfDocumentSpec): Promise<Buffer> {
  assertValidDocument(spec);
  const created = new Date(spec.createdAt);
  const info: Record<string, string | Date> = { Title: spec.metadata.title ?? spec.title, Author: spec.metadata.author };
  if (spec.metadata.subject) info.Subject = spec.metadata.subject;
  if (spec.metadata.keywords?.length) info.Keywords = spec.metadata.keywords.join(", ");
  info.Creator = "DPA Desk";
  info.Producer = "DPA Desk";
  info.CreationDate = created;
  info.ModDate = created;

  const doc = new PDFDocument({
    size: "A4",
    margins: MARGIN,
    bufferPages: true,
    compress: true,
    lang: spec.language === "nl" ? "nl-NL" : "en-GB",
    displayTitle: true,
    info: info as PDFKit.DocumentInfo,
  });
  const bytes = collect(doc);
  const layout = new Layout(doc, spec);
  layout.titleBlock();
  for (const block of spec.blocks) layout.block(block);
  layout.pageFurniture();
  doc.end();
  return bytes;
}

function collect(doc: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
}

type GridCell = { lines: string[]; style: Style; align: "left" | "right" };
type GridRow = GridCell[];

class Layout {
  private y = MARGIN.top;
  private readonly left = MARGIN.left;
  private readonly width: number;
  private readonly pageHeight: number;
  private readonly labels: ReturnType<typeof documentLabels>;
  private outlineParents: Partial<Record<1 | 2, PDFKit.PDFOutline>> = {};
  private readonly widths = new Map<string, number>();

  constructor(
    private readonly doc: Pdf,
    private readonly spec: PdfDocumentSpec,
  ) {
    this.width = doc.page.width - MARGIN.left - MARGIN.right;
    this.pageHeight = doc.page.height;
    this.labels = documentLabels(spec.language);
  }

  private get bottom(): number {
    return this.pageHeight - MARGIN.bottom;
  }

  private get atTop(): boolean {
    return this.y <= MARGIN.top + 0.01;
  }

  private newPage(): void {
    this.doc.addPage();
    this.y = MARGIN.top;
  }

  /** Starts a new page unless `height` still fits on this one (or this page is still empty). */
  private ensure(height: number): void {
    if (this.y + height > this.bottom && !this.atTop) this.newPage();
  }

  private use(style: Style): void {
    this.doc.font(style.font).fontSize(style.size).fillColor(style.color);
  }

  private draw(text: string, x: number, y: number, style: Style): void {
    if (!text) return;
    this.use(style);
    this.doc.text(text, x, y, { lineBreak: false });
  }

  private drawRight(text: string, right: number, y: number, style: Style): void {
    if (!text) return;
    this.use(style);
    this.doc.text(text, right - this.doc.widthOfString(text), y, { lineBreak: false });
  }

  /**
   * Width of a word in a style, remembered for this document: pdfkit measures character by
   * character with a kerning lookup per pair, which was most of the rendering time.
   */
  private widthOf(word: string, style: Style): number {
    const key = `${style.font}\u0000${style.size}\u0000${word}`;
    let width = this.widths.get(key);
    if (width === undefined) {
      this.use(style);
      width = this.doc.widthOfString(word);
      this.widths.set(key, width);
    }
    return width;
  }

  /**
   * Breaks text into lines no wider than `width` (words longer than a line are cut). A line's width
   * is the sum of its words and spaces, as pdfkit's own wrapper counts it; Helvetica only kerns
   * spaces closer, so a printed line is never wider than measured.
   */
  private wrap(text: string, width: number, style: Style): string[] {
    const space = this.widthOf(" ", style);
    const measure = (s: string) => {
      this.use(style);
      return this.doc.widthOfString(s);
    };
    const lines: string[] = [];
    for (const paragraph of toWinAnsi(text).split("\n")) {
      let line = "";
      let lineWidth = 0;
      for (const word of paragraph.split(/ +/)) {
        const wordWidth = this.widthOf(word, style);
        const candidateWidth = line ? lineWidth + space + wordWidth : wordWidth;
        if (candidateWidth <= width) {
          line = line ? `${line} ${word}` : word;
          lineWidth = candidateWidth;
          continue;
        }
        if (line) lines.push(line);
        let rest = word;
        while (rest.length > 1 && measure(rest) > width) {
          let fit = 1;
          let high = rest.length - 1;
          while (fit < high) {
            const mid = Math.ceil((fit + high) / 2);
            if (measure(rest.slice(0, mid)) <= width) fit = mid;
            else high = mid - 1;
          }
          lines.push(rest.slice(0, fit));
          rest = rest.slice(fit);
        }
        line = rest;
        lineWidth = measure(rest);
      }
      lines.push(line);
    }
    return lines;
  }

  /** Shortens a single line with "…" until it fits. */
  private fit(text: string, width: number, style: Style): string {
    this.use(style);
    let line = toWinAnsi(text).replace(/\n/g, " ");
    if (this.doc.widthOfString(line) <= width) return line;
    while (line.length > 1 && this.doc.widthOfString(`${line}\u2026`) > width) line = line.slice(0, -1);
    return `${line.trimEnd()}\u2026`;
  }

  /** Lines of one style, flowing over pages; keeps at least `keep` lines together at the start. */
  private lines(lines: string[], x: number, style: Style, keep = 2): void {
    const lh = lineHeight(style.size);
    this.ensure(Math.min(lines.length, keep) * lh);
    lines.forEach((line, index) => {
      const full = this.y + lh > this.bottom;
      // the last line does not go alone to the next page: take the one before it along
      const widow = lines.length - index === 2 && index >= 2 && this.y + 2 * lh > this.bottom;
      if (full || widow) this.newPage();
      this.draw(line, x, this.y, style);
      this.y += lh;
    });
  }

  titleBlock(): void {
    const titleStyle: Style = { font: FONT.bold, size: 19, color: COLOR.text };
    this.lines(this.wrap(this.spec.title, this.width, titleStyle), this.left, titleStyle);
    if (this.spec.subtitle) {
      const subtitleStyle: Style = { font: FONT.regular, size: 11, color: COLOR.muted };
      this.y += 2;
      this.lines(this.wrap(this.spec.subtitle, this.width, subtitleStyle), this.left, subtitleStyle);
    }
    this.y += 14;
  }

  block(block: DocumentBlock): void {
    switch (block.type) {
      case "heading":
        return this.heading(block.level, block.text);
      case "paragraph":
        return this.paragraph(block.text, block.style ?? "normal");
      case "keyValue":
        return this.keyValue(block.items);
      case "table":
        return this.table(block.columns, block.rows);
      case "bullets":
        return this.bulletList(block.items);
      case "signatures":
        return this.signatures(block.parties);
      case "pageBreak":
        if (!this.atTop) this.newPage();
        return;
    }
  }

  private heading(level: 1 | 2 | 3, text: string): void {
    const style: Style = { font: FONT.bold, size: HEADING_SIZE[level], color: COLOR.text };
    const lines = this.wrap(text, this.width, style);
    const height = lines.length * lineHeight(style.size);
    if (!this.atTop) this.y += HEADING_SPACE_BEFORE[level];
    // a heading stays with at least three lines of what follows
    this.ensure(height + 4 + 3 * lineHeight(BODY_SIZE));
    this.lines(lines, this.left, style, lines.length);
    this.y += level === 1 ? 5 : 3;
    this.bookmark(level, text);
  }

  private bookmark(level: 1 | 2 | 3, text: string): void {
    const title = text.replace(/\s+/g, " ").trim();
    const parent =
      level === 1 ? this.doc.outline : level === 2 ? (this.outlineParents[1] ?? this.doc.outline) : (this.outlineParents[2] ?? this.outlineParents[1] ?? this.doc.outline);
    const item = parent.addItem(title);
    if (level === 1) this.outlineParents = { 1: item };
    if (level === 2) this.outlineParents = { ...this.outlineParents, 2: item };
  }

  private paragraph(text: string, variant: "normal" | "small" | "strong"): void {
    const style: Style =
      variant === "small"
        ? { font: FONT.regular, size: 8.5, color: COLOR.muted }
        : variant === "strong"
          ? { font: FONT.bold, size: BODY_SIZE, color: COLOR.text }
          : BODY;
    this.lines(this.wrap(text, this.width, style), this.left, style);
    this.y += 6;
  }

  private bulletList(items: string[]): void {
    const indent = 15;
    for (const item of items) {
      const lines = this.wrap(item, this.width - indent, BODY);
      this.ensure(Math.min(lines.length, 2) * lineHeight(BODY_SIZE));
      this.draw("\u2022", this.left + 3, this.y, BODY);
      this.lines(lines, this.left + indent, BODY);
      this.y += 2.5;
    }
    this.y += 4;
  }

  private keyValue(items: { label: string; value: string }[]): void {
    const labelWidth = Math.round(this.width * 0.34);
    const widths = [labelWidth, this.width - labelWidth];
    const label: Style = { font: FONT.bold, size: BODY_SIZE, color: COLOR.text };
    const rows: GridRow[] = items.map((item) => [
      { lines: this.wrap(item.label, widths[0] - 2 * CELL_PAD_X, label), style: label, align: "left" },
      { lines: this.wrap(item.value, widths[1] - 2 * CELL_PAD_X, BODY), style: BODY, align: "left" },
    ]);
    this.grid(widths, rows, { header: undefined, borders: false, padY: 1.5 });
    this.y += 6;
  }

  private table(columns: TableColumn[], rows: string[][]): void {
    const total = columns.reduce((sum, column) => sum + (column.width ?? 1), 0);
    const widths = columns.map((column) => (this.width * (column.width ?? 1)) / total);
    const headStyle: Style = { font: FONT.bold, size: TABLE_SIZE, color: COLOR.text };
    const cellStyle: Style = { font: FONT.regular, size: TABLE_SIZE, color: COLOR.text };
    const header: GridRow = columns.map((column, c) => ({
      lines: this.wrap(column.header, widths[c] - 2 * CELL_PAD_X, headStyle),
      style: headStyle,
      align: column.align ?? "left",
    }));
    const body: GridRow[] = rows.map((row) =>
      row.map((cell, c) => ({
        lines: this.wrap(cell, widths[c] - 2 * CELL_PAD_X, cellStyle),
        style: cellStyle,
        align: columns[c].align ?? "left",
      })),
    );
    this.grid(widths, body, { header, borders: true, padY: CELL_PAD_Y });
    this.y += 8;
  }

  /**
   * Rows of wrapped cells. A row moves to the next page whole when it fits on one; a row taller
   * than a page is split between lines. The header row repeats at the top of every page.
   */
  private grid(widths: number[], rows: GridRow[], options: { header: GridRow | undefined; borders: boolean; padY: number }): void {
    const { header, borders, padY } = options;
    const rowLines = (row: GridRow) => Math.max(1, ...row.map((cell) => cell.lines.length));
    const lh = (row: GridRow) => Math.max(...row.map((cell) => lineHeight(cell.style.size)));
    const rowHeight = (row: GridRow) => rowLines(row) * lh(row) + 2 * padY;
    const headerHeight = header ? rowHeight(header) : 0;
    const pageRoom = this.bottom - MARGIN.top - headerHeight;

    const drawHeader = () => {
      if (!header) return;
      this.drawRow(widths, header, 0, rowLines(header), padY, { borders, fill: COLOR.headerFill });
    };

    const first = rows[0];
    this.ensure(headerHeight + (first ? Math.min(rowHeight(first), 3 * lh(first) + 2 * padY) : 0));
    drawHeader();
    for (const row of rows) {
      const height = rowHeight(row);
      if (this.y + height > this.bottom && height <= pageRoom) {
        this.newPage();
        drawHeader();
      }
      if (this.y + height <= this.bottom) {
        this.drawRow(widths, row, 0, rowLines(row), padY, { borders });
        continue;
      }
      // taller than a page: as many lines as fit, then continue under a new header
      const total = rowLines(row);
      let from = 0;
      while (from < total) {
        let room = Math.floor((this.bottom - this.y - 2 * padY) / lh(row));
        if (room < 2) {
          this.newPage();
          drawHeader();
          room = Math.floor((this.bottom - this.y - 2 * padY) / lh(row));
        }
        const to = Math.min(total, from + room);
        this.drawRow(widths, row, from, to, padY, { borders });
        from = to;
      }
    }
  }

  /** Lines `from`..`to` of every cell of a row, at the cursor; moves the cursor below the row. */
  private drawRow(widths: number[], row: GridRow, from: number, to: number, padY: number, options: { borders: boolean; fill?: string }): void {
    const lh = Math.max(...row.map((cell) => lineHeight(cell.style.size)));
    const height = (to - from) * lh + 2 * padY;
    let x = this.left;
    if (options.fill) {
      this.doc.rect(this.left, this.y, this.width, height).fill(options.fill);
    }
    row.forEach((cell, c) => {
      cell.lines.slice(from, to).forEach((line, i) => {
        const y = this.y + padY + i * lh;
        if (cell.align === "right") this.drawRight(line, x + widths[c] - CELL_PAD_X, y, cell.style);
        else this.draw(line, x + CELL_PAD_X, y, cell.style);
      });
      if (options.borders) {
        this.doc.lineWidth(0.5).rect(x, this.y, widths[c], height).stroke(COLOR.grid);
      }
      x += widths[c];
    });
    this.y += height;
  }

  private signatures(parties: SignatureParty[]): void {
    const gap = 24;
    const columnWidth = (this.width - gap) / 2;
    const role: Style = { font: FONT.bold, size: BODY_SIZE, color: COLOR.text };
    const note: Style = { font: FONT.italic, size: 9, color: COLOR.muted };
    const small: Style = { font: FONT.regular, size: 8, color: COLOR.muted };
    const lhBody = lineHeight(BODY_SIZE);

    type Piece = { lines: string[]; style: Style } | { signatureLine: true };
    const pieces = (party: SignatureParty): Piece[] => {
      const result: Piece[] = [{ lines: this.wrap(party.role, columnWidth, role), style: role }];
      if (party.organisation) result.push({ lines: this.wrap(party.organisation, columnWidth, BODY), style: BODY });
      const fields: [string, string | undefined][] = [
        [this.labels.name, party.name],
        [this.labels.title, party.title],
        [this.labels.place, party.place],
        [this.labels.date, party.date],
      ];
      for (const [label, value] of fields) {
        if (value) result.push({ lines: this.wrap(`${label}: ${value}`, columnWidth, BODY), style: BODY });
      }
      if (party.statement) result.push({ lines: this.wrap(party.statement, columnWidth, note), style: note });
      else result.push({ signatureLine: true });
      return result;
    };
    const heightOf = (list: Piece[]) =>
      list.reduce((sum, piece) => sum + ("signatureLine" in piece ? 44 : piece.lines.length * lineHeight(piece.style.size) + 1), 0);

    for (let i = 0; i < parties.length; i += 2) {
      const pair = parties.slice(i, i + 2).map(pieces);
      this.ensure(Math.max(...pair.map(heightOf)) + lhBody);
      const top = this.y;
      let lowest = top;
      pair.forEach((list, column) => {
        const x = this.left + column * (columnWidth + gap);
        let y = top;
        for (const piece of list) {
          if ("signatureLine" in piece) {
            y += 30;
            this.doc.lineWidth(0.6).moveTo(x, y).lineTo(x + columnWidth * 0.85, y).stroke(COLOR.rule);
            this.draw(this.labels.signature, x, y + 3, small);
            y += 14;
          } else {
            const lh = lineHeight(piece.style.size);
            piece.lines.forEach((line, n) => this.draw(line, x, y + n * lh, piece.style));
            y += piece.lines.length * lh + 1;
          }
        }
        lowest = Math.max(lowest, y);
      });
      this.y = lowest + lhBody;
    }
  }

  /** Header line and page numbers, drawn on every page once the page count is known. */
  pageFurniture(): void {
    const range = this.doc.bufferedPageRange();
    const small: Style = { font: FONT.regular, size: 8, color: COLOR.muted };
    const right = this.left + this.width;
    const author = this.fit(this.spec.metadata.author, this.width * 0.4, small);
    this.use(small);
    const authorWidth = this.doc.widthOfString(author);
    const title = this.fit(this.spec.title, this.width - authorWidth - 16, small);
    for (let i = 0; i < range.count; i++) {
      this.doc.switchToPage(range.start + i);
      const headerY = MARGIN.top - 38;
      this.draw(title, this.left, headerY, small);
      this.drawRight(author, right, headerY, small);
      this.doc.lineWidth(0.5).moveTo(this.left, headerY + 13).lineTo(right, headerY + 13).stroke(COLOR.rule);

      const footerY = this.pageHeight - MARGIN.bottom + 30;
      this.doc.lineWidth(0.5).moveTo(this.left, footerY - 6).lineTo(right, footerY - 6).stroke(COLOR.rule);
      const pageLabel = this.labels.page(i + 1, range.count);
      this.use(small);
      const pageWidth = this.doc.widthOfString(pageLabel);
      if (this.spec.footerNote) this.draw(this.fit(this.spec.footerNote, this.width - pageWidth - 16, small), this.left, footerY, small);
      this.drawRight(pageLabel, right, footerY, small);
    }
  }
}
