CREATE TABLE "inbox" (
	"account_id" text NOT NULL,
	"notice_id" text NOT NULL,
	"case_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone,
	CONSTRAINT "inbox_account_id_notice_id_pk" PRIMARY KEY("account_id","notice_id")
);
--> statement-breakpoint
CREATE INDEX "inbox_account_idx" ON "inbox" USING btree ("account_id","created_at");