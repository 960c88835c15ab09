CREATE TABLE `deliberation_allocation_groups` (
	`allocation_id` text NOT NULL,
	`group_index` integer NOT NULL,
	`lead_facilitator_id` text,
	`co_facilitator_id` text,
	`breakout_group_id` text,
	PRIMARY KEY(`allocation_id`, `group_index`),
	FOREIGN KEY (`allocation_id`) REFERENCES `deliberation_allocations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lead_facilitator_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`co_facilitator_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`breakout_group_id`) REFERENCES `breakout_groups`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `deliberation_allocation_members` (
	`allocation_id` text NOT NULL,
	`user_id` text NOT NULL,
	`group_index` integer NOT NULL,
	PRIMARY KEY(`allocation_id`, `user_id`),
	FOREIGN KEY (`allocation_id`) REFERENCES `deliberation_allocations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `deliberation_allocations` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`session_id` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`group_size` integer NOT NULL,
	`min_group_size` integer NOT NULL,
	`features` text NOT NULL,
	`seed` text NOT NULL,
	`figures` text NOT NULL,
	`random` text NOT NULL,
	`history_sessions` integer DEFAULT 0 NOT NULL,
	`provenance` text NOT NULL,
	`moves` integer DEFAULT 0 NOT NULL,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`published_by` text,
	`published_at` text,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`session_id`) REFERENCES `breakout_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `deliberation_allocations_session` ON `deliberation_allocations` (`session_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `deliberation_rooms` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`session_id` text NOT NULL,
	`group_id` text,
	`room_name` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`group_id`) REFERENCES `breakout_groups`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliberation_rooms_name` ON `deliberation_rooms` (`room_name`);--> statement-breakpoint
CREATE UNIQUE INDEX `deliberation_rooms_group` ON `deliberation_rooms` (`group_id`);