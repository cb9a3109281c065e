CREATE TABLE "accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"roles" jsonb NOT NULL,
	"unit_id" text,
	"password_hash" text,
	"oidc_subject" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_oidc_subject_unique" UNIQUE("oidc_subject")
);
--> statement-breakpoint
CREATE TABLE "duty_slots" (
	"id" text PRIMARY KEY NOT NULL,
	"duty" text NOT NULL,
	"district" text,
	"account_id" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identity_reads" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"account_id" text NOT NULL,
	"account_name" text NOT NULL,
	"reason" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oidc_sign_ins" (
	"id_sha256" text PRIMARY KEY NOT NULL,
	"pending" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_sha256" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unit_versions" (
	"unit_id" text NOT NULL,
	"version" integer NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"parent_id" text,
	"districts" jsonb NOT NULL,
	"active" boolean NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	"changed_by" text NOT NULL,
	CONSTRAINT "unit_versions_unit_id_version_pk" PRIMARY KEY("unit_id","version")
);
--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "first_receiver" text;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "on_duty" text;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "extension_pending" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "notices" ADD COLUMN "addressees" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "parent_id" text;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "districts" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "active" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE INDEX "duty_slots_lookup_idx" ON "duty_slots" USING btree ("duty","district","starts_at");--> statement-breakpoint
CREATE INDEX "identity_reads_at_idx" ON "identity_reads" USING btree ("at");--> statement-breakpoint
CREATE INDEX "identity_reads_case_idx" ON "identity_reads" USING btree ("case_id","at");--> statement-breakpoint
CREATE INDEX "sessions_account_idx" ON "sessions" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "complaints_first_receiver_idx" ON "complaints" USING btree ("first_receiver","registered_at");--> statement-breakpoint
CREATE INDEX "complaints_on_duty_idx" ON "complaints" USING btree ("on_duty","registered_at");--> statement-breakpoint
CREATE INDEX "units_parent_idx" ON "units" USING btree ("parent_id");--> statement-breakpoint
INSERT INTO "unit_versions" SELECT "id", 1, "name", "level", "parent_id", "districts", "active", "updated_at", 'migration' FROM "units";
