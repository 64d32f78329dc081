CREATE INDEX `requirements_project_created` ON `requirements` (`project_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `requirements_project_closed` ON `requirements` (`project_id`,`closed_at`);--> statement-breakpoint
CREATE INDEX `requirements_project_updated` ON `requirements` (`project_id`,`updated_at`);