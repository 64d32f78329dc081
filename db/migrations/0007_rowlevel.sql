CREATE TABLE `requirement_viewers` (
	`requirement_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	PRIMARY KEY(`requirement_id`, `user_id`),
	FOREIGN KEY (`requirement_id`) REFERENCES `requirements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `requirement_viewers_user` ON `requirement_viewers` (`user_id`);--> statement-breakpoint
ALTER TABLE `requirements` ADD `restricted` integer DEFAULT false NOT NULL;