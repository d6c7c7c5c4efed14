/**
 * The deadline collector: every source, nearest first, who is responsible, the portal scope,
 * workspace isolation, horizon and limit, the clock moving on, and the dashboard built from it.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import {
  breachCustomers,
  breaches,
  dpas,
  endOfContractCases,
  endOfContractTasks,
  memberships,
  subprocessorChanges,
  subprocessorNotices,
  subprocessors,
  termsVersions,
} from "../../db/schema";
import { seedTermsProfiles } from "../../db/seed/terms-profiles";
import type { Actor } from "~/domain/permissions";
import { newId } from "~/services/ids.server";
import { seedCustomer, seedStaff, seedWorkspace } from "../helpers/db";
import { currentTermEnd } from "~/domain/contract-clock";
import { effectiveTerms } from "~/domain/terms";
import { collectDeadlines, earliestContractDate, myDeadlines, workspaceDeadlines, type CollectedDeadline } from "~/services/deadlines.server";
import { dashboardOverview } from "~/services/dashboard.server";
import { setupTestApp, thrownResponse } from "../helpers/app";

// ----- fixture: two workspaces with one deadline of every kind (direct inserts, fixed clock) -----

/** Saturday 28 March 2026, 16:00 in Amsterdam (CET). */
const NOW = "2026-03-28T15:00:00.000Z";
const SEED = "2026-01-05T09:00:00.000Z";
const hours = (h: number) => new Date(Date.parse(NOW) + h * 3600_000).toISOString();

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

function world(db: Db, name = "Verwerker") {
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

const app = setupTestApp();

const portalActor = (workspaceId: string, customerId: string): Actor => ({
  kind: "portal",
  userId: newId(),
  name: "Portal contact",
  email: "portal@example.test",
  workspaceId,
  customerId,
});

const uidsOf = (list: CollectedDeadline[]) => list.map((d) => d.uid);

describe("the deadline collector", () => {
  it("collects every open deadline of the workspace once, nearest first, with its due moment, basis and link", async () => {
    const w = world(app.db);
    const all = await workspaceDeadlines(w.admin, NOW);
    expect(uidsOf(all)).toEqual([
      w.uids.noticeAlfa,
      w.uids.noticeBeta,
      w.uids.authorityBeta,
      w.uids.choiceGamma,
      w.uids.signatureBeta,
      w.uids.windowAlfa,
      w.uids.deletionGamma,
      w.uids.noticeDayAlfa,
      w.uids.noticeDayBeta,
      w.uids.backupsGamma,
    ]);
    const byUid = new Map(all.map((d) => [d.uid, d]));
    const notice = byUid.get(w.uids.noticeAlfa)!;
    expect(notice.due).toEqual({ kind: "instant", at: "2026-03-29T01:00:00.000Z" });
    expect(notice.dueDisplay).toBe("29-03-2026 03:00 CEST");
    expect(notice.customer.name).toBe("Alfa Verwerker");
    expect(notice.title.nl).toBe("Datalek DL-Verwerker-1 melden aan Alfa Verwerker");
    expect(notice.title.en).toBe("Notify Alfa Verwerker of breach DL-Verwerker-1");
    expect(notice.basis.nl).toContain("24 uur");
    expect(notice.basis.en).toContain("24 h after");
    expect(notice.link).toBe(`/breaches/${w.breaches.b1}/customers/${w.alfa.id}`);
    expect(notice.responsible).toEqual({ kind: "assignee", userId: w.assignee.userId });

    const window = byUid.get(w.uids.windowAlfa)!;
    expect(window.due).toEqual({ kind: "date", date: "2026-04-09" });
    // a date is due by the end of that Amsterdam day (CEST after 29 March)
    expect(window.dueAt).toBe("2026-04-09T22:00:00.000Z");
    expect(window.portalLink).toBe("/portal/subprocessors");
    expect(window.responsible).toEqual({ kind: "officers" });

    const signature = byUid.get(w.uids.signatureBeta)!;
    expect(signature.due).toEqual({ kind: "date", date: "2026-04-08" });
    expect(signature.basis.en).toContain("Internal follow-up, not a contractual deadline: 14 days");

    const noticeDay = byUid.get(w.uids.noticeDayAlfa)!;
    expect(noticeDay.due).toEqual({ kind: "date", date: "2026-04-30" });
    expect(noticeDay.title.en).toBe("Last day of notice for Alfa Verwerker (else renewal on 01-06-2026)");
    expect(noticeDay.basis.nl).toContain("1 maand vóór");
    expect(noticeDay.link).toBe(`/customers/${w.alfa.id}/terms`);

    const backups = byUid.get(w.uids.backupsGamma)!;
    expect(backups.title.en).toBe("Backups expire – Gamma Verwerker (EC-Verwerker-1)");
    expect(backups.link).toMatch(/^\/contracts\//);
  });

  it("leaves out what is done, answered, closed, archived, ending (contract clock) or without a due date", async () => {
    const w = world(app.db);
    const all = await workspaceDeadlines(w.admin, NOW);
    // the closed breach, the recorded authority outcome, Beta's answered and Gamma's closed window,
    // the done and the undated task, the archived customer and Gamma's contract clock (it is ending)
    expect(all).toHaveLength(10);
    expect(all.filter((d) => d.source === "contract_notice").map((d) => d.customer.name)).toEqual(["Alfa Verwerker", "Beta Verwerker"]);
    expect(all.some((d) => d.customer.name.startsWith("Archived"))).toBe(false);
  });

  it("gives each staff member what they are responsible for: the assignee, else admins and privacy officers; auditors nothing", async () => {
    const w = world(app.db);
    const assigned = [w.uids.noticeAlfa, w.uids.authorityBeta, w.uids.deletionGamma];
    const mineAsAssignee = uidsOf(await myDeadlines(w.assignee, NOW));
    expect(mineAsAssignee).toEqual(expect.arrayContaining(assigned));
    expect(mineAsAssignee).toHaveLength(10);
    for (const actor of [w.officer, w.admin]) {
      const mine = uidsOf(await myDeadlines(actor, NOW));
      expect(mine).toHaveLength(7);
      for (const uid of assigned) expect(mine).not.toContain(uid);
    }
    expect(await myDeadlines(w.auditor, NOW)).toEqual([]);
  });

  it("hands an assignment back to the officers when the assignee is no longer in the workspace", async () => {
    const w = world(app.db);
    app.db
      .delete(memberships)
      .where(and(eq(memberships.userId, w.assignee.userId), eq(memberships.workspaceId, w.ws.id)))
      .run();
    const officer = uidsOf(await myDeadlines(w.officer, NOW));
    expect(officer).toEqual(expect.arrayContaining([w.uids.noticeAlfa, w.uids.authorityBeta, w.uids.deletionGamma]));
    expect(officer).toHaveLength(10);
  });

  it("shows a portal user only their own customer's objection windows, authority clocks and end-of-contract choice", async () => {
    const w = world(app.db);
    const alfa = await myDeadlines(portalActor(w.ws.id, w.alfa.id), NOW);
    expect(uidsOf(alfa)).toEqual([w.uids.windowAlfa]);
    expect(alfa[0].title.nl).toBe("Bezwaartermijn nieuwe subverwerker sluit: Hosting Verwerker GmbH");
    const beta = await myDeadlines(portalActor(w.ws.id, w.beta.id), NOW);
    expect(uidsOf(beta)).toEqual([w.uids.authorityBeta]);
    expect(beta[0].portalLink).toBe(`/portal/breaches/${w.breaches.b1}`);
    expect(beta[0].title.en).toBe("Your deadline to notify the authority (breach DL-Verwerker-1)");
    const gamma = await myDeadlines(portalActor(w.ws.id, w.gamma.id), NOW);
    expect(uidsOf(gamma)).toEqual([w.uids.choiceGamma]);
    expect(gamma[0].portalLink).toBe("/portal/contract");
  });

  it("never mixes in another workspace", async () => {
    const w = world(app.db);
    const other = world(app.db, "Ander");
    const ours = await workspaceDeadlines(w.admin, NOW);
    expect(ours.every((d) => !d.customer.name.includes("Ander"))).toBe(true);
    const theirs = await workspaceDeadlines(other.admin, NOW);
    expect(theirs).toHaveLength(10);
    expect(theirs.every((d) => d.customer.name.endsWith("Ander"))).toBe(true);
    // a portal user of one workspace naming a customer of another gets nothing of it
    expect(await myDeadlines(portalActor(w.ws.id, other.alfa.id), NOW)).toEqual([]);
  });

  it("keeps to the horizon and the limit", async () => {
    const w = world(app.db);
    const month = collectDeadlines({ kind: "workspace", workspaceId: w.ws.id }, NOW, { horizonDays: 30 });
    expect(uidsOf(month)).not.toContain(w.uids.backupsGamma);
    expect(uidsOf(month)).not.toContain(w.uids.noticeDayBeta);
    expect(uidsOf(month)).toContain(w.uids.deletionGamma);
    const three = collectDeadlines({ kind: "workspace", workspaceId: w.ws.id }, NOW, { limit: 3 });
    expect(uidsOf(three)).toEqual([w.uids.noticeAlfa, w.uids.noticeBeta, w.uids.authorityBeta]);
  });

  it("moves with the clock: due soon, overdue, and the next term's notice day once this one passed", async () => {
    const w = world(app.db);
    const at = async (now: string) => new Map((await workspaceDeadlines(w.admin, now)).map((d) => [d.uid, d]));
    expect((await at(NOW)).get(w.uids.noticeAlfa)!.state).toBe("on_time");
    expect((await at(hours(5))).get(w.uids.noticeAlfa)!.state).toBe("due_soon");
    expect((await at(hours(11))).get(w.uids.noticeAlfa)!.state).toBe("overdue");
    expect((await at(NOW)).get(w.uids.windowAlfa)!.state).toBe("on_time");
    expect((await at("2026-04-05T10:00:00.000Z")).get(w.uids.windowAlfa)!.state).toBe("due_soon");
    // the objection window closes at the end of its last day: the next day it is gone
    expect((await at("2026-04-10T10:00:00.000Z")).has(w.uids.windowAlfa)).toBe(false);
    const may = await at("2026-05-05T10:00:00.000Z");
    expect(may.has(w.uids.noticeDayAlfa)).toBe(false);
    expect(may.get(`contract_notice-${w.alfa.id}-2027-04-30@dpadesk`)?.title.en).toBe("Last day of notice for Alfa Verwerker (else renewal on 01-06-2027)");
  });

  it("computes contract clocks once per group of equal terms and still names every customer, within the limit", async () => {
    const w = world(app.db);
    for (let i = 0; i < 30; i++) {
      seedCustomer(app.db, w.ws.id, { name: `Klant ${String(i).padStart(2, "0")}`, termsVersionId: w.versionId, contractStart: "2025-05-01", contractTermMonths: 12 });
    }
    const list = collectDeadlines({ kind: "workspace", workspaceId: w.ws.id }, NOW, { sources: ["contract_notice"] });
    const april = list.filter((d) => d.due.kind === "date" && d.due.date === "2026-03-31");
    expect(april).toHaveLength(30);
    expect(new Set(april.map((d) => d.customer.id)).size).toBe(30);
    const limited = collectDeadlines({ kind: "workspace", workspaceId: w.ws.id }, NOW, { sources: ["contract_notice"], limit: 5 });
    expect(limited).toHaveLength(5);
    expect(limited.every((d) => d.customer.name.startsWith("Klant ") && d.due.kind === "date" && d.due.date === "2026-03-31")).toBe(true);
  });

  it("is what the dashboard's due next shows: the processor's own work in the next 30 days, nearest first", async () => {
    const w = world(app.db);
    const overview = await dashboardOverview(w.auditor, NOW);
    expect(overview.dueNext.map((d) => d.uid)).toEqual([
      w.uids.noticeAlfa,
      w.uids.noticeBeta,
      w.uids.choiceGamma,
      w.uids.signatureBeta,
      w.uids.windowAlfa,
      w.uids.deletionGamma,
    ]);
    expect(overview.dueNext[0].breachId).toBe(w.breaches.b1);
    expect(overview.dueNext[0].dueDisplay).toBe("29-03-2026 03:00 CEST");
  });

  it("refuses account and auditor-link actors", async () => {
    const w = world(app.db);
    const linkActor: Actor = { kind: "auditor_link", linkId: newId(), label: "AP", workspaceId: w.ws.id, registers: null, from: null, to: null };
    expect((await thrownResponse(myDeadlines(linkActor, NOW))).status).toBe(404);
    expect((await thrownResponse(workspaceDeadlines(portalActor(w.ws.id, w.alfa.id), NOW))).status).toBe(404);
  });

  it("never bounds a contract later than its real first notice day or end (the cheap pre-filter is safe)", () => {
    const today = "2026-11-22";
    const horizon = "2027-12-27";
    const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86400000).toISOString().slice(0, 10);
    let checked = 0;
    for (const [slug, profile] of Object.entries(seedTermsProfiles)) {
      const terms = effectiveTerms(profile, 1, []);
      for (const months of [1, 6, 12, 24]) {
        for (let offset = 0; offset < 1500; offset += 11) {
          const start = addDays("2021-01-31", offset);
          const exact: string[] = [];
          try {
            const status = currentTermEnd({ terms, contractStart: start, contractTermMonths: months, today });
            if (status.kind === "running") {
              let term = status;
              if (term.lastNoticeDay && term.lastNoticeDay.due < today && term.renewsOn) {
                const next = currentTermEnd({ terms, contractStart: start, contractTermMonths: months, today: term.renewsOn });
                if (next.kind === "running") term = next;
              }
              if (term.lastNoticeDay && term.lastNoticeDay.due >= today) exact.push(term.lastNoticeDay.due);
              if (status.renewsOn === null && status.termLastDay >= today) exact.push(status.termLastDay);
            }
          } catch {
            continue;
          }
          const inRange = exact.filter((d) => d <= horizon).sort();
          const bound = earliestContractDate(terms, start, months, today, horizon);
          if (inRange.length > 0) {
            expect(bound, `${slug} ${start} ${months}`).not.toBeNull();
            expect(bound! <= inRange[0], `${slug} ${start} ${months}: ${bound} > ${inRange[0]}`).toBe(true);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it("gives the same nearest contract dates with a small limit as the full list does (early stop across many groups)", () => {
    const w = world(app.db);
    for (let i = 0; i < 120; i++) {
      const start = new Date(Date.UTC(2024, 0, 1) + i * 5 * 86400000).toISOString().slice(0, 10);
      seedCustomer(app.db, w.ws.id, { name: `Klant ${i}`, termsVersionId: w.versionId, contractStart: start, contractTermMonths: [6, 12, 24][i % 3] });
    }
    const scope = { kind: "workspace" as const, workspaceId: w.ws.id };
    const full = collectDeadlines(scope, NOW, { sources: ["contract_notice", "contract_end"] });
    expect(full.length).toBeGreaterThan(100);
    for (const limit of [1, 7, 30, 90]) {
      const limited = collectDeadlines(scope, NOW, { sources: ["contract_notice", "contract_end"], limit });
      expect(limited.map((d) => d.dueAt)).toEqual(full.slice(0, limit).map((d) => d.dueAt));
    }
  });
});
