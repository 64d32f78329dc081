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
CREATE TABLE `space_watches` (
	`user_id` integer NOT NULL,
	`space_id` integer NOT NULL,
	PRIMARY KEY(`space_id`, `user_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`space_id`) REFERENCES `spaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `space_watches_user` ON `space_watches` (`user_id`);--> statement-breakpoint
ALTER TABLE `notifications` ADD `page_id` integer REFERENCES pages(id);