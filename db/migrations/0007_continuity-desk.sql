CREATE TABLE `requirement_viewers` (
	`requirement_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	PRIMARY KEY(`requirement_id`, `user_id`),
	FOREIGN KEY (`requirement_id`) REFERENCES `requirements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `requirement_viewers_user` ON `requirement_viewers` (`user_id`);--> statement-breakpoint
ALTER TABLE `groups` ADD `lead_id` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `projects` ADD `tag_aliases` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `projects` ADD `sla` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `projects` ADD `confirm_days` integer DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE `requirements` ADD `respond_by` integer;--> statement-breakpoint
ALTER TABLE `requirements` ADD `resolve_by` integer;--> statement-breakpoint
ALTER TABLE `requirements` ADD `first_response_at` integer;--> statement-breakpoint
ALTER TABLE `requirements` ADD `resolved_at` integer;--> statement-breakpoint
ALTER TABLE `requirements` ADD `confirmed_at` integer;--> statement-breakpoint
ALTER TABLE `requirements` ADD `escalated_response_at` integer;--> statement-breakpoint
ALTER TABLE `requirements` ADD `escalated_resolve_at` integer;--> statement-breakpoint
ALTER TABLE `requirements` ADD `restricted` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Requirements already done before the desk existed are settled history: resolved and closed.
UPDATE `requirements` SET `resolved_at` = `closed_at`, `confirmed_at` = `closed_at` WHERE `closed_at` IS NOT NULL;
