CREATE TABLE `sign_in_throttle` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer NOT NULL,
	`last_failure_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sign_in_throttle_last_failure` ON `sign_in_throttle` (`last_failure_at`);--> statement-breakpoint
DROP TABLE `sign_in_failures`;