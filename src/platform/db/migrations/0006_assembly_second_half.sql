CREATE TABLE `ballot_roll` (
	`ballot_id` text NOT NULL,
	`user_id` text NOT NULL,
	FOREIGN KEY (`ballot_id`) REFERENCES `ballots`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ballot_roll_pk` ON `ballot_roll` (`ballot_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `ballot_votes` (
	`ballot_id` text NOT NULL,
	`receipt` text NOT NULL,
	`choice` text NOT NULL,
	`packed` text,
	FOREIGN KEY (`ballot_id`) REFERENCES `ballots`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ballot_votes_receipt` ON `ballot_votes` (`ballot_id`,`receipt`);--> statement-breakpoint
CREATE TABLE `ballots` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`method` text NOT NULL,
	`options` text NOT NULL,
	`grades` text,
	`threshold` real,
	`threshold_base` text,
	`quorum` real DEFAULT 0 NOT NULL,
	`opens_at` text NOT NULL,
	`closes_at` text NOT NULL,
	`closed_at` text,
	`result` text,
	`eligible_at_close` integer,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ballots_assembly` ON `ballots` (`assembly_id`,`opens_at`);--> statement-breakpoint
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
CREATE TABLE `deliberation_material_progress` (
	`material_id` text NOT NULL,
	`user_id` text NOT NULL,
	`opened_at` text NOT NULL,
	`finished_at` text,
	PRIMARY KEY(`material_id`, `user_id`),
	FOREIGN KEY (`material_id`) REFERENCES `deliberation_materials`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `deliberation_materials` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`phase_id` text,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`url` text NOT NULL,
	`captions_url` text,
	`transcript` text,
	`language` text NOT NULL,
	`minutes` integer,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`phase_id`) REFERENCES `deliberation_phases`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `deliberation_materials_assembly` ON `deliberation_materials` (`assembly_id`,`created_at`);--> statement-breakpoint
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
CREATE INDEX `deliberation_phases_assembly` ON `deliberation_phases` (`assembly_id`,`starts_on`);--> statement-breakpoint
CREATE TABLE `deliberation_question_supports` (
	`question_id` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`question_id`, `user_id`),
	FOREIGN KEY (`question_id`) REFERENCES `deliberation_questions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `deliberation_questions` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`user_id` text NOT NULL,
	`text` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`answer` text,
	`answer_url` text,
	`selected_at` text,
	`answered_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `deliberation_questions_assembly` ON `deliberation_questions` (`assembly_id`,`created_at`);--> statement-breakpoint
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
CREATE UNIQUE INDEX `deliberation_rooms_group` ON `deliberation_rooms` (`group_id`);--> statement-breakpoint
CREATE TABLE `deliberation_submissions` (
	`id` text PRIMARY KEY NOT NULL,
	`task_id` text NOT NULL,
	`user_id` text NOT NULL,
	`text` text NOT NULL,
	`shared_at` text,
	`shared_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`task_id`) REFERENCES `deliberation_tasks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliberation_submissions_once` ON `deliberation_submissions` (`task_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `deliberation_tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`phase_id` text,
	`prompt` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`phase_id`) REFERENCES `deliberation_phases`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `member_access` (
	`user_id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`invitation_id` text NOT NULL,
	`passphrase_hash` text,
	`last_sign_in_at` text,
	`code_issued_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`invitation_id`) REFERENCES `invitations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `research_ids` (
	`assembly_id` text NOT NULL,
	`user_id` text NOT NULL,
	`anon_id` text NOT NULL,
	PRIMARY KEY(`assembly_id`, `user_id`),
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `research_ids_anon_id_unique` ON `research_ids` (`anon_id`);--> statement-breakpoint
CREATE TABLE `signin_failures` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`last_failure_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `staff_roles` (
	`assembly_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`granted_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`assembly_id`, `user_id`),
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `staff_roles_user` ON `staff_roles` (`user_id`);--> statement-breakpoint
CREATE TABLE `survey_responses` (
	`survey_id` text NOT NULL,
	`user_id` text NOT NULL,
	`answers` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `survey_responses_pk` ON `survey_responses` (`survey_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `surveys` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`title` text NOT NULL,
	`phase` text NOT NULL,
	`questions` text NOT NULL,
	`closed_at` text,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `surveys_assembly` ON `surveys` (`assembly_id`,`created_at`);--> statement-breakpoint
DROP INDEX `votes_conversation`;--> statement-breakpoint
ALTER TABLE `votes` ADD `seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `votes_conversation_seq` ON `votes` (`conversation_id`,`seq`);--> statement-breakpoint
ALTER TABLE `api_tokens` ADD `expires_at` text;--> statement-breakpoint
ALTER TABLE `api_tokens` ADD `revoked_at` text;--> statement-breakpoint
-- Data: staff roles became per assembly. Facilitators and researchers of an existing installation keep acting on
-- every assembly that exists when this migration runs (as before it); new assemblies need an admin's grant.
INSERT OR IGNORE INTO `staff_roles` (`assembly_id`, `user_id`, `role`) SELECT a.`id`, u.`id`, u.`role` FROM `users` u, `assemblies` a WHERE u.`role` IN ('facilitator', 'researcher');
