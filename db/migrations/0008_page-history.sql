ALTER TABLE `audit_log` ADD `page_id` integer REFERENCES pages(id);--> statement-breakpoint
CREATE INDEX `audit_page` ON `audit_log` (`page_id`) WHERE page_id is not null;