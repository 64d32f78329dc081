CREATE TABLE `mail_digests` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`until` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `notification_prefs` (
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`delivery` text NOT NULL,
	PRIMARY KEY(`user_id`, `kind`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `project_phase_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`from_phase` text,
	`to_phase` text NOT NULL,
	`actor_id` integer,
	`comment` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `project_phase_events_project` ON `project_phase_events` (`project_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `requirement_viewers` (
	`requirement_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	PRIMARY KEY(`requirement_id`, `user_id`),
	FOREIGN KEY (`requirement_id`) REFERENCES `requirements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `requirement_viewers_user` ON `requirement_viewers` (`user_id`);--> statement-breakpoint
CREATE TABLE `review_reminders` (
	`page_id` integer NOT NULL,
	`review_by` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`page_id`, `review_by`, `kind`),
	FOREIGN KEY (`page_id`) REFERENCES `pages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `groups` ADD `lead_id` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `page_visits` ADD `viewed_at` integer;--> statement-breakpoint
CREATE INDEX `page_visits_user_viewed` ON `page_visits` (`user_id`,`viewed_at`);--> statement-breakpoint
ALTER TABLE `pages` ADD `owner_id` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `pages` ADD `verified_at` integer;--> statement-breakpoint
ALTER TABLE `pages` ADD `verified_by` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `pages` ADD `review_by` text;--> statement-breakpoint
CREATE INDEX `pages_review_by` ON `pages` (`review_by`) WHERE deleted_at is null and review_by is not null;--> statement-breakpoint
CREATE INDEX `pages_owner` ON `pages` (`owner_id`);--> statement-breakpoint
ALTER TABLE `projects` ADD `tag_aliases` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `projects` ADD `sla` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `projects` ADD `confirm_days` integer DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE `projects` ADD `phases` text;--> statement-breakpoint
ALTER TABLE `requirements` ADD `respond_by` integer;--> statement-breakpoint
ALTER TABLE `requirements` ADD `resolve_by` integer;--> statement-breakpoint
ALTER TABLE `requirements` ADD `first_response_at` integer;--> statement-breakpoint
ALTER TABLE `requirements` ADD `resolved_at` integer;--> statement-breakpoint
ALTER TABLE `requirements` ADD `confirmed_at` integer;--> statement-breakpoint
ALTER TABLE `requirements` ADD `escalated_response_at` integer;--> statement-breakpoint
ALTER TABLE `requirements` ADD `escalated_resolve_at` integer;--> statement-breakpoint
ALTER TABLE `requirements` ADD `restricted` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `requirements_project_created` ON `requirements` (`project_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `requirements_project_closed` ON `requirements` (`project_id`,`closed_at`);--> statement-breakpoint
CREATE INDEX `requirements_project_updated` ON `requirements` (`project_id`,`updated_at`);--> statement-breakpoint
ALTER TABLE `spaces` ADD `review_interval_days` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `lark_open_id` text;--> statement-breakpoint
ALTER TABLE `users` ADD `slack_member_id` text;--> statement-breakpoint
ALTER TABLE `users` ADD `imported` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `webhooks` ADD `language` text;--> statement-breakpoint
-- Requirements already done before the desk existed are settled history: resolved and closed.
UPDATE `requirements` SET `resolved_at` = `closed_at`, `confirmed_at` = `closed_at` WHERE `closed_at` IS NOT NULL;--> statement-breakpoint
-- Existing pages are owned by whoever wrote their first revision (imported ones stay unowned).
UPDATE `pages` SET `owner_id` = (SELECT `author_id` FROM `revisions` r WHERE r.`page_id` = `pages`.`id` AND r.`number` = 1);
