import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import {
  auditEvents,
  breaches,
  customerServices,
  customers,
  dpaSignatures,
  dpas,
  endOfContractCases,
  endOfContractEvidence,
  endOfContractTasks,
  services,
  subprocessorChanges,
  subprocessorExclusions,
  subprocessorHistory,
  subprocessorNotices,
  subprocessorServices,
  subprocessors,
  termsVersions,
} from "../../db/schema";
import type { Actor } from "~/domain/permissions";
import { action as newCustomerAction } from "~/routes/_staff.customers.new";
import { loader as auditLogPageLoader } from "~/routes/_staff.registers.audit-log";
import { loader as registersPageLoader } from "~/routes/_staff.registers._index";
import { loader as registerFileLoader } from "~/routes/registers.$file";
import { appendAudit } from "~/services/audit.server";
import { newId } from "~/services/ids.server";
import {
  REGISTER_KEYS,
  RegisterExportRefused,
  auditTrailPage,
  parseRegisterFile,
  registerCatalog,
  streamRegisterExport,
  type ExportFormat,
  type RegisterKey,
} from "~/services/registers/index.server";
import { requestWithCookie, seedPortalUser, seedStaffUser, setupTestApp, signInCookie, thrownResponse } from "../helpers/app";
import { seedCustomer, seedStaff, seedWorkspace, type StaffActor } from "../helpers/db";

const run = promisify(execFile);
const app = setupTestApp();
const CONTEXT = { cspNonce: "test", clientIp: "192.0.2.1" };
const NOW = "2026-04-01T10:00:00.000Z";
const T = "2026-03-01T09:00:00.000Z";
const EVIL = ['=HYPERLINK("http://evil.example","klik")', "+31 20 123", "-2+3", "@SUM(A1)", "\tTab B.V."];

type World = {
  wsId: string;
  admin: StaffActor;
  auditor: StaffActor;
  acme: string;
  beta: string;
  noDpa: string;
  evil: string[];
  usSp: string;
};

async function body(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function exportOf(actor: Extract<Actor, { kind: "staff" } | { kind: "auditor_link" }>, register: RegisterKey, format: ExportFormat, filters: Record<string, string> = {}) {
  const result = await streamRegisterExport(actor, register, format, filters, "nl", NOW);
  return { ...result, bytes: await body(result.stream) };
}

function parseCsv(bytes: Buffer) {
  const text = bytes.toString("utf8");
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const parsed = Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed;
}

function seedWorld(slugSuffix = ""): World {
  const db = app.db;
  const ws = seedWorkspace(db, {
    legalName: `Verwerker${slugSuffix} B.V.`,
    city: "Utrecht",
    securityMeasures: JSON.stringify([{ nl: "Versleuteling in rust", en: "Encryption at rest" }]),
  });
  const admin = seedStaff(db, ws.id, "admin");
  const auditor = seedStaff(db, ws.id, "auditor");
  const tv = newId();
  db.insert(termsVersions).values({ id: tv, workspaceId: ws.id, version: 1, content: "{}", reason: "Versie 1", effectiveDate: "2026-01-01", createdAt: T }).run();
  const acme = seedCustomer(db, ws.id, {
    name: `Acme${slugSuffix} Zorg B.V.`,
    dpoName: "Fenna FG",
    dpoEmail: "fg@acme.example",
    privacyContactName: "Piet Privacy",
    privacyContactEmail: "privacy@acme.example",
    purposes: JSON.stringify(["Nieuwsbrieven versturen"]),
    dataCategories: JSON.stringify(["name", "contact"]),
    dataSubjects: JSON.stringify(["customers"]),
    securityAdditions: JSON.stringify(["Tweefactorauthenticatie"]),
    termsVersionId: tv,
  });
  const beta = seedCustomer(db, ws.id, { name: `Beta${slugSuffix} Retail`, termsVersionId: tv });
  const noDpa = seedCustomer(db, ws.id, { name: `Zonder${slugSuffix} Overeenkomst`, contractStart: "2026-02-01" });
  const evil = EVIL.map((name) => seedCustomer(db, ws.id, { name: `${name}${slugSuffix}` }).id);
  // services and sub-processors: one in the US on SCCs, used by Acme and Beta, excluded for Beta
  const svc = newId();
  db.insert(services).values({ id: svc, workspaceId: ws.id, key: "mail", nameNl: "E-mailmarketing", nameEn: "Email marketing", createdAt: T }).run();
  for (const c of [acme.id, beta.id]) db.insert(customerServices).values({ customerId: c, serviceId: svc, workspaceId: ws.id }).run();
  const usSp = newId();
  const nlSp = newId();
  for (const [id, name, locations, safeguard] of [
    [usSp, "Cloudmail Inc.", ["US"], "scc"],
    [nlSp, "Hosting Noord B.V.", ["NL"], null],
  ] as const) {
    db.insert(subprocessors)
      .values({
        id,
        workspaceId: ws.id,
        legalName: name,
        nameKey: name.toLowerCase(),
        serviceNl: "E-mail",
        serviceEn: "Email",
        purposeNl: "Verzenden",
        purposeEn: "Sending",
        locations: JSON.stringify(locations),
        transferSafeguard: safeguard,
        status: "active",
        startDate: "2025-01-01",
        createdAt: T,
        updatedAt: T,
      })
      .run();
    db.insert(subprocessorServices).values({ subprocessorId: id, serviceId: svc, workspaceId: ws.id }).run();
  }
  db.insert(subprocessorHistory)
    .values({ id: newId(), workspaceId: ws.id, subprocessorId: usSp, event: "created", at: "2025-01-01T08:00:00.000Z", actorLabel: "Test admin", data: "{}" })
    .run();
  db.insert(subprocessorHistory)
    .values({
      id: newId(),
      workspaceId: ws.id,
      subprocessorId: usSp,
      event: "updated",
      at: "2026-03-02T08:00:00.000Z",
      actorLabel: "Test admin",
      data: JSON.stringify({ purposeNl: { before: "Verzenden", after: "Verzenden en meten" } }),
    })
    .run();
  const change = newId();
  db.insert(subprocessorChanges)
    .values({
      id: change,
      workspaceId: ws.id,
      kind: "new",
      subprocessorId: usSp,
      plannedStart: "2026-04-15",
      descriptionNl: "Nieuwe mailprovider",
      descriptionEn: "New mail provider",
      status: "scheduled",
      createdAt: T,
      updatedAt: T,
      sentAt: T,
    })
    .run();
  const notice = (customerId: string, extra: Partial<typeof subprocessorNotices.$inferInsert>) =>
    db
      .insert(subprocessorNotices)
      .values({
        id: newId(),
        workspaceId: ws.id,
        changeId: change,
        customerId,
        included: true,
        usesRelatedService: true,
        sentAt: T,
        regime: "window",
        regimeArticle: "B1 4.2",
        windowEnd: "2026-03-15",
        toAddresses: JSON.stringify(["privacy@example.test"]),
        bodySha256: "ab".repeat(32),
        createdAt: T,
        ...extra,
      })
      .run();
  notice(acme.id, { response: "approved", respondedAt: "2026-03-03T10:00:00.000Z", respondedByName: "Piet Privacy" });
  notice(beta.id, { response: "objected", respondedAt: "2026-03-04T10:00:00.000Z", respondedByName: "Bea Beta", reasons: "Geen doorgifte naar de VS", resolution: "alternative", resolvedAt: "2026-03-05T10:00:00.000Z", resolutionNote: "Mail via Hosting Noord" });
  db.insert(subprocessorExclusions).values({ id: newId(), workspaceId: ws.id, customerId: beta.id, subprocessorId: usSp, createdAt: T }).run();
  // DPAs: Acme in force (signed by both), Beta sent last year
  const dpa = (customerId: string, state: "in_force" | "sent", createdAt: string) => {
    const id = newId();
    db.insert(dpas)
      .values({
        id,
        workspaceId: ws.id,
        customerId,
        termsVersionId: tv,
        language: "nl",
        state,
        versionLabel: `VO v1 · ${createdAt.slice(0, 10)}`,
        text: "tekst",
        textHash: "cd".repeat(32),
        rendered: "{}",
        createdAt,
        sentAt: createdAt,
        customerSignedAt: state === "in_force" ? "2026-03-02T10:00:00.000Z" : null,
        countersignedAt: state === "in_force" ? "2026-03-02T11:00:00.000Z" : null,
        inForceAt: state === "in_force" ? "2026-03-02T11:00:00.000Z" : null,
        pdfSha256: state === "in_force" ? "ef".repeat(32) : null,
      })
      .run();
    return id;
  };
  const acmeDpa = dpa(acme.id, "in_force", T);
  dpa(beta.id, "sent", "2025-06-01T09:00:00.000Z");
  db.insert(dpaSignatures)
    .values({ id: newId(), dpaId: acmeDpa, workspaceId: ws.id, customerId: acme.id, party: "controller", fullName: "Anna Acme", roleTitle: "Directeur", authorised: true, signedAt: "2026-03-02T10:00:00.000Z", textHash: "cd".repeat(32) })
    .run();
  db.insert(dpaSignatures)
    .values({ id: newId(), dpaId: acmeDpa, workspaceId: ws.id, customerId: acme.id, party: "processor", fullName: "Auto", roleTitle: "", authorised: true, automatic: true, signedAt: "2026-03-02T11:00:00.000Z", textHash: "cd".repeat(32) })
    .run();
  // breaches: one breach, one incident that is not one
  for (const [ref, title, classification, reasoning, discoveredAt] of [
    ["DL-2026-0001", "Mailbox ingezien", "breach", "", "2026-03-10T08:00:00.000Z"],
    ["DL-2026-0002", "Laptop verloren", "not_breach", "Versleuteld, dus onleesbaar.", "2026-03-11T08:00:00.000Z"],
  ] as const) {
    db.insert(breaches)
      .values({
        id: newId(),
        workspaceId: ws.id,
        reference: ref,
        title: `${title}${slugSuffix}`,
        classification,
        classificationReasoning: reasoning,
        status: "open",
        sourceKind: "own_systems",
        discoveredAt,
        createdAt: discoveredAt,
        updatedAt: discoveredAt,
      })
      .run();
  }
  // an end-of-contract case for Beta with a done task and its evidence
  const caseId = newId();
  db.insert(endOfContractCases)
    .values({
      id: caseId,
      workspaceId: ws.id,
      customerId: beta.id,
      reference: "EC-2026-0001",
      kind: "termination",
      noticeGivenBy: "customer",
      noticeReceivedOn: "2026-01-10",
      computedEndDate: "2026-02-28",
      endDate: "2026-02-28",
      status: "open",
      choice: "delete",
      choiceSource: "portal",
      choiceMadeAt: "2026-03-01T10:00:00.000Z",
      defaultChoice: "delete",
      createdAt: T,
      updatedAt: T,
      certificateSha256: null,
    })
    .run();
  const taskId = newId();
  db.insert(endOfContractTasks)
    .values({ id: taskId, workspaceId: ws.id, caseId, customerId: beta.id, kind: "production_deletion", position: 1, dueDate: "2026-03-28", status: "done", doneOn: "2026-03-20", completedAt: "2026-03-20T12:00:00.000Z", completedByUserId: admin.userId, evidenceNote: "Database-schema verwijderd", createdAt: T, updatedAt: T })
    .run();
  db.insert(endOfContractTasks)
    .values({ id: newId(), workspaceId: ws.id, caseId, customerId: beta.id, kind: "subprocessor_deletion", subprocessorId: nlSp, position: 2, dueDate: "2026-03-28", status: "open", createdAt: T, updatedAt: T })
    .run();
  db.insert(endOfContractEvidence)
    .values({ id: newId(), workspaceId: ws.id, taskId, filename: "verwijderlog.txt", contentType: "text/plain", sizeBytes: 12, sha256: "12".repeat(32), path: "x", createdAt: T })
    .run();
  // audit events: two actions by the admin, one about Acme
  app.db.transaction((tx) => {
    appendAudit(tx, admin, "2026-03-01T08:00:00.000Z", { action: "customer.created", entityType: "customer", entityId: acme.id, customerId: acme.id, data: { name: acme.name } });
    appendAudit(tx, admin, "2026-03-20T08:00:00.000Z", { action: "customer.updated", entityType: "customer", entityId: beta.id, customerId: beta.id, data: { city: { before: "", after: "=cmd|' /C calc'!A0" } } });
  });
  return { wsId: ws.id, admin, auditor, acme: acme.id, beta: beta.id, noDpa: noDpa.id, evil, usSp };
}

let w: World;
beforeEach(() => {
  w = seedWorld();
  // a second workspace whose rows must never appear in the first one's exports
  seedWorld(" Anders");
});

describe("the catalog and addresses", () => {
  it("documents every register's columns in Dutch and English and parses /registers/<register>.<format>", () => {
    const catalog = registerCatalog();
    expect(catalog.map((r) => r.key)).toEqual([...REGISTER_KEYS]);
    for (const r of catalog) {
      expect(r.title.nl && r.title.en && r.purpose.nl && r.purpose.en && r.dateBasis.nl && r.dateBasis.en).toBeTruthy();
      expect(r.columns.length).toBeGreaterThan(5);
      for (const c of r.columns) expect([c.header.nl, c.header.en, c.description.nl, c.description.en].every((s) => s.trim().length > 0)).toBe(true);
      expect(new Set(r.columns.map((c) => c.key)).size).toBe(r.columns.length);
    }
    expect(parseRegisterFile("end-of-contract.xlsx")).toEqual({ register: "end-of-contract", format: "xlsx" });
    expect(parseRegisterFile("audit-log.json")).toEqual({ register: "audit-log", format: "json" });
    expect(parseRegisterFile("dpas.exe")).toBeNull();
    expect(parseRegisterFile("users.csv")).toBeNull();
  });
});

describe("each register's content", () => {
  it("DPA register: every customer, version, terms version, state and signatures; a customer without DPA says so", async () => {
    const { bytes, rowCountEstimate } = await exportOf(w.admin, "dpas", "csv");
    const { data, meta } = parseCsv(bytes);
    expect(meta.fields?.slice(0, 5)).toEqual(["Klant", "KvK-nummer", "Klantstatus", "Versie", "Voorwaardenversie"]);
    expect(data).toHaveLength(rowCountEstimate);
    const acme = data.find((r) => r.Klant === "Acme Zorg B.V.")!;
    expect(acme).toMatchObject({ Status: "van kracht", "Getekend door klant": "2026-03-02T10:00:00.000Z", "Ondertekenaar klant": "Anna Acme, Directeur", "Ondertekenaar verwerker": "automatisch", Voorwaardenversie: "v1 (2026-01-01)" });
    expect(data.find((r) => r.Klant === "Beta Retail")!.Status).toBe("verzonden");
    expect(data.find((r) => r.Klant === "Zonder Overeenkomst")!.Status).toBe("geen verwerkersovereenkomst");
  });

  it("processing record (Art. 30(2)): controller, contacts and DPO, categories, transfers with safeguards, security measures", async () => {
    const { bytes } = await exportOf(w.admin, "processing", "json");
    const rows = JSON.parse(bytes.toString("utf8")) as Record<string, unknown>[];
    const acme = rows.find((r) => r.controller === "Acme Zorg B.V.")!;
    expect(acme).toMatchObject({
      processor: expect.stringContaining("Verwerker B.V."),
      contact: "Piet Privacy <privacy@acme.example>",
      dpo: "Fenna FG <fg@acme.example>",
      purposes: "Nieuwsbrieven versturen",
      services: "E-mailmarketing",
      transfersInstructed: false,
      securityMeasures: "Versleuteling in rust; Tweefactorauthenticatie",
    });
    expect(acme.transfers).toMatch(/Cloudmail Inc\. \(Verenigde Staten; standaardcontractbepalingen \(SCC\)\)/);
    expect(acme.transfers).not.toContain("Hosting Noord");
    // Beta objected and got an alternative: the US sub-processor is excluded for it
    expect(rows.find((r) => r.controller === "Beta Retail")!.transfers).toBe("geen");
  });

  it("sub-processor register: current entry, full history and the notices sent, read back from XLSX", async () => {
    const { bytes, contentType, filename } = await exportOf(w.admin, "subprocessors", "xlsx");
    expect(contentType).toContain("spreadsheetml");
    expect(filename).toMatch(/^subprocessors-ws-[\w-]+-2026-04-01\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet.name).toBe("Register van subverwerkers");
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header[0]).toBe("Subverwerker");
    expect(sheet.rowCount).toBe(3);
    const row = sheet.getRow(2).values as unknown[];
    expect(row[1]).toBe("Cloudmail Inc.");
    expect(row[6]).toBe("Verenigde Staten");
    expect(row[15]).toContain("gewijzigd · Test admin · purposeNl: \"Verzenden\" → \"Verzenden en meten\"");
    expect(row[16]).toContain("nieuw · start 2026-04-15 · verzonden 2026-03-01T09:00:00.000Z aan 2 klanten · 1 toestemmingen, 1 bezwaren · gepland");
  });

  it("objections and approvals with outcomes", async () => {
    const { data } = parseCsv((await exportOf(w.admin, "objections", "csv")).bytes);
    expect(data).toHaveLength(2);
    expect(data.find((r) => r.Klant === "Acme Zorg B.V.")).toMatchObject({ Reactie: "toestemming", Uitkomst: "toestemming gegeven", Regime: "bezwaartermijn", "Einde termijn": "2026-03-15" });
    expect(data.find((r) => r.Klant === "Beta Retail")).toMatchObject({ Reactie: "bezwaar", "Motivering bezwaar": "Geen doorgifte naar de VS", Afhandeling: "alternatief afgesproken", Uitkomst: "alternatief afgesproken" });
  });

  it("breach register: breaches and non-breach incidents with reasoning, and the page's filters on /registers/breaches.csv", async () => {
    const cookie = await signInCookie((await seedStaffUser(app.db, w.wsId, "privacy_officer")).email);
    const response = (await registerFileLoader({
      request: requestWithCookie(cookie, "/registers/breaches.csv?classification=not_breach"),
      params: { file: "breaches.csv" },
      context: CONTEXT,
    })) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="breaches-ws-[\w-]+-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.headers.get("X-Row-Estimate")).toBe("1");
    const { data } = parseCsv(Buffer.from(await response.arrayBuffer()));
    expect(data.map((r) => [r.Referentie, r.Titel, r.Beoordeling, r["Motivering beoordeling"]])).toEqual([["DL-2026-0002", "Laptop verloren", "geen datalek", "Versleuteld, dus onleesbaar."]]);
    const all = parseCsv((await exportOf(w.admin, "breaches", "csv")).bytes).data;
    expect(all.map((r) => r.Referentie)).toEqual(["DL-2026-0002", "DL-2026-0001"]);
  });

  it("end-of-contract register: each task with due date, status, done on, by whom, evidence note and files with SHA-256", async () => {
    const { data } = parseCsv((await exportOf(w.admin, "end-of-contract", "csv")).bytes);
    expect(data).toHaveLength(2);
    expect(data[0]).toMatchObject({
      Referentie: "EC-2026-0001",
      Klant: "Beta Retail",
      Keuze: "verwijderen",
      "Herkomst keuze": "door de klant in het portaal",
      Taak: "verwijderen in productie",
      Termijn: "2026-03-28",
      "Status taak": "gedaan",
      "Uitgevoerd op": "2026-03-20",
      Door: "Test admin",
      "Bewijs (notitie)": "Database-schema verwijderd",
      Bewijsbestanden: `verwijderlog.txt (SHA-256 ${"12".repeat(32)})`,
    });
    expect(data[1].Taak).toBe("verwijderinstructie subverwerker: Hosting Noord B.V.");
  });

  it("audit log: every event in chain order with hashes, filterable by person, customer, type and time", async () => {
    const { data } = parseCsv((await exportOf(w.admin, "audit-log", "csv")).bytes);
    expect(data.map((r) => r["Actie (code)"])).toEqual(["customer.created", "customer.updated"]);
    expect(data[0]).toMatchObject({ Volgnummer: "1", Actie: "Klant aangemaakt", Klant: "Acme Zorg B.V.", Door: expect.stringContaining("Test admin") });
    expect(data[0].Hash).toMatch(/^[0-9a-f]{64}$/);
    expect(data[1]["Vorige hash"]).toBe(data[0].Hash);
    const byCustomer = parseCsv((await exportOf(w.admin, "audit-log", "csv", { customer: w.beta })).bytes).data;
    expect(byCustomer.map((r) => r["Actie (code)"])).toEqual(["customer.updated"]);
    const byTime = parseCsv((await exportOf(w.admin, "audit-log", "csv", { from: "2026-03-10", to: "2026-03-31" })).bytes).data;
    expect(byTime.map((r) => r["Actie (code)"])).toEqual(["customer.updated"]);
    // every export before this one is in the trail now; the page lists it newest first and reads it
    const page = await auditTrailPage(w.admin, new URLSearchParams({ action: "register.exported" }));
    expect(page.total).toBe(3);
    expect(page.events[0].dataLines).toContain("register: audit-log");
    const byPerson = await auditTrailPage(w.admin, new URLSearchParams({ actor: w.auditor.userId }));
    expect(byPerson.total).toBe(0);
    const byEntity = await auditTrailPage(w.admin, new URLSearchParams({ entity: "customer" }));
    expect(byEntity.events.map((e) => e.action)).toEqual(["customer.updated", "customer.created"]);
    expect(byEntity.events[0].dataLines).toEqual([`city: “” → =cmd|' /C calc'!A0`]);
  });

  it("records each export in the audit trail with register, format and filters", async () => {
    await exportOf(w.auditor, "breaches", "json", { classification: "breach", from: "2026-03-01" });
    const event = app.db.select().from(auditEvents).where(eq(auditEvents.action, "register.exported")).all().find((e) => e.workspaceId === w.wsId)!;
    expect(event.actorLabel).toContain("(auditor)");
    expect(JSON.parse(event.data)).toEqual({ register: "breaches", format: "json", rows: 1, range: { from: "2026-03-01", to: null }, filters: { classification: "breach" } });
  });
});

describe("formats", () => {
  it("neutralises formula cells (=, +, -, @, tab) in CSV, keeps them as plain text in XLSX and JSON", async () => {
    const csv = parseCsv((await exportOf(w.admin, "dpas", "csv")).bytes).data.map((r) => r.Klant);
    for (const name of EVIL) expect(csv).toContain(`'${name}`);
    expect(csv.filter((c) => /^[=+\-@\t]/.test(c))).toEqual([]);
    const audit = (await exportOf(w.admin, "audit-log", "csv")).bytes.toString("utf8");
    // the change is inside the JSON data cell, which starts with "{", so no cell of the file starts a formula
    expect(audit).toContain("=cmd|");
    expect(audit).not.toMatch(/(^|,)"?[=+@\t]/m);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await exportOf(w.admin, "dpas", "xlsx")).bytes as unknown as ArrayBuffer);
    const names: unknown[] = [];
    book.worksheets[0].eachRow((row, n) => {
      if (n > 1) names.push(row.getCell(1).value);
    });
    for (const name of EVIL) expect(names).toContain(name);
    const json = JSON.parse((await exportOf(w.admin, "dpas", "json")).bytes.toString("utf8")) as { customer: string }[];
    expect(json.map((r) => r.customer)).toEqual(expect.arrayContaining(EVIL));
  });

  it("writes every register in every format for an auditor; the PDF is signed and its text is readable", async () => {
    for (const register of REGISTER_KEYS) {
      for (const format of ["csv", "xlsx", "json", "pdf"] as const) {
        const { bytes } = await exportOf(w.auditor, register, format);
        if (format === "pdf") expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
        if (format === "xlsx") expect(bytes.subarray(0, 2).toString()).toBe("PK");
        if (format === "json") expect(Array.isArray(JSON.parse(bytes.toString("utf8")))).toBe(true);
      }
    }
    const pdf = (await exportOf(w.auditor, "objections", "pdf")).bytes;
    expect(pdf.includes(Buffer.from("/ByteRange"))).toBe(true);
    const file = path.join(app.dir, "objections.pdf");
    writeFileSync(file, pdf);
    const { stdout } = await run("pdftotext", ["-layout", file, "-"]);
    expect(stdout).toContain("Register van bezwaren en toestemmingen");
    expect(stdout).toContain("Beta Retail");
    expect(stdout).toContain("alternatief afgesproken");
  });

  it("refuses a PDF over the register's limit with a clear message (413 through the route)", async () => {
    const insert = app.db.$client.prepare(
      "insert into audit_events (chain_key, seq, workspace_id, actor_label, action, entity_type, at, data, prev_hash, hash) values (?, ?, ?, 'bulk', 'customer.updated', 'customer', ?, '{}', 'x', 'y')",
    );
    app.db.$client.transaction(() => {
      for (let i = 3; i < 5010; i++) insert.run(w.wsId, i, w.wsId, "2026-03-25T08:00:00.000Z");
    })();
    await expect(streamRegisterExport(w.admin, "audit-log", "pdf", {}, "en", NOW)).rejects.toThrow(RegisterExportRefused);
    const cookie = await signInCookie((await seedStaffUser(app.db, w.wsId, "auditor")).email);
    const response = (await registerFileLoader({ request: requestWithCookie(cookie, "/registers/audit-log.pdf"), params: { file: "audit-log.pdf" }, context: CONTEXT })) as Response;
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/^Deze selectie heeft 5\.01\d regels; een PDF kan er hoogstens 5\.000 bevatten\. Kies een kleiner datumbereik, of download CSV/);
    // a date range brings it under the limit
    const ranged = await exportOf(w.admin, "audit-log", "pdf", { to: "2026-03-24" });
    expect(ranged.rowCountEstimate).toBe(2);
  });
});

describe("access", () => {
  it("lets an auditor export through the route, refuses an auditor's POST, and answers 404 to portal users and unknown files", async () => {
    const auditor = await seedStaffUser(app.db, w.wsId, "auditor");
    const cookie = await signInCookie(auditor.email);
    const ok = (await registerFileLoader({ request: requestWithCookie(cookie, "/registers/audit-log.json"), params: { file: "audit-log.json" }, context: CONTEXT })) as Response;
    expect(ok.status).toBe(200);
    // the two seeded events and the auditor's sign-in
    const events = JSON.parse(await ok.text()) as { action: string; actor: string }[];
    expect(events.map((e) => e.action)).toEqual(["customer.created", "customer.updated", "user.signed_in"]);
    const unknown = await thrownResponse(registerFileLoader({ request: requestWithCookie(cookie, "/registers/users.csv"), params: { file: "users.csv" }, context: CONTEXT }) as Promise<Response>);
    expect(unknown.status).toBe(404);
    const post = new FormData();
    post.set("name", "Door auditor aangemaakt");
    const refused = await thrownResponse(newCustomerAction({ request: requestWithCookie(cookie, "/customers/new", { method: "POST", body: post }), params: {}, context: CONTEXT }) as Promise<Response>);
    expect(refused.status).toBe(403);
    expect(app.db.select().from(customers).where(eq(customers.name, "Door auditor aangemaakt")).all()).toEqual([]);
    const portal = await seedPortalUser(app.db, w.wsId, w.acme);
    const portalCookie = await signInCookie(portal.email);
    for (const file of ["dpas.csv", "audit-log.json"]) {
      const response = await thrownResponse(registerFileLoader({ request: requestWithCookie(portalCookie, `/registers/${file}`), params: { file }, context: CONTEXT }) as Promise<Response>);
      expect(response.status).toBe(404);
    }
    const page = await thrownResponse(registersPageLoader({ request: requestWithCookie(portalCookie, "/registers"), params: {}, context: CONTEXT }) as Promise<Response>);
    expect(page.status).toBe(404);
  });

  it("never shows another workspace's rows", async () => {
    for (const register of REGISTER_KEYS) {
      const text = (await exportOf(w.admin, register, "json")).bytes.toString("utf8");
      expect(text, register).not.toContain("Anders");
    }
  });

  it("limits an auditor link to its registers and its date range", async () => {
    const link: Extract<Actor, { kind: "auditor_link" }> = {
      kind: "auditor_link",
      linkId: newId(),
      label: "AP verzoek 2026-114",
      workspaceId: w.wsId,
      registers: ["dpas", "audit-log", "breaches"],
      from: "2026-03-01",
      to: "2026-03-10",
    };
    expect((await thrownResponse(streamRegisterExport(link, "processing", "csv", {}, "nl", NOW))).status).toBe(404);
    expect((await thrownResponse(auditTrailPage({ ...link, registers: ["dpas"] }, new URLSearchParams()))).status).toBe(404);
    // DPAs created in the range only (Beta's DPA is from 2025), and the customers without one that had started by then
    const dpaRows = parseCsv((await exportOf(link, "dpas", "csv")).bytes).data;
    expect(dpaRows.map((r) => r.Klant)).toContain("Acme Zorg B.V.");
    expect(dpaRows.map((r) => r.Klant)).not.toContain("Beta Retail");
    // a wider request is narrowed to the link's range; a narrower one stays
    const audit = parseCsv((await exportOf(link, "audit-log", "csv", { from: "2025-01-01", to: "2027-01-01" })).bytes).data;
    expect(audit.map((r) => r["Actie (code)"])).toEqual(["customer.created"]);
    const breachRows = parseCsv((await exportOf(link, "breaches", "csv")).bytes).data;
    expect(breachRows.map((r) => r.Referentie)).toEqual(["DL-2026-0001"]);
    const narrower = parseCsv((await exportOf(link, "breaches", "csv", { from: "2026-03-11" })).bytes).data;
    expect(narrower).toEqual([]);
  });
});

describe("pages", () => {
  it("lists every register with its row count and documented columns, and verifies the audit chain on a GET", async () => {
    const cookie = await signInCookie((await seedStaffUser(app.db, w.wsId, "auditor")).email);
    const index = (await (await registersPageLoader({ request: requestWithCookie(cookie, "/registers?from=2026-03-01&to=2026-03-31"), params: {}, context: CONTEXT })) as Response).json();
    const list = (await index) as { registers: { key: string; rows: number; columns: unknown[] }[]; query: string };
    expect(list.registers.map((r) => r.key)).toEqual([...REGISTER_KEYS]);
    expect(list.registers.find((r) => r.key === "breaches")!.rows).toBe(2);
    expect(list.query).toBe("from=2026-03-01&to=2026-03-31");
    const verified = (await (
      (await auditLogPageLoader({ request: requestWithCookie(cookie, "/registers/audit-log?verify=1"), params: {}, context: CONTEXT })) as Response
    ).json()) as { verification: { ok: boolean; checked: number }; events: unknown[] };
    expect(verified.verification).toEqual({ ok: true, checked: expect.any(Number) });
    // tamper with one event: the verifier names it
    const first = app.db.select().from(auditEvents).where(eq(auditEvents.workspaceId, w.wsId)).all().find((e) => e.seq === 2)!;
    app.db.update(auditEvents).set({ data: "{}" }).where(eq(auditEvents.id, first.id)).run();
    const broken = (await (
      (await auditLogPageLoader({ request: requestWithCookie(cookie, "/registers/audit-log?verify=1"), params: {}, context: CONTEXT })) as Response
    ).json()) as { verification: { ok: boolean; firstBroken: { seq: number; reason: string } } };
    expect(broken.verification).toMatchObject({ ok: false, firstBroken: { seq: 2, reason: "hash_mismatch" } });
  });
});
