CREATE TABLE `deliberation_attendance` (
	`event_id` text NOT NULL,
	`user_id` text NOT NULL,
	`status` text NOT NULL,
	`source` text NOT NULL,
	`recorded_by` text,
	`recorded_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`event_id`, `user_id`),
	FOREIGN KEY (`event_id`) REFERENCES `deliberation_events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `deliberation_event_members` (
	`event_id` text NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`event_id`, `user_id`),
	FOREIGN KEY (`event_id`) REFERENCES `deliberation_events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `deliberation_events` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`phase_id` text,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`starts_at` text NOT NULL,
	`ends_at` text NOT NULL,
	`time_zone` text NOT NULL,
	`language` text NOT NULL,
	`audience` text NOT NULL,
	`room_name` text,
	`breakout_session_id` text,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`phase_id`) REFERENCES `deliberation_phases`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`breakout_session_id`) REFERENCES `breakout_sessions`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `deliberation_events_assembly` ON `deliberation_events` (`assembly_id`,`starts_at`);--> statement-breakpoint
CREATE TABLE `deliberation_feeds` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`user_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliberation_feeds_token` ON `deliberation_feeds` (`token_hash`);--> statement-breakpoint
CREATE INDEX `deliberation_feeds_user` ON `deliberation_feeds` (`user_id`,`assembly_id`);--> statement-breakpoint
CREATE TABLE `deliberation_phases` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`starts_on` text NOT NULL,
	`ends_on` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `deliberation_phases_assembly` ON `deliberation_phases` (`assembly_id`,`starts_on`);