CREATE TABLE `timeline_hours` (
	`stream_name` text NOT NULL,
	`hour_start` integer NOT NULL,
	`spans_json` text NOT NULL,
	`fragment_count` integer NOT NULL,
	`shortest_fragment_ms` integer,
	`listed_at` integer NOT NULL,
	PRIMARY KEY(`stream_name`, `hour_start`)
);
--> statement-breakpoint
ALTER TABLE `users` ADD `time_zone` text;--> statement-breakpoint
ALTER TABLE `device_ownerships` ADD `name` text;