CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`checkout_session_id` text NOT NULL,
	`user_id` text NOT NULL,
	`sku` text NOT NULL,
	`quantity` integer NOT NULL,
	`amount_total` integer NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`stripe_customer_id` text,
	`payment_intent_id` text,
	`shipping_name` text,
	`shipping_address_json` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_checkout_session_unique` ON `orders` (`checkout_session_id`);--> statement-breakpoint
CREATE INDEX `orders_user_idx` ON `orders` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `stripe_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`object_id` text,
	`outcome` text NOT NULL,
	`received_at` integer NOT NULL,
	`processed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `stripe_events_received_idx` ON `stripe_events` (`received_at`);