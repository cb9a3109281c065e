CREATE TABLE "notice_templates" (
	"kind" text NOT NULL,
	"version" integer NOT NULL,
	"text" text NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "notice_templates_kind_version_pk" PRIMARY KEY("kind","version")
);
