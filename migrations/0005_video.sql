CREATE TABLE `cron_cursors` (
	`name` text PRIMARY KEY NOT NULL,
	`cursor` text DEFAULT '' NOT NULL,
	`passes` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `device_retention` (
	`device_id` text PRIMARY KEY NOT NULL,
	`stream_name` text NOT NULL,
	`retention_hours` integer,
	`target_hours` integer NOT NULL,
	`status` text NOT NULL,
	`checked_at` integer NOT NULL,
	`last_error` text,
	`last_ok_at` integer
);
--> statement-breakpoint
CREATE INDEX `device_retention_status_idx` ON `device_retention` (`status`,`checked_at`);