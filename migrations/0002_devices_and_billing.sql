CREATE TABLE `device_ownerships` (
	`id` text PRIMARY KEY NOT NULL,
	`device_id` text NOT NULL,
	`user_id` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`end_reason` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `device_ownerships_one_active` ON `device_ownerships` (`device_id`) WHERE status = 'active';--> statement-breakpoint
CREATE INDEX `device_ownerships_user_idx` ON `device_ownerships` (`user_id`,`status`);--> statement-breakpoint
CREATE TABLE `device_transfers` (
	`id` text PRIMARY KEY NOT NULL,
	`device_id` text NOT NULL,
	`from_user_id` text NOT NULL,
	`to_email` text NOT NULL,
	`include_sim` integer NOT NULL,
	`token_hash` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`decided_at` integer,
	`accepted_by_user_id` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `device_transfers_token_unique` ON `device_transfers` (`token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `device_transfers_one_open` ON `device_transfers` (`device_id`) WHERE status = 'offered';--> statement-breakpoint
CREATE INDEX `device_transfers_to_email_idx` ON `device_transfers` (`to_email`,`status`);--> statement-breakpoint
CREATE TABLE `device_trials` (
	`device_id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`granted_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sim_cards` (
	`id` text PRIMARY KEY NOT NULL,
	`iccid` text NOT NULL,
	`user_id` text,
	`device_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sim_cards_iccid_unique` ON `sim_cards` (`iccid`);--> statement-breakpoint
CREATE INDEX `sim_cards_user_idx` ON `sim_cards` (`user_id`);--> statement-breakpoint
CREATE TABLE `entitlements` (
	`id` text PRIMARY KEY NOT NULL,
	`external_id` text NOT NULL,
	`subscription_id` text NOT NULL,
	`source` text NOT NULL,
	`user_id` text NOT NULL,
	`device_id` text,
	`key` text NOT NULL,
	`quota` integer,
	`sku` text NOT NULL,
	`status` text NOT NULL,
	`starts_at` integer NOT NULL,
	`expires_at` integer,
	`ended_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `entitlements_external_unique` ON `entitlements` (`external_id`);--> statement-breakpoint
CREATE INDEX `entitlements_device_idx` ON `entitlements` (`device_id`,`key`,`status`);--> statement-breakpoint
CREATE INDEX `entitlements_user_idx` ON `entitlements` (`user_id`,`key`,`status`);--> statement-breakpoint
CREATE INDEX `entitlements_expiry_idx` ON `entitlements` (`status`,`expires_at`);--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`external_id` text NOT NULL,
	`source` text NOT NULL,
	`user_id` text NOT NULL,
	`device_id` text,
	`sku` text NOT NULL,
	`plan_code` text,
	`status` text NOT NULL,
	`stripe_status` text,
	`stripe_customer_id` text,
	`current_period_start` integer,
	`current_period_end` integer,
	`cancel_at_period_end` integer DEFAULT false NOT NULL,
	`cancel_at` integer,
	`ended_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscriptions_external_unique` ON `subscriptions` (`external_id`);--> statement-breakpoint
CREATE INDEX `subscriptions_device_idx` ON `subscriptions` (`device_id`,`status`);--> statement-breakpoint
CREATE INDEX `subscriptions_user_idx` ON `subscriptions` (`user_id`,`status`);--> statement-breakpoint
ALTER TABLE `devices` ADD `trial_used_at` integer;