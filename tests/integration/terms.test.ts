/**
 * Terms versions, negotiated deviations and the internal target, through the services (and, for
 * the permission checks of the routes, through their actions with a real session cookie).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, customers, termDeviations, termsVersions, workspaces } from "../../db/schema";
import { demoNegotiatedTerms, seedTermsProfiles, type SeedWorkspaceSlug } from "../../db/seed/terms-profiles";
import type { Actor } from "~/domain/permissions";
import { getTermsField, TERMS_FIELD_PATHS, termsProfileSchema, type TermsProfile } from "~/domain/terms";
import { action as customerTermsAction } from "~/routes/_staff.customers.$customerId_.terms";
import { action as newVersionAction } from "~/routes/_staff.terms.new";
import { newId } from "~/services/ids.server";
import {
  formDataToFormValues,
  formValuesToFormData,
  parseTermsForm,
  parseTermsValue,
  termsProfileToFormValues,
  termsValueToFormValues,
  type TermsFormValues,
} from "~/services/terms-form";
import * as termsService from "~/services/terms.server";
import { itemOptionsInOrder } from "~/components/terms-view";
import {
  addDeviation,
  compareTermsVersions,
  createTermsVersion,
  customersOnVersion,
  getCustomerTerms,
  getInternalTarget,
  getNewTermsVersionForm,
  getTermsOverview,
  getTermsVersion,
  listTermsVersions,
  removeDeviation,
  termsFieldEditor,
  updateInternalTarget,
} from "~/services/terms.server";
import { seedCustomer, seedStaff, seedWorkspace } from "../helpers/db";
import { requestWithCookie, seedPortalUser, seedStaffUser, signInCookie, thrownResponse, setupTestApp } from "../helpers/app";

const app = setupTestApp();

/** Friday 15 May 2026, 12:00 in Amsterdam (CEST). */
const NOW = "2026-05-15T10:00:00.000Z";
const TODAY = "2026-05-15";

/** What server.ts passes to every loader and action. */
const context = { cspNonce: "test-nonce", clientIp: "192.0.2.1" };

function insertVersion(workspaceId: string, version: number, profile: TermsProfile, effectiveDate = "2024-01-01"): string {
  const id = newId();
  app.db
    .insert(termsVersions)
    .values({ id, workspaceId, version, content: JSON.stringify(profile), reason: `Versie ${version}`, effectiveDate, createdAt: "2026-01-05T09:00:00.000Z" })
    .run();
  return id;
}

function setup(slug: SeedWorkspaceSlug = "leadcube") {
  const workspace = seedWorkspace(app.db);
  const v1 = insertVersion(workspace.id, 1, seedTermsProfiles[slug]);
  const customer = seedCustomer(app.db, workspace.id, { termsVersionId: v1, contractStart: "2026-01-01", contractTermMonths: 12 });
  return {
    workspace,
    v1,
    customer,
    admin: seedStaff(app.db, workspace.id, "admin"),
    officer: seedStaff(app.db, workspace.id, "privacy_officer"),
    auditor: seedStaff(app.db, workspace.id, "auditor"),
  };
}

function auditOf(action: string) {
  return app.db.select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(asc(auditEvents.id)).all();
}

function versionRows(workspaceId: string) {
  return app.db.select().from(termsVersions).where(eq(termsVersions.workspaceId, workspaceId)).orderBy(asc(termsVersions.version)).all();
}

/** A new-version submission, as the browser would send it: the form of `profile`, with changes. */
function submission(profile: TermsProfile, changes: TermsFormValues = {}, meta: { reason?: string; effectiveDate?: string } = {}) {
  const values = { ...termsProfileToFormValues(profile), reason: meta.reason ?? "Nieuwe voorwaarden AV2026-1", effectiveDate: meta.effectiveDate ?? "2026-06-01", ...changes };
  const parsed = parseTermsForm(formValuesToFormData(values));
  return { content: parsed.content, reason: parsed.reason, effectiveDate: parsed.effectiveDate, formIssues: parsed.issues };
}

function paths(result: termsService.CreateTermsVersionResult | termsService.DeviationResult): string[] {
  if (result.ok) throw new Error("expected the request to be refused");
  return result.issues.map((issue) => issue.path);
}

// ---------------------------------------------------------------------------------------

describe("the form parser", () => {
  it.each(Object.entries(seedTermsProfiles))("round-trips the %s seed profile through form fields", (_slug, profile) => {
    const values = termsProfileToFormValues(profile);
    const parsed = parseTermsForm(formValuesToFormData(values));
    expect(parsed.issues).toEqual([]);
    expect(parsed.content).toStrictEqual(profile);
    expect(termsProfileSchema.parse(parsed.content)).toStrictEqual(profile);
    // what the browser sends back after a refused submission round-trips as well
    expect(formDataToFormValues(formValuesToFormData(values))).toEqual(values);
  });

  it.each(Object.entries(seedTermsProfiles))("round-trips every single field of %s as a deviation value", (_slug, profile) => {
    for (const path of TERMS_FIELD_PATHS) {
      const value = getTermsField(profile, path).value;
      const parsed = parseTermsValue(path, formValuesToFormData(termsValueToFormValues(path, value)));
      expect(parsed, path).toStrictEqual({ value, issues: [] });
    }
  });

  it("keeps the stored order of notice items when the browser sends the checkboxes in page order", () => {
    for (const profile of Object.values(seedTermsProfiles)) {
      const stored = profile.breachNoticeContents.value;
      const editor = termsFieldEditor("breachNoticeContents");
      const inPageOrder = itemOptionsInOrder(editor.options, [...stored]).filter((option) => stored.includes(option.value as never));
      const form = formValuesToFormData({ "breachNoticeContents.value": inPageOrder.map((option) => option.value) });
      expect(parseTermsValue("breachNoticeContents", form).value).toEqual(stored);
      // every item is offered exactly once
      expect(itemOptionsInOrder(editor.options, [...stored]).map((o) => o.value).sort()).toEqual(editor.options.map((o) => o.value).sort());
    }
  });

  it("reads textareas sent with CRLF line breaks as the LF text the profile stores", () => {
    const profile = seedTermsProfiles.elementon;
    const values = termsProfileToFormValues(profile);
    const crlf = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v.replace(/\n/g, "\r\n") : v]));
    expect(parseTermsForm(formValuesToFormData(crlf)).content).toStrictEqual(profile);
  });

  it("drops U+FFFD and NUL that a damaged page would send back, so they never reach a stored version", () => {
    const profile = seedTermsProfiles["lai-media"];
    const values = termsProfileToFormValues(profile);
    const damaged = {
      ...values,
      "dpaChangeNotice.value.text.nl": (values["dpaChangeNotice.value.text.nl"] as string).replace("één", "é\uFFFDén"),
      "mainContract.renewalMonths.quote": `\u0000\uFFFD${values["mainContract.renewalMonths.quote"] as string}`,
    };
    expect(parseTermsForm(formValuesToFormData(damaged)).content).toStrictEqual(profile);
  });

  it("reports empty and non-numeric amounts on the field's path, and 'no limit' ignores the number", () => {
    const values = termsProfileToFormValues(seedTermsProfiles.leadcube);
    const parsed = parseTermsForm(
      formValuesToFormData({
        ...values,
        "breachNoticeHours.value": "",
        "endOfContract.deletionDeadline.value.amount": "vier",
        "authorityDeadlineHours.none": "true",
        "authorityDeadlineHours.value": "48",
      }),
    );
    expect(parsed.issues.map((i) => i.path)).toEqual(["breachNoticeHours", "endOfContract.deletionDeadline.amount"]);
    expect(parsed.issues[0].message.nl).toContain("Vul een getal in");
    expect(parsed.issues[1].message.en).toContain("not a number");
    expect((parsed.content as TermsProfile).authorityDeadlineHours.value).toBeNull();
  });

  it("builds the by-term-length notice rule and an objection window from their inputs", () => {
    const values = termsProfileToFormValues(seedTermsProfiles["lai-media"]);
    const parsed = parseTermsForm(
      formValuesToFormData({
        ...values,
        "mainContract.notice.value.kind": "by_term_length",
        "mainContract.notice.value.maxShortTermMonths": "6",
        "mainContract.notice.value.shortTermNoticeMonths": "1",
        "mainContract.notice.value.longTermNoticeMonths": "3",
        "objectionWindow.value.amount": "30",
        "objectionWindow.value.unit": "days",
      }),
    );
    const content = parsed.content as TermsProfile;
    expect(content.mainContract.notice.value).toEqual({ kind: "by_term_length", maxShortTermMonths: 6, shortTermNoticeMonths: 1, longTermNoticeMonths: 3 });
    expect(content.objectionWindow.value).toEqual({ amount: 30, unit: "days", from: "notice_sent" });
  });
});

// ---------------------------------------------------------------------------------------

describe("terms versions", () => {
  it("offer no way to change a stored version: the service's only update is the workspace's internal target", () => {
    const writers = Object.keys(termsService).filter((name) => /^(update|edit|change|delete|remove|set|replace|patch)/i.test(name));
    expect(writers.sort()).toEqual(["removeDeviation", "updateInternalTarget"]);
    // and no statement anywhere in the service writes to an existing version row
    const source = readFileSync(fileURLToPath(new URL("../../app/services/terms.server.ts", import.meta.url)), "utf8");
    expect(source).not.toMatch(/\.(update|delete)\(\s*termsVersions\s*\)/);
    expect(source).toMatch(/\.insert\(termsVersions\)/);
  });

  it("creating v2 leaves v1 byte-identical, and customers on v1 keep v1 and its clocks", async () => {
    const { workspace, v1, customer, officer } = setup("leadcube");
    const before = versionRows(workspace.id)[0];
    const profile = seedTermsProfiles.leadcube;

    const result = await createTermsVersion(
      officer,
      submission(profile, { "breachNoticeHours.value": "36", "mainContract.notice.value.months": "2" }, { reason: "AV2026-1: langere termijnen" }),
      NOW,
    );
    expect(result).toMatchObject({ ok: true, version: 2, previousVersion: 1 });

    const rows = versionRows(workspace.id);
    expect(rows.map((r) => r.version)).toEqual([1, 2]);
    expect(rows[0]).toStrictEqual(before);
    expect(rows[1]).toMatchObject({ reason: "AV2026-1: langere termijnen", effectiveDate: "2026-06-01", createdByUserId: officer.userId, createdAt: NOW });
    expect(JSON.parse(rows[1].content)).toMatchObject({ breachNoticeHours: { value: 36 }, mainContract: { notice: { value: { kind: "fixed", months: 2 } } } });

    // the customer's DPA still refers to v1, and every clock of that customer runs on v1
    expect(app.db.select().from(customers).where(eq(customers.id, customer.id)).get()?.termsVersionId).toBe(v1);
    const onV1 = await getCustomerTerms(officer, customer.id, NOW);
    expect(onV1.version?.version).toBe(1);
    expect(onV1.effective?.breachNoticeHours.value).toBe(24);
    expect(onV1.contractClock).toMatchObject({ kind: "running", termLastDay: "2026-12-31", lastNoticeDay: { due: "2026-11-30" } });
    const breach = onV1.examples.find((e) => e.key === "breachNotice");
    expect(breach).toMatchObject({ kind: "deadline", deadline: { deadline: { amount: 24, basis: { kind: "contractual", source: "profile", version: 1, article: "VO 7.5" } } } });

    // a customer signed under v2 gets v2's clocks
    const rowV2 = rows[1];
    const later = seedCustomer(app.db, workspace.id, { name: "Nieuwe Klant", termsVersionId: rowV2.id, contractStart: "2026-01-01", contractTermMonths: 12 });
    const onV2 = await getCustomerTerms(officer, later.id, NOW);
    expect(onV2.contractClock).toMatchObject({ kind: "running", lastNoticeDay: { due: "2026-10-31" } });
    expect(onV2.contractClock?.kind === "running" && onV2.contractClock.lastNoticeDay?.explanation.nl).toBe(
      "2 maanden vóór 31-12-2026 (art. 5.3.4 algemene voorwaarden) → 31-10-2026",
    );

    const [event] = auditOf("terms_version.created");
    expect(event).toMatchObject({ workspaceId: workspace.id, actorUserId: officer.userId, entityId: result.ok ? result.id : "", at: NOW });
    expect(JSON.parse(event.data)).toMatchObject({ version: 2, previousVersion: 1, changedFields: ["breachNoticeHours", "mainContract.notice"] });

    const versions = await listTermsVersions(officer, NOW);
    expect(versions.map((v) => [v.version, v.customerCount, v.upcoming])).toEqual([
      [2, 1, true],
      [1, 1, false],
    ]);
    const overview = await getTermsOverview(officer, NOW);
    expect(overview.current?.version).toBe(1);

    const comparison = await compareTermsVersions(officer, 1, 2, NOW);
    expect(comparison.changes.map((c) => [c.path, c.before.value.nl, c.after.value.nl])).toEqual([
      ["breachNoticeHours", "24 uur", "36 uur"],
      ["mainContract.notice", "1 maand vóór het einde van de looptijd", "2 maanden vóór het einde van de looptijd"],
    ]);
  });

  it("refuses an effective date in the past and stores nothing", async () => {
    const { workspace, officer } = setup();
    const result = await createTermsVersion(officer, submission(seedTermsProfiles.leadcube, { "breachNoticeHours.value": "12" }, { effectiveDate: "2026-05-14" }), NOW);
    expect(paths(result)).toEqual(["effectiveDate"]);
    expect(!result.ok && result.issues[0].message.nl).toContain("in het verleden");
    expect(versionRows(workspace.id)).toHaveLength(1);
    expect(auditOf("terms_version.created")).toHaveLength(0);
    // today itself is fine (Amsterdam date of now: 00:30 CEST on the 16th is still the 15th in UTC)
    const late = await createTermsVersion(officer, submission(seedTermsProfiles.leadcube, { "breachNoticeHours.value": "12" }, { effectiveDate: "2026-05-16" }), "2026-05-15T22:30:00.000Z");
    expect(late).toMatchObject({ ok: true, version: 2 });
  });

  it("refuses negative hours and a window of zero with an error on each field, and stores nothing", async () => {
    const { workspace, officer } = setup("lai-media");
    const result = await createTermsVersion(
      officer,
      submission(seedTermsProfiles["lai-media"], { "breachNoticeHours.none": "", "breachNoticeHours.value": "-4", "objectionWindow.value.amount": "0" }),
      NOW,
    );
    expect(paths(result).sort()).toEqual(["breachNoticeHours", "objectionWindow.amount"]);
    expect(!result.ok && result.issues.find((i) => i.path === "breachNoticeHours")?.message.en).toBe("The number of hours must be greater than 0.");
    expect(versionRows(workspace.id)).toHaveLength(1);
    expect(auditOf("terms_version.created")).toHaveLength(0);
  });

  it("reports every problem in one round, also when a number could not be read", async () => {
    const { officer } = setup();
    const result = await createTermsVersion(
      officer,
      submission(seedTermsProfiles.leadcube, { "breachNoticeHours.value": "-5", "endOfContract.deletionDeadline.value.amount": "" }, { reason: "", effectiveDate: "2020-01-01" }),
      NOW,
    );
    expect(paths(result).sort()).toEqual(["breachNoticeHours", "effectiveDate", "endOfContract.deletionDeadline.amount", "reason"]);
  });

  it("refuses a version identical to the previous one, a missing reason, a date before the previous version's, and unreadable numbers", async () => {
    const { workspace, officer } = setup();
    const profile = seedTermsProfiles.leadcube;
    expect(paths(await createTermsVersion(officer, submission(profile), NOW))).toEqual([""]);
    expect(paths(await createTermsVersion(officer, submission(profile, { "breachNoticeHours.value": "12" }, { reason: "  " }), NOW))).toEqual(["reason"]);
    expect(paths(await createTermsVersion(officer, submission(profile, { "breachNoticeHours.value": "" }), NOW))).toEqual(["breachNoticeHours"]);
    expect(paths(await createTermsVersion(officer, submission(profile, { "breachNoticeHours.value": "12" }, { effectiveDate: "31-12-2026" }), NOW))).toEqual(["effectiveDate"]);
    expect(versionRows(workspace.id)).toHaveLength(1);

    expect(await createTermsVersion(officer, submission(profile, { "breachNoticeHours.value": "12" }, { effectiveDate: "2026-09-01" }), NOW)).toMatchObject({ ok: true, version: 2 });
    const early = await createTermsVersion(officer, submission(profile, { "breachNoticeHours.value": "6" }, { effectiveDate: "2026-07-01" }), NOW);
    expect(paths(early)).toEqual(["effectiveDate"]);
    expect(!early.ok && early.issues[0].message.nl).toContain("v2");
    expect(versionRows(workspace.id)).toHaveLength(2);
  });

  it("has a label in both languages for every choice and every 'no value' option of the form", () => {
    for (const path of TERMS_FIELD_PATHS) {
      const editor = termsFieldEditor(path);
      const labels = [...editor.options.map((o) => o.label), ...(editor.noneLabel ? [editor.noneLabel] : [])];
      for (const label of labels) {
        expect(label.nl, path).not.toMatch(/^terms\./);
        expect(label.en, path).not.toMatch(/^terms\./);
        expect(label.nl, path).not.toBe(label.en);
      }
    }
  });

  it("pre-fills the new-version form from the newest version", async () => {
    const { officer } = setup("klantgenerator");
    const form = await getNewTermsVersionForm(officer, NOW);
    expect(form.base?.version).toBe(1);
    expect(form.values).toMatchObject({ "breachNoticeHours.value": "48", "mainContract.notice.value.kind": "by_term_length", effectiveDate: TODAY, reason: "" });
    expect(form.groups.map((g) => g.key)).toEqual(["breach", "subprocessors", "transfers", "endOfContract", "audits", "dpaChanges", "liability", "mainContract"]);
    expect(form.groups.flatMap((g) => g.fields.map((f) => f.path)).sort()).toEqual([...TERMS_FIELD_PATHS].sort());
  });

  it("shows a version grouped, with the internal target labelled where the terms set no hour limit", async () => {
    const { officer } = setup("lai-media");
    const detail = await getTermsVersion(officer, 1, NOW);
    const breach = detail.groups.find((g) => g.key === "breach")!.fields.find((f) => f.path === "breachNoticeHours")!;
    expect(breach).toMatchObject({ internal: true, value: { nl: "Geen contractuele urengrens → interne norm 24 uur" }, article: { nl: "art. 6.1 Bijlage 1" } });
    expect(breach.quote).toContain("zonder onredelijke vertraging");
    const window = detail.groups.find((g) => g.key === "subprocessors")!.fields.find((f) => f.path === "objectionWindow")!;
    expect(window).toMatchObject({ internal: false, value: { nl: "2 weken na verzending van de kennisgeving", en: "2 weeks after the notice was sent" } });
    expect(detail.notes).toContain("Bijlage 1A");
  });

  it("pages through the customers on a version by name", async () => {
    const { workspace, officer, customer } = setup();
    for (let i = 0; i < 29; i++) {
      const name = `Klant ${String(i).padStart(2, "0")}`;
      seedCustomer(app.db, workspace.id, { name, termsVersionId: versionRows(workspace.id)[0].id });
    }
    const first = await customersOnVersion(officer, 1);
    expect(first.total).toBe(30);
    expect(first.customers).toHaveLength(25);
    expect(first.customers[0].name).toBe(customer.name);
    expect(first.previous).toBeNull();
    const second = await customersOnVersion(officer, 1, { after: first.next });
    expect(second.customers.map((c) => c.name)).toEqual(["Klant 24", "Klant 25", "Klant 26", "Klant 27", "Klant 28"]);
    expect(second.next).toBeNull();
    const back = await customersOnVersion(officer, 1, { before: second.previous });
    expect(back.customers.map((c) => c.id)).toEqual(first.customers.map((c) => c.id));
  });
});

// ---------------------------------------------------------------------------------------

describe("access", () => {
  it("auditors read everything but cannot write: the services and the routes answer 403", async () => {
    const { workspace, customer, auditor } = setup();
    await expect(getTermsOverview(auditor, NOW)).resolves.toMatchObject({ canWrite: false });
    await expect(getCustomerTerms(auditor, customer.id, NOW)).resolves.toMatchObject({ canWrite: false });
    await expect(compareTermsVersions(auditor, 1, 1, NOW)).resolves.toMatchObject({ changes: [] });
    const refused = [
      getNewTermsVersionForm(auditor, NOW),
      createTermsVersion(auditor, submission(seedTermsProfiles.leadcube, { "breachNoticeHours.value": "12" }), NOW),
      addDeviation(auditor, customer.id, { field: "breachNoticeHours", value: 12, reason: "r", clause: "c" }, NOW),
      removeDeviation(auditor, customer.id, "any", NOW),
      updateInternalTarget(auditor, 12, NOW),
      getInternalTarget(auditor),
    ];
    for (const call of refused) expect((await thrownResponse(call)).status).toBe(403);

    const user = await seedStaffUser(app.db, workspace.id, "auditor");
    const cookie = await signInCookie(user.email);
    const form = new FormData();
    form.set("intent", "add");
    form.set("field", "breachNoticeHours");
    form.set("breachNoticeHours.value", "12");
    form.set("reason", "Side letter");
    form.set("clause", "art. 3.2");
    const post = (path: string, body: FormData) => requestWithCookie(cookie, path, { method: "POST", body });
    const customerPost = customerTermsAction({ request: post(`/customers/${customer.id}/terms`, form), params: { customerId: customer.id }, context });
    expect((await thrownResponse(customerPost)).status).toBe(403);
    const versionPost = newVersionAction({ request: post("/terms/new", formValuesToFormData(termsProfileToFormValues(seedTermsProfiles.leadcube))), params: {}, context });
    expect((await thrownResponse(versionPost)).status).toBe(403);
    expect(app.db.select().from(termDeviations).all()).toHaveLength(0);
    expect(versionRows(workspace.id)).toHaveLength(1);
  });

  it("portal users get 404 from every function, and from the routes", async () => {
    const { workspace, customer } = setup();
    const portal: Actor = { kind: "portal", userId: newId(), name: "Klant", email: "k@example.test", workspaceId: workspace.id, customerId: customer.id };
    const calls = [
      listTermsVersions(portal, NOW),
      getTermsOverview(portal, NOW),
      getTermsVersion(portal, 1, NOW),
      compareTermsVersions(portal, 1, 1, NOW),
      customersOnVersion(portal, 1),
      getNewTermsVersionForm(portal, NOW),
      createTermsVersion(portal, submission(seedTermsProfiles.leadcube), NOW),
      getCustomerTerms(portal, customer.id, NOW),
      addDeviation(portal, customer.id, { field: "breachNoticeHours", value: 12, reason: "r", clause: "c" }, NOW),
      removeDeviation(portal, customer.id, "any", NOW),
      getInternalTarget(portal),
      updateInternalTarget(portal, 12, NOW),
    ];
    for (const call of calls) expect((await thrownResponse(call)).status).toBe(404);

    const user = await seedPortalUser(app.db, workspace.id, customer.id);
    const request = requestWithCookie(await signInCookie(user.email), `/customers/${customer.id}/terms`, { method: "POST", body: new FormData() });
    expect((await thrownResponse(customerTermsAction({ request, params: { customerId: customer.id }, context }))).status).toBe(404);
  });

  it("another workspace's customers, deviations and versions are 404", async () => {
    const mine = setup();
    const theirs = setup("elementon");
    insertVersion(theirs.workspace.id, 2, seedTermsProfiles.elementon, "2026-06-01");
    const added = await addDeviation(theirs.officer, theirs.customer.id, { field: "breachNoticeHours", value: 8, reason: "r", clause: "c" }, NOW);
    if (!added.ok) throw new Error("setup failed");

    const me = mine.officer;
    expect((await thrownResponse(getCustomerTerms(me, theirs.customer.id, NOW))).status).toBe(404);
    expect((await thrownResponse(addDeviation(me, theirs.customer.id, { field: "breachNoticeHours", value: 12, reason: "r", clause: "c" }, NOW))).status).toBe(404);
    expect((await thrownResponse(removeDeviation(me, theirs.customer.id, added.id, NOW))).status).toBe(404);
    expect((await thrownResponse(removeDeviation(me, mine.customer.id, added.id, NOW))).status).toBe(404);
    expect((await thrownResponse(getTermsVersion(me, 2, NOW))).status).toBe(404);
    expect((await thrownResponse(compareTermsVersions(me, 1, 2, NOW))).status).toBe(404);
    expect((await thrownResponse(customersOnVersion(me, 2))).status).toBe(404);
    expect(app.db.select().from(termDeviations).all()).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------

describe("negotiated deviations", () => {
  it("a Leadcube customer with 12 h negotiated gets a 12 h breach deadline whose basis says negotiated; removing it restores 24 h", async () => {
    const { workspace, customer, officer } = setup("leadcube");
    const negotiated = demoNegotiatedTerms.find((d) => d.workspaceSlug === "leadcube")!.deviations[0];
    const value = parseTermsValue("breachNoticeHours", formValuesToFormData({ "breachNoticeHours.value": "12" }));
    const added = await addDeviation(officer, customer.id, { field: "breachNoticeHours", value: value.value, reason: negotiated.reason, clause: negotiated.clause }, NOW);
    expect(added.ok).toBe(true);

    const terms = await getCustomerTerms(officer, customer.id, NOW);
    expect(terms.effective?.breachNoticeHours).toEqual({ value: 12, source: { kind: "negotiated", clause: negotiated.clause, reason: negotiated.reason } });
    const field = terms.groups.find((g) => g.key === "breach")!.fields.find((f) => f.path === "breachNoticeHours")!;
    expect(field).toMatchObject({ value: { nl: "12 uur" }, internal: false, source: { kind: "negotiated", clause: negotiated.clause } });
    expect(terms.deviations).toMatchObject([{ field: "breachNoticeHours", value: { en: "12 hours" }, clause: negotiated.clause }]);
    const breach = terms.examples.find((e) => e.key === "breachNotice");
    if (breach?.kind !== "deadline") throw new Error("expected a breach deadline");
    expect(breach.deadline.deadline).toMatchObject({ amount: 12, unit: "hours", start: { at: NOW }, due: "2026-05-15T22:00:00.000Z" });
    expect(breach.deadline.basis).toMatchObject({ kind: "contractual", source: "negotiated", clause: negotiated.clause });
    expect(breach.deadline.explanation.nl).toBe(`12 uur na 15-05-2026 12:00 CEST (onderhandeld: ${negotiated.clause}) → 16-05-2026 00:00 CEST`);
    expect(terms.deviationFields.map((f) => f.path)).not.toContain("breachNoticeHours");

    const [created] = auditOf("terms_deviation.created");
    expect(created).toMatchObject({ workspaceId: workspace.id, customerId: customer.id, actorUserId: officer.userId, entityId: added.ok ? added.id : "" });
    expect(JSON.parse(created.data)).toMatchObject({ field: "breachNoticeHours", value: 12, clause: negotiated.clause, termsVersion: 1 });

    expect(await removeDeviation(officer, customer.id, added.ok ? added.id : "", NOW)).toMatchObject({ ok: true });
    const restored = await getCustomerTerms(officer, customer.id, NOW);
    expect(restored.effective?.breachNoticeHours).toMatchObject({ value: 24, source: { kind: "profile", version: 1, article: "VO 7.5" } });
    const after = restored.examples.find((e) => e.key === "breachNotice");
    expect(after).toMatchObject({ deadline: { deadline: { amount: 24, basis: { source: "profile" } } } });
    const [removed] = auditOf("terms_deviation.removed");
    expect(removed).toMatchObject({ customerId: customer.id, entityId: added.ok ? added.id : "" });
    expect(JSON.parse(removed.data)).toMatchObject({ field: "breachNoticeHours", value: 12 });
    expect(app.db.select().from(termDeviations).all()).toHaveLength(0);
  });

  it("a negotiated 30-day objection window drives the customer's sub-processor clock", async () => {
    const { customer, officer } = setup("elementon");
    const before = await getCustomerTerms(officer, customer.id, NOW);
    expect(before.examples.find((e) => e.key === "objection")).toMatchObject({ kind: "status", text: { nl: expect.stringContaining("geen termijn") } });
    const added = await addDeviation(
      officer,
      customer.id,
      { field: "objectionWindow", value: { amount: 30, unit: "days", from: "notice_sent" }, reason: "Gemeentelijke inkoopvoorwaarden", clause: "Aanvullende verwerkersafspraken, art. 4.3" },
      NOW,
    );
    expect(added.ok).toBe(true);
    const terms = await getCustomerTerms(officer, customer.id, NOW);
    const objection = terms.examples.find((e) => e.key === "objection");
    expect(objection).toMatchObject({ kind: "deadline", deadline: { due: "2026-06-14", basis: { source: "negotiated" } } });
  });

  it("refuses invalid deviations with clear errors and stores nothing", async () => {
    const { customer, officer } = setup("leadcube");
    const add = (input: Partial<termsService.DeviationInput>) =>
      addDeviation(officer, customer.id, { field: "breachNoticeHours", value: 12, reason: "Grote klant", clause: "Side letter art. 3.2", ...input }, NOW);

    const negative = await add({ value: -3 });
    expect(paths(negative)).toEqual(["breachNoticeHours"]);
    expect(!negative.ok && negative.issues[0].message.nl).toBe("Het aantal uren moet groter dan 0 zijn.");
    expect(paths(await add({ reason: " ", clause: "" }))).toEqual(["reason", "clause"]);
    expect(paths(await add({ field: "breachNoticeMinutes" }))).toEqual(["field"]);
    const same = await add({ value: 24 });
    expect(paths(same)).toEqual(["breachNoticeHours"]);
    expect(!same.ok && same.issues[0].message.en).toContain("equals the one in version v1");
    // Leadcube needs prior consent per sub-processor: an objection window contradicts that
    const window = await add({ field: "objectionWindow", value: { amount: 14, unit: "days", from: "notice_sent" } });
    expect(paths(window)).toEqual(["objectionWindow"]);
    const zero = await add({ field: "endOfContract.deletionDeadline", value: { amount: 0, unit: "days" } });
    expect(paths(zero)).toEqual(["endOfContract.deletionDeadline.amount"]);
    const unreadable = parseTermsValue("breachNoticeHours", formValuesToFormData({ "breachNoticeHours.value": "twaalf" }));
    expect(paths(await add({ value: unreadable.value, formIssues: unreadable.issues }))).toEqual(["breachNoticeHours"]);
    expect(app.db.select().from(termDeviations).all()).toHaveLength(0);
    expect(auditOf("terms_deviation.created")).toHaveLength(0);

    expect((await add({})).ok).toBe(true);
    expect(paths(await add({ value: 6 }))).toEqual(["field"]);
    expect(app.db.select().from(termDeviations).all()).toHaveLength(1);
  });

  it("checks a deviation against the customer's other deviations, and refuses a removal that would leave contradicting terms", async () => {
    const { customer, officer } = setup("leadcube");
    const regime = await addDeviation(officer, customer.id, { field: "subprocessorRegime", value: "general_with_objection", reason: "Klantpapier", clause: "DPA klant art. 5" }, NOW);
    expect(regime.ok).toBe(true);
    const window = await addDeviation(
      officer,
      customer.id,
      { field: "objectionWindow", value: { amount: 4, unit: "weeks", from: "notice_sent" }, reason: "Klantpapier", clause: "DPA klant art. 5.2" },
      NOW,
    );
    expect(window.ok).toBe(true);
    const refused = await removeDeviation(officer, customer.id, regime.ok ? regime.id : "", NOW);
    expect(paths(refused)).toEqual([""]);
    expect(!refused.ok && refused.issues[0].message.nl).toContain("bezwaartermijn");
    expect(app.db.select().from(termDeviations).where(eq(termDeviations.customerId, customer.id)).all()).toHaveLength(2);
    expect(await removeDeviation(officer, customer.id, window.ok ? window.id : "", NOW)).toMatchObject({ ok: true });
    expect(await removeDeviation(officer, customer.id, regime.ok ? regime.id : "", NOW)).toMatchObject({ ok: true });
  });

  it("adds a deviation through the route without JavaScript: field inputs, reason and clause", async () => {
    const { workspace, customer } = setup("leadcube");
    const user = await seedStaffUser(app.db, workspace.id, "privacy_officer");
    const cookie = await signInCookie(user.email);
    const form = formValuesToFormData({
      intent: "add",
      field: "breachNoticeHours",
      "breachNoticeHours.value": "12",
      reason: "Eigen incidentteam",
      clause: "Side letter art. 3.2",
    });
    const request = requestWithCookie(cookie, `/customers/${customer.id}/terms`, { method: "POST", body: form });
    const response = (await customerTermsAction({ request, params: { customerId: customer.id }, context })) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/customers/${customer.id}/terms?done=added#deviations`);
    const rows = app.db.select().from(termDeviations).where(and(eq(termDeviations.customerId, customer.id), eq(termDeviations.field, "breachNoticeHours"))).all();
    expect(rows.map((r) => JSON.parse(r.value))).toEqual([12]);
  });
});

// ---------------------------------------------------------------------------------------

describe("the internal breach-notice target", () => {
  it("admins change it (audited); it drives the deadline of customers whose terms set no hour limit, labelled internal", async () => {
    const { workspace, customer, admin, officer } = setup("lai-media");
    expect(await getInternalTarget(admin)).toEqual({ hours: 24 });
    expect(await updateInternalTarget(admin, 12, NOW)).toEqual({ ok: true, hours: 12, changed: true });
    expect(app.db.select().from(workspaces).where(eq(workspaces.id, workspace.id)).get()?.internalBreachTargetHours).toBe(12);
    const [event] = auditOf("workspace.internal_breach_target_changed");
    expect(event).toMatchObject({ workspaceId: workspace.id, actorUserId: admin.userId, entityId: workspace.id });
    expect(JSON.parse(event.data)).toEqual({ before: 24, after: 12 });

    const terms = await getCustomerTerms(officer, customer.id, NOW);
    const breach = terms.examples.find((e) => e.key === "breachNotice");
    expect(breach).toMatchObject({ kind: "deadline", deadline: { deadline: { amount: 12 }, basis: { kind: "internal" } } });
    expect(breach?.kind === "deadline" && breach.deadline.explanation.en).toContain("internal target, not contractual");
    expect(terms.groups[0].fields[0]).toMatchObject({ internal: true, value: { en: "No contractual hour limit → internal target 12 hours" } });

    expect(await updateInternalTarget(admin, 12, NOW)).toEqual({ ok: true, hours: 12, changed: false });
    expect(auditOf("workspace.internal_breach_target_changed")).toHaveLength(1);
  });

  it("accepts whole hours from 1 to 720 only, and privacy officers cannot change it", async () => {
    const { admin, officer } = setup();
    for (const hours of [0, -1, 721, 1.5, Number.NaN]) {
      const result = await updateInternalTarget(admin, hours, NOW);
      expect(result, String(hours)).toMatchObject({ ok: false, issues: [{ path: "hours" }] });
    }
    expect(await updateInternalTarget(admin, 720, NOW)).toMatchObject({ ok: true, hours: 720 });
    expect(await updateInternalTarget(admin, 1, NOW)).toMatchObject({ ok: true, hours: 1 });
    expect((await thrownResponse(updateInternalTarget(officer, 48, NOW))).status).toBe(403);
    expect(auditOf("workspace.internal_breach_target_changed")).toHaveLength(2);
  });
});
