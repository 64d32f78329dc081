CREATE TABLE `attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`page_id` integer,
	`sha256` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`size` integer NOT NULL,
	`uploader_id` integer,
	`text` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`page_id`) REFERENCES `pages`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`uploader_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `attachments_page` ON `attachments` (`page_id`);--> statement-breakpoint
CREATE INDEX `attachments_sha` ON `attachments` (`sha256`);--> statement-breakpoint
CREATE TABLE `drafts` (
	`user_id` integer NOT NULL,
	`space_id` integer NOT NULL,
	`path` text NOT NULL,
	`title` text NOT NULL,
	`markdown` text NOT NULL,
	`base_revision` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `space_id`, `path`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`space_id`) REFERENCES `spaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `page_comments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`page_id` integer NOT NULL,
	`parent_id` integer,
	`author_id` integer,
	`markdown` text NOT NULL,
	`html` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`edited_at` integer,
	`deleted_at` integer,
	`resolved_at` integer,
	`resolved_by` integer,
	FOREIGN KEY (`page_id`) REFERENCES `pages`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`resolved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `page_comments_page` ON `page_comments` (`page_id`,`id`);--> statement-breakpoint
CREATE INDEX `page_comments_parent` ON `page_comments` (`parent_id`);--> statement-breakpoint
CREATE TABLE `page_visits` (
	`user_id` integer NOT NULL,
	`page_id` integer NOT NULL,
	`revision` integer NOT NULL,
	PRIMARY KEY(`user_id`, `page_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`page_id`) REFERENCES `pages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `page_watches` (
	`user_id` integer NOT NULL,
	`page_id` integer NOT NULL,
	PRIMARY KEY(`page_id`, `user_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`page_id`) REFERENCES `pages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `page_watches_user` ON `page_watches` (`user_id`);--> statement-breakpoint
CREATE TABLE `revision_attachments` (
	`revision_id` integer NOT NULL,
	`attachment_id` integer NOT NULL,
	PRIMARY KEY(`revision_id`, `attachment_id`),
	FOREIGN KEY (`revision_id`) REFERENCES `revisions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`attachment_id`) REFERENCES `attachments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `revision_attachments_attachment` ON `revision_attachments` (`attachment_id`);--> statement-breakpoint
CREATE TABLE `search_synonyms` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`words` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `space_templates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`space_id` integer NOT NULL,
	`title` text NOT NULL,
	`title_zh` text,
	`description` text DEFAULT '' NOT NULL,
	`markdown` text NOT NULL,
	`updated_by` integer,
	`updated_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`space_id`) REFERENCES `spaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `space_templates_space` ON `space_templates` (`space_id`);--> statement-breakpoint
CREATE TABLE `space_watches` (
	`user_id` integer NOT NULL,
	`space_id` integer NOT NULL,
	PRIMARY KEY(`space_id`, `user_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`space_id`) REFERENCES `spaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `space_watches_user` ON `space_watches` (`user_id`);--> statement-breakpoint
ALTER TABLE `notifications` ADD `page_id` integer REFERENCES pages(id);--> statement-breakpoint
ALTER TABLE `spaces` ADD `search_weight` real DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `spaces` ADD `reference` integer DEFAULT false NOT NULL;