/**
 * End-of-contract cases with their evidence: one row per task of each case (the case's facts
 * repeated on each), a case without tasks yet on one row of its own. Each task shows its deadline,
 * status, the day it was done, by whom, the evidence note and the evidence files with SHA-256;
 * each case its choice (and where it came from) and the deletion certificate's SHA-256.
 */
import { getDb } from "~/db.server";
import { isEmptyRange } from "./range";
import { column, label, placeholders } from "./shared";
import type { Cell, RegisterDefinition } from "./types";

const BATCH = 200;

const KIND = {
  termination: { nl: "opzegging", en: "termination" },
  non_renewal: { nl: "niet verlengd", en: "non-renewal" },
  immediate_end: { nl: "direct einde", en: "immediate end" },
};
const GIVEN_BY = { customer: { nl: "klant", en: "customer" }, processor: { nl: "verwerker", en: "processor" } };
const STATUS = { scheduled: { nl: "gepland", en: "scheduled" }, open: { nl: "open", en: "open" }, closed: { nl: "afgesloten", en: "closed" }, withdrawn: { nl: "ingetrokken", en: "withdrawn" } };
const CHOICE = {
  return: { nl: "teruggeven", en: "return" },
  delete: { nl: "verwijderen", en: "delete" },
  return_then_delete: { nl: "teruggeven en daarna verwijderen", en: "return, then delete" },
};
const CHOICE_SOURCE = {
  portal: { nl: "door de klant in het portaal", en: "by the customer in the portal" },
  staff: { nl: "namens de klant vastgelegd", en: "recorded for the customer" },
  default: { nl: "standaardregel uit de voorwaarden", en: "default rule of the terms" },
};
const TASK = {
  customer_choice: { nl: "keuze van de klant", en: "customer's choice" },
  return_export: { nl: "gegevens teruggeven (export)", en: "return of data (export)" },
  production_deletion: { nl: "verwijderen in productie", en: "deletion in production" },
  subprocessor_deletion: { nl: "verwijderinstructie subverwerker", en: "deletion instruction to sub-processor" },
  backup_expiry: { nl: "back-ups verlopen", en: "backup expiry" },
  certificate: { nl: "verwijderingsverklaring", en: "deletion certificate" },
};
const TASK_STATUS = { open: { nl: "open", en: "open" }, done: { nl: "gedaan", en: "done" }, not_applicable: { nl: "niet van toepassing", en: "not applicable" } };

type CaseRow = [
  id: string, reference: string, customer: string, kind: string, givenBy: string, receivedOn: string, computedEnd: string, endDate: string,
  overrideReason: string | null, status: string, choice: string | null, choiceSource: string | null, choiceMadeAt: string | null, defaultChoice: string,
  certificateIssuedAt: string | null, certificateSha: string | null, closedAt: string | null,
];
type TaskRow = [
  id: string, caseId: string, kind: string, subprocessor: string | null, due: string | null, status: string, doneOn: string | null,
  completedAt: string | null, completedBy: string | null, evidenceNote: string | null,
];

export const endOfContractRegister: RegisterDefinition = {
  key: "end-of-contract",
  title: { nl: "Register einde contract", en: "End-of-contract register" },
  purpose: {
    nl: "Elke beëindiging met de keuze van de klant (teruggeven of verwijderen), elke taak met termijn, wie wat wanneer deed, het bewijs (notitie, bestanden met SHA-256) en de verwijderingsverklaring.",
    en: "Every contract end with the customer's choice (return or deletion), each task with its deadline, who did what when, the evidence (note, files with SHA-256) and the deletion certificate.",
  },
  dateBasis: { nl: "laatste contractdag", en: "last day of the contract" },
  filters: [],
  columns: [
    column("reference", "Referentie", "Reference", "Kenmerk van de zaak, bv. EC-2026-0001.", "Case reference, e.g. EC-2026-0001."),
    column("customer", "Klant", "Customer", "De klant.", "The customer."),
    column("kind", "Soort einde", "Kind of end", "Opzegging, niet verlengd of direct einde.", "Termination, non-renewal or immediate end."),
    column("noticeGivenBy", "Opgezegd door", "Notice given by", "Klant of verwerker.", "Customer or processor."),
    column("noticeReceivedOn", "Opzegging ontvangen", "Notice received", "Dag van ontvangst.", "Day received.", "date"),
    column("computedEndDate", "Berekende einddatum", "Computed end date", "Einddatum volgens de voorwaarden.", "End date according to the terms.", "date"),
    column("endDate", "Einddatum", "End date", "Laatste contractdag (het datumbereik geldt hierop).", "Last day of the contract (the date range applies to it).", "date"),
    column("overrideReason", "Reden afwijkende einddatum", "Reason for another end date", "Waarom van de berekende datum is afgeweken.", "Why the computed date was overridden."),
    column("status", "Status", "Status", "Gepland, open, afgesloten of ingetrokken.", "Scheduled, open, closed or withdrawn."),
    column("choice", "Keuze", "Choice", "Teruggeven, verwijderen, of beide.", "Return, delete, or both."),
    column("choiceSource", "Herkomst keuze", "Source of the choice", "Klant in het portaal, vastgelegd door medewerker, of standaardregel.", "Customer in the portal, recorded by staff, or the default rule."),
    column("choiceMadeAt", "Keuze gemaakt", "Choice made", "Wanneer.", "When.", "instant"),
    column("defaultChoice", "Standaardkeuze", "Default choice", "Wat geldt zonder antwoord.", "What applies without an answer."),
    column("task", "Taak", "Task", "De taak (met de subverwerker bij een verwijderinstructie).", "The task (with the sub-processor for a deletion instruction)."),
    column("taskDue", "Termijn", "Due", "Uiterste datum van de taak.", "Deadline of the task.", "date"),
    column("taskStatus", "Status taak", "Task status", "Open, gedaan of niet van toepassing.", "Open, done or not applicable."),
    column("taskDoneOn", "Uitgevoerd op", "Done on", "De dag waarop het werk werd gedaan.", "The day the work was done.", "date"),
    column("taskCompletedAt", "Afgevinkt", "Completed", "Wanneer afgevinkt.", "When it was marked done.", "instant"),
    column("taskCompletedBy", "Door", "By", "Wie de taak afvinkte.", "Who marked it done."),
    column("evidenceNote", "Bewijs (notitie)", "Evidence (note)", "Wat er gedaan is en waar het bewijs is.", "What was done and where the evidence is."),
    column("evidenceFiles", "Bewijsbestanden", "Evidence files", "Bestandsnaam en SHA-256 van elk bewijsstuk.", "File name and SHA-256 of each evidence file."),
    column("certificateIssuedAt", "Verklaring afgegeven", "Certificate issued", "Wanneer de verwijderingsverklaring is afgegeven.", "When the deletion certificate was issued.", "instant"),
    column("certificateSha256", "SHA-256 verklaring", "Certificate SHA-256", "Hash van de ondertekende verklaring.", "Hash of the signed certificate."),
  ],
  pdf: { kind: "table", columns: [{ key: "reference" }, { key: "customer", width: 1.8 }, { key: "endDate" }, { key: "task", width: 2 }, { key: "taskDue" }, { key: "taskStatus" }, { key: "taskDoneOn" }] },
  pdfRowLimit: 3000,
  open(ctx) {
    const client = getDb().$client;
    if (isEmptyRange(ctx.range)) return { count: 0, batches: function* () {} };
    const l = ctx.locale;
    const where = ["k.workspace_id = ?", ctx.range.from ? "k.end_date >= ?" : null, ctx.range.to ? "k.end_date <= ?" : null].filter(Boolean).join(" and ");
    const params = [ctx.workspaceId, ctx.range.from, ctx.range.to].filter((v): v is string => v !== null);
    const count = (
      client
        .prepare(
          `select coalesce(sum(case when t.n > 0 then t.n else 1 end), 0) as n from end_of_contract_cases k
           left join (select case_id, count(*) as n from end_of_contract_tasks group by case_id) t on t.case_id = k.id where ${where}`,
        )
        .get(...params) as { n: number }
    ).n;
    return {
      count,
      batches: function* () {
        const page = client
          .prepare(
            `select k.id, k.reference, c.name, k.kind, k.notice_given_by, k.notice_received_on, k.computed_end_date, k.end_date, k.override_reason, k.status, k.choice,
               k.choice_source, k.choice_made_at, k.default_choice, k.certificate_issued_at, k.certificate_sha256, k.closed_at
             from end_of_contract_cases k join customers c on c.id = k.customer_id
             where ${where} and (k.end_date, k.id) > (?, ?) order by k.end_date, k.id limit ${BATCH}`,
          )
          .raw(true);
        let cursor: [string, string] = ["", ""];
        for (;;) {
          const cases = page.all(...params, ...cursor) as CaseRow[];
          if (cases.length === 0) return;
          cursor = [cases[cases.length - 1][7], cases[cases.length - 1][0]];
          const ids = cases.map((k) => k[0]);
          const tasks = client
            .prepare(
              `select t.id, t.case_id, t.kind, s.legal_name, t.due_date, t.status, t.done_on, t.completed_at, u.name, t.evidence_note
               from end_of_contract_tasks t left join subprocessors s on s.id = t.subprocessor_id left join users u on u.id = t.completed_by_user_id
               where t.case_id in (${placeholders(ids.length)}) order by t.case_id, t.position, t.id`,
            )
            .raw(true)
            .all(...ids) as TaskRow[];
          const byCase = new Map<string, TaskRow[]>();
          for (const t of tasks) byCase.set(t[1], [...(byCase.get(t[1]) ?? []), t]);
          const files = new Map<string, string[]>();
          if (tasks.length > 0) {
            for (const [taskId, name, sha] of client
              .prepare(`select task_id, filename, sha256 from end_of_contract_evidence where task_id in (${placeholders(tasks.length)}) order by created_at, id`)
              .raw(true)
              .all(...tasks.map((t) => t[0])) as [string, string, string][]) {
              files.set(taskId, [...(files.get(taskId) ?? []), `${name} (SHA-256 ${sha})`]);
            }
          }
          const rows: Cell[][] = [];
          for (const k of cases) {
            const head: Cell[] = [
              k[1], k[2], label(KIND, k[3], l), label(GIVEN_BY, k[4], l), k[5], k[6], k[7], k[8] ?? "", label(STATUS, k[9], l),
              label(CHOICE, k[10], l), label(CHOICE_SOURCE, k[11], l), k[12], label(CHOICE, k[13], l),
            ];
            const tail: Cell[] = [k[14], k[15] ?? ""];
            const own = byCase.get(k[0]) ?? [];
            if (own.length === 0) rows.push([...head, "", null, "", null, null, "", "", "", ...tail]);
            for (const t of own) {
              rows.push([
                ...head,
                label(TASK, t[2], l) + (t[3] ? `: ${t[3]}` : ""),
                t[4],
                label(TASK_STATUS, t[5], l),
                t[6],
                t[7],
                t[8] ?? "",
                t[9] ?? "",
                (files.get(t[0]) ?? []).join("; "),
                ...tail,
              ]);
            }
          }
          yield rows;
          if (cases.length < BATCH) return;
        }
      },
    };
  },
};
