CREATE TABLE `breakout_group_members` (
	`group_id` text NOT NULL,
	`session_id` text NOT NULL,
	`assembly_id` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `breakout_groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`session_id`) REFERENCES `breakout_sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `breakout_members_pk` ON `breakout_group_members` (`group_id`,`user_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `breakout_members_session` ON `breakout_group_members` (`session_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `breakout_groups` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`session_id` text NOT NULL,
	`name` text NOT NULL,
	`lead_facilitator_id` text,
	`co_facilitator_id` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`session_id`) REFERENCES `breakout_sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lead_facilitator_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`co_facilitator_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `breakout_groups_name` ON `breakout_groups` (`session_id`,`name`);--> statement-breakpoint
CREATE TABLE `breakout_ideas` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`session_id` text NOT NULL,
	`group_id` text NOT NULL,
	`transcript_id` text NOT NULL,
	`review_item_id` text NOT NULL,
	`subject` text NOT NULL,
	`kind` text NOT NULL,
	`text` text NOT NULL,
	`quote` text NOT NULL,
	`start` real NOT NULL,
	`end` real NOT NULL,
	`speaker_id` text,
	`language` text,
	`published_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `breakout_ideas_assembly` ON `breakout_ideas` (`assembly_id`,`published_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `breakout_ideas_subject` ON `breakout_ideas` (`subject`);--> statement-breakpoint
CREATE TABLE `breakout_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`title` text NOT NULL,
	`language` text,
	`starts_at` text,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `breakout_sessions_assembly` ON `breakout_sessions` (`assembly_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `breakout_tracks` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`session_id` text NOT NULL,
	`group_id` text NOT NULL,
	`member_id` text,
	`language` text,
	`filename` text NOT NULL,
	`path` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`container` text NOT NULL,
	`codec` text NOT NULL,
	`sample_rate` integer NOT NULL,
	`channels` integer NOT NULL,
	`duration_sec` real NOT NULL,
	`deleted_at` text,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`session_id`) REFERENCES `breakout_sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`group_id`) REFERENCES `breakout_groups`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `breakout_tracks_group` ON `breakout_tracks` (`group_id`);--> statement-breakpoint
CREATE TABLE `breakout_transcripts` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`session_id` text NOT NULL,
	`group_id` text NOT NULL,
	`review_item_id` text NOT NULL,
	`language` text,
	`segments` text NOT NULL,
	`published_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `breakout_transcripts_group` ON `breakout_transcripts` (`group_id`);--> statement-breakpoint
CREATE TABLE `breakout_uploads` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`group_id` text NOT NULL,
	`member_id` text,
	`language` text,
	`filename` text NOT NULL,
	`size` integer NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`error` text,
	`track_id` text,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`group_id`) REFERENCES `breakout_groups`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `breakout_uploads_group` ON `breakout_uploads` (`group_id`,`status`);