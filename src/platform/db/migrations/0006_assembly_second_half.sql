CREATE TABLE `amendment_comments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`amendment_id` integer NOT NULL,
	`author_id` text,
	`author_name` text NOT NULL,
	`body` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`amendment_id`) REFERENCES `amendments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `amendment_comments_amendment` ON `amendment_comments` (`amendment_id`,`id`);--> statement-breakpoint
CREATE TABLE `amendment_supports` (
	`amendment_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`amendment_id`, `user_id`),
	FOREIGN KEY (`amendment_id`) REFERENCES `amendments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `amendments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`assembly_id` text NOT NULL,
	`subject` text NOT NULL,
	`kind` text NOT NULL,
	`proposed_text` text DEFAULT '' NOT NULL,
	`justification` text NOT NULL,
	`base_version` integer NOT NULL,
	`author_id` text,
	`author_name` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`decision_reason` text,
	`decided_by` text,
	`decided_at` text,
	`result` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `amendments_subject` ON `amendments` (`subject`,`status`);--> statement-breakpoint
CREATE INDEX `amendments_assembly` ON `amendments` (`assembly_id`,`status`);--> statement-breakpoint
CREATE TABLE `moderations` (
	`subject` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`report_count` integer DEFAULT 0 NOT NULL,
	`hidden_at` text,
	`hidden_by` text,
	`hidden_reason` text,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `moderations_assembly` ON `moderations` (`assembly_id`);--> statement-breakpoint
CREATE TABLE `reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`assembly_id` text NOT NULL,
	`subject` text NOT NULL,
	`reporter_id` text NOT NULL,
	`reason` text NOT NULL,
	`details` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_subject_reporter` ON `reports` (`subject`,`reporter_id`);--> statement-breakpoint
CREATE INDEX `reports_open` ON `reports` (`assembly_id`,`status`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`assembly_id` text NOT NULL,
	`subject` text NOT NULL,
	`kind` text NOT NULL,
	`params` text NOT NULL,
	`url` text NOT NULL,
	`read_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `notifications_user` ON `notifications` (`user_id`,`assembly_id`,`id`);--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`user_id` text NOT NULL,
	`subject` text NOT NULL,
	`assembly_id` text NOT NULL,
	`email` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`user_id`, `subject`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `subscriptions_subject` ON `subscriptions` (`subject`);--> statement-breakpoint
CREATE TABLE `versions` (
	`subject` text NOT NULL,
	`version` integer NOT NULL,
	`fields` text NOT NULL,
	`changed` text NOT NULL,
	`author_id` text,
	`author_name` text NOT NULL,
	`note` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`subject`, `version`)
);
--> statement-breakpoint
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
CREATE TABLE `debate_comments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`debate_id` text NOT NULL,
	`parent_id` integer,
	`root_id` integer,
	`depth` integer DEFAULT 0 NOT NULL,
	`author_id` text,
	`author_name` text NOT NULL,
	`alignment` text NOT NULL,
	`body` text NOT NULL,
	`status` text DEFAULT 'visible' NOT NULL,
	`reply_count` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`debate_id`) REFERENCES `debates`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `debate_comments_threads` ON `debate_comments` (`debate_id`,`depth`,`id`);--> statement-breakpoint
CREATE INDEX `debate_comments_root` ON `debate_comments` (`root_id`,`depth`,`id`);--> statement-breakpoint
CREATE INDEX `debate_comments_parent` ON `debate_comments` (`parent_id`);--> statement-breakpoint
CREATE TABLE `debate_supports` (
	`debate_id` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`debate_id`, `user_id`),
	FOREIGN KEY (`debate_id`) REFERENCES `debates`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `debates` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`proposed_by` text,
	`proposed_by_name` text,
	`decided_by` text,
	`decision_reason` text,
	`count_in_favour` integer DEFAULT 0 NOT NULL,
	`count_against` integer DEFAULT 0 NOT NULL,
	`count_neutral` integer DEFAULT 0 NOT NULL,
	`count_threads` integer DEFAULT 0 NOT NULL,
	`attached_to` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`proposed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `debates_assembly` ON `debates` (`assembly_id`,`status`);--> statement-breakpoint
CREATE TABLE `discussion_summaries` (
	`subject` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`review_item_id` text NOT NULL,
	`body` text NOT NULL,
	`edited` integer DEFAULT false NOT NULL,
	`published_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
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
CREATE UNIQUE INDEX `opendata_ids_public` ON `opendata_ids` (`assembly_id`,`kind`,`public`);--> statement-breakpoint
CREATE TABLE `recommendations` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`drafter_kind` text NOT NULL,
	`drafter_name` text NOT NULL,
	`group_id` text,
	`status` text DEFAULT 'draft' NOT NULL,
	`title` text NOT NULL,
	`proposal` text DEFAULT '' NOT NULL,
	`rationale` text DEFAULT '' NOT NULL,
	`pros` text DEFAULT '' NOT NULL,
	`cons` text DEFAULT '' NOT NULL,
	`costs` text DEFAULT '' NOT NULL,
	`implementers` text DEFAULT '' NOT NULL,
	`tradeoffs` text DEFAULT '' NOT NULL,
	`evidence` text DEFAULT '' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`debate_id` text,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`debate_id`) REFERENCES `debates`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `recommendations_assembly` ON `recommendations` (`assembly_id`,`status`);--> statement-breakpoint
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
CREATE TABLE `text_paragraphs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`text_id` text NOT NULL,
	`section_id` integer NOT NULL,
	`position` real NOT NULL,
	`body` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`text_id`) REFERENCES `texts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`section_id`) REFERENCES `text_sections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `text_paragraphs_section` ON `text_paragraphs` (`section_id`,`position`);--> statement-breakpoint
CREATE TABLE `text_sections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`text_id` text NOT NULL,
	`position` integer NOT NULL,
	`title` text NOT NULL,
	FOREIGN KEY (`text_id`) REFERENCES `texts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `text_sections_text` ON `text_sections` (`text_id`,`position`);--> statement-breakpoint
CREATE TABLE `texts` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`title` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `texts_assembly` ON `texts` (`assembly_id`);--> statement-breakpoint
DROP INDEX `votes_conversation`;--> statement-breakpoint
ALTER TABLE `votes` ADD `seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `votes_conversation_seq` ON `votes` (`conversation_id`,`seq`);--> statement-breakpoint
ALTER TABLE `api_tokens` ADD `expires_at` text;--> statement-breakpoint
ALTER TABLE `api_tokens` ADD `revoked_at` text;--> statement-breakpoint
-- Data: staff roles became per assembly. Facilitators and researchers of an existing installation keep acting on
-- every assembly that exists when this migration runs (as before it); new assemblies need an admin's grant.
INSERT OR IGNORE INTO `staff_roles` (`assembly_id`, `user_id`, `role`) SELECT a.`id`, u.`id`, u.`role` FROM `users` u, `assemblies` a WHERE u.`role` IN ('facilitator', 'researcher');
