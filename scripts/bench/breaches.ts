/**
 * Breach benchmarks (issue 5), for scripts/bench.ts:
 *
 * - `benchBreachFanOut(dbPath, { customers })`: the milliseconds `logBreach` takes to log a breach
 *   at a sub-processor that affects every one of `customers` customers, writing each customer's
 *   obligation with its notice clock from its own terms in one transaction (goal: under 1 s for
 *   10,000). The customers live in a workspace of their own ("bench-breaches-<n>"), made once and
 *   reused; 1 in 100 has a negotiated 12 h.
 * - `breachScenarios`: the same as a timing scenario ("breach-fan-out"), and an HTTP scenario
 *   ("breach-page-10k") for the breach page of a breach with 10,000 affected customers in the bench
 *   workspace, first page of the per-customer table (goal: p95 under 300 ms).
 *
 * Add them with `scenarios.push(...breachScenarios)` (or spread them into the list) in
 * scripts/bench/scenarios.ts.
 */
import { randomUUID } from "node:crypto";
import { and, eq, inArray, like } from "drizzle-orm";
import { migrateDatabase, openDatabase, type Db } from "../../db/client";
import { breachCustomers, breaches, customers } from "../../db/schema";
import { seedTermsProfiles } from "../../db/seed/terms-profiles";
import { BreachFormSchema, type BreachFormInput } from "~/domain/breach-form";
import { instantToAmsterdamLocal } from "~/domain/breach-record";
import type { Actor } from "~/domain/permissions";
import { setDb } from "~/db.server";
import { appendAudit } from "~/services/audit.server";
import { insertBreach, type BreachInsert } from "~/services/breach-core.server";
import { logBreach } from "~/services/breaches.server";
import { timingScenario, httpScenario, type BenchContext, type Scenario } from "./scenario";

type StaffActor = Extract<Actor, { kind: "staff" }>;
type FanOutWorkspace = { workspaceId: string; actor: StaffActor; subprocessorId: string };

const CREATED = "2025-01-06T08:00:00.000Z";
const PAGE_BREACH_TITLE = "Benchmark: datalek bij subverwerker met 10.000 getroffen klanten";

function marker(customers: number): string {
  return `DPA Desk breach benchmark workspace (${customers} customers)`;
}

/** The workspace whose every customer uses the sub-processor's service; made once per customer count. */
export function ensureFanOutWorkspace(db: Db, customerCount: number): FanOutWorkspace {
  const c = db.$client;
  const slug = `bench-breaches-${customerCount}`;
  const existing = c.prepare("select id from workspaces where slug = ? and description = ?").get(slug, marker(customerCount)) as { id: string } | undefined;
  if (existing) {
    const user = c
      .prepare("select u.id, u.name, u.email from users u join memberships m on m.user_id = u.id where m.workspace_id = ? and m.role = 'privacy_officer'")
      .get(existing.id) as {
      id: string;
      name: string;
      email: string;
    };
    const sp = c.prepare("select id from subprocessors where workspace_id = ?").get(existing.id) as { id: string };
    return {
      workspaceId: existing.id,
      actor: { kind: "staff", userId: user.id, name: user.name, email: user.email, workspaceId: existing.id, role: "privacy_officer" },
      subprocessorId: sp.id,
    };
  }
  const workspaceId = randomUUID();
  const termsVersionId = randomUUID();
  const serviceId = randomUUID();
  const subprocessorId = randomUUID();
  const userId = randomUUID();
  const email = `privacy@${slug}.example`;
  const insertCustomer = c.prepare(
    `insert into customers (id, workspace_id, name, name_key, language, notification_emails, terms_version_id, contract_start, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, '2025-01-01', ?, ?)`
  );
  const insertUse = c.prepare("insert into customer_services (customer_id, service_id, workspace_id) values (?, ?, ?)");
  const insertDeviation = c.prepare(
    "insert into term_deviations (id, workspace_id, customer_id, field, value, reason, clause, created_at) values (?, ?, ?, 'breachNoticeHours', '12', ?, ?, ?)"
  );
  c.transaction(() => {
    c.prepare(
      "insert into workspaces (id, slug, legal_name, trade_name, description, internal_breach_target_hours, created_at) values (?, ?, ?, ?, ?, 24, ?)"
    ).run(workspaceId, slug, "Benchmark Datalekken B.V.", "Benchmark Datalekken", marker(customerCount), CREATED);
    c.prepare("insert into users (id, email, name, kind, created_at) values (?, ?, ?, 'staff', ?)").run(userId, email, "Benchmark privacy officer", CREATED);
    c.prepare("insert into memberships (id, user_id, workspace_id, role, created_at) values (?, ?, ?, 'privacy_officer', ?)").run(
      randomUUID(),
      userId,
      workspaceId,
      CREATED
    );
    c.prepare(
      "insert into terms_versions (id, workspace_id, version, content, reason, effective_date, created_at) values (?, ?, 1, ?, 'Versie 1', '2024-01-01', ?)"
    ).run(termsVersionId, workspaceId, JSON.stringify(seedTermsProfiles.leadcube), CREATED);
    c.prepare("insert into services (id, workspace_id, key, name_nl, name_en, created_at) values (?, ?, 'forms', 'Formulieren', 'Forms', ?)").run(
      serviceId,
      workspaceId,
      CREATED
    );
    c.prepare(
      `insert into subprocessors (id, workspace_id, legal_name, name_key, service_nl, service_en, purpose_nl, purpose_en, status, created_at, updated_at)
       values (?, ?, 'Mailhost B.V.', 'mailhost b.v.', 'E-mail', 'Email', 'Verzenden', 'Sending', 'active', ?, ?)`
    ).run(subprocessorId, workspaceId, CREATED, CREATED);
    c.prepare("insert into subprocessor_services (subprocessor_id, service_id, workspace_id) values (?, ?, ?)").run(subprocessorId, serviceId, workspaceId);
    for (let i = 0; i < customerCount; i++) {
      const id = randomUUID();
      const name = `Benchmarkklant ${String(i).padStart(6, "0")} B.V.`;
      insertCustomer.run(
        id,
        workspaceId,
        name,
        name.toLowerCase(),
        i % 5 === 0 ? "en" : "nl",
        JSON.stringify([`privacy@klant${i}.example`]),
        termsVersionId,
        CREATED,
        CREATED
      );
      insertUse.run(id, serviceId, workspaceId);
      if (i % 100 === 0) insertDeviation.run(randomUUID(), workspaceId, id, "Eigen incidentteam", "Side letter art. 3.2", CREATED);
    }
  })();
  return { workspaceId, actor: { kind: "staff", userId, name: "Benchmark privacy officer", email, workspaceId, role: "privacy_officer" }, subprocessorId };
}

function fanOutForm(subprocessorId: string, now: string): BreachFormInput {
  const local = instantToAmsterdamLocal(new Date(Date.parse(now) - 30 * 60_000).toISOString());
  return {
    title: "Benchmark: mailbox bij subverwerker ingezien",
    classification: "breach",
    classificationReasoning: "",
    nature: "Benchmark.",
    breachTypes: ["confidentiality"],
    sourceKind: "subprocessor",
    subprocessorId,
    subprocessorReportedAt: "",
    serviceIds: [],
    occurredFrom: "",
    occurredTo: "",
    ongoing: false,
    discoveredAt: local,
    shouldHaveKnownAt: "",
    dataCategories: ["name", "contact"],
    dataCategoriesNote: "",
    dataSubjects: ["customers"],
    subjectsMin: "",
    subjectsMax: "",
    recordsMin: "",
    recordsMax: "",
    protection: "",
    consequences: "",
    measuresTaken: "",
    measuresProposed: "",
    contactName: "",
    contactEmail: "",
    contactPhone: "",
    followUpContact: "",
    riskLevel: "",
    riskReasoning: "",
    subjectsNotice: "undecided",
    subjectsNoticeReasoning: "",
    crossBorder: false,
    changeNote: "",
  };
}

/** Removes the breaches earlier runs logged in the fan-out workspace (their audit events stay). */
function clearFanOutBreaches(db: Db, workspaceId: string): void {
  db.transaction(
    (tx) => {
      const ids = tx
        .select({ id: breaches.id })
        .from(breaches)
        .where(eq(breaches.workspaceId, workspaceId))
        .all()
        .map((b) => b.id);
      for (let i = 0; i < ids.length; i += 500)
        tx.delete(breachCustomers)
          .where(inArray(breachCustomers.breachId, ids.slice(i, i + 500)))
          .run();
      tx.delete(breaches).where(eq(breaches.workspaceId, workspaceId)).run();
    },
    { behavior: "immediate" }
  );
}

/** Logs one breach affecting every customer of the fan-out workspace; returns the affected count. */
async function logFanOut(space: FanOutWorkspace): Promise<number> {
  const now = new Date().toISOString();
  const result = await logBreach(space.actor, BreachFormSchema.parse(fanOutForm(space.subprocessorId, now)), now);
  if (!result.ok) throw new Error(`logBreach refused: ${JSON.stringify(result.errors)}`);
  return result.affected;
}

/**
 * Milliseconds to log a breach affecting `customers` customers (every obligation with its clock, one
 * transaction), measured once after one warm-up run, on the database at `dbPath`.
 */
export async function benchBreachFanOut(dbPath: string, options: { customers: number } = { customers: 10_000 }): Promise<number> {
  const db = openDatabase(dbPath);
  const previous = globalThis.__dpadeskDb;
  try {
    migrateDatabase(db);
    setDb(db);
    const space = ensureFanOutWorkspace(db, options.customers);
    clearFanOutBreaches(db, space.workspaceId);
    await logFanOut(space);
    const started = performance.now();
    const affected = await logFanOut(space);
    const ms = performance.now() - started;
    if (affected !== options.customers) throw new Error(`expected ${options.customers} affected customers, got ${affected}`);
    clearFanOutBreaches(db, space.workspaceId);
    return ms;
  } finally {
    setDb(previous);
    db.$client.close();
  }
}

/** The breach with 10,000 affected customers in the bench workspace (made once, then reused). */
function ensurePageBreach(ctx: BenchContext): { id: string; reference: string } {
  const db = ctx.db;
  const existing = db
    .select({ id: breaches.id, reference: breaches.reference })
    .from(breaches)
    .where(and(eq(breaches.workspaceId, ctx.dataset.workspaceId), like(breaches.title, PAGE_BREACH_TITLE)))
    .get();
  if (existing) return existing;
  const list = db
    .select({ id: customers.id, termsVersionId: customers.termsVersionId })
    .from(customers)
    .where(eq(customers.workspaceId, ctx.dataset.workspaceId))
    .orderBy(customers.id)
    .limit(10_000)
    .all();
  const now = new Date().toISOString();
  const values: BreachInsert = {
    title: PAGE_BREACH_TITLE,
    classification: "breach",
    classificationReasoning: "",
    nature: "Benchmark.",
    breachTypes: ["confidentiality"],
    sourceKind: "own_systems",
    subprocessorId: null,
    subprocessorReportedAt: null,
    serviceIds: [],
    occurredFrom: null,
    occurredTo: null,
    ongoing: false,
    discoveredAt: new Date(Date.parse(now) - 2 * 3_600_000).toISOString(),
    shouldHaveKnownAt: null,
    dataCategories: ["name", "contact"],
    dataCategoriesNote: "",
    dataSubjects: ["customers"],
    subjectsMin: 1000,
    subjectsMax: 5000,
    recordsMin: null,
    recordsMax: null,
    protection: "",
    consequences: "",
    measuresTaken: "",
    measuresProposed: "",
    contactName: "Benchmark",
    contactEmail: "privacy@dpadesk-bench.example",
    contactPhone: "",
    followUpContact: "",
    riskLevel: null,
    riskReasoning: "",
    subjectsNotice: "undecided",
    subjectsNoticeReasoning: "",
    crossBorder: false,
  };
  return db.transaction(
    (tx) => {
      const created = insertBreach(tx, { workspaceId: ctx.dataset.workspaceId, values, now, createdByUserId: ctx.actor.userId, customers: list });
      appendAudit(tx, ctx.actor, now, {
        action: "breach.logged",
        entityType: "breach",
        entityId: created.id,
        data: { reference: created.reference, affectedCustomers: created.affected, bench: true },
      });
      return { id: created.id, reference: created.reference };
    },
    { behavior: "immediate" }
  );
}

let pageBreach: { id: string; reference: string } | null = null;

export const breachScenarios: Scenario[] = [
  httpScenario({
    name: "breach-page-10k",
    description: "GET /breaches/:id: a breach with 10,000 affected customers, first page of the per-customer table with counts per state",
    path: (ctx) => {
      pageBreach ??= ensurePageBreach(ctx);
      return `/breaches/${pageBreach.id}`;
    },
    check: (body) => (pageBreach && body.includes(pageBreach.reference) ? null : `the page does not show ${pageBreach?.reference ?? "the breach"}`),
    goals: { maxP95Ms: 300, maxRssMb: 300 },
  }),
  timingScenario({
    name: "breach-fan-out",
    description: "logBreach() at a sub-processor affecting 10,000 customers: every obligation with its clock, one transaction",
    setup: (ctx) => {
      const space = ensureFanOutWorkspace(ctx.db, 10_000);
      clearFanOutBreaches(ctx.db, space.workspaceId);
      return () => logFanOut(space);
    },
    warmup: 1,
    iterations: 5,
    goals: { maxP95Ms: 1000 },
  }),
];
