/**
 * The template data of one demo customer's DPA, built straight from the demo data (no database):
 * for template tests and for the PDF benchmark.
 */
import type { DpaDataInput } from "../../app/documents/dpa-template";
import type { Locale } from "../../app/domain/locale";
import { effectiveTerms, type StoredDeviation } from "../../app/domain/terms";
import { defaultSecurityMeasures, demoCustomers, demoVendors, type VendorSlug } from "./demo-data";
import { seedTermsProfiles } from "./terms-profiles";

export function demoDpaInput(
  slug: VendorSlug,
  options: { customerIndex?: number; language?: Locale; deviations?: StoredDeviation[] } = {},
): DpaDataInput {
  const vendor = demoVendors.find((v) => v.slug === slug)!;
  const customer = demoCustomers[slug][options.customerIndex ?? 0];
  const language = options.language ?? "nl";
  const services = vendor.services.filter((service) => customer.serviceKeys.includes(service.key));
  const subprocessors = vendor.subprocessors.filter(
    (sub) => sub.status === "active" && sub.serviceKeys.some((key) => customer.serviceKeys.includes(key)),
  );
  const foreign = customer.foreignRegistration;
  return {
    language,
    versionLabel: `${vendor.tradeName} v1`,
    date: "2026-11-22",
    processor: {
      legalName: vendor.legalName,
      tradeName: vendor.tradeName,
      address: vendor.address,
      postcode: vendor.postcode,
      city: vendor.city,
      country: vendor.country,
      registrationNumber: vendor.kvkNumber,
    },
    controller: {
      name: customer.name,
      registrationNumber: customer.kvkNumber ?? (foreign ? `${foreign.register} ${foreign.number}` : null),
      address: customer.address,
      postcode: customer.postcode,
      city: customer.city,
      country: customer.country,
      signatory: { name: customer.signatory.name, role: customer.signatory.role },
      privacyContact: customer.privacyContact,
      dpo: customer.dpo,
      notificationEmails: customer.notificationEmails,
    },
    terms: effectiveTerms(seedTermsProfiles[slug], 1, options.deviations ?? []),
    processing: {
      subjectMatter: customer.subjectMatter[language],
      nature: services.map((service) => service.description[language]).join(" "),
      purposes: customer.purposes.map((purpose) => purpose[language]),
      dataCategories: customer.dataCategories,
      dataSubjects: customer.dataSubjects,
      services: services.map((service) => ({ name: service.name[language], description: service.description[language] })),
      contractStart: customer.contractStart,
      contractTermMonths: customer.contractTermMonths,
    },
    subprocessors: subprocessors.map((sub) => ({
      name: sub.tradeName && sub.tradeName !== sub.legalName ? `${sub.legalName} (${sub.tradeName})` : sub.legalName,
      service: sub.service[language],
      locations: sub.locations,
      safeguard: sub.transferSafeguard,
    })),
    securityMeasures: {
      defaults: defaultSecurityMeasures[slug].map((measure) => measure[language]),
      additions: customer.securityAdditions.map((addition) => addition[language]),
    },
  };
}

