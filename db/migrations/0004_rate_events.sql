CREATE TABLE `rate_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rate_events_key_at_idx` ON `rate_events` (`key`,`at`);--> statement-breakpoint
DROP TABLE `login_failures`;--> statement-breakpoint
DROP TABLE `subprocessor_subscription_requests`;