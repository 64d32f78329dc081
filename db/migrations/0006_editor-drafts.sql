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
