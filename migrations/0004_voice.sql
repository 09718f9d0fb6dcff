CREATE TABLE `voice_clones` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`voice_id` text NOT NULL,
	`name` text NOT NULL,
	`sample_count` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `voice_clones_voice_unique` ON `voice_clones` (`voice_id`);--> statement-breakpoint
CREATE INDEX `voice_clones_user_idx` ON `voice_clones` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `voice_presets` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`stability` real NOT NULL,
	`similarity_boost` real NOT NULL,
	`style` real NOT NULL,
	`speed` real NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `voice_presets_user_idx` ON `voice_presets` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `voice_recordings` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`voice_id` text NOT NULL,
	`voice_name` text,
	`text` text NOT NULL,
	`settings_json` text NOT NULL,
	`preset` text,
	`custom_preset_id` text,
	`fingerprint` text NOT NULL,
	`usage_month` text NOT NULL,
	`r2_key` text NOT NULL,
	`content_type` text DEFAULT 'audio/mpeg' NOT NULL,
	`size` integer,
	`status` text NOT NULL,
	`favorite` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`ready_at` integer,
	`expires_at` integer
);
--> statement-breakpoint
CREATE INDEX `voice_recordings_user_idx` ON `voice_recordings` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `voice_recordings_expiry_idx` ON `voice_recordings` (`expires_at`);--> statement-breakpoint
CREATE INDEX `voice_recordings_status_idx` ON `voice_recordings` (`status`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `voice_recordings_live_fingerprint_unique` ON `voice_recordings` (`user_id`,`fingerprint`) WHERE status IN ('pending', 'ready');--> statement-breakpoint
CREATE TABLE `voice_usage` (
	`user_id` text NOT NULL,
	`month` text NOT NULL,
	`used` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `month`)
);
