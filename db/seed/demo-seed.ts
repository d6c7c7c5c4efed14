/**
 * Demo data for `npm start` in demo mode: the five seed vendors as workspaces, their staff,
 * about twenty fictional customers each, a portal user for the first customer, the vendors'
 * real terms as profile version 1, and a few negotiated deviations. Runs only on an empty database.
 */
import { hash } from "@node-rs/argon2";
import { count } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { appendAudit } from "../../app/services/audit.server";
import type { Actor } from "../../app/domain/permissions";
import type { Db, Tx } from "../client";
import {
  customers,
  customerServices,
  memberships,
  services,
  termDeviations,
  termsVersions,
  users,
  workspaces,
} from "../schema";
import { defaultSecurityMeasures, demoCustomers, demoVendors, type DemoCustomer, type DemoVendor } from "./demo-data";
import { seedDemoBreaches } from "./demo-breaches";
import { seedDemoDpas } from "./demo-dpas";
import { seedDemoEndOfContract } from "./demo-end-of-contract";
import { seedDemoSubprocessors } from "./demo-subprocessors";
import { demoNegotiatedTerms, seedTermsProfiles } from "./terms-profiles";

export const DEMO_PASSWORD = "dpadesk-demo";
export const DEMO_STAFF_ROLES = [
  { local: "admin", role: "admin", name: "Beheerder" },
  { local: "privacy", role: "privacy_officer", name: "Privacy officer" },
  { local: "auditor", role: "auditor", name: "Auditor" },
] as const;
/** One demo consultant who works for every vendor, to show switching between workspaces. */
export const DEMO_CONSULTANT_EMAIL = "consultant@dpadesk.example";

export async function ensureDemoData(db: Db, now: Date): Promise<boolean> {
  const existing = db.select({ n: count() }).from(workspaces).get();
  if ((existing?.n ?? 0) > 0) return false;
  // hashing is slow by design: do it before the (synchronous) transaction, one salt per account
  const accountCount = demoVendors.length * (DEMO_STAFF_ROLES.length + 1) + 1;
  const hashes = await Promise.all(Array.from({ length: accountCount }, () => hash(DEMO_PASSWORD)));
  db.transaction((tx) => seedAll(tx, now.toISOString(), hashes), { behavior: "immediate" });
  await seedDemoDpas(db, now);
  await seedDemoEndOfContract(db, now);
  return true;
}

function seedAll(tx: Tx, now: string, hashes: string[]): void {
  const nextHash = () => {
    const h = hashes.pop();
    if (!h) throw new Error("not enough password hashes prepared");
    return h;
  };
  const consultantId = randomUUID();
  tx.insert(users)
    .values({ id: consultantId, email: DEMO_CONSULTANT_EMAIL, name: "Demo consultant", passwordHash: nextHash(), kind: "staff", createdAt: now })
    .run();
  for (const vendor of demoVendors) {
    const workspaceId = seedWorkspace(tx, vendor, now);
    const actor: Actor = { kind: "system", label: "demo-seed", workspaceId };
    appendAudit(tx, actor, now, { action: "workspace.created", entityType: "workspace", entityId: workspaceId, data: { slug: vendor.slug } });
    for (const staff of DEMO_STAFF_ROLES) {
      const userId = randomUUID();
      const email = `${staff.local}@${vendor.slug}.example`;
      tx.insert(users).values({ id: userId, email, name: `${staff.name} ${vendor.tradeName}`, passwordHash: nextHash(), kind: "staff", createdAt: now }).run();
      tx.insert(memberships).values({ id: randomUUID(), userId, workspaceId, role: staff.role, createdAt: now }).run();
      appendAudit(tx, actor, now, { action: "user.created", entityType: "user", entityId: userId, data: { email, role: staff.role } });
    }
    tx.insert(memberships).values({ id: randomUUID(), userId: consultantId, workspaceId, role: "privacy_officer", createdAt: now }).run();
    appendAudit(tx, actor, now, { action: "membership.created", entityType: "user", entityId: consultantId, data: { email: DEMO_CONSULTANT_EMAIL, role: "privacy_officer" } });

    const termsVersionId = randomUUID();
    const profile = seedTermsProfiles[vendor.slug];
    tx.insert(termsVersions)
      .values({
        id: termsVersionId,
        workspaceId,
        version: 1,
        content: JSON.stringify(profile),
        reason: "Versie 1: overgenomen uit de algemene voorwaarden / verwerkersovereenkomst van de leverancier",
        effectiveDate: "2024-01-01",
        createdAt: now,
      })
      .run();
    appendAudit(tx, actor, now, { action: "terms_version.created", entityType: "terms_version", entityId: termsVersionId, data: { version: 1 } });

    const serviceIds = new Map<string, string>();
    for (const service of vendor.services) {
      const id = randomUUID();
      serviceIds.set(service.key, id);
      tx.insert(services)
        .values({ id, workspaceId, key: service.key, nameNl: service.name.nl, nameEn: service.name.en, personalData: service.personalData.nl, createdAt: now })
        .run();
    }

    const customerIds: string[] = [];
    demoCustomers[vendor.slug].forEach((customer, index) => {
      const customerId = seedCustomer(tx, vendor, workspaceId, termsVersionId, customer, serviceIds, now);
      customerIds.push(customerId);
      appendAudit(tx, actor, now, { action: "customer.created", entityType: "customer", entityId: customerId, customerId, data: { name: customer.name } });
      for (const deviation of demoNegotiatedTerms.filter((d) => d.workspaceSlug === vendor.slug && d.customerIndex === index)) {
        for (const d of deviation.deviations) {
          const deviationId = randomUUID();
          tx.insert(termDeviations)
            .values({ id: deviationId, workspaceId, customerId, field: d.field, value: JSON.stringify(d.value), reason: d.reason, clause: d.clause, createdAt: now })
            .run();
          appendAudit(tx, actor, now, { action: "terms_deviation.created", entityType: "term_deviation", entityId: deviationId, customerId, data: d });
        }
      }
      if (index === 0) {
        const portalUserId = randomUUID();
        const email = `portal@${vendor.slug}.example`;
        tx.insert(users)
          .values({
            id: portalUserId,
            email,
            name: customer.privacyContact.name,
            passwordHash: nextHash(),
            kind: "portal",
            portalCustomerId: customerId,
            portalWorkspaceId: workspaceId,
            createdAt: now,
          })
          .run();
        appendAudit(tx, actor, now, { action: "portal_user.created", entityType: "user", entityId: portalUserId, customerId, data: { email } });
      }
    });
    seedDemoSubprocessors(tx, { vendor, workspaceId, customerIds, serviceIds, now });
    seedDemoBreaches(tx, { vendorSlug: vendor.slug, workspaceId, customerIds, now });
  }
}

function seedWorkspace(tx: Tx, vendor: DemoVendor, now: string): string {
  const id = randomUUID();
  tx.insert(workspaces)
    .values({
      id,
      slug: vendor.slug,
      legalName: vendor.legalName,
      tradeName: vendor.tradeName,
      address: vendor.address ?? "",
      postcode: vendor.postcode ?? "",
      city: vendor.city ?? "",
      country: vendor.country,
      kvkNumber: vendor.kvkNumber,
      vatNumber: vendor.vatNumber,
      website: vendor.website,
      description: vendor.description.nl,
      publicSubprocessorPage: vendor.slug === "lai-media" || vendor.slug === "elementon",
      securityMeasures: JSON.stringify(defaultSecurityMeasures[vendor.slug].map((m) => ({ nl: m.nl, en: m.en }))),
      createdAt: now,
    })
    .run();
  return id;
}

/** The nature of the processing: what the vendor's services used by this customer do. */
function natureOf(c: DemoCustomer, vendor: DemoVendor): string {
  return vendor.services
    .filter((s) => c.serviceKeys.includes(s.key))
    .map((s) => s.description[c.language])
    .join(" ");
}

function seedCustomer(
  tx: Tx,
  vendor: DemoVendor,
  workspaceId: string,
  termsVersionId: string,
  c: DemoCustomer,
  serviceIds: Map<string, string>,
  now: string,
): string {
  const id = randomUUID();
  tx.insert(customers)
    .values({
      id,
      workspaceId,
      name: c.name,
      nameKey: c.name.toLowerCase(),
      registrationNumber: c.kvkNumber ?? (c.foreignRegistration ? `${c.foreignRegistration.register} ${c.foreignRegistration.number}` : null),
      address: c.address,
      postcode: c.postcode,
      city: c.city,
      country: c.country,
      language: c.language,
      signatoryName: c.signatory.name,
      signatoryRole: c.signatory.role,
      signatoryEmail: c.signatory.email,
      privacyContactName: c.privacyContact.name,
      privacyContactEmail: c.privacyContact.email,
      dpoName: c.dpo?.name ?? null,
      dpoEmail: c.dpo?.email ?? null,
      notificationEmails: JSON.stringify(c.notificationEmails),
      subjectMatter: c.subjectMatter[c.language],
      nature: natureOf(c, vendor),
      purposes: JSON.stringify(c.purposes.map((p) => p[c.language])),
      dataCategories: JSON.stringify(c.dataCategories),
      dataSubjects: JSON.stringify(c.dataSubjects),
      transfersOutsideEea: c.transfersOutsideEea,
      securityAdditions: JSON.stringify(c.securityAdditions.map((m) => m[c.language])),
      termsVersionId,
      contractStart: c.contractStart,
      contractTermMonths: c.contractTermMonths,
      createdAt: now,
      updatedAt: now,
    })
    .run();
  for (const key of c.serviceKeys) {
    const serviceId = serviceIds.get(key);
    if (!serviceId) throw new Error(`demo customer ${c.key} uses unknown service ${key}`);
    tx.insert(customerServices).values({ customerId: id, serviceId, workspaceId }).run();
  }
  return id;
}
