CREATE TABLE `search_synonyms` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`words` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `spaces` ADD `search_weight` real DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `spaces` ADD `reference` integer DEFAULT false NOT NULL;