CREATE TABLE `auditor_links` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`label` text NOT NULL,
	`token_hash` text NOT NULL,
	`registers` text,
	`from_date` text,
	`to_date` text,
	`expires_at` text NOT NULL,
	`revoked_at` text,
	`revoked_by_user_id` text,
	`created_by_user_id` text,
	`created_at` text NOT NULL,
	`last_used_at` text,
	`use_count` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`revoked_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `auditor_links_token_hash_unique` ON `auditor_links` (`token_hash`);--> statement-breakpoint
CREATE INDEX `auditor_links_workspace_idx` ON `auditor_links` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `auditor_links_created_by_idx` ON `auditor_links` (`created_by_user_id`);--> statement-breakpoint
CREATE INDEX `auditor_links_revoked_by_idx` ON `auditor_links` (`revoked_by_user_id`);--> statement-breakpoint
CREATE TABLE `calendar_feeds` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`revoked_at` text,
	`last_used_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_feeds_token_hash_unique` ON `calendar_feeds` (`token_hash`);--> statement-breakpoint
CREATE INDEX `calendar_feeds_user_idx` ON `calendar_feeds` (`user_id`,`workspace_id`,`revoked_at`);--> statement-breakpoint
CREATE TABLE `end_of_contract_cases` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`reference` text NOT NULL,
	`kind` text NOT NULL,
	`notice_given_by` text NOT NULL,
	`notice_received_on` text NOT NULL,
	`computed_end_date` text NOT NULL,
	`end_basis` text DEFAULT '{}' NOT NULL,
	`end_date` text NOT NULL,
	`override_reason` text,
	`source_ref` text,
	`note` text DEFAULT '' NOT NULL,
	`terms_version_id` text,
	`status` text NOT NULL,
	`choice` text,
	`choice_made_at` text,
	`choice_made_by_user_id` text,
	`choice_source` text,
	`default_choice` text NOT NULL,
	`created_by_user_id` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`closed_at` text,
	`withdrawn_at` text,
	`certificate_path` text,
	`certificate_sha256` text,
	`certificate_issued_at` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`terms_version_id`) REFERENCES `terms_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`choice_made_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `eoc_cases_workspace_reference_uq` ON `end_of_contract_cases` (`workspace_id`,`reference`);--> statement-breakpoint
CREATE INDEX `eoc_cases_workspace_status_idx` ON `end_of_contract_cases` (`workspace_id`,`status`,`end_date`);--> statement-breakpoint
CREATE INDEX `eoc_cases_customer_idx` ON `end_of_contract_cases` (`customer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `eoc_cases_terms_version_idx` ON `end_of_contract_cases` (`terms_version_id`);--> statement-breakpoint
CREATE INDEX `eoc_cases_choice_by_idx` ON `end_of_contract_cases` (`choice_made_by_user_id`);--> statement-breakpoint
CREATE INDEX `eoc_cases_created_by_idx` ON `end_of_contract_cases` (`created_by_user_id`);--> statement-breakpoint
CREATE TABLE `end_of_contract_evidence` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`task_id` text NOT NULL,
	`filename` text NOT NULL,
	`content_type` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`path` text NOT NULL,
	`uploaded_by_user_id` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`task_id`) REFERENCES `end_of_contract_tasks`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`uploaded_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `eoc_evidence_task_idx` ON `end_of_contract_evidence` (`task_id`);--> statement-breakpoint
CREATE INDEX `eoc_evidence_workspace_idx` ON `end_of_contract_evidence` (`workspace_id`);--> statement-breakpoint
CREATE INDEX `eoc_evidence_uploaded_by_idx` ON `end_of_contract_evidence` (`uploaded_by_user_id`);--> statement-breakpoint
CREATE TABLE `end_of_contract_tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`case_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`kind` text NOT NULL,
	`subprocessor_id` text,
	`position` integer NOT NULL,
	`due_date` text,
	`basis` text DEFAULT '{}' NOT NULL,
	`evidence_required` integer DEFAULT true NOT NULL,
	`status` text NOT NULL,
	`assignee_user_id` text,
	`completed_at` text,
	`completed_by_user_id` text,
	`evidence_note` text,
	`done_on` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`case_id`) REFERENCES `end_of_contract_cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subprocessor_id`) REFERENCES `subprocessors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assignee_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`completed_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `eoc_tasks_case_idx` ON `end_of_contract_tasks` (`case_id`,`position`);--> statement-breakpoint
CREATE INDEX `eoc_tasks_workspace_status_due_idx` ON `end_of_contract_tasks` (`workspace_id`,`status`,`due_date`);--> statement-breakpoint
CREATE INDEX `eoc_tasks_customer_idx` ON `end_of_contract_tasks` (`customer_id`);--> statement-breakpoint
CREATE INDEX `eoc_tasks_subprocessor_idx` ON `end_of_contract_tasks` (`subprocessor_id`);--> statement-breakpoint
CREATE INDEX `eoc_tasks_assignee_idx` ON `end_of_contract_tasks` (`assignee_user_id`,`status`,`due_date`);--> statement-breakpoint
CREATE INDEX `eoc_tasks_completed_by_idx` ON `end_of_contract_tasks` (`completed_by_user_id`);--> statement-breakpoint
CREATE TABLE `job_runs` (
	`name` text PRIMARY KEY NOT NULL,
	`lease_owner` text,
	`lease_until` text,
	`next_run_at` text NOT NULL,
	`last_started_at` text,
	`last_finished_at` text,
	`last_succeeded_at` text,
	`last_error` text,
	`last_error_at` text,
	`run_count` integer DEFAULT 0 NOT NULL,
	`failure_count` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`message_key` text NOT NULL,
	`params` text DEFAULT '{}' NOT NULL,
	`link` text,
	`customer_id` text,
	`created_at` text NOT NULL,
	`read_at` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `notifications_user_unread_idx` ON `notifications` (`user_id`,`workspace_id`,`read_at`,`created_at`);--> statement-breakpoint
CREATE INDEX `notifications_workspace_idx` ON `notifications` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `notifications_customer_idx` ON `notifications` (`customer_id`);--> statement-breakpoint
CREATE TABLE `reminder_settings` (
	`workspace_id` text NOT NULL,
	`kind` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`audience` text DEFAULT '[]' NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by_user_id` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reminder_settings_uq` ON `reminder_settings` (`workspace_id`,`kind`);--> statement-breakpoint
CREATE INDEX `reminder_settings_updated_by_idx` ON `reminder_settings` (`updated_by_user_id`);--> statement-breakpoint
CREATE TABLE `reminders_sent` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`kind` text NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` text NOT NULL,
	`threshold` text NOT NULL,
	`recipient` text NOT NULL,
	`customer_id` text,
	`due_at` text NOT NULL,
	`sent_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reminders_sent_uq` ON `reminders_sent` (`kind`,`subject_id`,`threshold`,`recipient`);--> statement-breakpoint
CREATE INDEX `reminders_sent_workspace_idx` ON `reminders_sent` (`workspace_id`,`sent_at`);--> statement-breakpoint
CREATE INDEX `reminders_sent_customer_idx` ON `reminders_sent` (`customer_id`);--> statement-breakpoint
ALTER TABLE `breaches` ADD `assignee_user_id` text REFERENCES users(id);--> statement-breakpoint
CREATE INDEX `breaches_assignee_idx` ON `breaches` (`assignee_user_id`,`status`);