CREATE TABLE "sms_templates" (
	"kind" text NOT NULL,
	"version" integer NOT NULL,
	"text" text NOT NULL,
	"params" jsonb NOT NULL,
	"provider_template_id" text,
	"effective_from" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "sms_templates_kind_version_pk" PRIMARY KEY("kind","version")
);
--> statement-breakpoint
ALTER TABLE "notice_deliveries" ADD COLUMN "template_version" integer;--> statement-breakpoint
-- The wording of the notices to the complainant, to be approved at the gateway: each needs its provider_template_id (a new version) before any is sent.
INSERT INTO "sms_templates" ("kind", "version", "text", "params", "provider_template_id", "effective_from", "created_by") VALUES
  ('acceptance', 1, '您反映的问题（编号{1}）已受理，我们将于{2}前交办处理。', '["caseId","dispatchDueAt"]', NULL, '2026-01-01T00:00:00+08:00', 'migration'),
  ('not_accepted', 1, '您反映的问题（编号{1}）不予受理，理由：{2}。', '["caseId","reason"]', NULL, '2026-01-01T00:00:00+08:00', 'migration'),
  ('transferred', 1, '您反映的问题（编号{1}）不属本部门职责，已转送{2}办理。', '["caseId","department"]', NULL, '2026-01-01T00:00:00+08:00', 'migration'),
  ('result_reply', 1, '您反映的问题（编号{1}）已办结：{2}。', '["caseId","finding"]', NULL, '2026-01-01T00:00:00+08:00', 'migration');
