ALTER TABLE "complaints" ADD COLUMN "reward_opened_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "reward_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "reward_amount_yuan" integer;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "reward_approval" text;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "reward_claimed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "reward_paid_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "reward_overdue" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "complaints_reward_due_idx" ON "complaints" USING btree ("reward_due_at") WHERE "complaints"."reward_opened_at" is not null;