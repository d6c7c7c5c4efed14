/**
 * Sub-processor register, change notices, responses and outcomes through the services, on a fresh
 * database per test: what is stored (proof of notice, mail, audit), what is refused (and then that
 * nothing is stored), and who may do what.
 */
import { and, count, eq, isNotNull } from "drizzle-orm";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  auditEvents,
  customers,
  customerServices,
  outbox,
  services,
  subprocessorChanges,
  subprocessorExclusions,
  subprocessorHistory,
  subprocessorNotices,
  subprocessors,
  subprocessorSubscriptions,
  termDeviations,
  termsVersions,
} from "../../db/schema";
import { seedTermsProfiles } from "../../db/seed/terms-profiles";
import type { Actor } from "~/domain/permissions";
import { ChangeFormSchema, SubprocessorFormSchema, type ChangeFormInput, type SubprocessorFormInput } from "~/domain/subprocessor-forms";
import { verifyAuditChain } from "~/services/audit.server";
import {
  acceptStart,
  cancelChange,
  createChangeDraft,
  discardDraft,
  getChange,
  getNoticeProof,
  sendChange,
  updateDraftSelection,
} from "~/services/subprocessor-changes.server";
import {
  confirmSubscription,
  getPublicFeed,
  getPublicSubprocessorPage,
  requestSubscription,
  unsubscribe,
  unsubscribeToken,
  viewConfirmation,
} from "~/services/subprocessor-public.server";
import { getPortalSubprocessors, listObjections, listTerminationsFromObjections, resolveObjection, respondToNotice } from "~/services/subprocessor-responses.server";
import {
  createSubprocessor,
  getSubprocessorDetail,
  listCustomerSubprocessors,
  listSubprocessors,
  setPublicPage,
  updateSubprocessor,
} from "~/services/subprocessors.server";
import { seedCustomer, seedStaff, seedWorkspace, type StaffActor } from "../helpers/db";
import { seedPortalUser, setupTestApp, thrownResponse } from "../helpers/app";

const app = setupTestApp();

const NOW = "2026-11-22T10:00:00.000Z"; // Sunday 22 November 2026, 11:00 CET
type Slug = keyof typeof seedTermsProfiles;

type Fixture = {
  workspaceId: string;
  slug: string;
  staff: StaffActor;
  auditor: StaffActor;
  serviceA: string;
  serviceB: string;
  customers: { id: string; name: string; language: "nl" | "en"; email: string }[];
  active: string;
  proposed: string;
};

function registerForm(over: Partial<SubprocessorFormInput> & { serviceIds: string[] }): SubprocessorFormInput {
  return {
    legalName: "Leaseweb Netherlands B.V.",
    tradeName: "Leaseweb",
    serviceNl: "Tweede datacenter",
    serviceEn: "Second data centre",
    purposeNl: "Uitwijklocatie",
    purposeEn: "Fallback location",
    locations: "NL",
    transferSafeguard: "",
    dataCategories: ["name", "contact"],
    dpaDate: "",
    breachNoticeHours: "24",
    status: "proposed",
    startDate: "",
    endDate: "",
    internalNote: "Interne afspraak: korting tot 2027",
    ...over,
  };
}

function changeForm(over: Partial<ChangeFormInput> & { subprocessorId: string }): ChangeFormInput {
  return {
    kind: "new",
    replacesSubprocessorId: "",
    plannedStart: "2027-01-15",
    newLocations: "",
    newTransferSafeguard: "",
    newPurposeNl: "",
    newPurposeEn: "",
    descriptionNl: "Wij nemen een tweede datacenter in gebruik.",
    descriptionEn: "We are taking a second data centre into use.",
    internalNote: "Intern: contract loopt tot 2029",
    ...over,
  };
}

async function created(result: Promise<{ ok: true; id: string } | { ok: false; errors: Record<string, string> }>): Promise<string> {
  const r = await result;
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.errors)}`);
  return r.id;
}

/** A workspace on a seed vendor's terms with `n` customers: all use service A, the last one only service B. */
async function vendor(slug: Slug, n = 4, options: { publicPage?: boolean } = {}): Promise<Fixture> {
  const db = app.db;
  const ws = seedWorkspace(db, { slug: `${slug}-${Math.random().toString(36).slice(2, 8)}`, tradeName: `Vendor ${slug}`, publicSubprocessorPage: options.publicPage ?? false });
  const termsVersionId = crypto.randomUUID();
  db.insert(termsVersions)
    .values({ id: termsVersionId, workspaceId: ws.id, version: 1, content: JSON.stringify(seedTermsProfiles[slug]), reason: "test", effectiveDate: "2024-01-01", createdAt: NOW })
    .run();
  const serviceA = crypto.randomUUID();
  const serviceB = crypto.randomUUID();
  db.insert(services).values({ id: serviceA, workspaceId: ws.id, key: "a", nameNl: "Hosting", nameEn: "Hosting", createdAt: NOW }).run();
  db.insert(services).values({ id: serviceB, workspaceId: ws.id, key: "b", nameNl: "Domeinen", nameEn: "Domains", createdAt: NOW }).run();
  const customers = Array.from({ length: n }, (_, i) => {
    const language = i % 2 === 0 ? ("nl" as const) : ("en" as const);
    const email = `privacy@klant${i}.example`;
    const c = seedCustomer(db, ws.id, { name: `Klant ${String(i).padStart(4, "0")}`, language, termsVersionId, notificationEmails: JSON.stringify([email, `dpo@klant${i}.example`]) });
    db.insert(customerServices).values({ customerId: c.id, serviceId: i === n - 1 ? serviceB : serviceA, workspaceId: ws.id }).run();
    return { id: c.id, name: c.name, language, email };
  });
  const staff = seedStaff(db, ws.id, "privacy_officer");
  const auditor = seedStaff(db, ws.id, "auditor");
  const active = await created(
    createSubprocessor(
      staff,
      SubprocessorFormSchema.parse(registerForm({ legalName: "Equinix (Netherlands) B.V.", status: "active", startDate: "2020-01-01", serviceIds: [serviceA] })),
      null,
      NOW,
    ),
  );
  const proposed = await created(createSubprocessor(staff, SubprocessorFormSchema.parse(registerForm({ serviceIds: [serviceA] })), null, NOW));
  return { workspaceId: ws.id, slug: ws.slug, staff, auditor, serviceA, serviceB, customers, active, proposed };
}

async function draft(f: Fixture, over: Partial<ChangeFormInput> = {}): Promise<string> {
  const result = await createChangeDraft(f.staff, ChangeFormSchema.parse(changeForm({ subprocessorId: f.proposed, ...over })), NOW);
  if (!result.ok) throw new Error(`draft refused: ${JSON.stringify(result.errors)}`);
  return result.id;
}

async function portalActor(f: Fixture, index: number): Promise<Actor> {
  const user = await seedPortalUser(app.db, f.workspaceId, f.customers[index].id);
  return { kind: "portal", userId: user.userId, name: "Contact", email: user.email, workspaceId: f.workspaceId, customerId: f.customers[index].id };
}

function noticeOf(changeId: string, customerId: string) {
  return app.db
    .select()
    .from(subprocessorNotices)
    .where(and(eq(subprocessorNotices.changeId, changeId), eq(subprocessorNotices.customerId, customerId)))
    .get()!;
}

function tableCounts() {
  const n = (table: string) => (app.db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  return {
    outbox: n("outbox"),
    changes: n("subprocessor_changes"),
    notices: n("subprocessor_notices"),
    sent: n("subprocessor_notices where sent_at is not null"),
    responses: n("subprocessor_notices where response is not null"),
    audit: n("audit_events"),
  };
}

function sentNotices(changeId: string) {
  return app.db
    .select()
    .from(subprocessorNotices)
    .where(and(eq(subprocessorNotices.changeId, changeId), isNotNull(subprocessorNotices.sentAt)))
    .all();
}

describe("the register", () => {
  it("records every edit with before and after, and keeps locations of an active entry for a change notice", async () => {
    const f = await vendor("lai-media");
    const edited = await updateSubprocessor(
      f.staff,
      f.proposed,
      SubprocessorFormSchema.parse(registerForm({ serviceIds: [f.serviceA, f.serviceB], breachNoticeHours: "12" })),
      null,
      "2026-11-22T10:05:00.000Z",
    );
    expect(edited).toEqual({ ok: true, id: f.proposed });
    const detail = await getSubprocessorDetail(f.staff, f.proposed, NOW);
    expect(detail.history.items.map((h) => h.event)).toEqual(["updated", "created"]);
    expect(detail.history.items[0].data).toMatchObject({ breachNoticeHours: { before: 24, after: 12 } });

    const locked = await updateSubprocessor(
      f.staff,
      f.active,
      SubprocessorFormSchema.parse(registerForm({ legalName: "Equinix (Netherlands) B.V.", status: "active", startDate: "2020-01-01", locations: "NL, US", transferSafeguard: "scc", serviceIds: [f.serviceA] })),
      null,
      NOW,
    );
    expect(locked).toEqual({ ok: false, errors: { locations: "subprocessors.error.lockedWhenActive" } });
    const activated = await updateSubprocessor(f.staff, f.proposed, SubprocessorFormSchema.parse(registerForm({ status: "active", startDate: "2026-11-01", serviceIds: [f.serviceA] })), null, NOW);
    expect(activated).toEqual({ ok: false, errors: { status: "subprocessors.error.statusThroughChange" } });
  });

  it("stores a PDF under DATA_DIR/files with a random name and its SHA-256; refuses anything else", async () => {
    const f = await vendor("lai-media");
    const values = SubprocessorFormSchema.parse(registerForm({ legalName: "Realtime Register B.V.", serviceIds: [f.serviceA] }));
    const notPdf = await createSubprocessor(f.staff, values, { filename: "dpa.pdf", bytes: Buffer.from("<html>not a pdf</html>") }, NOW);
    expect(notPdf).toEqual({ ok: false, errors: { document: "subprocessors.error.documentNotPdf" } });
    const tooBig = await createSubprocessor(f.staff, values, { filename: "dpa.pdf", bytes: Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(10 * 1024 * 1024)]) }, NOW);
    expect(tooBig).toEqual({ ok: false, errors: { document: "subprocessors.error.documentTooLarge" } });
    const pdf = Buffer.from("%PDF-1.4\n% test document\n%%EOF\n");
    const id = await created(createSubprocessor(f.staff, values, { filename: "../../Verwerkersovereenkomst RR.pdf", bytes: pdf }, NOW));
    const row = app.db.select().from(subprocessors).where(eq(subprocessors.id, id)).get()!;
    expect(row.dpaDocumentFilename).toBe("Verwerkersovereenkomst RR.pdf");
    expect(row.dpaDocumentPath).toMatch(/^files\/subprocessor-dpas\/[0-9a-f]{32}\.pdf$/);
    expect(readFileSync(path.join(app.dir, row.dpaDocumentPath!))).toEqual(pdf);
    expect(row.dpaDocumentSha256).toBe(createHash("sha256").update(pdf).digest("hex"));
    expect(app.db.select({ n: count() }).from(subprocessors).get()!.n).toBe(3);
  });

  it("auditors read but cannot write (403); portal users get 404", async () => {
    const f = await vendor("leadcube");
    const values = SubprocessorFormSchema.parse(registerForm({ serviceIds: [f.serviceA] }));
    expect((await thrownResponse(createSubprocessor(f.auditor, values, null, NOW))).status).toBe(403);
    expect((await listSubprocessors(f.auditor, { q: "", status: "all" }, NOW)).total).toBe(2);
    const portal = await portalActor(f, 0);
    expect((await thrownResponse(listSubprocessors(portal, { q: "", status: "all" }, NOW))).status).toBe(404);
    expect((await thrownResponse(getSubprocessorDetail(portal, f.active, NOW))).status).toBe(404);
    expect((await thrownResponse(createChangeDraft(f.auditor, ChangeFormSchema.parse(changeForm({ subprocessorId: f.proposed })), NOW))).status).toBe(403);
  });

  it("refuses services of another workspace", async () => {
    const f = await vendor("leadcube");
    const other = await vendor("elementon");
    const result = await createSubprocessor(f.staff, SubprocessorFormSchema.parse(registerForm({ serviceIds: [other.serviceA] })), null, NOW);
    expect(result).toEqual({ ok: false, errors: { serviceIds: "subprocessors.error.invalid" } });
  });
});

describe("drafting a change", () => {
  it("selects by default every current customer using a related service, and the selection is adjustable", async () => {
    const f = await vendor("lai-media", 4);
    const id = await draft(f);
    const detail = await getChange(f.staff, id, { filter: "all" }, NOW, "nl");
    expect(detail.selection?.total).toBe(4);
    expect(detail.selection?.selected).toBe(3);
    expect(detail.selection?.rows.find((r) => r.customerId === f.customers[3].id)?.included).toBe(false);
    expect(await updateDraftSelection(f.staff, id, { intent: "exclude", customerIds: [f.customers[0].id] }, NOW)).toEqual({ ok: true, changed: 1 });
    expect((await getChange(f.staff, id, {}, NOW, "nl")).selection?.selected).toBe(2);
    await updateDraftSelection(f.staff, id, { intent: "reset", customerIds: [] }, NOW);
    expect((await getChange(f.staff, id, {}, NOW, "nl")).selection?.selected).toBe(3);
    expect(await discardDraft(f.staff, id, NOW)).toEqual({ ok: true });
    expect(app.db.select({ n: count() }).from(subprocessorNotices).get()!.n).toBe(0);
  });

  it("refuses a location change without locations, and a new sub-processor without locations: nothing stored", async () => {
    const f = await vendor("lai-media");
    const schema = ChangeFormSchema.safeParse(changeForm({ subprocessorId: f.active, kind: "location", newLocations: "" }));
    expect(schema.success).toBe(false);
    const before = tableCounts();
    const service = await createChangeDraft(
      f.staff,
      { ...ChangeFormSchema.parse(changeForm({ subprocessorId: f.active, kind: "location", newLocations: "NL" })), newLocations: [] },
      NOW,
    );
    expect(service).toEqual({ ok: false, errors: { newLocations: "subprocessors.error.noLocations" } });
    app.db.update(subprocessors).set({ locations: "[]" }).where(eq(subprocessors.id, f.proposed)).run();
    expect(await createChangeDraft(f.staff, ChangeFormSchema.parse(changeForm({ subprocessorId: f.proposed })), NOW)).toEqual({
      ok: false,
      errors: { subprocessorId: "subprocessors.error.noLocations" },
    });
    expect(tableCounts()).toEqual(before);
  });

  it("refuses a new sub-processor that is not proposed, a start in the past, and a second open change", async () => {
    const f = await vendor("lai-media");
    expect(await createChangeDraft(f.staff, ChangeFormSchema.parse(changeForm({ subprocessorId: f.active })), NOW)).toEqual({
      ok: false,
      errors: { subprocessorId: "subprocessors.error.mustBeProposed" },
    });
    expect(await createChangeDraft(f.staff, ChangeFormSchema.parse(changeForm({ subprocessorId: f.proposed, plannedStart: "2026-11-21" })), NOW)).toEqual({
      ok: false,
      errors: { plannedStart: "subprocessors.error.startInPast" },
    });
    await draft(f);
    expect(await createChangeDraft(f.staff, ChangeFormSchema.parse(changeForm({ subprocessorId: f.proposed })), NOW)).toEqual({
      ok: false,
      errors: { subprocessorId: "subprocessors.error.openChangeExists" },
    });
  });
});

describe("sending (Lai Media: 2 weeks after the notice was sent)", () => {
  it("refuses a start on the window's last day, naming the customers and the date; nothing stored", async () => {
    const f = await vendor("lai-media");
    const id = await draft(f);
    const before = tableCounts();
    const result = await sendChange(f.staff, id, { plannedStart: "2026-12-06", overrideReason: "" }, NOW);
    expect(result).toMatchObject({ ok: false, errors: { plannedStart: "subprocessors.error.startConflicts" }, conflictCount: 3, earliestStart: "2026-12-07" });
    if (result.ok) return;
    expect(result.conflicts).toContainEqual({ kind: "window_not_closed", customerId: f.customers[0].id, customerName: "Klant 0000", windowEnd: "2026-12-06" });
    expect(tableCounts()).toEqual(before);
    expect(app.db.select().from(subprocessorChanges).where(eq(subprocessorChanges.id, id)).get()!.status).toBe("draft");
  });

  it("writes per customer the proof of notice and the mail in its language, in one go", async () => {
    const f = await vendor("lai-media");
    const id = await draft(f);
    const result = await sendChange(f.staff, id, { plannedStart: "2026-12-07", overrideReason: "" }, NOW);
    expect(result).toEqual({ ok: true, sent: 3, status: "scheduled" });
    const notices = sentNotices(id);
    expect(notices).toHaveLength(3);
    for (const n of notices) {
      const customer = f.customers.find((c) => c.id === n.customerId)!;
      expect(n).toMatchObject({ sentAt: NOW, regime: "window", regimeArticle: "B1 4.2", windowEnd: "2026-12-06", language: customer.language });
      expect(JSON.parse(n.toAddresses!)).toEqual([customer.email, customer.email.replace("privacy@", "dpo@")]);
      expect(n.bodySha256).toBe(createHash("sha256").update(n.body!).digest("hex"));
      const mail = app.db.select().from(outbox).where(eq(outbox.id, n.outboxId!)).get()!;
      expect(mail.textBody).toBe(n.body);
      expect(mail.kind).toBe("subprocessor_notice");
      expect(mail.customerId).toBe(customer.id);
    }
    const nl = notices.find((n) => n.language === "nl")!;
    const en = notices.find((n) => n.language === "en")!;
    expect(nl.body).toContain("U kunt tot en met 06-12-2026 schriftelijk en met redenen bezwaar maken (2 weken na 22-11-2026 11:00 CET (art. 4.2 Bijlage 1) → 06-12-2026)");
    expect(en.subject).toContain("Sub-processor change at");
    expect(en.body).toContain("You can object in writing, with reasons, until 06-12-2026");
    expect(nl.body).not.toContain("Intern: contract loopt tot 2029");
    expect(nl.body).not.toContain("Interne afspraak");
    const proof = await getNoticeProof(f.auditor, id, nl.id);
    const nlCustomer = f.customers.find((c) => c.id === nl.customerId)!;
    expect(proof).toMatchObject({ matches: true, to: [nlCustomer.email, nlCustomer.email.replace("privacy@", "dpo@")], body: nl.body });
    const queued = app.db.select().from(auditEvents).where(eq(auditEvents.action, "mail.queued")).all();
    expect(queued.map((e) => e.customerId).sort()).toEqual(notices.map((n) => n.customerId).sort());
    const sent = app.db.select().from(auditEvents).where(eq(auditEvents.action, "subprocessor_change.sent")).all();
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0].data)).toMatchObject({ notified: 3, plannedStart: "2026-12-07", status: "scheduled" });
    expect(verifyAuditChain(app.db, f.workspaceId)).toMatchObject({ ok: true });
    // sending twice is refused
    expect(await sendChange(f.staff, id, { plannedStart: "2026-12-07", overrideReason: "" }, NOW)).toEqual({ ok: false, errors: { form: "subprocessors.error.notDraft" } });
  });

  it("sends inside a window only with an override reason, which is recorded", async () => {
    const f = await vendor("lai-media");
    const id = await draft(f);
    const result = await sendChange(f.staff, id, { plannedStart: "2026-12-01", overrideReason: "Storing bij het primaire datacenter: uitwijk is nodig." }, NOW);
    expect(result).toMatchObject({ ok: true, sent: 3 });
    expect(app.db.select().from(subprocessorChanges).where(eq(subprocessorChanges.id, id)).get()!.sendOverrideReason).toBe(
      "Storing bij het primaire datacenter: uitwijk is nodig.",
    );
  });

  it("refuses a customer without any address, naming it; nothing stored", async () => {
    const f = await vendor("lai-media");
    const id = await draft(f);
    app.db.update(customers).set({ notificationEmails: "[]", privacyContactEmail: "" }).where(eq(customers.id, f.customers[1].id)).run();
    const before = tableCounts();
    const result = await sendChange(f.staff, id, { plannedStart: "2026-12-20", overrideReason: "" }, NOW);
    expect(result).toEqual({ ok: false, errors: { form: "subprocessors.error.noAddress" }, withoutAddress: [{ customerId: f.customers[1].id, name: "Klant 0001" }] });
    expect(tableCounts()).toEqual(before);
  });

  it("sends to two thousand customers in one transaction, fast", async () => {
    const f = await vendor("lai-media", 2000);
    const id = await draft(f);
    const started = performance.now();
    const result = await sendChange(f.staff, id, { plannedStart: "2026-12-07", overrideReason: "" }, NOW);
    const ms = performance.now() - started;
    expect(result).toEqual({ ok: true, sent: 1999, status: "scheduled" });
    expect(sentNotices(id)).toHaveLength(1999);
    expect(app.db.select({ n: count() }).from(outbox).get()!.n).toBe(1999);
    console.log(`sent 1999 notices in ${Math.round(ms)} ms`);
    expect(ms).toBeLessThan(20_000);
  });
});

describe("regimes per customer from its effective terms", () => {
  it("KlantGenerator: informational, no response possible; PureDigital: not regulated, informational", async () => {
    for (const slug of ["klantgenerator", "puredigital"] as const) {
      const f = await vendor(slug);
      const id = await draft(f);
      expect(await sendChange(f.staff, id, { plannedStart: "2026-11-23", overrideReason: "" }, NOW)).toMatchObject({ ok: true, status: "scheduled" });
      expect(sentNotices(id).map((n) => n.regime)).toEqual(["informational", "informational", "informational"]);
      const portal = await portalActor(f, 0);
      const notice = noticeOf(id, f.customers[0].id);
      expect(await respondToNotice(portal, { noticeId: notice.id, intent: "object", reasons: "Wij willen dit niet, om privacyredenen." }, NOW)).toEqual({
        ok: false,
        error: "subprocessors.refusal.no_response_right",
      });
    }
  });

  it("Elementon: objection without window until the start, unless negotiated (30 days)", async () => {
    const f = await vendor("elementon");
    app.db
      .insert(termDeviations)
      .values({
        id: crypto.randomUUID(),
        workspaceId: f.workspaceId,
        customerId: f.customers[1].id,
        field: "objectionWindow",
        value: JSON.stringify({ amount: 30, unit: "days", from: "notice_sent" }),
        reason: "Gemeente",
        clause: "Aanvullende verwerkersafspraken gemeente, art. 4.3",
        createdAt: NOW,
      })
      .run();
    const id = await draft(f);
    const refused = await sendChange(f.staff, id, { plannedStart: "2026-12-22", overrideReason: "" }, NOW);
    expect(refused).toMatchObject({ ok: false, conflictCount: 1, earliestStart: "2026-12-23" });
    expect(await sendChange(f.staff, id, { plannedStart: "2026-12-23", overrideReason: "" }, NOW)).toMatchObject({ ok: true });
    expect(noticeOf(id, f.customers[0].id)).toMatchObject({ regime: "objection_without_window", windowEnd: null, regimeArticle: "AV 30.5.1" });
    expect(noticeOf(id, f.customers[1].id)).toMatchObject({ regime: "window", windowEnd: "2026-12-22", regimeArticle: "Aanvullende verwerkersafspraken gemeente, art. 4.3" });
  });

  it("Leadcube: the start is accepted only after every required approval; silence keeps the sub-processor away", async () => {
    const f = await vendor("leadcube");
    const id = await draft(f, { plannedStart: "2026-11-22" });
    expect(await sendChange(f.staff, id, { plannedStart: "2026-11-22", overrideReason: "" }, NOW)).toEqual({ ok: true, sent: 3, status: "awaiting_approval" });
    const refused = await acceptStart(f.staff, id, { plannedStart: "2026-11-22", overrideReason: "" }, NOW);
    expect(refused).toMatchObject({ ok: false, errors: { form: "subprocessors.error.acceptConflicts" }, conflictCount: 3 });
    if (!refused.ok) expect(refused.conflicts?.[0]).toEqual({ kind: "approval_missing", customerId: f.customers[0].id, customerName: "Klant 0000" });

    for (const index of [0, 1]) {
      const portal = await portalActor(f, index);
      expect(await respondToNotice(portal, { noticeId: noticeOf(id, f.customers[index].id).id, intent: "approve", reasons: "" }, NOW)).toEqual({ ok: true, response: "approved" });
    }
    const still = await acceptStart(f.staff, id, { plannedStart: "2026-11-22", overrideReason: "" }, NOW);
    expect(still).toMatchObject({ ok: false, conflictCount: 1 });
    const overridden = await acceptStart(f.staff, id, { plannedStart: "2026-11-22", overrideReason: "Klant 2 is onbereikbaar; de subverwerker wordt niet voor hem ingezet." }, NOW);
    expect(overridden).toEqual({ ok: true, status: "in_effect" });
    expect(app.db.select().from(subprocessors).where(eq(subprocessors.id, f.proposed)).get()).toMatchObject({ status: "active", startDate: "2026-11-22" });
    const approvedList = await listCustomerSubprocessors(f.staff, f.customers[0].id, NOW);
    const silentList = await listCustomerSubprocessors(f.staff, f.customers[2].id, NOW);
    expect(approvedList.map((s) => s.id)).toContain(f.proposed);
    expect(silentList.map((s) => s.id)).not.toContain(f.proposed);
    expect(silentList.map((s) => s.id)).toContain(f.active);
    const history = app.db.select().from(subprocessorHistory).where(eq(subprocessorHistory.subprocessorId, f.proposed)).all();
    expect(history.map((h) => h.event)).toEqual(expect.arrayContaining(["created", "change_announced", "start_accepted", "change_in_effect"]));
  });
});

describe("responses in the portal", () => {
  async function laiMediaSent() {
    const f = await vendor("lai-media");
    const id = await draft(f);
    await sendChange(f.staff, id, { plannedStart: "2026-12-10", overrideReason: "" }, NOW);
    return { f, id };
  }

  it("shows the pending notice with its window and the text sent", async () => {
    const { f, id } = await laiMediaSent();
    const view = await getPortalSubprocessors(await portalActor(f, 0), "2026-11-25T10:00:00.000Z");
    expect(view.pending).toHaveLength(1);
    expect(view.pending[0]).toMatchObject({ changeId: id, state: "window_open", windowEnd: "2026-12-06", canObject: true, canApprove: true, closesAt: "2026-12-06T23:00:00.000Z" });
    expect(view.current.map((s) => s.id)).toEqual([f.active]);
  });

  it("refuses an objection without reasons: nothing stored", async () => {
    const { f, id } = await laiMediaSent();
    const notice = noticeOf(id, f.customers[0].id);
    const before = tableCounts();
    expect(await respondToNotice(await portalActor(f, 0), { noticeId: notice.id, intent: "object", reasons: "  nee " }, NOW)).toEqual({
      ok: false,
      error: "subprocessors.refusal.reasons_required",
    });
    expect(noticeOf(id, f.customers[0].id).response).toBeNull();
    expect(tableCounts()).toEqual(before);
  });

  it("refuses an objection after the window: nothing stored", async () => {
    const { f, id } = await laiMediaSent();
    const notice = noticeOf(id, f.customers[0].id);
    expect(
      await respondToNotice(await portalActor(f, 0), { noticeId: notice.id, intent: "object", reasons: "Wij zijn het hier niet mee eens." }, "2026-12-06T23:00:00.000Z"),
    ).toEqual({ ok: false, error: "subprocessors.refusal.window_closed" });
    expect(noticeOf(id, f.customers[0].id).response).toBeNull();
    const late = await getPortalSubprocessors(await portalActor(f, 0), "2026-12-07T10:00:00.000Z");
    expect(late.pending[0]).toMatchObject({ state: "accepted_by_silence", canObject: false });
  });

  it("a user of another customer gets 404, also for another workspace's notice", async () => {
    const { f, id } = await laiMediaSent();
    const notice = noticeOf(id, f.customers[0].id);
    expect((await thrownResponse(respondToNotice(await portalActor(f, 1), { noticeId: notice.id, intent: "approve", reasons: "" }, NOW))).status).toBe(404);
    const other = await vendor("lai-media");
    expect((await thrownResponse(respondToNotice(await portalActor(other, 0), { noticeId: notice.id, intent: "approve", reasons: "" }, NOW))).status).toBe(404);
    expect((await thrownResponse(listCustomerSubprocessors(await portalActor(f, 1), f.customers[0].id, NOW))).status).toBe(404);
    expect(noticeOf(id, f.customers[0].id).response).toBeNull();
    expect((await thrownResponse(respondToNotice(f.staff, { noticeId: notice.id, intent: "approve", reasons: "" }, NOW))).status).toBe(404);
  });

  it("refuses a second response", async () => {
    const { f, id } = await laiMediaSent();
    const portal = await portalActor(f, 0);
    const notice = noticeOf(id, f.customers[0].id);
    expect(await respondToNotice(portal, { noticeId: notice.id, intent: "approve", reasons: "" }, NOW)).toEqual({ ok: true, response: "approved" });
    expect(await respondToNotice(portal, { noticeId: notice.id, intent: "object", reasons: "Toch niet, wij hebben bezwaar." }, NOW)).toEqual({
      ok: false,
      error: "subprocessors.refusal.already_responded",
    });
  });
});

describe("objection outcomes", () => {
  async function objected(slug: Slug = "lai-media") {
    const f = await vendor(slug);
    const id = await draft(f, { plannedStart: "2026-12-10" });
    await sendChange(f.staff, id, { plannedStart: "2026-12-10", overrideReason: "" }, NOW);
    for (const index of [0, 1]) {
      const portal = await portalActor(f, index);
      await respondToNotice(portal, { noticeId: noticeOf(id, f.customers[index].id).id, intent: "object", reasons: "Wij hosten bijzondere persoonsgegevens en willen dit eerst bespreken." }, NOW);
    }
    return { f, id, notice: noticeOf(id, f.customers[0].id) };
  }

  it("lists open objections; an open objection holds the start back", async () => {
    const { f, id } = await objected();
    const queue = await listObjections(f.auditor, { state: "open" });
    expect(queue.openCount).toBe(2);
    expect(queue.items[0]).toMatchObject({ changeId: id, regime: "window", reasons: "Wij hosten bijzondere persoonsgegevens en willen dit eerst bespreken." });
    const refused = await acceptStart(f.staff, id, { plannedStart: "2026-12-10", overrideReason: "" }, NOW);
    expect(refused).toMatchObject({ ok: false, conflictCount: 2 });
    if (!refused.ok) expect(refused.conflicts?.[0].kind).toBe("objection_open");
    expect((await thrownResponse(resolveObjection(f.auditor, { noticeId: queue.items[0].noticeId, outcome: "withdrew", note: "x" }, NOW))).status).toBe(403);
  });

  it("customer withdrew: the change goes on for it; the customer sees the outcome", async () => {
    const { f, notice } = await objected();
    expect(await resolveObjection(f.staff, { noticeId: notice.id, outcome: "withdrew", note: "Na toelichting akkoord." }, NOW)).toEqual({ ok: true, outcome: "withdrew" });
    const view = await getPortalSubprocessors(await portalActor(f, 0), NOW);
    expect(view.pending[0]).toMatchObject({ state: "withdrawn", resolution: "withdrew", resolutionNote: "Na toelichting akkoord." });
    expect(await resolveObjection(f.staff, { noticeId: notice.id, outcome: "terminates", note: "x" }, NOW)).toEqual({ ok: false, error: "subprocessors.error.alreadyResolved" });
    expect(app.db.select().from(outbox).where(eq(outbox.kind, "subprocessor_resolution")).all()).toHaveLength(1);
  });

  it("alternative agreed: the sub-processor is excluded for that customer only, once in effect", async () => {
    const { f, id, notice } = await objected();
    await resolveObjection(f.staff, { noticeId: notice.id, outcome: "alternative", note: "Uw back-ups blijven alleen in Amsterdam." }, NOW);
    await resolveObjection(f.staff, { noticeId: noticeOf(id, f.customers[1].id).id, outcome: "withdrew", note: "Akkoord." }, NOW);
    expect(app.db.select().from(subprocessorExclusions).all()).toMatchObject([{ customerId: f.customers[0].id, subprocessorId: f.proposed }]);
    expect(await acceptStart(f.staff, id, { plannedStart: "2026-12-10", overrideReason: "" }, NOW)).toEqual({ ok: true, status: "scheduled" });
    const later = "2026-12-10T09:00:00.000Z";
    expect((await listCustomerSubprocessors(f.staff, f.customers[0].id, later)).map((s) => s.id)).toEqual([f.active]);
    expect((await listCustomerSubprocessors(f.staff, f.customers[1].id, later)).map((s) => s.id).sort()).toEqual([f.active, f.proposed].sort());
    expect(app.db.select().from(subprocessorChanges).where(eq(subprocessorChanges.id, id)).get()!.status).toBe("in_effect");
  });

  it("change cancelled: for everyone, other open objections resolved, every notified customer told", async () => {
    const { f, id, notice } = await objected();
    expect(await resolveObjection(f.staff, { noticeId: notice.id, outcome: "cancelled", note: "Wij zien af van de tweede locatie." }, NOW)).toEqual({ ok: true, outcome: "cancelled" });
    expect(app.db.select().from(subprocessorChanges).where(eq(subprocessorChanges.id, id)).get()).toMatchObject({ status: "cancelled", cancelledReason: "Wij zien af van de tweede locatie." });
    expect(noticeOf(id, f.customers[1].id).resolution).toBe("cancelled");
    expect((await listObjections(f.staff, { state: "open" })).openCount).toBe(0);
    expect(app.db.select().from(outbox).where(eq(outbox.kind, "subprocessor_cancellation")).all()).toHaveLength(3);
    const view = await getPortalSubprocessors(await portalActor(f, 2), NOW);
    expect(view.past.items[0]).toMatchObject({ state: "cancelled" });
    expect(await cancelChange(f.staff, id, { reason: "nogmaals" }, NOW)).toEqual({ ok: false, error: "subprocessors.error.notOpen" });
  });

  it("customer terminates: recorded for the end-of-contract process", async () => {
    const { f, notice } = await objected();
    await resolveObjection(f.staff, { noticeId: notice.id, outcome: "terminates", note: "Klant zegt op per 1 maart." }, NOW);
    expect(await listTerminationsFromObjections(f.staff)).toMatchObject([{ customerId: f.customers[0].id, note: "Klant zegt op per 1 maart.", resolvedAt: NOW }]);
    expect((await getPortalSubprocessors(await portalActor(f, 0), NOW)).pending[0].state).toBe("terminating");
  });
});

describe("public page, feed and subscriptions", () => {
  it("404 when not enabled; an administrator switches it on", async () => {
    const f = await vendor("lai-media");
    expect((await thrownResponse(getPublicSubprocessorPage(f.slug, NOW, "nl"))).status).toBe(404);
    expect((await thrownResponse(setPublicPage(f.staff, true, NOW))).status).toBe(403);
    const admin = seedStaff(app.db, f.workspaceId, "admin");
    await setPublicPage(admin, true, NOW);
    const page = await getPublicSubprocessorPage(f.slug, NOW, "nl");
    expect(page.current.map((s) => s.legalName)).toEqual(["Equinix (Netherlands) B.V."]);
  });

  it("shows the change log and a feed with the change, and never a customer name or internal note", async () => {
    const f = await vendor("lai-media", 4, { publicPage: true });
    const id = await draft(f);
    await sendChange(f.staff, id, { plannedStart: "2026-12-10", overrideReason: "" }, NOW);
    const page = await getPublicSubprocessorPage(f.slug, NOW, "en");
    expect(page.log).toMatchObject([{ id, kind: "new", status: "scheduled", title: "New sub-processor: Leaseweb Netherlands B.V.", plannedStart: "2026-12-10" }]);
    const feed = await getPublicFeed(f.slug, NOW, "nl");
    expect(feed).toContain(`<id>urn:uuid:${id}</id>`);
    expect(feed).toContain("<title>Nieuwe subverwerker: Leaseweb Netherlands B.V.</title>");
    const everything = JSON.stringify(page) + feed;
    for (const c of f.customers) expect(everything).not.toContain(c.name);
    expect(everything).not.toContain("Intern");
  });

  it("double opt-in: confirmation mail with a single-use link, then change mails with one-click unsubscribe", async () => {
    const f = await vendor("lai-media", 3, { publicPage: true });
    expect(await requestSubscription(f.slug, { email: "Lezer@Example.org", ip: "192.0.2.7", locale: "nl" }, NOW)).toEqual({ ok: true });
    const confirmMail = app.db.select().from(outbox).where(eq(outbox.kind, "subprocessor_subscription_confirm")).get()!;
    expect(JSON.parse(confirmMail.toAddresses)).toEqual(["lezer@example.org"]);
    const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(confirmMail.textBody)![1];
    expect(await viewConfirmation(f.slug, token, NOW)).toMatchObject({ email: "lezer@example.org" });
    // not subscribed before confirming: a change mails nobody
    const first = await draft(f);
    await sendChange(f.staff, first, { plannedStart: "2026-12-10", overrideReason: "" }, NOW);
    expect(app.db.select().from(outbox).where(eq(outbox.kind, "subprocessor_subscriber_notice")).all()).toHaveLength(0);
    expect(await confirmSubscription(f.slug, token, NOW)).toEqual({ ok: true });
    expect(await confirmSubscription(f.slug, token, NOW)).toEqual({ ok: false });
    await cancelChange(f.staff, first, { reason: "Test" }, NOW);
    const second = await draft(f);
    await sendChange(f.staff, second, { plannedStart: "2026-12-10", overrideReason: "" }, NOW);
    const notice = app.db.select().from(outbox).where(eq(outbox.kind, "subprocessor_subscriber_notice")).get()!;
    expect(notice.customerId).toBeNull();
    const sub = app.db.select().from(subprocessorSubscriptions).get()!;
    expect(notice.textBody).toContain(`/trust/${f.slug}/subprocessors/unsubscribe/${unsubscribeToken(sub.id)}`);
    for (const c of f.customers) expect(notice.textBody).not.toContain(c.name);
    expect(await unsubscribe(f.slug, `${sub.id}.${"A".repeat(32)}`, NOW)).toEqual({ ok: false });
    expect(await unsubscribe(f.slug, unsubscribeToken(sub.id), NOW)).toEqual({ ok: true });
    expect(app.db.select().from(subprocessorSubscriptions).get()!.status).toBe("unsubscribed");
  });

  it("throttles per address and per IP, in the database", async () => {
    const f = await vendor("elementon", 2, { publicPage: true });
    for (let i = 0; i < 3; i++) expect(await requestSubscription(f.slug, { email: "a@example.org", ip: `198.51.100.${i}`, locale: "nl" }, NOW)).toEqual({ ok: true });
    expect(await requestSubscription(f.slug, { email: "a@example.org", ip: "198.51.100.9", locale: "nl" }, NOW)).toEqual({ ok: false, reason: "throttled" });
    for (let i = 0; i < 10; i++) expect(await requestSubscription(f.slug, { email: `b${i}@example.org`, ip: "203.0.113.5", locale: "en" }, NOW)).toEqual({ ok: true });
    expect(await requestSubscription(f.slug, { email: "c@example.org", ip: "203.0.113.5", locale: "en" }, NOW)).toEqual({ ok: false, reason: "throttled" });
    expect(await requestSubscription(f.slug, { email: "c@example.org", ip: "203.0.113.5", locale: "en" }, "2026-11-22T11:00:01.000Z")).toEqual({ ok: true });
    expect(app.db.select().from(outbox).where(eq(outbox.kind, "subprocessor_subscription_confirm")).all()).toHaveLength(3 + 10 + 1);
  });
});

describe("changes take effect on their start date", () => {
  it("a removal retires the entry from the day of the start, when the register is next read", async () => {
    const f = await vendor("klantgenerator");
    const result = await createChangeDraft(f.staff, ChangeFormSchema.parse(changeForm({ subprocessorId: f.active, kind: "removal", plannedStart: "2026-12-01" })), NOW);
    if (!result.ok) throw new Error("draft refused");
    expect(await sendChange(f.staff, result.id, { plannedStart: "2026-12-01", overrideReason: "" }, NOW)).toMatchObject({ ok: true, status: "scheduled" });
    expect((await listSubprocessors(f.staff, { q: "", status: "active" }, "2026-11-30T22:59:00.000Z")).total).toBe(1);
    expect((await listSubprocessors(f.staff, { q: "", status: "active" }, "2026-11-30T23:00:00.000Z")).total).toBe(0);
    expect(app.db.select().from(subprocessors).where(eq(subprocessors.id, f.active)).get()).toMatchObject({ status: "retired", endDate: "2026-11-30" });
    expect(existsSync(app.dir)).toBe(true);
  });
});
