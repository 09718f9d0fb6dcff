CREATE TABLE `sweep_dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`body` text NOT NULL,
	`kind` text NOT NULL,
	`attempts` integer NOT NULL,
	`sent_at` integer NOT NULL,
	`recorded_at` integer NOT NULL,
	`status` text NOT NULL,
	`resolved_at` integer
);
--> statement-breakpoint
CREATE INDEX `sweep_dead_letters_status_idx` ON `sweep_dead_letters` (`status`,`recorded_at`);