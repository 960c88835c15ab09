CREATE TABLE `conversation_participants` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` text NOT NULL,
	`kind` text NOT NULL,
	`user_id` text,
	`pseudonym` text NOT NULL,
	`external_id` integer,
	`polis_group` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conv_participant_user` ON `conversation_participants` (`conversation_id`,`user_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `conv_participant_external` ON `conversation_participants` (`conversation_id`,`external_id`);--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`topic` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`moderation` text DEFAULT 'pre' NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`recompute_every` integer DEFAULT 50 NOT NULL,
	`vote_events` integer DEFAULT 0 NOT NULL,
	`attribution` text,
	`math_state` text,
	`math_vote_events` integer,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `conversations_assembly` ON `conversations` (`assembly_id`);--> statement-breakpoint
CREATE TABLE `published_maps` (
	`id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`review_item_id` text NOT NULL,
	`body` text NOT NULL,
	`edited` integer DEFAULT false NOT NULL,
	`published_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `published_maps_conversation_id_unique` ON `published_maps` (`conversation_id`);--> statement-breakpoint
CREATE TABLE `statements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` text NOT NULL,
	`tid` integer NOT NULL,
	`author_id` integer,
	`text` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`is_meta` integer DEFAULT false NOT NULL,
	`agree_count` integer DEFAULT 0 NOT NULL,
	`disagree_count` integer DEFAULT 0 NOT NULL,
	`pass_count` integer DEFAULT 0 NOT NULL,
	`extremity` real DEFAULT 0 NOT NULL,
	`moderated_by` text,
	`moderated_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `conversation_participants`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `statements_tid` ON `statements` (`conversation_id`,`tid`);--> statement-breakpoint
CREATE INDEX `statements_status` ON `statements` (`conversation_id`,`status`);--> statement-breakpoint
CREATE TABLE `votes` (
	`statement_id` integer NOT NULL,
	`participant_id` integer NOT NULL,
	`conversation_id` text NOT NULL,
	`vote` integer NOT NULL,
	`voted_at` integer NOT NULL,
	`changes` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`statement_id`, `participant_id`),
	FOREIGN KEY (`statement_id`) REFERENCES `statements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`participant_id`) REFERENCES `conversation_participants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `votes_participant` ON `votes` (`participant_id`);--> statement-breakpoint
CREATE INDEX `votes_conversation` ON `votes` (`conversation_id`);