CREATE TABLE `outbox_owners` (
	`id` text PRIMARY KEY NOT NULL,
	`pid` integer NOT NULL,
	`heartbeat_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `outbox` ADD `lease_owner` text;--> statement-breakpoint
ALTER TABLE `webhook_deliveries` ADD `resent_at` integer;