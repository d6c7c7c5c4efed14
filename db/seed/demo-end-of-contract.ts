/**
 * Demo end-of-contract data, after customers, sub-processors and DPAs exist. In each workspace,
 * three named customers (none of them used by other tests or by the demo portal user):
 * - `notice`: a running contract whose last notice day falls two to five weeks after the seed
 *   date (its contract start is moved so that it does, whatever the real date is);
 * - `ended`: a contract that ended 40 days ago (immediate end), with its choice recorded and the
 *   production deletion done; the sub-processor and backup tasks are open and overdue;
 * - `closed`: a contract that ended 100 days ago with every task done with evidence and its
 *   deletion certificate signed, stored and mailed.
 * Everything goes through the service functions (app/services/end-of-contract.server.ts), as a
 * privacy officer of the workspace, so the audit trail and files are exactly what the app makes.
 */
import { and, asc, eq } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import type { Db } from "../client";
import { customers, endOfContractTasks, termsVersions, workspaces } from "../schema";
import { currentTermEnd } from "../../app/domain/contract-clock";
import type { Actor } from "../../app/domain/permissions";
import { effectiveTerms, termsProfileSchema } from "../../app/domain/terms";
import { amsterdamDateOf } from "../../app/domain/time";
import { completeTask, getCase, recordChoice, recordTermination, type EocChoice } from "../../app/services/end-of-contract.server";
import type { SeedWorkspaceSlug } from "./terms-profiles";
import { demoOfficer } from "./demo-dpas";

type Plan = { notice: string; ended: string; closed: string; closedChoice: EocChoice };

/** Customers by name, so the choice does not depend on list order. */
export const DEMO_END_OF_CONTRACT: Record<SeedWorkspaceSlug, Plan> = {
  leadcube: { notice: "Warmtepomp Totaal Nederland B.V.", ended: "Logistiek Hub Venlo B.V.", closed: "Sterk Schoonmaakdiensten B.V.", closedChoice: "delete" },
  klantgenerator: { notice: "Koster Loopbaanbegeleiding B.V.", ended: "Groen Wonen Webshop B.V.", closed: "Rijschool SnelStart B.V.", closedChoice: "delete" },
  "lai-media": { notice: "Drukwerk Direct Oss B.V.", ended: "Powerhouse Gym Grave B.V.", closed: "Bouwbedrijf Gebr. Jansen B.V.", closedChoice: "return_then_delete" },
  elementon: { notice: "Administratiekantoor Ter Horst B.V.", ended: "Bloemenhuis De Lelie V.O.F.", closed: "Fahrradhaus Bocholt GmbH", closedChoice: "delete" },
  puredigital: { notice: "Hoogland Makelaars B.V.", ended: "Wijnhandel De Kurk B.V.", closed: "Stichting Kinderhulp Zuid-Holland", closedChoice: "return" },
};

function plusDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

const NOTES: Record<string, { nl: string; en: string }> = {
  return_export: {
    nl: "Volledige export (CSV en JSON) via beveiligde downloadlink geleverd; ontvangst per e-mail bevestigd door de klant.",
    en: "Full export (CSV and JSON) delivered through a secure download link; receipt confirmed by the customer by e-mail.",
  },
  production_deletion: {
    nl: "Klantomgeving, database-records en bestandsopslag verwijderd in productie (change OPS-{n}); controle-query leverde 0 rijen.",
    en: "Customer environment, database records and file storage deleted in production (change OPS-{n}); check query returned 0 rows.",
  },
  subprocessor_deletion: { nl: "Verwijderopdracht verstuurd; schriftelijke bevestiging van verwijdering ontvangen.", en: "Deletion instruction sent; written confirmation of deletion received." },
  backup_expiry: {
    nl: "Back-ups roteren volgens het vaste schema; de laatste back-up met deze gegevens verloopt op de genoemde datum.",
    en: "Backups rotate on the fixed schedule; the last backup holding this data expires on the date given.",
  },
};

export async function seedDemoEndOfContract(db: Db, now: Date): Promise<void> {
  const nowIso = now.toISOString();
  const today = amsterdamDateOf(Temporal.Instant.from(nowIso)).toString();
  for (const workspace of db.select().from(workspaces).orderBy(asc(workspaces.slug)).all()) {
    const plan = DEMO_END_OF_CONTRACT[workspace.slug as SeedWorkspaceSlug];
    if (!plan) continue;
    const staff = demoOfficer(db, workspace.id);
    if (!staff) continue;
    const customerNamed = (name: string) => {
      const row = db.select().from(customers).where(and(eq(customers.workspaceId, workspace.id), eq(customers.name, name))).get();
      if (!row) throw new Error(`demo end of contract: no customer "${name}" in ${workspace.slug}`);
      return row;
    };

    // 1. a running contract whose last notice day is two to five weeks away
    const notice = customerNamed(plan.notice);
    const version = db.select().from(termsVersions).where(eq(termsVersions.id, notice.termsVersionId!)).get()!;
    const terms = effectiveTerms(termsProfileSchema.parse(JSON.parse(version.content)), version.version);
    const target = plusDays(today, 21);
    for (let offset = 0; offset < 800; offset++) {
      const start = Temporal.PlainDate.from(today).subtract({ years: 2 }).add({ days: offset }).toString();
      const status = currentTermEnd({ terms, contractStart: start, contractTermMonths: notice.contractTermMonths, today });
      const due = status.kind === "running" ? status.lastNoticeDay?.due : undefined;
      if (due && due >= plusDays(today, 14) && due <= plusDays(today, 35) && due >= target) {
        db.update(customers).set({ contractStart: start, updatedAt: nowIso }).where(eq(customers.id, notice.id)).run();
        break;
      }
    }

    // 2. ended 40 days ago, tasks open and overdue
    const ended = customerNamed(plan.ended);
    const endedOn = plusDays(today, -40);
    const endedCase = await recordTermination(
      staff,
      ended.id,
      { kind: "immediate_end", noticeGivenBy: "customer", noticeReceivedOn: endedOn, note: "Directe beëindiging in onderling overleg (demo)." },
      nowIso,
    );
    if (!endedCase.ok) throw new Error(`demo end of contract (${workspace.slug}, ended): ${JSON.stringify(endedCase.errors)}`);
    await chooseIfOpen(staff, endedCase.caseId, "delete", nowIso);
    const endedTasks = db.select().from(endOfContractTasks).where(eq(endOfContractTasks.caseId, endedCase.caseId)).all();
    const production = endedTasks.find((t) => t.kind === "production_deletion");
    if (production) {
      const done = await completeTask(staff, production.id, { note: NOTES.production_deletion.nl.replace("{n}", "2231"), doneOn: plusDays(endedOn, 5) }, nowIso);
      if (!done.ok) throw new Error(`demo end of contract (${workspace.slug}, ended task): ${JSON.stringify(done.errors)}`);
    }

    // 3. ended 100 days ago, every task done with evidence, certificate issued
    const closed = customerNamed(plan.closed);
    const closedOn = plusDays(today, -100);
    const closedCase = await recordTermination(
      staff,
      closed.id,
      { kind: "immediate_end", noticeGivenBy: "customer", noticeReceivedOn: closedOn, note: "Klant heeft de dienstverlening beëindigd (demo)." },
      nowIso,
    );
    if (!closedCase.ok) throw new Error(`demo end of contract (${workspace.slug}, closed): ${JSON.stringify(closedCase.errors)}`);
    await chooseIfOpen(staff, closedCase.caseId, plan.closedChoice, nowIso);
    const lang = closed.language;
    const deletedOn = plusDays(closedOn, 10);
    const detail = await getCase(staff, closedCase.caseId, nowIso);
    const order = ["return_export", "production_deletion", "subprocessor_deletion", "backup_expiry"];
    const open = detail.tasks.filter((t) => t.status === "open" && order.includes(t.kind)).sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.position - b.position);
    for (const task of open) {
      const text = NOTES[task.kind][lang];
      const input =
        task.kind === "return_export"
          ? { note: text, doneOn: plusDays(closedOn, 7), file: { filename: "ontvangstbevestiging.txt", bytes: Buffer.from(`Ontvangst export bevestigd door ${closed.privacyContactName || closed.name} op ${plusDays(closedOn, 7)}.\n`) } }
          : task.kind === "production_deletion"
            ? { note: text.replace("{n}", "1874"), doneOn: deletedOn, file: { filename: "deletion-log.csv", bytes: Buffer.from(`table;rows_deleted\ncustomers;1\nrecords;${1200 + text.length}\nfiles;87\n`) } }
            : task.kind === "subprocessor_deletion"
              ? { note: `${task.subprocessor?.name ?? ""}: ${text}`, doneOn: plusDays(closedOn, 14) }
              : { note: text, doneOn: plusDays(closedOn, 14), backupsExpireOn: plusDays(deletedOn, 30) };
      const done = await completeTask(staff, task.id, input, nowIso);
      if (!done.ok) throw new Error(`demo end of contract (${workspace.slug}, ${task.kind}): ${JSON.stringify(done.errors)}`);
    }
  }
}

async function chooseIfOpen(staff: Actor, caseId: string, choice: EocChoice, now: string): Promise<void> {
  const detail = await getCase(staff, caseId, now);
  if (detail.choice !== null || !detail.choices.includes(choice)) return;
  const result = await recordChoice(staff, caseId, choice, now);
  if (!result.ok) throw new Error(`demo end of contract: choice refused: ${JSON.stringify(result.errors)}`);
}
