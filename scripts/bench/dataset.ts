/**
 * The benchmark database: one large workspace (a hosting company modelled on the Lai Media seed
 * vendor) with N customers, their services, negotiated terms for a few, portal users for about one
 * in ten, the invitation mail those users were sent, and the audit trail all of that leaves
 * (a valid hash chain, so audit verification can be measured on it too).
 *
 * Generation runs in one transaction with prepared statements on the raw better-sqlite3 handle.
 * The file is reused when its workspace carries the marker of this generator version and the same
 * customer count; otherwise it is deleted and generated again.
 */
import { hash } from "@node-rs/argon2";
import Database from "better-sqlite3";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { migrateDatabase, openDatabase, type Db } from "../../db/client";
import { demoCustomers, demoVendors } from "../../db/seed/demo-data";
import { demoNegotiatedTerms, seedTermsProfiles } from "../../db/seed/terms-profiles";
import { GENESIS_HASH, hashAuditEvent, type AuditEventFields } from "~/domain/audit-chain";
import { actorLabel, actorUserId, type Actor, type StaffRole } from "~/domain/permissions";
import { createRandom, fakeCustomer, randomDate } from "./fake-data";

/** Bump when the generated data changes shape, so old bench databases are regenerated. */
const GENERATOR_VERSION = 1;
const VENDOR_SLUG = "lai-media";
export const BENCH_WORKSPACE_SLUG = "bench";
export const BENCH_USER_EMAIL = "bench-admin@dpadesk-bench.example";

export type BenchDataset = {
  path: string;
  workspaceId: string;
  /** the admin the benchmark signs in as */
  staffUserId: string;
  counts: {
    customers: number;
    archivedCustomers: number;
    customerServices: number;
    portalUsers: number;
    outbox: number;
    auditEvents: number;
  };
  /** seconds spent generating, or null when an existing database was reused */
  generatedSeconds: number | null;
};

function marker(customers: number): string {
  return `DPA Desk benchmark workspace (generator v${GENERATOR_VERSION}, ${customers} customers)`;
}

/** Opens (generating first when needed) the benchmark database for `customers` customers. */
export async function ensureBenchDataset(
  path: string,
  customers: number,
  log: (line: string) => void,
): Promise<{ db: Db; dataset: BenchDataset }> {
  if (existsSync(path) && isReusable(path, customers)) {
    const db = openDatabase(path);
    migrateDatabase(db);
    log(`Reusing ${path} (${customers} customers)`);
    return { db, dataset: describe(db, path, null) };
  }
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${path}${suffix}`, { force: true });
  log(`Generating ${customers} customers into ${path} ...`);
  const started = performance.now();
  // argon2 is slow on purpose: one hash before the (synchronous) transaction, shared by every account
  const passwordHash = await hash(randomBytes(18).toString("base64url"));
  const db = openDatabase(path);
  migrateDatabase(db);
  generate(db, customers, passwordHash, new Date());
  db.$client.pragma("wal_checkpoint(TRUNCATE)");
  const seconds = (performance.now() - started) / 1000;
  const dataset = describe(db, path, Math.round(seconds * 10) / 10);
  log(`Generated in ${dataset.generatedSeconds} s: ${JSON.stringify(dataset.counts)}`);
  return { db, dataset };
}

function isReusable(path: string, customers: number): boolean {
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(path, { readonly: true, fileMustExist: true });
    const ws = sqlite.prepare("select id, description from workspaces where slug = ?").get(BENCH_WORKSPACE_SLUG) as
      | { id: string; description: string }
      | undefined;
    if (!ws || ws.description !== marker(customers)) return false;
    const n = (sqlite.prepare("select count(*) as n from customers where workspace_id = ?").get(ws.id) as { n: number }).n;
    return n === customers;
  } catch {
    return false;
  } finally {
    sqlite?.close();
  }
}

function describe(db: Db, path: string, generatedSeconds: number | null): BenchDataset {
  const c = db.$client;
  const ws = c.prepare("select id from workspaces where slug = ?").get(BENCH_WORKSPACE_SLUG) as { id: string };
  const user = c.prepare("select id from users where email = ?").get(BENCH_USER_EMAIL) as { id: string };
  const n = (sql: string) => (c.prepare(sql).get(ws.id) as { n: number }).n;
  return {
    path,
    workspaceId: ws.id,
    staffUserId: user.id,
    counts: {
      customers: n("select count(*) as n from customers where workspace_id = ?"),
      archivedCustomers: n("select count(*) as n from customers where workspace_id = ? and archived_at is not null"),
      customerServices: n("select count(*) as n from customer_services where workspace_id = ?"),
      portalUsers: n("select count(*) as n from users where portal_workspace_id = ?"),
      outbox: n("select count(*) as n from outbox where workspace_id = ?"),
      auditEvents: n("select count(*) as n from audit_events where workspace_id = ?"),
    },
    generatedSeconds,
  };
}

type PendingEvent = Omit<AuditEventFields, "chainKey" | "seq" | "workspaceId">;

const DAY = 86_400_000;

function generate(db: Db, customerCount: number, passwordHash: string, now: Date): void {
  const r = createRandom(20260328);
  const vendor = demoVendors.find((v) => v.slug === VENDOR_SLUG)!;
  const templates = demoCustomers[VENDOR_SLUG];
  const deviations = demoNegotiatedTerms.flatMap((d) => d.deviations);
  const c = db.$client;
  const nowMs = now.getTime();
  const historyStart = Date.parse("2019-01-07T08:00:00.000Z");
  const setupAt = new Date(historyStart - 30 * DAY).toISOString();

  const workspaceId = randomUUID();
  const termsVersionId = randomUUID();
  const events: PendingEvent[] = [];
  const system = (label: string): Actor => ({ kind: "system", label, workspaceId });
  const event = (
    actor: Actor,
    at: string,
    e: { action: string; entityType: string; entityId: string | null; customerId?: string | null; data: unknown },
  ) =>
    events.push({
      actorUserId: actorUserId(actor),
      actorLabel: actorLabel(actor),
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      customerId: e.customerId ?? null,
      at,
      data: JSON.stringify(e.data),
    });

  const insert = {
    workspace: c.prepare(
      `insert into workspaces (id, slug, legal_name, trade_name, address, postcode, city, country, kvk_number, vat_number, website, description, created_at)
       values (@id, @slug, @legalName, @tradeName, @address, @postcode, @city, 'NL', @kvk, @vat, @website, @description, @createdAt)`,
    ),
    user: c.prepare(
      `insert into users (id, email, name, password_hash, kind, portal_customer_id, portal_workspace_id, last_login_at, created_at)
       values (@id, @email, @name, @passwordHash, @kind, @customerId, @workspaceId, @lastLoginAt, @createdAt)`,
    ),
    membership: c.prepare(`insert into memberships (id, user_id, workspace_id, role, created_at) values (?, ?, ?, ?, ?)`),
    termsVersion: c.prepare(
      `insert into terms_versions (id, workspace_id, version, content, reason, effective_date, created_at) values (?, ?, 1, ?, ?, ?, ?)`,
    ),
    service: c.prepare(
      `insert into services (id, workspace_id, key, name_nl, name_en, personal_data, created_at) values (?, ?, ?, ?, ?, ?, ?)`,
    ),
    customer: c.prepare(
      `insert into customers (id, workspace_id, name, name_key, registration_number, address, postcode, city, country, language,
         signatory_name, signatory_role, signatory_email, privacy_contact_name, privacy_contact_email, dpo_name, dpo_email,
         notification_emails, subject_matter, purposes, data_categories, data_subjects, transfers_outside_eea, security_additions,
         terms_version_id, contract_start, contract_term_months, status, archived_at, created_at, updated_at)
       values (@id, @workspaceId, @name, @nameKey, @registrationNumber, @address, @postcode, @city, @country, @language,
         @signatoryName, @signatoryRole, @signatoryEmail, @privacyContactName, @privacyContactEmail, @dpoName, @dpoEmail,
         @notificationEmails, @subjectMatter, @purposes, @dataCategories, @dataSubjects, @transfersOutsideEea, @securityAdditions,
         @termsVersionId, @contractStart, @contractTermMonths, @status, @archivedAt, @createdAt, @updatedAt)`,
    ),
    customerService: c.prepare(`insert into customer_services (customer_id, service_id, workspace_id) values (?, ?, ?)`),
    deviation: c.prepare(
      `insert into term_deviations (id, workspace_id, customer_id, field, value, reason, clause, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    outbox: c.prepare(
      `insert into outbox (id, workspace_id, customer_id, kind, to_addresses, subject, text_body, status, attempts, next_attempt_at, last_error, message_id, created_at, sent_at)
       values (@id, @workspaceId, @customerId, 'invitation', @to, @subject, @body, @status, @attempts, @nextAttemptAt, @lastError, @messageId, @createdAt, @sentAt)`,
    ),
    audit: c.prepare(
      `insert into audit_events (chain_key, seq, workspace_id, actor_user_id, actor_label, action, entity_type, entity_id, customer_id, at, data, prev_hash, hash)
       values (@chainKey, @seq, @workspaceId, @actorUserId, @actorLabel, @action, @entityType, @entityId, @customerId, @at, @data, @prevHash, @hash)`,
    ),
  };

  const writeAll = c.transaction(() => {
    // building the secondary indexes once at the end (a sort) is cheaper than updating them row by row
    const indexes = c
      .prepare(
        "select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (" +
          "'customers', 'customer_services', 'audit_events', 'users', 'outbox', 'term_deviations')",
      )
      .all() as { name: string; sql: string }[];
    for (const index of indexes) c.exec(`drop index "${index.name}"`);
    insert.workspace.run({
      id: workspaceId,
      slug: BENCH_WORKSPACE_SLUG,
      legalName: "Benchmark Hosting B.V.",
      tradeName: "Benchmark Hosting",
      address: "Stationsweg 1",
      postcode: "3511 AA",
      city: "Utrecht",
      kvk: "90000001",
      vat: "NL000000001B01",
      website: "https://hosting.dpadesk-bench.example",
      description: marker(customerCount),
      createdAt: setupAt,
    });
    event(system("bench-seed"), setupAt, {
      action: "workspace.created",
      entityType: "workspace",
      entityId: workspaceId,
      data: { slug: BENCH_WORKSPACE_SLUG },
    });

    const staff: { role: StaffRole; email: string; name: string }[] = [
      { role: "admin", email: BENCH_USER_EMAIL, name: "Benchmark beheerder" },
      { role: "privacy_officer", email: "privacy@dpadesk-bench.example", name: "Benchmark privacy officer" },
      { role: "auditor", email: "auditor@dpadesk-bench.example", name: "Benchmark auditor" },
    ];
    const actors = staff.map((s) => {
      const id = randomUUID();
      insert.user.run({
        id,
        email: s.email,
        name: s.name,
        passwordHash,
        kind: "staff",
        customerId: null,
        workspaceId: null,
        lastLoginAt: null,
        createdAt: setupAt,
      });
      insert.membership.run(randomUUID(), id, workspaceId, s.role, setupAt);
      event(system("bench-seed"), setupAt, {
        action: "user.created",
        entityType: "user",
        entityId: id,
        data: { email: s.email, role: s.role },
      });
      return { kind: "staff", userId: id, name: s.name, email: s.email, workspaceId, role: s.role } satisfies Actor;
    });
    const officer = actors[1];

    insert.termsVersion.run(
      termsVersionId,
      workspaceId,
      JSON.stringify(seedTermsProfiles[VENDOR_SLUG]),
      "Versie 1: overgenomen uit de algemene voorwaarden / verwerkersovereenkomst van de leverancier",
      "2019-01-01",
      setupAt,
    );
    event(actors[0], setupAt, {
      action: "terms_version.created",
      entityType: "terms_version",
      entityId: termsVersionId,
      data: { version: 1 },
    });
    const serviceIds = vendor.services.map((s) => {
      const id = randomUUID();
      insert.service.run(id, workspaceId, s.key, s.name.nl, s.name.en, s.personalData.nl, setupAt);
      return id;
    });

    // creation instants in time order, so ids, audit sequence and timestamps grow together as in real use
    const createdAts = Array.from({ length: customerCount }, () => historyStart + Math.floor(r.next() * (nowMs - DAY - historyStart))).sort(
      (a, b) => a - b,
    );
    createdAts.forEach((createdMs, i) => {
      const id = randomUUID();
      const t = templates[i % templates.length];
      const f = fakeCustomer(r, i);
      const createdAt = new Date(createdMs).toISOString();
      const contractStart = randomDate(r, new Date(createdMs - 20 * DAY), new Date(createdMs + 30 * DAY));
      const term = r.pick([12, 12, 12, 24, 36]);
      const roll = r.next();
      const status = roll < 0.88 ? "active" : roll < 0.92 ? "ending" : "ended";
      const archivedAt =
        status === "ended" && r.chance(0.7) ? new Date(Math.min(nowMs - 1000, createdMs + r.int(200, 1500) * DAY)).toISOString() : null;
      const lang = f.language;
      insert.customer.run({
        id,
        workspaceId,
        name: f.name,
        nameKey: f.name.toLowerCase(),
        registrationNumber: f.registrationNumber,
        address: f.address,
        postcode: f.postcode,
        city: f.city,
        country: f.country,
        language: lang,
        signatoryName: f.signatoryName,
        signatoryRole: f.signatoryRole,
        signatoryEmail: f.signatoryEmail,
        privacyContactName: f.privacyContactName,
        privacyContactEmail: f.privacyContactEmail,
        dpoName: f.dpoName,
        dpoEmail: f.dpoEmail,
        notificationEmails: JSON.stringify(f.notificationEmails),
        subjectMatter: t.subjectMatter[lang],
        purposes: JSON.stringify(t.purposes.map((p) => p[lang])),
        dataCategories: JSON.stringify(t.dataCategories),
        dataSubjects: JSON.stringify(t.dataSubjects),
        transfersOutsideEea: t.transfersOutsideEea ? 1 : 0,
        securityAdditions: JSON.stringify(t.securityAdditions.map((m) => m[lang])),
        termsVersionId,
        contractStart,
        contractTermMonths: term,
        status,
        archivedAt,
        createdAt,
        updatedAt: archivedAt ?? createdAt,
      });
      event(officer, createdAt, {
        action: "customer.created",
        entityType: "customer",
        entityId: id,
        customerId: id,
        data: { name: f.name },
      });

      const serviceCount = r.int(1, 3);
      const start = r.int(0, serviceIds.length - 1);
      for (let s = 0; s < serviceCount; s++) insert.customerService.run(id, serviceIds[(start + s) % serviceIds.length], workspaceId);

      if (r.chance(0.02)) {
        const d = r.pick(deviations);
        const deviationId = randomUUID();
        const at = new Date(createdMs + 60_000).toISOString();
        insert.deviation.run(deviationId, workspaceId, id, d.field, JSON.stringify(d.value), d.reason, d.clause, at);
        event(officer, at, {
          action: "terms_deviation.created",
          entityType: "term_deviation",
          entityId: deviationId,
          customerId: id,
          data: d,
        });
      }

      if (r.chance(0.1)) {
        // a portal user, invited a few days after the customer was added; most accepted
        const userId = randomUUID();
        const invitedMs = Math.min(nowMs - 60_000, createdMs + r.int(1, 10) * DAY);
        const invitedAt = new Date(invitedMs).toISOString();
        const accepted = invitedMs < nowMs - 14 * DAY && r.chance(0.8);
        const email = f.privacyContactEmail;
        insert.user.run({
          id: userId,
          email,
          name: f.privacyContactName,
          passwordHash: accepted ? passwordHash : null,
          kind: "portal",
          customerId: id,
          workspaceId,
          lastLoginAt: accepted ? new Date(Math.min(nowMs - 60_000, invitedMs + r.int(1, 300) * DAY)).toISOString() : null,
          createdAt: invitedAt,
        });
        event(officer, invitedAt, { action: "portal_user.invited", entityType: "user", entityId: userId, customerId: id, data: { email } });
        const mailId = randomUUID();
        const recent = invitedMs > nowMs - 2 * DAY;
        const status = recent && r.chance(0.5) ? "pending" : r.chance(0.01) ? "failed" : "sent";
        const subject =
          lang === "nl"
            ? `Uitnodiging voor het klantportaal van ${vendor.tradeName}`
            : `Invitation to the ${vendor.tradeName} customer portal`;
        const sentAt = status === "sent" ? new Date(invitedMs + 5_000).toISOString() : null;
        insert.outbox.run({
          id: mailId,
          workspaceId,
          customerId: id,
          to: JSON.stringify([email]),
          subject,
          body: `${subject}\n\nhttps://hosting.dpadesk-bench.example/invite/${randomBytes(32).toString("base64url")}`,
          status,
          attempts: status === "pending" ? 0 : status === "failed" ? 8 : 1,
          nextAttemptAt: invitedAt,
          lastError: status === "failed" ? "550 5.1.1 recipient address rejected" : null,
          messageId: sentAt ? `<${mailId}@dpadesk-bench.example>` : null,
          createdAt: invitedAt,
          sentAt,
        });
        event(system("outbox"), invitedAt, {
          action: "mail.queued",
          entityType: "mail",
          entityId: mailId,
          customerId: id,
          data: { kind: "invitation", to: [email], subject, attachments: [] },
        });
        if (sentAt)
          event(system("outbox"), sentAt, {
            action: "mail.sent",
            entityType: "mail",
            entityId: mailId,
            customerId: id,
            data: { kind: "invitation", to: [email], subject, attempts: 1 },
          });
      }
    });

    // one hash chain for the workspace, in time order (a stable sort keeps same-instant events in causal order)
    events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    let prevHash = GENESIS_HASH;
    events.forEach((e, i) => {
      const fields: AuditEventFields = { ...e, chainKey: workspaceId, seq: i + 1, workspaceId };
      const h = hashAuditEvent(prevHash, fields);
      insert.audit.run({ ...fields, prevHash, hash: h });
      prevHash = h;
    });
    for (const index of indexes) c.exec(index.sql);
  });
  writeAll.immediate();
}
