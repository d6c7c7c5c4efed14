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
  /** which DPA template in templates/dpa/ this workspace's agreements use (its terms profile's text); null = the slug */
  dpaTemplate: text("dpa_template"),
  /** JSON array of { nl, en }: the general security measures of Annex III of every DPA */
  securityMeasures: text("security_measures").notNull().default("[]"),
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

/**
 * Throttling events (failed sign-ins, subscription requests), one row per event and key, kept in the
 * database so limits hold across app instances. Keys name what is counted, e.g. "login:ip:192.0.2.1".
 */
export const rateEvents = sqliteTable(
  "rate_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull(),
    at: text("at").notNull(),
  },
  (t) => [index("rate_events_key_at_idx").on(t.key, t.at)],
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
    /** nature of the processing (Art. 28(3) GDPR), e.g. hosting, storage, analysis */
    nature: text("nature").notNull().default(""),
    /** duration of the processing; empty means "for the term of the main agreement" */
    processingDuration: text("processing_duration").notNull().default(""),
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
    // every list filters on archived_at, so it leads each index after the workspace
    index("customers_workspace_archived_name_idx").on(t.workspaceId, t.archivedAt, t.nameKey, t.id),
    index("customers_workspace_archived_start_idx").on(t.workspaceId, t.archivedAt, t.contractStart, t.id),
    index("customers_workspace_archived_city_idx").on(t.workspaceId, t.archivedAt, t.city, t.id),
    index("customers_workspace_archived_status_idx").on(t.workspaceId, t.archivedAt, t.status),
    index("customers_terms_version_idx").on(t.termsVersionId, t.nameKey, t.id),
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

/**
 * A customer's processor agreement. Each DPA pins the terms version and the exact text it was (or
 * will be) signed on; its SHA-256 is what each signature records. States: draft → sent →
 * signed (by the customer) → in_force (countersigned and sealed) → superseded or ended.
 */
export const dpas = sqliteTable(
  "dpas",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    termsVersionId: text("terms_version_id")
      .notNull()
      .references(() => termsVersions.id),
    /** "standard": generated from templates/; "customer_paper": the customer's own signed document, uploaded */
    kind: text("kind", { enum: ["standard", "customer_paper"] }).notNull().default("standard"),
    language: text("language", { enum: ["nl", "en"] }).notNull(),
    state: text("state", { enum: ["draft", "sent", "signed", "in_force", "superseded", "ended"] }).notNull(),
    /** human label, e.g. "Leadcube VO v1 · 2026-11-22" */
    versionLabel: text("version_label").notNull(),
    /** the exact text the parties sign (plain text serialisation of the rendered template) */
    text: text("text").notNull(),
    /** SHA-256 (hex) of `text` */
    textHash: text("text_hash").notNull(),
    /** JSON of the rendered template (clauses, annexes, coverage) for the web page and the PDF */
    rendered: text("rendered").notNull(),
    createdByUserId: text("created_by_user_id").references(() => users.id),
    createdAt: createdAt(),
    sentAt: text("sent_at"),
    customerSignedAt: text("customer_signed_at"),
    countersignedAt: text("countersigned_at"),
    inForceAt: text("in_force_at"),
    supersededAt: text("superseded_at"),
    supersededById: text("superseded_by_id"),
    endedAt: text("ended_at"),
    /** the sealed, digitally signed PDF (path under DATA_DIR) and its SHA-256 */
    pdfPath: text("pdf_path"),
    pdfSha256: text("pdf_sha256"),
    /** customer paper: the uploaded signed document */
    uploadPath: text("upload_path"),
    uploadSha256: text("upload_sha256"),
    uploadFilename: text("upload_filename"),
  },
  (t) => [
    index("dpas_workspace_state_idx").on(t.workspaceId, t.state),
    index("dpas_customer_idx").on(t.customerId, t.createdAt),
    index("dpas_terms_version_idx").on(t.termsVersionId),
    index("dpas_created_by_idx").on(t.createdByUserId),
  ],
);

/** Evidence of each signature: who, when, from where, and the hash of the exact text signed. */
export const dpaSignatures = sqliteTable(
  "dpa_signatures",
  {
    id: text("id").primaryKey(),
    dpaId: text("dpa_id")
      .notNull()
      .references(() => dpas.id),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    party: text("party", { enum: ["controller", "processor"] }).notNull(),
    /** null for an automatic countersignature */
    userId: text("user_id").references(() => users.id),
    fullName: text("full_name").notNull(),
    roleTitle: text("role_title").notNull(),
    authorised: integer("authorised", { mode: "boolean" }).notNull(),
    automatic: integer("automatic", { mode: "boolean" }).notNull().default(false),
    signedAt: text("signed_at").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    textHash: text("text_hash").notNull(),
  },
  (t) => [
    uniqueIndex("dpa_signatures_party_uq").on(t.dpaId, t.party),
    index("dpa_signatures_workspace_idx").on(t.workspaceId),
    index("dpa_signatures_customer_idx").on(t.customerId),
    index("dpa_signatures_user_idx").on(t.userId),
  ],
);

// ---------------------------------------------------------------------------------------
// Sub-processors (issue 4): the register, change notices with per-customer proof, responses and
// their resolution, per-customer exclusions, and the public page's email subscriptions.

/**
 * The processor's own sub-processors. `status` is the register's lifecycle; whether one is in use on
 * a day also depends on `start_date`/`end_date` (last day of use). Locations and purpose of an
 * active entry change only through a change notice (subprocessor_changes). `internal_note` is never
 * shown outside the staff app.
 */
export const subprocessors = sqliteTable(
  "subprocessors",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    legalName: text("legal_name").notNull(),
    /** lower-cased legal name, for search and sort */
    nameKey: text("name_key").notNull(),
    tradeName: text("trade_name"),
    /** what it does for the processor */
    serviceNl: text("service_nl").notNull(),
    serviceEn: text("service_en").notNull(),
    purposeNl: text("purpose_nl").notNull(),
    purposeEn: text("purpose_en").notNull(),
    /** JSON array of ISO 3166-1 alpha-2 country codes */
    locations: text("locations").notNull().default("[]"),
    /** JSON array of data category keys (app/domain/processing-catalogue.ts) */
    dataCategories: text("data_categories").notNull().default("[]"),
    /** required when a location is outside the EEA */
    transferSafeguard: text("transfer_safeguard", { enum: ["adequacy", "scc", "bcr"] }),
    /** our DPA with the sub-processor: date signed, and the signed PDF (path under DATA_DIR) */
    dpaDate: text("dpa_date"),
    dpaDocumentPath: text("dpa_document_path"),
    dpaDocumentFilename: text("dpa_document_filename"),
    dpaDocumentSha256: text("dpa_document_sha256"),
    dpaDocumentSize: integer("dpa_document_size"),
    /** hours within which it promises to tell us about a breach; null = no hour limit */
    breachNoticeHours: integer("breach_notice_hours"),
    status: text("status", { enum: ["proposed", "active", "retired"] }).notNull(),
    startDate: text("start_date"),
    endDate: text("end_date"),
    internalNote: text("internal_note").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("subprocessors_workspace_name_idx").on(t.workspaceId, t.nameKey, t.id),
    index("subprocessors_workspace_status_idx").on(t.workspaceId, t.status, t.nameKey, t.id),
  ],
);

/** Which of the workspace's services a sub-processor supports; customers of those services use it. */
export const subprocessorServices = sqliteTable(
  "subprocessor_services",
  {
    subprocessorId: text("subprocessor_id")
      .notNull()
      .references(() => subprocessors.id),
    serviceId: text("service_id")
      .notNull()
      .references(() => services.id),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
  },
  (t) => [
    uniqueIndex("subprocessor_services_uq").on(t.subprocessorId, t.serviceId),
    index("subprocessor_services_service_idx").on(t.serviceId),
    index("subprocessor_services_workspace_idx").on(t.workspaceId),
  ],
);

/**
 * A change to the sub-processor list announced to customers: new, replacement (subject replaces
 * `replaces_subprocessor_id`), new location, new purpose, removal. States: draft → awaiting_approval
 * (some customer must approve first) or scheduled → in_effect on the planned start; or cancelled.
 */
export const subprocessorChanges = sqliteTable(
  "subprocessor_changes",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    kind: text("kind", { enum: ["new", "replacement", "location", "purpose", "removal"] }).notNull(),
    subprocessorId: text("subprocessor_id")
      .notNull()
      .references(() => subprocessors.id),
    replacesSubprocessorId: text("replaces_subprocessor_id").references(() => subprocessors.id),
    plannedStart: text("planned_start").notNull(),
    /** location change: the locations after the change (JSON array) and the safeguard */
    newLocations: text("new_locations"),
    newTransferSafeguard: text("new_transfer_safeguard", { enum: ["adequacy", "scc", "bcr"] }),
    /** purpose change: the purpose after the change */
    newPurposeNl: text("new_purpose_nl"),
    newPurposeEn: text("new_purpose_en"),
    /** what changes and why, as customers and the public page read it */
    descriptionNl: text("description_nl").notNull(),
    descriptionEn: text("description_en").notNull(),
    internalNote: text("internal_note").notNull().default(""),
    status: text("status", { enum: ["draft", "awaiting_approval", "scheduled", "in_effect", "cancelled"] }).notNull(),
    createdByUserId: text("created_by_user_id").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: text("updated_at").notNull(),
    sentAt: text("sent_at"),
    sentByUserId: text("sent_by_user_id").references(() => users.id),
    /** set when staff sent despite window conflicts */
    sendOverrideReason: text("send_override_reason"),
    startAcceptedAt: text("start_accepted_at"),
    startAcceptedByUserId: text("start_accepted_by_user_id").references(() => users.id),
    /** set when staff accepted the start date despite conflicts */
    startOverrideReason: text("start_override_reason"),
    cancelledAt: text("cancelled_at"),
    cancelledReason: text("cancelled_reason"),
    appliedAt: text("applied_at"),
  },
  (t) => [
    index("subprocessor_changes_workspace_status_idx").on(t.workspaceId, t.status, t.createdAt, t.id),
    index("subprocessor_changes_workspace_sent_idx").on(t.workspaceId, t.sentAt, t.id),
    index("subprocessor_changes_due_idx").on(t.status, t.plannedStart),
    index("subprocessor_changes_subprocessor_idx").on(t.subprocessorId),
    index("subprocessor_changes_replaces_idx").on(t.replacesSubprocessorId),
    index("subprocessor_changes_created_by_idx").on(t.createdByUserId),
    index("subprocessor_changes_sent_by_idx").on(t.sentByUserId),
    index("subprocessor_changes_accepted_by_idx").on(t.startAcceptedByUserId),
  ],
);

/**
 * One customer of one change: selected or not while a draft; once sent, the proof of notice (when,
 * to which addresses, which text and its SHA-256, the regime and window from the customer's
 * effective terms at that moment), then the customer's response and the staff's resolution.
 */
export const subprocessorNotices = sqliteTable(
  "subprocessor_notices",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    changeId: text("change_id")
      .notNull()
      .references(() => subprocessorChanges.id),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    included: integer("included", { mode: "boolean" }).notNull(),
    /** the customer uses a service the change concerns (the default selection) */
    usesRelatedService: integer("uses_related_service", { mode: "boolean" }).notNull(),
    sentAt: text("sent_at"),
    regime: text("regime", { enum: ["approval_required", "window", "objection_without_window", "informational"] }),
    regimeArticle: text("regime_article"),
    termsVersionId: text("terms_version_id").references(() => termsVersions.id),
    /** last day of the objection window (Europe/Amsterdam) */
    windowEnd: text("window_end"),
    /** JSON: the DateDeadline behind window_end, for its explanation */
    windowDeadline: text("window_deadline"),
    language: text("language", { enum: ["nl", "en"] }),
    /** JSON array of the addresses the notice went to */
    toAddresses: text("to_addresses"),
    subject: text("subject"),
    body: text("body"),
    /** SHA-256 (hex) of `body` */
    bodySha256: text("body_sha256"),
    outboxId: text("outbox_id"),
    response: text("response", { enum: ["approved", "objected"] }),
    respondedAt: text("responded_at"),
    respondedByUserId: text("responded_by_user_id").references(() => users.id),
    respondedByName: text("responded_by_name"),
    reasons: text("reasons"),
    resolution: text("resolution", { enum: ["withdrew", "alternative", "cancelled", "terminates"] }),
    resolvedAt: text("resolved_at"),
    resolvedByUserId: text("resolved_by_user_id").references(() => users.id),
    resolutionNote: text("resolution_note"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("subprocessor_notices_change_customer_uq").on(t.changeId, t.customerId),
    index("subprocessor_notices_change_included_idx").on(t.changeId, t.included, t.customerId),
    index("subprocessor_notices_customer_idx").on(t.customerId, t.sentAt),
    index("subprocessor_notices_queue_idx").on(t.workspaceId, t.response, t.resolution, t.respondedAt),
    index("subprocessor_notices_terms_version_idx").on(t.termsVersionId),
    index("subprocessor_notices_responded_by_idx").on(t.respondedByUserId),
    index("subprocessor_notices_resolved_by_idx").on(t.resolvedByUserId),
  ],
);

/** A sub-processor that is not used for one customer ("alternative agreed" after an objection). */
export const subprocessorExclusions = sqliteTable(
  "subprocessor_exclusions",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    subprocessorId: text("subprocessor_id")
      .notNull()
      .references(() => subprocessors.id),
    noticeId: text("notice_id").references(() => subprocessorNotices.id),
    createdByUserId: text("created_by_user_id").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("subprocessor_exclusions_uq").on(t.customerId, t.subprocessorId),
    index("subprocessor_exclusions_workspace_idx").on(t.workspaceId),
    index("subprocessor_exclusions_subprocessor_idx").on(t.subprocessorId),
    index("subprocessor_exclusions_notice_idx").on(t.noticeId),
    index("subprocessor_exclusions_created_by_idx").on(t.createdByUserId),
  ],
);

/** The register's history: every create, edit, document and change event, with before/after. */
export const subprocessorHistory = sqliteTable(
  "subprocessor_history",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    subprocessorId: text("subprocessor_id")
      .notNull()
      .references(() => subprocessors.id),
    changeId: text("change_id").references(() => subprocessorChanges.id),
    event: text("event").notNull(),
    at: text("at").notNull(),
    actorUserId: text("actor_user_id").references(() => users.id),
    actorLabel: text("actor_label").notNull(),
    /** JSON: { field: { before, after } } or event details */
    data: text("data").notNull().default("{}"),
  },
  (t) => [
    index("subprocessor_history_subprocessor_idx").on(t.subprocessorId, t.at, t.id),
    index("subprocessor_history_workspace_idx").on(t.workspaceId),
    index("subprocessor_history_change_idx").on(t.changeId),
    index("subprocessor_history_actor_idx").on(t.actorUserId),
  ],
);

/** Email subscriptions to a workspace's public sub-processor page (double opt-in). */
export const subprocessorSubscriptions = sqliteTable(
  "subprocessor_subscriptions",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    email: text("email").notNull(),
    language: text("language", { enum: ["nl", "en"] }).notNull(),
    status: text("status", { enum: ["pending", "confirmed", "unsubscribed"] }).notNull(),
    /** SHA-256 of the single-use confirmation token; null once used */
    confirmTokenHash: text("confirm_token_hash").unique(),
    confirmExpiresAt: text("confirm_expires_at"),
    createdAt: createdAt(),
    updatedAt: text("updated_at").notNull(),
    confirmedAt: text("confirmed_at"),
    unsubscribedAt: text("unsubscribed_at"),
  },
  (t) => [
    uniqueIndex("subprocessor_subscriptions_email_uq").on(t.workspaceId, t.email),
    index("subprocessor_subscriptions_status_idx").on(t.workspaceId, t.status),
  ],
);

// ---------------------------------------------------------------------------------------
// Data breaches (issue 5): the breach record (Art. 33(3)/(5) GDPR, the AP's notification form),
// one obligation per affected customer with its clocks, notices (first and follow-ups) and their
// per-customer deliveries with acknowledgement, and the customers' questions.

/**
 * A security incident: a personal data breach, or an incident judged not to be one (kept with the
 * reasoning, Art. 33(5)). Lists (types, categories, subjects, services) are JSON arrays of keys.
 * `should_have_known_at` null means: the moment of discovery.
 */
export const breaches = sqliteTable(
  "breaches",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    /** "DL-2026-0001": human reference, unique per workspace */
    reference: text("reference").notNull(),
    title: text("title").notNull(),
    /** "breach": a personal data breach; "not_breach": an incident judged not to be one */
    classification: text("classification", { enum: ["breach", "not_breach"] }).notNull(),
    classificationReasoning: text("classification_reasoning").notNull().default(""),
    status: text("status", { enum: ["open", "closed"] }).notNull(),
    /** what happened */
    nature: text("nature").notNull().default(""),
    /** JSON array: confidentiality, integrity, availability */
    breachTypes: text("breach_types").notNull().default("[]"),
    sourceKind: text("source_kind", { enum: ["own_systems", "subprocessor"] }).notNull(),
    subprocessorId: text("subprocessor_id").references(() => subprocessors.id),
    /** when the sub-processor told us */
    subprocessorReportedAt: text("subprocessor_reported_at"),
    /** JSON array of service ids the breach concerns (own systems) */
    serviceIds: text("service_ids").notNull().default("[]"),
    occurredFrom: text("occurred_from"),
    occurredTo: text("occurred_to"),
    ongoing: integer("ongoing", { mode: "boolean" }).notNull().default(false),
    discoveredAt: text("discovered_at").notNull(),
    shouldHaveKnownAt: text("should_have_known_at"),
    /** JSON array of data category keys (app/domain/processing-catalogue.ts) */
    dataCategories: text("data_categories").notNull().default("[]"),
    dataCategoriesNote: text("data_categories_note").notNull().default(""),
    /** JSON array of data subject category keys */
    dataSubjects: text("data_subjects").notNull().default("[]"),
    subjectsMin: integer("subjects_min"),
    subjectsMax: integer("subjects_max"),
    recordsMin: integer("records_min"),
    recordsMax: integer("records_max"),
    /** protection in place before the breach (encryption, hashing, access control) */
    protection: text("protection").notNull().default(""),
    consequences: text("consequences").notNull().default(""),
    measuresTaken: text("measures_taken").notNull().default(""),
    measuresProposed: text("measures_proposed").notNull().default(""),
    /** contact point (DPO or other) for more information */
    contactName: text("contact_name").notNull().default(""),
    contactEmail: text("contact_email").notNull().default(""),
    contactPhone: text("contact_phone").notNull().default(""),
    /** different contact details for the follow-up, if any */
    followUpContact: text("follow_up_contact").notNull().default(""),
    /** null = not yet assessed */
    riskLevel: text("risk_level", { enum: ["none", "risk", "high"] }),
    riskReasoning: text("risk_reasoning").notNull().default(""),
    /** Art. 34: whether data subjects must be told, or which Art. 34(3) exemption applies */
    subjectsNotice: text("subjects_notice", {
      enum: ["undecided", "not_required", "required", "exempt_unintelligible", "exempt_measures", "exempt_disproportionate"],
    })
      .notNull()
      .default("undecided"),
    subjectsNoticeReasoning: text("subjects_notice_reasoning").notNull().default(""),
    /** data subjects in more than one EU member state */
    crossBorder: integer("cross_border", { mode: "boolean" }).notNull().default(false),
    createdByUserId: text("created_by_user_id").references(() => users.id),
    /** the staff member who handles the breach and gets its reminders; null = the privacy officers */
    assigneeUserId: text("assignee_user_id").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: text("updated_at").notNull(),
    closedAt: text("closed_at"),
    closedByUserId: text("closed_by_user_id").references(() => users.id),
    closingNote: text("closing_note"),
  },
  (t) => [
    uniqueIndex("breaches_workspace_reference_uq").on(t.workspaceId, t.reference),
    index("breaches_assignee_idx").on(t.assigneeUserId, t.status),
    index("breaches_workspace_discovered_idx").on(t.workspaceId, t.discoveredAt, t.id),
    index("breaches_workspace_status_idx").on(t.workspaceId, t.status, t.discoveredAt),
    index("breaches_subprocessor_idx").on(t.subprocessorId),
    index("breaches_created_by_idx").on(t.createdByUserId),
    index("breaches_closed_by_idx").on(t.closedByUserId),
  ],
);

/**
 * One affected customer of one breach and its clocks: the notice deadline from the customer's
 * effective terms (JSON InstantDeadline, with `notice_due` and `notice_soon_at`, the moment under
 * 25% of the span is left, as columns for filtering and sorting), and once notified, the customer's
 * deadline to the authority. Removing a customer keeps the row (status "removed", with the reason).
 */
export const breachCustomers = sqliteTable(
  "breach_customers",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    breachId: text("breach_id")
      .notNull()
      .references(() => breaches.id),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    status: text("status", { enum: ["affected", "removed"] }).notNull(),
    /** "derived": uses the affected service or sub-processor; "added": added by hand */
    origin: text("origin", { enum: ["derived", "added"] }).notNull(),
    adjustReason: text("adjust_reason"),
    adjustedAt: text("adjusted_at"),
    adjustedByUserId: text("adjusted_by_user_id").references(() => users.id),
    termsVersionId: text("terms_version_id").references(() => termsVersions.id),
    noticeDeadline: text("notice_deadline").notNull(),
    noticeStart: text("notice_start").notNull(),
    noticeSoonAt: text("notice_soon_at").notNull(),
    noticeDue: text("notice_due").notNull(),
    notifiedAt: text("notified_at"),
    notifiedLate: integer("notified_late", { mode: "boolean" }),
    lateReason: text("late_reason"),
    authorityDeadline: text("authority_deadline"),
    authorityDue: text("authority_due"),
    /** what the customer reported about its own notification to the authority */
    authorityOutcome: text("authority_outcome", { enum: ["notified", "not_notifying"] }),
    authorityOutcomeAt: text("authority_outcome_at"),
    authorityOutcomeByUserId: text("authority_outcome_by_user_id").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("breach_customers_breach_customer_uq").on(t.breachId, t.customerId),
    index("breach_customers_breach_due_idx").on(t.breachId, t.status, t.noticeDue, t.id),
    index("breach_customers_workspace_due_idx").on(t.workspaceId, t.status, t.notifiedAt, t.noticeDue),
    index("breach_customers_customer_idx").on(t.customerId),
    index("breach_customers_terms_version_idx").on(t.termsVersionId),
    index("breach_customers_adjusted_by_idx").on(t.adjustedByUserId),
    index("breach_customers_outcome_by_idx").on(t.authorityOutcomeByUserId),
  ],
);

/**
 * A notice about a breach: number 1 is the first notice, later numbers are follow-ups (Art. 33(4))
 * linked to the first. A draft's messages can change; the first delivery freezes it ("sent"). Each
 * delivery's letter is written from the record as it is at that moment and kept with its facts.
 */
export const breachNotices = sqliteTable(
  "breach_notices",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    breachId: text("breach_id")
      .notNull()
      .references(() => breaches.id),
    sequence: integer("sequence").notNull(),
    followUpOfId: text("follow_up_of_id").references((): AnySQLiteColumn => breachNotices.id),
    status: text("status", { enum: ["draft", "sent"] }).notNull(),
    messageNl: text("message_nl").notNull().default(""),
    messageEn: text("message_en").notNull().default(""),
    createdByUserId: text("created_by_user_id").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: text("updated_at").notNull(),
    sentAt: text("sent_at"),
    sentByUserId: text("sent_by_user_id").references(() => users.id),
  },
  (t) => [
    uniqueIndex("breach_notices_breach_sequence_uq").on(t.breachId, t.sequence),
    index("breach_notices_workspace_idx").on(t.workspaceId),
    index("breach_notices_follow_up_idx").on(t.followUpOfId),
    index("breach_notices_created_by_idx").on(t.createdByUserId),
    index("breach_notices_sent_by_idx").on(t.sentByUserId),
  ],
);

/** One notice delivered to one customer: at most once (unique), with the exact text, mail and signed letter. */
export const breachNoticeDeliveries = sqliteTable(
  "breach_notice_deliveries",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    breachId: text("breach_id")
      .notNull()
      .references(() => breaches.id),
    noticeId: text("notice_id")
      .notNull()
      .references(() => breachNotices.id),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    sentAt: text("sent_at").notNull(),
    sentByUserId: text("sent_by_user_id").references(() => users.id),
    language: text("language", { enum: ["nl", "en"] }).notNull(),
    /** JSON array of the addresses the mail went to */
    toAddresses: text("to_addresses").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    /** SHA-256 (hex) of `body` */
    bodySha256: text("body_sha256").notNull(),
    /** JSON: the breach facts the letter was written from (what the customer was told) */
    facts: text("facts").notNull(),
    outboxId: text("outbox_id"),
    /** the signed PDF letter (path under DATA_DIR) and its SHA-256 */
    pdfPath: text("pdf_path"),
    pdfSha256: text("pdf_sha256"),
    late: integer("late", { mode: "boolean" }).notNull().default(false),
    lateReason: text("late_reason"),
    acknowledgedAt: text("acknowledged_at"),
    acknowledgedByUserId: text("acknowledged_by_user_id").references(() => users.id),
    acknowledgedByName: text("acknowledged_by_name"),
  },
  (t) => [
    uniqueIndex("breach_notice_deliveries_notice_customer_uq").on(t.noticeId, t.customerId),
    index("breach_notice_deliveries_breach_customer_idx").on(t.breachId, t.customerId, t.sentAt),
    index("breach_notice_deliveries_customer_idx").on(t.customerId, t.sentAt),
    index("breach_notice_deliveries_workspace_idx").on(t.workspaceId),
    index("breach_notice_deliveries_sent_by_idx").on(t.sentByUserId),
    index("breach_notice_deliveries_ack_by_idx").on(t.acknowledgedByUserId),
  ],
);

/** A customer's question about a breach, asked in the portal, and the staff's answer in the same thread. */
export const breachQuestions = sqliteTable(
  "breach_questions",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    breachId: text("breach_id")
      .notNull()
      .references(() => breaches.id),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    question: text("question").notNull(),
    askedByUserId: text("asked_by_user_id").references(() => users.id),
    askedByName: text("asked_by_name").notNull(),
    askedAt: text("asked_at").notNull(),
    answer: text("answer"),
    answeredByUserId: text("answered_by_user_id").references(() => users.id),
    answeredByName: text("answered_by_name"),
    answeredAt: text("answered_at"),
  },
  (t) => [
    index("breach_questions_breach_idx").on(t.breachId, t.answeredAt, t.askedAt),
    index("breach_questions_customer_idx").on(t.customerId, t.breachId, t.askedAt),
    index("breach_questions_workspace_open_idx").on(t.workspaceId, t.answeredAt),
    index("breach_questions_asked_by_idx").on(t.askedByUserId),
    index("breach_questions_answered_by_idx").on(t.answeredByUserId),
  ],
);

// ---------------------------------------------------------------------------------------
// End of contract (issue #6)

/**
 * One customer relationship ending: a termination or non-renewal (who gave notice, when it was
 * received, the end date computed from the terms and any override with its reason), or an
 * immediate end. Status: "scheduled" while the contract still runs until `end_date`, "open" once
 * it has ended and tasks remain, "closed" when the last task is done and the certificate issued,
 * "withdrawn" when the notice was withdrawn before the end date.
 */
export const endOfContractCases = sqliteTable(
  "end_of_contract_cases",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    /** "EC-2026-0001": human reference, unique per workspace */
    reference: text("reference").notNull(),
    kind: text("kind", { enum: ["termination", "non_renewal", "immediate_end"] }).notNull(),
    noticeGivenBy: text("notice_given_by", { enum: ["customer", "processor"] }).notNull(),
    /** the day the notice was received ("YYYY-MM-DD") */
    noticeReceivedOn: text("notice_received_on").notNull(),
    /** the contract's last day computed from the terms (JSON basis in `end_basis`) */
    computedEndDate: text("computed_end_date").notNull(),
    /** JSON: the explanation of the computed end date (article, rule) */
    endBasis: text("end_basis").notNull().default("{}"),
    /** the contract's last day in force: the computed one, or the override */
    endDate: text("end_date").notNull(),
    overrideReason: text("override_reason"),
    /** e.g. the objection that ended in termination ("subprocessor_objection:<noticeId>") */
    sourceRef: text("source_ref"),
    note: text("note").notNull().default(""),
    /** the terms version the tasks were generated from */
    termsVersionId: text("terms_version_id").references(() => termsVersions.id),
    status: text("status", { enum: ["scheduled", "open", "closed", "withdrawn"] }).notNull(),
    /** the customer's choice; null while unanswered */
    choice: text("choice", { enum: ["return", "delete", "return_then_delete"] }),
    choiceMadeAt: text("choice_made_at"),
    choiceMadeByUserId: text("choice_made_by_user_id").references(() => users.id),
    /** "portal": the customer chose; "staff": recorded on the customer's behalf; "default": the terms' rule applied */
    choiceSource: text("choice_source", { enum: ["portal", "staff", "default"] }),
    /** what happens without an answer, from the terms */
    defaultChoice: text("default_choice", { enum: ["return", "delete", "return_then_delete"] }).notNull(),
    createdByUserId: text("created_by_user_id").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: text("updated_at").notNull(),
    closedAt: text("closed_at"),
    withdrawnAt: text("withdrawn_at"),
    /** the signed deletion certificate (path under DATA_DIR) and its SHA-256 */
    certificatePath: text("certificate_path"),
    certificateSha256: text("certificate_sha256"),
    certificateIssuedAt: text("certificate_issued_at"),
  },
  (t) => [
    uniqueIndex("eoc_cases_workspace_reference_uq").on(t.workspaceId, t.reference),
    index("eoc_cases_workspace_status_idx").on(t.workspaceId, t.status, t.endDate),
    index("eoc_cases_customer_idx").on(t.customerId, t.createdAt),
    index("eoc_cases_terms_version_idx").on(t.termsVersionId),
    index("eoc_cases_choice_by_idx").on(t.choiceMadeByUserId),
    index("eoc_cases_created_by_idx").on(t.createdByUserId),
  ],
);

/**
 * A task of an end-of-contract case, generated from the customer's terms version: the customer's
 * choice, the return export, deletion in production, one deletion instruction per sub-processor,
 * backup expiry and the certificate. `due_date` with its JSON `basis` comes from the clock engine.
 */
export const endOfContractTasks = sqliteTable(
  "end_of_contract_tasks",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    caseId: text("case_id")
      .notNull()
      .references(() => endOfContractCases.id),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    kind: text("kind", {
      enum: ["customer_choice", "return_export", "production_deletion", "subprocessor_deletion", "backup_expiry", "certificate"],
    }).notNull(),
    /** for subprocessor_deletion: the sub-processor instructed */
    subprocessorId: text("subprocessor_id").references(() => subprocessors.id),
    position: integer("position").notNull(),
    /** "YYYY-MM-DD"; null = no deadline (the terms' rule is shown from `basis`) */
    dueDate: text("due_date"),
    /** JSON: the deadline's explanation or the not-applicable reason */
    basis: text("basis").notNull().default("{}"),
    evidenceRequired: integer("evidence_required", { mode: "boolean" }).notNull().default(true),
    status: text("status", { enum: ["open", "done", "not_applicable"] }).notNull(),
    assigneeUserId: text("assignee_user_id").references(() => users.id),
    completedAt: text("completed_at"),
    completedByUserId: text("completed_by_user_id").references(() => users.id),
    /** what was done, where, and the evidence (free text) */
    evidenceNote: text("evidence_note"),
    /** the day the work was actually done (e.g. the deletion date backups count from) */
    doneOn: text("done_on"),
    createdAt: createdAt(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("eoc_tasks_case_idx").on(t.caseId, t.position),
    index("eoc_tasks_workspace_status_due_idx").on(t.workspaceId, t.status, t.dueDate),
    index("eoc_tasks_customer_idx").on(t.customerId),
    index("eoc_tasks_subprocessor_idx").on(t.subprocessorId),
    index("eoc_tasks_assignee_idx").on(t.assigneeUserId, t.status, t.dueDate),
    index("eoc_tasks_completed_by_idx").on(t.completedByUserId),
  ],
);

/** A file uploaded as evidence for a task (stored under DATA_DIR; size and type limited). */
export const endOfContractEvidence = sqliteTable(
  "end_of_contract_evidence",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    taskId: text("task_id")
      .notNull()
      .references(() => endOfContractTasks.id),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: text("sha256").notNull(),
    path: text("path").notNull(),
    uploadedByUserId: text("uploaded_by_user_id").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("eoc_evidence_task_idx").on(t.taskId),
    index("eoc_evidence_workspace_idx").on(t.workspaceId),
    index("eoc_evidence_uploaded_by_idx").on(t.uploadedByUserId),
  ],
);

// ---------------------------------------------------------------------------------------
// Auditor links (issue #7)

/**
 * A time-limited, revocable link that gives read access to the registers of one workspace,
 * optionally limited to some registers and to a date range. Only the SHA-256 of the secret is
 * stored; every use is written to the audit log.
 */
export const auditorLinks = sqliteTable(
  "auditor_links",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    /** who the link is for, e.g. "Autoriteit Persoonsgegevens, verzoek 2026-114" */
    label: text("label").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    /** JSON array of register keys; null = every register */
    registers: text("registers"),
    /** optional date range ("YYYY-MM-DD") the exported rows are limited to */
    fromDate: text("from_date"),
    toDate: text("to_date"),
    expiresAt: text("expires_at").notNull(),
    revokedAt: text("revoked_at"),
    revokedByUserId: text("revoked_by_user_id").references(() => users.id),
    createdByUserId: text("created_by_user_id").references(() => users.id),
    createdAt: createdAt(),
    lastUsedAt: text("last_used_at"),
    useCount: integer("use_count").notNull().default(0),
  },
  (t) => [
    index("auditor_links_workspace_idx").on(t.workspaceId, t.createdAt),
    index("auditor_links_created_by_idx").on(t.createdByUserId),
    index("auditor_links_revoked_by_idx").on(t.revokedByUserId),
  ],
);

// ---------------------------------------------------------------------------------------
// Scheduler, reminders, notifications and calendars (issue #8)

/**
 * One row per scheduled job: the lease that lets exactly one instance run it at a time, when it
 * is next due (a run missed while no instance was up is due at the next start), and its history.
 */
export const jobRuns = sqliteTable("job_runs", {
  name: text("name").primaryKey(),
  leaseOwner: text("lease_owner"),
  leaseUntil: text("lease_until"),
  nextRunAt: text("next_run_at").notNull(),
  lastStartedAt: text("last_started_at"),
  lastFinishedAt: text("last_finished_at"),
  lastSucceededAt: text("last_succeeded_at"),
  lastError: text("last_error"),
  lastErrorAt: text("last_error_at"),
  runCount: integer("run_count").notNull().default(0),
  failureCount: integer("failure_count").notNull().default(0),
  /** JSON counts of the last finished run, e.g. {"sent":3,"failed":0}; "{}" when it reported none */
  lastResult: text("last_result"),
});

/**
 * Every reminder sent, one row per (kind, subject, threshold, recipient): the unique key is what
 * makes a reminder go out exactly once, however many instances run and however often they catch up.
 */
export const remindersSent = sqliteTable(
  "reminders_sent",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    /** e.g. "breach_notice", "breach_overdue", "objection_window", "dpa_signature", "contract_notice", "eoc_task", "backup_expiry" */
    kind: text("kind").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    /** e.g. "50", "75", "90", "overdue", "7d", "14d", "30d" */
    threshold: text("threshold").notNull(),
    /** "user:<id>" or "email:<address>" */
    recipient: text("recipient").notNull(),
    customerId: text("customer_id").references(() => customers.id),
    /** the moment the reminder was due (the threshold instant) */
    dueAt: text("due_at").notNull(),
    sentAt: text("sent_at").notNull(),
  },
  (t) => [
    uniqueIndex("reminders_sent_uq").on(t.kind, t.subjectId, t.threshold, t.recipient),
    index("reminders_sent_workspace_idx").on(t.workspaceId, t.sentAt),
    index("reminders_sent_customer_idx").on(t.customerId),
  ],
);

/** Per workspace and reminder kind: on or off, and who receives it (JSON array of audience keys). */
export const reminderSettings = sqliteTable(
  "reminder_settings",
  {
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    kind: text("kind").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    /** JSON array, e.g. ["assignee","privacy_officers","admins","customer"] */
    audience: text("audience").notNull().default("[]"),
    updatedAt: text("updated_at").notNull(),
    updatedByUserId: text("updated_by_user_id").references(() => users.id),
  },
  (t) => [
    uniqueIndex("reminder_settings_uq").on(t.workspaceId, t.kind),
    index("reminder_settings_updated_by_idx").on(t.updatedByUserId),
  ],
);

/** In-app notifications for staff: unread count, list, mark read. */
export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind").notNull(),
    /** message catalog key and its JSON params, rendered in the reader's language */
    messageKey: text("message_key").notNull(),
    params: text("params").notNull().default("{}"),
    /** in-app path the notification links to */
    link: text("link"),
    customerId: text("customer_id").references(() => customers.id),
    createdAt: createdAt(),
    readAt: text("read_at"),
  },
  (t) => [
    index("notifications_user_unread_idx").on(t.userId, t.workspaceId, t.readAt, t.createdAt),
    // the "all" list: newest first per reader, keyset on (created_at, id)
    index("notifications_user_created_idx").on(t.userId, t.workspaceId, t.createdAt, t.id),
    index("notifications_workspace_idx").on(t.workspaceId, t.createdAt),
    index("notifications_customer_idx").on(t.customerId),
  ],
);

/** A personal iCalendar feed: the secret URL's SHA-256; revoking it (or making a new one) ends the old URL. */
export const calendarFeeds = sqliteTable(
  "calendar_feeds",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    /** staff: the workspace the feed covers; portal: the user's workspace */
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: createdAt(),
    revokedAt: text("revoked_at"),
    lastUsedAt: text("last_used_at"),
  },
  (t) => [index("calendar_feeds_user_idx").on(t.userId, t.workspaceId, t.revokedAt)],
);
