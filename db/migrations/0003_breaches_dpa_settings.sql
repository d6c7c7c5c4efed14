CREATE TABLE `breach_customers` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`breach_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`status` text NOT NULL,
	`origin` text NOT NULL,
	`adjust_reason` text,
	`adjusted_at` text,
	`adjusted_by_user_id` text,
	`terms_version_id` text,
	`notice_deadline` text NOT NULL,
	`notice_start` text NOT NULL,
	`notice_soon_at` text NOT NULL,
	`notice_due` text NOT NULL,
	`notified_at` text,
	`notified_late` integer,
	`late_reason` text,
	`authority_deadline` text,
	`authority_due` text,
	`authority_outcome` text,
	`authority_outcome_at` text,
	`authority_outcome_by_user_id` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`breach_id`) REFERENCES `breaches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`adjusted_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`terms_version_id`) REFERENCES `terms_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`authority_outcome_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `breach_customers_breach_customer_uq` ON `breach_customers` (`breach_id`,`customer_id`);--> statement-breakpoint
CREATE INDEX `breach_customers_breach_due_idx` ON `breach_customers` (`breach_id`,`status`,`notice_due`,`id`);--> statement-breakpoint
CREATE INDEX `breach_customers_workspace_due_idx` ON `breach_customers` (`workspace_id`,`status`,`notified_at`,`notice_due`);--> statement-breakpoint
CREATE INDEX `breach_customers_customer_idx` ON `breach_customers` (`customer_id`);--> statement-breakpoint
CREATE INDEX `breach_customers_terms_version_idx` ON `breach_customers` (`terms_version_id`);--> statement-breakpoint
CREATE INDEX `breach_customers_adjusted_by_idx` ON `breach_customers` (`adjusted_by_user_id`);--> statement-breakpoint
CREATE INDEX `breach_customers_outcome_by_idx` ON `breach_customers` (`authority_outcome_by_user_id`);--> statement-breakpoint
CREATE TABLE `breach_notice_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`breach_id` text NOT NULL,
	`notice_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`sent_at` text NOT NULL,
	`sent_by_user_id` text,
	`language` text NOT NULL,
	`to_addresses` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`body_sha256` text NOT NULL,
	`facts` text NOT NULL,
	`outbox_id` text,
	`pdf_path` text,
	`pdf_sha256` text,
	`late` integer DEFAULT false NOT NULL,
	`late_reason` text,
	`acknowledged_at` text,
	`acknowledged_by_user_id` text,
	`acknowledged_by_name` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`breach_id`) REFERENCES `breaches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`notice_id`) REFERENCES `breach_notices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sent_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`acknowledged_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `breach_notice_deliveries_notice_customer_uq` ON `breach_notice_deliveries` (`notice_id`,`customer_id`);--> statement-breakpoint
CREATE INDEX `breach_notice_deliveries_breach_customer_idx` ON `breach_notice_deliveries` (`breach_id`,`customer_id`,`sent_at`);--> statement-breakpoint
CREATE INDEX `breach_notice_deliveries_customer_idx` ON `breach_notice_deliveries` (`customer_id`,`sent_at`);--> statement-breakpoint
CREATE INDEX `breach_notice_deliveries_workspace_idx` ON `breach_notice_deliveries` (`workspace_id`);--> statement-breakpoint
CREATE INDEX `breach_notice_deliveries_sent_by_idx` ON `breach_notice_deliveries` (`sent_by_user_id`);--> statement-breakpoint
CREATE INDEX `breach_notice_deliveries_ack_by_idx` ON `breach_notice_deliveries` (`acknowledged_by_user_id`);--> statement-breakpoint
CREATE TABLE `breach_notices` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`breach_id` text NOT NULL,
	`sequence` integer NOT NULL,
	`follow_up_of_id` text,
	`status` text NOT NULL,
	`message_nl` text DEFAULT '' NOT NULL,
	`message_en` text DEFAULT '' NOT NULL,
	`created_by_user_id` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`sent_at` text,
	`sent_by_user_id` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`breach_id`) REFERENCES `breaches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`follow_up_of_id`) REFERENCES `breach_notices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sent_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `breach_notices_breach_sequence_uq` ON `breach_notices` (`breach_id`,`sequence`);--> statement-breakpoint
CREATE INDEX `breach_notices_workspace_idx` ON `breach_notices` (`workspace_id`);--> statement-breakpoint
CREATE INDEX `breach_notices_follow_up_idx` ON `breach_notices` (`follow_up_of_id`);--> statement-breakpoint
CREATE INDEX `breach_notices_created_by_idx` ON `breach_notices` (`created_by_user_id`);--> statement-breakpoint
CREATE INDEX `breach_notices_sent_by_idx` ON `breach_notices` (`sent_by_user_id`);--> statement-breakpoint
CREATE TABLE `breach_questions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`breach_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`question` text NOT NULL,
	`asked_by_user_id` text,
	`asked_by_name` text NOT NULL,
	`asked_at` text NOT NULL,
	`answer` text,
	`answered_by_user_id` text,
	`answered_by_name` text,
	`answered_at` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`breach_id`) REFERENCES `breaches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`asked_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`answered_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `breach_questions_breach_idx` ON `breach_questions` (`breach_id`,`answered_at`,`asked_at`);--> statement-breakpoint
CREATE INDEX `breach_questions_customer_idx` ON `breach_questions` (`customer_id`,`breach_id`,`asked_at`);--> statement-breakpoint
CREATE INDEX `breach_questions_workspace_open_idx` ON `breach_questions` (`workspace_id`,`answered_at`);--> statement-breakpoint
CREATE INDEX `breach_questions_asked_by_idx` ON `breach_questions` (`asked_by_user_id`);--> statement-breakpoint
CREATE INDEX `breach_questions_answered_by_idx` ON `breach_questions` (`answered_by_user_id`);--> statement-breakpoint
CREATE TABLE `breaches` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`reference` text NOT NULL,
	`title` text NOT NULL,
	`classification` text NOT NULL,
	`classification_reasoning` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`nature` text DEFAULT '' NOT NULL,
	`breach_types` text DEFAULT '[]' NOT NULL,
	`source_kind` text NOT NULL,
	`subprocessor_id` text,
	`subprocessor_reported_at` text,
	`service_ids` text DEFAULT '[]' NOT NULL,
	`occurred_from` text,
	`occurred_to` text,
	`ongoing` integer DEFAULT false NOT NULL,
	`discovered_at` text NOT NULL,
	`should_have_known_at` text,
	`data_categories` text DEFAULT '[]' NOT NULL,
	`data_categories_note` text DEFAULT '' NOT NULL,
	`data_subjects` text DEFAULT '[]' NOT NULL,
	`subjects_min` integer,
	`subjects_max` integer,
	`records_min` integer,
	`records_max` integer,
	`protection` text DEFAULT '' NOT NULL,
	`consequences` text DEFAULT '' NOT NULL,
	`measures_taken` text DEFAULT '' NOT NULL,
	`measures_proposed` text DEFAULT '' NOT NULL,
	`contact_name` text DEFAULT '' NOT NULL,
	`contact_email` text DEFAULT '' NOT NULL,
	`contact_phone` text DEFAULT '' NOT NULL,
	`follow_up_contact` text DEFAULT '' NOT NULL,
	`risk_level` text,
	`risk_reasoning` text DEFAULT '' NOT NULL,
	`subjects_notice` text DEFAULT 'undecided' NOT NULL,
	`subjects_notice_reasoning` text DEFAULT '' NOT NULL,
	`cross_border` integer DEFAULT false NOT NULL,
	`created_by_user_id` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`closed_at` text,
	`closed_by_user_id` text,
	`closing_note` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subprocessor_id`) REFERENCES `subprocessors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`closed_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `breaches_workspace_reference_uq` ON `breaches` (`workspace_id`,`reference`);--> statement-breakpoint
CREATE INDEX `breaches_workspace_discovered_idx` ON `breaches` (`workspace_id`,`discovered_at`,`id`);--> statement-breakpoint
CREATE INDEX `breaches_workspace_status_idx` ON `breaches` (`workspace_id`,`status`,`discovered_at`);--> statement-breakpoint
CREATE INDEX `breaches_subprocessor_idx` ON `breaches` (`subprocessor_id`);--> statement-breakpoint
CREATE INDEX `breaches_created_by_idx` ON `breaches` (`created_by_user_id`);--> statement-breakpoint
CREATE INDEX `breaches_closed_by_idx` ON `breaches` (`closed_by_user_id`);--> statement-breakpoint
DROP INDEX `customers_workspace_name_idx`;--> statement-breakpoint
DROP INDEX `customers_workspace_start_idx`;--> statement-breakpoint
DROP INDEX `customers_workspace_status_idx`;--> statement-breakpoint
DROP INDEX `customers_terms_version_idx`;--> statement-breakpoint
CREATE INDEX `customers_workspace_archived_name_idx` ON `customers` (`workspace_id`,`archived_at`,`name_key`,`id`);--> statement-breakpoint
CREATE INDEX `customers_workspace_archived_start_idx` ON `customers` (`workspace_id`,`archived_at`,`contract_start`,`id`);--> statement-breakpoint
CREATE INDEX `customers_workspace_archived_city_idx` ON `customers` (`workspace_id`,`archived_at`,`city`,`id`);--> statement-breakpoint
CREATE INDEX `customers_workspace_archived_status_idx` ON `customers` (`workspace_id`,`archived_at`,`status`);--> statement-breakpoint
CREATE INDEX `customers_terms_version_idx` ON `customers` (`terms_version_id`,`name_key`,`id`);--> statement-breakpoint
ALTER TABLE `workspaces` ADD `dpa_template` text;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `security_measures` text DEFAULT '[]' NOT NULL;