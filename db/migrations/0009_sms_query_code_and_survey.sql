-- The acceptance now carries the query code (查询码), the result the survey link: new wordings, to approve at the gateway.
INSERT INTO "sms_templates" ("kind", "version", "text", "params", "provider_template_id", "effective_from", "created_by")
SELECT 'acceptance', coalesce(max("version"), 0) + 1, '您反映的问题（编号{1}）已受理，我们将于{2}前交办处理。查询码：{3}，凭编号和查询码可查询办理进度。', '["caseId","dispatchDueAt","queryCode"]', NULL, '2026-01-01T00:00:00+08:00', 'migration'
FROM "sms_templates" WHERE "kind" = 'acceptance';
--> statement-breakpoint
INSERT INTO "sms_templates" ("kind", "version", "text", "params", "provider_template_id", "effective_from", "created_by")
SELECT 'result_reply', coalesce(max("version"), 0) + 1, '您反映的问题（编号{1}）已办结：{2}。请对办理结果作满意度评价：{3}', '["caseId","finding","surveyUrl"]', NULL, '2026-01-01T00:00:00+08:00', 'migration'
FROM "sms_templates" WHERE "kind" = 'result_reply';
