CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`auth0_sub` text NOT NULL,
	`email` text NOT NULL,
	`name` text,
	`session_epoch` integer DEFAULT 0 NOT NULL,
	`stripe_customer_id` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`last_login_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_auth0_sub_unique` ON `users` (`auth0_sub`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_stripe_customer_unique` ON `users` (`stripe_customer_id`);--> statement-breakpoint
CREATE TABLE `products` (
	`sku` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`price_cents` integer NOT NULL,
	`currency` text NOT NULL,
	`billing_interval` text,
	`features_json` text NOT NULL,
	`listed` integer NOT NULL,
	`sort_order` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `devices` (
	`id` text PRIMARY KEY NOT NULL,
	`aovis_id` text NOT NULL,
	`serial` text NOT NULL,
	`model` text NOT NULL,
	`activation_code_hash` text NOT NULL,
	`iot_thing_name` text NOT NULL,
	`kvs_stream_name` text NOT NULL,
	`webrtc_channel_arn` text,
	`iccid` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `devices_aovis_id_unique` ON `devices` (`aovis_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `devices_serial_unique` ON `devices` (`serial`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`event` text NOT NULL,
	`actor_user_id` text,
	`device_id` text,
	`subject_type` text,
	`subject_id` text,
	`detail_json` text DEFAULT '{}' NOT NULL,
	`request_id` text
);
--> statement-breakpoint
CREATE INDEX `audit_device_at_idx` ON `audit_log` (`device_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_actor_at_idx` ON `audit_log` (`actor_user_id`,`at`);