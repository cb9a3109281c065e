ALTER TABLE "complaints" ADD COLUMN "reward_opened_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "reward_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "reward_amount_yuan" integer;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "reward_approval" text;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "reward_claimed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "reward_paid_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "reward_overdue" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "intake_keys" ADD COLUMN "claim_code_hash" text;--> statement-breakpoint
CREATE INDEX "complaints_reward_due_idx" ON "complaints" USING btree ("reward_due_at") WHERE "complaints"."reward_opened_at" is not null;--> statement-breakpoint
-- Rewards opened before these columns: from their events, so the rewards report shows them at once
-- (their workflows write the columns again at their next step). No amount was approved then.
UPDATE "complaints" SET "reward_opened_at" = e."at", "reward_due_at" = (e."payload" ->> 'dueAt')::timestamptz, "reward_approval" = 'not_required'
FROM "case_events" e WHERE e."case_id" = "complaints"."id" AND e."kind" = 'reward_opened' AND "complaints"."reward_opened_at" IS NULL;--> statement-breakpoint
UPDATE "complaints" SET "reward_paid_at" = e."at"
FROM "case_events" e WHERE e."case_id" = "complaints"."id" AND e."kind" = 'reward_paid' AND "complaints"."reward_paid_at" IS NULL;--> statement-breakpoint
UPDATE "complaints" SET "reward_overdue" = true
FROM "case_events" e WHERE e."case_id" = "complaints"."id" AND e."kind" = 'reward_overdue';
