import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSmsTemplateVersion } from '../db/sms-templates';
import { tencentSms } from '../lib/sms';
import { credentials, keys, startApiHarness, submission, type ApiHarness } from './helpers/api';
import { addPerson, eventually, signIn } from './helpers/people';
import { freePort } from './helpers/ports';
import { LocalSmsGateway, type Texted } from './helpers/sms-gateway';

interface DeliveryOut {
  channel: string;
  to: string | null;
  status: string;
  attempts: number;
  lastError: string | null;
}
interface NoticeOut {
  id: string;
  kind: string;
  deliveredAt: string | null;
  deliveries: DeliveryOut[];
}

const account = {
  secretId: 'AKIDtest',
  secretKey: 'test-secret-key',
  appId: '1400000001',
  signName: '南城生态环境局',
  templates: { 'T-1001': 2, 'T-1002': 2 },
};

let gateway: LocalSmsGateway;
let h: ApiHarness;
/** A phone of this run's own, so what the gateway received is this file's. */
let nextPhone = 0;
const phone = () => `139${String(process.pid % 10_000).padStart(4, '0')}${String(nextPhone++).padStart(4, '0')}`;

beforeAll(async () => {
  gateway = new LocalSmsGateway(await freePort(), account);
  await gateway.start();
  h = await startApiHarness('sms-delivery', {
    delivery: {
      sms: tencentSms({
        url: gateway.url,
        secretId: account.secretId,
        secretKey: account.secretKey,
        appId: account.appId,
        signName: account.signName,
        region: 'ap-guangzhou',
        agent: gateway.agent,
      }),
      // Retries a second apart at most, so an outage of a few seconds is waited out within the test.
      retry: { initialInterval: '200 ms', maximumInterval: '1 second', giveUpAfter: '1 minute' },
    },
  });
  // The acceptance, approved at the gateway as T-1001 (the wording the migration brought is not).
  await addSmsTemplateVersion(h.database.db, {
    kind: 'acceptance',
    text: '您反映的问题（编号{1}）已受理，我们将于{2}前交办处理。',
    params: ['caseId', 'dispatchDueAt'],
    providerTemplateId: 'T-1001',
    effectiveFrom: new Date('2026-01-01T00:00:00Z'),
    createdBy: 'sms-delivery.test',
  });
});

afterAll(async () => {
  await h?.close();
  await gateway?.stop();
});

/** A case the registrar registers for a complainant who called in, and accepts. */
async function acceptedCase(complainant: Record<string, unknown>, by: string = keys.registrar): Promise<string> {
  const registered = await h.app.inject({
    method: 'POST',
    url: '/complaints',
    headers: credentials(by),
    payload: submission({ channel: 'phone', complainant }),
  });
  expect(registered.statusCode, registered.body).toBe(201);
  const id = registered.json<{ id: string }>().id;
  const accepted = await h.app.inject({ method: 'POST', url: `/complaints/${id}/accept`, headers: credentials(keys.registrar), payload: {} });
  expect(accepted.statusCode, accepted.body).toBe(200);
  return id;
}

async function acceptance(id: string): Promise<NoticeOut | undefined> {
  const response = await h.app.inject({ method: 'GET', url: `/complaints/${id}/notices`, headers: credentials(keys.supervisor) });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ notices: NoticeOut[] }>().notices.find((n) => n.kind === 'acceptance');
}

const settled = (n: NoticeOut | undefined) => n?.deliveries[0] !== undefined && n.deliveries[0].status !== 'queued';
const about = (id: string) => (t: Texted) => t.values[0] === id;

describe('notices texted to the complainant', () => {
  it('texts the acceptance through the gateway with a valid signature, the approved template and the facts in Chinese', async () => {
    const number = phone();
    const id = await acceptedCase({ anonymous: false, name: '赵六', phone: `+86 ${number.slice(0, 3)}-${number.slice(3, 7)}-${number.slice(7)}` });
    const [text] = await eventually(
      async () => gateway.texted.filter(about(id)),
      (found) => found.length > 0,
      'the acceptance texted',
    );
    expect(text).toEqual({
      phone: `+86${number}`,
      templateId: 'T-1001',
      values: [id, expect.stringMatching(/^\d{4}年\d{1,2}月\d{1,2}日(24时|\d{2}:\d{2})$/)],
      signName: account.signName,
      reference: expect.stringContaining(id),
    });
    const notice = await eventually(() => acceptance(id), settled, 'the delivery marked sent');
    const masked = `${number.slice(0, 3)}****${number.slice(-4)}`;
    expect(notice!.deliveries).toEqual([{ channel: 'sms', to: masked, status: 'sent', attempts: 1, lastError: null, updatedAt: expect.any(String) }]);
    expect(notice!.deliveredAt).toEqual(expect.any(String));
    // The number itself is nowhere in Postgres: only in the workflows' encrypted payloads.
    const { rows } = await h.database.db.execute(
      sql`select count(*)::int as n from notice_deliveries d join notices n on n.id = d.notice_id where d.address like ${`%${number}%`} or n.text like ${`%${number}%`}`,
    );
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('keeps the text through a gateway outage and sends it once when the gateway is back', async () => {
    await gateway.stop();
    const id = await acceptedCase({ anonymous: false, name: '钱七', phone: phone() });
    const waiting = await eventually(
      () => acceptance(id),
      (n) => (n?.deliveries[0]?.attempts ?? 0) >= 2,
      'attempts while the gateway is away',
    );
    expect(waiting!.deliveries[0]).toMatchObject({ status: 'queued', lastError: expect.stringMatching(/ECONNREFUSED/) });
    await gateway.start();
    const sent = await eventually(() => acceptance(id), settled, 'the delivery sent after the outage');
    expect(sent!.deliveries[0]).toMatchObject({ status: 'sent', lastError: null });
    expect(gateway.texted.filter(about(id))).toHaveLength(1);
  });

  it('gives a text up at once when the gateway refuses the signature, and lists it for ops', async () => {
    gateway.account = { ...account, secretKey: 'rotated-at-the-gateway' };
    try {
      const id = await acceptedCase({ anonymous: false, name: '孙八', phone: phone() });
      const failed = await eventually(() => acceptance(id), settled, 'the delivery given up');
      expect(failed!.deliveries[0]).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringContaining('AuthFailure.SignatureFailure') });
      const list = await h.app.inject({ method: 'GET', url: '/deliveries/failed', headers: credentials(keys.ops) });
      expect(list.json<{ items: { caseId: string; channel: string }[] }>().items).toContainEqual(expect.objectContaining({ caseId: id, channel: 'sms' }));
    } finally {
      gateway.account = account;
    }
  });

  it('fails what cannot be texted with why, and texts no complainant a platform answers or who stays anonymous', async () => {
    const landline = await acceptedCase({ anonymous: false, name: '周九', phone: '010-6512 3456' });
    const byPlatform = await acceptedCase({ anonymous: false, name: '吴十', phone: phone() }, keys.integrator);
    const anonymous = await acceptedCase({ anonymous: true });
    const failed = await eventually(() => acceptance(landline), settled, 'the landline failed');
    expect(failed!.deliveries).toEqual([
      expect.objectContaining({ channel: 'sms', to: '（无手机号码）', status: 'failed', attempts: 0, lastError: '联系电话不是手机号码，无法发送短信' }),
    ]);
    expect(failed!.deliveredAt).toBeNull();
    expect((await acceptance(byPlatform))!.deliveries).toEqual([]);
    expect(await acceptance(anonymous)).toBeUndefined();
    expect(gateway.texted.filter((t) => t.values[0] === byPlatform)).toEqual([]);
  });

  it('refuses a request whose signature is wrong (the stand-in checks what it claims to)', async () => {
    const body = JSON.stringify({
      PhoneNumberSet: ['+8613900000000'],
      SmsSdkAppId: account.appId,
      SignName: account.signName,
      TemplateId: 'T-1001',
      TemplateParamSet: ['a', 'b'],
    });
    const request = {
      method: 'POST',
      url: '/',
      headers: { host: 'sms.tencentcloudapi.com', 'content-type': 'application/json', 'x-tc-timestamp': String(Math.floor(Date.now() / 1000)) },
    };
    const date = new Date().toISOString().slice(0, 10);
    const forged = `TC3-HMAC-SHA256 Credential=${account.secretId}/${date}/sms/tc3_request, SignedHeaders=content-type;host, Signature=${'0'.repeat(64)}`;
    expect(gateway.signatureProblem({ ...request, headers: { ...request.headers, authorization: forged } }, body)).toBe('the signature does not match');
    expect(gateway.signatureProblem({ ...request, headers: { ...request.headers, authorization: forged.replace('/sms/', '/cvm/') } }, body)).toBe(
      'the credential scope names service cvm',
    );
  });
});

describe('SMS templates', () => {
  it('adds versions an admin words, refuses a wording whose variables do not match its facts, and lists them for ops', async () => {
    const admin = await addPerson(h.database.db, { name: '模板管理员', roles: ['admin'] });
    const cookie = await signIn(h.app, admin);
    const wording = { kind: 'result_reply', text: '您反映的问题（编号{1}）已办结：{2}。', params: ['caseId', 'finding'], providerTemplateId: 'T-1002' };
    const added = await h.app.inject({ method: 'POST', url: '/sms-templates', headers: cookie, payload: wording });
    expect(added.statusCode, added.body).toBe(201);
    const next = await h.app.inject({ method: 'POST', url: '/sms-templates', headers: cookie, payload: wording });
    expect(next.json<{ version: number }>().version).toBe(added.json<{ version: number }>().version + 1);
    const mismatched = await h.app.inject({ method: 'POST', url: '/sms-templates', headers: cookie, payload: { ...wording, params: ['caseId'] } });
    expect(mismatched.statusCode).toBe(400);
    expect(mismatched.json<{ errors: { field: string }[] }>().errors).toEqual([expect.objectContaining({ field: 'params' })]);
    const byOps = await h.app.inject({ method: 'POST', url: '/sms-templates', headers: credentials(keys.ops), payload: wording });
    expect(byOps.statusCode).toBe(403);
    const list = await h.app.inject({ method: 'GET', url: '/sms-templates', headers: credentials(keys.ops) });
    expect(list.json<{ items: { kind: string; providerTemplateId: string | null }[] }>().items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'result_reply', providerTemplateId: 'T-1002' }),
        expect.objectContaining({ kind: 'transferred', providerTemplateId: null }),
      ]),
    );
  });
});
