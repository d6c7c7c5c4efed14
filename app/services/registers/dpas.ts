/**
 * The DPA register: every customer with every version of its processor agreement, the terms
 * version it rests on, its state and the signature dates. A customer without any DPA gets one row
 * saying so. Read in batches of 500 customers (keyset on name and id).
 */
import { getDb } from "~/db.server";
import { instantBounds, isEmptyRange } from "./range";
import { column, label, placeholders } from "./shared";
import type { Cell, RegisterDefinition } from "./types";

const BATCH = 500;

const STATE = {
  draft: { nl: "concept", en: "draft" },
  sent: { nl: "verzonden", en: "sent" },
  signed: { nl: "ondertekend door klant", en: "signed by customer" },
  in_force: { nl: "van kracht", en: "in force" },
  superseded: { nl: "vervangen", en: "superseded" },
  ended: { nl: "beëindigd", en: "ended" },
  none: { nl: "geen verwerkersovereenkomst", en: "no DPA" },
};
const KIND = { standard: { nl: "standaard", en: "standard" }, customer_paper: { nl: "document van de klant", en: "customer paper" } };
const CUSTOMER_STATUS = { active: { nl: "actief", en: "active" }, ending: { nl: "loopt af", en: "ending" }, ended: { nl: "beëindigd", en: "ended" } };

type CustomerRow = [id: string, name: string, registration: string, archivedAt: string | null, status: string, contractStart: string, nameKey: string];
type DpaRow = [
  customerId: string, versionLabel: string, termsVersion: number, termsEffective: string, kind: string, language: string, state: string,
  createdAt: string, sentAt: string | null, customerSignedAt: string | null, countersignedAt: string | null, inForceAt: string | null,
  supersededAt: string | null, endedAt: string | null, textHash: string, pdfSha256: string | null, uploadSha256: string | null,
  ctrlName: string | null, ctrlRole: string | null, procName: string | null, procRole: string | null, procAutomatic: number | null,
];

export const dpasRegister: RegisterDefinition = {
  key: "dpas",
  title: { nl: "Register van verwerkersovereenkomsten", en: "DPA register" },
  purpose: {
    nl: "Elke klant met elke versie van de verwerkersovereenkomst: de versie van de voorwaarden, de status en wie wanneer tekende.",
    en: "Every customer with every version of its processor agreement: the terms version, the state, and who signed when.",
  },
  dateBasis: {
    nl: "aanmaakdatum van de versie (klanten zonder overeenkomst: contractstart vóór het einde van het bereik)",
    en: "creation date of the version (customers without a DPA: contract start before the end of the range)",
  },
  filters: [],
  columns: [
    column("customer", "Klant", "Customer", "Naam van de klant (verwerkingsverantwoordelijke).", "Name of the customer (controller)."),
    column("registrationNumber", "KvK-nummer", "Registration number", "KvK- of buitenlands registernummer.", "Chamber of Commerce or foreign register number."),
    column("customerStatus", "Klantstatus", "Customer status", "Actief, loopt af, beëindigd of gearchiveerd.", "Active, ending, ended or archived."),
    column("version", "Versie", "Version", "Label van deze versie van de overeenkomst.", "Label of this version of the agreement."),
    column("termsVersion", "Voorwaardenversie", "Terms version", "Versie van het voorwaardenprofiel en ingangsdatum.", "Version of the terms profile and its effective date."),
    column("kind", "Soort", "Kind", "Standaardtekst of document van de klant.", "Standard text or the customer's own paper."),
    column("language", "Taal", "Language", "Taal van de tekst.", "Language of the text."),
    column("state", "Status", "State", "Concept, verzonden, ondertekend, van kracht, vervangen, beëindigd.", "Draft, sent, signed, in force, superseded, ended."),
    column("createdAt", "Aangemaakt", "Created", "Wanneer deze versie werd opgesteld.", "When this version was drawn up.", "instant"),
    column("sentAt", "Verzonden", "Sent", "Wanneer ter ondertekening verzonden.", "When sent for signature.", "instant"),
    column("customerSignedAt", "Getekend door klant", "Signed by customer", "Moment van ondertekening door de klant.", "When the customer signed.", "instant"),
    column("customerSignatory", "Ondertekenaar klant", "Customer signatory", "Naam en functie.", "Name and role.", "text"),
    column("countersignedAt", "Medeondertekend", "Countersigned", "Moment van medeondertekening door de verwerker.", "When the processor countersigned.", "instant"),
    column("processorSignatory", "Ondertekenaar verwerker", "Processor signatory", "Naam en functie, of automatisch.", "Name and role, or automatic."),
    column("inForceAt", "Van kracht", "In force", "Sinds wanneer van kracht.", "In force since.", "instant"),
    column("supersededAt", "Vervangen", "Superseded", "Wanneer vervangen door een nieuwere versie.", "When replaced by a newer version.", "instant"),
    column("endedAt", "Beëindigd", "Ended", "Wanneer beëindigd.", "When it ended.", "instant"),
    column("textSha256", "SHA-256 tekst", "Text SHA-256", "Hash van de exacte ondertekende tekst.", "Hash of the exact text signed."),
    column("documentSha256", "SHA-256 document", "Document SHA-256", "Hash van de verzegelde PDF of het geüploade document.", "Hash of the sealed PDF or the uploaded document."),
  ],
  pdf: {
    kind: "table",
    columns: [{ key: "customer", width: 2 }, { key: "version", width: 2 }, { key: "state" }, { key: "customerSignedAt", width: 1.3 }, { key: "countersignedAt", width: 1.3 }],
  },
  pdfRowLimit: 3000,
  open(ctx) {
    const client = getDb().$client;
    if (isEmptyRange(ctx.range)) return { count: 0, batches: function* () {} };
    const { start, end } = instantBounds(ctx.range);
    const dpaRange = [start ? "d.created_at >= ?" : null, end ? "d.created_at < ?" : null].filter(Boolean).join(" and ");
    const dpaParams = [start, end].filter((v): v is string => v !== null);
    const noDpaRange = ctx.range.to ? " and c.contract_start <= ?" : "";
    const noDpaParams = ctx.range.to ? [ctx.range.to] : [];
    const count =
      (client.prepare(`select count(*) as n from dpas d where d.workspace_id = ?${dpaRange ? ` and ${dpaRange}` : ""}`).get(ctx.workspaceId, ...dpaParams) as { n: number }).n +
      (
        client
          .prepare(`select count(*) as n from customers c where c.workspace_id = ? and not exists (select 1 from dpas d where d.customer_id = c.id)${noDpaRange}`)
          .get(ctx.workspaceId, ...noDpaParams) as { n: number }
      ).n;
    const l = ctx.locale;
    return {
      count,
      batches: function* () {
        const customersPage = client
          .prepare(
            `select c.id, c.name, coalesce(c.registration_number, ''), c.archived_at, c.status, c.contract_start, c.name_key from customers c
             where c.workspace_id = ? and (c.name_key, c.id) > (?, ?) order by c.name_key, c.id limit ${BATCH}`,
          )
          .raw(true);
        let cursor: [string, string] = ["", ""];
        for (;;) {
          const list = customersPage.all(ctx.workspaceId, ...cursor) as CustomerRow[];
          if (list.length === 0) return;
          cursor = [list[list.length - 1][6], list[list.length - 1][0]];
          const dpaRows = client
            .prepare(
              `select d.customer_id, d.version_label, tv.version, tv.effective_date, d.kind, d.language, d.state, d.created_at, d.sent_at, d.customer_signed_at,
                 d.countersigned_at, d.in_force_at, d.superseded_at, d.ended_at, d.text_hash, d.pdf_sha256, d.upload_sha256,
                 sc.full_name, sc.role_title, sp.full_name, sp.role_title, sp.automatic
               from dpas d join terms_versions tv on tv.id = d.terms_version_id
               left join dpa_signatures sc on sc.dpa_id = d.id and sc.party = 'controller'
               left join dpa_signatures sp on sp.dpa_id = d.id and sp.party = 'processor'
               where d.workspace_id = ? and d.customer_id in (${placeholders(list.length)})${dpaRange ? ` and ${dpaRange}` : ""}
               order by d.created_at, d.id`,
            )
            .raw(true)
            .all(ctx.workspaceId, ...list.map((c) => c[0]), ...dpaParams) as DpaRow[];
          const byCustomer = new Map<string, DpaRow[]>();
          for (const d of dpaRows) byCustomer.set(d[0], [...(byCustomer.get(d[0]) ?? []), d]);
          const hasAny = new Set(
            (client.prepare(`select distinct customer_id from dpas where customer_id in (${placeholders(list.length)})`).pluck().all(...list.map((c) => c[0])) as string[]),
          );
          const rows: Cell[][] = [];
          for (const [id, name, reg, archivedAt, status, contractStart] of list) {
            const customerStatus = archivedAt ? (l === "nl" ? "gearchiveerd" : "archived") : label(CUSTOMER_STATUS, status, l);
            const own = byCustomer.get(id) ?? [];
            for (const d of own) {
              rows.push([
                name, reg, customerStatus, d[1], `v${d[2]} (${d[3]})`, label(KIND, d[4], l), d[5], label(STATE, d[6], l),
                d[7], d[8], d[9], d[17] ? [d[17], d[18]].filter(Boolean).join(", ") : "", d[10],
                d[21] ? (l === "nl" ? "automatisch" : "automatic") : d[19] ? [d[19], d[20]].filter(Boolean).join(", ") : "",
                d[11], d[12], d[13], d[14], d[15] ?? d[16] ?? "",
              ]);
            }
            if (!hasAny.has(id) && (!ctx.range.to || contractStart <= ctx.range.to)) {
              rows.push([name, reg, customerStatus, "", "", "", "", label(STATE, "none", l), null, null, null, "", null, "", null, null, null, "", ""]);
            }
          }
          if (rows.length > 0) yield rows;
          if (list.length < BATCH) return;
        }
      },
    };
  },
};
