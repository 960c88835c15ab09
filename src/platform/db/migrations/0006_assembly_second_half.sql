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
DROP INDEX `votes_conversation`;--> statement-breakpoint
ALTER TABLE `votes` ADD `seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `votes_conversation_seq` ON `votes` (`conversation_id`,`seq`);--> statement-breakpoint
ALTER TABLE `api_tokens` ADD `expires_at` text;--> statement-breakpoint
ALTER TABLE `api_tokens` ADD `revoked_at` text;--> statement-breakpoint
-- Data: staff roles became per assembly. Facilitators and researchers of an existing installation keep acting on
-- every assembly that exists when this migration runs (as before it); new assemblies need an admin's grant.
INSERT OR IGNORE INTO `staff_roles` (`assembly_id`, `user_id`, `role`) SELECT a.`id`, u.`id`, u.`role` FROM `users` u, `assemblies` a WHERE u.`role` IN ('facilitator', 'researcher');
