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
