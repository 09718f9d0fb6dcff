CREATE TABLE `id_token_nonces` (
	`nonce_hash` text PRIMARY KEY NOT NULL,
	`sub` text NOT NULL,
	`used_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `id_token_nonces_expires_idx` ON `id_token_nonces` (`expires_at`);--> statement-breakpoint
CREATE TABLE `sign_in_transactions` (
	`state_hash` text PRIMARY KEY NOT NULL,
	`browser_hash` text NOT NULL,
	`nonce` text NOT NULL,
	`code_verifier` text NOT NULL,
	`return_to` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sign_in_transactions_expires_idx` ON `sign_in_transactions` (`expires_at`);--> statement-breakpoint
ALTER TABLE `users` ADD `sessions_valid_after` integer DEFAULT 0 NOT NULL;