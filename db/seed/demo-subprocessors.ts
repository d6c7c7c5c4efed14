/**
 * Demo sub-processor data for one workspace, written inside the demo seed's transaction: the
 * vendor's register from demo-data.ts, a dated change history (the retired entry's replacement or
 * removal, with notices to the customers of that time and their answers), one change announced
 * three days before `now` whose windows are still open, and one objection awaiting resolution.
 *
 * Notices are computed exactly as sending computes them (regime and window from each customer's
 * effective terms, the text in its language, the text's SHA-256) but no mail is queued: the demo
 * has nothing to deliver for notices "sent" before it started.
 *
 * Four demo customers get a negotiated objection right (KlantGenerator #1 and #2, PureDigital #1 and
 * #4), so that every workspace has an objection to resolve and a window that is still open, also
 * where the vendor's own terms give no objection right.
 * The additional proposed sub-processors are real, well-known providers; what is recorded about
 * them (locations, hours, purposes) is ILLUSTRATIVE DEMO DATA, not a statement about their contracts.
 */
import { and, eq, inArray } from "drizzle-orm";
import { createHash, randomUUID } from "node:crypto";
import { Temporal } from "temporal-polyfill";
import type { Tx } from "../client";
import {
  customers,
  subprocessorChanges,
  subprocessorHistory,
  subprocessorNotices,
  subprocessorServices,
  subprocessors,
  termDeviations,
  termsVersions,
  workspaces,
} from "../schema";
import type { Actor } from "../../app/domain/permissions";
import { regimeForNotice, statusAfterSending, type ChangeKind } from "../../app/domain/subprocessor-notice";
import { effectiveTerms, termsProfileSchema, type NegotiatedDeviation, type StoredDeviation } from "../../app/domain/terms";
import { AMSTERDAM, parseInstant } from "../../app/domain/time";
import { appendAudit } from "../../app/services/audit.server";
import { noticeMail, type TextChange, type TextEntry } from "../../app/services/subprocessor-texts.server";
import { demoCustomers, type DemoSubprocessor, type DemoVendor, type LocalizedText, type VendorSlug } from "./demo-data";

type ProposedSubprocessor = Omit<DemoSubprocessor, "status" | "startDate" | "endDate" | "fromSeed"> & { description: LocalizedText };

/** One new sub-processor per vendor, announced three days before the seed's `now`. */
const PROPOSED: Record<VendorSlug, ProposedSubprocessor> = {
  leadcube: {
    key: "scaleway",
    legalName: "Scaleway SAS",
    tradeName: "Scaleway",
    service: { nl: "Objectopslag voor bijlagen bij formulieren (regio Parijs)", en: "Object storage for form attachments (Paris region)" },
    purpose: { nl: "Bijlagen die bezoekers via formulieren uploaden veilig bewaren", en: "Keep attachments that visitors upload through forms safe" },
    locations: ["FR"],
    dataCategories: ["name", "contact", "communication"],
    transferSafeguard: null,
    breachNoticeHours: 24,
    serviceKeys: ["lead-forms", "platform-accounts"],
    note: "Contract under negotiation; 24 h breach notice agreed so VO 7.5 can be met.",
    description: {
      nl: "Formulieren krijgen een uploadveld. De bijlagen slaan wij versleuteld op bij Scaleway in Parijs en bewaren ze zo lang als de lead zelf.",
      en: "Forms get an upload field. We store the attachments encrypted at Scaleway in Paris and keep them as long as the lead itself.",
    },
  },
  klantgenerator: {
    key: "mollie",
    legalName: "Mollie B.V.",
    tradeName: "Mollie",
    service: { nl: "Betaaldienst voor cursussen en trainingen (iDEAL, creditcard)", en: "Payment service for courses and trainings (iDEAL, credit card)" },
    purpose: { nl: "Inschrijvingen voor cursussen en trainingen direct laten betalen", en: "Let participants pay for courses and trainings when they sign up" },
    locations: ["NL"],
    dataCategories: ["name", "contact", "financial", "order_data"],
    transferSafeguard: null,
    breachNoticeHours: 24,
    serviceKeys: ["online-courses", "trainings-events"],
    note: null,
    description: {
      nl: "Cursisten kunnen bij inschrijving direct betalen. Mollie verwerkt daarvoor naam, e-mailadres en betaalgegevens, in Nederland.",
      en: "Participants can pay when they sign up. Mollie processes their name, email address and payment data for this, in the Netherlands.",
    },
  },
  "lai-media": {
    key: "leaseweb",
    legalName: "Leaseweb Netherlands B.V.",
    tradeName: "Leaseweb",
    service: { nl: "Tweede datacenter (Haarlem) voor servers en back-ups", en: "Second data centre (Haarlem) for servers and backups" },
    purpose: { nl: "Uitwijklocatie bij een storing van het primaire datacenter", en: "Fallback location if the primary data centre fails" },
    locations: ["NL"],
    dataCategories: ["name", "contact", "address", "communication", "order_data", "login", "ip_address"],
    transferSafeguard: null,
    breachNoticeHours: 24,
    serviceKeys: ["dedicated-hosting", "backup", "webhosting"],
    note: "Rack contract signed; cross-connect to Equinix AM planned.",
    description: {
      nl: "Wij nemen een tweede datacenter in Haarlem in gebruik als uitwijklocatie. Back-ups en replica's van servers staan daarna op twee locaties in Nederland.",
      en: "We are taking a second data centre in Haarlem into use as a fallback location. Backups and server replicas will then be kept at two locations in the Netherlands.",
    },
  },
  elementon: {
    key: "hetzner",
    legalName: "Hetzner Online GmbH",
    tradeName: "Hetzner",
    service: { nl: "Versleutelde off-site back-ups (Falkenstein, Duitsland)", en: "Encrypted off-site backups (Falkenstein, Germany)" },
    purpose: { nl: "Herstel na verlies of een storing bij de hostingpartij in Nederland", en: "Recovery after loss or an outage at the hosting provider in the Netherlands" },
    locations: ["DE"],
    dataCategories: ["name", "contact", "address", "communication", "order_data"],
    transferSafeguard: null,
    breachNoticeHours: 24,
    serviceKeys: ["websites", "hosting", "crm", "orders-payments"],
    note: "Outside NL: announced as an exception under art. 30.3.",
    description: {
      nl: "Wij bewaren een versleutelde kopie van de back-ups bij Hetzner in Duitsland, zodat een storing in Nederland geen gegevens kost. Dit is een uitzondering op opslag in Nederland (art. 30.3).",
      en: "We keep an encrypted copy of the backups at Hetzner in Germany, so an outage in the Netherlands does not lose data. This is an exception to storage in the Netherlands (art. 30.3).",
    },
  },
  puredigital: {
    key: "linkedin",
    legalName: "LinkedIn Ireland Unlimited Company",
    tradeName: "LinkedIn Ads",
    service: { nl: "Advertenties op LinkedIn en de Insight Tag", en: "LinkedIn ads and the Insight Tag" },
    purpose: { nl: "B2B-campagnes uitvoeren en conversies meten", en: "Run B2B campaigns and measure conversions" },
    locations: ["IE", "US"],
    dataCategories: ["online_identifiers", "usage_data", "contact"],
    transferSafeguard: "scc",
    breachNoticeHours: null,
    serviceKeys: ["online-campaigns"],
    note: "No hour limit offered; short of the 12 h in art. 6.6.",
    description: {
      nl: "Voor zakelijke doelgroepen voegen wij LinkedIn toe aan de campagnes. De Insight Tag meet conversies op uw website.",
      en: "For business audiences we add LinkedIn to the campaigns. The Insight Tag measures conversions on your website.",
    },
  },
};

/** A change from the past, already in effect, with its notices. */
const HISTORY: Record<VendorSlug, { kind: ChangeKind; subject: string; replaces: string | null; description: LocalizedText }> = {
  leadcube: {
    kind: "replacement",
    subject: "aws",
    replaces: "digitalocean",
    description: {
      nl: "Het platform verhuist van DigitalOcean naar AWS in Frankfurt. Daarmee blijven alle gegevens in de EU; de doorgifte naar de VS vervalt.",
      en: "The platform moves from DigitalOcean to AWS in Frankfurt. All data stays in the EU; the transfer to the US ends.",
    },
  },
  klantgenerator: {
    kind: "removal",
    subject: "kajabi",
    replaces: null,
    description: {
      nl: "Het cursusplatform draait voortaan op eigen hosting bij TransIP. Kajabi verwijdert alle gegevens na de overstap.",
      en: "The course platform now runs on our own hosting at TransIP. Kajabi deletes all data after the move.",
    },
  },
  "lai-media": {
    kind: "replacement",
    subject: "trengo",
    replaces: "zendesk",
    description: {
      nl: "Het klantcontact verhuist van Zendesk naar Trengo. Supportgesprekken staan daarna alleen nog in Nederland.",
      en: "Customer support moves from Zendesk to Trengo. Support conversations will then only be kept in the Netherlands.",
    },
  },
  elementon: {
    kind: "replacement",
    subject: "brevo",
    replaces: "mailgun",
    description: {
      nl: "Transactionele e-mail gaat voortaan via Brevo in Frankrijk in plaats van Mailgun in de VS.",
      en: "Transactional email will go through Brevo in France instead of Mailgun in the US.",
    },
  },
  puredigital: {
    kind: "removal",
    subject: "hotjar",
    replaces: null,
    description: {
      nl: "Wij stoppen met heatmaps en sessie-opnames via Hotjar. Hotjar verwijdert de opgeslagen gegevens.",
      en: "We stop using heatmaps and session recordings through Hotjar. Hotjar deletes the stored data.",
    },
  },
};

/** Customer (index in demo order) that objected to the pending change, with its reasons. */
const OBJECTOR: Record<VendorSlug, { index: number; reasons: LocalizedText }> = {
  leadcube: {
    index: 2,
    reasons: {
      nl: "Wij willen eerst weten hoe lang bijlagen worden bewaard en wie er toegang toe heeft. Tot die tijd geven wij geen toestemming.",
      en: "We first want to know how long attachments are kept and who can access them. Until then we do not give approval.",
    },
  },
  klantgenerator: {
    index: 2,
    reasons: {
      nl: "Onze deelnemers betalen via hun werkgever op factuur. Wij willen niet dat hun betaalgegevens bij een extra partij terechtkomen.",
      en: "Our participants pay by invoice through their employer. We do not want their payment data to end up with an extra party.",
    },
  },
  "lai-media": {
    index: 1,
    reasons: {
      nl: "Wij hosten patiëntgegevens. Een tweede locatie moet eerst door onze eigen security officer worden beoordeeld (NEN 7510).",
      en: "We host patient data. A second location must first be assessed by our own security officer (NEN 7510).",
    },
  },
  elementon: {
    index: 2,
    reasons: {
      nl: "Ons ledenbestand moet in Nederland blijven; dat hebben wij onze leden beloofd in de privacyverklaring.",
      en: "Our membership records must stay in the Netherlands; we promised our members this in our privacy statement.",
    },
  },
  puredigital: {
    index: 1,
    reasons: {
      nl: "Wij zijn een zorgpraktijk en willen geen trackingpixel van een extra advertentieplatform op onze website.",
      en: "We are a care practice and do not want a tracking pixel of an extra ad platform on our website.",
    },
  },
};

/** Customer that approved the pending change (approval regime) or said it has no objection. */
const APPROVER: Partial<Record<VendorSlug, number>> = { leadcube: 1, "lai-media": 3 };

/**
 * Negotiated objection rights added for the demo (customer index in demo order), so these vendors
 * also have an objection to handle and a window that is still open.
 */
const EXTRA_DEVIATIONS: Partial<Record<VendorSlug, { index: number; deviations: NegotiatedDeviation[] }[]>> = {
  klantgenerator: [
    {
      index: 2,
      deviations: [
        {
          field: "subprocessorRegime",
          value: "general_with_objection",
          reason: "Klant verwerkt personeels- en sollicitatiegegevens en wil bezwaar kunnen maken tegen nieuwe subverwerkers.",
          clause: "Aanvullende afspraken HR Academie, art. 2.1",
        },
        {
          field: "objectionWindow",
          value: { amount: 14, unit: "days", from: "notice_sent" },
          reason: "Bezwaar binnen 14 dagen na de kennisgeving, zoals in de eigen inkoopvoorwaarden.",
          clause: "Aanvullende afspraken HR Academie, art. 2.2",
        },
      ],
    },
    {
      index: 1,
      deviations: [
        {
          field: "subprocessorRegime",
          value: "general_with_objection",
          reason: "Coachingpraktijk met gevoelige gesprekken; wil nieuwe subverwerkers vooraf kunnen beoordelen.",
          clause: "Aanvulling verwerkersafspraken In Balans, art. 3",
        },
        {
          field: "objectionWindow",
          value: { amount: 2, unit: "weeks", from: "notice_sent" },
          reason: "Bezwaar binnen twee weken na de kennisgeving.",
          clause: "Aanvulling verwerkersafspraken In Balans, art. 3",
        },
      ],
    },
  ],
  puredigital: [
    {
      index: 1,
      deviations: [
        {
          field: "subprocessorRegime",
          value: "general_with_objection",
          reason: "Zorgpraktijk; wil vooraf kunnen beoordelen welke advertentieplatforms gegevens van websitebezoekers krijgen.",
          clause: "Side letter Duinzicht, art. 1",
        },
        {
          field: "objectionWindow",
          value: { amount: 30, unit: "days", from: "notice_sent" },
          reason: "Bezwaar binnen 30 dagen na de kennisgeving.",
          clause: "Side letter Duinzicht, art. 1",
        },
      ],
    },
    {
      index: 4,
      deviations: [
        {
          field: "subprocessorRegime",
          value: "general_with_objection",
          reason: "Klant eist bezwaarrecht op nieuwe advertentieplatforms in de raamovereenkomst.",
          clause: "Raamovereenkomst De Boon, bijlage B, art. 5",
        },
        {
          field: "objectionWindow",
          value: { amount: 14, unit: "days", from: "notice_sent" },
          reason: "Bezwaar binnen 14 dagen na de kennisgeving.",
          clause: "Raamovereenkomst De Boon, bijlage B, art. 5",
        },
      ],
    },
  ],
};

export type SeedDemoSubprocessorsInput = {
  vendor: DemoVendor;
  workspaceId: string;
  /** the workspace's customers' ids, in the order of demoCustomers[vendor.slug] */
  customerIds: string[];
  /** service key → service id */
  serviceIds: Map<string, string>;
  /** the seed's clock, an ISO instant */
  now: string;
};

type CustomerRow = typeof customers.$inferSelect;

function amsterdamInstant(date: string, time: string): string {
  return Temporal.PlainDate.from(date)
    .toZonedDateTime({ timeZone: AMSTERDAM, plainTime: Temporal.PlainTime.from(time) })
    .toInstant()
    .toString({ smallestUnit: "millisecond" });
}

function shiftDays(instant: string, days: number): string {
  return parseInstant(instant, "instant")
    .add({ hours: 24 * days })
    .toString({ smallestUnit: "millisecond" });
}

function amsterdamDate(instant: string): string {
  return parseInstant(instant, "instant").toZonedDateTimeISO(AMSTERDAM).toPlainDate().toString();
}

function addDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function recipients(c: CustomerRow): string[] {
  const list = JSON.parse(c.notificationEmails) as string[];
  return list.length > 0 ? list : c.privacyContactEmail ? [c.privacyContactEmail] : [];
}

function textEntryOf(sp: DemoSubprocessor | ProposedSubprocessor): TextEntry {
  return {
    legalName: sp.legalName,
    tradeName: sp.tradeName,
    service: sp.service,
    purpose: sp.purpose,
    locations: sp.locations,
    dataCategories: sp.dataCategories,
    transferSafeguard: sp.transferSafeguard,
  };
}

/**
 * Writes the workspace's demo sub-processors. Call it inside the demo seed's transaction, after the
 * workspace's terms version, services, customers and negotiated deviations exist.
 */
export function seedDemoSubprocessors(tx: Tx, input: SeedDemoSubprocessorsInput): void {
  const { vendor, workspaceId, customerIds, serviceIds, now } = input;
  const actor: Actor = { kind: "system", label: "demo-seed", workspaceId };
  const workspace = tx.select().from(workspaces).where(eq(workspaces.id, workspaceId)).get();
  if (!workspace) throw new Error(`seedDemoSubprocessors: no workspace ${workspaceId}`);

  for (const extra of EXTRA_DEVIATIONS[vendor.slug] ?? []) {
    const customerId = customerIds[extra.index];
    for (const d of extra.deviations) {
      const id = randomUUID();
      tx.insert(termDeviations)
        .values({ id, workspaceId, customerId, field: d.field, value: JSON.stringify(d.value), reason: d.reason, clause: d.clause, createdAt: now })
        .run();
      appendAudit(tx, actor, now, { action: "terms_deviation.created", entityType: "term_deviation", entityId: id, customerId, data: d });
    }
  }

  const customerRows = new Map(
    tx
      .select()
      .from(customers)
      .where(inArray(customers.id, customerIds))
      .all()
      .map((c) => [c.id, c] as const),
  );
  const ordered = customerIds.map((id) => {
    const row = customerRows.get(id);
    if (!row) throw new Error(`seedDemoSubprocessors: no customer ${id}`);
    return row;
  });
  const termsOf = termsLookup(tx, workspaceId);
  const serviceKeysOf = (index: number): string[] => demoCustomers[vendor.slug][index]?.serviceKeys ?? [];

  // the register
  const ids = new Map<string, string>();
  const insertEntry = (sp: DemoSubprocessor | ProposedSubprocessor, status: "proposed" | "active" | "retired", startDate: string | null, endDate: string | null, createdAt: string) => {
    const id = randomUUID();
    ids.set(sp.key, id);
    tx.insert(subprocessors)
      .values({
        id,
        workspaceId,
        legalName: sp.legalName,
        nameKey: sp.legalName.toLowerCase(),
        tradeName: sp.tradeName,
        serviceNl: sp.service.nl,
        serviceEn: sp.service.en,
        purposeNl: sp.purpose.nl,
        purposeEn: sp.purpose.en,
        locations: JSON.stringify(sp.locations),
        dataCategories: JSON.stringify(sp.dataCategories),
        transferSafeguard: sp.transferSafeguard,
        dpaDate: status === "proposed" ? null : startDate,
        breachNoticeHours: sp.breachNoticeHours,
        status,
        startDate,
        endDate,
        internalNote: sp.note ?? "",
        createdAt,
        updatedAt: createdAt,
      })
      .run();
    for (const key of sp.serviceKeys) {
      const serviceId = serviceIds.get(key);
      if (!serviceId) throw new Error(`sub-processor ${sp.key} of ${vendor.slug} uses unknown service ${key}`);
      tx.insert(subprocessorServices).values({ subprocessorId: id, serviceId, workspaceId }).run();
    }
    tx.insert(subprocessorHistory)
      .values({
        id: randomUUID(),
        workspaceId,
        subprocessorId: id,
        event: "created",
        at: createdAt,
        actorLabel: "system: demo-seed",
        data: JSON.stringify({ legalName: sp.legalName, status, startDate, endDate, locations: sp.locations }),
      })
      .run();
    appendAudit(tx, actor, now, { action: "subprocessor.created", entityType: "subprocessor", entityId: id, data: { legalName: sp.legalName, status } });
    return id;
  };
  for (const sp of vendor.subprocessors) {
    insertEntry(sp, sp.status, sp.startDate, sp.endDate, amsterdamInstant(addDays(sp.startDate, -60), "10:00"));
  }
  const proposed = PROPOSED[vendor.slug];
  const pendingSentAt = shiftDays(now, -3);
  insertEntry(proposed, "proposed", null, null, shiftDays(now, -10));

  // the change from the past
  const history = HISTORY[vendor.slug];
  const subjectData = vendor.subprocessors.find((s) => s.key === history.subject)!;
  const replacedData = history.replaces ? vendor.subprocessors.find((s) => s.key === history.replaces)! : null;
  const historyStart = history.kind === "removal" ? addDays(subjectData.endDate!, 1) : subjectData.startDate;
  const historySentAt = amsterdamInstant(addDays(historyStart, -45), "10:00");
  const historyServices = new Set([...subjectData.serviceKeys, ...(replacedData?.serviceKeys ?? [])]);
  const historyCustomers = ordered.filter((c, index) => c.contractStart <= amsterdamDate(historySentAt) && serviceKeysOf(index).some((k) => historyServices.has(k)));
  writeChange(tx, {
    workspace,
    actor,
    now,
    kind: history.kind,
    subjectId: ids.get(history.subject)!,
    replacesId: history.replaces ? ids.get(history.replaces)! : null,
    subject: textEntryOf(subjectData),
    replaced: replacedData ? textEntryOf(replacedData) : null,
    description: history.description,
    plannedStart: historyStart,
    sentAt: historySentAt,
    customers: historyCustomers,
    termsOf,
    status: "in_effect",
    responses: (c, regime) => {
      if (regime === "approval_required") return { response: "approved", at: shiftDays(historySentAt, 2), reasons: null, name: c.privacyContactName };
      if (vendor.slug === "lai-media" && c.id === historyCustomers[0]?.id) {
        return {
          response: "objected",
          at: shiftDays(historySentAt, 4),
          reasons: "Wij willen weten of gesprekken met onze klanten in Nederland blijven voordat wij akkoord gaan.",
          name: c.privacyContactName,
          resolution: { outcome: "withdrew", at: shiftDays(historySentAt, 9), note: "Toegelicht dat Trengo alleen in Nederland opslaat; klant trekt het bezwaar in." },
        };
      }
      return null;
    },
  });

  // the change announced three days ago, windows still open
  const pendingStart = addDays(amsterdamDate(now), 35);
  const pendingServices = new Set(proposed.serviceKeys);
  const pendingCustomers = ordered.filter((_c, index) => serviceKeysOf(index).some((k) => pendingServices.has(k)));
  const objector = ordered[OBJECTOR[vendor.slug].index];
  const approverIndex = APPROVER[vendor.slug];
  writeChange(tx, {
    workspace,
    actor,
    now,
    kind: "new",
    subjectId: ids.get(proposed.key)!,
    replacesId: null,
    subject: textEntryOf(proposed),
    replaced: null,
    description: proposed.description,
    plannedStart: pendingStart,
    sentAt: pendingSentAt,
    customers: pendingCustomers,
    termsOf,
    status: null,
    responses: (c) => {
      if (c.id === objector.id) {
        const reasons = OBJECTOR[vendor.slug].reasons[c.language];
        return { response: "objected", at: shiftDays(pendingSentAt, 1), reasons, name: c.privacyContactName };
      }
      if (approverIndex !== undefined && c.id === ordered[approverIndex].id) return { response: "approved", at: shiftDays(pendingSentAt, 2), reasons: null, name: c.privacyContactName };
      return null;
    },
  });
}

function termsLookup(tx: Tx, workspaceId: string) {
  const versions = new Map(
    tx
      .select()
      .from(termsVersions)
      .where(eq(termsVersions.workspaceId, workspaceId))
      .all()
      .map((v) => [v.id, { version: v.version, profile: termsProfileSchema.parse(JSON.parse(v.content)) }] as const),
  );
  return (c: CustomerRow) => {
    if (!c.termsVersionId) return null;
    const version = versions.get(c.termsVersionId);
    if (!version) return null;
    const deviations: StoredDeviation[] = tx
      .select()
      .from(termDeviations)
      .where(and(eq(termDeviations.workspaceId, workspaceId), eq(termDeviations.customerId, c.id)))
      .all()
      .map((d) => ({ field: d.field, value: JSON.parse(d.value) as unknown, reason: d.reason, clause: d.clause }));
    return effectiveTerms(version.profile, version.version, deviations);
  };
}

type SeedResponse = {
  response: "approved" | "objected";
  at: string;
  reasons: string | null;
  name: string;
  resolution?: { outcome: "withdrew"; at: string; note: string };
} | null;

function writeChange(
  tx: Tx,
  input: {
    workspace: typeof workspaces.$inferSelect;
    actor: Actor;
    now: string;
    kind: ChangeKind;
    subjectId: string;
    replacesId: string | null;
    subject: TextEntry;
    replaced: TextEntry | null;
    description: LocalizedText;
    plannedStart: string;
    sentAt: string;
    customers: CustomerRow[];
    termsOf: (c: CustomerRow) => ReturnType<typeof effectiveTerms> | null;
    /** null: as sending would set it (awaiting approval or scheduled) */
    status: "in_effect" | null;
    responses: (c: CustomerRow, regime: string) => SeedResponse;
  },
): void {
  const { workspace, actor, now, sentAt } = input;
  const changeId = randomUUID();
  const change: TextChange = { kind: input.kind, plannedStart: input.plannedStart, description: input.description, newLocations: null, newTransferSafeguard: null, newPurpose: null };
  const notices = input.customers.map((c) => {
    const regime = regimeForNotice({ terms: input.termsOf(c), noticeSentAt: sentAt });
    const mail = noticeMail({
      locale: c.language,
      vendor: workspace.tradeName,
      customerName: c.name,
      change,
      subject: input.subject,
      replaced: input.replaced,
      regime,
      portalLink: "/portal/subprocessors",
    });
    return { c, regime, mail };
  });
  const status = input.status ?? statusAfterSending(notices.map((n) => n.regime.regime));
  tx.insert(subprocessorChanges)
    .values({
      id: changeId,
      workspaceId: workspace.id,
      kind: input.kind,
      subprocessorId: input.subjectId,
      replacesSubprocessorId: input.replacesId,
      plannedStart: input.plannedStart,
      descriptionNl: input.description.nl,
      descriptionEn: input.description.en,
      status,
      createdAt: shiftDays(sentAt, -1),
      updatedAt: sentAt,
      sentAt,
      startAcceptedAt: status === "awaiting_approval" ? null : shiftDays(sentAt, status === "in_effect" ? 20 : 0),
      appliedAt: status === "in_effect" ? amsterdamInstant(input.plannedStart, "00:05") : null,
    })
    .run();
  for (const { c, regime, mail } of notices) {
    const answer = input.responses(c, regime.regime);
    tx.insert(subprocessorNotices)
      .values({
        id: randomUUID(),
        workspaceId: workspace.id,
        changeId,
        customerId: c.id,
        included: true,
        usesRelatedService: true,
        sentAt,
        regime: regime.regime,
        regimeArticle: regime.article,
        termsVersionId: c.termsVersionId,
        windowEnd: regime.windowEnd,
        windowDeadline: regime.deadline ? JSON.stringify(regime.deadline) : null,
        language: c.language,
        toAddresses: JSON.stringify(recipients(c)),
        subject: mail.subject,
        body: mail.body,
        bodySha256: sha256(mail.body),
        response: answer?.response ?? null,
        respondedAt: answer?.at ?? null,
        respondedByName: answer?.name ?? null,
        reasons: answer?.reasons ?? null,
        resolution: answer?.resolution?.outcome ?? null,
        resolvedAt: answer?.resolution?.at ?? null,
        resolutionNote: answer?.resolution?.note ?? null,
        createdAt: shiftDays(sentAt, -1),
      })
      .run();
  }
  const historyRow = (subprocessorId: string, event: string, at: string, data: unknown) =>
    tx
      .insert(subprocessorHistory)
      .values({ id: randomUUID(), workspaceId: workspace.id, subprocessorId, changeId, event, at, actorLabel: "system: demo-seed", data: JSON.stringify(data) })
      .run();
  const data = { kind: input.kind, plannedStart: input.plannedStart, notified: notices.length, status };
  historyRow(input.subjectId, "change_announced", sentAt, data);
  if (input.replacesId) historyRow(input.replacesId, "change_announced", sentAt, data);
  if (status === "in_effect") {
    const at = amsterdamInstant(input.plannedStart, "00:05");
    historyRow(input.subjectId, "change_in_effect", at, { kind: input.kind, plannedStart: input.plannedStart });
    if (input.replacesId) historyRow(input.replacesId, "change_in_effect", at, { kind: input.kind, plannedStart: input.plannedStart });
  }
  appendAudit(tx, actor, now, {
    action: "subprocessor_change.sent",
    entityType: "subprocessor_change",
    entityId: changeId,
    data: { ...data, sentAt, seeded: true },
  });
}

