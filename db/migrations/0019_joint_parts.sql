CREATE TABLE "joint_parts" (
	"case_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"status" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	CONSTRAINT "joint_parts_case_id_unit_id_pk" PRIMARY KEY("case_id","unit_id")
);
--> statement-breakpoint
CREATE INDEX "joint_parts_unit_idx" ON "joint_parts" USING btree ("unit_id","status");