/**
 * The deadline collector: every source, nearest first, who is responsible, the portal scope,
 * workspace isolation, horizon and limit, the clock moving on, and the dashboard built from it.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { memberships } from "../../db/schema";
import { seedTermsProfiles } from "../../db/seed/terms-profiles";
import type { Actor } from "~/domain/permissions";
import { newId } from "~/services/ids.server";
import { seedCustomer } from "../helpers/db";
import { hours, NOW, seedDeadlineWorld } from "../helpers/deadline-fixture";
import { currentTermEnd } from "~/domain/contract-clock";
import { effectiveTerms } from "~/domain/terms";
import { collectDeadlines, earliestContractDate, myDeadlines, workspaceDeadlines, type CollectedDeadline } from "~/services/deadlines.server";
import { dashboardOverview } from "~/services/dashboard.server";
import { setupTestApp, thrownResponse } from "../helpers/app";

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
    const w = seedDeadlineWorld(app.db);
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
    const w = seedDeadlineWorld(app.db);
    const all = await workspaceDeadlines(w.admin, NOW);
    // the closed breach, the recorded authority outcome, Beta's answered and Gamma's closed window,
    // the done and the undated task, the archived customer and Gamma's contract clock (it is ending)
    expect(all).toHaveLength(10);
    expect(all.filter((d) => d.source === "contract_notice").map((d) => d.customer.name)).toEqual(["Alfa Verwerker", "Beta Verwerker"]);
    expect(all.some((d) => d.customer.name.startsWith("Archived"))).toBe(false);
  });

  it("gives each staff member what they are responsible for: the assignee, else admins and privacy officers; auditors nothing", async () => {
    const w = seedDeadlineWorld(app.db);
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
    const w = seedDeadlineWorld(app.db);
    app.db
      .delete(memberships)
      .where(and(eq(memberships.userId, w.assignee.userId), eq(memberships.workspaceId, w.ws.id)))
      .run();
    const officer = uidsOf(await myDeadlines(w.officer, NOW));
    expect(officer).toEqual(expect.arrayContaining([w.uids.noticeAlfa, w.uids.authorityBeta, w.uids.deletionGamma]));
    expect(officer).toHaveLength(10);
  });

  it("shows a portal user only their own customer's objection windows, authority clocks and end-of-contract choice", async () => {
    const w = seedDeadlineWorld(app.db);
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
    const w = seedDeadlineWorld(app.db);
    const other = seedDeadlineWorld(app.db, "Ander");
    const ours = await workspaceDeadlines(w.admin, NOW);
    expect(ours.every((d) => !d.customer.name.includes("Ander"))).toBe(true);
    const theirs = await workspaceDeadlines(other.admin, NOW);
    expect(theirs).toHaveLength(10);
    expect(theirs.every((d) => d.customer.name.endsWith("Ander"))).toBe(true);
    // a portal user of one workspace naming a customer of another gets nothing of it
    expect(await myDeadlines(portalActor(w.ws.id, other.alfa.id), NOW)).toEqual([]);
  });

  it("keeps to the horizon and the limit", async () => {
    const w = seedDeadlineWorld(app.db);
    const month = collectDeadlines({ kind: "workspace", workspaceId: w.ws.id }, NOW, { horizonDays: 30 });
    expect(uidsOf(month)).not.toContain(w.uids.backupsGamma);
    expect(uidsOf(month)).not.toContain(w.uids.noticeDayBeta);
    expect(uidsOf(month)).toContain(w.uids.deletionGamma);
    const three = collectDeadlines({ kind: "workspace", workspaceId: w.ws.id }, NOW, { limit: 3 });
    expect(uidsOf(three)).toEqual([w.uids.noticeAlfa, w.uids.noticeBeta, w.uids.authorityBeta]);
  });

  it("moves with the clock: due soon, overdue, and the next term's notice day once this one passed", async () => {
    const w = seedDeadlineWorld(app.db);
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
    const w = seedDeadlineWorld(app.db);
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
    const w = seedDeadlineWorld(app.db);
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
    const w = seedDeadlineWorld(app.db);
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
    const w = seedDeadlineWorld(app.db);
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
