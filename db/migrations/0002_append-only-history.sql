-- History tables are append-only: the database itself refuses to rewrite or delete them.
CREATE TRIGGER `requirement_events_no_update` BEFORE UPDATE ON `requirement_events`
BEGIN SELECT RAISE(ABORT, 'requirement_events is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `requirement_events_no_delete` BEFORE DELETE ON `requirement_events`
BEGIN SELECT RAISE(ABORT, 'requirement_events is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
