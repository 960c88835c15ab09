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
