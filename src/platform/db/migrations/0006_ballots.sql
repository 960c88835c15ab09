CREATE TABLE `ballot_roll` (
	`ballot_id` text NOT NULL,
	`user_id` text NOT NULL,
	FOREIGN KEY (`ballot_id`) REFERENCES `ballots`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ballot_roll_pk` ON `ballot_roll` (`ballot_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `ballot_votes` (
	`ballot_id` text NOT NULL,
	`receipt` text NOT NULL,
	`choice` text NOT NULL,
	FOREIGN KEY (`ballot_id`) REFERENCES `ballots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ballot_votes_receipt` ON `ballot_votes` (`ballot_id`,`receipt`);--> statement-breakpoint
CREATE TABLE `ballots` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`method` text NOT NULL,
	`options` text NOT NULL,
	`grades` text,
	`threshold` real,
	`threshold_base` text,
	`quorum` real DEFAULT 0 NOT NULL,
	`opens_at` text NOT NULL,
	`closes_at` text NOT NULL,
	`closed_at` text,
	`result` text,
	`eligible_at_close` integer,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ballots_assembly` ON `ballots` (`assembly_id`,`opens_at`);