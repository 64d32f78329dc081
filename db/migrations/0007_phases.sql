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
ALTER TABLE `page_visits` ADD `viewed_at` integer;--> statement-breakpoint
CREATE INDEX `page_visits_user_viewed` ON `page_visits` (`user_id`,`viewed_at`);--> statement-breakpoint
ALTER TABLE `projects` ADD `phases` text;