CREATE TABLE `impact_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`recommendation_id` text NOT NULL,
	`kind` text NOT NULL,
	`date` text NOT NULL,
	`text` text NOT NULL,
	`status` text,
	`progress` integer,
	`sources` text NOT NULL,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recommendation_id`) REFERENCES `recommendations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `impact_entries_assembly` ON `impact_entries` (`assembly_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `impact_entries_rec` ON `impact_entries` (`recommendation_id`,`date`);--> statement-breakpoint
CREATE TABLE `impact_records` (
	`recommendation_id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`status` text DEFAULT 'not_started' NOT NULL,
	`progress` integer DEFAULT 0 NOT NULL,
	`theme` text DEFAULT '' NOT NULL,
	`response_text` text,
	`response_date` text,
	`response_url` text,
	`updated_by` text,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`recommendation_id`) REFERENCES `recommendations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `impact_records_assembly` ON `impact_records` (`assembly_id`,`status`);--> statement-breakpoint
CREATE TABLE `opendata_archive_tables` (
	`assembly_id` text NOT NULL,
	`path` text NOT NULL,
	`content` text NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `opendata_archive_tables_pk` ON `opendata_archive_tables` (`assembly_id`,`path`);