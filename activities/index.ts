import { loadCalendarYears } from '../db/calendar';
import type { Db } from '../db/client';
import { redactDbError } from '../db/errors';
import { findLeaders } from '../db/leaders';
import { sampleClosedCases } from '../db/spot-checks';
import type { CaseActivities } from '../workflows/activities';
import type { DeliveryActivities } from '../workflows/delivery';
import type { WebhookActivities } from '../workflows/webhooks';
import { writeOrDeadLetter } from './dead-letters';
import { deliveryActivities, startDelivery, type DeliveryDeps } from './delivery';
import { webhookActivities } from './webhooks';

/** Rethrows a failed query without its SQL parameters, which would otherwise enter the history. */
const redacted =
  <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
  (...args: A): Promise<R> =>
    fn(...args).catch((err: unknown) => {
      throw redactDbError(err);
    });

/**
 * The worker's activities: thin adapters from the workflows' contract to db/. With `delivery`
 * (SMTP_URL set), each notice stored is then delivered by a workflow of its own.
 */
export function createActivities({ db }: { db: Db }, delivery?: DeliveryDeps): CaseActivities & Partial<DeliveryActivities> & WebhookActivities {
  const projectCase: CaseActivities['projectCase'] = (input) =>
    writeOrDeadLetter(db, {
      activity: 'projectCase',
      key: `${input.projection.id}:${Math.max(...input.events.map((e) => e.seq))}`,
      caseId: input.projection.id,
      input,
    });
  const recordNotice: CaseActivities['recordNotice'] = async (input) => {
    await writeOrDeadLetter(db, { activity: 'recordNotice', key: input.notice.key, caseId: input.caseId, input });
    // The complainant has no account to e-mail: no delivery to start (until notices reach them by SMS).
    if (delivery && input.notice.recipient !== 'complainant') await startDelivery(input.notice.key, delivery.retry);
  };
  return {
    ...(delivery ? deliveryActivities(db, delivery) : {}),
    ...webhookActivities(db),
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
