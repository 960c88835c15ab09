CREATE TABLE `sortition_draws` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`pool_id` text NOT NULL,
	`run_id` text NOT NULL,
	`record` text NOT NULL,
	`alternates` text NOT NULL,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`pool_id`) REFERENCES `sortition_pools`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`run_id`) REFERENCES `sortition_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sortition_draws_pool` ON `sortition_draws` (`pool_id`);--> statement-breakpoint
CREATE TABLE `sortition_letter_batches` (
	`id` text PRIMARY KEY NOT NULL,
	`pool_id` text NOT NULL,
	`seed_source` text NOT NULL,
	`addresses_sha256` text NOT NULL,
	`addresses` integer NOT NULL,
	`letters` integer NOT NULL,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`pool_id`) REFERENCES `sortition_pools`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sortition_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`batch_id` text NOT NULL,
	`pool_id` text NOT NULL,
	`address` text,
	`code` text NOT NULL,
	`code_hash` text NOT NULL,
	`household` text NOT NULL,
	`registrations` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`batch_id`) REFERENCES `sortition_letter_batches`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`pool_id`) REFERENCES `sortition_pools`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sortition_letters_code_hash_unique` ON `sortition_letters` (`code_hash`);--> statement-breakpoint
CREATE INDEX `sortition_letters_pool` ON `sortition_letters` (`pool_id`);--> statement-breakpoint
CREATE TABLE `sortition_people` (
	`pool_id` text NOT NULL,
	`person_id` text NOT NULL,
	`features` text NOT NULL,
	`household` text,
	`line` integer,
	`status` text DEFAULT 'pool' NOT NULL,
	`selected_via` text,
	`letter_id` text,
	`invitation_hash` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`pool_id`, `person_id`),
	FOREIGN KEY (`pool_id`) REFERENCES `sortition_pools`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sortition_people_invitation` ON `sortition_people` (`invitation_hash`);--> statement-breakpoint
CREATE TABLE `sortition_personal` (
	`pool_id` text NOT NULL,
	`person_id` text NOT NULL,
	`data` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`pool_id`, `person_id`),
	FOREIGN KEY (`pool_id`) REFERENCES `sortition_pools`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sortition_pools` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`name` text NOT NULL,
	`source` text NOT NULL,
	`panel_size` integer NOT NULL,
	`categories` text NOT NULL,
	`quotas` text NOT NULL,
	`mapping` text,
	`revision` integer DEFAULT 1 NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sortition_pools_assembly` ON `sortition_pools` (`assembly_id`);--> statement-breakpoint
CREATE TABLE `sortition_replacements` (
	`id` text PRIMARY KEY NOT NULL,
	`draw_id` text NOT NULL,
	`out_person_id` text NOT NULL,
	`in_person_id` text,
	`reason` text NOT NULL,
	`deviation` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`draw_id`) REFERENCES `sortition_draws`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sortition_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`pool_id` text NOT NULL,
	`pool_revision` integer NOT NULL,
	`job_id` text,
	`algorithm` text NOT NULL,
	`panel_size` integer NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`pool_sha256` text NOT NULL,
	`quotas_sha256` text NOT NULL,
	`result` text,
	`legacy` text,
	`lottery` text,
	`distribution_sha256` text,
	`committed_at` text,
	`committed_by` text,
	`infeasible` text,
	`error` text,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`finished_at` text,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`pool_id`) REFERENCES `sortition_pools`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sortition_runs_pool` ON `sortition_runs` (`pool_id`);