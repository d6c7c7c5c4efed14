/**
 * Breaches through the services (and, for refusals, through the route actions with a real session):
 * affected customers and their clocks from their own terms, refusals that store nothing, sending
 * that is safe to repeat, late notices, required contents, the portal, the register, and scoping.
 */
import { and, asc, count, eq } from "drizzle-orm";
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  auditEvents,
  breachCustomers,
  breachNoticeDeliveries,
  breachNotices,
  breachQuestions,
  breaches,
  customerServices,
  outbox,
  services,
  subprocessorExclusions,
  subprocessors,
  subprocessorServices,
  termDeviations,
  termsVersions,
} from "../../db/schema";
import { seedTermsProfiles, type SeedWorkspaceSlug } from "../../db/seed/terms-profiles";
import { BreachFormSchema, type BreachFormInput } from "~/domain/breach-form";
import type { TermsProfile } from "~/domain/terms";
import { action as breachDetailAction } from "~/routes/_staff.breaches.$breachId";
import { action as newBreachAction } from "~/routes/_staff.breaches.new";
import { dashboardOverview } from "~/services/dashboard.server";
import { action as composeAction } from "~/routes/_staff.breaches.$breachId_.notices.$noticeId";
import { verifyAuditChain } from "~/services/audit.server";
import { breachRegisterCsv } from "~/services/breach-register.server";
import { getNoticeComposer, saveNoticeDraft, sendNoticeBatch, startNotice, staffLetterPdf } from "~/services/breach-notices.server";
import { acknowledgeNotice, askQuestion, getPortalBreach, listPortalBreaches, portalLetterPdf, recordAuthorityOutcome } from "~/services/breach-portal.server";
import {
  RegisterQuery,
  adjustAffectedCustomer,
  answerQuestion,
  breachDashboard,
  closeBreach,
  getBreachCustomer,
  getBreachDetail,
  BreachDetailQuery,
  listRegister,
  logBreach,
  updateBreach,
} from "~/services/breaches.server";
import { newId } from "~/services/ids.server";
import { seedCustomer, seedStaff, seedWorkspace } from "../helpers/db";
import { requestWithCookie, seedPortalUser, seedStaffUser, setupTestApp, signInCookie, thrownResponse } from "../helpers/app";

const app = setupTestApp();
const context = { cspNonce: "test-nonce", clientIp: "192.0.2.1" };
const SEED = "2026-01-05T09:00:00.000Z";
/** Saturday 28 March 2026, 16:00 in Amsterdam (CET); DST starts the next night. */
const NOW = "2026-03-28T15:00:00.000Z";

function insertVersion(workspaceId: string, profile: TermsProfile): string {
  const id = newId();
  app.db
    .insert(termsVersions)
    .values({ id, workspaceId, version: 1, content: JSON.stringify(profile), reason: "Versie 1", effectiveDate: "2024-01-01", createdAt: SEED })
    .run();
  return id;
}

function service(workspaceId: string, key: string): string {
  const id = newId();
  app.db
    .insert(services)
    .values({ id, workspaceId, key, nameNl: `Dienst ${key}`, nameEn: `Service ${key}`, createdAt: SEED })
    .run();
  return id;
}

function uses(workspaceId: string, customerId: string, serviceId: string) {
  app.db.insert(customerServices).values({ workspaceId, customerId, serviceId }).run();
}

/**
 * A workspace on the given vendor's terms: a service used by a standard customer (nl), a customer
 * with a negotiated 12 h (en), a customer for whom the sub-processor is excluded, an archived and an
 * ended customer; a second service used by one customer only; a sub-processor on the first service.
 */
function world(slug: SeedWorkspaceSlug = "leadcube") {
  const ws = seedWorkspace(app.db, { internalBreachTargetHours: 24, legalName: "Verwerker B.V." });
  const v1 = insertVersion(ws.id, seedTermsProfiles[slug]);
  const forms = service(ws.id, "forms");
  const helpdesk = service(ws.id, "helpdesk");
  const customer = (name: string, extra: Parameters<typeof seedCustomer>[2] = {}) =>
    seedCustomer(app.db, ws.id, {
      name,
      termsVersionId: v1,
      notificationEmails: JSON.stringify([`privacy@${name.toLowerCase().replace(/\W+/g, "")}.example`]),
      ...extra,
    });
  const standard = customer("Alfa BV", { language: "nl" });
  const negotiated = customer("Beta BV", { language: "en" });
  const helpdeskOnly = customer("Gamma BV");
  const excluded = customer("Delta BV");
  const archived = customer("Epsilon BV", { archivedAt: SEED });
  const ended = customer("Zeta BV", { status: "ended" });
  for (const c of [standard, negotiated, excluded, archived, ended]) uses(ws.id, c.id, forms);
  uses(ws.id, helpdeskOnly.id, helpdesk);
  app.db
    .insert(termDeviations)
    .values({
      id: newId(),
      workspaceId: ws.id,
      customerId: negotiated.id,
      field: "breachNoticeHours",
      value: "12",
      reason: "Eigen incidentteam",
      clause: "Side letter art. 3.2",
      createdAt: SEED,
    })
    .run();
  const sp = newId();
  app.db
    .insert(subprocessors)
    .values({
      id: sp,
      workspaceId: ws.id,
      legalName: "Mailhost B.V.",
      nameKey: "mailhost b.v.",
      serviceNl: "E-mail",
      serviceEn: "Email",
      purposeNl: "Verzenden",
      purposeEn: "Sending",
      status: "active",
      createdAt: SEED,
      updatedAt: SEED,
    })
    .run();
  app.db.insert(subprocessorServices).values({ subprocessorId: sp, serviceId: forms, workspaceId: ws.id }).run();
  app.db.insert(subprocessorExclusions).values({ id: newId(), workspaceId: ws.id, customerId: excluded.id, subprocessorId: sp, createdAt: SEED }).run();
  return {
    ws,
    v1,
    forms,
    helpdesk,
    sp,
    standard,
    negotiated,
    helpdeskOnly,
    excluded,
    officer: seedStaff(app.db, ws.id, "privacy_officer"),
    auditor: seedStaff(app.db, ws.id, "auditor"),
  };
}

function form(overrides: Partial<BreachFormInput> = {}): BreachFormInput {
  return {
    title: "Mailbox bij subverwerker ingezien",
    classification: "breach",
    classificationReasoning: "",
    nature: "Een aanvaller las twee uur lang een mailbox.",
    breachTypes: ["confidentiality"],
    sourceKind: "subprocessor",
    subprocessorId: "",
    subprocessorReportedAt: "2026-03-28T13:30",
    serviceIds: [],
    occurredFrom: "2026-03-28T09:00",
    occurredTo: "2026-03-28T11:00",
    ongoing: false,
    discoveredAt: "2026-03-28T14:00",
    shouldHaveKnownAt: "2026-03-28T12:00",
    dataCategories: ["name", "contact"],
    dataCategoriesNote: "",
    dataSubjects: ["customers"],
    subjectsMin: "120",
    subjectsMax: "450",
    recordsMin: "",
    recordsMax: "",
    protection: "MFA op de mailbox; bijlagen niet versleuteld.",
    consequences: "Kans op phishing.",
    measuresTaken: "Wachtwoorden gewijzigd.",
    measuresProposed: "",
    contactName: "Anna de Vries",
    contactEmail: "privacy@verwerker.example",
    contactPhone: "",
    followUpContact: "",
    riskLevel: "risk",
    riskReasoning: "Contactgegevens, geen bijzondere gegevens.",
    subjectsNotice: "not_required",
    subjectsNoticeReasoning: "",
    crossBorder: false,
    changeNote: "",
    ...overrides,
  };
}

const values = (input: BreachFormInput) => BreachFormSchema.parse(input);

function countRows(
  table: typeof breaches | typeof breachCustomers | typeof breachNoticeDeliveries | typeof auditEvents | typeof outbox | typeof breachNotices
): number {
  return app.db.select({ n: count() }).from(table).get()!.n;
}

async function logged(w: ReturnType<typeof world>, overrides: Partial<BreachFormInput> = {}) {
  const result = await logBreach(w.officer, values(form({ subprocessorId: w.sp, ...overrides })), NOW);
  if (!result.ok) throw new Error(`logBreach refused: ${JSON.stringify(result.errors)}`);
  return result;
}

async function sendAll(w: ReturnType<typeof world>, breachId: string, noticeId: string, now = NOW, lateReason = "") {
  let cursor = "";
  let sent = 0;
  for (;;) {
    const result = await sendNoticeBatch(w.officer, breachId, noticeId, { lateReason, cursor }, now);
    if (!result.ok) throw new Error(`send refused: ${JSON.stringify(result)}`);
    sent += result.sent;
    if (!result.cursor) return sent;
    cursor = result.cursor;
  }
}

describe("logging a breach", () => {
  it("derives the affected customers from the sub-processor's services, minus exclusions, archived and ended customers", async () => {
    const w = world();
    const result = await logged(w);
    expect(result.affected).toBe(2);
    expect(result.reference).toBe("INC-2026-0001");
    const rows = app.db.select().from(breachCustomers).where(eq(breachCustomers.breachId, result.id)).orderBy(asc(breachCustomers.noticeDue)).all();
    expect(rows.map((r) => r.customerId)).toEqual([w.negotiated.id, w.standard.id]);
    // Leadcube VO 7.5: 24 h from when we could reasonably have known (12:00 CET = 11:00Z); negotiated 12 h
    expect(rows.map((r) => r.noticeDue)).toEqual(["2026-03-28T23:00:00.000Z", "2026-03-29T11:00:00.000Z"]);
    expect(JSON.parse(rows[0].noticeDeadline).basis).toMatchObject({ kind: "contractual", source: "negotiated", clause: "Side letter art. 3.2" });
    expect(JSON.parse(rows[1].noticeDeadline).basis).toMatchObject({ kind: "contractual", article: "VO 7.5", source: "profile" });
    const audit = app.db.select().from(auditEvents).where(eq(auditEvents.action, "breach.logged")).all();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].data)).toMatchObject({ reference: "INC-2026-0001", affectedCustomers: 2 });
    expect(verifyAuditChain(app.db, w.ws.id).ok).toBe(true);
  });

  it("derives from the services for a breach in our own systems, and uses PureDigital's 12 h only at a third party", async () => {
    const w = world("puredigital");
    const own = await logged(w, { sourceKind: "own_systems", serviceIds: [w.forms, w.helpdesk] });
    expect(own.affected).toBe(4);
    const ownDue = app.db.select({ due: breachCustomers.noticeDue }).from(breachCustomers).where(eq(breachCustomers.breachId, own.id)).all();
    // the internal target of 24 h from discovery (13:00Z), except the negotiated 12 h
    expect(new Set(ownDue.map((r) => r.due))).toEqual(new Set(["2026-03-29T13:00:00.000Z", "2026-03-29T01:00:00.000Z"]));
    const third = await logged(w);
    const thirdDue = app.db.select({ due: breachCustomers.noticeDue }).from(breachCustomers).where(eq(breachCustomers.breachId, third.id)).all();
    // AV 6.6: 12 h from discovery at an engaged third party, for everyone
    expect(new Set(thirdDue.map((r) => r.due))).toEqual(new Set(["2026-03-29T01:00:00.000Z"]));
  });

  it("keeps an incident that is not a breach, with its reasoning, and starts no clocks", async () => {
    const w = world();
    const result = await logged(w, { classification: "not_breach", classificationReasoning: "Versleutelde laptop, op afstand gewist.", breachTypes: [] });
    expect(result.affected).toBe(0);
    expect(app.db.select().from(breaches).get()!.classificationReasoning).toBe("Versleutelde laptop, op afstand gewist.");
  });

  it("refuses a discovery before the breach began, a negative count, min above max, should-have-known after discovery: nothing stored", async () => {
    const w = world();
    const admin = await seedStaffUser(app.db, w.ws.id, "privacy_officer");
    const cookie = await signInCookie(admin.email);
    const before = { breaches: countRows(breaches), audit: countRows(auditEvents) };
    const cases: [Partial<BreachFormInput>, string, string][] = [
      [{ occurredFrom: "2026-03-28T15:00" }, "discoveredAt", "breaches.error.discoveredBeforeOccurred"],
      [{ subjectsMin: "-5" }, "subjectsMin", "breaches.error.negative"],
      [{ recordsMin: "10", recordsMax: "2" }, "recordsMax", "breaches.error.minAboveMax"],
      [{ shouldHaveKnownAt: "2026-03-28T15:00" }, "shouldHaveKnownAt", "breaches.error.knownAfterDiscovery"],
      [{ discoveredAt: "2099-01-01T10:00", occurredFrom: "", occurredTo: "", shouldHaveKnownAt: "" }, "discoveredAt", "breaches.error.inFuture"],
    ];
    for (const [overrides, field, message] of cases) {
      const input = form({ subprocessorId: w.sp, ...overrides });
      const body = new FormData();
      for (const [key, value] of Object.entries(input)) {
        if (Array.isArray(value)) for (const v of value) body.append(key, v);
        else if (typeof value === "boolean") {
          if (value) body.set(key, "on");
        } else body.set(key, value);
      }
      const response = (await newBreachAction({
        request: requestWithCookie(cookie, "/breaches/new", { method: "POST", body }),
        params: {},
        context,
      })) as Response;
      expect(response.status).toBe(400);
      const data = (await response.json()) as { errors: Record<string, string> };
      expect(data.errors[field]).toBe(message);
    }
    expect(countRows(breaches)).toBe(before.breaches);
    expect(countRows(auditEvents)).toBe(before.audit);
  });

  it("refuses a sub-processor or service of another workspace", async () => {
    const w = world();
    const other = world();
    const result = await logBreach(w.officer, values(form({ subprocessorId: other.sp })), NOW);
    expect(result).toEqual({ ok: false, errors: { subprocessorId: "breaches.error.unknownSubprocessor" } });
    const own = await logBreach(w.officer, values(form({ sourceKind: "own_systems", serviceIds: [other.forms] })), NOW);
    expect(own).toEqual({ ok: false, errors: { serviceIds: "breaches.error.unknownService" } });
    expect(countRows(breaches)).toBe(0);
  });
});

describe("editing the record", () => {
  it("keeps the change before and after in the audit trail and recomputes the clocks of customers not yet notified", async () => {
    const w = world();
    const { id } = await logged(w);
    const result = await updateBreach(
      w.officer,
      id,
      values(form({ subprocessorId: w.sp, shouldHaveKnownAt: "", changeNote: "Tijdstip gecorrigeerd na logonderzoek" })),
      NOW
    );
    expect(result).toMatchObject({ ok: true, recomputed: 2 });
    const dues = app.db
      .select({ due: breachCustomers.noticeDue })
      .from(breachCustomers)
      .where(eq(breachCustomers.breachId, id))
      .orderBy(asc(breachCustomers.noticeDue))
      .all();
    // now from the discovery (13:00Z): 12 h and 24 h
    expect(dues.map((d) => d.due)).toEqual(["2026-03-29T01:00:00.000Z", "2026-03-29T13:00:00.000Z"]);
    const event = app.db.select().from(auditEvents).where(eq(auditEvents.action, "breach.updated")).get()!;
    expect(JSON.parse(event.data)).toMatchObject({
      note: "Tijdstip gecorrigeerd na logonderzoek",
      changes: { shouldHaveKnownAt: { before: "2026-03-28T11:00:00.000Z", after: null } },
    });
  });

  it("follows a change of source: newly derived customers are added, the others removed while not notified", async () => {
    const w = world();
    const { id } = await logged(w);
    const result = await updateBreach(w.officer, id, values(form({ sourceKind: "own_systems", serviceIds: [w.helpdesk] })), NOW);
    expect(result).toMatchObject({ ok: true, added: 1, removed: 2 });
    const rows = app.db
      .select({ customerId: breachCustomers.customerId, status: breachCustomers.status })
      .from(breachCustomers)
      .where(eq(breachCustomers.breachId, id))
      .all();
    expect(rows.filter((r) => r.status === "affected").map((r) => r.customerId)).toEqual([w.helpdeskOnly.id]);
  });

  it("refuses edits of a closed breach", async () => {
    const w = world();
    const { id } = await logged(w, { classification: "not_breach", classificationReasoning: "Geen persoonsgegevens betrokken.", breachTypes: [] });
    expect(await closeBreach(w.officer, id, { closingNote: "Afgesloten na beoordeling." }, NOW)).toMatchObject({ ok: true });
    expect(await updateBreach(w.officer, id, values(form({ subprocessorId: w.sp })), NOW)).toEqual({
      ok: false,
      errors: { form: "breaches.error.closedNoEdit" },
    });
  });
});

describe("adjusting the affected customers", () => {
  it("adds a customer with its own clock and removes one with a reason, both audited", async () => {
    const w = world();
    const { id } = await logged(w);
    expect(
      await adjustAffectedCustomer(w.officer, id, { intent: "add", customerId: w.excluded.id, reason: "Gebruikt Mailhost toch voor de nieuwsbrief." }, NOW)
    ).toMatchObject({ ok: true });
    expect(
      await adjustAffectedCustomer(w.officer, id, { intent: "remove", customerId: w.standard.id, reason: "Gegevens van Alfa stonden niet in de mailbox." }, NOW)
    ).toMatchObject({ ok: true });
    const rows = app.db.select().from(breachCustomers).where(eq(breachCustomers.breachId, id)).all();
    expect(rows.find((r) => r.customerId === w.excluded.id)).toMatchObject({ status: "affected", origin: "added", noticeDue: "2026-03-29T11:00:00.000Z" });
    expect(rows.find((r) => r.customerId === w.standard.id)).toMatchObject({
      status: "removed",
      adjustReason: "Gegevens van Alfa stonden niet in de mailbox.",
    });
    expect(app.db.select().from(auditEvents).where(eq(auditEvents.action, "breach.customer_removed")).all()).toHaveLength(1);
    expect(
      await adjustAffectedCustomer(w.officer, id, { intent: "remove", customerId: w.helpdeskOnly.id, reason: "Niet getroffen, nooit geweest." }, NOW)
    ).toEqual({
      ok: false,
      errors: { form: "breaches.error.notAffected" },
    });
  });
});

describe("notices", () => {
  it("sends the first notice once per customer, with mail, signed PDF, authority deadline and audit; a second run sends nothing", async () => {
    const w = world();
    const { id } = await logged(w);
    const started = await startNotice(w.officer, id, NOW);
    if (!started.ok) throw new Error("no notice");
    const composer = await getNoticeComposer(w.officer, id, started.noticeId, NOW);
    expect(composer.pending).toBe(2);
    expect(composer.blockers).toEqual([]);
    expect(composer.previews.map((p) => p.language)).toEqual(["nl", "en"]);

    const [a, b] = await Promise.all([
      sendNoticeBatch(w.officer, id, started.noticeId, { lateReason: "", cursor: "" }, NOW),
      sendNoticeBatch(w.officer, id, started.noticeId, { lateReason: "", cursor: "" }, NOW),
    ]);
    if (!a.ok || !b.ok) throw new Error("refused");
    expect(a.sent + b.sent).toBe(2);
    // both runs picked the same two customers; whichever committed second found them sent and skipped them
    expect(a.skipped + b.skipped).toBe(2);
    expect(countRows(breachNoticeDeliveries)).toBe(2);
    const again = await sendNoticeBatch(w.officer, id, started.noticeId, { lateReason: "", cursor: "" }, NOW);
    expect(again).toEqual({ ok: false, errors: { form: "breaches.error.nothingToSend" } });

    const detail = await getBreachDetail(w.officer, id, BreachDetailQuery.parse({ state: "notified" }), NOW);
    expect(detail.notices).toEqual([expect.objectContaining({ sequence: 1, status: "sent", delivered: 2, acknowledged: 0 })]);
    expect(detail.customers.map((c) => [c.customerName, c.deliveries, c.acknowledged])).toEqual([
      ["Beta BV", 1, 0],
      ["Alfa BV", 1, 0],
    ]);
    const dashboard = await breachDashboard(w.officer, { page: 1 }, NOW);
    expect(dashboard.breaches[0]).toMatchObject({ affected: 2, notified: 2, overdue: 0, openQuestions: 0, next: null });
    const register = await listRegister(w.officer, RegisterQuery.parse({}));
    expect(register.entries[0]).toMatchObject({ affected: 2, notified: 2, notifiedLate: 0, firstNoticeAt: NOW });

    const mails = app.db.select().from(outbox).where(eq(outbox.kind, "breach_notice")).all();
    expect(mails).toHaveLength(2);
    const attachment = JSON.parse(mails[0].attachments)[0] as { path: string; contentType: string };
    expect(attachment.contentType).toBe("application/pdf");
    expect(existsSync(attachment.path)).toBe(true);
    const negotiated = app.db
      .select()
      .from(breachCustomers)
      .where(and(eq(breachCustomers.breachId, id), eq(breachCustomers.customerId, w.negotiated.id)))
      .get()!;
    expect(negotiated).toMatchObject({ notifiedAt: NOW, notifiedLate: false, authorityDue: "2026-03-30T15:00:00.000Z" });
    const delivery = app.db.select().from(breachNoticeDeliveries).where(eq(breachNoticeDeliveries.customerId, w.negotiated.id)).get()!;
    expect(delivery.language).toBe("en");
    expect(delivery.subject).toBe("Personal data breach INC-2026-0001: Mailbox bij subverwerker ingezien");
    expect(delivery.body).toContain("30-03-2026 17:00 CEST");
    expect(app.db.select().from(auditEvents).where(eq(auditEvents.action, "breach.notice_delivered")).all()).toHaveLength(2);
  });

  it("refuses a direct second delivery of the same notice to the same customer (unique constraint)", async () => {
    const w = world();
    const { id } = await logged(w);
    const started = await startNotice(w.officer, id, NOW);
    if (!started.ok) throw new Error("no notice");
    await sendAll(w, id, started.noticeId);
    const existing = app.db.select().from(breachNoticeDeliveries).get()!;
    expect(() =>
      app.db
        .insert(breachNoticeDeliveries)
        .values({ ...existing, id: newId() })
        .run()
    ).toThrow(/UNIQUE/);
  });

  it("refuses to edit a sent notice, clearly, and stores nothing", async () => {
    const w = world();
    const { id } = await logged(w);
    const started = await startNotice(w.officer, id, NOW);
    if (!started.ok) throw new Error("no notice");
    expect(await saveNoticeDraft(w.officer, id, started.noticeId, { messageNl: "Eerste versie", messageEn: "First version" }, NOW)).toEqual({ ok: true });
    await sendAll(w, id, started.noticeId);
    const audit = countRows(auditEvents);
    const user = await seedStaffUser(app.db, w.ws.id, "privacy_officer");
    const cookie = await signInCookie(user.email);
    const body = new FormData();
    body.set("intent", "save");
    body.set("messageNl", "Gewijzigd na verzending");
    body.set("messageEn", "Changed after sending");
    const response = (await composeAction({
      request: requestWithCookie(cookie, `/breaches/${id}/notices/${started.noticeId}`, { method: "POST", body }),
      params: { breachId: id, noticeId: started.noticeId },
      context,
    })) as Response;
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ ok: false, errors: { form: "breaches.error.noticeSent" } });
    expect(app.db.select().from(breachNotices).get()).toMatchObject({ messageNl: "Eerste versie", status: "sent" });
    expect(countRows(auditEvents)).toBe(audit + 1); // the sign-in only
  });

  it("refuses a notice to a customer that is not affected, and nothing is stored", async () => {
    const w = world();
    const { id } = await logged(w);
    const started = await startNotice(w.officer, id, NOW);
    if (!started.ok) throw new Error("no notice");
    const before = { deliveries: countRows(breachNoticeDeliveries), outbox: countRows(outbox) };
    for (const customerId of [w.helpdeskOnly.id, w.excluded.id]) {
      const result = await sendNoticeBatch(w.officer, id, started.noticeId, { lateReason: "", cursor: "", customerId }, NOW);
      expect(result).toEqual({ ok: false, errors: { form: "breaches.error.notAffected" } });
    }
    expect(countRows(breachNoticeDeliveries)).toBe(before.deliveries);
    expect(countRows(outbox)).toBe(before.outbox);
    expect(app.db.select().from(breachNotices).get()!.status).toBe("draft");
    // one affected customer alone works, and only once
    expect(await sendNoticeBatch(w.officer, id, started.noticeId, { lateReason: "", cursor: "", customerId: w.standard.id }, NOW)).toMatchObject({
      ok: true,
      sent: 1,
    });
    expect(await sendNoticeBatch(w.officer, id, started.noticeId, { lateReason: "", cursor: "", customerId: w.standard.id }, NOW)).toEqual({
      ok: false,
      errors: { form: "breaches.error.alreadyNotified" },
    });
  });

  it("requires a reason for a late notice, records it per customer, and shows the state as notified late", async () => {
    const w = world();
    const { id } = await logged(w);
    const started = await startNotice(w.officer, id, NOW);
    if (!started.ok) throw new Error("no notice");
    const late = "2026-03-29T02:00:00.000Z"; // past Beta's 12 h (23:00Z), within Alfa's 24 h
    expect(await sendNoticeBatch(w.officer, id, started.noticeId, { lateReason: "", cursor: "" }, late)).toEqual({
      ok: false,
      errors: { lateReason: "breaches.error.lateReasonRequired" },
      lateCount: 1,
    });
    expect(countRows(breachNoticeDeliveries)).toBe(0);
    await sendAll(w, id, started.noticeId, late, "Subverwerker meldde de omvang pas om 01:30.");
    const rows = app.db.select().from(breachCustomers).where(eq(breachCustomers.breachId, id)).all();
    expect(rows.find((r) => r.customerId === w.negotiated.id)).toMatchObject({ notifiedLate: true, lateReason: "Subverwerker meldde de omvang pas om 01:30." });
    expect(rows.find((r) => r.customerId === w.standard.id)).toMatchObject({ notifiedLate: false, lateReason: null });
    const detail = await getBreachDetail(w.officer, id, BreachDetailQuery.parse({ state: "notified_late" }), late);
    expect(detail.counts).toMatchObject({ notified_late: 1, notified_on_time: 1, overdue: 0 });
    expect(detail.customers.map((c) => [c.customerName, c.state])).toEqual([["Beta BV", "notified_late"]]);
  });

  it("blocks sending while a required item is empty and names it (Lai Media: 8 items, protection missing)", async () => {
    const w = world("lai-media");
    const { id } = await logged(w, { protection: "" });
    const started = await startNotice(w.officer, id, NOW);
    if (!started.ok) throw new Error("no notice");
    const result = await sendNoticeBatch(w.officer, id, started.noticeId, { lateReason: "", cursor: "" }, NOW);
    if (result.ok) throw new Error("sent anyway");
    expect(result.errors.form).toBe("breaches.error.sendBlocked");
    const blocker = result.blockers![0];
    if (blocker.kind !== "missing_items") throw new Error(`unexpected ${blocker.kind}`);
    expect(blocker.group.items).toHaveLength(8);
    expect(blocker.group.missing).toEqual(["protection"]);
    expect(countRows(breachNoticeDeliveries)).toBe(0);
    expect(app.db.select().from(breachNotices).get()!.status).toBe("draft");
  });

  it("reports a customer without an address as a failure and sends to the others; the run is safe to repeat", async () => {
    const w = world();
    const noAddress = seedCustomer(app.db, w.ws.id, { name: "Eta BV", termsVersionId: w.v1, notificationEmails: "[]", privacyContactEmail: "" });
    uses(w.ws.id, noAddress.id, w.forms);
    const { id } = await logged(w);
    const started = await startNotice(w.officer, id, NOW);
    if (!started.ok) throw new Error("no notice");
    const result = await sendNoticeBatch(w.officer, id, started.noticeId, { lateReason: "", cursor: "" }, NOW, { batchSize: 2 });
    if (!result.ok) throw new Error("refused");
    expect(result.sent + result.failures.length).toBe(2);
    expect(result.remaining).toBe(1);
    const next = await sendNoticeBatch(w.officer, id, started.noticeId, { lateReason: "", cursor: result.cursor! }, NOW, { batchSize: 2 });
    if (!next.ok) throw new Error("refused");
    const failures = [...result.failures, ...next.failures];
    expect(failures).toEqual([{ customerId: noAddress.id, customerName: "Eta BV", reason: "no_address" }]);
    expect(next.cursor).toBeNull();
    expect(countRows(breachNoticeDeliveries)).toBe(2);
    // a new run from the start tries the failed customer again and nobody else
    const retry = await sendNoticeBatch(w.officer, id, started.noticeId, { lateReason: "", cursor: "" }, NOW);
    expect(retry).toMatchObject({ ok: true, sent: 0, failures: [{ customerId: noAddress.id }] });
    expect(countRows(breachNoticeDeliveries)).toBe(2);
  });

  it("numbers follow-ups and links them to the first; a follow-up goes only to customers that got the first", async () => {
    const w = world();
    const { id } = await logged(w);
    const first = await startNotice(w.officer, id, NOW);
    if (!first.ok) throw new Error("no notice");
    await sendNoticeBatch(w.officer, id, first.noticeId, { lateReason: "", cursor: "", customerId: w.standard.id }, NOW);
    const followUp = await startNotice(w.officer, id, NOW);
    if (!followUp.ok) throw new Error("no follow-up");
    const row = app.db.select().from(breachNotices).where(eq(breachNotices.id, followUp.noticeId)).get()!;
    expect(row).toMatchObject({ sequence: 2, followUpOfId: first.noticeId, status: "draft" });
    await saveNoticeDraft(w.officer, id, followUp.noticeId, { messageNl: "Het onderzoek is afgerond.", messageEn: "The investigation is complete." }, NOW);
    expect(await sendAll(w, id, followUp.noticeId, "2026-03-28T16:00:00.000Z")).toBe(1);
    const delivery = app.db.select().from(breachNoticeDeliveries).where(eq(breachNoticeDeliveries.noticeId, followUp.noticeId)).get()!;
    expect(delivery.customerId).toBe(w.standard.id);
    expect(delivery.subject).toBe("Aanvulling 1 op melding datalek INC-2026-0001: Mailbox bij subverwerker ingezien");
    expect(delivery.body).toContain("Het onderzoek is afgerond.");
  });

  it("refuses a message in one language only when recipients read the other", async () => {
    const w = world();
    const { id } = await logged(w);
    const started = await startNotice(w.officer, id, NOW);
    if (!started.ok) throw new Error("no notice");
    await saveNoticeDraft(w.officer, id, started.noticeId, { messageNl: "Alleen Nederlands", messageEn: "" }, NOW);
    const result = await sendNoticeBatch(w.officer, id, started.noticeId, { lateReason: "", cursor: "" }, NOW);
    expect(result).toMatchObject({ ok: false, blockers: [{ kind: "message_missing", language: "en", customers: 1 }] });
  });
});

describe("the customer in the portal", () => {
  it("sees the notice, its authority clock and the AP form fields, acknowledges, asks; staff answer in the same thread", async () => {
    const w = world();
    const { id } = await logged(w);
    const started = await startNotice(w.officer, id, NOW);
    if (!started.ok) throw new Error("no notice");
    await sendAll(w, id, started.noticeId);
    const portal = await seedPortalUser(app.db, w.ws.id, w.standard.id);
    const actor = {
      kind: "portal" as const,
      userId: portal.userId,
      name: "Portal contact",
      email: portal.email,
      workspaceId: w.ws.id,
      customerId: w.standard.id,
    };

    const list = await listPortalBreaches(actor, NOW);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ reference: "INC-2026-0001", unacknowledged: 1, authority: { state: "on_time" } });
    expect(list[0].authority!.deadline.due).toBe("2026-03-30T15:00:00.000Z");

    const view = await getPortalBreach(actor, id, "nl", NOW);
    expect(view.notices).toHaveLength(1);
    expect(view.fieldsText).toContain("Aantal betrokkenen (minimum – maximum): 120 – 450");
    expect(view.fieldsText).toContain("Plaatsgevonden bij subverwerker: Mailhost B.V.");

    const delivery = view.notices[0];
    expect(await acknowledgeNotice(actor, id, delivery.id, "2026-03-28T16:00:00.000Z")).toEqual({ ok: true, already: false });
    expect(await acknowledgeNotice(actor, id, delivery.id, "2026-03-28T17:00:00.000Z")).toEqual({ ok: true, already: true });
    expect(app.db.select().from(breachNoticeDeliveries).where(eq(breachNoticeDeliveries.id, delivery.id)).get()).toMatchObject({
      acknowledgedAt: "2026-03-28T16:00:00.000Z",
      acknowledgedByUserId: portal.userId,
      acknowledgedByName: "Portal contact",
    });

    const asked = await askQuestion(actor, id, { question: "Zijn er ook bijlagen ingezien?" }, "2026-03-28T16:05:00.000Z");
    if (!asked.ok) throw new Error("not asked");
    const detail = await getBreachDetail(w.officer, id, BreachDetailQuery.parse({}), NOW);
    expect(detail.questions.map((q) => q.question)).toEqual(["Zijn er ook bijlagen ingezien?"]);
    expect(
      await answerQuestion(w.officer, id, { questionId: asked.questionId, answer: "Nee, alleen de berichten zelf." }, "2026-03-28T16:30:00.000Z")
    ).toMatchObject({ ok: true });
    expect(app.db.select().from(breachQuestions).get()).toMatchObject({ answer: "Nee, alleen de berichten zelf.", answeredByName: w.officer.name });
    expect(app.db.select().from(outbox).where(eq(outbox.kind, "breach_answer")).all()[0].toAddresses).toContain(portal.email);
    expect((await getPortalBreach(actor, id, "en", NOW)).thread[0].answer).toBe("Nee, alleen de berichten zelf.");

    expect(await recordAuthorityOutcome(actor, id, { outcome: "notified", at: "2026-03-29T10:00" }, "2026-03-29T12:00:00.000Z")).toEqual({ ok: true });
    const after = await listPortalBreaches(actor, "2026-04-10T00:00:00.000Z");
    expect(after[0].authority!.state).toBe("reported_on_time");

    const letter = await portalLetterPdf(actor, id, delivery.id);
    expect(letter.filename).toBe("INC-2026-0001-melding-1.pdf");
  });

  it("is 404 for a breach the customer was not notified of, and for another customer's breach", async () => {
    const w = world();
    const { id } = await logged(w);
    const started = await startNotice(w.officer, id, NOW);
    if (!started.ok) throw new Error("no notice");
    await sendNoticeBatch(w.officer, id, started.noticeId, { lateReason: "", cursor: "", customerId: w.standard.id }, NOW);
    const negotiatedPortal = await seedPortalUser(app.db, w.ws.id, w.negotiated.id);
    const notNotified = {
      kind: "portal" as const,
      userId: negotiatedPortal.userId,
      name: "x",
      email: negotiatedPortal.email,
      workspaceId: w.ws.id,
      customerId: w.negotiated.id,
    };
    expect((await thrownResponse(getPortalBreach(notNotified, id, "nl", NOW))).status).toBe(404);
    expect(await listPortalBreaches(notNotified, NOW)).toEqual([]);
    const otherPortal = await seedPortalUser(app.db, w.ws.id, w.helpdeskOnly.id);
    const other = {
      kind: "portal" as const,
      userId: otherPortal.userId,
      name: "y",
      email: otherPortal.email,
      workspaceId: w.ws.id,
      customerId: w.helpdeskOnly.id,
    };
    const delivery = app.db.select().from(breachNoticeDeliveries).get()!;
    expect((await thrownResponse(acknowledgeNotice(other, id, delivery.id, NOW))).status).toBe(404);
    expect((await thrownResponse(portalLetterPdf(other, id, delivery.id))).status).toBe(404);
    expect((await thrownResponse(askQuestion(other, id, { question: "Mag ik meelezen?" }, NOW))).status).toBe(404);
    expect(app.db.select({ n: count() }).from(breachQuestions).get()!.n).toBe(0);
  });
});

describe("scoping and permissions", () => {
  it("is 404 for another workspace's staff, 403 for an auditor who writes, and auditors read and export", async () => {
    const w = world();
    const other = world();
    const { id } = await logged(w);
    expect((await thrownResponse(getBreachDetail(other.officer, id, BreachDetailQuery.parse({}), NOW))).status).toBe(404);
    expect((await thrownResponse(getBreachCustomer(other.officer, id, w.standard.id, NOW))).status).toBe(404);
    expect((await thrownResponse(updateBreach(other.officer, id, values(form({ subprocessorId: other.sp })), NOW))).status).toBe(404);
    expect((await thrownResponse(startNotice(other.officer, id, NOW))).status).toBe(404);
    expect((await thrownResponse(logBreach(w.auditor, values(form({ subprocessorId: w.sp })), NOW))).status).toBe(403);
    expect((await thrownResponse(startNotice(w.auditor, id, NOW))).status).toBe(403);
    expect(
      (await thrownResponse(adjustAffectedCustomer(w.auditor, id, { intent: "remove", customerId: w.standard.id, reason: "Auditor probeert iets." }, NOW)))
        .status
    ).toBe(403);
    expect((await getBreachDetail(w.auditor, id, BreachDetailQuery.parse({}), NOW)).counts.affected).toBe(2);
    expect((await breachRegisterCsv(w.auditor, RegisterQuery.parse({}), "nl", NOW)).count).toBe(1);
    expect((await breachDashboard(other.officer, { page: 1 }, NOW)).total).toBe(0);
    expect((await thrownResponse(staffLetterPdf(other.officer, id, newId()))).status).toBe(404);
  });

  it("refuses the detail action of an auditor with 403 through the route", async () => {
    const w = world();
    const { id } = await logged(w);
    const auditor = await seedStaffUser(app.db, w.ws.id, "auditor");
    const cookie = await signInCookie(auditor.email);
    const body = new FormData();
    body.set("intent", "notice");
    const response = await thrownResponse(
      breachDetailAction({
        request: requestWithCookie(cookie, `/breaches/${id}`, { method: "POST", body }),
        params: { breachId: id },
        context,
      }) as Promise<Response>
    );
    expect(response.status).toBe(403);
    expect(countRows(breachNotices)).toBe(0);
  });
});

describe("dashboard, closing and the register", () => {
  it("orders open breaches by the nearest unmet deadline and refuses to close while customers are not notified", async () => {
    const w = world();
    const later = await logged(w, { shouldHaveKnownAt: "", discoveredAt: "2026-03-28T15:30" });
    const sooner = await logged(w);
    const dashboard = await breachDashboard(w.officer, { page: 1 }, NOW);
    expect(dashboard.breaches.map((b) => b.id)).toEqual([sooner.id, later.id]);
    expect(dashboard.breaches.map((b) => [b.affected, b.notified, b.overdue])).toEqual([
      [2, 0, 0],
      [2, 0, 0],
    ]);
    expect(dashboard.breaches[0].next).toMatchObject({ customerName: "Beta BV", due: "2026-03-28T23:00:00.000Z", state: "on_time" });
    const overdue = await breachDashboard(w.officer, { page: 1 }, "2026-03-29T12:00:00.000Z");
    expect(overdue.breaches.map((b) => b.overdue)).toEqual([2, 1]);
    expect(dashboard.upcoming[0]).toMatchObject({ breachId: sooner.id, customerName: "Beta BV", state: "on_time" });
    const refused = await closeBreach(w.officer, sooner.id, { closingNote: "Te vroeg afgesloten." }, NOW);
    expect(refused).toMatchObject({ ok: false, errors: { form: "breaches.error.closePending" }, pending: 2 });
    expect(app.db.select().from(breaches).where(eq(breaches.id, sooner.id)).get()!.status).toBe("open");
  });

  it("exports every breach and non-breach incident with decisions and reasoning as formula-safe UTF-8 CSV", async () => {
    const w = world();
    await logged(w, { title: '=HYPERLINK("http://evil.example")' });
    await logged(w, { classification: "not_breach", classificationReasoning: "Versleuteld, dus onleesbaar.", breachTypes: [], title: "Laptop verloren" });
    const { csv, count: n } = await breachRegisterCsv(w.officer, RegisterQuery.parse({}), "nl", NOW);
    expect(n).toBe(2);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).split("\r\n");
    expect(lines[0].startsWith("Referentie,Titel,Beoordeling,Motivering beoordeling")).toBe(true);
    expect(csv).toContain('INC-2026-0002,Laptop verloren,geen datalek,"Versleuteld, dus onleesbaar."');
    expect(csv).toContain(`INC-2026-0001,"'=HYPERLINK(""http://evil.example"")",datalek`);
    const filtered = await listRegister(w.officer, RegisterQuery.parse({ classification: "not_breach" }));
    expect(filtered.entries.map((e) => e.facts.title)).toEqual(["Laptop verloren"]);
    expect(app.db.select().from(auditEvents).where(eq(auditEvents.action, "register.exported")).all()).toHaveLength(1);
  });
});

describe("scale", () => {
  it("creates a breach affecting 10,000 customers with every clock in one transaction", async () => {
    const w = world();
    const sqlite = app.db.$client;
    const insertCustomer = sqlite.prepare(
      "insert into customers (id, workspace_id, name, name_key, contract_start, created_at, updated_at, terms_version_id, notification_emails) values (?, ?, ?, ?, '2026-01-01', ?, ?, ?, '[]')"
    );
    const insertUse = sqlite.prepare("insert into customer_services (customer_id, service_id, workspace_id) values (?, ?, ?)");
    sqlite.transaction(() => {
      for (let i = 0; i < 10_000 - 2; i++) {
        const id = newId();
        insertCustomer.run(id, w.ws.id, `Klant ${i}`, `klant ${i}`, SEED, SEED, w.v1);
        insertUse.run(id, w.forms, w.ws.id);
      }
    })();
    const started = performance.now();
    const result = await logged(w);
    const ms = performance.now() - started;
    expect(result.affected).toBe(10_000);
    const groups = app.db
      .select({ due: breachCustomers.noticeDue, n: count() })
      .from(breachCustomers)
      .where(eq(breachCustomers.breachId, result.id))
      .groupBy(breachCustomers.noticeDue)
      .orderBy(asc(breachCustomers.noticeDue))
      .all();
    expect(groups).toEqual([
      { due: "2026-03-28T23:00:00.000Z", n: 1 },
      { due: "2026-03-29T11:00:00.000Z", n: 9_999 },
    ]);
    // the benchmark holds the < 1 s goal; here only a bound that a shared test machine keeps
    expect(ms).toBeLessThan(5_000);
    const detail = await getBreachDetail(w.officer, result.id, BreachDetailQuery.parse({}), NOW);
    expect(detail.customers).toHaveLength(25);
    expect(detail.counts.on_time).toBe(10_000);
    expect(path.isAbsolute(app.dir)).toBe(true);
  });
});

describe("dashboard: what is due next", () => {
  it("lists the open notice deadlines nearest first, per customer, until each is notified", async () => {
    const w = world();
    const { id } = await logged(w);
    const before = await dashboardOverview(w.officer, NOW);
    expect(before.dueNext.map((d) => d.customerName).sort()).toEqual(["Alfa BV", "Beta BV"]);
    expect(before.dueNext.every((d) => d.breachId === id && d.state === "on_time")).toBe(true);
    const dues = before.dueNext.map((d) => d.due);
    expect(dues).toEqual([...dues].sort());
    const late = await dashboardOverview(w.officer, "2026-04-05T00:00:00.000Z");
    expect(late.dueNext.every((d) => d.state === "overdue")).toBe(true);
    const started = await startNotice(w.officer, id, NOW);
    if (!started.ok) throw new Error("no notice");
    await sendAll(w, id, started.noticeId);
    expect((await dashboardOverview(w.officer, NOW)).dueNext).toEqual([]);
  });
});
