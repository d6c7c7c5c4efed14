/**
 * Objections and approvals with their outcomes: every change notice sent to a customer (the proof
 * of notice), the regime and window from that customer's terms, its response and how an objection
 * was resolved. Read in keyset batches on (sent_at, id).
 */
import { getDb } from "~/db.server";
import { amsterdamDateOf } from "~/domain/time";
import { Temporal } from "temporal-polyfill";
import { instantBounds, isEmptyRange } from "./range";
import { column, jsonList, label } from "./shared";
import { CHANGE_KINDS, CHANGE_STATUS } from "./subprocessors";
import type { RegisterDefinition } from "./types";

const BATCH = 2000;

const REGIME = {
  approval_required: { nl: "voorafgaande toestemming vereist", en: "prior approval required" },
  window: { nl: "bezwaartermijn", en: "objection window" },
  objection_without_window: { nl: "bezwaar mogelijk, zonder termijn", en: "objection possible, no window" },
  informational: { nl: "ter informatie", en: "for information" },
};
const RESPONSE = { approved: { nl: "toestemming", en: "approved" }, objected: { nl: "bezwaar", en: "objected" } };
const RESOLUTION = {
  withdrew: { nl: "bezwaar ingetrokken", en: "objection withdrawn" },
  alternative: { nl: "alternatief afgesproken", en: "alternative agreed" },
  cancelled: { nl: "wijziging ingetrokken", en: "change cancelled" },
  terminates: { nl: "klant beëindigt", en: "customer terminates" },
};

type Row = [
  id: string, customer: string, kind: string, subprocessor: string, replaces: string | null, plannedStart: string, changeStatus: string,
  sentAt: string, regime: string | null, article: string | null, windowEnd: string | null, toAddresses: string | null, bodySha: string | null,
  response: string | null, respondedAt: string | null, respondedBy: string | null, reasons: string | null, resolution: string | null,
  resolvedAt: string | null, resolutionNote: string | null,
];

function outcome(r: Row, today: string, nl: boolean): string {
  if (r[13] === "objected") return r[17] ? label(RESOLUTION, r[17], nl ? "nl" : "en") : nl ? "bezwaar, nog niet afgehandeld" : "objection, not yet resolved";
  if (r[13] === "approved") return nl ? "toestemming gegeven" : "approved";
  if (r[6] === "cancelled") return nl ? "wijziging ingetrokken" : "change cancelled";
  if (r[8] === "approval_required") return nl ? "wacht op toestemming" : "awaiting approval";
  if (r[8] === "window" && r[10]) return r[10] < today ? (nl ? "geen bezwaar binnen de termijn" : "no objection within the window") : nl ? "termijn loopt" : "window open";
  if (r[8] === "informational") return nl ? "ter informatie, geen reactie nodig" : "for information, no response needed";
  return nl ? "geen reactie" : "no response";
}

export const objectionsRegister: RegisterDefinition = {
  key: "objections",
  title: { nl: "Register van bezwaren en toestemmingen", en: "Objections and approvals" },
  purpose: {
    nl: "Elke kennisgeving van een subverwerkerswijziging aan een klant (bewijs van kennisgeving), het regime en de termijn uit de voorwaarden van die klant, de reactie en de afhandeling van elk bezwaar.",
    en: "Every sub-processor change notice sent to a customer (proof of notice), the regime and window from that customer's terms, its response and how each objection was resolved.",
  },
  dateBasis: { nl: "moment van verzending van de kennisgeving", en: "moment the notice was sent" },
  filters: [],
  columns: [
    column("customer", "Klant", "Customer", "De klant die de kennisgeving kreeg.", "The customer notified."),
    column("change", "Wijziging", "Change", "Soort wijziging.", "Kind of change."),
    column("subprocessor", "Subverwerker", "Sub-processor", "De subverwerker waar het om gaat (en wie hij vervangt).", "The sub-processor concerned (and whom it replaces)."),
    column("plannedStart", "Geplande start", "Planned start", "Wanneer de wijziging ingaat.", "When the change takes effect.", "date"),
    column("changeStatus", "Status wijziging", "Change status", "Gepland, van kracht, ingetrokken …", "Scheduled, in effect, cancelled …"),
    column("sentAt", "Verzonden", "Sent", "Moment van kennisgeving (het datumbereik geldt hierop).", "When the notice was sent (the date range applies to it).", "instant"),
    column("sentTo", "Verzonden aan", "Sent to", "E-mailadressen van de kennisgeving.", "Addresses the notice went to."),
    column("regime", "Regime", "Regime", "Toestemming vereist, bezwaartermijn, bezwaar zonder termijn of ter informatie.", "Approval required, objection window, objection without window, or for information."),
    column("article", "Artikel", "Article", "Waar de voorwaarden dit regelen.", "Where the terms say so."),
    column("windowEnd", "Einde termijn", "Window ends", "Laatste dag om bezwaar te maken.", "Last day to object.", "date"),
    column("response", "Reactie", "Response", "Toestemming of bezwaar; leeg als er (nog) geen reactie is.", "Approved or objected; empty when there is no response (yet)."),
    column("respondedAt", "Gereageerd", "Responded", "Wanneer.", "When.", "instant"),
    column("respondedBy", "Door", "By", "Wie namens de klant reageerde.", "Who responded for the customer."),
    column("reasons", "Motivering bezwaar", "Reasons", "De redenen van het bezwaar.", "The reasons given for the objection."),
    column("resolution", "Afhandeling", "Resolution", "Hoe het bezwaar is afgehandeld.", "How the objection was resolved."),
    column("resolvedAt", "Afgehandeld", "Resolved", "Wanneer.", "When.", "instant"),
    column("resolutionNote", "Toelichting afhandeling", "Resolution note", "Toelichting van de verwerker.", "The processor's note."),
    column("outcome", "Uitkomst", "Outcome", "De uitkomst in één zin.", "The outcome in one phrase."),
    column("noticeSha256", "SHA-256 kennisgeving", "Notice SHA-256", "Hash van de exacte tekst van de kennisgeving.", "Hash of the exact notice text."),
  ],
  pdf: { kind: "table", columns: [{ key: "customer", width: 2 }, { key: "subprocessor", width: 2 }, { key: "sentAt", width: 1.4 }, { key: "response" }, { key: "outcome", width: 2 }] },
  pdfRowLimit: 3000,
  open(ctx) {
    const client = getDb().$client;
    if (isEmptyRange(ctx.range)) return { count: 0, batches: function* () {} };
    const l = ctx.locale;
    const nl = l === "nl";
    const today = amsterdamDateOf(Temporal.Instant.from(ctx.now)).toString();
    const { start, end } = instantBounds(ctx.range);
    const where = ["n.workspace_id = ?", "n.sent_at is not null", start ? "n.sent_at >= ?" : null, end ? "n.sent_at < ?" : null].filter(Boolean).join(" and ");
    const params = [ctx.workspaceId, start, end].filter((v): v is string => v !== null);
    const count = (client.prepare(`select count(*) as n from subprocessor_notices n where ${where}`).get(...params) as { n: number }).n;
    return {
      count,
      batches: function* () {
        const page = client
          .prepare(
            `select n.id, cu.name, c.kind, s.legal_name, r.legal_name, c.planned_start, c.status, n.sent_at, n.regime, n.regime_article, n.window_end, n.to_addresses, n.body_sha256,
               n.response, n.responded_at, n.responded_by_name, n.reasons, n.resolution, n.resolved_at, n.resolution_note
             from subprocessor_notices n
             join customers cu on cu.id = n.customer_id
             join subprocessor_changes c on c.id = n.change_id
             join subprocessors s on s.id = c.subprocessor_id
             left join subprocessors r on r.id = c.replaces_subprocessor_id
             where ${where} and (n.sent_at, n.id) > (?, ?) order by n.sent_at, n.id limit ${BATCH}`,
          )
          .raw(true);
        let cursor: [string, string] = ["", ""];
        for (;;) {
          const list = page.all(...params, ...cursor) as Row[];
          if (list.length === 0) return;
          cursor = [list[list.length - 1][7], list[list.length - 1][0]];
          yield list.map((r) => [
            r[1],
            label(CHANGE_KINDS, r[2], l),
            r[4] ? `${r[3]} (${nl ? "vervangt" : "replaces"} ${r[4]})` : r[3],
            r[5],
            label(CHANGE_STATUS, r[6], l),
            r[7],
            jsonList(r[11]).join(", "),
            label(REGIME, r[8], l),
            r[9] ?? "",
            r[10],
            label(RESPONSE, r[13], l),
            r[14],
            r[15] ?? "",
            r[16] ?? "",
            label(RESOLUTION, r[17], l),
            r[18],
            r[19] ?? "",
            outcome(r, today, nl),
            r[12] ?? "",
          ]);
          if (list.length < BATCH) return;
        }
      },
    };
  },
};
