/**
 * Demo breach data for one workspace, written inside the demo seed's transaction (after the
 * workspace's terms version, services, customers and negotiated deviations exist):
 *
 * - a closed personal data breach from about ten weeks before `now`: its affected customers with
 *   the notice deadlines from their own effective terms, the first notice and one update sent to
 *   each (letters written from templates/breach exactly as sending writes them, with their SHA-256),
 *   acknowledgements (the first customer's by its portal user), and that customer's report that it
 *   notified the authority;
 * - an incident judged not to be a breach, with the reasoning, closed.
 *
 * No mail is queued and no PDF is made here: the demo has nothing to deliver for notices "sent"
 * before it started, and a letter's signed PDF is made from the stored text on first download.
 */
import { and, eq, inArray, isNotNull } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Tx } from "../client";
import { breachCustomers, breachNoticeDeliveries, breachNotices, breaches, customers, customerServices, services, users, workspaces } from "../schema";
import { parseNoticeTemplate, type NoticeTemplate } from "../../app/domain/breach-notice";
import { authorityClock, isLateNotice, requiredNoticeItems } from "../../app/domain/breach-obligations";
import type { Locale } from "../../app/domain/locale";
import type { Actor } from "../../app/domain/permissions";
import { getConfig } from "../../app/config.server";
import { appendAudit } from "../../app/services/audit.server";
import { factsOfBreach, insertBreach, parseList, sha256Hex, termsResolver, type BreachInsert } from "../../app/services/breach-core.server";
import { composeLetter } from "../../app/services/breach-notices.server";
import type { VendorSlug } from "./demo-data";

export type SeedDemoBreachesInput = {
  vendorSlug: VendorSlug;
  workspaceId: string;
  /** the workspace's customers in demo-data order (index 0 has the portal user) */
  customerIds: string[];
  /** ISO instant of the seed */
  now: string;
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function shift(now: string, ms: number): string {
  return new Date(Date.parse(now) + ms).toISOString();
}

const templates = new Map<Locale, NoticeTemplate>();
function template(language: Locale): NoticeTemplate {
  let parsed = templates.get(language);
  if (!parsed) {
    parsed = parseNoticeTemplate(readFileSync(path.resolve(process.cwd(), "templates", "breach", `notice.${language}.md`), "utf8"));
    templates.set(language, parsed);
  }
  return parsed;
}

/** Which demo customers the closed breach affected: the first four (index 0 has the portal user). */
const AFFECTED_INDEXES = [0, 1, 3, 4];

export function seedDemoBreaches(tx: Tx, input: SeedDemoBreachesInput): void {
  const { workspaceId, now } = input;
  const actor: Actor = { kind: "system", label: "demo-seed", workspaceId };
  const workspace = tx.select().from(workspaces).where(eq(workspaces.id, workspaceId)).get();
  if (!workspace) throw new Error(`seedDemoBreaches: no workspace ${workspaceId}`);
  const affectedIds = AFFECTED_INDEXES.map((i) => input.customerIds[i]).filter((id): id is string => typeof id === "string");
  const affected = tx.select({ id: customers.id, termsVersionId: customers.termsVersionId }).from(customers).where(inArray(customers.id, affectedIds)).all();
  const usedServices = tx
    .selectDistinct({ id: services.id })
    .from(customerServices)
    .innerJoin(services, eq(services.id, customerServices.serviceId))
    .where(and(eq(customerServices.workspaceId, workspaceId), inArray(customerServices.customerId, affectedIds)))
    .all()
    .map((s) => s.id)
    .slice(0, 1);

  // ----- the closed breach -------------------------------------------------------------------
  const discoveredAt = shift(now, -72 * DAY);
  const record: BreachInsert = {
    title: "Phishing: inloggegevens van een supportmedewerker misbruikt",
    classification: "breach",
    classificationReasoning: "Onbevoegde toegang tot persoonsgegevens van klanten van meerdere klanten: een inbreuk in de zin van art. 4 lid 12 AVG.",
    nature:
      "Een supportmedewerker vulde zijn wachtwoord in op een nagemaakte inlogpagina. Met die gegevens heeft een onbekende gedurende ongeveer drie uur de beheeromgeving geopend en exportlijsten van vier klanten bekeken. Er zijn geen gegevens gewijzigd of verwijderd.",
    breachTypes: ["confidentiality"],
    sourceKind: "own_systems",
    subprocessorId: null,
    subprocessorReportedAt: null,
    serviceIds: usedServices,
    occurredFrom: shift(discoveredAt, -5 * HOUR),
    occurredTo: shift(discoveredAt, -2 * HOUR),
    ongoing: false,
    discoveredAt,
    shouldHaveKnownAt: shift(discoveredAt, -HOUR),
    dataCategories: ["name", "contact", "order_data"],
    dataCategoriesNote: "",
    dataSubjects: ["customers", "prospects"],
    subjectsMin: 850,
    subjectsMax: 1400,
    recordsMin: 900,
    recordsMax: 1600,
    protection: "Toegang alleen met wachtwoord; MFA was voor deze rol nog niet verplicht. Exportbestanden niet versleuteld.",
    consequences: "Kans op gerichte phishing en spam aan de betrokkenen. Geen financiële gegevens of wachtwoorden van betrokkenen buitgemaakt.",
    measuresTaken: "Account geblokkeerd, alle sessies beëindigd, wachtwoorden van het supportteam gewijzigd, toegangslogboeken veiliggesteld.",
    measuresProposed: "MFA verplicht voor alle medewerkers met toegang tot de beheeromgeving; phishingtraining voor het supportteam.",
    contactName: "Privacy officer",
    contactEmail: `privacy@${input.vendorSlug}.example`,
    contactPhone: "",
    followUpContact: "",
    riskLevel: "risk",
    riskReasoning: "Contactgegevens en bestelgegevens, geen bijzondere persoonsgegevens of BSN; misbruik beperkt tot phishing. Geen hoog risico.",
    subjectsNotice: "not_required",
    subjectsNoticeReasoning: "Geen hoog risico; de klanten beslissen zelf over het informeren van hun eigen klanten.",
    crossBorder: false,
  };
  const created = insertBreach(tx, { workspaceId, values: record, now: shift(discoveredAt, HOUR), createdByUserId: null, customers: affected });
  appendAudit(tx, actor, now, {
    action: "breach.logged",
    entityType: "breach",
    entityId: created.id,
    data: { reference: created.reference, affectedCustomers: created.affected, demo: true },
  });

  const breach = tx.select().from(breaches).where(eq(breaches.id, created.id)).get()!;
  const facts = factsOfBreach(tx, breach);
  const resolve = termsResolver(tx, workspaceId);
  const obligations = tx
    .select({
      id: breachCustomers.id,
      customerId: breachCustomers.customerId,
      noticeDue: breachCustomers.noticeDue,
      name: customers.name,
      language: customers.language,
      termsVersionId: customers.termsVersionId,
      notificationEmails: customers.notificationEmails,
      privacyContactEmail: customers.privacyContactEmail,
    })
    .from(breachCustomers)
    .innerJoin(customers, eq(customers.id, breachCustomers.customerId))
    .where(eq(breachCustomers.breachId, created.id))
    .all();
  const portalUsers = new Map(
    tx
      .select({ id: users.id, name: users.name, customerId: users.portalCustomerId })
      .from(users)
      .where(and(eq(users.portalWorkspaceId, workspaceId), isNotNull(users.portalCustomerId)))
      .all()
      .map((u) => [u.customerId!, u])
  );

  const notices = [
    { sequence: 1, sentAt: shift(discoveredAt, 6 * HOUR), messageNl: "", messageEn: "" },
    {
      sequence: 2,
      sentAt: shift(discoveredAt, 3 * DAY),
      messageNl:
        "Het onderzoek is afgerond. De logboeken bevestigen dat alleen de exportlijsten zijn bekeken; er zijn geen gegevens gedownload naar buiten ons netwerk. MFA is inmiddels voor iedereen verplicht.",
      messageEn:
        "The investigation is complete. The logs confirm that only the export lists were viewed; no data was downloaded outside our network. MFA is now mandatory for everyone.",
    },
  ];
  let firstId: string | null = null;
  const firstSent = new Map<string, string>();
  for (const n of notices) {
    const noticeId = randomUUID();
    tx.insert(breachNotices)
      .values({
        id: noticeId,
        workspaceId,
        breachId: created.id,
        sequence: n.sequence,
        followUpOfId: firstId,
        status: "sent",
        messageNl: n.messageNl,
        messageEn: n.messageEn,
        createdAt: shift(n.sentAt, -HOUR),
        updatedAt: n.sentAt,
        sentAt: n.sentAt,
      })
      .run();
    firstId ??= noticeId;
    for (const o of obligations) {
      const resolved = resolve({ id: o.customerId, termsVersionId: o.termsVersionId });
      const authority = n.sequence === 1 ? authorityClock(resolved.terms, n.sentAt) : null;
      const letter = composeLetter({
        template: template(o.language),
        language: o.language,
        facts,
        sequence: n.sequence,
        message: o.language === "nl" ? n.messageNl : n.messageEn,
        customerName: o.name,
        vendorLegalName: workspace.legalName,
        sentAt: n.sentAt,
        firstSentAt: firstSent.get(o.customerId) ?? null,
        authority,
        required: requiredNoticeItems(resolved.terms),
        portalLink: `${getConfig().appUrl}/portal/breaches/${created.id}`,
      });
      const portalUser = portalUsers.get(o.customerId);
      const ackAt = shift(n.sentAt, portalUser ? 2 * HOUR : 9 * HOUR);
      const late = n.sequence === 1 && isLateNotice(o.noticeDue, n.sentAt);
      const deliveryId = randomUUID();
      const to = parseList(o.notificationEmails);
      tx.insert(breachNoticeDeliveries)
        .values({
          id: deliveryId,
          workspaceId,
          breachId: created.id,
          noticeId,
          customerId: o.customerId,
          sentAt: n.sentAt,
          language: o.language,
          toAddresses: JSON.stringify(to.length > 0 ? to : [o.privacyContactEmail]),
          subject: letter.subject,
          body: letter.body,
          bodySha256: sha256Hex(letter.body),
          facts: JSON.stringify(facts),
          late,
          acknowledgedAt: ackAt,
          acknowledgedByUserId: portalUser?.id ?? null,
          acknowledgedByName: portalUser?.name ?? o.name,
        })
        .run();
      if (n.sequence === 1 && authority) {
        firstSent.set(o.customerId, n.sentAt);
        tx.update(breachCustomers)
          .set({
            notifiedAt: n.sentAt,
            notifiedLate: late,
            authorityDeadline: JSON.stringify(authority),
            authorityDue: authority.due,
            ...(portalUser
              ? { authorityOutcome: "notified" as const, authorityOutcomeAt: shift(n.sentAt, 20 * HOUR), authorityOutcomeByUserId: portalUser.id }
              : {}),
            updatedAt: n.sentAt,
          })
          .where(eq(breachCustomers.id, o.id))
          .run();
      }
      appendAudit(tx, actor, now, {
        action: "breach.notice_delivered",
        entityType: "breach_notice_delivery",
        entityId: deliveryId,
        customerId: o.customerId,
        data: { breachId: created.id, reference: created.reference, sequence: n.sequence, demo: true },
      });
    }
  }
  const closedAt = shift(discoveredAt, 14 * DAY);
  tx.update(breaches)
    .set({
      status: "closed",
      closedAt,
      closingNote: "Alle getroffen klanten zijn geïnformeerd en hebben de ontvangst bevestigd; MFA is ingevoerd. Afgesloten na evaluatie.",
      updatedAt: closedAt,
    })
    .where(eq(breaches.id, created.id))
    .run();
  appendAudit(tx, actor, now, { action: "breach.closed", entityType: "breach", entityId: created.id, data: { reference: created.reference, demo: true } });

  // ----- the incident that was not a breach ---------------------------------------------------
  const lostAt = shift(now, -30 * DAY);
  const incident = insertBreach(tx, {
    workspaceId,
    now: shift(lostAt, 2 * HOUR),
    createdByUserId: null,
    status: "closed",
    values: {
      ...record,
      title: "Laptop van een medewerker verloren in de trein",
      classification: "not_breach",
      classificationReasoning:
        "De schijf van de laptop is volledig versleuteld (BitLocker met TPM en pincode) en het apparaat is binnen een uur op afstand gewist. De gegevens waren voor een vinder onleesbaar: geen inbreuk op de vertrouwelijkheid, beschikbaarheid of integriteit van persoonsgegevens.",
      nature: "Een accountmanager liet zijn laptop achter in de trein. Het apparaat is niet teruggevonden.",
      breachTypes: ["availability"],
      serviceIds: [],
      occurredFrom: lostAt,
      occurredTo: lostAt,
      discoveredAt: shift(lostAt, HOUR),
      shouldHaveKnownAt: null,
      dataCategories: ["name", "contact"],
      dataSubjects: ["customers"],
      subjectsMin: null,
      subjectsMax: null,
      recordsMin: null,
      recordsMax: null,
      protection: "Volledige schijfversleuteling (BitLocker, XTS-AES 256) met TPM en pincode; apparaat beheerd via MDM.",
      consequences: "Geen: de gegevens zijn onleesbaar en het apparaat is gewist.",
      measuresTaken: "Apparaat op afstand gewist, account-tokens ingetrokken, aangifte van verlies gedaan.",
      measuresProposed: "",
      riskLevel: "none",
      riskReasoning: "Versleutelde gegevens zonder de sleutel: geen risico voor betrokkenen.",
      subjectsNotice: "exempt_unintelligible",
      subjectsNoticeReasoning: "De gegevens waren door versleuteling onbegrijpelijk voor onbevoegden (art. 34 lid 3 onder a AVG).",
    },
  });
  tx.update(breaches)
    .set({ closedAt: shift(lostAt, 5 * HOUR), closingNote: "Beoordeeld als geen datalek; vastgelegd in het register met de motivering." })
    .where(eq(breaches.id, incident.id))
    .run();
  appendAudit(tx, actor, now, {
    action: "breach.logged",
    entityType: "breach",
    entityId: incident.id,
    data: { reference: incident.reference, classification: "not_breach", demo: true },
  });
  appendAudit(tx, actor, now, { action: "breach.closed", entityType: "breach", entityId: incident.id, data: { reference: incident.reference, demo: true } });
}
