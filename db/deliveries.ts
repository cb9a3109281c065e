import { and, desc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import { noticeKindZh } from '../lib/labels-zh';
import type { NoticeKind } from '../workflows/model';
import type { Db } from './client';
import { jurisdictionOf } from './organisation';
import { smsTemplateAt } from './sms-templates';
import { accounts, noticeDeliveries, notices } from './schema';

export type Delivery = typeof noticeDeliveries.$inferSelect;

/**
 * The people a notice is meant for, by account id, as of now (delivery time): the people its
 * recipient stood for when it was made where that was resolved then (a duty, a unit's superior),
 * otherwise who holds the named place now. The complainant is nobody's account: none here.
 */
export async function peopleFor(db: Db, notice: { recipient: string; addressees: string[] }): Promise<string[]> {
  if (notice.addressees.length > 0) return notice.addressees;
  const [kind, name = ''] = notice.recipient.split(/:(.*)/s) as [string, string?];
  const withRole = (role: string) => sql`${accounts.roles} @> ${JSON.stringify([role])}::jsonb`;
  let where: SQL | undefined;
  switch (kind) {
    case 'registrar':
    case 'leader':
      return [name];
    case 'unit':
      where = and(eq(accounts.unitId, name), withRole('unit'));
      break;
    case 'supervisor':
      where = withRole('supervisor');
      break;
    case 'registrars-of': {
      // The registrars whose unit's jurisdiction holds the district (one without a unit sees all).
      const registrars = await db
        .select({ id: accounts.id, unitId: accounts.unitId })
        .from(accounts)
        .where(and(withRole('registrar'), eq(accounts.active, true)))
        .orderBy(accounts.id);
      const seeing = new Set<string>();
      for (const unitId of new Set(registrars.map((r) => r.unitId))) {
        if (unitId === null) continue;
        const jurisdiction = await jurisdictionOf(db, unitId);
        if (jurisdiction === 'all' || jurisdiction?.includes(name)) seeing.add(unitId);
      }
      return registrars.filter((r) => r.unitId === null || seeing.has(r.unitId)).map((r) => r.id);
    }
    default:
      return [];
  }
  const rows = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(where, eq(accounts.active, true)))
    .orderBy(accounts.id);
  return rows.map((r) => r.id);
}

/**
 * Plans a notice's e-mails, and those of the roster-gap alert stored with it (`<id>:roster_gap`):
 * one delivery per person each is meant for who has an address, queued. Planned once: a second
 * call (a retried activity) adds none. Answers their deliveries still queued.
 */
export async function planEmailDeliveries(db: Db, noticeId: string): Promise<string[]> {
  const ids = [noticeId, `${noticeId}:roster_gap`];
  const now = new Date();
  for (const notice of await db.select().from(notices).where(inArray(notices.id, ids))) {
    const people = await peopleFor(db, notice);
    if (people.length === 0) continue;
    const reachable = await db
      .select({ id: accounts.id, email: accounts.email })
      .from(accounts)
      .where(and(inArray(accounts.id, people), eq(accounts.active, true), isNotNull(accounts.email)));
    if (reachable.length === 0) continue;
    await db
      .insert(noticeDeliveries)
      .values(
        reachable.map(({ id, email }) => ({
          id: `${notice.id}|email|${email!}`,
          noticeId: notice.id,
          caseId: notice.caseId,
          channel: 'email' as const,
          accountId: id,
          address: email!,
          status: 'queued' as const,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .onConflictDoNothing();
  }
  const queued = await db
    .select({ id: noticeDeliveries.id })
    .from(noticeDeliveries)
    .where(and(inArray(noticeDeliveries.noticeId, ids), eq(noticeDeliveries.status, 'queued')))
    .orderBy(noticeDeliveries.id);
  return queued.map((r) => r.id);
}

/**
 * Plans a notice's SMS to the complainant, once: queued with the version of its kind's template in
 * force when the notice was made, or, when it cannot go (no such notice, no template approved at
 * the gateway, no mobile number), failed at once with why, for ops to reach them another way.
 * Answers the delivery when it is queued.
 */
export async function planSmsDelivery(db: Db, noticeId: string, mobile: string | undefined): Promise<string[]> {
  const [notice] = await db.select().from(notices).where(eq(notices.id, noticeId));
  if (!notice) return [];
  const template = await smsTemplateAt(db, notice.kind, notice.createdAt);
  const address = mobile ? `${mobile.slice(0, 3)}****${mobile.slice(-4)}` : '（无手机号码）';
  const cannot = !mobile
    ? '联系电话不是手机号码，无法发送短信'
    : !template
      ? `没有“${noticeKindZh[notice.kind as NoticeKind] ?? notice.kind}”的短信模板`
      : !template.providerTemplateId
        ? `短信模板第 ${template.version} 版尚未报备通过（没有模板 ID）`
        : undefined;
  const id = `${notice.id}|sms|${address}`;
  const now = new Date();
  await db
    .insert(noticeDeliveries)
    .values({
      id,
      noticeId,
      caseId: notice.caseId,
      channel: 'sms',
      address,
      templateVersion: template?.version ?? null,
      status: cannot ? 'failed' : 'queued',
      lastError: cannot ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing();
  const [planned] = await db.select({ status: noticeDeliveries.status }).from(noticeDeliveries).where(eq(noticeDeliveries.id, id));
  return planned?.status === 'queued' ? [id] : [];
}

/** A delivery with the notice it carries. */
export async function deliveryWithNotice(db: Db, id: string) {
  const [row] = await db
    .select({ delivery: noticeDeliveries, notice: notices })
    .from(noticeDeliveries)
    .innerJoin(notices, eq(notices.id, noticeDeliveries.noticeId))
    .where(eq(noticeDeliveries.id, id));
  return row;
}

/**
 * Counts an attempt and what it ended with: sent (with the provider's id), or the error, still
 * queued. The first delivery sent marks its notice delivered.
 */
export async function recordAttempt(db: Db, id: string, outcome: { sent: string } | { error: string }): Promise<void> {
  if ('sent' in outcome) {
    await db
      .update(notices)
      .set({ deliveredAt: sql`coalesce(${notices.deliveredAt}, now())` })
      .where(eq(notices.id, sql`(select ${noticeDeliveries.noticeId} from ${noticeDeliveries} where ${noticeDeliveries.id} = ${id})`));
  }
  await db
    .update(noticeDeliveries)
    .set({
      attempts: sql`${noticeDeliveries.attempts} + 1`,
      updatedAt: new Date(),
      ...('sent' in outcome ? { status: 'sent' as const, providerId: outcome.sent, lastError: null } : { lastError: outcome.error }),
    })
    .where(and(eq(noticeDeliveries.id, id), eq(noticeDeliveries.status, 'queued')));
}

/** Gives a queued delivery up: failed, with why, and the provider's last answer when that says more; one already sent stays sent. */
export async function failDelivery(db: Db, id: string, reason: string): Promise<void> {
  await db
    .update(noticeDeliveries)
    .set({ status: 'failed', lastError: sql`concat_ws(' — ', ${reason}::text, nullif(${noticeDeliveries.lastError}, ${reason}::text))`, updatedAt: new Date() })
    .where(and(eq(noticeDeliveries.id, id), eq(noticeDeliveries.status, 'queued')));
}

/** A case's deliveries, oldest first. */
export function deliveriesOf(db: Db, caseId: string): Promise<Delivery[]> {
  return db.select().from(noticeDeliveries).where(eq(noticeDeliveries.caseId, caseId)).orderBy(noticeDeliveries.createdAt, noticeDeliveries.id);
}

/** Deliveries given up, newest first: what ops follow up. */
export function failedDeliveries(db: Db, limit = 200): Promise<Delivery[]> {
  return db.select().from(noticeDeliveries).where(eq(noticeDeliveries.status, 'failed')).orderBy(desc(noticeDeliveries.updatedAt)).limit(limit);
}
