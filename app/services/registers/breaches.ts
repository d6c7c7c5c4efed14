/**
 * The breach register (Art. 33(5) GDPR): every personal data breach and every incident judged not
 * to be one, with the facts, effects, measures and the reasoning behind each decision. Rows come
 * from the breach service's own register reader (pages of 500), with the register page's filters.
 */
import { BREACH_TYPE_LABELS, RISK_LEVEL_LABELS, SOURCE_LABELS, SUBJECTS_NOTICE_LABELS, dataCategoryText, dataSubjectText, occurrenceText } from "~/domain/breach-record";
import type { Locale, LocalizedText } from "~/domain/locale";
import { RegisterQuery, registerEntries, type RegisterEntry } from "../breaches.server";
import { isEmptyRange } from "./range";
import type { Cell, ColumnDef, ColumnType, RegisterDefinition, SourceContext } from "./types";

type BreachColumn = ColumnDef & { value: (e: RegisterEntry, l: Locale) => Cell };

function col(key: string, header: LocalizedText, description: LocalizedText, value: BreachColumn["value"], type?: ColumnType): BreachColumn {
  return { key, header, description, value, type };
}

const COLUMNS: BreachColumn[] = [
  col("reference", { nl: "Referentie", en: "Reference" }, { nl: "Eigen kenmerk, bv. DL-2026-0001.", en: "Own reference, e.g. DL-2026-0001." }, (e) => e.facts.reference),
  col("title", { nl: "Titel", en: "Title" }, { nl: "Korte omschrijving.", en: "Short description." }, (e) => e.facts.title),
  col(
    "decision",
    { nl: "Beoordeling", en: "Decision" },
    { nl: "Datalek, of incident dat geen datalek is.", en: "Personal data breach, or an incident that is not one." },
    (e, l) => (e.facts.classification === "breach" ? (l === "nl" ? "datalek" : "personal data breach") : l === "nl" ? "geen datalek" : "not a personal data breach"),
  ),
  col("decisionReasoning", { nl: "Motivering beoordeling", en: "Reasoning of the decision" }, { nl: "Waarom het wel of geen datalek is.", en: "Why it is or is not a breach." }, (e) => e.facts.classificationReasoning),
  col("status", { nl: "Status", en: "Status" }, { nl: "Open of afgesloten.", en: "Open or closed." }, (e, l) => (e.status === "open" ? "open" : l === "nl" ? "afgesloten" : "closed")),
  col("nature", { nl: "Aard", en: "Nature" }, { nl: "Wat er gebeurde.", en: "What happened." }, (e) => e.facts.nature),
  col("breachTypes", { nl: "Soort inbreuk", en: "Type of breach" }, { nl: "Vertrouwelijkheid, integriteit, beschikbaarheid.", en: "Confidentiality, integrity, availability." }, (e, l) =>
    e.facts.breachTypes.map((t) => BREACH_TYPE_LABELS[t][l]).join("; "),
  ),
  col("source", { nl: "Bron", en: "Source" }, { nl: "Eigen systemen of een subverwerker.", en: "Own systems or a sub-processor." }, (e, l) => SOURCE_LABELS[e.facts.sourceKind][l]),
  col("subprocessor", { nl: "Subverwerker", en: "Sub-processor" }, { nl: "De subverwerker bij wie het gebeurde.", en: "The sub-processor where it happened." }, (e) => e.facts.subprocessorName ?? ""),
  col("subprocessorReportedAt", { nl: "Gemeld door subverwerker", en: "Reported by sub-processor" }, { nl: "Wanneer de subverwerker het meldde.", en: "When the sub-processor reported it." }, (e) => e.facts.subprocessorReportedAt, "instant"),
  col("period", { nl: "Periode van de inbreuk", en: "Period of the breach" }, { nl: "Van–tot, of nog gaande.", en: "From–to, or still ongoing." }, (e, l) => occurrenceText(e.facts, l)),
  col("ongoing", { nl: "Nog gaande", en: "Still ongoing" }, { nl: "Of de inbreuk nog voortduurt.", en: "Whether the breach is still going on." }, (e) => e.facts.ongoing, "boolean"),
  col("discoveredAt", { nl: "Ontdekt", en: "Discovered" }, { nl: "Moment van ontdekking (datumbereik geldt hierop).", en: "Moment of discovery (the date range applies to it)." }, (e) => e.facts.discoveredAt, "instant"),
  col("knownFrom", { nl: "Redelijkerwijs bekend vanaf", en: "Could reasonably have been known from" }, { nl: "Start van de meldklokken.", en: "Start of the notice clocks." }, (e) => e.facts.shouldHaveKnownAt ?? e.facts.discoveredAt, "instant"),
  col("dataCategories", { nl: "Categorieën persoonsgegevens", en: "Categories of personal data" }, { nl: "Welke gegevens betrokken zijn.", en: "Which data is concerned." }, (e, l) =>
    [...e.facts.dataCategories.map((k) => dataCategoryText(k, l)), e.facts.dataCategoriesNote].filter(Boolean).join("; "),
  ),
  col("special", { nl: "Bijzondere persoonsgegevens", en: "Special categories" }, { nl: "Art. 9/10 AVG-gegevens betrokken.", en: "Art. 9/10 GDPR data concerned." }, (e) => e.flags.special, "boolean"),
  col("nationalId", { nl: "BSN", en: "National ID (BSN)" }, { nl: "Burgerservicenummers betrokken.", en: "Citizen service numbers concerned." }, (e) => e.flags.nationalId, "boolean"),
  col("dataSubjects", { nl: "Categorieën betrokkenen", en: "Categories of data subjects" }, { nl: "Wiens gegevens het zijn.", en: "Whose data it is." }, (e, l) => e.facts.dataSubjects.map((k) => dataSubjectText(k, l)).join("; ")),
  col("subjectsMin", { nl: "Betrokkenen minimum", en: "Data subjects minimum" }, { nl: "Geschat aantal personen, ondergrens.", en: "Estimated number of people, lower bound." }, (e) => e.facts.subjectsMin, "number"),
  col("subjectsMax", { nl: "Betrokkenen maximum", en: "Data subjects maximum" }, { nl: "Geschat aantal personen, bovengrens.", en: "Estimated number of people, upper bound." }, (e) => e.facts.subjectsMax, "number"),
  col("recordsMin", { nl: "Records minimum", en: "Records minimum" }, { nl: "Geschat aantal records, ondergrens.", en: "Estimated number of records, lower bound." }, (e) => e.facts.recordsMin, "number"),
  col("recordsMax", { nl: "Records maximum", en: "Records maximum" }, { nl: "Geschat aantal records, bovengrens.", en: "Estimated number of records, upper bound." }, (e) => e.facts.recordsMax, "number"),
  col("protection", { nl: "Beveiliging", en: "Protection" }, { nl: "Beveiliging vóór de inbreuk (versleuteling e.d.).", en: "Protection before the breach (encryption etc.)." }, (e) => e.facts.protection),
  col("consequences", { nl: "Gevolgen", en: "Consequences" }, { nl: "Waarschijnlijke gevolgen voor betrokkenen.", en: "Likely consequences for data subjects." }, (e) => e.facts.consequences),
  col("measuresTaken", { nl: "Genomen maatregelen", en: "Measures taken" }, { nl: "Wat er al gedaan is.", en: "What has been done." }, (e) => e.facts.measuresTaken),
  col("measuresProposed", { nl: "Voorgestelde maatregelen", en: "Measures proposed" }, { nl: "Wat er nog gedaan wordt.", en: "What will be done." }, (e) => e.facts.measuresProposed),
  col("contact", { nl: "Contactpunt", en: "Contact point" }, { nl: "Contactpersoon (FG of ander) voor meer informatie.", en: "Contact (DPO or other) for more information." }, (e) =>
    [e.facts.contactName, e.facts.contactEmail, e.facts.contactPhone].filter(Boolean).join(", "),
  ),
  col("risk", { nl: "Risico", en: "Risk" }, { nl: "Geen, risico of hoog risico voor betrokkenen.", en: "None, risk or high risk for data subjects." }, (e, l) =>
    e.facts.riskLevel ? RISK_LEVEL_LABELS[e.facts.riskLevel][l] : l === "nl" ? "niet beoordeeld" : "not assessed",
  ),
  col("riskReasoning", { nl: "Motivering risico", en: "Reasoning of the risk" }, { nl: "Waarom dat risico.", en: "Why that risk level." }, (e) => e.facts.riskReasoning),
  col("subjectsNotice", { nl: "Betrokkenen informeren (art. 34)", en: "Informing data subjects (Art. 34)" }, { nl: "Besluit over melding aan betrokkenen of de uitzondering.", en: "Decision on telling data subjects, or the exemption." }, (e, l) =>
    SUBJECTS_NOTICE_LABELS[e.facts.subjectsNotice][l],
  ),
  col("subjectsNoticeReasoning", { nl: "Motivering art. 34", en: "Reasoning (Art. 34)" }, { nl: "Waarom dat besluit.", en: "Why that decision." }, (e) => e.facts.subjectsNoticeReasoning),
  col("crossBorder", { nl: "Grensoverschrijdend", en: "Cross-border" }, { nl: "Betrokkenen in meer dan één EU-lidstaat.", en: "Data subjects in more than one EU member state." }, (e) => e.facts.crossBorder, "boolean"),
  col("customersAffected", { nl: "Getroffen klanten", en: "Customers affected" }, { nl: "Klanten (verwerkingsverantwoordelijken) die het raakt.", en: "Customers (controllers) affected." }, (e) => e.affected, "number"),
  col("customersNotified", { nl: "Klanten gemeld", en: "Customers notified" }, { nl: "Daarvan gemeld.", en: "Of which notified." }, (e) => e.notified, "number"),
  col("customersNotifiedLate", { nl: "Klanten te laat gemeld", en: "Customers notified late" }, { nl: "Daarvan na hun termijn gemeld.", en: "Of which notified after their deadline." }, (e) => e.notifiedLate, "number"),
  col("firstNoticeAt", { nl: "Eerste melding", en: "First notice" }, { nl: "Eerste melding aan een klant.", en: "First notice to a customer." }, (e) => e.firstNoticeAt, "instant"),
  col("closedAt", { nl: "Afgesloten", en: "Closed" }, { nl: "Wanneer afgesloten.", en: "When it was closed." }, (e) => e.closedAt, "instant"),
  col("closingNote", { nl: "Afsluitende notitie", en: "Closing note" }, { nl: "Toelichting bij het afsluiten.", en: "Note on closing." }, (e) => e.closingNote ?? ""),
];

/** The breach register page's filters (classification, status, risk, q), plus the range on discovery. */
export const BREACH_FILTERS = ["classification", "status", "risk", "q"] as const;

function query(ctx: SourceContext): RegisterQuery {
  return RegisterQuery.parse({ ...ctx.filters, from: ctx.range.from ?? undefined, to: ctx.range.to ?? undefined, after: undefined });
}

export const breachesRegister: RegisterDefinition = {
  key: "breaches",
  title: { nl: "Register van datalekken en incidenten", en: "Register of breaches and incidents" },
  purpose: {
    nl: "Art. 33 lid 5 AVG: elk datalek én elk incident dat geen datalek bleek, met de feiten, gevolgen, maatregelen en de motivering van elk besluit.",
    en: "Art. 33(5) GDPR: every personal data breach and every incident judged not to be one, with the facts, effects, measures and the reasoning behind each decision.",
  },
  dateBasis: { nl: "moment van ontdekking", en: "moment of discovery" },
  filters: BREACH_FILTERS,
  columns: COLUMNS.map(({ value: _value, ...c }) => c),
  pdf: { kind: "records", title: ["reference", "title"] },
  pdfRowLimit: 500,
  open(ctx) {
    if (isEmptyRange(ctx.range)) return { count: 0, batches: function* () {} };
    const q = query(ctx);
    let count = 0;
    for (const _ of registerEntries(ctx.workspaceId, q)) count += 1;
    return {
      count,
      batches: function* () {
        let batch: Cell[][] = [];
        for (const entry of registerEntries(ctx.workspaceId, q)) {
          batch.push(COLUMNS.map((c) => c.value(entry, ctx.locale)));
          if (batch.length === 500) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length > 0) yield batch;
      },
    };
  },
};
