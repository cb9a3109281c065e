/**
 * What the console reads from the API. The case and an action's answer are the service's own
 * CaseView and ActionReceipt types (imported as types only: nothing of the server reaches the
 * bundle), so a change of the contract fails the console's type check; the smaller shapes, whose
 * schemas the routes keep to themselves, are written out here as the routes answer them.
 */
import type { ActionReceipt, CaseView, TimelineEntryView } from '../../api/case-view';
import type { CaseMoved } from '../../db/case-changes';
import type { Channel, Status } from '../../workflows/model';

export type { ActionReceipt, CaseView, TimelineEntryView };
/** `event: case` of `GET /events`: a case the person may see moved. */
export type { CaseMoved };

/** `GET /session`: who is signed in (api/routes/session.ts CallerSchema). */
export interface Caller {
  via: 'session' | 'key';
  id: string;
  name?: string;
  roles: string[];
  unitId?: string;
}

/** A row of `GET /work` and `GET /complaints` (api/routes/complaints.ts CaseRowSchema). */
export interface CaseRow {
  id: string;
  status: Status;
  channel: Channel;
  category: string;
  district: string;
  handlingUnit: string | null;
  escalationTier: number;
  overdue: boolean;
  urgent: boolean;
  /** More than 1: a collective report (集体信访). */
  complainants: number;
  dueAt: string | null;
  registeredAt: string;
  summary: string;
  firstReceiver: string | null;
  onDuty: string | null;
  extensionPending: boolean;
  /** Beside the declared fields, the row's place and polluter (the schema lets more through). */
  address?: string;
  polluter?: string | null;
}

export interface CasePage {
  items: CaseRow[];
  nextCursor: string | null;
}

/** `GET /complaints/{id}/notices` (api/schemas.ts NoticeSchema). */
export interface Notice {
  id: string;
  caseId: string;
  kind: string;
  recipient: string;
  addressees: string[];
  text: string;
  createdAt: string;
  deliveredAt: string | null;
  /** The formal document it was issued as (受理告知书…), its text at `…/notices/{id}/document`. */
  document: { number: string; title: string; issuer: string; issuedAt: string } | null;
  /** What the service sent for it: e-mails (SMTP_URL), one per person; an SMS to the complainant (SMS_URL). */
  deliveries: NoticeDelivery[];
}

export interface NoticeDelivery {
  channel: 'email' | 'sms';
  /** The account e-mailed, or the complainant's phone masked. */
  to: string | null;
  status: 'queued' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  updatedAt: string;
}

/** `GET /units` (api/routes/organisation.ts), the registry `assign` and `reassign` draw on. */
export interface UnitRow {
  id: string;
  name: string;
  level: 'province' | 'city' | 'district' | 'street';
  parentId: string | null;
  districts: string[];
  active: boolean;
  version: number;
}

/** `GET /leaders` (api/routes/directory.ts): a district leader owns territorially, one without a district systemwide. */
export interface LeaderRow {
  id: string;
  name: string;
  tier: number;
  district: string | null;
  active: boolean;
}

/**
 * The JSON Schema (TypeBox) of an action's body, as far as the console renders it: the shapes of
 * workflows/fields.ts and workflows/actions.ts.
 */
export interface JsonSchema {
  type?: string;
  enum?: readonly (string | number)[];
  const?: string | number;
  anyOf?: readonly JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  items?: JsonSchema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  description?: string;
}

/** `GET /complaints/{id}/actions`: the actions this person may take on the case now. */
export interface CaseAction {
  name: string;
  path: string;
  summary: string;
  override: boolean;
  /** Takes a file (the attachments' upload), not a form. */
  upload: boolean;
  args: JsonSchema;
}

type Duty = import('../../db/duty').Duty;

/** A slot of the duty roster (api/routes/duty.ts SlotSchema); `district` null: the whole bureau. */
export interface DutySlot {
  id: string;
  duty: Duty;
  district: string | null;
  accountId: string;
  /** In `GET /duty`: the person's name, null if the account is gone. */
  accountName?: string | null;
  startsAt: string;
  endsAt: string;
  createdAt: string;
}

/** `GET /duty`: the slots overlapping [from, to); with a district, when nobody holds each duty there. */
export interface DutyRoster {
  from: string;
  to: string;
  district: string | null;
  slots: DutySlot[];
  gaps?: Record<Duty, { from: string; to: string }[]>;
}

/** `GET /duty/now`: who holds each duty now (an empty list is a gap in the roster). */
export interface DutyNow {
  at: string;
  district: string | null;
  duties: Record<Duty, { accountId: string; name: string; slotId: string; district: string | null; endsAt: string }[]>;
}

/** `GET /units/{id}/versions`: every version of a unit, oldest first. */
export interface UnitVersion {
  version: number;
  name: string;
  level: UnitRow['level'];
  parentId: string | null;
  districts: string[];
  active: boolean;
  changedAt: string;
  changedBy: string;
}

/** The reports (api/routes/reports.ts), as db/reports.ts returns them. */
export type { Backlog, Count, Hotspot, Kpi, Rate } from '../../db/reports';
export type { RewardReport, RewardRow } from '../../db/reward-report';

/** `GET /reports/monthly`. */
export interface MonthlyReport {
  month: string;
  counts: import('../../db/reports').Count[];
}

/** `GET /reports/hotspots`. */
export interface HotspotsReport {
  hotspots: import('../../db/reports').Hotspot[];
}
