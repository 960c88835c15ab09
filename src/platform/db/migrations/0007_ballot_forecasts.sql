CREATE TABLE `ballot_forecasts` (
	`ballot_id` text PRIMARY KEY NOT NULL,
	`assembly_id` text NOT NULL,
	`review_item_id` text NOT NULL,
	`body` text NOT NULL,
	`provenance` text NOT NULL,
	`edited` integer DEFAULT false NOT NULL,
	`published_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`ballot_id`) REFERENCES `ballots`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assembly_id`) REFERENCES `assemblies`(`id`) ON UPDATE no action ON DELETE cascade
);
