CREATE TABLE `ai_usage` (
	`device_id` text NOT NULL,
	`day` text NOT NULL,
	`kind` text NOT NULL,
	`used` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`device_id`, `day`, `kind`)
);
--> statement-breakpoint
CREATE TABLE `camera_events` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`device_id` text NOT NULL,
	`type` text NOT NULL,
	`at` integer NOT NULL,
	`received_at` integer NOT NULL,
	`confidence` real NOT NULL,
	`labels` text NOT NULL,
	`camera_labels` text DEFAULT '' NOT NULL,
	`boxes_json` text,
	`snapshot_status` text DEFAULT 'pending' NOT NULL,
	`snapshot_attempts` integer DEFAULT 0 NOT NULL,
	`description` text,
	`description_status` text DEFAULT 'pending' NOT NULL,
	`description_attempts` integer DEFAULT 0 NOT NULL,
	`lease_until` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `camera_events_id_unique` ON `camera_events` (`id`);--> statement-breakpoint
CREATE INDEX `camera_events_device_at_idx` ON `camera_events` (`device_id`,`at`);--> statement-breakpoint
CREATE INDEX `camera_events_pending_idx` ON `camera_events` (`received_at`) WHERE snapshot_status = 'pending' OR description_status = 'pending';--> statement-breakpoint
CREATE TABLE `event_summaries` (
	`device_id` text NOT NULL,
	`ownership_id` text NOT NULL,
	`date` text NOT NULL,
	`time_zone` text NOT NULL,
	`summary` text NOT NULL,
	`event_count` integer NOT NULL,
	`through_seq` integer NOT NULL,
	`from_at` integer NOT NULL,
	`source` text NOT NULL,
	`computed_at` integer NOT NULL,
	PRIMARY KEY(`device_id`, `ownership_id`, `date`, `time_zone`)
);
--> statement-breakpoint
CREATE INDEX `event_summaries_computed_idx` ON `event_summaries` (`computed_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `devices_iot_thing_unique` ON `devices` (`iot_thing_name`);