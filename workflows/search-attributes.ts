import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The custom search attributes every complaint workflow keeps current, so ops can list cases in
 * the Temporal UI and CLI (`ComplaintStatus = "in_progress" AND HandlingUnit = "u-1" AND Overdue`).
 * They carry no personal data. The dev server registers them at start; the worker makes sure a
 * production namespace has them before it polls. SQL visibility stores allow three of each of
 * Bool, Int and Datetime per namespace, so these stay within that.
 */
export const ComplaintStatus = defineSearchAttributeKey('ComplaintStatus', SearchAttributeType.KEYWORD);
export const Channel = defineSearchAttributeKey('Channel', SearchAttributeType.KEYWORD);
export const Category = defineSearchAttributeKey('Category', SearchAttributeType.KEYWORD);
export const District = defineSearchAttributeKey('District', SearchAttributeType.KEYWORD);
export const HandlingUnit = defineSearchAttributeKey('HandlingUnit', SearchAttributeType.KEYWORD);
export const DueAt = defineSearchAttributeKey('DueAt', SearchAttributeType.DATETIME);
export const Overdue = defineSearchAttributeKey('Overdue', SearchAttributeType.BOOL);
export const EscalationTier = defineSearchAttributeKey('EscalationTier', SearchAttributeType.INT);
export const RepeatComplaint = defineSearchAttributeKey('RepeatComplaint', SearchAttributeType.BOOL);
export const Urgent = defineSearchAttributeKey('Urgent', SearchAttributeType.BOOL);

export const allSearchAttributes = [
  ComplaintStatus,
  Channel,
  Category,
  District,
  HandlingUnit,
  DueAt,
  Overdue,
  EscalationTier,
  RepeatComplaint,
  Urgent,
] as const;
