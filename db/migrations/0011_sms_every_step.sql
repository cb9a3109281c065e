-- The complainant now hears of every step they care about: the wordings of those notices, to approve at the gateway.
INSERT INTO "sms_templates" ("kind", "version", "text", "params", "provider_template_id", "effective_from", "created_by") VALUES
  ('case_assigned', 1, '您反映的问题（编号{1}）已交由{2}办理，办理期限至{3}。', '["caseId","unit","dueAt"]', NULL, '2026-01-01T00:00:00+08:00', 'migration'),
  ('case_extended', 1, '您反映的问题（编号{1}）办理期限已延长至{2}，原因：{3}。', '["caseId","dueAt","reason"]', NULL, '2026-01-01T00:00:00+08:00', 'migration'),
  ('case_merged', 1, '您反映的问题与编号{1}的信访件为同一问题，已合并办理，请以该编号查询办理进展。', '["intoCaseId"]', NULL, '2026-01-01T00:00:00+08:00', 'migration'),
  ('case_reworked', 1, '您反映的问题（编号{1}）已退回重新办理，新的办理期限至{2}。', '["caseId","dueAt"]', NULL, '2026-01-01T00:00:00+08:00', 'migration'),
  ('case_closed', 1, '您反映的问题（编号{1}）已办结。感谢您对生态环境保护工作的监督。', '["caseId"]', NULL, '2026-01-01T00:00:00+08:00', 'migration');
