CREATE TABLE "calendar_years" (
	"year" integer PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"source" text NOT NULL,
	"holidays" jsonb NOT NULL,
	"workdays" jsonb NOT NULL,
	"loaded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "callbacks" (
	"case_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"by" text NOT NULL,
	CONSTRAINT "callbacks_case_id_at_pk" PRIMARY KEY("case_id","at")
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"case_id" text NOT NULL,
	"seq" integer NOT NULL,
	"kind" text NOT NULL,
	"actor" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"payload" jsonb NOT NULL,
	CONSTRAINT "case_events_case_id_seq_pk" PRIMARY KEY("case_id","seq")
);
--> statement-breakpoint
CREATE TABLE "complaints" (
	"id" text PRIMARY KEY NOT NULL,
	"workflow_id" text NOT NULL,
	"channel" text NOT NULL,
	"category" text NOT NULL,
	"district" text NOT NULL,
	"address" text NOT NULL,
	"polluter" text,
	"polluter_key" text,
	"address_key" text NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"industry" text,
	"summary" text NOT NULL,
	"urgent" boolean DEFAULT false NOT NULL,
	"anonymous" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"handling_unit" text,
	"escalation_tier" integer DEFAULT 0 NOT NULL,
	"repeat_of" text,
	"rework_count" integer DEFAULT 0 NOT NULL,
	"due_at" timestamp with time zone,
	"overdue" boolean DEFAULT false NOT NULL,
	"satisfaction" text,
	"dispatched_on_time" boolean,
	"result_on_time" boolean,
	"spot_check" text,
	"registered_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"assigned_at" timestamp with time zone,
	"result_submitted_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"last_seq" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intake_keys" (
	"key" text PRIMARY KEY NOT NULL,
	"body_sha256" text NOT NULL,
	"case_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "leader_ownerships" (
	"case_id" text NOT NULL,
	"leader_id" text NOT NULL,
	"kind" text NOT NULL,
	"tier" integer NOT NULL,
	CONSTRAINT "leader_ownerships_case_id_leader_id_pk" PRIMARY KEY("case_id","leader_id")
);
--> statement-breakpoint
CREATE TABLE "leaders" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"tier" integer NOT NULL,
	"district" text,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notices" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"kind" text NOT NULL,
	"recipient" text NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "spot_checks" (
	"case_id" text NOT NULL,
	"selected_at" timestamp with time zone NOT NULL,
	"passed" boolean,
	CONSTRAINT "spot_checks_case_id_selected_at_pk" PRIMARY KEY("case_id","selected_at")
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "case_events_kind_idx" ON "case_events" USING btree ("kind","at");--> statement-breakpoint
CREATE INDEX "complaints_registered_idx" ON "complaints" USING btree ("registered_at","id");--> statement-breakpoint
CREATE INDEX "complaints_status_idx" ON "complaints" USING btree ("status","registered_at");--> statement-breakpoint
CREATE INDEX "complaints_district_idx" ON "complaints" USING btree ("district","registered_at");--> statement-breakpoint
CREATE INDEX "complaints_category_idx" ON "complaints" USING btree ("category","registered_at");--> statement-breakpoint
CREATE INDEX "complaints_channel_idx" ON "complaints" USING btree ("channel","registered_at");--> statement-breakpoint
CREATE INDEX "complaints_unit_idx" ON "complaints" USING btree ("handling_unit","registered_at");--> statement-breakpoint
CREATE INDEX "complaints_overdue_idx" ON "complaints" USING btree ("handling_unit") WHERE "complaints"."overdue";--> statement-breakpoint
CREATE INDEX "complaints_escalated_idx" ON "complaints" USING btree ("escalation_tier") WHERE "complaints"."escalation_tier" > 0;--> statement-breakpoint
CREATE INDEX "complaints_polluter_key_idx" ON "complaints" USING btree ("polluter_key","registered_at");--> statement-breakpoint
CREATE INDEX "complaints_address_key_idx" ON "complaints" USING btree ("address_key","registered_at");--> statement-breakpoint
CREATE INDEX "complaints_category_geo_idx" ON "complaints" USING btree ("category","lat","lng");--> statement-breakpoint
CREATE INDEX "leader_ownerships_leader_idx" ON "leader_ownerships" USING btree ("leader_id");--> statement-breakpoint
CREATE INDEX "leaders_tier_idx" ON "leaders" USING btree ("tier","district");--> statement-breakpoint
CREATE INDEX "notices_case_idx" ON "notices" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE INDEX "notices_undelivered_idx" ON "notices" USING btree ("created_at") WHERE "notices"."delivered_at" is null;