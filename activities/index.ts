import { loadCalendarYears } from '../db/calendar';
import type { Db } from '../db/client';
import { redactDbError } from '../db/errors';
import { fileInInboxes } from '../db/inbox';
import { findLeaders } from '../db/leaders';
import { sampleClosedCases } from '../db/spot-checks';
import type { CaseActivities } from '../workflows/activities';
import type { DeliveryActivities } from '../workflows/delivery';
import type { WebhookActivities } from '../workflows/webhooks';
import { defaultIssuer } from '../lib/config';
import type { HotlineMapping } from '../lib/hotline';
import { surveyDays, type SurveyLinks } from '../lib/survey-links';
import type { NoticeRequest } from '../workflows/model';
import { writeOrDeadLetter } from './dead-letters';
import { issueIfFormal } from './documents';
import { deliveryActivities, startDelivery, type DeliveryDeps } from './delivery';
import { webhookActivities } from './webhooks';

/** Rethrows a failed query without its SQL parameters, which would otherwise enter the history. */
const redacted =
  <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
  (...args: A): Promise<R> =>
    fn(...args).catch((err: unknown) => {
      throw redactDbError(err);
    });

/** The case's complainant, or the complainant of a report merged into it (`complainant-of:<case>`): texted, never in an inbox. */
const toComplainant = (recipient: string) => recipient === 'complainant' || recipient.startsWith('complainant-of:');

/**
 * The result told the complainant carries the link to the satisfaction survey, signed for this
 * result (the moment it was submitted, which the notice was raised at) and good for `surveyDays`.
 */
function withSurveyLink(surveys: SurveyLinks, caseId: string, notice: NoticeRequest): NoticeRequest {
  if (notice.kind !== 'result_reply' || notice.recipient !== 'complainant' || notice.at === undefined) return notice;
  const expiresAt = new Date(Date.parse(notice.at) + surveyDays * 86_400_000).toISOString();
  return { ...notice, params: { ...notice.params, surveyUrl: surveys.url({ caseId, result: notice.at, expiresAt }) } };
}

/**
 * The worker's activities: thin adapters from the workflows' contract to db/. With `delivery`
 * (SMTP_URL or SMS_* set), each notice stored is then delivered by a workflow of its own.
 */
export function createActivities(
  { db }: { db: Db },
  {
    delivery,
    surveys,
    hotline,
    issuer = defaultIssuer,
  }: { delivery?: DeliveryDeps | undefined; surveys?: SurveyLinks | undefined; hotline?: HotlineMapping; issuer?: string } = {},
): CaseActivities & Partial<DeliveryActivities> & WebhookActivities {
  const projectCase: CaseActivities['projectCase'] = (input) =>
    writeOrDeadLetter(db, {
      activity: 'projectCase',
      key: `${input.projection.id}:${Math.max(...input.events.map((e) => e.seq))}`,
      caseId: input.projection.id,
      input,
    });
  const recordNotice: CaseActivities['recordNotice'] = async ({ caseId, notice: { to, ...raised } }) => {
    const notice = surveys ? withSurveyLink(surveys, caseId, raised) : raised;
    // The complainant's phone goes no further than the delivery's own encrypted input.
    await writeOrDeadLetter(db, { activity: 'recordNotice', key: notice.key, caseId, input: { caseId, notice } });
    // Staff find it in the console's inbox (消息) whatever else reaches them.
    if (!toComplainant(notice.recipient)) await redacted(fileInInboxes)(db, notice.key);
    await redacted(issueIfFormal)(db, issuer, caseId, notice);
    const text = to && { phone: to.phone, facts: notice.params };
    // Staff are e-mailed; the complainant is texted, when the case says where.
    const reachable = toComplainant(notice.recipient) ? delivery?.sms && text : delivery?.mailer;
    if (delivery && reachable) await startDelivery(notice.key, delivery.retry, text);
  };
  return {
    ...(delivery ? deliveryActivities(db, delivery) : {}),
    ...webhookActivities(db, hotline),
    projectCase,
    recordNotice,
    // Each write dead-letters on its own, as when they were separate activities: one refused notice
    // does not hold back the others or the projection. A retry rewrites nothing (their keys).
    recordChange: async ({ caseId, notices, projection, events }) => {
      for (const notice of notices) await recordNotice({ caseId, notice });
      if (projection && events && events.length > 0) await projectCase({ projection, events });
    },
    findLeaders: redacted((input) => findLeaders(db, input)),
    calendarYears: redacted((years) => loadCalendarYears(db, years)),
    sampleClosedCases: redacted((input) => sampleClosedCases(db, input)),
  };
}
