/**
 * The processor's record of processing activities (Art. 30(2) GDPR): per controller (customer) its
 * name and contact details and DPO, the categories of processing carried out for it, transfers to
 * third countries with their safeguards (the customer's own instruction, and every sub-processor
 * outside the EEA that its services use, minus the ones excluded for it), and a general description
 * of the security measures (the workspace's annex plus the customer's additions).
 */
import { getDb } from "~/db.server";
import { catalogueLabel } from "~/domain/processing-catalogue";
import { countryName, nonEeaLocations } from "~/domain/subprocessor-register";
import { instantBounds, isEmptyRange } from "./range";
import { column, jsonList, label, placeholders } from "./shared";
import type { Cell, RegisterDefinition } from "./types";

const BATCH = 500;

export const SAFEGUARD_LABELS = {
  adequacy: { nl: "adequaatheidsbesluit", en: "adequacy decision" },
  scc: { nl: "standaardcontractbepalingen (SCC)", en: "standard contractual clauses (SCC)" },
  bcr: { nl: "bindende bedrijfsvoorschriften (BCR)", en: "binding corporate rules (BCR)" },
};

type Row = [
  id: string, name: string, reg: string | null, address: string, postcode: string, city: string, country: string,
  contactName: string, contactEmail: string, dpoName: string | null, dpoEmail: string | null, subjectMatter: string, nature: string,
  duration: string, purposes: string, dataCategories: string, dataSubjects: string, transfers: number, securityAdditions: string,
  status: string, archivedAt: string | null, nameKey: string,
];

export const processingRegister: RegisterDefinition = {
  key: "processing",
  title: { nl: "Register van verwerkingen (verwerker)", en: "Record of processing (processor)" },
  purpose: {
    nl: "Art. 30 lid 2 AVG: per verwerkingsverantwoordelijke de naam en contactgegevens (en FG), de categorieën verwerkingen, doorgiften naar derde landen met waarborgen en een algemene beschrijving van de beveiligingsmaatregelen.",
    en: "Art. 30(2) GDPR: per controller its name and contact details (and DPO), the categories of processing, transfers to third countries with their safeguards, and a general description of the security measures.",
  },
  dateBasis: {
    nl: "klantrelatie liep in het bereik (contractstart vóór het einde, niet gearchiveerd vóór het begin)",
    en: "the customer relationship ran in the range (contract start before its end, not archived before its start)",
  },
  filters: [],
  columns: [
    column("processor", "Verwerker", "Processor", "Naam en contactgegevens van de verwerker (deze werkruimte).", "Name and contact details of the processor (this workspace)."),
    column("controller", "Verwerkingsverantwoordelijke", "Controller", "Naam van de klant.", "Name of the customer."),
    column("registrationNumber", "KvK-nummer", "Registration number", "KvK- of buitenlands registernummer.", "Chamber of Commerce or foreign register number."),
    column("address", "Adres", "Address", "Vestigingsadres.", "Registered address."),
    column("contact", "Contactpersoon privacy", "Privacy contact", "Naam en e-mail.", "Name and email."),
    column("dpo", "Functionaris gegevensbescherming", "Data protection officer", "Naam en e-mail van de FG, indien aangesteld.", "Name and email of the DPO, if any."),
    column("subjectMatter", "Onderwerp", "Subject matter", "Onderwerp van de verwerking.", "Subject matter of the processing."),
    column("nature", "Aard", "Nature", "Aard van de verwerking (hosting, opslag, analyse …).", "Nature of the processing (hosting, storage, analysis …)."),
    column("purposes", "Doeleinden", "Purposes", "Waarvoor de gegevens worden verwerkt.", "What the data is processed for."),
    column("services", "Diensten", "Services", "De diensten die de klant afneemt (categorieën verwerkingen).", "The services the customer uses (categories of processing)."),
    column("dataCategories", "Categorieën persoonsgegevens", "Categories of personal data", "Welke gegevens.", "Which data."),
    column("dataSubjects", "Categorieën betrokkenen", "Categories of data subjects", "Van wie.", "Of whom."),
    column("duration", "Duur", "Duration", "Duur van de verwerking (leeg: looptijd van de overeenkomst).", "Duration (empty: the term of the agreement)."),
    column("transfersInstructed", "Doorgifte buiten EER op instructie", "Transfers outside the EEA instructed", "Of de klant doorgifte buiten de EER heeft toegestaan.", "Whether the customer allowed transfers outside the EEA.", "boolean"),
    column("transfers", "Doorgiften naar derde landen", "Transfers to third countries", "Subverwerkers buiten de EER die voor deze klant worden ingezet, met land en waarborg.", "Sub-processors outside the EEA used for this customer, with country and safeguard."),
    column("securityMeasures", "Beveiligingsmaatregelen", "Security measures", "Algemene beschrijving: de standaardbijlage plus aanvullingen voor deze klant.", "General description: the standard annex plus additions for this customer."),
    column("status", "Status", "Status", "Actief, loopt af, beëindigd of gearchiveerd.", "Active, ending, ended or archived."),
  ],
  pdf: { kind: "records", title: ["controller"] },
  pdfRowLimit: 1000,
  open(ctx) {
    const client = getDb().$client;
    if (isEmptyRange(ctx.range)) return { count: 0, batches: function* () {} };
    const l = ctx.locale;
    const { start } = instantBounds(ctx.range);
    const rangeSql = [ctx.range.to ? "c.contract_start <= ?" : null, start ? "(c.archived_at is null or c.archived_at >= ?)" : null].filter(Boolean);
    const rangeParams = [ctx.range.to, start].filter((v): v is string => v !== null);
    const where = ["c.workspace_id = ?", ...rangeSql].join(" and ");
    const count = (client.prepare(`select count(*) as n from customers c where ${where}`).get(ctx.workspaceId, ...rangeParams) as { n: number }).n;
    const ws = client.prepare("select legal_name, address, postcode, city, country, kvk_number, website, security_measures from workspaces where id = ?").get(ctx.workspaceId) as {
      legal_name: string; address: string; postcode: string; city: string; country: string; kvk_number: string | null; website: string | null; security_measures: string;
    };
    const processor = [ws.legal_name, [ws.address, `${ws.postcode} ${ws.city}`.trim(), ws.country].filter((s) => s.trim()).join(", "), ws.kvk_number ? `KvK ${ws.kvk_number}` : "", ws.website ?? ""]
      .filter(Boolean)
      .join(" · ");
    let defaults: string[] = [];
    try {
      defaults = (JSON.parse(ws.security_measures) as { nl: string; en: string }[]).map((m) => m[l]);
    } catch {
      defaults = [];
    }
    const services = new Map<string, string>();
    for (const s of client.prepare("select id, name_nl, name_en from services where workspace_id = ?").raw(true).all(ctx.workspaceId) as [string, string, string][]) {
      services.set(s[0], l === "nl" ? s[1] : s[2]);
    }
    // sub-processors in use with a location outside the EEA, per service they support
    const abroad = new Map<string, { id: string; text: string }[]>();
    const spRows = client
      .prepare(
        `select ss.service_id, s.id, s.legal_name, s.locations, s.transfer_safeguard from subprocessor_services ss join subprocessors s on s.id = ss.subprocessor_id
         where ss.workspace_id = ? and s.status = 'active' order by s.name_key`,
      )
      .raw(true)
      .all(ctx.workspaceId) as [string, string, string, string, string | null][];
    for (const [serviceId, id, name, locations, safeguard] of spRows) {
      const outside = nonEeaLocations(jsonList(locations));
      if (outside.length === 0) continue;
      const text = `${name} (${outside.map((c) => countryName(c, l)).join(", ")}; ${safeguard ? label(SAFEGUARD_LABELS, safeguard, l) : l === "nl" ? "geen waarborg vastgelegd" : "no safeguard recorded"})`;
      abroad.set(serviceId, [...(abroad.get(serviceId) ?? []), { id, text }]);
    }
    const statusLabel = { active: { nl: "actief", en: "active" }, ending: { nl: "loopt af", en: "ending" }, ended: { nl: "beëindigd", en: "ended" } };
    const yes = l === "nl" ? "geen" : "none";
    return {
      count,
      batches: function* () {
        const page = client
          .prepare(
            `select c.id, c.name, c.registration_number, c.address, c.postcode, c.city, c.country, c.privacy_contact_name, c.privacy_contact_email, c.dpo_name, c.dpo_email,
               c.subject_matter, c.nature, c.processing_duration, c.purposes, c.data_categories, c.data_subjects, c.transfers_outside_eea, c.security_additions, c.status, c.archived_at, c.name_key
             from customers c where ${where} and (c.name_key, c.id) > (?, ?) order by c.name_key, c.id limit ${BATCH}`,
          )
          .raw(true);
        let cursor: [string, string] = ["", ""];
        for (;;) {
          const list = page.all(ctx.workspaceId, ...rangeParams, ...cursor) as Row[];
          if (list.length === 0) return;
          cursor = [list[list.length - 1][21], list[list.length - 1][0]];
          const ids = list.map((c) => c[0]);
          const uses = new Map<string, string[]>();
          for (const [customerId, serviceId] of client
            .prepare(`select customer_id, service_id from customer_services where customer_id in (${placeholders(ids.length)})`)
            .raw(true)
            .all(...ids) as [string, string][]) {
            uses.set(customerId, [...(uses.get(customerId) ?? []), serviceId]);
          }
          const excluded = new Set(
            (client.prepare(`select customer_id, subprocessor_id from subprocessor_exclusions where customer_id in (${placeholders(ids.length)})`).raw(true).all(...ids) as [string, string][]).map(
              ([c, s]) => `${c}:${s}`,
            ),
          );
          const rows: Cell[][] = list.map((c) => {
            const serviceIds = uses.get(c[0]) ?? [];
            const seen = new Set<string>();
            const transfers: string[] = [];
            for (const serviceId of serviceIds) {
              for (const sp of abroad.get(serviceId) ?? []) {
                if (seen.has(sp.id) || excluded.has(`${c[0]}:${sp.id}`)) continue;
                seen.add(sp.id);
                transfers.push(sp.text);
              }
            }
            return [
              processor,
              c[1],
              c[2] ?? "",
              [c[3], `${c[4]} ${c[5]}`.trim(), c[6]].filter((s) => s.trim()).join(", "),
              [c[7], c[8]].filter(Boolean).join(" <") + (c[7] && c[8] ? ">" : ""),
              [c[9], c[10]].filter(Boolean).join(" <") + (c[9] && c[10] ? ">" : ""),
              c[11],
              c[12],
              jsonList(c[14]).join("; "),
              serviceIds.map((id) => services.get(id) ?? id).join("; "),
              jsonList(c[15]).map((k) => catalogueLabel("dataCategory", k, l).text).join("; "),
              jsonList(c[16]).map((k) => catalogueLabel("dataSubject", k, l).text).join("; "),
              c[13],
              c[17] === 1,
              transfers.length > 0 ? transfers.join("; ") : yes,
              [...defaults, ...jsonList(c[18])].join("; "),
              c[20] ? (l === "nl" ? "gearchiveerd" : "archived") : label(statusLabel, c[19], l),
            ];
          });
          yield rows;
          if (list.length < BATCH) return;
        }
      },
    };
  },
};
