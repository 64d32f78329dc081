CREATE TABLE `review_reminders` (
	`page_id` integer NOT NULL,
	`review_by` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`page_id`, `review_by`, `kind`),
	FOREIGN KEY (`page_id`) REFERENCES `pages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `pages` ADD `owner_id` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `pages` ADD `verified_at` integer;--> statement-breakpoint
ALTER TABLE `pages` ADD `verified_by` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `pages` ADD `review_by` text;--> statement-breakpoint
CREATE INDEX `pages_review_by` ON `pages` (`review_by`) WHERE deleted_at is null and review_by is not null;--> statement-breakpoint
CREATE INDEX `pages_owner` ON `pages` (`owner_id`);--> statement-breakpoint
ALTER TABLE `spaces` ADD `review_interval_days` integer;--> statement-breakpoint
-- Existing pages are owned by whoever wrote their first revision (imported ones stay unowned).
UPDATE `pages` SET `owner_id` = (SELECT `author_id` FROM `revisions` r WHERE r.`page_id` = `pages`.`id` AND r.`number` = 1);
