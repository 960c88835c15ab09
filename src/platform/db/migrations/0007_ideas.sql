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
CREATE INDEX `deliberation_shared_ideas_target` ON `deliberation_shared_ideas` (`target_session_id`);