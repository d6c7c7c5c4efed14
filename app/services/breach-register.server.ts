/**
 * Exports of the breach register (Art. 33(5) GDPR): every breach and every incident judged not to
 * be one, with the decisions and their reasoning, as CSV (UTF-8 with BOM, RFC 4180, formula-safe)
 * and as a signed PDF. Staff with registers:export (auditors too); the same filters as the page.
 */
import { eq } from "drizzle-orm";
import { workspaces } from "../../db/schema";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { heading, keyValues, paragraph, renderSignedPdf, workspaceSigner, type DocumentBlock } from "~/documents/index.server";
import {
  BREACH_TYPE_LABELS,
  RISK_LEVEL_LABELS,
  SOURCE_LABELS,
  SUBJECTS_NOTICE_LABELS,
  dataCategoryText,
  dataSubjectText,
  occurrenceText,
} from "~/domain/breach-record";
import { toCsv, type CsvCell } from "~/domain/csv";
import type { Locale } from "~/domain/locale";
import { formatDisplayInstant, parseInstant } from "~/domain/time";
import { appendAudit } from "./audit.server";
import { requireStaffActor } from "./breach-core.server";
import { registerEntries, type RegisterEntry, type RegisterQuery } from "./breaches.server";

type AnyActor = Parameters<typeof requireStaffActor>[0];

const display = (iso: string | null) => (iso ? formatDisplayInstant(parseInstant(iso, "instant")) : "");

type Column = { nl: string; en: string; value: (e: RegisterEntry, locale: Locale) => CsvCell };

const yesNo = (value: boolean, locale: Locale) => (value ? (locale === "nl" ? "ja" : "yes") : locale === "nl" ? "nee" : "no");

const COLUMNS: Column[] = [
  { nl: "Referentie", en: "Reference", value: (e) => e.facts.reference },
  { nl: "Titel", en: "Title", value: (e) => e.facts.title },
  {
    nl: "Beoordeling",
    en: "Decision",
    value: (e, l) =>
      e.facts.classification === "breach" ? (l === "nl" ? "datalek" : "personal data breach") : l === "nl" ? "geen datalek" : "not a personal data breach",
  },
  { nl: "Motivering beoordeling", en: "Reasoning of the decision", value: (e) => e.facts.classificationReasoning },
  { nl: "Status", en: "Status", value: (e, l) => (e.status === "open" ? (l === "nl" ? "open" : "open") : l === "nl" ? "afgesloten" : "closed") },
  { nl: "Aard", en: "Nature", value: (e) => e.facts.nature },
  { nl: "Soort inbreuk", en: "Type of breach", value: (e, l) => e.facts.breachTypes.map((t) => BREACH_TYPE_LABELS[t][l]).join("; ") },
  { nl: "Bron", en: "Source", value: (e, l) => SOURCE_LABELS[e.facts.sourceKind][l] },
  { nl: "Subverwerker", en: "Sub-processor", value: (e) => e.facts.subprocessorName ?? "" },
  { nl: "Gemeld door subverwerker", en: "Reported by sub-processor", value: (e) => display(e.facts.subprocessorReportedAt) },
  { nl: "Periode van de inbreuk", en: "Period of the breach", value: (e, l) => occurrenceText(e.facts, l) },
  { nl: "Nog gaande", en: "Still ongoing", value: (e, l) => yesNo(e.facts.ongoing, l) },
  { nl: "Ontdekt", en: "Discovered", value: (e) => display(e.facts.discoveredAt) },
  { nl: "Redelijkerwijs bekend vanaf", en: "Could reasonably have been known from", value: (e) => display(e.facts.shouldHaveKnownAt ?? e.facts.discoveredAt) },
  {
    nl: "Categorieën persoonsgegevens",
    en: "Categories of personal data",
    value: (e, l) => [...e.facts.dataCategories.map((k) => dataCategoryText(k, l)), e.facts.dataCategoriesNote].filter(Boolean).join("; "),
  },
  { nl: "Bijzondere persoonsgegevens", en: "Special categories", value: (e, l) => yesNo(e.flags.special, l) },
  { nl: "BSN", en: "National ID (BSN)", value: (e, l) => yesNo(e.flags.nationalId, l) },
  { nl: "Categorieën betrokkenen", en: "Categories of data subjects", value: (e, l) => e.facts.dataSubjects.map((k) => dataSubjectText(k, l)).join("; ") },
  { nl: "Betrokkenen minimum", en: "Data subjects minimum", value: (e) => e.facts.subjectsMin },
  { nl: "Betrokkenen maximum", en: "Data subjects maximum", value: (e) => e.facts.subjectsMax },
  { nl: "Records minimum", en: "Records minimum", value: (e) => e.facts.recordsMin },
  { nl: "Records maximum", en: "Records maximum", value: (e) => e.facts.recordsMax },
  { nl: "Beveiliging", en: "Protection", value: (e) => e.facts.protection },
  { nl: "Gevolgen", en: "Consequences", value: (e) => e.facts.consequences },
  { nl: "Genomen maatregelen", en: "Measures taken", value: (e) => e.facts.measuresTaken },
  { nl: "Voorgestelde maatregelen", en: "Measures proposed", value: (e) => e.facts.measuresProposed },
  { nl: "Contactpunt", en: "Contact point", value: (e) => [e.facts.contactName, e.facts.contactEmail, e.facts.contactPhone].filter(Boolean).join(", ") },
  {
    nl: "Risico",
    en: "Risk",
    value: (e, l) => (e.facts.riskLevel ? RISK_LEVEL_LABELS[e.facts.riskLevel][l] : l === "nl" ? "niet beoordeeld" : "not assessed"),
  },
  { nl: "Motivering risico", en: "Reasoning of the risk", value: (e) => e.facts.riskReasoning },
  { nl: "Betrokkenen informeren (art. 34)", en: "Informing data subjects (Art. 34)", value: (e, l) => SUBJECTS_NOTICE_LABELS[e.facts.subjectsNotice][l] },
  { nl: "Motivering art. 34", en: "Reasoning (Art. 34)", value: (e) => e.facts.subjectsNoticeReasoning },
  { nl: "Grensoverschrijdend", en: "Cross-border", value: (e, l) => yesNo(e.facts.crossBorder, l) },
  { nl: "Getroffen klanten", en: "Customers affected", value: (e) => e.affected },
  { nl: "Klanten gemeld", en: "Customers notified", value: (e) => e.notified },
  { nl: "Klanten te laat gemeld", en: "Customers notified late", value: (e) => e.notifiedLate },
  { nl: "Eerste melding", en: "First notice", value: (e) => display(e.firstNoticeAt) },
  { nl: "Afgesloten", en: "Closed", value: (e) => display(e.closedAt) },
  { nl: "Afsluitende notitie", en: "Closing note", value: (e) => e.closingNote ?? "" },
];

/** The register as CSV text; the export is recorded in the audit trail. */
export async function breachRegisterCsv(actor: AnyActor, query: RegisterQuery, locale: Locale, now: string): Promise<{ csv: string; count: number }> {
  requireStaffActor(actor, "registers:export");
  const rows: CsvCell[][] = [];
  for (const entry of registerEntries(actor.workspaceId, query)) rows.push(COLUMNS.map((c) => c.value(entry, locale)));
  const csv = toCsv(
    COLUMNS.map((c) => c[locale]),
    rows
  );
  recordExport(actor, now, "csv", rows.length, query);
  return { csv, count: rows.length };
}

function recordExport(actor: Extract<AnyActor, { kind: "staff" }>, now: string, format: "csv" | "pdf", count: number, query: RegisterQuery): void {
  const db = getDb();
  db.transaction(
    (tx) => {
      const { after: _after, ...filters } = query;
      appendAudit(tx, actor, now, {
        action: "breach_register.exported",
        entityType: "breach_register",
        entityId: null,
        data: { format, entries: count, filters },
      });
    },
    { behavior: "immediate" }
  );
}

/** The register as a signed PDF: one section per entry with every field of the record. */
export async function breachRegisterPdf(actor: AnyActor, query: RegisterQuery, locale: Locale, now: string): Promise<{ pdf: Buffer; count: number }> {
  requireStaffActor(actor, "registers:export");
  const db = getDb();
  const workspace = db.select().from(workspaces).where(eq(workspaces.id, actor.workspaceId)).get()!;
  const nl = locale === "nl";
  const blocks: DocumentBlock[] = [];
  let count = 0;
  for (const entry of registerEntries(actor.workspaceId, query)) {
    count += 1;
    blocks.push(heading(2, `${entry.facts.reference} · ${entry.facts.title}`));
    blocks.push(
      keyValues(
        COLUMNS.slice(2)
          .map((c) => ({ label: c[locale], value: c.value(entry, locale) }))
          .filter((item) => item.value !== null && item.value !== undefined && String(item.value).trim() !== "")
          .map((item) => ({ label: item.label, value: String(item.value) }))
      )
    );
  }
  if (count === 0) blocks.push(paragraph(nl ? "Geen inbreuken of incidenten die aan de filters voldoen." : "No breaches or incidents match the filters."));
  const generated = display(now);
  const spec = {
    language: locale,
    title: nl ? "Register van datalekken en incidenten" : "Register of personal data breaches and incidents",
    subtitle: `${workspace.legalName} · ${nl ? "art. 33 lid 5 AVG" : "Art. 33(5) GDPR"} · ${nl ? "gemaakt op" : "generated on"} ${generated}`,
    metadata: { author: workspace.legalName, subject: nl ? "Register van datalekken" : "Breach register", keywords: ["GDPR 33(5)"] },
    createdAt: new Date(now).toISOString(),
    footerNote: `${workspace.legalName} · ${count} ${nl ? "vermeldingen" : "entries"}`,
    blocks: [
      paragraph(
        nl
          ? `Dit register bevat ${count} ${
              count === 1 ? "vermelding" : "vermeldingen"
            }: alle inbreuken in verband met persoonsgegevens en alle incidenten die niet als datalek zijn beoordeeld, met de feiten, de gevolgen, de maatregelen en de motivering van elk besluit.`
          : `This register holds ${count} ${
              count === 1 ? "entry" : "entries"
            }: every personal data breach and every incident judged not to be one, with the facts, the effects, the measures and the reasoning behind each decision.`,
        "small"
      ),
      ...blocks,
    ],
  };
  const signer = await workspaceSigner(workspace, getConfig(), new Date(now));
  const pdf = await renderSignedPdf(spec, signer, {
    reason: "Breach register export",
    name: workspace.legalName,
    location: workspace.city || workspace.country,
    contactInfo: workspace.website ?? workspace.legalName,
    signingTime: new Date(now),
  });
  recordExport(actor, now, "pdf", count, query);
  return { pdf, count };
}
