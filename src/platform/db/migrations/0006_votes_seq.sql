DROP INDEX `votes_conversation`;--> statement-breakpoint
ALTER TABLE `votes` ADD `seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `votes_conversation_seq` ON `votes` (`conversation_id`,`seq`);