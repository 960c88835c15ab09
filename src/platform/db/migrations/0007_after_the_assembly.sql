CREATE TABLE `ballot_forecasts` (
	`ballot_id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`review_item_id` text NOT NULL,
	`body` text NOT NULL,
	`provenance` text NOT NULL,
	`edited` integer DEFAULT false NOT NULL,
	`published_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`ballot_id`) REFERENCES `ballots`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `brochure_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`number` integer NOT NULL,
	`language` text NOT NULL,
	`scope` text NOT NULL,
	`recommendation_count` integer NOT NULL,
	`content_sha256` text NOT NULL,
	`pdf_path` text NOT NULL,
	`html_path` text NOT NULL,
	`pdf_sha256` text NOT NULL,
	`pdf_bytes` integer NOT NULL,
	`job_id` text NOT NULL,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `brochure_versions_number` ON `brochure_versions` (`assembly_id`,`number`,`language`);--> statement-breakpoint
CREATE INDEX `brochure_versions_assembly` ON `brochure_versions` (`assembly_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `recommendation_languages` (
	`recommendation_id` text PRIMARY KEY NOT NULL,
	`language` text NOT NULL,
	`set_by` text,
	`set_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`recommendation_id`) REFERENCES `recommendations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `recommendation_translations` (
	`recommendation_id` text NOT NULL,
	`language` text NOT NULL,
	`source_language` text NOT NULL,
	`source_version` integer NOT NULL,
	`origin` text NOT NULL,
	`fields` text NOT NULL,
	`review_item_id` text,
	`by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`recommendation_id`, `language`),
	FOREIGN KEY (`recommendation_id`) REFERENCES `recommendations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `deliberation_idea_receipts` (
	`idea_id` text NOT NULL,
	`group_id` text NOT NULL,
	`seen_at` text,
	`seen_by` text,
	`discussed_at` text,
	`discussed_by` text,
	PRIMARY KEY(`idea_id`, `group_id`),
	FOREIGN KEY (`idea_id`) REFERENCES `deliberation_shared_ideas`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`group_id`) REFERENCES `breakout_groups`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `deliberation_shared_ideas` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`subject` text NOT NULL,
	`review_item_id` text NOT NULL,
	`origin_group_id` text NOT NULL,
	`origin_session_id` text NOT NULL,
	`target_session_id` text NOT NULL,
	`text` text NOT NULL,
	`language` text,
	`source` text NOT NULL,
	`source_idea_id` text,
	`approved_by` text,
	`published_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`origin_group_id`) REFERENCES `breakout_groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`origin_session_id`) REFERENCES `breakout_sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`target_session_id`) REFERENCES `breakout_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliberation_shared_ideas_subject` ON `deliberation_shared_ideas` (`subject`);--> statement-breakpoint
CREATE INDEX `deliberation_shared_ideas_target` ON `deliberation_shared_ideas` (`target_session_id`);--> statement-breakpoint
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
CREATE UNIQUE INDEX `opendata_archive_tables_pk` ON `opendata_archive_tables` (`assembly_id`,`path`);--> statement-breakpoint
ALTER TABLE `surveys` ADD `opened_at` text;--> statement-breakpoint
CREATE INDEX `memberships_user` ON `memberships` (`user_id`,`assembly_id`);