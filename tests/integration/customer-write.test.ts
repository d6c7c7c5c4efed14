import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, customers, customerServices, services, termsVersions } from "../../db/schema";
import { CustomerFormSchema, customerFormErrors, customerFormInput } from "~/services/customer-form";
import { createCustomer, customerFormDefaults, getCustomerDetail, listCustomers, CustomerListQuery, setCustomerArchived, updateCustomer } from "~/services/customers.server";
import { newId } from "~/services/ids.server";
import { seedStaff, seedWorkspace } from "../helpers/db";
import { setupTestApp, thrownResponse } from "../helpers/app";

const app = setupTestApp();
const NOW = "2026-11-22T10:00:00.000Z";

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const value of Array.isArray(v) ? v : [v]) data.append(k, value);
  return data;
}

const valid = {
  name: "Bakkerij 2024 B.V.",
  registrationNumber: "12345678",
  address: "Dorpsstraat 1",
  postcode: "1234 AB",
  city: "Utrecht",
  country: "nl",
  language: "nl",
  signatoryName: "Anna de Vries",
  signatoryRole: "Directeur",
  signatoryEmail: "Anna@Bakkerij.example",
  privacyContactName: "Bram Jansen",
  privacyContactEmail: "bram@bakkerij.example",
  dpoName: "",
  dpoEmail: "",
  notificationEmails: "privacy@bakkerij.example\nbram@bakkerij.example",
  contractStart: "2026-01-31",
  contractTermMonths: "12",
  subjectMatter: "Webwinkel",
  nature: "Hosting en opslag",
  processingDuration: "",
  purposes: "Bestellingen afhandelen\n\nKlantenservice\n",
  dataCategories: ["name", "contact", "bsn"],
  dataSubjects: ["customers"],
  securityAdditions: "",
};

function parse(fields: Record<string, string | string[]>) {
  return CustomerFormSchema.safeParse(customerFormInput(form(fields)));
}

describe("customer form schema", () => {
  it("turns a posted form (repeated checkboxes, one-per-line texts) into clean values", () => {
    const result = parse({ ...valid, transfersOutsideEea: "on" });
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data.name).toBe("Bakkerij 2024 B.V.");
    expect(result.data.country).toBe("NL");
    expect(result.data.signatoryEmail).toBe("anna@bakkerij.example");
    expect(result.data.notificationEmails).toEqual(["privacy@bakkerij.example", "bram@bakkerij.example"]);
    expect(result.data.purposes).toEqual(["Bestellingen afhandelen", "Klantenservice"]);
    expect(result.data.dataCategories).toEqual(["name", "contact", "bsn"]);
    expect(result.data.contractTermMonths).toBe(12);
    expect(result.data.transfersOutsideEea).toBe(true);
  });

  it.each([
    [{ name: "" }, "name", "customerForm.required"],
    [{ contractStart: "2026-02-30" }, "contractStart", "customerForm.dateInvalid"],
    [{ contractTermMonths: "0" }, "contractTermMonths", "customerForm.termInvalid"],
    [{ contractTermMonths: "abc" }, "contractTermMonths", "customerForm.termInvalid"],
    [{ notificationEmails: "" }, "notificationEmails", "customerForm.notificationEmailsRequired"],
    [{ notificationEmails: "not-an-address" }, "notificationEmails", "customerForm.emailInvalid"],
    [{ dataCategories: [] }, "dataCategories", "customerForm.dataCategoriesRequired"],
    [{ dataCategories: ["name", "made_up"] }, "dataCategories", "customerForm.invalid"],
    [{ purposes: "\n \n" }, "purposes", "customerForm.purposesRequired"],
    [{ country: "Nederland" }, "country", "customerForm.countryInvalid"],
    [{ dpoEmail: "fg@bakkerij.example" }, "dpoName", "customerForm.dpoNameRequired"],
  ])("refuses %j with a message on %s", (change, field, message) => {
    const result = parse({ ...valid, ...change });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(customerFormErrors(result.error)[field]).toBe(message);
  });
});

function values(change: Record<string, string | string[]> = {}) {
  const result = parse({ ...valid, ...change });
  if (!result.success) throw new Error(JSON.stringify(result.error.issues));
  return result.data;
}

function setup() {
  const workspace = seedWorkspace(app.db);
  const officer = seedStaff(app.db, workspace.id, "privacy_officer");
  const serviceId = newId();
  app.db.insert(services).values({ id: serviceId, workspaceId: workspace.id, key: "hosting", nameNl: "Hosting", nameEn: "Hosting", createdAt: NOW }).run();
  const v1 = newId();
  app.db.insert(termsVersions).values({ id: v1, workspaceId: workspace.id, version: 1, content: "{}", reason: "v1", effectiveDate: "2024-01-01", createdAt: NOW }).run();
  const v2 = newId();
  app.db.insert(termsVersions).values({ id: v2, workspaceId: workspace.id, version: 2, content: "{}", reason: "v2", effectiveDate: "2027-01-01", createdAt: NOW }).run();
  return { workspace, officer, serviceId, v1, v2 };
}

describe("createCustomer / updateCustomer / archive", () => {
  it("creates the customer with its services on the terms version in effect today, audited", async () => {
    const { workspace, officer, serviceId, v1 } = setup();
    const result = await createCustomer(officer, values({ serviceIds: [serviceId] } as never), NOW);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const row = app.db.select().from(customers).where(eq(customers.id, result.customerId)).get()!;
    expect(row.workspaceId).toBe(workspace.id);
    expect(row.nameKey).toBe("bakkerij 2024 b.v.");
    expect(row.termsVersionId).toBe(v1);
    expect(JSON.parse(row.purposes)).toEqual(["Bestellingen afhandelen", "Klantenservice"]);
    const event = app.db.select().from(auditEvents).where(and(eq(auditEvents.customerId, result.customerId), eq(auditEvents.action, "customer.created"))).get();
    expect(event?.actorUserId).toBe(officer.userId);
  });

  it("links services only when they belong to the actor's workspace", async () => {
    const { officer, serviceId } = setup();
    const other = setup();
    const ok = await createCustomer(officer, { ...values(), serviceIds: [serviceId] }, NOW);
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(app.db.select().from(customerServices).where(eq(customerServices.customerId, ok.customerId)).all()).toHaveLength(1);
    const before = app.db.select().from(customers).all().length;
    const refused = await createCustomer(officer, { ...values(), serviceIds: [other.serviceId] }, NOW);
    expect(refused).toEqual({ ok: false, errors: { serviceIds: "customerForm.invalid" } });
    expect(app.db.select().from(customers).all()).toHaveLength(before);
  });

  it("records what changed, and nothing when nothing changed", async () => {
    const { officer } = setup();
    const created = await createCustomer(officer, values(), NOW);
    if (!created.ok) throw new Error("create failed");
    await updateCustomer(officer, created.customerId, values(), NOW);
    await updateCustomer(officer, created.customerId, values({ city: "Zwolle" }), NOW);
    const updates = app.db.select().from(auditEvents).where(and(eq(auditEvents.customerId, created.customerId), eq(auditEvents.action, "customer.updated"))).all();
    expect(updates).toHaveLength(1);
    expect(JSON.parse(updates[0].data)).toEqual({ city: { before: "Utrecht", after: "Zwolle" } });
    const defaults = await customerFormDefaults(officer, created.customerId);
    expect(defaults.city).toBe("Zwolle");
    expect(defaults.purposes).toBe("Bestellingen afhandelen\nKlantenservice");
    expect(CustomerFormSchema.safeParse(defaults).success).toBe(true);
  });

  it("refuses auditors (403) and other workspaces (404)", async () => {
    const { workspace, officer } = setup();
    const created = await createCustomer(officer, values(), NOW);
    if (!created.ok) throw new Error("create failed");
    const auditor = seedStaff(app.db, workspace.id, "auditor");
    expect((await thrownResponse(createCustomer(auditor, values(), NOW))).status).toBe(403);
    expect((await thrownResponse(updateCustomer(auditor, created.customerId, values(), NOW))).status).toBe(403);
    const stranger = seedStaff(app.db, seedWorkspace(app.db).id, "admin");
    expect((await thrownResponse(updateCustomer(stranger, created.customerId, values({ city: "X" }), NOW))).status).toBe(404);
    expect((await thrownResponse(setCustomerArchived(stranger, created.customerId, true, NOW))).status).toBe(404);
    expect(app.db.select().from(customers).where(eq(customers.id, created.customerId)).get()?.city).toBe("Utrecht");
  });

  it("archives instead of deleting: gone from the list, kept with its history, restorable", async () => {
    const { officer } = setup();
    const created = await createCustomer(officer, values(), NOW);
    if (!created.ok) throw new Error("create failed");
    await setCustomerArchived(officer, created.customerId, true, NOW);
    expect((await listCustomers(officer, CustomerListQuery.parse({}))).customers.map((c) => c.id)).not.toContain(created.customerId);
    expect((await listCustomers(officer, CustomerListQuery.parse({ archived: "1" }))).customers.map((c) => c.id)).toContain(created.customerId);
    expect((await getCustomerDetail(officer, created.customerId)).customer.archivedAt).toBe(NOW);
    await setCustomerArchived(officer, created.customerId, false, NOW);
    expect((await listCustomers(officer, CustomerListQuery.parse({}))).customers.map((c) => c.id)).toContain(created.customerId);
    const actions = app.db.select({ a: auditEvents.action }).from(auditEvents).where(eq(auditEvents.customerId, created.customerId)).all().map((r) => r.a);
    expect(actions).toEqual(["customer.created", "customer.archived", "customer.restored"]);
  });
});
