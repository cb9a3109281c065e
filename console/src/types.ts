/**
 * What the console reads from the API. The case is the service's own CaseView type (imported as a
 * type only: nothing of the server reaches the bundle), so a change of the contract fails the
 * console's type check; the smaller shapes, whose schemas the routes keep to themselves, are
 * written out here as the routes answer them.
 */
import type { CaseView, TimelineEntryView } from '../../api/case-view';
import type { Channel, Status } from '../../workflows/model';

export type { CaseView, TimelineEntryView };

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
  args: JsonSchema;
}
