CREATE TABLE `account_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`purpose` text NOT NULL,
	`user_id` text NOT NULL,
	`workspace_id` text,
	`created_by` text,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `account_tokens_token_hash_unique` ON `account_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `account_tokens_user_idx` ON `account_tokens` (`user_id`);--> statement-breakpoint
CREATE INDEX `account_tokens_workspace_idx` ON `account_tokens` (`workspace_id`);--> statement-breakpoint
CREATE INDEX `account_tokens_created_by_idx` ON `account_tokens` (`created_by`);--> statement-breakpoint
CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`chain_key` text NOT NULL,
	`seq` integer NOT NULL,
	`workspace_id` text,
	`actor_user_id` text,
	`actor_label` text NOT NULL,
	`action` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text,
	`customer_id` text,
	`at` text NOT NULL,
	`data` text DEFAULT '{}' NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audit_chain_seq_uq` ON `audit_events` (`chain_key`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_workspace_at_idx` ON `audit_events` (`workspace_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_actor_idx` ON `audit_events` (`actor_user_id`);--> statement-breakpoint
CREATE INDEX `audit_customer_idx` ON `audit_events` (`customer_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_entity_idx` ON `audit_events` (`entity_type`,`entity_id`);--> statement-breakpoint
CREATE TABLE `customer_services` (
	`customer_id` text NOT NULL,
	`service_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customer_services_uq` ON `customer_services` (`customer_id`,`service_id`);--> statement-breakpoint
CREATE INDEX `customer_services_service_idx` ON `customer_services` (`service_id`);--> statement-breakpoint
CREATE INDEX `customer_services_workspace_idx` ON `customer_services` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`registration_number` text,
	`address` text DEFAULT '' NOT NULL,
	`postcode` text DEFAULT '' NOT NULL,
	`city` text DEFAULT '' NOT NULL,
	`country` text DEFAULT 'NL' NOT NULL,
	`language` text DEFAULT 'nl' NOT NULL,
	`signatory_name` text DEFAULT '' NOT NULL,
	`signatory_role` text DEFAULT '' NOT NULL,
	`signatory_email` text DEFAULT '' NOT NULL,
	`privacy_contact_name` text DEFAULT '' NOT NULL,
	`privacy_contact_email` text DEFAULT '' NOT NULL,
	`dpo_name` text,
	`dpo_email` text,
	`notification_emails` text DEFAULT '[]' NOT NULL,
	`subject_matter` text DEFAULT '' NOT NULL,
	`purposes` text DEFAULT '[]' NOT NULL,
	`data_categories` text DEFAULT '[]' NOT NULL,
	`data_subjects` text DEFAULT '[]' NOT NULL,
	`transfers_outside_eea` integer DEFAULT false NOT NULL,
	`security_additions` text DEFAULT '[]' NOT NULL,
	`terms_version_id` text,
	`contract_start` text NOT NULL,
	`contract_term_months` integer DEFAULT 12 NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`archived_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`terms_version_id`) REFERENCES `terms_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `customers_workspace_name_idx` ON `customers` (`workspace_id`,`name_key`,`id`);--> statement-breakpoint
CREATE INDEX `customers_workspace_start_idx` ON `customers` (`workspace_id`,`contract_start`,`id`);--> statement-breakpoint
CREATE INDEX `customers_workspace_status_idx` ON `customers` (`workspace_id`,`status`);--> statement-breakpoint
CREATE INDEX `customers_terms_version_idx` ON `customers` (`terms_version_id`);--> statement-breakpoint
CREATE TABLE `login_failures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `login_failures_key_at_idx` ON `login_failures` (`key`,`at`);--> statement-breakpoint
CREATE TABLE `memberships` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`role` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `memberships_user_workspace_uq` ON `memberships` (`user_id`,`workspace_id`);--> statement-breakpoint
CREATE INDEX `memberships_workspace_idx` ON `memberships` (`workspace_id`,`role`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text,
	`customer_id` text,
	`kind` text NOT NULL,
	`to_addresses` text NOT NULL,
	`subject` text NOT NULL,
	`text_body` text NOT NULL,
	`attachments` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text NOT NULL,
	`lease_owner` text,
	`lease_until` text,
	`last_error` text,
	`message_id` text,
	`created_at` text NOT NULL,
	`sent_at` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_workspace_idx` ON `outbox` (`workspace_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `outbox_workspace_status_idx` ON `outbox` (`workspace_id`,`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `outbox_customer_idx` ON `outbox` (`customer_id`);--> statement-breakpoint
CREATE TABLE `services` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`key` text NOT NULL,
	`name_nl` text NOT NULL,
	`name_en` text NOT NULL,
	`personal_data` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `services_workspace_key_uq` ON `services` (`workspace_id`,`key`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`active_workspace_id` text,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`ip` text,
	`user_agent` text,
	`revoked_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`active_workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE INDEX `sessions_workspace_idx` ON `sessions` (`active_workspace_id`);--> statement-breakpoint
CREATE INDEX `sessions_expires_idx` ON `sessions` (`expires_at`);--> statement-breakpoint
CREATE TABLE `term_deviations` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`field` text NOT NULL,
	`value` text NOT NULL,
	`reason` text NOT NULL,
	`clause` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `term_deviations_customer_field_uq` ON `term_deviations` (`customer_id`,`field`);--> statement-breakpoint
CREATE INDEX `term_deviations_workspace_idx` ON `term_deviations` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `terms_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`version` integer NOT NULL,
	`content` text NOT NULL,
	`reason` text NOT NULL,
	`effective_date` text NOT NULL,
	`created_by_user_id` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `terms_versions_workspace_version_uq` ON `terms_versions` (`workspace_id`,`version`);--> statement-breakpoint
CREATE INDEX `terms_versions_created_by_idx` ON `terms_versions` (`created_by_user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`password_hash` text,
	`kind` text NOT NULL,
	`portal_customer_id` text,
	`portal_workspace_id` text,
	`locale` text,
	`disabled_at` text,
	`last_login_at` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`portal_customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`portal_workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE INDEX `users_portal_customer_idx` ON `users` (`portal_customer_id`);--> statement-breakpoint
CREATE INDEX `users_portal_workspace_idx` ON `users` (`portal_workspace_id`);--> statement-breakpoint
CREATE TABLE `workspaces` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`legal_name` text NOT NULL,
	`trade_name` text NOT NULL,
	`address` text DEFAULT '' NOT NULL,
	`postcode` text DEFAULT '' NOT NULL,
	`city` text DEFAULT '' NOT NULL,
	`country` text DEFAULT 'NL' NOT NULL,
	`kvk_number` text,
	`vat_number` text,
	`website` text,
	`description` text DEFAULT '' NOT NULL,
	`default_language` text DEFAULT 'nl' NOT NULL,
	`internal_breach_target_hours` integer DEFAULT 24 NOT NULL,
	`auto_countersign` integer DEFAULT false NOT NULL,
	`public_subprocessor_page` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workspaces_slug_unique` ON `workspaces` (`slug`);