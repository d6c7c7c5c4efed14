/**
 * Customers' processor agreements: drafting from templates/ with the customer's effective terms,
 * sending, signing in the portal, countersigning (by a person, or automatically on standard terms),
 * sealing as a digitally signed PDF, superseding, and DPAs on the customer's own paper.
 *
 * Rendering and signing PDFs is asynchronous and happens outside the (synchronous) database
 * transactions: a DPA is first recorded as signed, then sealed. If the process dies in between,
 * the DPA stays "signed" and can be countersigned again; nothing is lost.
 */
import { and, asc, count, desc, eq, inArray, isNull, ne, notInArray, sql } from "drizzle-orm";
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Db, Tx } from "../../db/client";
import {
  customers,
  customerServices,
  dpas,
  dpaSignatures,
  services,
  subprocessorExclusions,
  subprocessors,
  subprocessorServices,
  termDeviations,
  termsVersions,
  users,
  workspaces,
} from "../../db/schema";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { renderSignedPdf, workspaceSigner, certificateFingerprint } from "~/documents/index.server";
import { dpaPdfFilename, dpaPdfSpec, type DpaSignatureEvidence } from "~/documents/dpa-pdf";
import {
  buildDpaTemplateData,
  coverage,
  dpaText,
  dpaTextHash,
  DpaTemplateError,
  loadDpaTemplate,
  renderTemplate,
  type DpaCoverage,
  type RenderedDpa,
} from "~/documents/dpa-template";
import { applyDpaEvent, type DpaEvent, type DpaRefusal, type DpaState } from "~/domain/dpa-lifecycle";
import { can, type Actor } from "~/domain/permissions";
import { effectiveTerms, termsProfileSchema, type StoredDeviation } from "~/domain/terms";
import { translator, type Locale } from "~/i18n/i18n";
import { enqueueMail } from "~/mail/outbox.server";
import { appendAudit } from "./audit.server";
import { displayInstant } from "./display.server";
import { forbidden, notFound } from "./http.server";
import { newId } from "./ids.server";

type StaffActor = Extract<Actor, { kind: "staff" }>;
type PortalActor = Extract<Actor, { kind: "portal" }>;
type DpaRow = typeof dpas.$inferSelect;
type Handle = Db | Tx;

/** Upload limit for a DPA on the customer's paper. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

function requireStaffActor(actor: Actor, permission: "workspace:read" | "workspace:write" = "workspace:read"): asserts actor is StaffActor {
  if (actor.kind !== "staff") throw notFound();
  if (!can(actor, permission)) throw forbidden();
}

function requirePortalActor(actor: Actor): asserts actor is PortalActor {
  if (actor.kind !== "portal" || !can(actor, "portal:self")) throw notFound();
}

export type DpaResult = { ok: true; dpaId: string } | { ok: false; error: DpaErrorKey };

/** Every refusal has a message in app/i18n/areas/dpas.ts under "dpas.error.<key>". */
export type DpaErrorKey =
  | DpaRefusal
  | "offer_open"
  | "no_terms_version"
  | "template"
  | "not_authorised"
  | "name_required"
  | "role_required"
  | "not_a_pdf"
  | "too_large"
  | "no_signed_dpa";

function parseJsonList(text: string): string[] {
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

function customerDeviations(db: Handle, customerId: string): StoredDeviation[] {
  return db
    .select()
    .from(termDeviations)
    .where(eq(termDeviations.customerId, customerId))
    .all()
    .map((row) => ({ field: row.field, value: JSON.parse(row.value) as unknown, reason: row.reason, clause: row.clause }));
}

/** The newest terms version already in effect on `today`, else the oldest: what a new DPA is offered on. */
function offeredTermsVersion(db: Handle, workspaceId: string, today: string) {
  const inEffect = db
    .select()
    .from(termsVersions)
    .where(and(eq(termsVersions.workspaceId, workspaceId), sql`${termsVersions.effectiveDate} <= ${today}`))
    .orderBy(desc(termsVersions.version))
    .limit(1)
    .get();
  return inEffect ?? db.select().from(termsVersions).where(eq(termsVersions.workspaceId, workspaceId)).orderBy(asc(termsVersions.version)).limit(1).get();
}

/** The sub-processors engaged for a customer: active ones behind its services, minus agreed exclusions. */
export function customerSubprocessors(db: Handle, workspaceId: string, customerId: string) {
  const excluded = db
    .select({ id: subprocessorExclusions.subprocessorId })
    .from(subprocessorExclusions)
    .where(and(eq(subprocessorExclusions.workspaceId, workspaceId), eq(subprocessorExclusions.customerId, customerId)))
    .all()
    .map((r) => r.id);
  return db
    .selectDistinct({
      id: subprocessors.id,
      legalName: subprocessors.legalName,
      serviceNl: subprocessors.serviceNl,
      serviceEn: subprocessors.serviceEn,
      locations: subprocessors.locations,
      transferSafeguard: subprocessors.transferSafeguard,
    })
    .from(subprocessors)
    .innerJoin(subprocessorServices, eq(subprocessorServices.subprocessorId, subprocessors.id))
    .innerJoin(customerServices, eq(customerServices.serviceId, subprocessorServices.serviceId))
    .where(
      and(
        eq(subprocessors.workspaceId, workspaceId),
        eq(subprocessors.status, "active"),
        eq(customerServices.customerId, customerId),
        excluded.length > 0 ? notInArray(subprocessors.id, excluded) : undefined,
      ),
    )
    .orderBy(asc(subprocessors.nameKey))
    .all();
}

/** The customer's sub-processors for the staff customer page (404 outside the actor's workspace). */
export async function customerSubprocessorsFor(actor: Actor, customerId: string) {
  requireStaffActor(actor);
  const db = getDb();
  const customer = db.select({ id: customers.id }).from(customers).where(and(eq(customers.id, customerId), eq(customers.workspaceId, actor.workspaceId))).get();
  if (!customer) throw notFound();
  return customerSubprocessors(db, actor.workspaceId, customerId).map((s) => ({ ...s, locations: parseJsonList(s.locations) }));
}

type Composed = { termsVersionId: string; versionLabel: string; language: Locale; rendered: RenderedDpa; text: string; textHash: string; coverage: DpaCoverage };

/**
 * Renders the customer's DPA from its workspace's template with its effective terms (profile version
 * plus negotiated deviations), processing details, sub-processors and security measures.
 * Throws DpaTemplateError when data the text needs is missing.
 */
export async function composeDpa(db: Handle, workspaceId: string, customerId: string, today: string): Promise<Composed> {
  const workspace = db.select().from(workspaces).where(eq(workspaces.id, workspaceId)).get();
  const customer = db.select().from(customers).where(and(eq(customers.id, customerId), eq(customers.workspaceId, workspaceId))).get();
  if (!workspace || !customer) throw notFound();
  const version = offeredTermsVersion(db, workspaceId, today);
  if (!version) throw new DpaTemplateError("missing_value", "the workspace has no terms profile version", "terms");
  const profile = termsProfileSchema.parse(JSON.parse(version.content));
  const terms = effectiveTerms(profile, version.version, customerDeviations(db, customerId));
  const language = customer.language;
  const used = db
    .select({ nameNl: services.nameNl, nameEn: services.nameEn, personalData: services.personalData })
    .from(customerServices)
    .innerJoin(services, eq(services.id, customerServices.serviceId))
    .where(eq(customerServices.customerId, customerId))
    .orderBy(asc(services.nameNl))
    .all();
  const measures = (JSON.parse(workspace.securityMeasures) as { nl: string; en: string }[]).map((m) => m[language]);
  const versionLabel = `${workspace.tradeName} v${version.version} · ${today}`;
  const data = buildDpaTemplateData({
    language,
    versionLabel,
    date: today,
    processor: {
      legalName: workspace.legalName,
      tradeName: workspace.tradeName,
      address: workspace.address || null,
      postcode: workspace.postcode || null,
      city: workspace.city || null,
      country: workspace.country,
      registrationNumber: workspace.kvkNumber,
    },
    controller: {
      name: customer.name,
      registrationNumber: customer.registrationNumber,
      address: customer.address || null,
      postcode: customer.postcode || null,
      city: customer.city || null,
      country: customer.country,
      signatory: { name: customer.signatoryName, role: customer.signatoryRole },
      privacyContact: { name: customer.privacyContactName, email: customer.privacyContactEmail },
      dpo: customer.dpoName && customer.dpoEmail ? { name: customer.dpoName, email: customer.dpoEmail } : null,
      notificationEmails: parseJsonList(customer.notificationEmails),
    },
    terms,
    processing: {
      subjectMatter: customer.subjectMatter,
      nature: customer.nature,
      duration: customer.processingDuration || null,
      purposes: parseJsonList(customer.purposes),
      dataCategories: parseJsonList(customer.dataCategories),
      dataSubjects: parseJsonList(customer.dataSubjects),
      services: used.map((s) => ({ name: language === "en" ? s.nameEn : s.nameNl, description: s.personalData })),
      contractStart: customer.contractStart,
      contractTermMonths: customer.contractTermMonths,
    },
    subprocessors: customerSubprocessors(db, workspaceId, customerId).map((s) => ({
      name: s.legalName,
      service: language === "en" ? s.serviceEn : s.serviceNl,
      locations: parseJsonList(s.locations),
      safeguard: s.transferSafeguard,
    })),
    securityMeasures: { defaults: measures, additions: parseJsonList(customer.securityAdditions) },
  });
  const rendered = renderTemplate(await loadDpaTemplate(workspace.dpaTemplate ?? workspace.slug, language), data);
  const text = dpaText(rendered);
  return { termsVersionId: version.id, versionLabel, language, rendered, text, textHash: dpaTextHash(text), coverage: coverage(rendered) };
}

function hasNegotiatedTerms(db: Handle, customerId: string): boolean {
  return (db.select({ n: count() }).from(termDeviations).where(eq(termDeviations.customerId, customerId)).get()?.n ?? 0) > 0;
}

function openOffer(db: Handle, customerId: string): DpaRow | undefined {
  return db
    .select()
    .from(dpas)
    .where(and(eq(dpas.customerId, customerId), inArray(dpas.state, ["draft", "sent", "signed"])))
    .orderBy(desc(dpas.createdAt))
    .limit(1)
    .get();
}

export function insertDraft(tx: Tx, actor: Actor, workspaceId: string, customerId: string, composed: Composed, now: string): string {
  const id = newId();
  tx.insert(dpas)
    .values({
      id,
      workspaceId,
      customerId,
      termsVersionId: composed.termsVersionId,
      kind: "standard",
      language: composed.language,
      state: "draft",
      versionLabel: composed.versionLabel,
      text: composed.text,
      textHash: composed.textHash,
      rendered: JSON.stringify({ rendered: composed.rendered, coverage: composed.coverage }),
      createdByUserId: actor.kind === "staff" ? actor.userId : null,
      createdAt: now,
    })
    .run();
  appendAudit(tx, actor, now, {
    action: "dpa.drafted",
    entityType: "dpa",
    entityId: id,
    customerId,
    data: { versionLabel: composed.versionLabel, textHash: composed.textHash, gaps: composed.coverage.gaps },
  });
  return id;
}

function transition(tx: Tx, dpa: DpaRow, event: DpaEvent): { ok: true; state: DpaState } | { ok: false; error: DpaErrorKey } {
  const result = applyDpaEvent(dpa.state, dpa.textHash, event);
  return result.ok ? result : { ok: false, error: result.refusal };
}

function portalUsersOf(db: Handle, customerId: string): string[] {
  return db
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.portalCustomerId, customerId), isNull(users.disabledAt)))
    .all()
    .map((u) => u.email);
}

function sendInTx(tx: Tx, actor: Actor, dpa: DpaRow, now: string): DpaResult {
  const next = transition(tx, dpa, { type: "send" });
  if (!next.ok) return next;
  const customer = tx.select().from(customers).where(eq(customers.id, dpa.customerId)).get()!;
  const workspace = tx.select().from(workspaces).where(eq(workspaces.id, dpa.workspaceId)).get()!;
  tx.update(dpas).set({ state: next.state, sentAt: now }).where(eq(dpas.id, dpa.id)).run();
  const t = translator(customer.language);
  const to = [...new Set([customer.signatoryEmail, ...portalUsersOf(tx, customer.id)].filter((e) => e.length > 0))];
  enqueueMail(
    tx,
    {
      workspaceId: dpa.workspaceId,
      customerId: customer.id,
      kind: "dpa_sent",
      to,
      subject: t("dpas.mail.sent.subject", { vendor: workspace.tradeName }),
      text: t("dpas.mail.sent.body", { vendor: workspace.legalName, customer: customer.name, version: dpa.versionLabel, link: `${getConfig().appUrl}/portal/dpa` }),
    },
    now,
  );
  appendAudit(tx, actor, now, { action: "dpa.sent", entityType: "dpa", entityId: dpa.id, customerId: customer.id, data: { to } });
  return { ok: true, dpaId: dpa.id };
}

/** Drafts a DPA for one customer on the terms version in effect; refuses while another offer is open. */
export async function draftDpa(actor: Actor, customerId: string, now: string): Promise<DpaResult> {
  requireStaffActor(actor, "workspace:write");
  const db = getDb();
  const customer = db.select({ id: customers.id }).from(customers).where(and(eq(customers.id, customerId), eq(customers.workspaceId, actor.workspaceId))).get();
  if (!customer) throw notFound();
  if (openOffer(db, customerId)) return { ok: false, error: "offer_open" };
  let composed: Composed;
  try {
    composed = await composeDpa(db, actor.workspaceId, customerId, now.slice(0, 10));
  } catch (error) {
    if (error instanceof DpaTemplateError) return { ok: false, error: "template" };
    throw error;
  }
  return db.transaction(
    (tx): DpaResult => {
      if (openOffer(tx, customerId)) return { ok: false, error: "offer_open" };
      return { ok: true, dpaId: insertDraft(tx, actor, actor.workspaceId, customerId, composed, now) };
    },
    { behavior: "immediate" },
  );
}

function staffDpa(db: Handle, actor: StaffActor, dpaId: string): DpaRow {
  const dpa = db.select().from(dpas).where(and(eq(dpas.id, dpaId), eq(dpas.workspaceId, actor.workspaceId))).get();
  if (!dpa) throw notFound();
  return dpa;
}

export async function sendDpa(actor: Actor, dpaId: string, now: string): Promise<DpaResult> {
  requireStaffActor(actor, "workspace:write");
  const db = getDb();
  return db.transaction((tx) => sendInTx(tx, actor, staffDpa(tx, actor, dpaId), now), { behavior: "immediate" });
}

/** Withdraws an offer that is not signed yet (a draft or a sent DPA); it ends without ever being in force. */
export async function withdrawDpa(actor: Actor, dpaId: string, now: string): Promise<DpaResult> {
  requireStaffActor(actor, "workspace:write");
  const db = getDb();
  return db.transaction(
    (tx): DpaResult => {
      const dpa = staffDpa(tx, actor, dpaId);
      if (dpa.state !== "draft" && dpa.state !== "sent") return { ok: false, error: dpa.state === "signed" ? "already_signed" : "not_sent" };
      tx.update(dpas).set({ state: "ended", endedAt: now }).where(eq(dpas.id, dpa.id)).run();
      appendAudit(tx, actor, now, { action: "dpa.withdrawn", entityType: "dpa", entityId: dpa.id, customerId: dpa.customerId });
      return { ok: true, dpaId: dpa.id };
    },
    { behavior: "immediate" },
  );
}

export type BulkSendReport = {
  considered: number;
  sent: { customerId: string; customerName: string }[];
  failed: { customerId: string; customerName: string; error: DpaErrorKey }[];
};

/**
 * Offers a DPA to every active customer without one in force on the current terms version (no DPA
 * at all, or one on an older version) and without an open offer. Each customer is its own
 * transaction, so one failure (missing data in the customer record) does not stop the others; the
 * report names each failure.
 */
export async function sendDpasToUnsigned(actor: Actor, now: string, onProgress?: (done: number, total: number) => void): Promise<BulkSendReport> {
  requireStaffActor(actor, "workspace:write");
  const db = getDb();
  const today = now.slice(0, 10);
  const current = offeredTermsVersion(db, actor.workspaceId, today);
  const candidates = db
    .select({ id: customers.id, name: customers.name })
    .from(customers)
    .where(
      and(
        eq(customers.workspaceId, actor.workspaceId),
        isNull(customers.archivedAt),
        ne(customers.status, "ended"),
        sql`not exists (select 1 from ${dpas} where ${dpas.customerId} = ${customers.id} and (${dpas.state} in ('draft', 'sent', 'signed') or (${dpas.state} = 'in_force' and ${dpas.termsVersionId} = ${current?.id ?? ""})))`,
      ),
    )
    .orderBy(asc(customers.nameKey))
    .all();
  const report: BulkSendReport = { considered: candidates.length, sent: [], failed: [] };
  for (const [index, customer] of candidates.entries()) {
    try {
      const composed = await composeDpa(db, actor.workspaceId, customer.id, today);
      const result = db.transaction(
        (tx): DpaResult => {
          if (openOffer(tx, customer.id)) return { ok: false, error: "offer_open" };
          const id = insertDraft(tx, actor, actor.workspaceId, customer.id, composed, now);
          return sendInTx(tx, actor, tx.select().from(dpas).where(eq(dpas.id, id)).get()!, now);
        },
        { behavior: "immediate" },
      );
      if (result.ok) report.sent.push({ customerId: customer.id, customerName: customer.name });
      else report.failed.push({ customerId: customer.id, customerName: customer.name, error: result.error });
    } catch (error) {
      if (!(error instanceof DpaTemplateError)) throw error;
      report.failed.push({ customerId: customer.id, customerName: customer.name, error: "template" });
    }
    onProgress?.(index + 1, candidates.length);
  }
  db.transaction(
    (tx) =>
      appendAudit(tx, actor, now, {
        action: "dpa.bulk_sent",
        entityType: "workspace",
        entityId: actor.workspaceId,
        data: { considered: report.considered, sent: report.sent.length, failed: report.failed.map((f) => ({ customerId: f.customerId, error: f.error })) },
      }),
    { behavior: "immediate" },
  );
  return report;
}

export type SignatureInput = { fullName: string; roleTitle: string; authorised: boolean; textHash: string; ip: string | null; userAgent: string | null };

function signatureProblems(input: SignatureInput): DpaErrorKey | null {
  if (!input.fullName.trim()) return "name_required";
  if (!input.roleTitle.trim()) return "role_required";
  if (!input.authorised) return "not_authorised";
  return null;
}

/**
 * The customer signs in the portal. The form carries the hash of the text the customer read; any
 * other hash (a changed text, a forged field) is refused. With automatic countersignature on and no
 * negotiated terms, the processor's signature follows at once and the sealed PDF is ready.
 */
export async function signDpaAsCustomer(actor: Actor, dpaId: string, input: SignatureInput, now: string): Promise<DpaResult> {
  requirePortalActor(actor);
  const problem = signatureProblems(input);
  if (problem) return { ok: false, error: problem };
  const db = getDb();
  const signed = db.transaction(
    (tx): DpaResult => {
      const dpa = tx
        .select()
        .from(dpas)
        .where(and(eq(dpas.id, dpaId), eq(dpas.workspaceId, actor.workspaceId), eq(dpas.customerId, actor.customerId)))
        .get();
      if (!dpa || dpa.state === "draft") throw notFound();
      const next = transition(tx, dpa, { type: "customer_sign", textHash: input.textHash });
      if (!next.ok) return next;
      tx.update(dpas).set({ state: next.state, customerSignedAt: now }).where(eq(dpas.id, dpa.id)).run();
      tx.insert(dpaSignatures)
        .values({
          id: newId(),
          dpaId: dpa.id,
          workspaceId: dpa.workspaceId,
          customerId: dpa.customerId,
          party: "controller",
          userId: actor.userId,
          fullName: input.fullName.trim(),
          roleTitle: input.roleTitle.trim(),
          authorised: true,
          signedAt: now,
          ip: input.ip,
          userAgent: input.userAgent?.slice(0, 500) ?? null,
          textHash: input.textHash,
        })
        .run();
      appendAudit(tx, actor, now, { action: "dpa.signed_by_customer", entityType: "dpa", entityId: dpa.id, customerId: dpa.customerId, data: { fullName: input.fullName, ip: input.ip } });
      return { ok: true, dpaId: dpa.id };
    },
    { behavior: "immediate" },
  );
  if (!signed.ok) return signed;
  const workspace = db.select().from(workspaces).where(eq(workspaces.id, actor.workspaceId)).get()!;
  if (workspace.autoCountersign && !hasNegotiatedTerms(db, actor.customerId)) {
    const system: Actor = { kind: "system", label: "automatic countersignature", workspaceId: workspace.id };
    const result = await countersignAndSeal(db, system, dpaId, { fullName: workspace.legalName, roleTitle: "", automatic: true, ip: null, userAgent: null }, now);
    if (!result.ok) return result;
  }
  return signed;
}

/** The processor's admin or privacy officer countersigns; the DPA is sealed as a signed PDF and goes into force. */
export async function countersignDpa(
  actor: Actor,
  dpaId: string,
  input: { fullName: string; roleTitle: string; ip: string | null; userAgent: string | null },
  now: string,
): Promise<DpaResult> {
  requireStaffActor(actor, "workspace:write");
  if (!input.fullName.trim()) return { ok: false, error: "name_required" };
  if (!input.roleTitle.trim()) return { ok: false, error: "role_required" };
  const db = getDb();
  staffDpa(db, actor, dpaId);
  return countersignAndSeal(db, actor, dpaId, { ...input, automatic: false }, now);
}

function dpaFilePath(workspaceId: string, dpaId: string, suffix: string): string {
  return path.join(getConfig().dataDir, "dpas", workspaceId, `${dpaId}${suffix}`);
}

async function writeAtomically(file: string, bytes: Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${newId()}.tmp`;
  await writeFile(temporary, bytes, { mode: 0o640 });
  await rename(temporary, file);
}

/** Countersigns a DPA the customer signed and seals it as a signed PDF. Used by countersignDpa, automatic countersignature and the demo seed. */
export async function countersignAndSeal(
  db: Db,
  actor: Actor,
  dpaId: string,
  input: { fullName: string; roleTitle: string; automatic: boolean; ip: string | null; userAgent: string | null },
  now: string,
): Promise<DpaResult> {
  const dpa = db.select().from(dpas).where(eq(dpas.id, dpaId)).get();
  if (!dpa) throw notFound();
  const negotiated = hasNegotiatedTerms(db, dpa.customerId);
  const check = applyDpaEvent(dpa.state, dpa.textHash, { type: "countersign", textHash: dpa.textHash, automatic: input.automatic, negotiated });
  if (!check.ok) return { ok: false, error: check.refusal };
  const workspace = db.select().from(workspaces).where(eq(workspaces.id, dpa.workspaceId)).get()!;
  const customer = db.select().from(customers).where(eq(customers.id, dpa.customerId)).get()!;
  const controller = db.select().from(dpaSignatures).where(and(eq(dpaSignatures.dpaId, dpa.id), eq(dpaSignatures.party, "controller"))).get();
  if (!controller) return { ok: false, error: "not_signed_by_customer" };
  const processorSignature = { fullName: input.fullName.trim(), roleTitle: input.roleTitle.trim(), signedAt: now };
  const evidence: DpaSignatureEvidence[] = [
    {
      party: "controller",
      organisation: customer.name,
      fullName: controller.fullName,
      roleTitle: controller.roleTitle,
      signedAt: controller.signedAt,
      signedAtDisplay: displayInstant(controller.signedAt),
      ip: controller.ip,
      userAgent: controller.userAgent,
      automatic: false,
      textHash: controller.textHash,
    },
    {
      party: "processor",
      organisation: workspace.legalName,
      fullName: processorSignature.fullName,
      roleTitle: processorSignature.roleTitle,
      signedAt: now,
      signedAtDisplay: displayInstant(now),
      ip: input.ip,
      userAgent: input.userAgent,
      automatic: input.automatic,
      textHash: dpa.textHash,
    },
  ];
  const signer = await workspaceSigner({ id: workspace.id, slug: workspace.slug, legalName: workspace.legalName }, getConfig());
  const { rendered } = JSON.parse(dpa.rendered) as { rendered: RenderedDpa };
  const spec = dpaPdfSpec({
    language: dpa.language,
    rendered,
    versionLabel: dpa.versionLabel,
    textHash: dpa.textHash,
    processorName: workspace.legalName,
    controllerName: customer.name,
    signatures: evidence,
    sealedAt: now,
    certificateFingerprint: certificateFingerprint(signer.p12, signer.passphrase),
  });
  const pdf = await renderSignedPdf(spec, signer, {
    reason: dpa.language === "en" ? "Processor agreement signed by both parties" : "Verwerkersovereenkomst ondertekend door beide partijen",
    name: workspace.legalName,
    location: workspace.city || "NL",
    contactInfo: customer.privacyContactEmail,
    signingTime: new Date(now),
  });
  const file = dpaFilePath(workspace.id, dpa.id, ".pdf");
  await writeAtomically(file, pdf);
  const pdfSha256 = createHash("sha256").update(pdf).digest("hex");
  return db.transaction(
    (tx): DpaResult => {
      const fresh = tx.select().from(dpas).where(eq(dpas.id, dpa.id)).get()!;
      const next = transition(tx, fresh, { type: "countersign", textHash: fresh.textHash, automatic: input.automatic, negotiated });
      if (!next.ok) return next;
      tx.insert(dpaSignatures)
        .values({
          id: newId(),
          dpaId: dpa.id,
          workspaceId: dpa.workspaceId,
          customerId: dpa.customerId,
          party: "processor",
          userId: actor.kind === "staff" ? actor.userId : null,
          fullName: processorSignature.fullName,
          roleTitle: processorSignature.roleTitle,
          authorised: true,
          automatic: input.automatic,
          signedAt: now,
          ip: input.ip,
          userAgent: input.userAgent?.slice(0, 500) ?? null,
          textHash: fresh.textHash,
        })
        .run();
      supersedePrevious(tx, actor, dpa, now);
      tx.update(dpas)
        .set({ state: next.state, countersignedAt: now, inForceAt: now, pdfPath: path.relative(getConfig().dataDir, file), pdfSha256 })
        .where(eq(dpas.id, dpa.id))
        .run();
      tx.update(customers).set({ termsVersionId: fresh.termsVersionId, updatedAt: now }).where(eq(customers.id, dpa.customerId)).run();
      const t = translator(customer.language);
      enqueueMail(
        tx,
        {
          workspaceId: dpa.workspaceId,
          customerId: customer.id,
          kind: "dpa_in_force",
          to: [...new Set([customer.signatoryEmail, ...portalUsersOf(tx, customer.id)].filter((e) => e.length > 0))],
          subject: t("dpas.mail.inForce.subject", { vendor: workspace.tradeName }),
          text: t("dpas.mail.inForce.body", { vendor: workspace.legalName, customer: customer.name, version: dpa.versionLabel, link: `${getConfig().appUrl}/portal/dpa.pdf` }),
          attachments: [{ filename: dpaPdfFilename(customer.name, dpa.versionLabel, now.slice(0, 10)), contentType: "application/pdf", path: file }],
        },
        now,
      );
      appendAudit(tx, actor, now, {
        action: input.automatic ? "dpa.countersigned_automatically" : "dpa.countersigned",
        entityType: "dpa",
        entityId: dpa.id,
        customerId: dpa.customerId,
        data: { fullName: processorSignature.fullName, pdfSha256 },
      });
      return { ok: true, dpaId: dpa.id };
    },
    { behavior: "immediate" },
  );
}

/** The DPA in force before this one (if any) is superseded the moment the new one goes into force. */
function supersedePrevious(tx: Tx, actor: Actor, next: DpaRow, now: string): void {
  const previous = tx
    .select()
    .from(dpas)
    .where(and(eq(dpas.customerId, next.customerId), eq(dpas.state, "in_force"), ne(dpas.id, next.id)))
    .all();
  for (const old of previous) {
    tx.update(dpas).set({ state: "superseded", supersededAt: now, supersededById: next.id }).where(eq(dpas.id, old.id)).run();
    appendAudit(tx, actor, now, { action: "dpa.superseded", entityType: "dpa", entityId: old.id, customerId: old.customerId, data: { by: next.id } });
  }
}

function isPdf(bytes: Uint8Array): boolean {
  return bytes.length > 5 && Buffer.from(bytes.subarray(0, 5)).toString("latin1") === "%PDF-";
}

/**
 * A DPA on the customer's own paper: staff upload the signed document (PDF only, at most 10 MB);
 * it goes into force at once and supersedes the previous DPA. Its effective terms are entered as
 * negotiated deviations on the customer's terms page, so clocks, registers and exports use them.
 */
export async function uploadCustomerPaperDpa(
  actor: Actor,
  customerId: string,
  file: { filename: string; bytes: Uint8Array },
  now: string,
): Promise<DpaResult> {
  requireStaffActor(actor, "workspace:write");
  if (file.bytes.length > MAX_UPLOAD_BYTES) return { ok: false, error: "too_large" };
  if (!isPdf(file.bytes)) return { ok: false, error: "not_a_pdf" };
  const db = getDb();
  const customer = db.select().from(customers).where(and(eq(customers.id, customerId), eq(customers.workspaceId, actor.workspaceId))).get();
  if (!customer) throw notFound();
  const version = offeredTermsVersion(db, actor.workspaceId, now.slice(0, 10));
  if (!version) return { ok: false, error: "no_terms_version" };
  const sha256 = createHash("sha256").update(file.bytes).digest("hex");
  const id = newId();
  const target = dpaFilePath(actor.workspaceId, id, ".upload.pdf");
  await writeAtomically(target, Buffer.from(file.bytes));
  const filename = path.basename(file.filename).replace(/[^\p{L}\p{N} ._()-]+/gu, "_").slice(0, 200) || "dpa.pdf";
  return db.transaction(
    (tx): DpaResult => {
      const row: typeof dpas.$inferInsert = {
        id,
        workspaceId: actor.workspaceId,
        customerId,
        termsVersionId: version.id,
        kind: "customer_paper",
        language: customer.language,
        state: "in_force",
        versionLabel: `${customer.name} · ${filename} · ${now.slice(0, 10)}`,
        text: "",
        textHash: sha256,
        rendered: "{}",
        createdByUserId: actor.userId,
        createdAt: now,
        inForceAt: now,
        uploadPath: path.relative(getConfig().dataDir, target),
        uploadSha256: sha256,
        uploadFilename: filename,
      };
      tx.insert(dpas).values(row).run();
      supersedePrevious(tx, actor, tx.select().from(dpas).where(eq(dpas.id, id)).get()!, now);
      tx.update(customers).set({ termsVersionId: version.id, updatedAt: now }).where(eq(customers.id, customerId)).run();
      appendAudit(tx, actor, now, { action: "dpa.customer_paper_uploaded", entityType: "dpa", entityId: id, customerId, data: { filename, sha256, size: file.bytes.length } });
      return { ok: true, dpaId: id };
    },
    { behavior: "immediate" },
  );
}

export type DpaSummary = {
  id: string;
  kind: DpaRow["kind"];
  state: DpaState;
  language: Locale;
  versionLabel: string;
  termsVersion: number;
  textHash: string;
  createdAt: string;
  sentAt: string | null;
  customerSignedAt: string | null;
  countersignedAt: string | null;
  inForceAt: string | null;
  supersededAt: string | null;
  endedAt: string | null;
  hasPdf: boolean;
};

function summaries(db: Handle, where: ReturnType<typeof and>): DpaSummary[] {
  return db
    .select({ dpa: dpas, version: termsVersions.version })
    .from(dpas)
    .innerJoin(termsVersions, eq(termsVersions.id, dpas.termsVersionId))
    .where(where)
    .orderBy(desc(dpas.createdAt), desc(dpas.id))
    .all()
    .map(({ dpa, version }) => ({
      id: dpa.id,
      kind: dpa.kind,
      state: dpa.state,
      language: dpa.language,
      versionLabel: dpa.versionLabel,
      termsVersion: version,
      textHash: dpa.textHash,
      createdAt: dpa.createdAt,
      sentAt: dpa.sentAt,
      customerSignedAt: dpa.customerSignedAt,
      countersignedAt: dpa.countersignedAt,
      inForceAt: dpa.inForceAt,
      supersededAt: dpa.supersededAt,
      endedAt: dpa.endedAt,
      hasPdf: Boolean(dpa.pdfPath || dpa.uploadPath),
    }));
}

/** Every DPA of one customer, newest first, for the staff page. */
export async function listCustomerDpas(actor: Actor, customerId: string): Promise<DpaSummary[]> {
  requireStaffActor(actor);
  const db = getDb();
  const customer = db.select({ id: customers.id }).from(customers).where(and(eq(customers.id, customerId), eq(customers.workspaceId, actor.workspaceId))).get();
  if (!customer) throw notFound();
  return summaries(db, and(eq(dpas.workspaceId, actor.workspaceId), eq(dpas.customerId, customerId)));
}

export type DpaDetail = DpaSummary & {
  customerId: string;
  customerName: string;
  rendered: RenderedDpa | null;
  coverage: DpaCoverage | null;
  signatures: { party: "controller" | "processor"; fullName: string; roleTitle: string; signedAt: string; ip: string | null; automatic: boolean; textHash: string }[];
  uploadFilename: string | null;
  negotiated: boolean;
};

function detail(db: Handle, dpa: DpaRow): DpaDetail {
  const summary = summaries(db, eq(dpas.id, dpa.id))[0];
  const customer = db.select({ name: customers.name }).from(customers).where(eq(customers.id, dpa.customerId)).get()!;
  const parsed = dpa.kind === "standard" ? (JSON.parse(dpa.rendered) as { rendered: RenderedDpa; coverage: DpaCoverage }) : null;
  return {
    ...summary,
    customerId: dpa.customerId,
    customerName: customer.name,
    rendered: parsed?.rendered ?? null,
    coverage: parsed?.coverage ?? null,
    signatures: db
      .select()
      .from(dpaSignatures)
      .where(eq(dpaSignatures.dpaId, dpa.id))
      .orderBy(asc(dpaSignatures.signedAt))
      .all()
      .map((s) => ({ party: s.party, fullName: s.fullName, roleTitle: s.roleTitle, signedAt: s.signedAt, ip: s.ip, automatic: s.automatic, textHash: s.textHash })),
    uploadFilename: dpa.uploadFilename,
    negotiated: hasNegotiatedTerms(db, dpa.customerId),
  };
}

export async function getDpaForStaff(actor: Actor, dpaId: string): Promise<DpaDetail> {
  requireStaffActor(actor);
  const db = getDb();
  return detail(db, staffDpa(db, actor, dpaId));
}

/**
 * What the portal shows: the offer to read and sign (sent or signed-and-waiting), and the DPA in force.
 * Drafts are never visible to the customer.
 */
export async function getPortalDpas(actor: Actor): Promise<{ offer: DpaDetail | null; inForce: DpaDetail | null; history: DpaSummary[] }> {
  requirePortalActor(actor);
  const db = getDb();
  const scope = and(eq(dpas.workspaceId, actor.workspaceId), eq(dpas.customerId, actor.customerId));
  const offerRow = db.select().from(dpas).where(and(scope, inArray(dpas.state, ["sent", "signed"]))).orderBy(desc(dpas.createdAt)).limit(1).get();
  const inForceRow = db.select().from(dpas).where(and(scope, eq(dpas.state, "in_force"))).orderBy(desc(dpas.inForceAt)).limit(1).get();
  return {
    offer: offerRow ? detail(db, offerRow) : null,
    inForce: inForceRow ? detail(db, inForceRow) : null,
    history: summaries(db, and(scope, ne(dpas.state, "draft"))),
  };
}

export type PdfDownload = { bytes: Buffer; filename: string };

async function pdfOf(dpa: DpaRow, customerName: string): Promise<PdfDownload | null> {
  const relative = dpa.pdfPath ?? dpa.uploadPath;
  if (!relative) return null;
  const bytes = await readFile(path.join(getConfig().dataDir, relative));
  const filename = dpa.kind === "customer_paper" && dpa.uploadFilename ? dpa.uploadFilename : dpaPdfFilename(customerName, dpa.versionLabel, (dpa.inForceAt ?? dpa.createdAt).slice(0, 10));
  return { bytes, filename };
}

export async function downloadDpaPdfForStaff(actor: Actor, dpaId: string): Promise<PdfDownload> {
  requireStaffActor(actor);
  const db = getDb();
  const dpa = staffDpa(db, actor, dpaId);
  const customer = db.select({ name: customers.name }).from(customers).where(eq(customers.id, dpa.customerId)).get()!;
  const pdf = await pdfOf(dpa, customer.name);
  if (!pdf) throw notFound();
  return pdf;
}

/** The portal user's current signed DPA (the stable address /portal/dpa.pdf), or a specific one of its own. */
export async function downloadDpaPdfForPortal(actor: Actor, dpaId?: string): Promise<PdfDownload> {
  requirePortalActor(actor);
  const db = getDb();
  const scope = and(eq(dpas.workspaceId, actor.workspaceId), eq(dpas.customerId, actor.customerId));
  const dpa = dpaId
    ? db.select().from(dpas).where(and(scope, eq(dpas.id, dpaId), ne(dpas.state, "draft"))).get()
    : db.select().from(dpas).where(and(scope, eq(dpas.state, "in_force"))).orderBy(desc(dpas.inForceAt)).limit(1).get();
  if (!dpa) throw notFound();
  const customer = db.select({ name: customers.name }).from(customers).where(eq(customers.id, actor.customerId)).get()!;
  const pdf = await pdfOf(dpa, customer.name);
  if (!pdf) throw notFound();
  return pdf;
}

/** Counts of customers' newest DPA by state, for the DPA overview. */
export async function dpaStateCounts(actor: Actor): Promise<Record<DpaState | "none", number>> {
  requireStaffActor(actor);
  const db = getDb();
  const rows = db
    .select({ state: dpas.state, n: sql<number>`count(distinct ${dpas.customerId})` })
    .from(dpas)
    .where(eq(dpas.workspaceId, actor.workspaceId))
    .groupBy(dpas.state)
    .all();
  const withDpa = db
    .select({ n: sql<number>`count(distinct ${dpas.customerId})` })
    .from(dpas)
    .where(and(eq(dpas.workspaceId, actor.workspaceId), ne(dpas.state, "ended")))
    .get()?.n ?? 0;
  const total =
    db
      .select({ n: count() })
      .from(customers)
      .where(and(eq(customers.workspaceId, actor.workspaceId), isNull(customers.archivedAt)))
      .get()?.n ?? 0;
  const result: Record<DpaState | "none", number> = { draft: 0, sent: 0, signed: 0, in_force: 0, superseded: 0, ended: 0, none: Math.max(0, total - withDpa) };
  for (const r of rows) result[r.state] = r.n;
  return result;
}
