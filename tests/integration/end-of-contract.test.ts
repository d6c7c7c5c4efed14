import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { and, eq, ne } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  auditEvents,
  customers,
  customerServices,
  dpas,
  endOfContractCases,
  endOfContractEvidence,
  endOfContractTasks,
  outbox,
  services,
  subprocessors,
  subprocessorServices,
  termsVersions,
  users,
  workspaces,
} from "../../db/schema";
import { ensureDemoData } from "../../db/seed/demo-seed";
import { DEMO_END_OF_CONTRACT } from "../../db/seed/demo-end-of-contract";
import { seedTermsProfiles, type SeedWorkspaceSlug } from "../../db/seed/terms-profiles";
import type { Actor } from "~/domain/permissions";
import {
  assignTask,
  certificateFile,
  completeTask,
  evidenceFile,
  getCase,
  getContractOverview,
  issueCertificate,
  listAssignableStaff,
  listCases,
  listTasks,
  listUpcomingContractDates,
  markNotApplicable,
  portalCase,
  portalCertificateFile,
  previewTermination,
  recordChoice,
  recordTermination,
  runEndOfContractHousekeeping,
  withdrawTermination,
  type TerminationInput,
} from "~/services/end-of-contract.server";
import { newId } from "~/services/ids.server";
import { seedCustomer, seedStaff, seedWorkspace } from "../helpers/db";
import { setupTestApp, thrownResponse } from "../helpers/app";

const run = promisify(execFile);
const app = setupTestApp();
const NOW = "2026-11-22T10:00:00.000Z";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

async function setup(slug: SeedWorkspaceSlug = "leadcube", options: { contractStart?: string; termMonths?: number; language?: "nl" | "en" } = {}) {
  const workspace = seedWorkspace(app.db, { slug: `${slug}-${newId().slice(0, 6)}`, legalName: "Lightcube B.V.", tradeName: "Leadcube", city: "Arnhem", kvkNumber: "80509630" });
  const versionId = newId();
  app.db
    .insert(termsVersions)
    .values({ id: versionId, workspaceId: workspace.id, version: 1, content: JSON.stringify(seedTermsProfiles[slug]), reason: "v1", effectiveDate: "2024-01-01", createdAt: NOW })
    .run();
  const serviceId = newId();
  app.db.insert(services).values({ id: serviceId, workspaceId: workspace.id, key: "leads", nameNl: "Leadformulieren", nameEn: "Lead forms", createdAt: NOW }).run();
  const customer = seedCustomer(app.db, workspace.id, {
    name: "Bakkerij Van Dam B.V.",
    language: options.language ?? "nl",
    privacyContactName: "Bram Jansen",
    privacyContactEmail: "bram@bakkerij.example",
    notificationEmails: JSON.stringify(["privacy@bakkerij.example"]),
    dataCategories: JSON.stringify(["contact"]),
    dataSubjects: JSON.stringify(["prospects"]),
    termsVersionId: versionId,
    contractStart: options.contractStart ?? "2025-01-01",
    contractTermMonths: options.termMonths ?? 12,
  });
  app.db.insert(customerServices).values({ customerId: customer.id, serviceId, workspaceId: workspace.id }).run();
  const subId = newId();
  app.db
    .insert(subprocessors)
    .values({
      id: subId,
      workspaceId: workspace.id,
      legalName: "Hosting Noord B.V.",
      nameKey: "hosting noord b.v.",
      serviceNl: "Hosting",
      serviceEn: "Hosting",
      purposeNl: "Opslag",
      purposeEn: "Storage",
      locations: JSON.stringify(["NL"]),
      status: "active",
      startDate: "2024-01-01",
      createdAt: NOW,
      updatedAt: NOW,
    })
    .run();
  app.db.insert(subprocessorServices).values({ subprocessorId: subId, serviceId, workspaceId: workspace.id }).run();
  const dpaId = newId();
  app.db
    .insert(dpas)
    .values({ id: dpaId, workspaceId: workspace.id, customerId: customer.id, termsVersionId: versionId, language: "nl", state: "in_force", versionLabel: "v1", text: "x", textHash: "h", rendered: "{}", createdAt: NOW, inForceAt: NOW })
    .run();
  const officer = seedStaff(app.db, workspace.id, "privacy_officer");
  const auditor = seedStaff(app.db, workspace.id, "auditor");
  const portalUserId = newId();
  app.db
    .insert(users)
    .values({ id: portalUserId, email: `portal-${portalUserId.slice(0, 6)}@bakkerij.example`, name: "Anna", kind: "portal", portalCustomerId: customer.id, portalWorkspaceId: workspace.id, createdAt: NOW })
    .run();
  const portal: Actor = { kind: "portal", userId: portalUserId, name: "Anna", email: "anna@bakkerij.example", workspaceId: workspace.id, customerId: customer.id };
  return { workspace, customer, officer, auditor, portal, dpaId, subId, versionId };
}

const TERMINATION: TerminationInput = { kind: "termination", noticeGivenBy: "customer", noticeReceivedOn: "2026-11-20", note: "Per e-mail van de directeur" };

function tasksOf(caseId: string) {
  return app.db.select().from(endOfContractTasks).where(eq(endOfContractTasks.caseId, caseId)).all();
}

function mails(customerId: string, kind: string) {
  return app.db.select().from(outbox).where(and(eq(outbox.customerId, customerId), eq(outbox.kind, kind))).all();
}

describe("end of contract: full flow", () => {
  it("termination → housekeeping opens the case → portal choice → tasks with evidence → signed certificate, mailed", async () => {
    const ctx = await setup();
    const overview = await getContractOverview(ctx.officer, ctx.customer.id, NOW);
    expect(overview.clock.kind).toBe("running");
    if (overview.clock.kind === "running") {
      expect(overview.clock.termEnd.date).toBe("2026-12-31");
      expect(overview.clock.lastNoticeDay?.date).toBe("2026-11-30");
      expect(overview.clock.lastNoticeDay?.basis).toMatchObject({ kind: "contractual", article: "AV 5.3.4" });
      expect(overview.clock.renewal.renews).toBe(true);
    }
    const upcomingBefore = await listUpcomingContractDates(ctx.officer, NOW, { days: 90 });
    expect(upcomingBefore.items.map((i) => [i.kind, i.date])).toEqual([
      ["notice_deadline", "2026-11-30"],
      ["term_end", "2026-12-31"],
    ]);

    const preview = await previewTermination(ctx.officer, ctx.customer.id, TERMINATION, NOW);
    expect(preview.ok && preview.preview).toMatchObject({ computedEndDate: "2026-12-31", inTime: true, overridden: false, opensImmediately: false });

    const recorded = await recordTermination(ctx.officer, ctx.customer.id, TERMINATION, NOW);
    expect(recorded).toMatchObject({ ok: true, reference: "EC-2026-0001", opened: false });
    if (!recorded.ok) return;
    expect(app.db.select().from(customers).where(eq(customers.id, ctx.customer.id)).get()!.status).toBe("ending");
    const asked = mails(ctx.customer.id, "eoc_termination_recorded");
    expect(asked).toHaveLength(1);
    expect(JSON.parse(asked[0].toAddresses)).toEqual(expect.arrayContaining(["bram@bakkerij.example", "privacy@bakkerij.example", expect.stringMatching(/^portal-/)]));
    expect(asked[0].textBody).toContain("https://dpadesk.test/portal/contract");
    expect(asked[0].textBody).toContain("31-12-2026");

    const upcoming = await listUpcomingContractDates(ctx.officer, NOW, { days: 90 });
    expect(upcoming.items.map((i) => [i.kind, i.date, i.caseReference])).toEqual([["contract_end", "2026-12-31", "EC-2026-0001"]]);
    const scheduled = await getCase(ctx.officer, recorded.caseId, NOW);
    expect(scheduled.status).toBe("scheduled");
    expect(scheduled.plannedTasks.map((t) => t.kind)).toEqual(["customer_choice", "production_deletion", "subprocessor_deletion", "backup_expiry", "certificate"]);
    expect(scheduled.choiceDeadline?.date).toBe("2027-01-14");

    // the contract's last day: nothing opens yet
    expect(await runEndOfContractHousekeeping(app.db, "2026-12-31T12:00:00.000Z")).toEqual({ opened: 0, defaultsApplied: 0 });
    const DAY_AFTER = "2027-01-01T09:00:00.000Z";
    expect(await runEndOfContractHousekeeping(app.db, DAY_AFTER)).toEqual({ opened: 1, defaultsApplied: 0 });
    expect(await runEndOfContractHousekeeping(app.db, DAY_AFTER)).toEqual({ opened: 0, defaultsApplied: 0 });
    expect(tasksOf(recorded.caseId)).toHaveLength(5);
    expect(app.db.select().from(customers).where(eq(customers.id, ctx.customer.id)).get()!.status).toBe("ended");
    expect(app.db.select().from(dpas).where(eq(dpas.id, ctx.dpaId)).get()!.state).toBe("ended");
    expect(mails(ctx.customer.id, "eoc_choice_reminder")).toHaveLength(1);

    const portalView = await portalCase(ctx.portal, DAY_AFTER);
    expect(portalView.case).toMatchObject({ status: "open", canChoose: true, choices: ["return", "delete", "return_then_delete"], certificate: null });
    expect(await recordChoice(ctx.portal, recorded.caseId, "delete", DAY_AFTER)).toEqual({ ok: true });
    expect(await recordChoice(ctx.portal, recorded.caseId, "return", DAY_AFTER)).toEqual({ ok: false, errors: { choice: "contracts.error.choice_closed" } });

    const LATER = "2027-01-10T10:00:00.000Z";
    const board = await listTasks(ctx.officer, { due: "all", status: "open" }, LATER);
    expect(board.tasks.map((t) => t.kind)).toEqual(["production_deletion", "subprocessor_deletion", "backup_expiry", "certificate"]);
    const [production, sub, backup, certificate] = board.tasks;
    expect(production).toMatchObject({ dueDate: "2027-01-28", overdue: false, evidenceRequired: true, canComplete: true });
    expect(sub.subprocessor?.name).toBe("Hosting Noord B.V.");
    expect(certificate.canComplete).toBe(false);

    const staff = await listAssignableStaff(ctx.officer);
    expect(staff.map((s) => s.id)).toContain(ctx.officer.userId);
    expect(await assignTask(ctx.officer, production.id, ctx.officer.userId, LATER)).toEqual({ ok: true });
    expect((await listTasks(ctx.officer, { assigneeUserId: ctx.officer.userId }, LATER)).tasks.map((t) => t.id)).toEqual([production.id]);

    // no evidence where the terms require it: refused, nothing changes
    expect(await completeTask(ctx.officer, production.id, { note: "  ", doneOn: "2027-01-10" }, LATER)).toEqual({
      ok: false,
      errors: { note: "contracts.error.evidence_required" },
    });
    expect(await issueCertificate(ctx.officer, recorded.caseId, LATER)).toEqual({ ok: false, errors: { form: "contracts.error.tasks_remaining" } });

    const done1 = await completeTask(
      ctx.officer,
      production.id,
      { note: "Klantaccount en alle records verwijderd uit database db-prod-1 (ticket OPS-4411)", doneOn: "2027-01-10", file: { filename: "deletion-log.pdf", bytes: PDF } },
      LATER,
    );
    expect(done1).toEqual({ ok: true, caseClosed: false, certificateIssued: false });
    const evidence = app.db.select().from(endOfContractEvidence).where(eq(endOfContractEvidence.taskId, production.id)).get()!;
    expect(evidence).toMatchObject({ filename: "deletion-log.pdf", contentType: "application/pdf", sizeBytes: PDF.length });
    expect((await evidenceFile(ctx.officer, evidence.id)).bytes.equals(PDF)).toBe(true);
    expect(await completeTask(ctx.officer, sub.id, { note: "Verwijderbevestiging Hosting Noord ontvangen op 10-01", doneOn: "2027-01-10" }, LATER)).toMatchObject({ ok: true, caseClosed: false });
    const last = await completeTask(
      ctx.officer,
      backup.id,
      { note: "Back-ups roteren na 14 dagen; laatste back-up met deze gegevens verloopt 24-01-2027", doneOn: "2027-01-10", backupsExpireOn: "2027-01-24" },
      LATER,
    );
    expect(last).toEqual({ ok: true, caseClosed: true, certificateIssued: true });
    expect(await issueCertificate(ctx.officer, recorded.caseId, LATER)).toEqual({ ok: false, errors: { form: "contracts.error.certificate_issued" } });

    const closed = app.db.select().from(endOfContractCases).where(eq(endOfContractCases.id, recorded.caseId)).get()!;
    expect(closed).toMatchObject({ status: "closed", choice: "delete", choiceSource: "portal" });
    expect(closed.certificateSha256).toMatch(/^[0-9a-f]{64}$/);
    const file = path.join(app.dir, closed.certificatePath!);
    expect(existsSync(file)).toBe(true);
    const { stdout } = await run("pdfsig", [file]);
    expect(stdout).toContain("Signature is Valid");
    const text = (await run("pdftotext", ["-layout", file, "-"])).stdout;
    expect(text).toContain("Verklaring van verwijdering");
    expect(text).toContain("verwijderen (door de klant in het portaal");
    expect(text).toContain("Hosting Noord B.V.");
    expect(text).toContain("db-prod-1");
    expect(text).toContain("deletion-log.pdf");
    expect(text).toContain("24-01-2027");

    const sent = mails(ctx.customer.id, "eoc_certificate");
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0].attachments)).toEqual([expect.objectContaining({ contentType: "application/pdf", path: file })]);

    const download = await certificateFile(ctx.portal, recorded.caseId);
    expect(download.contentType).toBe("application/pdf");
    expect(download.bytes.equals(readFileSync(file))).toBe(true);
    expect((await portalCertificateFile(ctx.portal)).filename).toContain("EC-2026-0001");
    expect((await portalCase(ctx.portal, LATER)).case?.certificate?.sha256).toBe(closed.certificateSha256);

    const actions = app.db
      .select({ a: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.customerId, ctx.customer.id))
      .all()
      .map((e) => e.a)
      .filter((a) => a.startsWith("end_of_contract.") || a === "dpa.ended");
    expect(actions).toEqual([
      "end_of_contract.termination_recorded",
      "dpa.ended",
      "end_of_contract.case_opened",
      "end_of_contract.choice_recorded",
      "end_of_contract.task_assigned",
      "end_of_contract.task_completed",
      "end_of_contract.task_completed",
      "end_of_contract.task_completed",
      "end_of_contract.certificate_issued",
      "end_of_contract.case_closed",
    ]);
    expect((await listCases(ctx.officer, { status: "closed" }, LATER)).cases.map((c) => c.reference)).toEqual(["EC-2026-0001"]);
  });

  it("the default choice applies when the choice deadline passes without an answer, once, and the customer is told", async () => {
    const ctx = await setup();
    const recorded = await recordTermination(ctx.officer, ctx.customer.id, TERMINATION, NOW);
    if (!recorded.ok) throw new Error("not recorded");
    await runEndOfContractHousekeeping(app.db, "2027-01-01T09:00:00.000Z");
    await runEndOfContractHousekeeping(app.db, "2027-01-10T09:00:00.000Z");
    expect(mails(ctx.customer.id, "eoc_choice_deadline_reminder")).toHaveLength(0);
    await runEndOfContractHousekeeping(app.db, "2027-01-11T09:00:00.000Z");
    await runEndOfContractHousekeeping(app.db, "2027-01-12T09:00:00.000Z");
    expect(mails(ctx.customer.id, "eoc_choice_deadline_reminder")).toHaveLength(1);
    expect(await runEndOfContractHousekeeping(app.db, "2027-01-14T20:00:00.000Z")).toEqual({ opened: 0, defaultsApplied: 0 });
    const [a, b] = await Promise.all([
      runEndOfContractHousekeeping(app.db, "2027-01-15T09:00:00.000Z"),
      runEndOfContractHousekeeping(app.db, "2027-01-15T09:00:00.000Z"),
    ]);
    expect(a.defaultsApplied + b.defaultsApplied).toBe(1);
    const row = app.db.select().from(endOfContractCases).where(eq(endOfContractCases.id, recorded.caseId)).get()!;
    expect(row).toMatchObject({ choice: "delete", choiceSource: "default" });
    expect(tasksOf(recorded.caseId).find((t) => t.kind === "customer_choice")).toMatchObject({ status: "done", completedByUserId: null });
    expect(mails(ctx.customer.id, "eoc_default_choice_applied")).toHaveLength(1);
    expect(app.db.select().from(auditEvents).where(eq(auditEvents.action, "end_of_contract.default_choice_applied")).all()).toHaveLength(1);
    expect(await recordChoice(ctx.portal, recorded.caseId, "return", "2027-01-16T09:00:00.000Z")).toEqual({ ok: false, errors: { choice: "contracts.error.choice_closed" } });
  });

  it("KlantGenerator has no choice step: the default applies when the case opens; a copy asked after the end is refused", async () => {
    const ctx = await setup("klantgenerator");
    const recorded = await recordTermination(ctx.officer, ctx.customer.id, { ...TERMINATION, noticeReceivedOn: "2026-10-01" }, NOW);
    expect(recorded).toMatchObject({ ok: true });
    if (!recorded.ok) return;
    const detail = await getCase(ctx.officer, recorded.caseId, NOW);
    expect(detail.endDate).toBe("2026-12-31");
    expect(detail.exitRequest?.date).toBe("2026-12-31");
    expect(detail.choiceDeadline).toBeNull();
    expect(await runEndOfContractHousekeeping(app.db, "2027-01-01T09:00:00.000Z")).toEqual({ opened: 1, defaultsApplied: 1 });
    expect(await recordChoice(ctx.officer, recorded.caseId, "return", "2027-01-02T09:00:00.000Z")).toEqual({ ok: false, errors: { choice: "contracts.error.choice_closed" } });
    expect(tasksOf(recorded.caseId).find((t) => t.kind === "customer_choice")?.status).toBe("not_applicable");
  });

  it("an immediate end after an objection opens at once; a return choice adds the return task", async () => {
    const ctx = await setup();
    const recorded = await recordTermination(ctx.officer, ctx.customer.id, { kind: "immediate_end", noticeGivenBy: "customer", noticeReceivedOn: "2026-11-22" }, NOW);
    expect(recorded).toMatchObject({ ok: true, opened: true });
    if (!recorded.ok) return;
    expect(await recordChoice(ctx.officer, recorded.caseId, "return_then_delete", NOW)).toEqual({ ok: true });
    const detail = await getCase(ctx.officer, recorded.caseId, NOW);
    expect(detail.tasks.map((t) => t.kind)).toEqual(["customer_choice", "return_export", "production_deletion", "subprocessor_deletion", "backup_expiry", "certificate"]);
    expect(detail).toMatchObject({ status: "open", choice: "return_then_delete", choiceSource: "staff" });
    const exportTask = detail.tasks.find((t) => t.kind === "return_export")!;
    expect(await markNotApplicable(ctx.officer, exportTask.id, "niet nodig", NOW)).toEqual({ ok: false, errors: { form: "contracts.error.not_applicable_not_allowed" } });
    const sub = detail.tasks.find((t) => t.kind === "subprocessor_deletion")!;
    expect(await markNotApplicable(ctx.officer, sub.id, "", NOW)).toEqual({ ok: false, errors: { reason: "contracts.error.reason_required" } });
    expect(await markNotApplicable(ctx.officer, sub.id, "Hosting Noord bewaarde geen gegevens van deze klant", NOW)).toMatchObject({ ok: true, caseClosed: false });
  });

  it("Elementon: backups expire at most 6 months after the deletion; the backup task waits for the deletion", async () => {
    const ctx = await setup("elementon", { contractStart: "2025-09-01" });
    const recorded = await recordTermination(ctx.officer, ctx.customer.id, { kind: "immediate_end", noticeGivenBy: "processor", noticeReceivedOn: "2026-11-20" }, NOW);
    if (!recorded.ok) throw new Error("not recorded");
    const tasks = (await getCase(ctx.officer, recorded.caseId, NOW)).tasks;
    const backup = tasks.find((t) => t.kind === "backup_expiry")!;
    expect(backup.backupRule?.en).toContain("6 months");
    expect(await completeTask(ctx.officer, backup.id, { note: "rotatie", doneOn: "2026-11-22", backupsExpireOn: "2027-05-01" }, NOW)).toEqual({
      ok: false,
      errors: { form: "contracts.error.deletion_first" },
    });
    const production = tasks.find((t) => t.kind === "production_deletion")!;
    expect(await completeTask(ctx.officer, production.id, { note: "Verwijderd uit productie", doneOn: "2026-11-21" }, NOW)).toMatchObject({ ok: true });
    expect(await completeTask(ctx.officer, backup.id, { note: "rotatie", doneOn: "2026-11-22" }, NOW)).toEqual({ ok: false, errors: { backupsExpireOn: "contracts.error.backup_date_required" } });
    expect(await completeTask(ctx.officer, backup.id, { note: "rotatie", doneOn: "2026-11-22", backupsExpireOn: "2027-05-22" }, NOW)).toEqual({
      ok: false,
      errors: { backupsExpireOn: "contracts.error.backup_date_exceeds_terms" },
    });
    expect(await completeTask(ctx.officer, backup.id, { note: "Back-ups roteren maandelijks", doneOn: "2026-11-22", backupsExpireOn: "2027-05-21" }, NOW)).toMatchObject({ ok: true });
  });
});

describe("end of contract: housekeeping issues a certificate that was not issued", () => {
  it("a case with all tasks done but no certificate (process died after the last task) gets it on the next run, once", async () => {
    const ctx = await setup("puredigital");
    const recorded = await recordTermination(ctx.officer, ctx.customer.id, { kind: "immediate_end", noticeGivenBy: "customer", noticeReceivedOn: "2026-11-20" }, NOW);
    if (!recorded.ok) throw new Error("not recorded");
    expect(await recordChoice(ctx.portal, recorded.caseId, "delete", NOW)).toEqual({ ok: true });
    // as if every task had been completed and the process had died before signing
    app.db
      .update(endOfContractTasks)
      .set({ status: "done", completedAt: NOW, completedByUserId: ctx.officer.userId, doneOn: "2026-11-21", evidenceNote: "Verwijderd" })
      .where(and(eq(endOfContractTasks.caseId, recorded.caseId), eq(endOfContractTasks.status, "open"), ne(endOfContractTasks.kind, "certificate")))
      .run();
    await Promise.all([runEndOfContractHousekeeping(app.db, NOW), runEndOfContractHousekeeping(app.db, NOW)]);
    const row = app.db.select().from(endOfContractCases).where(eq(endOfContractCases.id, recorded.caseId)).get()!;
    expect(row.status).toBe("closed");
    expect((await run("pdfsig", [path.join(app.dir, row.certificatePath!)])).stdout).toContain("Signature is Valid");
    expect(mails(ctx.customer.id, "eoc_certificate")).toHaveLength(1);
    expect(app.db.select().from(auditEvents).where(eq(auditEvents.action, "end_of_contract.certificate_issued")).all()).toHaveLength(1);
    expect(tasksOf(recorded.caseId).find((t) => t.kind === "certificate")?.status).toBe("done");
  });
});

describe("end of contract: bad input is refused and changes nothing", () => {
  it("termination form errors", async () => {
    const ctx = await setup();
    const bad = async (input: Partial<TerminationInput>) => recordTermination(ctx.officer, ctx.customer.id, { ...TERMINATION, ...input }, NOW);
    expect(await bad({ endDate: "2024-12-31", overrideReason: "x" })).toEqual({ ok: false, errors: { endDate: "contracts.error.end_before_start" } });
    expect(await bad({ noticeReceivedOn: "2026-11-23" })).toEqual({ ok: false, errors: { noticeReceivedOn: "contracts.error.received_in_future" } });
    expect(await bad({ noticeReceivedOn: "2024-06-01" })).toEqual({ ok: false, errors: { noticeReceivedOn: "contracts.error.received_before_start" } });
    expect(await bad({ noticeReceivedOn: "2026-02-30" })).toEqual({ ok: false, errors: { noticeReceivedOn: "contracts.error.date_invalid" } });
    expect(await bad({ endDate: "2027-01-31" })).toEqual({ ok: false, errors: { overrideReason: "contracts.error.override_reason_required" } });
    expect(await bad({ endDate: "2026-11-01", overrideReason: "x" })).toEqual({ ok: false, errors: { endDate: "contracts.error.end_before_notice" } });
    expect(await bad({ kind: "pause" as TerminationInput["kind"] })).toEqual({ ok: false, errors: { kind: "contracts.error.kind_invalid" } });
    expect(await bad({ sourceRef: "subprocessor_objection:nope" })).toEqual({ ok: false, errors: { sourceRef: "contracts.error.source_invalid" } });
    expect(app.db.select().from(endOfContractCases).all()).toHaveLength(0);
    expect(app.db.select().from(customers).where(eq(customers.id, ctx.customer.id)).get()!.status).toBe("active");

    const overridden = await bad({ endDate: "2027-01-31", overrideReason: "Afgesproken met de klant: een maand extra voor de migratie" });
    expect(overridden).toMatchObject({ ok: true });
    expect(await bad({})).toEqual({ ok: false, errors: { form: "contracts.error.case_exists" } });
    if (!overridden.ok) return;
    const detail = await getCase(ctx.officer, overridden.caseId, NOW);
    expect([detail.computedEndDate, detail.endDate]).toEqual(["2026-12-31", "2027-01-31"]);
    expect(detail.endExplanation.en).toContain("Overridden to 31-01-2027");
  });

  it("tasks before the end, future dates, wrong files and certificate requests are refused", async () => {
    const ctx = await setup();
    const recorded = await recordTermination(ctx.officer, ctx.customer.id, { kind: "immediate_end", noticeGivenBy: "customer", noticeReceivedOn: "2026-11-22" }, NOW);
    if (!recorded.ok) throw new Error("not recorded");
    const production = tasksOf(recorded.caseId).find((t) => t.kind === "production_deletion")!;
    const choice = tasksOf(recorded.caseId).find((t) => t.kind === "customer_choice")!;
    const certificate = tasksOf(recorded.caseId).find((t) => t.kind === "certificate")!;
    const note = "Verwijderd uit productie";
    expect(await completeTask(ctx.officer, production.id, { note, doneOn: "2026-11-23" }, NOW)).toEqual({ ok: false, errors: { doneOn: "contracts.error.done_in_future" } });
    expect(await completeTask(ctx.officer, production.id, { note, doneOn: "2026-11-22", file: { filename: "log.pdf", bytes: Buffer.from("not a pdf") } }, NOW)).toEqual({
      ok: false,
      errors: { file: "contracts.error.file_type" },
    });
    expect(await completeTask(ctx.officer, production.id, { note, doneOn: "2026-11-22", file: { filename: "tool.exe", bytes: Buffer.from("MZ") } }, NOW)).toEqual({
      ok: false,
      errors: { file: "contracts.error.file_type" },
    });
    expect(await completeTask(ctx.officer, production.id, { note, doneOn: "2026-11-22", file: { filename: "big.txt", bytes: Buffer.alloc(10 * 1024 * 1024 + 1, 0x61) } }, NOW)).toEqual({
      ok: false,
      errors: { file: "contracts.error.file_too_large" },
    });
    expect(await completeTask(ctx.officer, choice.id, { note, doneOn: "2026-11-22" }, NOW)).toEqual({ ok: false, errors: { form: "contracts.error.task_choice_only" } });
    expect(await completeTask(ctx.officer, certificate.id, { note, doneOn: "2026-11-22" }, NOW)).toEqual({ ok: false, errors: { form: "contracts.error.certificate_automatic" } });
    expect(await issueCertificate(ctx.officer, recorded.caseId, NOW)).toEqual({ ok: false, errors: { form: "contracts.error.tasks_remaining" } });
    expect(app.db.select().from(endOfContractEvidence).all()).toHaveLength(0);
    expect(tasksOf(recorded.caseId).filter((t) => t.status !== "open").length).toBe(0);
    expect(await completeTask(ctx.officer, production.id, { note, doneOn: "2026-11-22", file: { filename: "export.csv", bytes: Buffer.from("id;naam\n1;Jan\n") } }, NOW)).toMatchObject({ ok: true });
    expect(await completeTask(ctx.officer, production.id, { note, doneOn: "2026-11-22" }, NOW)).toEqual({ ok: false, errors: { form: "contracts.error.task_closed" } });
  });

  it("a scheduled case can be withdrawn with a reason; an open one cannot", async () => {
    const ctx = await setup();
    const recorded = await recordTermination(ctx.officer, ctx.customer.id, TERMINATION, NOW);
    if (!recorded.ok) throw new Error("not recorded");
    expect(await withdrawTermination(ctx.officer, recorded.caseId, " ", NOW)).toEqual({ ok: false, errors: { reason: "contracts.error.reason_required" } });
    expect(await withdrawTermination(ctx.officer, recorded.caseId, "Klant blijft toch", NOW)).toEqual({ ok: true });
    expect(app.db.select().from(customers).where(eq(customers.id, ctx.customer.id)).get()!.status).toBe("active");
    expect(await withdrawTermination(ctx.officer, recorded.caseId, "nogmaals", NOW)).toEqual({ ok: false, errors: { form: "contracts.error.not_withdrawable" } });
    expect(await runEndOfContractHousekeeping(app.db, "2027-02-01T09:00:00.000Z")).toEqual({ opened: 0, defaultsApplied: 0 });
    // a new notice can be recorded after a withdrawal
    expect(await recordTermination(ctx.officer, ctx.customer.id, TERMINATION, NOW)).toMatchObject({ ok: true, reference: "EC-2026-0002" });
  });
});

describe("end of contract: permissions", () => {
  it("auditors read but cannot write (403); portal users see only their own case (404 otherwise); other workspaces 404", async () => {
    const ctx = await setup();
    const recorded = await recordTermination(ctx.officer, ctx.customer.id, { kind: "immediate_end", noticeGivenBy: "customer", noticeReceivedOn: "2026-11-22" }, NOW);
    if (!recorded.ok) throw new Error("not recorded");
    const task = tasksOf(recorded.caseId).find((t) => t.kind === "production_deletion")!;

    expect((await getCase(ctx.auditor, recorded.caseId, NOW)).canWrite).toBe(false);
    expect((await listTasks(ctx.auditor, {}, NOW)).tasks.every((t) => !t.canComplete)).toBe(true);
    expect((await thrownResponse(recordTermination(ctx.auditor, ctx.customer.id, TERMINATION, NOW))).status).toBe(403);
    expect((await thrownResponse(completeTask(ctx.auditor, task.id, { note: "x", doneOn: "2026-11-22" }, NOW))).status).toBe(403);
    expect((await thrownResponse(recordChoice(ctx.auditor, recorded.caseId, "delete", NOW))).status).toBe(403);
    expect((await thrownResponse(issueCertificate(ctx.auditor, recorded.caseId, NOW))).status).toBe(403);

    // portal: own case only, no staff functions
    expect((await thrownResponse(getCase(ctx.portal, recorded.caseId, NOW))).status).toBe(404);
    expect((await thrownResponse(listTasks(ctx.portal, {}, NOW))).status).toBe(404);
    const other = seedCustomer(app.db, ctx.workspace.id, { name: "Andere klant" });
    const otherPortal: Actor = { kind: "portal", userId: ctx.officer.userId, name: "x", email: "x@example.test", workspaceId: ctx.workspace.id, customerId: other.id };
    expect((await thrownResponse(recordChoice(otherPortal, recorded.caseId, "delete", NOW))).status).toBe(404);
    expect((await thrownResponse(certificateFile(otherPortal, recorded.caseId))).status).toBe(404);
    expect((await portalCase(otherPortal, NOW)).case).toBeNull();
    expect((await thrownResponse(portalCertificateFile(ctx.portal))).status).toBe(404);

    // another workspace
    const elsewhere = await setup("lai-media");
    expect((await thrownResponse(getCase(elsewhere.officer, recorded.caseId, NOW))).status).toBe(404);
    expect((await thrownResponse(completeTask(elsewhere.officer, task.id, { note: "x", doneOn: "2026-11-22" }, NOW))).status).toBe(404);
    expect((await thrownResponse(getContractOverview(elsewhere.officer, ctx.customer.id, NOW))).status).toBe(404);
    expect((await listTasks(elsewhere.officer, {}, NOW)).tasks).toHaveLength(0);
    expect(await assignTask(ctx.officer, task.id, elsewhere.officer.userId, NOW)).toEqual({ ok: false, errors: { assigneeUserId: "contracts.error.assignee_invalid" } });
  });

  it("the task board filters by due date and pages with a cursor; overdue is computed with now", async () => {
    const ctx = await setup();
    const recorded = await recordTermination(ctx.officer, ctx.customer.id, { kind: "immediate_end", noticeGivenBy: "customer", noticeReceivedOn: "2026-11-22" }, NOW);
    if (!recorded.ok) throw new Error("not recorded");
    const late = "2026-12-25T09:00:00.000Z";
    const overdue = await listTasks(ctx.officer, { due: "overdue" }, late);
    expect(overdue.tasks[0].kind).toBe("customer_choice");
    expect(overdue.tasks.map((t) => t.kind).sort()).toEqual(["backup_expiry", "certificate", "customer_choice", "production_deletion", "subprocessor_deletion"]);
    expect(overdue.tasks.every((t) => t.overdue)).toBe(true);
    expect((await listTasks(ctx.officer, { due: "7d" }, NOW)).tasks.map((t) => t.kind)).toEqual([]);
    const first = await listTasks(ctx.officer, { limit: 2 }, NOW);
    expect(first.tasks).toHaveLength(2);
    expect(first.next).not.toBeNull();
    const second = await listTasks(ctx.officer, { limit: 2, cursor: first.next }, NOW);
    const third = await listTasks(ctx.officer, { limit: 2, cursor: second.next }, NOW);
    expect([...first.tasks, ...second.tasks, ...third.tasks].map((t) => t.id)).toEqual((await listTasks(ctx.officer, {}, NOW)).tasks.map((t) => t.id));
    expect(third.next).toBeNull();
  });
});

describe("upcoming contract dates: the anniversary prefilter changes nothing", () => {
  it("gives the same dates as checking every customer, for every vendor, month ends, leap days and a window over the new year", async () => {
    const slugs: SeedWorkspaceSlug[] = ["leadcube", "klantgenerator", "lai-media", "elementon", "puredigital"];
    const terms = [1, 3, 6, 12, 24, 36];
    for (const slug of slugs) {
      const workspace = seedWorkspace(app.db, { slug: `pf-${slug}` });
      const versionId = newId();
      app.db
        .insert(termsVersions)
        .values({ id: versionId, workspaceId: workspace.id, version: 1, content: JSON.stringify(seedTermsProfiles[slug]), reason: "v1", effectiveDate: "2024-01-01", createdAt: NOW })
        .run();
      app.db.transaction((tx) => {
        for (let i = 0; i < 240; i++) {
          const start = new Date(Date.UTC(2020, 1, 29) + i * 9 * 86_400_000 + (i % 7) * 86_400_000).toISOString().slice(0, 10);
          const special = ["2024-02-29", "2023-01-31", "2022-08-31", "2021-12-31", "2025-11-30"][i % 5];
          tx.insert(customers)
            .values({
              id: newId(),
              workspaceId: workspace.id,
              name: `Klant ${i}`,
              nameKey: `klant ${String(i).padStart(3, "0")}`,
              contractStart: i % 4 === 0 ? special : start,
              contractTermMonths: terms[i % terms.length],
              termsVersionId: versionId,
              createdAt: NOW,
              updatedAt: NOW,
            })
            .run();
        }
      });
      const officer = seedStaff(app.db, workspace.id, "privacy_officer");
      for (const now of ["2026-11-22T10:00:00.000Z", "2026-02-27T10:00:00.000Z", "2027-12-15T10:00:00.000Z"]) {
        for (const days of [90]) {
          const fast = await listUpcomingContractDates(officer, now, { days, limit: 200 });
          const full = await listUpcomingContractDates(officer, now, { days, limit: 200, exhaustive: true });
          expect(fast.total, `${slug} ${now} ${days}`).toBe(full.total);
          expect(fast.items, `${slug} ${now} ${days}`).toEqual(full.items);
          expect(full.total).toBeGreaterThan(0);
        }
      }
    }
  }, 120_000);
});

describe("evidence files on disk", () => {
  it("stores the bytes under DATA_DIR with their SHA-256", async () => {
    const ctx = await setup();
    const recorded = await recordTermination(ctx.officer, ctx.customer.id, { kind: "immediate_end", noticeGivenBy: "customer", noticeReceivedOn: "2026-11-22" }, NOW);
    if (!recorded.ok) throw new Error("not recorded");
    const task = tasksOf(recorded.caseId).find((t) => t.kind === "production_deletion")!;
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("rest")]);
    expect(await completeTask(ctx.officer, task.id, { note: "screenshot", doneOn: "2026-11-22", file: { filename: "../../etc/screen.PNG", bytes: png } }, NOW)).toMatchObject({ ok: true });
    const row = app.db.select().from(endOfContractEvidence).where(eq(endOfContractEvidence.taskId, task.id)).get()!;
    expect(row.filename).toBe("screen.PNG");
    expect(row.contentType).toBe("image/png");
    expect(row.path.startsWith(path.join("end-of-contract", ctx.workspace.id))).toBe(true);
    const stored = path.join(app.dir, row.path);
    expect(readFileSync(stored).equals(png)).toBe(true);
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("demo data", () => {
  it("every workspace has a contract in its notice period, an ended contract with overdue tasks and a closed case with its signed certificate", async () => {
    const seededAt = new Date("2026-11-22T08:00:00.000Z");
    await ensureDemoData(app.db, seededAt);
    const now = seededAt.toISOString();
    for (const workspace of app.db.select().from(workspaces).all()) {
      const plan = DEMO_END_OF_CONTRACT[workspace.slug as SeedWorkspaceSlug];
      const officer = seedStaff(app.db, workspace.id, "privacy_officer");
      const upcoming = await listUpcomingContractDates(officer, now, { days: 90, limit: 200 });
      const notice = upcoming.items.find((i) => i.customerName === plan.notice && i.kind === "notice_deadline");
      expect(notice, workspace.slug).toBeDefined();
      expect(notice!.daysLeft).toBeGreaterThanOrEqual(14);
      expect(notice!.daysLeft).toBeLessThanOrEqual(35);

      const open = (await listCases(officer, { status: "open" }, now)).cases;
      expect(open.map((c) => c.customerName), workspace.slug).toEqual([plan.ended]);
      expect(open[0].overdueTasks).toBeGreaterThan(0);
      const overdue = await listTasks(officer, { due: "overdue" }, now);
      expect(overdue.tasks.length).toBeGreaterThan(0);

      const closed = (await listCases(officer, { status: "closed" }, now)).cases;
      expect(closed.map((c) => c.customerName), workspace.slug).toEqual([plan.closed]);
      const row = app.db.select().from(endOfContractCases).where(eq(endOfContractCases.id, closed[0].id)).get()!;
      const file = path.join(app.dir, row.certificatePath!);
      expect((await run("pdfsig", [file])).stdout, workspace.slug).toContain("Signature is Valid");
      expect(mails(row.customerId, "eoc_certificate")).toHaveLength(1);
      const detail = await getCase(officer, row.id, now);
      expect(detail.tasks.every((t) => t.status !== "open")).toBe(true);
      expect(detail.tasks.filter((t) => t.files.length > 0).length).toBeGreaterThan(0);
    }
    // the customer the browser test of eoc-ui terminates stays untouched
    const groenrijk = app.db.select().from(customers).where(eq(customers.name, "Hoveniersbedrijf Groenrijk B.V.")).get()!;
    expect(groenrijk.status).toBe("active");
  }, 180_000);
});
