CREATE TABLE "dead_letters" (
	"id" text PRIMARY KEY NOT NULL,
	"activity" text NOT NULL,
	"case_id" text NOT NULL,
	"input" text NOT NULL,
	"sql_state" text,
	"error" text NOT NULL,
	"failures" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_failed_at" timestamp with time zone NOT NULL,
	"redriven_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "dead_letters_pending_idx" ON "dead_letters" USING btree ("created_at") WHERE "dead_letters"."redriven_at" is null;