/**
 * The database schema. Conventions (see docs/decisions/001-data-conventions.md):
 * - ids are random UUIDs (text), never sequential, so they can appear in URLs that cross a trust boundary;
 * - instants are ISO-8601 UTC text with milliseconds ("2026-03-28T13:00:00.000Z"); calendar dates are "YYYY-MM-DD";
 * - lists of strings are JSON text; every foreign key and every filter column is indexed;
 * - every workspace-owned row carries workspace_id so every query can be scoped to it.
 */
import { index, integer, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from "drizzle-orm/sqlite-core";

const createdAt = () => text("created_at").notNull();

export const workspaces = sqliteTable("workspaces", {
  id: text("id").primaryKey(),
  slug: text("slug").notNull().unique(),
  legalName: text("legal_name").notNull(),
  tradeName: text("trade_name").notNull(),
  address: text("address").notNull().default(""),
  postcode: text("postcode").notNull().default(""),
  city: text("city").notNull().default(""),
  country: text("country").notNull().default("NL"),
  kvkNumber: text("kvk_number"),
  vatNumber: text("vat_number"),
  website: text("website"),
  description: text("description").notNull().default(""),
  defaultLanguage: text("default_language", { enum: ["nl", "en"] }).notNull().default("nl"),
  internalBreachTargetHours: integer("internal_breach_target_hours").notNull().default(24),
  autoCountersign: integer("auto_countersign", { mode: "boolean" }).notNull().default(false),
  publicSubprocessorPage: integer("public_subprocessor_page", { mode: "boolean" }).notNull().default(false),
  createdAt: createdAt(),
});

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull().unique(),
    name: text("name").notNull(),
    /** null until the user accepted the invitation and chose a password */
    passwordHash: text("password_hash"),
    kind: text("kind", { enum: ["staff", "portal"] }).notNull(),
    /** portal users belong to exactly one customer of one workspace */
    portalCustomerId: text("portal_customer_id").references((): AnySQLiteColumn => customers.id),
    portalWorkspaceId: text("portal_workspace_id").references(() => workspaces.id),
    locale: text("locale", { enum: ["nl", "en"] }),
    disabledAt: text("disabled_at"),
    lastLoginAt: text("last_login_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("users_portal_customer_idx").on(t.portalCustomerId),
    index("users_portal_workspace_idx").on(t.portalWorkspaceId),
  ],
);

export const memberships = sqliteTable(
  "memberships",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    role: text("role", { enum: ["admin", "privacy_officer", "auditor"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("memberships_user_workspace_uq").on(t.userId, t.workspaceId),
    index("memberships_workspace_idx").on(t.workspaceId, t.role),
  ],
);

export const sessions = sqliteTable(
  "sessions",
  {
    /** SHA-256 of the random session token; the cookie holds the token, the database only its hash */
    idHash: text("id_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    activeWorkspaceId: text("active_workspace_id").references(() => workspaces.id),
    createdAt: createdAt(),
    expiresAt: text("expires_at").notNull(),
    lastSeenAt: text("last_seen_at").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    revokedAt: text("revoked_at"),
  },
  (t) => [
    index("sessions_user_idx").on(t.userId),
    index("sessions_workspace_idx").on(t.activeWorkspaceId),
    index("sessions_expires_idx").on(t.expiresAt),
  ],
);

/** Failed sign-in attempts, kept in the database so throttling holds across app instances. */
export const loginFailures = sqliteTable(
  "login_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull(),
    at: text("at").notNull(),
  },
  (t) => [index("login_failures_key_at_idx").on(t.key, t.at)],
);

/** Single-use, expiring links sent by mail: invitations and password resets. Only the hash is stored. */
export const accountTokens = sqliteTable(
  "account_tokens",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull().unique(),
    purpose: text("purpose", { enum: ["invite", "reset"] }).notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    workspaceId: text("workspace_id").references(() => workspaces.id),
    createdBy: text("created_by").references(() => users.id),
    createdAt: createdAt(),
    expiresAt: text("expires_at").notNull(),
    usedAt: text("used_at"),
  },
  (t) => [
    index("account_tokens_user_idx").on(t.userId),
    index("account_tokens_workspace_idx").on(t.workspaceId),
    index("account_tokens_created_by_idx").on(t.createdBy),
  ],
);

export const services = sqliteTable(
  "services",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    key: text("key").notNull(),
    nameNl: text("name_nl").notNull(),
    nameEn: text("name_en").notNull(),
    personalData: text("personal_data").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("services_workspace_key_uq").on(t.workspaceId, t.key)],
);

export const customers = sqliteTable(
  "customers",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    name: text("name").notNull(),
    /** lower-cased name, for case-insensitive search and sort without SQLite-only collations */
    nameKey: text("name_key").notNull(),
    /** Chamber of Commerce number (KvK) for Dutch companies, or the foreign register and number, e.g. "KBO 0412.345.678" */
    registrationNumber: text("registration_number"),
    address: text("address").notNull().default(""),
    postcode: text("postcode").notNull().default(""),
    city: text("city").notNull().default(""),
    country: text("country").notNull().default("NL"),
    language: text("language", { enum: ["nl", "en"] }).notNull().default("nl"),
    signatoryName: text("signatory_name").notNull().default(""),
    signatoryRole: text("signatory_role").notNull().default(""),
    signatoryEmail: text("signatory_email").notNull().default(""),
    privacyContactName: text("privacy_contact_name").notNull().default(""),
    privacyContactEmail: text("privacy_contact_email").notNull().default(""),
    dpoName: text("dpo_name"),
    dpoEmail: text("dpo_email"),
    /** JSON array of addresses that receive notices */
    notificationEmails: text("notification_emails").notNull().default("[]"),
    subjectMatter: text("subject_matter").notNull().default(""),
    /** JSON array of purposes, in the customer's language */
    purposes: text("purposes").notNull().default("[]"),
    /** JSON array of data category keys */
    dataCategories: text("data_categories").notNull().default("[]"),
    /** JSON array of data subject category keys */
    dataSubjects: text("data_subjects").notNull().default("[]"),
    transfersOutsideEea: integer("transfers_outside_eea", { mode: "boolean" }).notNull().default(false),
    /** JSON array of customer-specific security measures added to the workspace default annex */
    securityAdditions: text("security_additions").notNull().default("[]"),
    /** the terms profile version this customer's DPA was signed under; every clock uses it */
    termsVersionId: text("terms_version_id").references((): AnySQLiteColumn => termsVersions.id),
    contractStart: text("contract_start").notNull(),
    contractTermMonths: integer("contract_term_months").notNull().default(12),
    status: text("status", { enum: ["active", "ending", "ended"] }).notNull().default("active"),
    archivedAt: text("archived_at"),
    createdAt: createdAt(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("customers_workspace_name_idx").on(t.workspaceId, t.nameKey, t.id),
    index("customers_workspace_start_idx").on(t.workspaceId, t.contractStart, t.id),
    index("customers_workspace_status_idx").on(t.workspaceId, t.status),
    index("customers_terms_version_idx").on(t.termsVersionId),
  ],
);

/** Immutable versions of a workspace's DPA terms profile. Editing creates a new version. */
export const termsVersions = sqliteTable(
  "terms_versions",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    version: integer("version").notNull(),
    /** JSON: the TermsProfile content (app/domain/terms.ts) */
    content: text("content").notNull(),
    reason: text("reason").notNull(),
    effectiveDate: text("effective_date").notNull(),
    createdByUserId: text("created_by_user_id").references((): AnySQLiteColumn => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("terms_versions_workspace_version_uq").on(t.workspaceId, t.version),
    index("terms_versions_created_by_idx").on(t.createdByUserId),
  ],
);

/** Negotiated terms: a customer's deviation from its profile version, field by field. */
export const termDeviations = sqliteTable(
  "term_deviations",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    customerId: text("customer_id")
      .notNull()
      .references((): AnySQLiteColumn => customers.id),
    field: text("field").notNull(),
    /** JSON value replacing the profile's value */
    value: text("value").notNull(),
    reason: text("reason").notNull(),
    clause: text("clause").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("term_deviations_customer_field_uq").on(t.customerId, t.field),
    index("term_deviations_workspace_idx").on(t.workspaceId),
  ],
);

export const customerServices = sqliteTable(
  "customer_services",
  {
    customerId: text("customer_id")
      .notNull()
      .references((): AnySQLiteColumn => customers.id),
    serviceId: text("service_id")
      .notNull()
      .references(() => services.id),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
  },
  (t) => [
    uniqueIndex("customer_services_uq").on(t.customerId, t.serviceId),
    index("customer_services_service_idx").on(t.serviceId),
    index("customer_services_workspace_idx").on(t.workspaceId),
  ],
);

/**
 * Append-only audit trail. Each event carries the hash of the previous event in the same chain
 * (one chain per workspace, "system" for events outside any workspace), so any edit or deletion
 * is detectable by verifyAuditChain.
 */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    chainKey: text("chain_key").notNull(),
    seq: integer("seq").notNull(),
    workspaceId: text("workspace_id").references(() => workspaces.id),
    actorUserId: text("actor_user_id").references(() => users.id),
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id"),
    customerId: text("customer_id").references((): AnySQLiteColumn => customers.id),
    at: text("at").notNull(),
    /** JSON: the change (before/after or the fields written) */
    data: text("data").notNull().default("{}"),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    uniqueIndex("audit_chain_seq_uq").on(t.chainKey, t.seq),
    index("audit_workspace_at_idx").on(t.workspaceId, t.at),
    index("audit_actor_idx").on(t.actorUserId),
    index("audit_customer_idx").on(t.customerId, t.at),
    index("audit_entity_idx").on(t.entityType, t.entityId),
  ],
);

/**
 * Transactional outbox: a message is written in the same transaction as the event that causes it
 * and delivered later by the outbox worker, which claims rows with a lease so two instances never
 * send the same message.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").references(() => workspaces.id),
    customerId: text("customer_id").references((): AnySQLiteColumn => customers.id),
    /** what caused the message, e.g. "invitation", "password_reset" */
    kind: text("kind").notNull(),
    toAddresses: text("to_addresses").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    /** JSON array of { filename, contentType, path } */
    attachments: text("attachments").notNull().default("[]"),
    status: text("status", { enum: ["pending", "sent", "failed"] }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: text("next_attempt_at").notNull(),
    leaseOwner: text("lease_owner"),
    leaseUntil: text("lease_until"),
    lastError: text("last_error"),
    messageId: text("message_id"),
    createdAt: createdAt(),
    sentAt: text("sent_at"),
  },
  (t) => [
    index("outbox_due_idx").on(t.status, t.nextAttemptAt),
    index("outbox_workspace_idx").on(t.workspaceId, t.createdAt, t.id),
    index("outbox_workspace_status_idx").on(t.workspaceId, t.status, t.createdAt, t.id),
    index("outbox_customer_idx").on(t.customerId),
  ],
);

export type Role = (typeof memberships.$inferSelect)["role"];
export type Locale = "nl" | "en";
