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
CREATE INDEX `texts_assembly` ON `texts` (`assembly_id`);