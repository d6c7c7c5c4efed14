CREATE TABLE `subprocessor_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`kind` text NOT NULL,
	`subprocessor_id` text NOT NULL,
	`replaces_subprocessor_id` text,
	`planned_start` text NOT NULL,
	`new_locations` text,
	`new_transfer_safeguard` text,
	`new_purpose_nl` text,
	`new_purpose_en` text,
	`description_nl` text NOT NULL,
	`description_en` text NOT NULL,
	`internal_note` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`created_by_user_id` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`sent_at` text,
	`sent_by_user_id` text,
	`send_override_reason` text,
	`start_accepted_at` text,
	`start_accepted_by_user_id` text,
	`start_override_reason` text,
	`cancelled_at` text,
	`cancelled_reason` text,
	`applied_at` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subprocessor_id`) REFERENCES `subprocessors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`replaces_subprocessor_id`) REFERENCES `subprocessors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sent_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`start_accepted_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `subprocessor_changes_workspace_status_idx` ON `subprocessor_changes` (`workspace_id`,`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `subprocessor_changes_workspace_sent_idx` ON `subprocessor_changes` (`workspace_id`,`sent_at`,`id`);--> statement-breakpoint
CREATE INDEX `subprocessor_changes_due_idx` ON `subprocessor_changes` (`status`,`planned_start`);--> statement-breakpoint
CREATE INDEX `subprocessor_changes_subprocessor_idx` ON `subprocessor_changes` (`subprocessor_id`);--> statement-breakpoint
CREATE INDEX `subprocessor_changes_replaces_idx` ON `subprocessor_changes` (`replaces_subprocessor_id`);--> statement-breakpoint
CREATE INDEX `subprocessor_changes_created_by_idx` ON `subprocessor_changes` (`created_by_user_id`);--> statement-breakpoint
CREATE INDEX `subprocessor_changes_sent_by_idx` ON `subprocessor_changes` (`sent_by_user_id`);--> statement-breakpoint
CREATE INDEX `subprocessor_changes_accepted_by_idx` ON `subprocessor_changes` (`start_accepted_by_user_id`);--> statement-breakpoint
CREATE TABLE `subprocessor_exclusions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`subprocessor_id` text NOT NULL,
	`notice_id` text,
	`created_by_user_id` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subprocessor_id`) REFERENCES `subprocessors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`notice_id`) REFERENCES `subprocessor_notices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subprocessor_exclusions_uq` ON `subprocessor_exclusions` (`customer_id`,`subprocessor_id`);--> statement-breakpoint
CREATE INDEX `subprocessor_exclusions_workspace_idx` ON `subprocessor_exclusions` (`workspace_id`);--> statement-breakpoint
CREATE INDEX `subprocessor_exclusions_subprocessor_idx` ON `subprocessor_exclusions` (`subprocessor_id`);--> statement-breakpoint
CREATE INDEX `subprocessor_exclusions_notice_idx` ON `subprocessor_exclusions` (`notice_id`);--> statement-breakpoint
CREATE INDEX `subprocessor_exclusions_created_by_idx` ON `subprocessor_exclusions` (`created_by_user_id`);--> statement-breakpoint
CREATE TABLE `subprocessor_history` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`subprocessor_id` text NOT NULL,
	`change_id` text,
	`event` text NOT NULL,
	`at` text NOT NULL,
	`actor_user_id` text,
	`actor_label` text NOT NULL,
	`data` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subprocessor_id`) REFERENCES `subprocessors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`change_id`) REFERENCES `subprocessor_changes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `subprocessor_history_subprocessor_idx` ON `subprocessor_history` (`subprocessor_id`,`at`,`id`);--> statement-breakpoint
CREATE INDEX `subprocessor_history_workspace_idx` ON `subprocessor_history` (`workspace_id`);--> statement-breakpoint
CREATE INDEX `subprocessor_history_change_idx` ON `subprocessor_history` (`change_id`);--> statement-breakpoint
CREATE INDEX `subprocessor_history_actor_idx` ON `subprocessor_history` (`actor_user_id`);--> statement-breakpoint
CREATE TABLE `subprocessor_notices` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`change_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`included` integer NOT NULL,
	`uses_related_service` integer NOT NULL,
	`sent_at` text,
	`regime` text,
	`regime_article` text,
	`terms_version_id` text,
	`window_end` text,
	`window_deadline` text,
	`language` text,
	`to_addresses` text,
	`subject` text,
	`body` text,
	`body_sha256` text,
	`outbox_id` text,
	`response` text,
	`responded_at` text,
	`responded_by_user_id` text,
	`responded_by_name` text,
	`reasons` text,
	`resolution` text,
	`resolved_at` text,
	`resolved_by_user_id` text,
	`resolution_note` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`change_id`) REFERENCES `subprocessor_changes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`terms_version_id`) REFERENCES `terms_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`responded_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`resolved_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subprocessor_notices_change_customer_uq` ON `subprocessor_notices` (`change_id`,`customer_id`);--> statement-breakpoint
CREATE INDEX `subprocessor_notices_change_included_idx` ON `subprocessor_notices` (`change_id`,`included`,`customer_id`);--> statement-breakpoint
CREATE INDEX `subprocessor_notices_customer_idx` ON `subprocessor_notices` (`customer_id`,`sent_at`);--> statement-breakpoint
CREATE INDEX `subprocessor_notices_queue_idx` ON `subprocessor_notices` (`workspace_id`,`response`,`resolution`,`responded_at`);--> statement-breakpoint
CREATE INDEX `subprocessor_notices_terms_version_idx` ON `subprocessor_notices` (`terms_version_id`);--> statement-breakpoint
CREATE INDEX `subprocessor_notices_responded_by_idx` ON `subprocessor_notices` (`responded_by_user_id`);--> statement-breakpoint
CREATE INDEX `subprocessor_notices_resolved_by_idx` ON `subprocessor_notices` (`resolved_by_user_id`);--> statement-breakpoint
CREATE TABLE `subprocessor_services` (
	`subprocessor_id` text NOT NULL,
	`service_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	FOREIGN KEY (`subprocessor_id`) REFERENCES `subprocessors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subprocessor_services_uq` ON `subprocessor_services` (`subprocessor_id`,`service_id`);--> statement-breakpoint
CREATE INDEX `subprocessor_services_service_idx` ON `subprocessor_services` (`service_id`);--> statement-breakpoint
CREATE INDEX `subprocessor_services_workspace_idx` ON `subprocessor_services` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `subprocessor_subscription_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `subprocessor_subscription_requests_key_at_idx` ON `subprocessor_subscription_requests` (`key`,`at`);--> statement-breakpoint
CREATE TABLE `subprocessor_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`email` text NOT NULL,
	`language` text NOT NULL,
	`status` text NOT NULL,
	`confirm_token_hash` text,
	`confirm_expires_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`confirmed_at` text,
	`unsubscribed_at` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subprocessor_subscriptions_confirm_token_hash_unique` ON `subprocessor_subscriptions` (`confirm_token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `subprocessor_subscriptions_email_uq` ON `subprocessor_subscriptions` (`workspace_id`,`email`);--> statement-breakpoint
CREATE INDEX `subprocessor_subscriptions_status_idx` ON `subprocessor_subscriptions` (`workspace_id`,`status`);--> statement-breakpoint
CREATE TABLE `subprocessors` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`legal_name` text NOT NULL,
	`name_key` text NOT NULL,
	`trade_name` text,
	`service_nl` text NOT NULL,
	`service_en` text NOT NULL,
	`purpose_nl` text NOT NULL,
	`purpose_en` text NOT NULL,
	`locations` text DEFAULT '[]' NOT NULL,
	`data_categories` text DEFAULT '[]' NOT NULL,
	`transfer_safeguard` text,
	`dpa_date` text,
	`dpa_document_path` text,
	`dpa_document_filename` text,
	`dpa_document_sha256` text,
	`dpa_document_size` integer,
	`breach_notice_hours` integer,
	`status` text NOT NULL,
	`start_date` text,
	`end_date` text,
	`internal_note` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `subprocessors_workspace_name_idx` ON `subprocessors` (`workspace_id`,`name_key`,`id`);--> statement-breakpoint
CREATE INDEX `subprocessors_workspace_status_idx` ON `subprocessors` (`workspace_id`,`status`,`name_key`,`id`);