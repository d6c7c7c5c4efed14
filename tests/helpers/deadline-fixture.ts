/**
 * The seeded deadline fixture shared by the deadline-collector and calendar-feed tests: a workspace with one
 * deadline of every kind (direct inserts, fixed clock). Call it twice with different names for two workspaces.
 */
import type { Db } from "../../db/client";
import {
  breachCustomers,
  breaches,
  dpas,
  endOfContractCases,
  endOfContractTasks,
  subprocessorChanges,
  subprocessorNotices,
  subprocessors,
  termsVersions,
} from "../../db/schema";
import { seedTermsProfiles } from "../../db/seed/terms-profiles";
import { newId } from "~/services/ids.server";
import { seedCustomer, seedStaff, seedWorkspace } from "./db";


/** Saturday 28 March 2026, 16:00 in Amsterdam (CET). */
export const NOW = "2026-03-28T15:00:00.000Z";
export const SEED = "2026-01-05T09:00:00.000Z";
export const hours = (h: number) => new Date(Date.parse(NOW) + h * 3600_000).toISOString();

function instantDeadline(start: string, h: number) {
  return {
    kind: "instant",
    due: new Date(Date.parse(start) + h * 3600_000).toISOString(),
    unit: "hours",
    amount: h,
    direction: "after",
    start: { event: "breach_discovered", at: start },
    basis: { kind: "contractual", article: "VO 7.5", source: "profile", version: 1 },
    adjustments: [],
  };
}

/**
 * One workspace named `name` with one open deadline of every kind (and the closed, answered, archived and
 * undated cases that must be left out), inserted directly; `uids` are the UIDs the collector and the feeds give them.
 */
export function seedDeadlineWorld(db: Db, name = "Verwerker") {
  const ws = seedWorkspace(db, { legalName: `${name} B.V.`, tradeName: name });
  const versionId = newId();
  db.insert(termsVersions)
    .values({ id: versionId, workspaceId: ws.id, version: 1, content: JSON.stringify(seedTermsProfiles.leadcube), reason: "Versie 1", effectiveDate: "2024-01-01", createdAt: SEED })
    .run();
  const admin = seedStaff(db, ws.id, "admin");
  const officer = seedStaff(db, ws.id, "privacy_officer");
  const assignee = seedStaff(db, ws.id, "privacy_officer");
  const auditor = seedStaff(db, ws.id, "auditor");
  const customer = (customerName: string, extra: Parameters<typeof seedCustomer>[2] = {}) =>
    seedCustomer(db, ws.id, { name: customerName, termsVersionId: versionId, contractTermMonths: 12, ...extra });
  // Alfa: term 01-06-2025 .. 31-05-2026, notice 1 month → last notice day 30-04-2026
  const alfa = customer(`Alfa ${name}`, { contractStart: "2025-06-01" });
  // Beta: term 15-09-2025 .. 14-09-2026 → last notice day 14-08-2026
  const beta = customer(`Beta ${name}`, { contractStart: "2025-09-15" });
  const gamma = customer(`Gamma ${name}`, { contractStart: "2024-04-01", status: "ending" });
  customer(`Archived ${name}`, { contractStart: "2025-06-01", archivedAt: SEED });

  // breach 1 (assigned): Alfa still to notify; Beta notified, its authority clock running
  const breach = (reference: string, status: "open" | "closed", assigneeUserId: string | null) => {
    const id = newId();
    db.insert(breaches)
      .values({
        id,
        workspaceId: ws.id,
        reference,
        title: `Lek ${reference}`,
        classification: "breach",
        status,
        sourceKind: "own_systems",
        discoveredAt: hours(-14),
        assigneeUserId,
        createdAt: hours(-14),
        updatedAt: hours(-14),
      })
      .run();
    return id;
  };
  const affected = (breachId: string, customerId: string, dueInHours: number, notified: { authorityDueInHours: number; outcome?: "notified" } | null = null) => {
    const id = newId();
    const deadline = instantDeadline(hours(dueInHours - 24), 24);
    db.insert(breachCustomers)
      .values({
        id,
        workspaceId: ws.id,
        breachId,
        customerId,
        status: "affected",
        origin: "derived",
        termsVersionId: versionId,
        noticeDeadline: JSON.stringify(deadline),
        noticeStart: hours(dueInHours - 24),
        noticeSoonAt: hours(dueInHours - 6),
        noticeDue: hours(dueInHours),
        notifiedAt: notified ? hours(-2) : null,
        notifiedLate: notified ? false : null,
        authorityDeadline: notified ? JSON.stringify({ ...instantDeadline(hours(-2), 48), basis: { kind: "contractual", article: "VO 7.5", source: "profile", version: 1 } }) : null,
        authorityDue: notified ? hours(notified.authorityDueInHours) : null,
        authorityOutcome: notified?.outcome ?? null,
        authorityOutcomeAt: notified?.outcome ? hours(-1) : null,
        createdAt: hours(-14),
        updatedAt: hours(-14),
      })
      .run();
    return id;
  };
  const b1 = breach(`DL-${name}-1`, "open", assignee.userId);
  const noticeAlfa = affected(b1, alfa.id, 10);
  const authorityBeta = affected(b1, beta.id, 10, { authorityDueInHours: 46 });
  const b2 = breach(`DL-${name}-2`, "open", null);
  const noticeBeta = affected(b2, beta.id, 20);
  affected(b2, alfa.id, 30, { authorityDueInHours: 40, outcome: "notified" }); // outcome recorded: no clock
  const b3 = breach(`DL-${name}-3`, "closed", null);
  affected(b3, alfa.id, 5); // closed breach: nothing to notify

  // a sub-processor change: Alfa's window open, Beta answered, Gamma's window closed already
  const spId = newId();
  db.insert(subprocessors)
    .values({
      id: spId,
      workspaceId: ws.id,
      legalName: `Hosting ${name} GmbH`,
      nameKey: `hosting ${name.toLowerCase()} gmbh`,
      serviceNl: "Hosting",
      serviceEn: "Hosting",
      purposeNl: "Opslag",
      purposeEn: "Storage",
      status: "proposed",
      createdAt: SEED,
      updatedAt: SEED,
    })
    .run();
  const changeId = newId();
  db.insert(subprocessorChanges)
    .values({ id: changeId, workspaceId: ws.id, kind: "new", subprocessorId: spId, plannedStart: "2026-05-01", descriptionNl: "Nieuw", descriptionEn: "New", status: "scheduled", createdAt: SEED, updatedAt: SEED, sentAt: hours(-48) })
    .run();
  const windowDeadline = {
    kind: "date",
    due: "2026-04-09",
    unit: "weeks",
    amount: 2,
    direction: "after",
    start: { event: "notice_sent", at: hours(-48) },
    basis: { kind: "contractual", article: "B1 4.2", source: "profile", version: 1 },
    adjustments: [],
  };
  const notice = (customerId: string, windowEnd: string, response: "objected" | null) => {
    const id = newId();
    db.insert(subprocessorNotices)
      .values({
        id,
        workspaceId: ws.id,
        changeId,
        customerId,
        included: true,
        usesRelatedService: true,
        sentAt: hours(-48),
        regime: "window",
        windowEnd,
        windowDeadline: JSON.stringify({ ...windowDeadline, due: windowEnd }),
        response,
        respondedAt: response ? hours(-1) : null,
        createdAt: SEED,
      })
      .run();
    return id;
  };
  const windowAlfa = notice(alfa.id, "2026-04-09", null);
  notice(beta.id, "2026-04-09", "objected");
  notice(gamma.id, "2026-03-20", null);

  // a DPA sent to Beta three days ago, not signed
  const dpaId = newId();
  db.insert(dpas)
    .values({
      id: dpaId,
      workspaceId: ws.id,
      customerId: beta.id,
      termsVersionId: versionId,
      language: "nl",
      state: "sent",
      versionLabel: "VO v1",
      text: "tekst",
      textHash: "0".repeat(64),
      rendered: "{}",
      createdAt: hours(-72),
      sentAt: hours(-72),
    })
    .run();

  // Gamma's contract ends: the choice (open), tasks with and without assignee, one done
  const caseId = newId();
  db.insert(endOfContractCases)
    .values({
      id: caseId,
      workspaceId: ws.id,
      customerId: gamma.id,
      reference: `EC-${name}-1`,
      kind: "termination",
      noticeGivenBy: "customer",
      noticeReceivedOn: "2026-02-01",
      computedEndDate: "2026-03-31",
      endDate: "2026-03-31",
      status: "scheduled",
      defaultChoice: "delete",
      createdAt: SEED,
      updatedAt: SEED,
    })
    .run();
  const task = (kind: "customer_choice" | "production_deletion" | "backup_expiry" | "return_export", dueDate: string | null, status: "open" | "done", assigneeUserId: string | null, position: number) => {
    const id = newId();
    db.insert(endOfContractTasks)
      .values({
        id,
        workspaceId: ws.id,
        caseId,
        customerId: gamma.id,
        kind,
        position,
        dueDate,
        basis: JSON.stringify({
          kind: "date",
          due: dueDate ?? "2026-03-31",
          unit: "days",
          amount: 28,
          direction: "after",
          start: { event: "contract_end", at: "2026-03-31" },
          basis: { kind: "contractual", article: "VO 2.5", source: "profile", version: 1 },
          adjustments: [],
        }),
        status,
        assigneeUserId,
        createdAt: SEED,
        updatedAt: SEED,
      })
      .run();
    return id;
  };
  const choice = task("customer_choice", "2026-03-31", "open", null, 1);
  const deletion = task("production_deletion", "2026-04-20", "open", assignee.userId, 2);
  const backups = task("backup_expiry", "2026-10-28", "open", null, 3);
  task("return_export", "2026-04-10", "done", null, 4);
  task("return_export", null, "open", null, 5); // no due date: not a deadline

  return {
    ws,
    versionId,
    admin,
    officer,
    assignee,
    auditor,
    alfa,
    beta,
    gamma,
    breaches: { b1, b2, b3 },
    uids: {
      noticeAlfa: `breach_notice-${noticeAlfa}@dpadesk`,
      noticeBeta: `breach_notice-${noticeBeta}@dpadesk`,
      authorityBeta: `authority-${authorityBeta}@dpadesk`,
      windowAlfa: `objection_window-${windowAlfa}@dpadesk`,
      signatureBeta: `dpa_signature-${dpaId}@dpadesk`,
      choiceGamma: `eoc_choice-${choice}@dpadesk`,
      deletionGamma: `eoc_task-${deletion}@dpadesk`,
      backupsGamma: `eoc_task-${backups}@dpadesk`,
      noticeDayAlfa: `contract_notice-${alfa.id}-2026-04-30@dpadesk`,
      noticeDayBeta: `contract_notice-${beta.id}-2026-08-14@dpadesk`,
    },
  };
}
