CREATE TABLE `consensus_statements` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`topic` text DEFAULT '' NOT NULL,
	`review_item_id` text NOT NULL,
	`language` text NOT NULL,
	`statements` text NOT NULL,
	`published_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `consensus_scope` ON `consensus_statements` (`assembly_id`,`topic`);--> statement-breakpoint
CREATE TABLE `contribution_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`kind` text NOT NULL,
	`filename` text,
	`topic` text DEFAULT '' NOT NULL,
	`count` integer NOT NULL,
	`job_id` text,
	`attribution` text,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `contributions` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`topic` text DEFAULT '' NOT NULL,
	`text` text NOT NULL,
	`source` text NOT NULL,
	`external_id` text,
	`author_id` text,
	`author_label` text,
	`language` text,
	`language_confidence` real,
	`language_source` text,
	`flags` text DEFAULT '[]' NOT NULL,
	`dup_key` text NOT NULL,
	`duplicate_of` text,
	`import_id` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `contributions_scope` ON `contributions` (`assembly_id`,`topic`,`created_at`);--> statement-breakpoint
CREATE INDEX `contributions_dup` ON `contributions` (`assembly_id`,`dup_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `contributions_external` ON `contributions` (`assembly_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `contributions_import` ON `contributions` (`import_id`);--> statement-breakpoint
CREATE TABLE `text_maps` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`topic` text DEFAULT '' NOT NULL,
	`review_item_id` text NOT NULL,
	`payload` text NOT NULL,
	`published_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `text_maps_scope` ON `text_maps` (`assembly_id`,`topic`);