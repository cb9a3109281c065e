CREATE TABLE "formal_documents" (
	"notice_id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"kind" text NOT NULL,
	"year" integer NOT NULL,
	"seq" integer NOT NULL,
	"number" text NOT NULL,
	"title" text NOT NULL,
	"issuer" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"text" text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "formal_documents_number_idx" ON "formal_documents" USING btree ("kind","year","seq");--> statement-breakpoint
CREATE INDEX "formal_documents_case_idx" ON "formal_documents" USING btree ("case_id");