import { sql } from 'drizzle-orm';
import { bigint, boolean, customType, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { CalendarStatus } from '../workflows/calendar';

/**
 * The read side. Temporal holds each case's truth while it runs; these tables hold what many
 * cases are asked about together (lists, reports) and the audit trail after closure. Every row
 * is written by an activity, keyed so that a retried activity changes nothing.
 */

/** A transaction id (Postgres `xid8`), read as its decimal text: it outgrows a JavaScript number. */
export const webhookFormats = ['standard', 'hotline'] as const;
export type WebhookFormat = (typeof webhookFormats)[number];

/** The ways a notice leaves the building: e-mail to staff, SMS to the complainant. */
export const deliveryChannels = ['email', 'sms'] as const;
export type DeliveryChannel = (typeof deliveryChannels)[number];

const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/** The current projection of each case, one row per complaint, rebuilt from `case_events`. */
export const complaints = pgTable(
  'complaints',
  {
    id: text('id').primaryKey(),
    workflowId: text('workflow_id').notNull(),
    channel: text('channel').notNull(),
    category: text('category').notNull(),
    district: text('district').notNull(),
    address: text('address').notNull(),
    polluter: text('polluter'),
    polluterKey: text('polluter_key'),
    addressKey: text('address_key').notNull(),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    industry: text('industry'),
    summary: text('summary').notNull(),
    urgent: boolean('urgent').notNull().default(false),
    anonymous: boolean('anonymous').notNull().default(false),
    /** How many people made the report: more than 1 for a collective one (集体信访). */
    complainants: integer('complainants').notNull().default(1),
    status: text('status').notNull(),
    handlingUnit: text('handling_unit'),
    escalationTier: integer('escalation_tier').notNull().default(0),
    repeatOf: text('repeat_of'),
    reworkCount: integer('rework_count').notNull().default(0),
    dueAt: timestamp('due_at', { withTimezone: true }),
    overdue: boolean('overdue').notNull().default(false),
    /** Warnings (预警) raised in the open handling window: 0, 1 or 2. */
    warningLevel: integer('warning_level').notNull().default(0),
    satisfaction: text('satisfaction'),
    /** The first round's satisfaction, before any rework (一次办理满意率). */
    firstSatisfaction: text('first_satisfaction'),
    dispatchedOnTime: boolean('dispatched_on_time'),
    resultOnTime: boolean('result_on_time'),
    spotCheck: text('spot_check'),
    registeredAt: timestamp('registered_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    resultSubmittedAt: timestamp('result_submitted_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** The first receiver (首接负责人): the registrar's account, or null while waiting in the district queue. */
    firstReceiver: text('first_receiver'),
    /** Who must act next (`unit:unit-a`, `registrar:reg-1`…), as the case says; null once finished. */
    onDuty: text('on_duty'),
    extensionPending: boolean('extension_pending').notNull().default(false),
    /** The clock stands still, waiting for missing information (中止). */
    paused: boolean('paused').notNull().default(false),
    /** How often the clock stopped, and the working days its deadlines moved by in all. */
    pauseCount: integer('pause_count').notNull().default(0),
    pausedWorkingDays: integer('paused_working_days').notNull().default(0),
    /** 有奖举报: the reward's dates, amount in yuan and approval (workflows/projection.ts rewardApprovals); null without one. */
    rewardOpenedAt: timestamp('reward_opened_at', { withTimezone: true }),
    rewardDueAt: timestamp('reward_due_at', { withTimezone: true }),
    rewardAmountYuan: integer('reward_amount_yuan'),
    rewardApproval: text('reward_approval'),
    rewardClaimedAt: timestamp('reward_claimed_at', { withTimezone: true }),
    rewardPaidAt: timestamp('reward_paid_at', { withTimezone: true }),
    rewardOverdue: boolean('reward_overdue').notNull().default(false),
    /** Sequence of the last event applied; an event with a lower or equal one is a replay. */
    lastSeq: integer('last_seq').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // Lists are newest first, filtered by one of these; reports range over registered_at.
    index('complaints_registered_idx').on(t.registeredAt, t.id),
    index('complaints_status_idx').on(t.status, t.registeredAt),
    index('complaints_district_idx').on(t.district, t.registeredAt),
    index('complaints_category_idx').on(t.category, t.registeredAt),
    index('complaints_channel_idx').on(t.channel, t.registeredAt),
    index('complaints_unit_idx').on(t.handlingUnit, t.registeredAt),
    index('complaints_first_receiver_idx').on(t.firstReceiver, t.registeredAt),
    index('complaints_on_duty_idx').on(t.onDuty, t.registeredAt),
    index('complaints_overdue_idx')
      .on(t.handlingUnit)
      .where(sql`${t.overdue}`),
    // The rewards report: the few cases with a reward, by due date.
    index('complaints_reward_due_idx')
      .on(t.rewardDueAt)
      .where(sql`${t.rewardOpenedAt} is not null`),
    index('complaints_escalated_idx')
      .on(t.escalationTier)
      .where(sql`${t.escalationTier} > 0`),
    // Repeat detection and hotspots.
    index('complaints_polluter_key_idx').on(t.polluterKey, t.registeredAt),
    index('complaints_address_key_idx').on(t.addressKey, t.registeredAt),
    index('complaints_category_geo_idx').on(t.category, t.lat, t.lng),
    // The list's text filter: every two characters of summary, address and polluter (Chinese
    // terms are mostly two: 噪声, 异味, where pg_trgm's trigrams find nothing). The functions are
    // the migration's (0004_text_bigrams.sql).
    index('complaints_text_idx').using('gin', sql`complaint_text_bigrams(${t.summary}, ${t.address}, ${t.polluter})`),
  ],
);

/** Append-only audit trail: one row per timeline entry of a case, numbered per case. */
export const caseEvents = pgTable(
  'case_events',
  {
    caseId: text('case_id').notNull(),
    seq: integer('seq').notNull(),
    kind: text('kind').notNull(),
    actor: text('actor').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    payload: jsonb('payload').notNull(),
    /**
     * The feed's order (`GET /feed`, db/feed.ts): the writing transaction's id, then the row's
     * number. The feed reads only transactions older than every one still running, so a row
     * committed late is never passed over.
     */
    xid: xid8('xid')
      .notNull()
      .default(sql`pg_current_xact_id()`),
    feedId: bigint('feed_id', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.seq] }), index('case_events_kind_idx').on(t.kind, t.at), index('case_events_feed_idx').on(t.xid, t.feedId)],
);

/**
 * Notices to the complainant, the unit or its superior, for integrators to deliver and, with
 * SMTP_URL, e-mailed to staff by the service (`notice_deliveries`). The id is the idempotency key
 * the workflow derived, so a retried activity adds nothing.
 */
export const notices = pgTable(
  'notices',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id').notNull(),
    kind: text('kind').notNull(),
    recipient: text('recipient').notNull(),
    text: text('text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** The people `recipient` stood for when the notice was made (`superior-of:…`, `duty-leader`…), by account id. */
    addressees: jsonb('addressees').$type<string[]>().notNull().default([]),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    index('notices_case_idx').on(t.caseId, t.createdAt),
    index('notices_undelivered_idx')
      .on(t.createdAt)
      .where(sql`${t.deliveredAt} is null`),
  ],
);

/**
 * Each notice's delivery to one address by one channel: one row per (notice, channel, address),
 * written when the notice's delivery workflow plans it and updated as it is sent or fails.
 */
export const noticeDeliveries = pgTable(
  'notice_deliveries',
  {
    /** `<notice id>|<channel>|<address>`: planning twice adds nothing. */
    id: text('id').primaryKey(),
    noticeId: text('notice_id').notNull(),
    caseId: text('case_id').notNull(),
    channel: text('channel').$type<DeliveryChannel>().notNull(),
    /** The account the address belongs to, when it is a person's. */
    accountId: text('account_id'),
    /**
     * An e-mail address; a phone number masked (`138****5678`): the number itself stays in the
     * delivery workflow's encrypted input, as the complainant's contact does in the case's.
     */
    address: text('address').notNull(),
    /** The SMS template's version it was sent with. */
    templateVersion: integer('template_version'),
    status: text('status').$type<'queued' | 'sent' | 'failed'>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** Why the last attempt failed (the provider's answer), or why the delivery was given up. */
    lastError: text('last_error'),
    /** The provider's id of the message it accepted (SMTP: the Message-ID). */
    providerId: text('provider_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('notice_deliveries_notice_idx').on(t.noticeId),
    index('notice_deliveries_failed_idx')
      .on(t.updatedAt)
      .where(sql`${t.status} = 'failed'`),
  ],
);

/**
 * The notices that are formal documents (公文: 受理告知书, 不予受理告知书, 转送告知书, 督办通知),
 * as issued: numbered per kind and year (文号), by the bureau (发文机关), on a day. One per notice.
 */
export const formalDocuments = pgTable(
  'formal_documents',
  {
    noticeId: text('notice_id').primaryKey(),
    caseId: text('case_id').notNull(),
    kind: text('kind').notNull(),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    /** `环信受告〔2026〕12号`. */
    number: text('number').notNull(),
    title: text('title').notNull(),
    issuer: text('issuer').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    /** The whole document as printed. */
    text: text('text').notNull(),
  },
  (t) => [uniqueIndex('formal_documents_number_idx').on(t.kind, t.year, t.seq), index('formal_documents_case_idx').on(t.caseId)],
);

/**
 * Each staff notice in the inbox (消息) of each person it is meant for, as resolved when it was
 * recorded, read or not: the console's in-app channel, which needs no address.
 */
export const inbox = pgTable(
  'inbox',
  {
    accountId: text('account_id').notNull(),
    noticeId: text('notice_id').notNull(),
    caseId: text('case_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.noticeId] }), index('inbox_account_idx').on(t.accountId, t.createdAt)],
);

/**
 * A bureau's own wording of a notice kind (e-mail, inbox, formal documents), versioned like the
 * SMS templates: the version in force when a notice is made words it; without one, the built-in
 * zh-CN wording (activities/notice-templates.ts). Facts are written `{caseId}`, `{dueAt}`….
 */
export const noticeTemplates = pgTable(
  'notice_templates',
  {
    kind: text('kind').notNull(),
    version: integer('version').notNull(),
    text: text('text').notNull(),
    effectiveFrom: timestamp('effective_from', { withTimezone: true }).notNull(),
    createdBy: text('created_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.version] })],
);

/**
 * The SMS templates approved at the bureau's gateway (短信模板): a notice kind's wording with
 * variables `{1}`, `{2}`…, the gateway's id for it, and which of the notice's facts fill the
 * variables. Versioned: a new wording is a new row from `effective_from`, and each delivery keeps
 * the version it went out with. A version without `provider_template_id` is not approved yet.
 */
export const smsTemplates = pgTable(
  'sms_templates',
  {
    kind: text('kind').notNull(),
    version: integer('version').notNull(),
    text: text('text').notNull(),
    /** The notice's facts (`caseId`, `dueAt`, `reason`…), in the order of the variables. */
    params: jsonb('params').$type<string[]>().notNull(),
    providerTemplateId: text('provider_template_id'),
    effectiveFrom: timestamp('effective_from', { withTimezone: true }).notNull(),
    createdBy: text('created_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.version] })],
);

/**
 * Integrators' webhook subscriptions (Standard Webhooks): where the changes of the cases they
 * registered are posted, signed with the secret. A rotated secret keeps signing beside the new
 * one until `previous_secret_until`, so the receiver can switch without losing a message.
 */
export const webhookSubscriptions = pgTable('webhook_subscriptions', {
  id: text('id').primaryKey(),
  /** The integrator (API key id) whose cases are posted. */
  integrator: text('integrator').notNull(),
  url: text('url').notNull(),
  /** The event kinds posted; empty: every kind. */
  kinds: jsonb('kinds').$type<string[]>().notNull().default([]),
  /**
   * What a message says: `standard`, the change as the feed has it; `hotline`, the step a hotline
   * platform is told of (签收, 办结, 回访) in its own fields (lib/hotline.ts).
   */
  format: text('format').$type<WebhookFormat>().notNull().default('standard'),
  /** `whsec_` and base64: the Standard Webhooks secret. */
  secret: text('secret').notNull(),
  previousSecret: text('previous_secret'),
  previousSecretUntil: timestamp('previous_secret_until', { withTimezone: true }),
  active: boolean('active').notNull().default(true),
  /** Where its poster stands in the feed (db/feed.ts): the last event handed on. */
  cursor: text('cursor'),
  /** The receiver's last answer that was not a 2xx, and when. */
  lastError: text('last_error'),
  lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** Webhook messages given up after their retries: ops post them again once the receiver is back. */
export const webhookFailures = pgTable(
  'webhook_failures',
  {
    /** The message id (`webhook-id`): `<case>:<seq>`, with the subscription. */
    id: text('id').primaryKey(),
    subscriptionId: text('subscription_id').notNull(),
    messageId: text('message_id').notNull(),
    caseId: text('case_id').notNull(),
    seq: integer('seq').notNull(),
    kind: text('kind').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** The receiver's last answer, or why the message was given up. */
    lastError: text('last_error').notNull(),
    failedAt: timestamp('failed_at', { withTimezone: true }).notNull(),
    resentAt: timestamp('resent_at', { withTimezone: true }),
  },
  (t) => [
    index('webhook_failures_pending_idx')
      .on(t.failedAt)
      .where(sql`${t.resentAt} is null`),
  ],
);

/** Leaders who take ownership of escalated cases (领导包案), by tier and district. */
export const leaders = pgTable(
  'leaders',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** 1 section chief, 2 branch bureau head, 3 city bureau leader. */
    tier: integer('tier').notNull(),
    /** Null: a system leader for every district; set: the territorial leader of that district. */
    district: text('district'),
    active: boolean('active').notNull().default(true),
  },
  (t) => [index('leaders_tier_idx').on(t.tier, t.district)],
);

/**
 * Official holiday schedules loaded by ops after the package's bundled data (the State Council
 * publishes a year's schedule in the preceding November or December).
 */
export const calendarYears = pgTable('calendar_years', {
  year: integer('year').primaryKey(),
  status: text('status').$type<CalendarStatus>().notNull(),
  source: text('source').notNull(),
  holidays: jsonb('holidays').$type<string[]>().notNull(),
  workdays: jsonb('workdays').$type<string[]>().notNull(),
  loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull(),
});

/**
 * Intake idempotency: the integrator's external id (or Idempotency-Key) and the hash of the body
 * first sent with it. A repeat with the same body gets the same case; another body is a conflict.
 */
export const intakeKeys = pgTable('intake_keys', {
  key: text('key').primaryKey(),
  bodySha256: text('body_sha256').notNull(),
  caseId: text('case_id').notNull(),
  /** An anonymous case's claim code hash (api/intake.ts): a repeat racing the first start starts the case with it, never a code of its own. */
  claimCodeHash: text('claim_code_hash'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/**
 * The organisation registry: the bureau's units, their level, parent and jurisdiction. A unit's
 * superior (`superior-of:<unit>`) is its parent. Every change bumps `version` and is kept in
 * `unit_versions`; a running case keeps the copy of the unit it was assigned.
 */
export const units = pgTable(
  'units',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    level: text('level').notNull(),
    parentId: text('parent_id'),
    /** The districts whose cases the unit's people see; empty: those of its subtree. */
    districts: jsonb('districts').$type<string[]>().notNull().default([]),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('units_parent_idx').on(t.parentId)],
);

/** Every version of every unit, as it was from `changedAt` on. */
export const unitVersions = pgTable(
  'unit_versions',
  {
    unitId: text('unit_id').notNull(),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    level: text('level').notNull(),
    parentId: text('parent_id'),
    districts: jsonb('districts').$type<string[]>().notNull(),
    active: boolean('active').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
    changedBy: text('changed_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.version] })],
);

/**
 * The bureau's staff: one account per person, with the roles they hold and the unit they belong
 * to. Integrators are machines and keep API keys; people sign in here.
 */
export const accounts = pgTable('accounts', {
  /** The sign-in name, e.g. `zhang.wei`; also the id the timeline records. */
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  roles: jsonb('roles').$type<string[]>().notNull(),
  unitId: text('unit_id'),
  /** Argon2id, PHC string; null for a person who signs in only through the identity provider. */
  passwordHash: text('password_hash'),
  /** The identity provider's `sub` for this person, when OIDC sign-in is set up. */
  oidcSubject: text('oidc_subject').unique(),
  /** Where the notices meant for this person are e-mailed (SMTP_URL); none, none are. */
  email: text('email'),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Browser sessions, server-side: the cookie carries a random token, the row only its hash. */
export const sessions = pgTable(
  'sessions',
  {
    tokenSha256: text('token_sha256').primaryKey(),
    accountId: text('account_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    /** The absolute end, however active the session. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_account_idx').on(t.accountId), index('sessions_expires_idx').on(t.expiresAt)],
);

/** Who owns each escalated case now (领导包案): one leader, or a system and a territorial one. */
export const leaderOwnerships = pgTable(
  'leader_ownerships',
  {
    caseId: text('case_id').notNull(),
    leaderId: text('leader_id').notNull(),
    kind: text('kind').notNull(),
    tier: integer('tier').notNull(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.leaderId] }), index('leader_ownerships_leader_idx').on(t.leaderId)],
);

/**
 * 联合办理: the co-units' parts of joint cases, as the projection last wrote them. A co-unit sees
 * and lists the cases it holds a part of; `GET /complaints?joint=true` lists those with a part open.
 */
export const jointParts = pgTable(
  'joint_parts',
  {
    caseId: text('case_id').notNull(),
    unitId: text('unit_id').notNull(),
    /** working, done, refused or waived (workflows/model.ts jointPartStatuses). */
    status: text('status').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.unitId] }), index('joint_parts_unit_idx').on(t.unitId, t.status)],
);

/** Every callback attempt (回访) and its outcome. */
export const callbacks = pgTable(
  'callbacks',
  {
    caseId: text('case_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    outcome: text('outcome').notNull(),
    by: text('by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.at] })],
);

/** Spot checks of closed cases (随机抽查) and their results. */
export const spotChecks = pgTable(
  'spot_checks',
  {
    caseId: text('case_id').notNull(),
    selectedAt: timestamp('selected_at', { withTimezone: true }).notNull(),
    passed: boolean('passed'),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.selectedAt] })],
);

/**
 * Writes of the read side that Postgres refused for good (a data exception, a broken constraint):
 * kept here, with the activity's input, instead of blocking the case with endless retries. Ops see
 * them at `GET /dead-letters` and write them again after a fix with `npm run dead-letters -- redrive`.
 */
export const deadLetters = pgTable(
  'dead_letters',
  {
    /** `<activity>:<the write's own key>`, so a write refused twice is one letter. */
    id: text('id').primaryKey(),
    activity: text('activity').notNull(),
    caseId: text('case_id').notNull(),
    /** JSON as text: jsonb refuses \u0000, which may be the very reason the write failed. */
    input: text('input').notNull(),
    sqlState: text('sql_state'),
    /** Redacted: the SQLSTATE and the names of the table, column or constraint, never values. */
    error: text('error').notNull(),
    failures: integer('failures').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastFailedAt: timestamp('last_failed_at', { withTimezone: true }).notNull(),
    redrivenAt: timestamp('redriven_at', { withTimezone: true }),
  },
  (t) => [
    index('dead_letters_pending_idx')
      .on(t.createdAt)
      .where(sql`${t.redrivenAt} is null`),
  ],
);

/** An OIDC sign-in between the redirect to the identity provider and its callback (at most 10 minutes). */
export const oidcSignIns = pgTable('oidc_sign_ins', {
  /** SHA-256 of the random id the browser keeps in a cookie. */
  idSha256: text('id_sha256').primaryKey(),
  /** State, nonce and PKCE verifier, and where to go after. */
  pending: jsonb('pending').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/**
 * The 7×24 duty roster (值班): who holds which duty for a district (or, with district null, for
 * the whole bureau) from `startsAt` to `endsAt`, nights and holidays included.
 */
export const dutySlots = pgTable(
  'duty_slots',
  {
    id: text('id').primaryKey(),
    /** duty_leader, duty_officer or rapid_team. */
    duty: text('duty').notNull(),
    district: text('district'),
    accountId: text('account_id').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('duty_slots_lookup_idx').on(t.duty, t.district, t.startsAt)],
);

/** Every read of a complainant's unmasked identity (who, when, which case, why), for supervisors to report on. */
export const identityReads = pgTable(
  'identity_reads',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id').notNull(),
    accountId: text('account_id').notNull(),
    accountName: text('account_name').notNull(),
    reason: text('reason').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('identity_reads_at_idx').on(t.at), index('identity_reads_case_idx').on(t.caseId, t.at)],
);
