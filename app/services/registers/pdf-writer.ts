/**
 * PDF: the register through the document model (app/documents), digitally signed with the
 * workspace's certificate. Bounded: the caller refuses registers over the register's pdfRowLimit,
 * so the rows and the document fit in memory. Instants are shown in Europe/Amsterdam with the zone.
 */
import { getConfig } from "~/config.server";
import { heading, keyValues, paragraph, renderSignedPdf, table, workspaceSigner, type DocumentBlock } from "~/documents/index.server";
import type { Locale } from "~/domain/locale";
import { formatDisplayDate, formatDisplayInstant } from "~/domain/time";
import { Temporal } from "temporal-polyfill";
import type { Cell, ColumnDef, RegisterDefinition } from "./types";

export type PdfWorkspace = { id: string; slug: string; legalName: string; city: string; country: string; website: string | null };

function shown(cell: Cell, column: ColumnDef, locale: Locale): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "boolean") return cell ? (locale === "nl" ? "ja" : "yes") : locale === "nl" ? "nee" : "no";
  if (typeof cell === "number") return String(cell);
  if (column.type === "instant" && cell) {
    try {
      return formatDisplayInstant(Temporal.Instant.from(cell));
    } catch {
      return cell;
    }
  }
  if (column.type === "date" && cell) {
    try {
      return formatDisplayDate(Temporal.PlainDate.from(cell));
    } catch {
      return cell;
    }
  }
  return cell;
}

export async function registerPdf(input: {
  definition: RegisterDefinition;
  rows: Cell[][];
  locale: Locale;
  now: string;
  workspace: PdfWorkspace;
  /** e.g. "01-01-2026 – 31-03-2026 · action: dpa.signed" */
  scope: string;
}): Promise<Buffer> {
  const { definition: def, rows, locale: l, workspace } = input;
  const nl = l === "nl";
  const columns = def.columns;
  const blocks: DocumentBlock[] = [paragraph(def.purpose[l], "small")];
  if (input.scope) blocks.push(paragraph(`${nl ? "Selectie" : "Selection"}: ${input.scope}`, "small"));
  blocks.push(paragraph(nl ? `${rows.length} ${rows.length === 1 ? "regel" : "regels"}.` : `${rows.length} ${rows.length === 1 ? "row" : "rows"}.`, "strong"));
  if (rows.length === 0) {
    blocks.push(paragraph(nl ? "Er zijn geen regels die aan de selectie voldoen." : "No rows match the selection."));
  } else if (def.pdf.kind === "table") {
    const chosen = def.pdf.columns.map((c) => ({ index: columns.findIndex((col) => col.key === c.key), width: c.width }));
    blocks.push(
      table(
        chosen.map((c) => ({ header: columns[c.index].header[l], width: c.width })),
        rows.map((row) => chosen.map((c) => shown(row[c.index], columns[c.index], l))),
      ),
    );
    const others = columns.filter((c) => !chosen.some((x) => columns[x.index].key === c.key)).map((c) => c.header[l]);
    if (others.length > 0)
      blocks.push(
        paragraph(
          nl
            ? `De PDF toont de belangrijkste kolommen; de CSV-, XLSX- en JSON-export bevatten ook: ${others.join(", ")}.`
            : `The PDF shows the main columns; the CSV, XLSX and JSON exports also hold: ${others.join(", ")}.`,
          "small",
        ),
      );
  } else {
    const titleIdx = def.pdf.title.map((key) => columns.findIndex((c) => c.key === key));
    for (const row of rows) {
      const title = titleIdx.map((i) => shown(row[i], columns[i], l)).filter(Boolean).join(" · ") || "—";
      blocks.push(heading(2, title));
      const items = columns
        .map((c, i) => ({ label: c.header[l], value: titleIdx.includes(i) ? "" : shown(row[i], c, l) }))
        .filter((item) => item.value.trim() !== "");
      if (items.length > 0) blocks.push(keyValues(items));
    }
  }
  blocks.push(heading(2, nl ? "Kolommen" : "Columns"));
  blocks.push(keyValues(columns.map((c) => ({ label: c.header[l], value: c.description[l] }))));
  const generated = formatDisplayInstant(Temporal.Instant.from(input.now));
  const spec = {
    language: l,
    title: def.title[l],
    subtitle: `${workspace.legalName} · ${nl ? "gemaakt op" : "generated on"} ${generated}`,
    metadata: { author: workspace.legalName, subject: def.title[l], keywords: ["DPA Desk", def.key] },
    createdAt: new Date(input.now).toISOString(),
    footerNote: `${workspace.legalName} · ${def.title[l]} · ${rows.length} ${nl ? "regels" : "rows"}`,
    blocks,
  };
  const signer = await workspaceSigner(workspace, getConfig(), new Date(input.now));
  return renderSignedPdf(spec, signer, {
    reason: `${def.title.en} export`,
    name: workspace.legalName,
    location: workspace.city || workspace.country,
    contactInfo: workspace.website ?? workspace.legalName,
    signingTime: new Date(input.now),
  });
}
