import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planEmailDeliveries } from '../db/deliveries';
import { storeNotice } from '../db/notices';
import { smtpMailer } from '../lib/mailer';
import { assignedCase, credentials, keys, startApiHarness, type ApiHarness } from './helpers/api';
import { addPerson, eventually, type Person } from './helpers/people';
import { freePort } from './helpers/ports';
import { LocalSmtp, ownUnit, type Received } from './helpers/smtp';
import type { Unit } from '../workflows/model';

interface NoticeOut {
  id: string;
  kind: string;
  text: string;
  deliveries: { channel: string; to: string | null; status: string; attempts: number; lastError: string | null }[];
}

let smtp: LocalSmtp;
let h: ApiHarness;
let officer: Person;
/** Units of this file's own: their notices go to this file's people only. */
let nancheng: Unit;
let dongcheng: Unit;

beforeAll(async () => {
  smtp = new LocalSmtp(await freePort());
  await smtp.start();
  h = await startApiHarness('notice-delivery', {
    // Retries a second apart at most, so an outage of a few seconds is waited out within the test.
    delivery: {
      mailer: smtpMailer(`smtp://127.0.0.1:${smtp.port}`, '环境信访 <noreply@hbj.test>'),
      retry: { initialInterval: '200 ms', maximumInterval: '1 second', giveUpAfter: '1 minute' },
    },
  });
  nancheng = await ownUnit(h.database.db, 'delivery-nancheng', 'nancheng');
  dongcheng = await ownUnit(h.database.db, 'delivery-dongcheng', 'dongcheng');
  officer = await addPerson(h.database.db, { name: '南城值班员', roles: ['unit'], unitId: nancheng.id, email: `nancheng-${process.pid}@hbj.test` });
});

afterAll(async () => {
  await h?.close();
  await smtp?.stop();
});

async function assignmentNotice(id: string): Promise<NoticeOut | undefined> {
  const response = await h.app.inject({ method: 'GET', url: `/complaints/${id}/notices`, headers: credentials(keys.supervisor) });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ notices: NoticeOut[] }>().notices.find((n) => n.kind === 'assignment');
}

const mentioning = (id: string) => (r: Received) => r.mail.subject?.includes(id) ?? false;

describe('notices e-mailed over SMTP', () => {
  it("e-mails the assignment to the unit's people, in Chinese, and shows it sent on the case's notices", async () => {
    const id = await assignedCase(h.app, nancheng);
    const [mail] = await eventually(
      async () => smtp.to(officer.email!).filter(mentioning(id)),
      (found) => found.length > 0,
      'the assignment e-mail',
    );
    const notice = await eventually(
      () => assignmentNotice(id),
      (n) => n?.deliveries[0]?.status === 'sent',
      'the delivery marked sent',
    );
    expect(mail!.mail.subject).toBe(`【环境信访】交办通知（编号 ${id}）`);
    expect(mail!.mail.from?.value).toEqual([{ name: '环境信访', address: 'noreply@hbj.test' }]);
    expect(mail!.mail.text?.trim()).toBe(notice!.text);
    expect(notice!.text).toContain(id);
    expect(notice!.deliveries).toEqual([{ channel: 'email', to: officer.id, status: 'sent', attempts: 1, lastError: null, updatedAt: expect.any(String) }]);
    // The complainant has no account: the acceptance notice is not e-mailed.
    const all = (await h.app.inject({ method: 'GET', url: `/complaints/${id}/notices`, headers: credentials(keys.supervisor) })).json<{
      notices: NoticeOut[];
    }>();
    expect(all.notices.find((n) => n.kind === 'acceptance')?.deliveries).toEqual([]);
  });

  it('keeps a notice through an SMTP outage and sends it once, when the server is back', async () => {
    await smtp.stop();
    const id = await assignedCase(h.app, nancheng);
    // Tried and tried again while the server is away, the reason on record.
    const waiting = await eventually(
      () => assignmentNotice(id),
      (n) => (n?.deliveries[0]?.attempts ?? 0) >= 2,
      'two attempts during the outage',
    );
    expect(waiting!.deliveries[0]).toMatchObject({ status: 'queued', lastError: expect.stringContaining('ECONNREFUSED') });
    await smtp.start();
    await eventually(
      () => assignmentNotice(id),
      (n) => n?.deliveries[0]?.status === 'sent',
      'the delivery sent after the outage',
    );
    expect(smtp.to(officer.email!).filter(mentioning(id))).toHaveLength(1);
  });

  it('gives a refused mailbox up at once, failed with the reason, and lists it for ops', async () => {
    const refused = await addPerson(h.database.db, { name: '东城值班员', roles: ['unit'], unitId: dongcheng.id, email: `gone-${process.pid}@hbj.test` });
    smtp.refused.add(refused.email!);
    const id = await assignedCase(h.app, dongcheng, 'dongcheng');
    const notice = await eventually(
      () => assignmentNotice(id),
      (n) => n?.deliveries[0]?.status === 'failed',
      'the delivery given up',
    );
    expect(notice!.deliveries[0]).toMatchObject({ to: refused.id, attempts: 1, lastError: expect.stringContaining('550') });
    expect(smtp.to(refused.email!)).toHaveLength(0);
    const listed = await h.app.inject({ method: 'GET', url: '/deliveries/failed', headers: credentials(keys.ops) });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json<{ items: { noticeId: string }[] }>().items.find((d) => d.noticeId === notice!.id)).toMatchObject({
      caseId: id,
      accountId: refused.id,
      address: refused.email,
      attempts: 1,
      lastError: expect.stringContaining('550'),
    });
  });
});

describe('a notice the provider never takes', () => {
  let away: ApiHarness;
  beforeAll(async () => {
    // Nothing listens on this port: every attempt is refused, until the delivery is given up.
    away = await startApiHarness('notice-delivery-away', {
      delivery: {
        mailer: smtpMailer(`smtp://127.0.0.1:${await freePort()}`, 'noreply@hbj.test'),
        retry: { initialInterval: '200 ms', maximumInterval: '500 ms', giveUpAfter: '2 seconds' },
      },
    });
  });
  afterAll(() => away?.close());

  it('is given up after its time, failed with the reason, the case unaffected', async () => {
    const id = await assignedCase(away.app, nancheng);
    const read = async () =>
      (await away.app.inject({ method: 'GET', url: `/complaints/${id}/notices`, headers: credentials(keys.supervisor) }))
        .json<{ notices: NoticeOut[] }>()
        .notices.find((n) => n.kind === 'assignment');
    const notice = await eventually(read, (n) => n?.deliveries.find((d) => d.to === officer.id)?.status === 'failed', 'the delivery given up');
    const delivery = notice!.deliveries.find((d) => d.to === officer.id)!;
    expect(delivery.attempts).toBeGreaterThanOrEqual(2);
    // Given up when the next wait would pass its time; the server's last answer is kept beside why.
    expect(delivery.lastError).toContain('ECONNREFUSED');
    const view = await away.app.inject({ method: 'GET', url: `/complaints/${id}`, headers: credentials(keys.supervisor) });
    expect(view.json<{ status: string }>().status).toBe('assigned');
  });
});

describe("a notice to a district's registrars", () => {
  it('is planned for the registrars whose unit covers the district, each with an address', async () => {
    const { db } = h.database;
    const district = `d-${process.pid}`;
    const covering = await ownUnit(db, 'delivery-covering', district);
    const elsewhere = await ownUnit(db, 'delivery-elsewhere', `${district}-other`);
    const near = await addPerson(db, { name: '本区登记员', roles: ['registrar'], unitId: covering.id, email: `near-${process.pid}@hbj.test` });
    await addPerson(db, { name: '外区登记员', roles: ['registrar'], unitId: elsewhere.id, email: `far-${process.pid}@hbj.test` });
    await addPerson(db, { name: '无邮箱登记员', roles: ['registrar'], unitId: covering.id });
    const id = `registrars-${process.pid}`;
    await storeNotice(db, { id, caseId: `case-${process.pid}`, kind: 'supervision', recipient: `registrars-of:${district}`, text: '【督办】', addressees: [] });
    expect(await planEmailDeliveries(db, id)).toEqual([`${id}|email|${near.email!}`]);
    // Planned once: asked again (a retried activity), it adds nothing.
    expect(await planEmailDeliveries(db, id)).toEqual([`${id}|email|${near.email!}`]);
  });
});
