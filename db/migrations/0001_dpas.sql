CREATE TABLE `dpa_signatures` (
	`id` text PRIMARY KEY NOT NULL,
	`dpa_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`party` text NOT NULL,
	`user_id` text,
	`full_name` text NOT NULL,
	`role_title` text NOT NULL,
	`authorised` integer NOT NULL,
	`automatic` integer DEFAULT false NOT NULL,
	`signed_at` text NOT NULL,
	`ip` text,
	`user_agent` text,
	`text_hash` text NOT NULL,
	FOREIGN KEY (`dpa_id`) REFERENCES `dpas`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dpa_signatures_party_uq` ON `dpa_signatures` (`dpa_id`,`party`);--> statement-breakpoint
CREATE INDEX `dpa_signatures_workspace_idx` ON `dpa_signatures` (`workspace_id`);--> statement-breakpoint
CREATE INDEX `dpa_signatures_customer_idx` ON `dpa_signatures` (`customer_id`);--> statement-breakpoint
CREATE INDEX `dpa_signatures_user_idx` ON `dpa_signatures` (`user_id`);--> statement-breakpoint
CREATE TABLE `dpas` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`terms_version_id` text NOT NULL,
	`kind` text DEFAULT 'standard' NOT NULL,
	`language` text NOT NULL,
	`state` text NOT NULL,
	`version_label` text NOT NULL,
	`text` text NOT NULL,
	`text_hash` text NOT NULL,
	`rendered` text NOT NULL,
	`created_by_user_id` text,
	`created_at` text NOT NULL,
	`sent_at` text,
	`customer_signed_at` text,
	`countersigned_at` text,
	`in_force_at` text,
	`superseded_at` text,
	`superseded_by_id` text,
	`ended_at` text,
	`pdf_path` text,
	`pdf_sha256` text,
	`upload_path` text,
	`upload_sha256` text,
	`upload_filename` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`terms_version_id`) REFERENCES `terms_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `dpas_workspace_state_idx` ON `dpas` (`workspace_id`,`state`);--> statement-breakpoint
CREATE INDEX `dpas_customer_idx` ON `dpas` (`customer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `dpas_terms_version_idx` ON `dpas` (`terms_version_id`);--> statement-breakpoint
CREATE INDEX `dpas_created_by_idx` ON `dpas` (`created_by_user_id`);--> statement-breakpoint
ALTER TABLE `customers` ADD `nature` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `customers` ADD `processing_duration` text DEFAULT '' NOT NULL;