import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, customers, customerServices, dpas, dpaSignatures, outbox, services, termDeviations, termsVersions, users, workspaces } from "../../db/schema";
import { seedTermsProfiles } from "../../db/seed/terms-profiles";
import type { Actor } from "~/domain/permissions";
import {
  countersignDpa,
  downloadDpaPdfForPortal,
  downloadDpaPdfForStaff,
  draftDpa,
  getPortalDpas,
  sendDpa,
  sendDpasToUnsigned,
  signDpaAsCustomer,
  uploadCustomerPaperDpa,
  withdrawDpa,
} from "~/services/dpas.server";
import { newId } from "~/services/ids.server";
import { seedCustomer, seedStaff, seedWorkspace } from "../helpers/db";
import { setupTestApp, thrownResponse } from "../helpers/app";

const run = promisify(execFile);
const app = setupTestApp();
const NOW = "2026-11-22T10:00:00.000Z";
const LATER = "2026-11-22T11:00:00.000Z";

async function setup(options: { autoCountersign?: boolean; slug?: string } = {}) {
  const slug = options.slug ?? "leadcube";
  const workspace = seedWorkspace(app.db, {
    slug,
    legalName: "Lightcube B.V.",
    tradeName: "Leadcube",
    address: "Vossenstraat 6",
    postcode: "6811 AA",
    city: "Arnhem",
    kvkNumber: "80509630",
    dpaTemplate: "leadcube",
    autoCountersign: options.autoCountersign ?? false,
    securityMeasures: JSON.stringify([{ nl: "Versleutelde verbindingen (TLS)", en: "Encrypted connections (TLS)" }]),
  });
  const versionId = newId();
  app.db
    .insert(termsVersions)
    .values({ id: versionId, workspaceId: workspace.id, version: 1, content: JSON.stringify(seedTermsProfiles.leadcube), reason: "v1", effectiveDate: "2024-01-01", createdAt: NOW })
    .run();
  const serviceId = newId();
  app.db.insert(services).values({ id: serviceId, workspaceId: workspace.id, key: "leads", nameNl: "Leadformulieren", nameEn: "Lead forms", personalData: "Naam en e-mail", createdAt: NOW }).run();
  const customer = seedCustomer(app.db, workspace.id, {
    name: "Bakkerij Van Dam B.V.",
    registrationNumber: "12345678",
    address: "Dorpsstraat 1",
    postcode: "1234 AB",
    city: "Utrecht",
    signatoryName: "Anna de Vries",
    signatoryRole: "Directeur",
    signatoryEmail: "anna@bakkerij.example",
    privacyContactName: "Bram Jansen",
    privacyContactEmail: "bram@bakkerij.example",
    notificationEmails: JSON.stringify(["privacy@bakkerij.example"]),
    subjectMatter: "Leads uit de webwinkel",
    nature: "Opslag en doorsturen van formulieren",
    purposes: JSON.stringify(["Leads opvolgen"]),
    dataCategories: JSON.stringify(["name", "contact"]),
    dataSubjects: JSON.stringify(["prospects"]),
    termsVersionId: versionId,
    contractTermMonths: 12,
  });
  app.db.insert(customerServices).values({ customerId: customer.id, serviceId, workspaceId: workspace.id }).run();
  const officer = seedStaff(app.db, workspace.id, "privacy_officer");
  const portalUserId = newId();
  app.db
    .insert(users)
    .values({ id: portalUserId, email: `portal-${portalUserId.slice(0, 6)}@bakkerij.example`, name: "Anna de Vries", kind: "portal", portalCustomerId: customer.id, portalWorkspaceId: workspace.id, createdAt: NOW })
    .run();
  const portal: Actor = { kind: "portal", userId: portalUserId, name: "Anna de Vries", email: "anna@bakkerij.example", workspaceId: workspace.id, customerId: customer.id };
  return { workspace, customer, officer, portal, versionId };
}

const signature = (textHash: string) => ({ fullName: "Anna de Vries", roleTitle: "Directeur", authorised: true, textHash, ip: "198.51.100.7", userAgent: "vitest" });

async function sentDpa(ctx: Awaited<ReturnType<typeof setup>>) {
  const drafted = await draftDpa(ctx.officer, ctx.customer.id, NOW);
  if (!drafted.ok) throw new Error(`draft refused: ${drafted.error}`);
  const sent = await sendDpa(ctx.officer, drafted.dpaId, NOW);
  if (!sent.ok) throw new Error(`send refused: ${sent.error}`);
  return app.db.select().from(dpas).where(eq(dpas.id, drafted.dpaId)).get()!;
}

describe("DPA lifecycle through the services", () => {
  it("drafts from the template with the customer's own terms and pins the version and text hash", async () => {
    const ctx = await setup();
    const drafted = await draftDpa(ctx.officer, ctx.customer.id, NOW);
    expect(drafted.ok).toBe(true);
    if (!drafted.ok) return;
    const row = app.db.select().from(dpas).where(eq(dpas.id, drafted.dpaId)).get()!;
    expect(row.state).toBe("draft");
    expect(row.termsVersionId).toBe(ctx.versionId);
    expect(row.text).toContain("24 uur");
    expect(row.text).toContain("Bakkerij Van Dam B.V.");
    expect(row.text).toContain("Lightcube B.V.");
    expect(row.textHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await draftDpa(ctx.officer, ctx.customer.id, NOW)).ok).toBe(false);
  });

  it("uses negotiated terms in the text (12 uur instead of 24 uur)", async () => {
    const ctx = await setup();
    app.db
      .insert(termDeviations)
      .values({ id: newId(), workspaceId: ctx.workspace.id, customerId: ctx.customer.id, field: "breachNoticeHours", value: "12", reason: "Grote klant", clause: "art. 7.5 addendum", createdAt: NOW })
      .run();
    const drafted = await draftDpa(ctx.officer, ctx.customer.id, NOW);
    if (!drafted.ok) throw new Error(drafted.error);
    const text = app.db.select().from(dpas).where(eq(dpas.id, drafted.dpaId)).get()!.text;
    expect(text).toContain("12 uur");
  });

  it("keeps drafts from the customer, and lets the customer sign a sent DPA exactly once", async () => {
    const ctx = await setup();
    const drafted = await draftDpa(ctx.officer, ctx.customer.id, NOW);
    if (!drafted.ok) throw new Error(drafted.error);
    expect((await getPortalDpas(ctx.portal)).offer).toBeNull();
    expect((await thrownResponse(signDpaAsCustomer(ctx.portal, drafted.dpaId, signature("a".repeat(64)), NOW))).status).toBe(404);
    await sendDpa(ctx.officer, drafted.dpaId, NOW);
    const row = app.db.select().from(dpas).where(eq(dpas.id, drafted.dpaId)).get()!;
    expect((await getPortalDpas(ctx.portal)).offer?.id).toBe(row.id);
    expect(app.db.select().from(outbox).where(and(eq(outbox.kind, "dpa_sent"), eq(outbox.customerId, ctx.customer.id))).all()).toHaveLength(1);

    expect(await signDpaAsCustomer(ctx.portal, row.id, signature("b".repeat(64)), NOW)).toEqual({ ok: false, error: "text_changed" });
    expect(await signDpaAsCustomer(ctx.portal, row.id, { ...signature(row.textHash), authorised: false }, NOW)).toEqual({ ok: false, error: "not_authorised" });
    expect(await signDpaAsCustomer(ctx.portal, row.id, { ...signature(row.textHash), fullName: " " }, NOW)).toEqual({ ok: false, error: "name_required" });
    expect(app.db.select().from(dpaSignatures).all()).toHaveLength(0);

    expect(await signDpaAsCustomer(ctx.portal, row.id, signature(row.textHash), NOW)).toEqual({ ok: true, dpaId: row.id });
    expect(await signDpaAsCustomer(ctx.portal, row.id, signature(row.textHash), NOW)).toEqual({ ok: false, error: "already_signed" });
    const signatures = app.db.select().from(dpaSignatures).where(eq(dpaSignatures.dpaId, row.id)).all();
    expect(signatures).toHaveLength(1);
    expect(signatures[0]).toMatchObject({ party: "controller", fullName: "Anna de Vries", ip: "198.51.100.7", userAgent: "vitest", textHash: row.textHash });
  });

  it("refuses a user of another customer (404) and an auditor's countersignature (403)", async () => {
    const ctx = await setup();
    const other = await setup({ slug: "leadcube-2" });
    const row = await sentDpa(ctx);
    expect((await thrownResponse(signDpaAsCustomer(other.portal, row.id, signature(row.textHash), NOW))).status).toBe(404);
    await signDpaAsCustomer(ctx.portal, row.id, signature(row.textHash), NOW);
    const auditor = seedStaff(app.db, ctx.workspace.id, "auditor");
    expect((await thrownResponse(countersignDpa(auditor, row.id, { fullName: "A", roleTitle: "B", ip: null, userAgent: null }, NOW))).status).toBe(403);
    expect((await thrownResponse(countersignDpa(other.officer, row.id, { fullName: "A", roleTitle: "B", ip: null, userAgent: null }, NOW))).status).toBe(404);
    expect(app.db.select().from(dpas).where(eq(dpas.id, row.id)).get()?.state).toBe("signed");
  });

  it("countersigning seals a PDF that pdfsig reports valid; a changed byte makes it invalid", async () => {
    const ctx = await setup();
    const row = await sentDpa(ctx);
    await signDpaAsCustomer(ctx.portal, row.id, signature(row.textHash), NOW);
    const result = await countersignDpa(ctx.officer, row.id, { fullName: "Pieter Privacy", roleTitle: "Privacy officer", ip: "203.0.113.5", userAgent: "vitest" }, LATER);
    expect(result).toEqual({ ok: true, dpaId: row.id });
    const sealed = app.db.select().from(dpas).where(eq(dpas.id, row.id)).get()!;
    expect(sealed.state).toBe("in_force");
    expect(sealed.pdfSha256).toMatch(/^[0-9a-f]{64}$/);

    const pdf = await downloadDpaPdfForPortal(ctx.portal);
    expect(pdf.filename).toMatch(/^DPA Bakkerij Van Dam B\.V\. - Leadcube v1 .* - 2026-11-22\.pdf$/);
    expect((await downloadDpaPdfForStaff(ctx.officer, row.id)).bytes.equals(pdf.bytes)).toBe(true);
    const file = path.join(app.dir, "check.pdf");
    writeFileSync(file, pdf.bytes);
    const { stdout } = await run("pdfsig", [file]);
    expect(stdout).toContain("Signature is Valid");
    expect(stdout).toContain("Total document signed");
    const text = (await run("pdftotext", ["-layout", file, "-"])).stdout;
    expect(text).toContain("Bakkerij Van Dam B.V.");
    expect(text).toContain("Lightcube B.V.");
    expect(text).toContain("24 uur");
    expect(text).toContain("Pieter Privacy");
    // the hash may wrap across lines in the layout
    expect(text.replace(/\s+/g, "")).toContain(row.textHash);

    const tampered = Buffer.from(readFileSync(file));
    // flip one byte in the middle of the document, inside the signed byte range (before the signature's /Contents)
    const at = Math.floor(tampered.indexOf("/Contents <") / 2);
    tampered[at] = tampered[at] ^ 0x01;
    writeFileSync(file, tampered);
    const after = (await run("pdfsig", [file])).stdout;
    expect(after).not.toContain("Signature is Valid");

    expect(app.db.select().from(outbox).where(and(eq(outbox.kind, "dpa_in_force"), eq(outbox.customerId, ctx.customer.id))).all()).toHaveLength(1);
    const actions = app.db.select({ a: auditEvents.action }).from(auditEvents).where(eq(auditEvents.entityId, row.id)).all().map((e) => e.a);
    expect(actions).toEqual(["dpa.drafted", "dpa.sent", "dpa.signed_by_customer", "dpa.countersigned"]);
  });

  it("a new DPA supersedes the one in force; the superseded one can no longer be signed", async () => {
    const ctx = await setup();
    const first = await sentDpa(ctx);
    await signDpaAsCustomer(ctx.portal, first.id, signature(first.textHash), NOW);
    await countersignDpa(ctx.officer, first.id, { fullName: "P", roleTitle: "PO", ip: null, userAgent: null }, NOW);
    const second = await sentDpa(ctx);
    expect((await getPortalDpas(ctx.portal)).inForce?.id).toBe(first.id);
    await signDpaAsCustomer(ctx.portal, second.id, signature(second.textHash), LATER);
    await countersignDpa(ctx.officer, second.id, { fullName: "P", roleTitle: "PO", ip: null, userAgent: null }, LATER);
    expect(app.db.select().from(dpas).where(eq(dpas.id, first.id)).get()).toMatchObject({ state: "superseded", supersededById: second.id });
    expect((await getPortalDpas(ctx.portal)).inForce?.id).toBe(second.id);
    expect(await signDpaAsCustomer(ctx.portal, first.id, signature(first.textHash), LATER)).toEqual({ ok: false, error: "superseded" });
  });

  it("countersigns automatically on standard terms when the workspace allows it, never on negotiated terms", async () => {
    const ctx = await setup({ autoCountersign: true });
    const row = await sentDpa(ctx);
    await signDpaAsCustomer(ctx.portal, row.id, signature(row.textHash), NOW);
    const sealed = app.db.select().from(dpas).where(eq(dpas.id, row.id)).get()!;
    expect(sealed.state).toBe("in_force");
    expect(app.db.select().from(dpaSignatures).where(and(eq(dpaSignatures.dpaId, row.id), eq(dpaSignatures.party, "processor"))).get()?.automatic).toBe(true);

    const negotiated = await setup({ autoCountersign: true, slug: "leadcube-3" });
    app.db
      .insert(termDeviations)
      .values({ id: newId(), workspaceId: negotiated.workspace.id, customerId: negotiated.customer.id, field: "breachNoticeHours", value: "12", reason: "r", clause: "c", createdAt: NOW })
      .run();
    const manual = await sentDpa(negotiated);
    await signDpaAsCustomer(negotiated.portal, manual.id, signature(manual.textHash), NOW);
    expect(app.db.select().from(dpas).where(eq(dpas.id, manual.id)).get()?.state).toBe("signed");
  });

  it("withdraws an unsigned offer, and refuses to withdraw a signed one", async () => {
    const ctx = await setup();
    const row = await sentDpa(ctx);
    expect(await withdrawDpa(ctx.officer, row.id, NOW)).toEqual({ ok: true, dpaId: row.id });
    expect(await signDpaAsCustomer(ctx.portal, row.id, signature(row.textHash), NOW)).toEqual({ ok: false, error: "ended" });
    const next = await sentDpa(ctx);
    await signDpaAsCustomer(ctx.portal, next.id, signature(next.textHash), NOW);
    expect(await withdrawDpa(ctx.officer, next.id, NOW)).toEqual({ ok: false, error: "already_signed" });
  });

  it("records a DPA on the customer's paper: PDF only, size-limited, in force at once", async () => {
    const ctx = await setup();
    const notPdf = await uploadCustomerPaperDpa(ctx.officer, ctx.customer.id, { filename: "dpa.docx", bytes: new TextEncoder().encode("PK\u0003\u0004 not a pdf") }, NOW);
    expect(notPdf).toEqual({ ok: false, error: "not_a_pdf" });
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set(new TextEncoder().encode("%PDF-1.7"));
    expect(await uploadCustomerPaperDpa(ctx.officer, ctx.customer.id, { filename: "big.pdf", bytes: big }, NOW)).toEqual({ ok: false, error: "too_large" });
    expect(app.db.select().from(dpas).all()).toHaveLength(0);
    const bytes = new TextEncoder().encode("%PDF-1.4\n% the customer's own signed agreement\n%%EOF\n");
    const result = await uploadCustomerPaperDpa(ctx.officer, ctx.customer.id, { filename: "Eigen verwerkersovereenkomst.pdf", bytes }, NOW);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(app.db.select().from(dpas).where(eq(dpas.id, result.dpaId)).get()).toMatchObject({ kind: "customer_paper", state: "in_force", uploadFilename: "Eigen verwerkersovereenkomst.pdf" });
    const download = await downloadDpaPdfForPortal(ctx.portal);
    expect(Buffer.from(download.bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it("bulk-sends to every customer without a signed DPA and reports each failure", async () => {
    const ctx = await setup();
    const incomplete = seedCustomer(app.db, ctx.workspace.id, { name: "Onvolledig B.V.", termsVersionId: ctx.versionId });
    const report = await sendDpasToUnsigned(ctx.officer, NOW);
    expect(report.considered).toBe(2);
    expect(report.sent.map((s) => s.customerId)).toEqual([ctx.customer.id]);
    expect(report.failed).toEqual([{ customerId: incomplete.id, customerName: "Onvolledig B.V.", error: "template" }]);
    const again = await sendDpasToUnsigned(ctx.officer, NOW);
    expect(again.sent).toHaveLength(0);
    expect(app.db.select().from(dpas).where(eq(dpas.customerId, ctx.customer.id)).all()).toHaveLength(1);
  });
});

describe("customer record completeness", () => {
  it("does not leak another workspace's customers through drafting", async () => {
    const ctx = await setup();
    const other = await setup({ slug: "leadcube-4" });
    expect((await thrownResponse(draftDpa(other.officer, ctx.customer.id, NOW))).status).toBe(404);
    expect(app.db.select().from(customers).where(eq(customers.id, ctx.customer.id)).get()?.workspaceId).toBe(ctx.workspace.id);
    expect(app.db.select().from(workspaces).all().length).toBe(2);
  });
});
