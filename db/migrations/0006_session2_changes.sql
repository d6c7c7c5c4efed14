ALTER TABLE `job_runs` ADD `last_result` text;--> statement-breakpoint
CREATE INDEX `notifications_user_created_idx` ON `notifications` (`user_id`,`workspace_id`,`created_at`,`id`);