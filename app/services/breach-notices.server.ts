/**
 * Notices to the customers of a breach: draft the first notice or a follow-up (numbered, linked
 * to the first), check that every recipient's terms get the contents they require, and send in
 * batches by mail (with a signed PDF letter) and in the portal.
 *
 * Sending is safe to repeat: a delivery is unique per notice and customer (the insert does
 * nothing when it exists), and each batch reports how many were sent, skipped (already sent) and
 * failed, with the reason per customer. A notice is frozen at its first delivery: its messages
 * cannot change after that. Each letter is written from the record as it is when sent, and the
 * exact text, its SHA-256 and the facts it was written from are kept with the delivery.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { and, asc, count, desc, eq, isNotNull, isNull, lt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "../../db/client";
import { breachCustomers, breachNoticeDeliveries, breachNotices, breaches, customers, workspaces } from "../../db/schema";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import {
  bullets,
  heading,
  paragraph,
  renderSignedPdf,
  workspaceSigner,
  type DocumentBlock,
  type PdfDocumentSpec,
  type WorkspaceSigner,
} from "~/documents/index.server";
import { authorityClock, isLateNotice, lateReasonProblem, requiredNoticeItems } from "~/domain/breach-obligations";
import {
  itemLabel,
  letterBlocks,
  missingItems,
  noticeSections,
  parseNoticeTemplate,
  renderNotice,
  sectionsText,
  type NoticeTemplate,
  type RenderedNotice,
} from "~/domain/breach-notice";
import type { BreachFacts } from "~/domain/breach-record";
import type { InstantDeadline } from "~/domain/deadline";
import { describeBasis } from "~/domain/explain-deadline";
import type { Locale } from "~/domain/locale";
import type { BreachNoticeItem } from "~/domain/terms";
import { formatArticleRef } from "~/domain/terms";
import { formatAmount, formatDisplayInstant, parseInstant } from "~/domain/time";
import { enqueueMail } from "~/mail/outbox.server";
import { appendAudit } from "./audit.server";
import { breachOf, factsOfBreach, parseList, requireStaffActor, sha256Hex, termsResolver, type BreachRow, type ResolvedTerms } from "./breach-core.server";
import { notFound } from "./http.server";
import { keysetAfter } from "./keyset";
import { newId } from "./ids.server";

type Handle = Db | Tx;
type AnyActor = Parameters<typeof requireStaffActor>[0];
export type NoticeRow = typeof breachNotices.$inferSelect;

/** Customers per sending batch: each gets a signed PDF (about 25 ms), so a batch stays near a second. */
export const DEFAULT_BATCH_SIZE = 20;

// ---------------------------------------------------------------------------------------
// Templates and letters

const templateCache = new Map<Locale, NoticeTemplate>();

/** templates/breach/notice.<language>.md of the working directory, parsed once per process. */
export async function loadNoticeTemplate(language: Locale): Promise<NoticeTemplate> {
  const cached = templateCache.get(language);
  if (cached) return cached;
  const file = path.resolve(process.cwd(), "templates", "breach", `notice.${language}.md`);
  const template = parseNoticeTemplate(await readFile(file, "utf8"));
  templateCache.set(language, template);
  return template;
}

export type LetterInput = {
  template: NoticeTemplate;
  language: Locale;
  facts: BreachFacts;
  sequence: number;
  message: string;
  customerName: string;
  vendorLegalName: string;
  sentAt: string;
  /** when this customer got the first notice (follow-ups) */
  firstSentAt: string | null;
  /** the customer's deadline to the authority (first notice) */
  authority: InstantDeadline | null;
  required: { items: BreachNoticeItem[]; article: string | null; source: "profile" | "negotiated" | "statutory" };
  portalLink: string;
};

function requiredArticleText(required: LetterInput["required"], language: Locale): string {
  const nl = language === "nl";
  if (required.source === "statutory") return nl ? "artikel 33 lid 3 AVG" : "Article 33(3) GDPR";
  if (!required.article) return nl ? "uw verwerkersovereenkomst" : "your processor agreement";
  if (required.source === "negotiated") return nl ? `de onderhandelde afspraak "${required.article}"` : `the negotiated clause "${required.article}"`;
  return formatArticleRef(required.article, language);
}

const display = (iso: string) => formatDisplayInstant(parseInstant(iso, "instant"));

/** The mail subject and letter text for one customer. */
export function composeLetter(input: LetterInput): RenderedNotice {
  const { facts, language } = input;
  const contactLine = [facts.contactName, facts.contactEmail, facts.contactPhone].filter((v) => v.trim() !== "").join(" · ");
  return renderNotice(input.template, {
    followUp: input.sequence > 1,
    reference: facts.reference,
    title: facts.title,
    customerName: input.customerName,
    vendorLegalName: input.vendorLegalName,
    noticeNumber: input.sequence,
    followUpNumber: input.sequence - 1,
    sentAt: display(input.sentAt),
    firstSentAt: input.firstSentAt ? display(input.firstSentAt) : null,
    message: input.message.trim(),
    sections: sectionsText(noticeSections(facts, language)),
    authorityDue: input.authority ? display(input.authority.due) : null,
    authorityRule: input.authority
      ? `${formatAmount(input.authority.amount, "hours", language)} ${language === "nl" ? "na deze melding" : "after this notice"}; ${describeBasis(input.authority.basis, language)}`
      : null,
    requiredArticle: requiredArticleText(input.required, language),
    requiredItems: input.required.items.map((item) => itemLabel(item, language)).join("; "),
    portalLink: input.portalLink,
    contactLine,
  });
}

/** The letter as a PDF document: its headings, lists and paragraphs, with the reference in the footer. */
export function letterDocument(input: {
  language: Locale;
  body: string;
  vendorLegalName: string;
  reference: string;
  sequence: number;
  bodySha256: string;
  sentAt: string;
}): PdfDocumentSpec {
  const blocks = letterBlocks(input.body);
  const titleBlock = blocks[0]?.type === "heading" ? blocks.shift() : undefined;
  const title = titleBlock?.type === "heading" ? titleBlock.text : input.language === "nl" ? "Melding van een datalek" : "Notice of a personal data breach";
  const documentBlocks: DocumentBlock[] = blocks.map((block) =>
    block.type === "heading" ? heading(2, block.text) : block.type === "bullets" ? bullets(block.items) : paragraph(block.text)
  );
  return {
    language: input.language,
    title,
    subtitle: `${input.reference} · ${input.language === "nl" ? "melding" : "notice"} ${input.sequence}`,
    metadata: { author: input.vendorLegalName, subject: title, keywords: [input.reference] },
    createdAt: new Date(input.sentAt).toISOString(),
    footerNote: `${input.reference} · SHA-256 ${input.bodySha256.slice(0, 16)}`,
    blocks: documentBlocks,
  };
}

type WorkspaceRow = typeof workspaces.$inferSelect;

async function renderLetterPdf(signer: WorkspaceSigner, workspace: WorkspaceRow, spec: PdfDocumentSpec, sentAt: string): Promise<Buffer> {
  return renderSignedPdf(spec, signer, {
    reason: `Breach notice ${spec.subtitle ?? ""}`.trim(),
    name: workspace.legalName,
    location: workspace.city || workspace.country,
    contactInfo: workspace.website ?? workspace.legalName,
    signingTime: new Date(sentAt),
  });
}

function letterRelativePath(workspaceId: string, deliveryId: string): string {
  return path.join("breach-letters", workspaceId, `${deliveryId}.pdf`);
}

// ---------------------------------------------------------------------------------------
// Recipients

/** SQL: the customer of this obligation already has a delivery of the notice. */
function deliveredCondition(db: Handle, noticeId: string): SQL {
  return sql`exists (select 1 from ${breachNoticeDeliveries} where ${breachNoticeDeliveries.noticeId} = ${noticeId} and ${breachNoticeDeliveries.customerId} = ${breachCustomers.customerId})`;
}

/**
 * Who still has to get this notice: for the first notice every affected customer not yet
 * notified; for a follow-up every affected customer that got the first notice and not this one.
 */
function pendingCondition(db: Handle, notice: NoticeRow): SQL {
  const base = and(eq(breachCustomers.breachId, notice.breachId), eq(breachCustomers.status, "affected"))!;
  if (notice.sequence === 1) return and(base, isNull(breachCustomers.notifiedAt))!;
  return and(base, isNotNull(breachCustomers.notifiedAt), sql`not ${deliveredCondition(db, notice.id)}`)!;
}

function noticeOf(db: Handle, breach: BreachRow, noticeId: string): NoticeRow {
  const row = db
    .select()
    .from(breachNotices)
    .where(and(eq(breachNotices.id, noticeId), eq(breachNotices.breachId, breach.id), eq(breachNotices.workspaceId, breach.workspaceId)))
    .get();
  if (!row) throw notFound();
  return row;
}

function recipientsOf(customer: { notificationEmails: string; privacyContactEmail: string }): string[] {
  const email = z.string().email();
  const listed = parseList(customer.notificationEmails).filter((a) => email.safeParse(a).success);
  if (listed.length > 0) return [...new Set(listed)];
  return email.safeParse(customer.privacyContactEmail).success ? [customer.privacyContactEmail] : [];
}

export type ContentGroup = {
  key: string;
  /** "v1" or "v1 + onderhandeld" */
  termsVersion: number | null;
  negotiated: boolean;
  article: string | null;
  source: "profile" | "negotiated" | "statutory";
  customers: number;
  items: { item: BreachNoticeItem; filled: boolean }[];
  missing: BreachNoticeItem[];
};

/** The required contents per group of recipients with equal terms, and which are still empty. */
function contentGroups(db: Handle, breach: BreachRow, facts: BreachFacts, condition: SQL): ContentGroup[] {
  const resolve = termsResolver(db, breach.workspaceId);
  const rows = db
    .select({ customerId: breachCustomers.customerId, termsVersionId: customers.termsVersionId })
    .from(breachCustomers)
    .innerJoin(customers, eq(customers.id, breachCustomers.customerId))
    .where(condition)
    .all();
  const groups = new Map<string, ContentGroup>();
  for (const row of rows) {
    const resolved = resolve({ id: row.customerId, termsVersionId: row.termsVersionId });
    const required = requiredNoticeItems(resolved.terms);
    const key = `${resolved.version ?? "-"}|${required.source}|${required.article ?? ""}|${required.items.join(",")}`;
    const group = groups.get(key);
    if (group) {
      group.customers += 1;
      continue;
    }
    const missing = missingItems(required.items, facts);
    groups.set(key, {
      key,
      termsVersion: resolved.version,
      negotiated: required.source === "negotiated",
      article: required.article,
      source: required.source,
      customers: 1,
      items: required.items.map((item) => ({ item, filled: !missing.includes(item) })),
      missing,
    });
  }
  return [...groups.values()].sort((a, b) => b.customers - a.customers);
}

// ---------------------------------------------------------------------------------------
// Drafting

type Result<T> = ({ ok: true } & T) | { ok: false; errors: Record<string, string> };

/**
 * Opens the draft of the next notice: the first notice, or (once the first was sent) a follow-up
 * linked to it. An existing draft is returned instead of a second one.
 */
export async function startNotice(actor: AnyActor, breachId: string, now: string): Promise<Result<{ noticeId: string; created: boolean }>> {
  requireStaffActor(actor, "workspace:write");
  return getDb().transaction(
    (tx) => {
      const breach = breachOf(tx, actor.workspaceId, breachId);
      if (breach.status === "closed") return { ok: false as const, errors: { form: "breaches.error.closedNoEdit" } };
      if (breach.classification !== "breach") return { ok: false as const, errors: { form: "breaches.error.notABreach" } };
      const notices = tx.select().from(breachNotices).where(eq(breachNotices.breachId, breachId)).orderBy(asc(breachNotices.sequence)).all();
      const draft = notices.find((n) => n.status === "draft");
      if (draft) return { ok: true as const, noticeId: draft.id, created: false };
      const first = notices[0];
      const id = newId();
      const sequence = (notices[notices.length - 1]?.sequence ?? 0) + 1;
      tx.insert(breachNotices)
        .values({
          id,
          workspaceId: actor.workspaceId,
          breachId,
          sequence,
          followUpOfId: first?.id ?? null,
          status: "draft",
          createdByUserId: actor.userId,
          createdAt: now,
          updatedAt: now,
        })
        .run();
      appendAudit(tx, actor, now, {
        action: "breach.notice_drafted",
        entityType: "breach",
        entityId: breachId,
        data: { reference: breach.reference, noticeId: id, sequence },
      });
      return { ok: true as const, noticeId: id, created: true };
    },
    { behavior: "immediate" }
  );
}

/** Changes a draft's messages. A notice that was sent is refused, and nothing changes. */
export async function saveNoticeDraft(
  actor: AnyActor,
  breachId: string,
  noticeId: string,
  input: { messageNl: string; messageEn: string },
  now: string
): Promise<Result<object>> {
  requireStaffActor(actor, "workspace:write");
  return getDb().transaction(
    (tx) => {
      const breach = breachOf(tx, actor.workspaceId, breachId);
      const notice = noticeOf(tx, breach, noticeId);
      if (notice.status !== "draft") return { ok: false as const, errors: { form: "breaches.error.noticeSent" } };
      tx.update(breachNotices).set({ messageNl: input.messageNl, messageEn: input.messageEn, updatedAt: now }).where(eq(breachNotices.id, noticeId)).run();
      appendAudit(tx, actor, now, {
        action: "breach.notice_edited",
        entityType: "breach",
        entityId: breachId,
        data: {
          noticeId,
          sequence: notice.sequence,
          before: { messageNl: notice.messageNl, messageEn: notice.messageEn },
          after: { messageNl: input.messageNl, messageEn: input.messageEn },
        },
      });
      return { ok: true as const };
    },
    { behavior: "immediate" }
  );
}

/** Throws a draft away (with confirmation in the form). A sent notice is refused. */
export async function discardNoticeDraft(actor: AnyActor, breachId: string, noticeId: string, now: string): Promise<Result<object>> {
  requireStaffActor(actor, "workspace:write");
  return getDb().transaction(
    (tx) => {
      const breach = breachOf(tx, actor.workspaceId, breachId);
      const notice = noticeOf(tx, breach, noticeId);
      if (notice.status !== "draft") return { ok: false as const, errors: { form: "breaches.error.noticeSent" } };
      tx.delete(breachNotices)
        .where(and(eq(breachNotices.id, noticeId), eq(breachNotices.status, "draft")))
        .run();
      appendAudit(tx, actor, now, {
        action: "breach.notice_discarded",
        entityType: "breach",
        entityId: breachId,
        data: { noticeId, sequence: notice.sequence, messageNl: notice.messageNl, messageEn: notice.messageEn },
      });
      return { ok: true as const };
    },
    { behavior: "immediate" }
  );
}

// ---------------------------------------------------------------------------------------
// The composer page

export type Blocker =
  | { kind: "missing_items"; group: ContentGroup }
  | { kind: "message_missing"; language: Locale; customers: number }
  | { kind: "nothing_to_send" };

function languageCounts(db: Handle, condition: SQL): Record<Locale, number> {
  const rows = db
    .select({ language: customers.language, n: count() })
    .from(breachCustomers)
    .innerJoin(customers, eq(customers.id, breachCustomers.customerId))
    .where(condition)
    .groupBy(customers.language)
    .all();
  return { nl: rows.find((r) => r.language === "nl")?.n ?? 0, en: rows.find((r) => r.language === "en")?.n ?? 0 };
}

/** What stops sending now: empty required contents, a message missing in a recipient's language, no recipients. */
function blockers(
  groups: ContentGroup[],
  notice: Pick<NoticeRow, "messageNl" | "messageEn" | "status">,
  languages: Record<Locale, number>,
  pending: number
): Blocker[] {
  const list: Blocker[] = [];
  if (pending === 0) list.push({ kind: "nothing_to_send" });
  for (const group of groups) if (group.missing.length > 0) list.push({ kind: "missing_items", group });
  if (notice.status === "draft") {
    const hasNl = notice.messageNl.trim() !== "";
    const hasEn = notice.messageEn.trim() !== "";
    if (hasNl !== hasEn) {
      const language: Locale = hasNl ? "en" : "nl";
      if (languages[language] > 0) list.push({ kind: "message_missing", language, customers: languages[language] });
    }
  }
  return list;
}

export type Preview = { language: Locale; customerName: string; subject: string; body: string };

/** Everything the composer shows: the notice, the recipients, required contents per terms, blockers and previews. */
export async function getNoticeComposer(actor: AnyActor, breachId: string, noticeId: string, now: string) {
  requireStaffActor(actor);
  const db = getDb();
  const breach = breachOf(db, actor.workspaceId, breachId);
  const notice = noticeOf(db, breach, noticeId);
  const facts = factsOfBreach(db, breach);
  const pendingWhere = pendingCondition(db, notice);
  const pending = db.select({ n: count() }).from(breachCustomers).where(pendingWhere).get()?.n ?? 0;
  const late =
    notice.sequence === 1
      ? db
          .select({ n: count() })
          .from(breachCustomers)
          .where(and(pendingWhere, lt(breachCustomers.noticeDue, now)))
          .get()?.n ?? 0
      : 0;
  const delivered = db.select({ n: count() }).from(breachNoticeDeliveries).where(eq(breachNoticeDeliveries.noticeId, noticeId)).get()?.n ?? 0;
  const acknowledged =
    db
      .select({ n: count() })
      .from(breachNoticeDeliveries)
      .where(and(eq(breachNoticeDeliveries.noticeId, noticeId), isNotNull(breachNoticeDeliveries.acknowledgedAt)))
      .get()?.n ?? 0;
  const groups = contentGroups(db, breach, facts, pendingWhere);
  const languages = languageCounts(db, pendingWhere);
  const workspace = db.select().from(workspaces).where(eq(workspaces.id, actor.workspaceId)).get()!;
  const resolve = termsResolver(db, actor.workspaceId);
  const previews: Preview[] = [];
  if (pending === 0) {
    // nothing left to send: show a letter as it was actually sent
    const sent = db
      .select({ language: breachNoticeDeliveries.language, subject: breachNoticeDeliveries.subject, body: breachNoticeDeliveries.body, name: customers.name })
      .from(breachNoticeDeliveries)
      .innerJoin(customers, eq(customers.id, breachNoticeDeliveries.customerId))
      .where(eq(breachNoticeDeliveries.noticeId, noticeId))
      .orderBy(desc(breachNoticeDeliveries.sentAt), asc(breachNoticeDeliveries.id))
      .limit(1)
      .get();
    if (sent) previews.push({ language: sent.language, customerName: sent.name, subject: sent.subject, body: sent.body });
  }
  for (const language of pending === 0 ? [] : (["nl", "en"] as const)) {
    const sample = db
      .select({
        customerId: breachCustomers.customerId,
        name: customers.name,
        termsVersionId: customers.termsVersionId,
        notifiedAt: breachCustomers.notifiedAt,
      })
      .from(breachCustomers)
      .innerJoin(customers, eq(customers.id, breachCustomers.customerId))
      .where(and(pendingWhere, eq(customers.language, language)))
      .orderBy(asc(breachCustomers.noticeDue), asc(breachCustomers.id))
      .limit(1)
      .get();
    if (!sample && languages[language] === 0 && pending > 0) continue;
    const resolved = sample
      ? resolve({ id: sample.customerId, termsVersionId: sample.termsVersionId })
      : ({ terms: null, groupKey: "", version: null } satisfies ResolvedTerms);
    try {
      const letter = composeLetter({
        template: await loadNoticeTemplate(language),
        language,
        facts,
        sequence: notice.sequence,
        message: language === "nl" ? notice.messageNl : notice.messageEn,
        customerName: sample?.name ?? (language === "nl" ? "(klant)" : "(customer)"),
        vendorLegalName: workspace.legalName,
        sentAt: now,
        firstSentAt: notice.sequence > 1 ? sample?.notifiedAt ?? now : null,
        authority: notice.sequence === 1 ? authorityClock(resolved.terms, now) : null,
        required: requiredNoticeItems(resolved.terms),
        portalLink: `${getConfig().appUrl}/portal/breaches/${breachId}`,
      });
      previews.push({ language, customerName: sample?.name ?? "", subject: letter.subject, body: letter.body });
    } catch (error) {
      previews.push({ language, customerName: sample?.name ?? "", subject: "", body: error instanceof Error ? error.message : String(error) });
    }
  }
  const first = notice.followUpOfId
    ? db.select({ sequence: breachNotices.sequence }).from(breachNotices).where(eq(breachNotices.id, notice.followUpOfId)).get()
    : undefined;
  return {
    breach: { id: breach.id, reference: breach.reference, title: breach.title, status: breach.status },
    notice: {
      id: notice.id,
      sequence: notice.sequence,
      status: notice.status,
      messageNl: notice.messageNl,
      messageEn: notice.messageEn,
      sentAt: notice.sentAt,
      followUpOf: first?.sequence ?? null,
    },
    pending,
    late,
    delivered,
    acknowledged,
    languages,
    groups,
    blockers: blockers(groups, notice, languages, pending),
    previews,
  };
}

// ---------------------------------------------------------------------------------------
// Sending

export type SendFailure = { customerId: string; customerName: string; reason: "no_address" | "missing_items" | "letter_failed"; detail?: string };

export type SendBatchResult =
  | {
      ok: true;
      sent: number;
      /** customers another request had already sent this notice to */
      skipped: number;
      failures: SendFailure[];
      /** customers after this batch still to be sent in this run */
      remaining: number;
      /** pass back to continue after this batch; null when the run is done */
      cursor: string | null;
    }
  | { ok: false; errors: Record<string, string>; blockers?: Blocker[]; lateCount?: number };

type RunCursor = { due: string; id: string };

function encodeRunCursor(c: RunCursor): string {
  return Buffer.from(JSON.stringify([c.due, c.id])).toString("base64url");
}

function decodeRunCursor(raw: string): RunCursor | null {
  if (!raw) return null;
  try {
    const [due, id] = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as unknown[];
    return typeof due === "string" && typeof id === "string" ? { due, id } : null;
  } catch {
    return null;
  }
}

type Prepared = {
  deliveryId: string;
  obligationId: string;
  customerId: string;
  customerName: string;
  language: Locale;
  to: string[];
  subject: string;
  body: string;
  bodySha256: string;
  pdfRelative: string;
  pdfAbsolute: string;
  pdfSha256: string;
  late: boolean;
  authority: InstantDeadline | null;
};

/**
 * Sends the notice to the next batch of customers that still need it, most urgent first, starting
 * after `cursor` (so customers that fail are not tried again in the same run; a new run from the
 * start tries them again). Refused, with nothing sent, while a recipient's required contents are
 * empty, a message is missing in a recipient's language, or a customer is past its deadline and no
 * reason for the delay is given.
 */
export async function sendNoticeBatch(
  actor: AnyActor,
  breachId: string,
  noticeId: string,
  input: { lateReason: string; cursor: string; customerId?: string },
  now: string,
  options: { batchSize?: number } = {}
): Promise<SendBatchResult> {
  requireStaffActor(actor, "workspace:write");
  const db = getDb();
  const config = getConfig();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const breach = breachOf(db, actor.workspaceId, breachId);
  if (breach.status === "closed") return { ok: false, errors: { form: "breaches.error.closedNoEdit" } };
  if (breach.classification !== "breach") return { ok: false, errors: { form: "breaches.error.notABreach" } };
  const notice = noticeOf(db, breach, noticeId);
  const facts = factsOfBreach(db, breach);
  let pendingWhere = pendingCondition(db, notice);
  if (input.customerId !== undefined) {
    // one customer: it must be affected, and still need this notice
    const obligation = db
      .select({ status: breachCustomers.status })
      .from(breachCustomers)
      .where(and(eq(breachCustomers.breachId, breachId), eq(breachCustomers.customerId, input.customerId), eq(breachCustomers.workspaceId, actor.workspaceId)))
      .get();
    if (!obligation || obligation.status !== "affected") return { ok: false, errors: { form: "breaches.error.notAffected" } };
    pendingWhere = and(pendingWhere, eq(breachCustomers.customerId, input.customerId))!;
    const needs = db.select({ n: count() }).from(breachCustomers).where(pendingWhere).get()?.n ?? 0;
    if (needs === 0) return { ok: false, errors: { form: notice.sequence === 1 ? "breaches.error.alreadyNotified" : "breaches.error.followUpNotPossible" } };
  }
  const pendingTotal = db.select({ n: count() }).from(breachCustomers).where(pendingWhere).get()?.n ?? 0;
  const cursor = decodeRunCursor(input.cursor);
  if (pendingTotal === 0) return { ok: false, errors: { form: "breaches.error.nothingToSend" } };

  const groups = contentGroups(db, breach, facts, pendingWhere);
  const found = blockers(groups, notice, languageCounts(db, pendingWhere), pendingTotal);
  if (found.length > 0) return { ok: false, errors: { form: "breaches.error.sendBlocked" }, blockers: found };
  if (notice.sequence === 1) {
    const earliest =
      db
        .select({ due: sql<string | null>`min(${breachCustomers.noticeDue})` })
        .from(breachCustomers)
        .where(pendingWhere)
        .get()?.due ?? null;
    if (earliest !== null && lateReasonProblem({ due: earliest, at: now, reason: input.lateReason }) !== null) {
      const lateCount =
        db
          .select({ n: count() })
          .from(breachCustomers)
          .where(and(pendingWhere, lt(breachCustomers.noticeDue, now)))
          .get()?.n ?? 0;
      return { ok: false, errors: { lateReason: "breaches.error.lateReasonRequired" }, lateCount };
    }
  }

  const afterCursor = cursor
    ? keysetAfter(breachCustomers.noticeDue, breachCustomers.id, { value: cursor.due, id: cursor.id }, "asc")
    : undefined;
  const batch = db
    .select({
      obligationId: breachCustomers.id,
      customerId: breachCustomers.customerId,
      noticeDue: breachCustomers.noticeDue,
      notifiedAt: breachCustomers.notifiedAt,
      name: customers.name,
      language: customers.language,
      notificationEmails: customers.notificationEmails,
      privacyContactEmail: customers.privacyContactEmail,
      termsVersionId: customers.termsVersionId,
    })
    .from(breachCustomers)
    .innerJoin(customers, eq(customers.id, breachCustomers.customerId))
    .where(afterCursor ? and(pendingWhere, afterCursor) : pendingWhere)
    .orderBy(asc(breachCustomers.noticeDue), asc(breachCustomers.id))
    .limit(batchSize)
    .all();
  if (batch.length === 0) return { ok: true, sent: 0, skipped: 0, failures: [], remaining: 0, cursor: null };

  // freeze the notice at its first delivery
  if (notice.status === "draft") {
    db.transaction(
      (tx) => {
        const frozen = tx
          .update(breachNotices)
          .set({ status: "sent", sentAt: now, sentByUserId: actor.userId, updatedAt: now })
          .where(and(eq(breachNotices.id, noticeId), eq(breachNotices.status, "draft")))
          .returning({ id: breachNotices.id })
          .all();
        if (frozen.length > 0) {
          appendAudit(tx, actor, now, {
            action: "breach.notice_frozen",
            entityType: "breach",
            entityId: breachId,
            data: { noticeId, sequence: notice.sequence, messageNl: notice.messageNl, messageEn: notice.messageEn },
          });
        }
      },
      { behavior: "immediate" }
    );
  }

  const workspace = db.select().from(workspaces).where(eq(workspaces.id, actor.workspaceId)).get()!;
  const resolve = termsResolver(db, actor.workspaceId);
  const signer = await workspaceSigner(workspace, config, new Date(now));
  const failures: SendFailure[] = [];
  const prepared: Prepared[] = [];
  const factsJson = JSON.stringify(facts);
  for (const row of batch) {
    const to = recipientsOf(row);
    if (to.length === 0) {
      failures.push({ customerId: row.customerId, customerName: row.name, reason: "no_address" });
      continue;
    }
    const resolved = resolve({ id: row.customerId, termsVersionId: row.termsVersionId });
    const required = requiredNoticeItems(resolved.terms);
    const missing = missingItems(required.items, facts);
    if (missing.length > 0) {
      failures.push({ customerId: row.customerId, customerName: row.name, reason: "missing_items", detail: missing.join(", ") });
      continue;
    }
    const language = row.language;
    const authority = notice.sequence === 1 ? authorityClock(resolved.terms, now) : null;
    const deliveryId = newId();
    try {
      const letter = composeLetter({
        template: await loadNoticeTemplate(language),
        language,
        facts,
        sequence: notice.sequence,
        message: language === "nl" ? notice.messageNl : notice.messageEn,
        customerName: row.name,
        vendorLegalName: workspace.legalName,
        sentAt: now,
        firstSentAt: notice.sequence > 1 ? row.notifiedAt : null,
        authority,
        required,
        portalLink: `${config.appUrl}/portal/breaches/${breachId}`,
      });
      const bodySha256 = sha256Hex(letter.body);
      const spec = letterDocument({
        language,
        body: letter.body,
        vendorLegalName: workspace.legalName,
        reference: breach.reference,
        sequence: notice.sequence,
        bodySha256,
        sentAt: now,
      });
      const pdf = await renderLetterPdf(signer, workspace, spec, now);
      const pdfRelative = letterRelativePath(actor.workspaceId, deliveryId);
      const pdfAbsolute = path.join(config.dataDir, pdfRelative);
      await mkdir(path.dirname(pdfAbsolute), { recursive: true });
      await writeFile(pdfAbsolute, pdf, { mode: 0o640 });
      prepared.push({
        deliveryId,
        obligationId: row.obligationId,
        customerId: row.customerId,
        customerName: row.name,
        language,
        to,
        subject: letter.subject,
        body: letter.body,
        bodySha256,
        pdfRelative,
        pdfAbsolute,
        pdfSha256: sha256Hex(pdf),
        late: notice.sequence === 1 && isLateNotice(row.noticeDue, now),
        authority,
      });
    } catch (error) {
      failures.push({
        customerId: row.customerId,
        customerName: row.name,
        reason: "letter_failed",
        detail: error instanceof Error ? error.message.slice(0, 200) : String(error),
      });
    }
  }

  const lateReason = input.lateReason.trim();
  const { sent, skippedFiles } = db.transaction(
    (tx) => {
      let sent = 0;
      const skippedFiles: string[] = [];
      for (const p of prepared) {
        const inserted = tx
          .insert(breachNoticeDeliveries)
          .values({
            id: p.deliveryId,
            workspaceId: actor.workspaceId,
            breachId,
            noticeId,
            customerId: p.customerId,
            sentAt: now,
            sentByUserId: actor.userId,
            language: p.language,
            toAddresses: JSON.stringify(p.to),
            subject: p.subject,
            body: p.body,
            bodySha256: p.bodySha256,
            facts: factsJson,
            pdfPath: p.pdfRelative,
            pdfSha256: p.pdfSha256,
            late: p.late,
            lateReason: p.late ? lateReason : null,
          })
          .onConflictDoNothing({ target: [breachNoticeDeliveries.noticeId, breachNoticeDeliveries.customerId] })
          .returning({ id: breachNoticeDeliveries.id })
          .all();
        if (inserted.length === 0) {
          skippedFiles.push(p.pdfAbsolute);
          continue;
        }
        const outboxId = enqueueMail(
          tx,
          {
            workspaceId: actor.workspaceId,
            customerId: p.customerId,
            kind: "breach_notice",
            to: p.to,
            subject: p.subject,
            text: p.body,
            attachments: [
              {
                filename: `${breach.reference}-${p.language === "nl" ? "melding" : "notice"}-${notice.sequence}.pdf`,
                contentType: "application/pdf",
                path: p.pdfAbsolute,
              },
            ],
          },
          now
        );
        tx.update(breachNoticeDeliveries).set({ outboxId }).where(eq(breachNoticeDeliveries.id, p.deliveryId)).run();
        if (notice.sequence === 1 && p.authority) {
          tx.update(breachCustomers)
            .set({
              notifiedAt: now,
              notifiedLate: p.late,
              lateReason: p.late ? lateReason : null,
              authorityDeadline: JSON.stringify(p.authority),
              authorityDue: p.authority.due,
              updatedAt: now,
            })
            .where(and(eq(breachCustomers.id, p.obligationId), isNull(breachCustomers.notifiedAt)))
            .run();
        }
        appendAudit(tx, actor, now, {
          action: "breach.notice_delivered",
          entityType: "breach_notice_delivery",
          entityId: p.deliveryId,
          customerId: p.customerId,
          data: {
            breachId,
            reference: breach.reference,
            sequence: notice.sequence,
            to: p.to,
            bodySha256: p.bodySha256,
            pdfSha256: p.pdfSha256,
            late: p.late,
            lateReason: p.late ? lateReason : null,
          },
        });
        sent += 1;
      }
      appendAudit(tx, actor, now, {
        action: "breach.notice_batch",
        entityType: "breach",
        entityId: breachId,
        data: {
          reference: breach.reference,
          noticeId,
          sequence: notice.sequence,
          sent,
          skipped: skippedFiles.length,
          failures: failures.map((f) => ({ customerId: f.customerId, reason: f.reason })),
        },
      });
      return { sent, skippedFiles };
    },
    { behavior: "immediate" }
  );
  await Promise.all(skippedFiles.map((file) => rm(file, { force: true })));

  const last = batch[batch.length - 1];
  const nextCursor = { due: last.noticeDue, id: last.obligationId };
  const remaining =
    db
      .select({ n: count() })
      .from(breachCustomers)
      .where(
        and(
          pendingWhere,
          keysetAfter(breachCustomers.noticeDue, breachCustomers.id, { value: nextCursor.due, id: nextCursor.id }, "asc")
        )
      )
      .get()?.n ?? 0;
  return { ok: true, sent, skipped: skippedFiles.length, failures, remaining, cursor: remaining > 0 ? encodeRunCursor(nextCursor) : null };
}

// ---------------------------------------------------------------------------------------
// Letters as PDF

/**
 * The signed PDF of one delivered letter: the one made when it was sent, or (for deliveries
 * without one, such as demo data) rendered now from the stored text, reproducibly, and kept.
 */
export async function letterPdfFile(db: Db, delivery: typeof breachNoticeDeliveries.$inferSelect): Promise<{ absolutePath: string; filename: string }> {
  const config = getConfig();
  const breach = db.select({ reference: breaches.reference }).from(breaches).where(eq(breaches.id, delivery.breachId)).get();
  const notice = db.select({ sequence: breachNotices.sequence }).from(breachNotices).where(eq(breachNotices.id, delivery.noticeId)).get();
  if (!breach || !notice) throw notFound();
  const filename = `${breach.reference}-${delivery.language === "nl" ? "melding" : "notice"}-${notice.sequence}.pdf`;
  if (delivery.pdfPath) {
    const absolutePath = path.join(config.dataDir, delivery.pdfPath);
    if (existsSync(absolutePath)) return { absolutePath, filename };
  }
  const workspace = db.select().from(workspaces).where(eq(workspaces.id, delivery.workspaceId)).get();
  if (!workspace) throw notFound();
  const spec = letterDocument({
    language: delivery.language,
    body: delivery.body,
    vendorLegalName: workspace.legalName,
    reference: breach.reference,
    sequence: notice.sequence,
    bodySha256: delivery.bodySha256,
    sentAt: delivery.sentAt,
  });
  const signer = await workspaceSigner(workspace, config, new Date());
  const pdf = await renderLetterPdf(signer, workspace, spec, delivery.sentAt);
  const relative = letterRelativePath(delivery.workspaceId, delivery.id);
  const absolutePath = path.join(config.dataDir, relative);
  await mkdir(path.dirname(absolutePath), { recursive: true });
  await writeFile(absolutePath, pdf, { mode: 0o640 });
  db.update(breachNoticeDeliveries)
    .set({ pdfPath: relative, pdfSha256: sha256Hex(pdf) })
    .where(eq(breachNoticeDeliveries.id, delivery.id))
    .run();
  return { absolutePath, filename };
}

/** Staff: the letter of a delivery of this workspace's breach. */
export async function staffLetterPdf(actor: AnyActor, breachId: string, deliveryId: string) {
  requireStaffActor(actor);
  const db = getDb();
  breachOf(db, actor.workspaceId, breachId);
  const delivery = db
    .select()
    .from(breachNoticeDeliveries)
    .where(
      and(eq(breachNoticeDeliveries.id, deliveryId), eq(breachNoticeDeliveries.breachId, breachId), eq(breachNoticeDeliveries.workspaceId, actor.workspaceId))
    )
    .get();
  if (!delivery) throw notFound();
  return letterPdfFile(db, delivery);
}

/** The latest notices sent for a breach, newest first (for the staff's overview of a sending run). */
export async function recentDeliveries(actor: AnyActor, breachId: string, noticeId: string, limit = 10) {
  requireStaffActor(actor);
  const db = getDb();
  breachOf(db, actor.workspaceId, breachId);
  return db
    .select({
      id: breachNoticeDeliveries.id,
      customerId: breachNoticeDeliveries.customerId,
      customerName: customers.name,
      sentAt: breachNoticeDeliveries.sentAt,
      late: breachNoticeDeliveries.late,
      acknowledgedAt: breachNoticeDeliveries.acknowledgedAt,
    })
    .from(breachNoticeDeliveries)
    .innerJoin(customers, eq(customers.id, breachNoticeDeliveries.customerId))
    .where(and(eq(breachNoticeDeliveries.noticeId, noticeId), eq(breachNoticeDeliveries.workspaceId, actor.workspaceId)))
    .orderBy(desc(breachNoticeDeliveries.sentAt), desc(breachNoticeDeliveries.id))
    .limit(limit)
    .all();
}
