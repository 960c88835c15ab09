CREATE TABLE `opendata_archives` (
	`assembly_id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`package_sha256` text NOT NULL,
	`exported_at` text NOT NULL,
	`imported_by` text,
	`imported_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `opendata_exports` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`job_id` text NOT NULL,
	`path` text NOT NULL,
	`sha256` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`status` text NOT NULL,
	`published` integer DEFAULT false NOT NULL,
	`published_at` text,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `opendata_exports_job_id_unique` ON `opendata_exports` (`job_id`);--> statement-breakpoint
CREATE INDEX `opendata_exports_assembly` ON `opendata_exports` (`assembly_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `opendata_ids` (
	`assembly_id` text NOT NULL,
	`kind` text NOT NULL,
	`internal` text NOT NULL,
	`public` text NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `opendata_ids_internal` ON `opendata_ids` (`assembly_id`,`kind`,`internal`);--> statement-breakpoint
CREATE UNIQUE INDEX `opendata_ids_public` ON `opendata_ids` (`assembly_id`,`kind`,`public`);