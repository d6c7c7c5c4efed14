/**
 * The sub-processor register with its full change history and the change notices sent: one row per
 * sub-processor (its current entry), a History column with every event (time, event, by whom, what
 * changed) and a Changes column with every change announced about it (kind, planned start, when
 * sent, to how many customers, approvals and objections, status).
 */
import { getDb } from "~/db.server";
import { catalogueLabel } from "~/domain/processing-catalogue";
import { countryName, nonEeaLocations } from "~/domain/subprocessor-register";
import { SAFEGUARD_LABELS } from "./processing";
import { instantBounds, isEmptyRange } from "./range";
import { column, jsonList, label } from "./shared";
import type { Cell, RegisterDefinition } from "./types";

const STATUS = { proposed: { nl: "voorgesteld", en: "proposed" }, active: { nl: "in gebruik", en: "active" }, retired: { nl: "beëindigd", en: "retired" } };
export const HISTORY_EVENTS = {
  created: { nl: "opgenomen", en: "created" },
  updated: { nl: "gewijzigd", en: "updated" },
  change_announced: { nl: "wijziging aangekondigd", en: "change announced" },
  start_accepted: { nl: "startdatum bevestigd", en: "start accepted" },
  change_cancelled: { nl: "wijziging ingetrokken", en: "change cancelled" },
  change_in_effect: { nl: "wijziging van kracht", en: "change in effect" },
  excluded_for_customer: { nl: "uitgesloten voor klant", en: "excluded for customer" },
};
export const CHANGE_KINDS = {
  new: { nl: "nieuw", en: "new" },
  replacement: { nl: "vervanging", en: "replacement" },
  location: { nl: "nieuwe locatie", en: "new location" },
  purpose: { nl: "nieuw doel", en: "new purpose" },
  removal: { nl: "verwijdering", en: "removal" },
};
export const CHANGE_STATUS = {
  draft: { nl: "concept", en: "draft" },
  awaiting_approval: { nl: "wacht op toestemming", en: "awaiting approval" },
  scheduled: { nl: "gepland", en: "scheduled" },
  in_effect: { nl: "van kracht", en: "in effect" },
  cancelled: { nl: "ingetrokken", en: "cancelled" },
};

/** "field: before → after; …" for { field: { before, after } }, otherwise compact JSON. */
export function changeSummary(data: string): string {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return data;
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return JSON.stringify(value);
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "";
  return entries
    .map(([key, v]) => {
      if (v && typeof v === "object" && !Array.isArray(v) && "before" in v && "after" in v) {
        const ba = v as { before: unknown; after: unknown };
        return `${key}: ${JSON.stringify(ba.before)} → ${JSON.stringify(ba.after)}`;
      }
      return `${key}: ${typeof v === "string" ? v : JSON.stringify(v)}`;
    })
    .join("; ");
}

type SpRow = [
  id: string, legalName: string, tradeName: string | null, serviceNl: string, serviceEn: string, purposeNl: string, purposeEn: string, locations: string,
  dataCategories: string, safeguard: string | null, dpaDate: string | null, dpaSha: string | null, breachHours: number | null, status: string,
  startDate: string | null, endDate: string | null, createdAt: string,
];

export const subprocessorsRegister: RegisterDefinition = {
  key: "subprocessors",
  title: { nl: "Register van subverwerkers", en: "Sub-processor register" },
  purpose: {
    nl: "Elke subverwerker met de huidige gegevens, de volledige wijzigingsgeschiedenis en de aangekondigde wijzigingen met de verzonden kennisgevingen.",
    en: "Every sub-processor with its current entry, its full change history and the announced changes with the notices sent.",
  },
  dateBasis: {
    nl: "in gebruik in het bereik, of een gebeurtenis in het bereik (geschiedenis en wijzigingen alleen uit het bereik)",
    en: "in use during the range, or an event in the range (history and changes only from the range)",
  },
  filters: [],
  columns: [
    column("legalName", "Subverwerker", "Sub-processor", "Statutaire naam.", "Legal name."),
    column("tradeName", "Handelsnaam", "Trade name", "Handelsnaam, indien anders.", "Trade name, if different."),
    column("service", "Dienst", "Service", "Wat de subverwerker voor de verwerker doet.", "What it does for the processor."),
    column("purpose", "Doel", "Purpose", "Waarvoor persoonsgegevens worden verwerkt.", "What personal data is processed for."),
    column("locations", "Locaties", "Locations", "Landen van verwerking.", "Countries of processing."),
    column("outsideEea", "Buiten EER", "Outside the EEA", "Landen buiten de EER.", "Countries outside the EEA."),
    column("safeguard", "Waarborg", "Safeguard", "Waarborg voor doorgifte buiten de EER.", "Safeguard for transfers outside the EEA."),
    column("dataCategories", "Categorieën persoonsgegevens", "Categories of personal data", "Welke gegevens.", "Which data."),
    column("status", "Status", "Status", "Voorgesteld, in gebruik of beëindigd.", "Proposed, active or retired."),
    column("startDate", "In gebruik vanaf", "In use from", "Eerste dag van gebruik.", "First day of use.", "date"),
    column("endDate", "In gebruik tot en met", "In use until", "Laatste dag van gebruik.", "Last day of use.", "date"),
    column("dpaDate", "Overeenkomst getekend", "DPA signed", "Datum van onze verwerkersovereenkomst met de subverwerker.", "Date of our DPA with the sub-processor.", "date"),
    column("dpaSha256", "SHA-256 overeenkomst", "DPA SHA-256", "Hash van het opgeslagen document.", "Hash of the stored document."),
    column("breachNoticeHours", "Meldtermijn datalek (uren)", "Breach notice (hours)", "Binnen hoeveel uur de subverwerker ons meldt; leeg = geen urenlimiet.", "Hours within which it tells us of a breach; empty = no hour limit.", "number"),
    column("history", "Geschiedenis", "History", "Elke gebeurtenis: tijdstip (UTC) · gebeurtenis · door wie · wat er veranderde.", "Every event: time (UTC) · event · by whom · what changed."),
    column("changes", "Wijzigingen en kennisgevingen", "Changes and notices", "Elke aangekondigde wijziging: soort, geplande start, verzonden, aantal klanten, toestemmingen/bezwaren, status.", "Every announced change: kind, planned start, sent, customers notified, approvals/objections, status."),
  ],
  pdf: { kind: "records", title: ["legalName"] },
  pdfRowLimit: 500,
  open(ctx) {
    const client = getDb().$client;
    if (isEmptyRange(ctx.range)) return { count: 0, batches: function* () {} };
    const l = ctx.locale;
    const { start, end } = instantBounds(ctx.range);
    const eventRange = (col: string) => [start ? `${col} >= ?` : null, end ? `${col} < ?` : null].filter(Boolean).map((s) => ` and ${s}`).join("");
    const eventParams = [start, end].filter((v): v is string => v !== null);
    const ranged = ctx.range.from !== null || ctx.range.to !== null;
    const inRange = ranged
      ? `and ((s.status <> 'proposed' and (s.start_date is null or s.start_date <= ?) and (s.end_date is null or s.end_date >= ?))
           or exists (select 1 from subprocessor_history h where h.subprocessor_id = s.id${eventRange("h.at")}))`
      : "";
    const rangeParams = ranged ? [ctx.range.to ?? "9999-12-31", ctx.range.from ?? "0000-01-01", ...eventParams] : [];
    const list = client
      .prepare(
        `select s.id, s.legal_name, s.trade_name, s.service_nl, s.service_en, s.purpose_nl, s.purpose_en, s.locations, s.data_categories, s.transfer_safeguard,
           s.dpa_date, s.dpa_document_sha256, s.breach_notice_hours, s.status, s.start_date, s.end_date, s.created_at
         from subprocessors s where s.workspace_id = ? ${inRange} order by s.name_key, s.id`,
      )
      .raw(true)
      .all(ctx.workspaceId, ...rangeParams) as SpRow[];
    const history = client
      .prepare(`select h.at, h.event, h.actor_label, h.data from subprocessor_history h where h.subprocessor_id = ?${eventRange("h.at")} order by h.at, h.id`)
      .raw(true);
    const changes = client
      .prepare(
        `select c.kind, c.planned_start, c.sent_at, c.status, c.cancelled_reason,
           (select count(*) from subprocessor_notices n where n.change_id = c.id and n.sent_at is not null),
           (select count(*) from subprocessor_notices n where n.change_id = c.id and n.response = 'approved'),
           (select count(*) from subprocessor_notices n where n.change_id = c.id and n.response = 'objected')
         from subprocessor_changes c where c.workspace_id = ? and (c.subprocessor_id = ? or c.replaces_subprocessor_id = ?)${eventRange("coalesce(c.sent_at, c.created_at)")}
         order by c.created_at, c.id`,
      )
      .raw(true);
    const nl = l === "nl";
    return {
      count: list.length,
      batches: function* () {
        for (let i = 0; i < list.length; i += 100) {
          const rows: Cell[][] = list.slice(i, i + 100).map((s) => {
            const locations = jsonList(s[7]);
            const outside = nonEeaLocations(locations);
            const events = (history.all(s[0], ...eventParams) as [string, string, string, string][]).map(([at, event, actor, data]) =>
              [at, label(HISTORY_EVENTS, event, l), actor, changeSummary(data)].filter(Boolean).join(" · "),
            );
            const announced = (changes.all(ctx.workspaceId, s[0], s[0], ...eventParams) as [string, string, string | null, string, string | null, number, number, number][]).map(
              ([kind, planned, sentAt, status, cancelled, sent, approved, objected]) =>
                [
                  label(CHANGE_KINDS, kind, l),
                  `${nl ? "start" : "start"} ${planned}`,
                  sentAt ? `${nl ? "verzonden" : "sent"} ${sentAt} ${nl ? "aan" : "to"} ${sent} ${nl ? "klanten" : "customers"}` : nl ? "niet verzonden" : "not sent",
                  `${approved} ${nl ? "toestemmingen" : "approvals"}, ${objected} ${nl ? "bezwaren" : "objections"}`,
                  label(CHANGE_STATUS, status, l) + (cancelled ? ` (${cancelled})` : ""),
                ].join(" · "),
            );
            return [
              s[1],
              s[2] && s[2] !== s[1] ? s[2] : "",
              nl ? s[3] : s[4],
              nl ? s[5] : s[6],
              locations.map((c) => countryName(c, l)).join(", "),
              outside.map((c) => countryName(c, l)).join(", "),
              s[9] ? label(SAFEGUARD_LABELS, s[9], l) : "",
              jsonList(s[8]).map((k) => catalogueLabel("dataCategory", k, l).text).join("; "),
              label(STATUS, s[13], l),
              s[14],
              s[15],
              s[10],
              s[11] ?? "",
              s[12],
              events.join("\n"),
              announced.join("\n"),
            ];
          });
          yield rows;
        }
      },
    };
  },
};
