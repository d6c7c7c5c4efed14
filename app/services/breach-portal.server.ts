/**
 * The customer's side of a breach, in the portal: the notices it received and their updates, its
 * own deadline to the authority, the fields for the authority's form (from what it was told),
 * acknowledging receipt, its report of what it did with the authority, and questions to the
 * processor answered in the same thread.
 *
 * Access: portal users only, scoped to their own customer; a breach the customer was never
 * notified of is 404, like any other workspace's or customer's breach.
 */
import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import { breachCustomers, breachNoticeDeliveries, breachNotices, breachQuestions, breaches, workspaces } from "../../db/schema";
import { getDb } from "~/db.server";
import { authorityState, type AuthorityState } from "~/domain/breach-obligations";
import { amsterdamLocalToInstant, authorityFormFields, authorityFormText, type BreachFacts, type FormField } from "~/domain/breach-record";
import type { InstantDeadline } from "~/domain/deadline";
import type { Locale } from "~/domain/locale";
import { parseInstant } from "~/domain/time";
import { appendAudit } from "./audit.server";
import { requirePortalActor } from "./breach-core.server";
import { letterPdfFile } from "./breach-notices.server";
import { notFound } from "./http.server";
import { newId } from "./ids.server";

type AnyActor = Parameters<typeof requirePortalActor>[0];

/** The outer breach of a correlated subquery, with its table (see breaches.server.ts). */
const OUTER_BREACH_ID = sql.raw(`"breaches"."id"`);

export type PortalAuthorityClock = {
  deadline: InstantDeadline;
  state: AuthorityState;
  remainingMs: number;
  outcome: "notified" | "not_notifying" | null;
  outcomeAt: string | null;
};

function authorityOf(
  row: { authorityDeadline: string | null; authorityOutcome: "notified" | "not_notifying" | null; authorityOutcomeAt: string | null },
  now: string
): PortalAuthorityClock | null {
  if (!row.authorityDeadline) return null;
  const deadline = JSON.parse(row.authorityDeadline) as InstantDeadline;
  const { state, status } = authorityState({ deadline, outcome: row.authorityOutcome, outcomeAt: row.authorityOutcomeAt, now });
  return { deadline, state, remainingMs: status.remainingMs, outcome: row.authorityOutcome, outcomeAt: row.authorityOutcomeAt };
}

export type PortalBreachSummary = {
  id: string;
  reference: string;
  title: string;
  firstNoticeAt: string;
  notices: number;
  unacknowledged: number;
  openQuestions: number;
  authority: PortalAuthorityClock | null;
};

/** The breaches this customer was notified of, the latest first. */
export async function listPortalBreaches(actor: AnyActor, now: string): Promise<PortalBreachSummary[]> {
  requirePortalActor(actor);
  const db = getDb();
  const rows = db
    .select({
      id: breaches.id,
      reference: breaches.reference,
      authorityDeadline: breachCustomers.authorityDeadline,
      authorityOutcome: breachCustomers.authorityOutcome,
      authorityOutcomeAt: breachCustomers.authorityOutcomeAt,
      firstNoticeAt: breachCustomers.notifiedAt,
      notices: sql<number>`(select count(*) from ${breachNoticeDeliveries} where ${breachNoticeDeliveries.breachId} = ${OUTER_BREACH_ID} and ${breachNoticeDeliveries.customerId} = ${actor.customerId})`,
      unacknowledged: sql<number>`(select count(*) from ${breachNoticeDeliveries} where ${breachNoticeDeliveries.breachId} = ${OUTER_BREACH_ID} and ${breachNoticeDeliveries.customerId} = ${actor.customerId} and ${breachNoticeDeliveries.acknowledgedAt} is null)`,
      openQuestions: sql<number>`(select count(*) from ${breachQuestions} where ${breachQuestions.breachId} = ${OUTER_BREACH_ID} and ${breachQuestions.customerId} = ${actor.customerId} and ${breachQuestions.answeredAt} is null)`,
      title: sql<string>`(select ${breachNoticeDeliveries.facts} from ${breachNoticeDeliveries} where ${breachNoticeDeliveries.breachId} = ${OUTER_BREACH_ID} and ${breachNoticeDeliveries.customerId} = ${actor.customerId} order by ${breachNoticeDeliveries.sentAt} desc limit 1)`,
    })
    .from(breachCustomers)
    .innerJoin(breaches, eq(breaches.id, breachCustomers.breachId))
    .where(and(eq(breachCustomers.customerId, actor.customerId), eq(breachCustomers.workspaceId, actor.workspaceId), eq(breachCustomers.status, "affected")))
    .orderBy(desc(breachCustomers.notifiedAt))
    .limit(200)
    .all();
  return rows
    .filter((r) => r.firstNoticeAt !== null && Number(r.notices) > 0)
    .map((r) => ({
      id: r.id,
      reference: r.reference,
      title: (JSON.parse(r.title) as BreachFacts).title,
      firstNoticeAt: r.firstNoticeAt!,
      notices: Number(r.notices),
      unacknowledged: Number(r.unacknowledged),
      openQuestions: Number(r.openQuestions),
      authority: authorityOf(r, now),
    }));
}

function obligationFor(actor: Extract<AnyActor, { kind: "portal" }>, breachId: string) {
  const db = getDb();
  const row = db
    .select()
    .from(breachCustomers)
    .where(and(eq(breachCustomers.breachId, breachId), eq(breachCustomers.customerId, actor.customerId), eq(breachCustomers.workspaceId, actor.workspaceId)))
    .get();
  const hasNotice =
    row &&
    db
      .select({ id: breachNoticeDeliveries.id })
      .from(breachNoticeDeliveries)
      .where(and(eq(breachNoticeDeliveries.breachId, breachId), eq(breachNoticeDeliveries.customerId, actor.customerId)))
      .limit(1)
      .get();
  if (!row || !hasNotice) throw notFound();
  return row;
}

export type PortalNotice = {
  id: string;
  sequence: number;
  sentAt: string;
  subject: string;
  body: string;
  acknowledgedAt: string | null;
  acknowledgedByName: string | null;
};

/** One breach as the customer sees it: notices, its authority clock, the authority form's fields, its thread. */
export async function getPortalBreach(actor: AnyActor, breachId: string, locale: Locale, now: string) {
  requirePortalActor(actor);
  const db = getDb();
  const obligation = obligationFor(actor, breachId);
  const breach = db.select({ id: breaches.id, reference: breaches.reference, status: breaches.status }).from(breaches).where(eq(breaches.id, breachId)).get()!;
  const deliveries = db
    .select({
      id: breachNoticeDeliveries.id,
      sequence: breachNotices.sequence,
      sentAt: breachNoticeDeliveries.sentAt,
      subject: breachNoticeDeliveries.subject,
      body: breachNoticeDeliveries.body,
      facts: breachNoticeDeliveries.facts,
      acknowledgedAt: breachNoticeDeliveries.acknowledgedAt,
      acknowledgedByName: breachNoticeDeliveries.acknowledgedByName,
    })
    .from(breachNoticeDeliveries)
    .innerJoin(breachNotices, eq(breachNotices.id, breachNoticeDeliveries.noticeId))
    .where(and(eq(breachNoticeDeliveries.breachId, breachId), eq(breachNoticeDeliveries.customerId, actor.customerId)))
    .orderBy(desc(breachNotices.sequence))
    .all();
  const latestFacts = JSON.parse(deliveries[0].facts) as BreachFacts;
  const vendor = db.select({ legalName: workspaces.legalName }).from(workspaces).where(eq(workspaces.id, actor.workspaceId)).get()!;
  const fields: FormField[] = authorityFormFields(latestFacts, vendor.legalName, locale);
  const thread = db
    .select()
    .from(breachQuestions)
    .where(and(eq(breachQuestions.breachId, breachId), eq(breachQuestions.customerId, actor.customerId)))
    .orderBy(asc(breachQuestions.askedAt))
    .all();
  return {
    breach: { id: breach.id, reference: breach.reference, title: latestFacts.title, status: breach.status },
    authority: authorityOf(obligation, now),
    notices: deliveries.map(({ facts: _facts, ...d }): PortalNotice => d),
    fields,
    fieldsText: authorityFormText(fields),
    thread: thread.map((q) => ({
      id: q.id,
      question: q.question,
      askedByName: q.askedByName,
      askedAt: q.askedAt,
      answer: q.answer,
      answeredByName: q.answeredByName,
      answeredAt: q.answeredAt,
    })),
  };
}

type Result<T> = ({ ok: true } & T) | { ok: false; errors: Record<string, string> };

/** Records that the customer received a notice (who and when). A second acknowledgement changes nothing. */
export async function acknowledgeNotice(actor: AnyActor, breachId: string, deliveryId: string, now: string): Promise<Result<{ already: boolean }>> {
  requirePortalActor(actor);
  const db = getDb();
  obligationFor(actor, breachId);
  return db.transaction(
    (tx) => {
      const delivery = tx
        .select()
        .from(breachNoticeDeliveries)
        .where(
          and(eq(breachNoticeDeliveries.id, deliveryId), eq(breachNoticeDeliveries.breachId, breachId), eq(breachNoticeDeliveries.customerId, actor.customerId))
        )
        .get();
      if (!delivery) throw notFound();
      if (delivery.acknowledgedAt) return { ok: true as const, already: true };
      tx.update(breachNoticeDeliveries)
        .set({ acknowledgedAt: now, acknowledgedByUserId: actor.userId, acknowledgedByName: actor.name })
        .where(and(eq(breachNoticeDeliveries.id, deliveryId), isNull(breachNoticeDeliveries.acknowledgedAt)))
        .run();
      appendAudit(tx, actor, now, {
        action: "breach.notice_acknowledged",
        entityType: "breach_notice_delivery",
        entityId: deliveryId,
        customerId: actor.customerId,
        data: { breachId, by: actor.name, email: actor.email },
      });
      return { ok: true as const, already: false };
    },
    { behavior: "immediate" }
  );
}

/** A question from the customer; staff see it as open on the breach page until they answer. */
export async function askQuestion(actor: AnyActor, breachId: string, input: { question: string }, now: string): Promise<Result<{ questionId: string }>> {
  requirePortalActor(actor);
  const db = getDb();
  obligationFor(actor, breachId);
  return db.transaction(
    (tx) => {
      const id = newId();
      tx.insert(breachQuestions)
        .values({
          id,
          workspaceId: actor.workspaceId,
          breachId,
          customerId: actor.customerId,
          question: input.question,
          askedByUserId: actor.userId,
          askedByName: actor.name,
          askedAt: now,
        })
        .run();
      appendAudit(tx, actor, now, {
        action: "breach.question_asked",
        entityType: "breach",
        entityId: breachId,
        customerId: actor.customerId,
        data: { questionId: id, question: input.question },
      });
      return { ok: true as const, questionId: id };
    },
    { behavior: "immediate" }
  );
}

/** The customer reports that it notified the authority, or decided not to; this stops its clock. */
export async function recordAuthorityOutcome(
  actor: AnyActor,
  breachId: string,
  input: { outcome: "notified" | "not_notifying"; at: string },
  now: string
): Promise<Result<object>> {
  requirePortalActor(actor);
  const db = getDb();
  const obligation = obligationFor(actor, breachId);
  const at = amsterdamLocalToInstant(input.at);
  if (parseInstant(at, "at").epochMilliseconds > parseInstant(now, "now").epochMilliseconds + 5 * 60_000)
    return { ok: false, errors: { at: "breaches.error.inFuture" } };
  const breach = db.select({ discoveredAt: breaches.discoveredAt }).from(breaches).where(eq(breaches.id, breachId)).get()!;
  if (at < breach.discoveredAt) return { ok: false, errors: { at: "breaches.error.beforeDiscovery" } };
  return db.transaction(
    (tx) => {
      tx.update(breachCustomers)
        .set({ authorityOutcome: input.outcome, authorityOutcomeAt: at, authorityOutcomeByUserId: actor.userId, updatedAt: now })
        .where(and(eq(breachCustomers.id, obligation.id), eq(breachCustomers.customerId, actor.customerId)))
        .run();
      appendAudit(tx, actor, now, {
        action: "breach.authority_outcome",
        entityType: "breach",
        entityId: breachId,
        customerId: actor.customerId,
        data: { before: { outcome: obligation.authorityOutcome, at: obligation.authorityOutcomeAt }, after: { outcome: input.outcome, at } },
      });
      return { ok: true as const };
    },
    { behavior: "immediate" }
  );
}

/** The signed PDF of a letter this customer received. */
export async function portalLetterPdf(actor: AnyActor, breachId: string, deliveryId: string) {
  requirePortalActor(actor);
  const db = getDb();
  obligationFor(actor, breachId);
  const delivery = db
    .select()
    .from(breachNoticeDeliveries)
    .where(
      and(eq(breachNoticeDeliveries.id, deliveryId), eq(breachNoticeDeliveries.breachId, breachId), eq(breachNoticeDeliveries.customerId, actor.customerId))
    )
    .get();
  if (!delivery) throw notFound();
  return letterPdfFile(db, delivery);
}
