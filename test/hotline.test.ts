import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultHotlineMapping } from '../lib/hotline';
import { credentials, keys, startApiHarness, type ApiHarness } from './helpers/api';
import { unitA } from './helpers/cases';
import { eventually } from './helpers/people';

/** What the stand-in platform was told of one work order, in order. */
type Feedback = Record<string, string>;

const steps = new Set(['签收', '办结', '回访']);
const satisfactions = new Set(['满意', '基本满意', '不满意', '联系不上']);

/**
 * A local stand-in of a 12345 platform's work-order exchange: it hands work orders over to the
 * service over HTTP with its API key, and takes the feedback (反馈) on its own endpoint, where it
 * checks what its contract asks: a signature it verifies with an off-the-shelf Standard Webhooks
 * library, a work order it handed over, a step it knows, a time as it writes times, and what each
 * step must carry. It answers as such platforms do: `{"code":0}`, or a 400 naming the fault.
 */
class HotlinePlatform {
  secret = '';
  readonly feedback = new Map<string, Feedback[]>();
  readonly faults: string[] = [];
  private readonly handedOver = new Set<string>();
  private server: Server | undefined;
  url = '';

  constructor(private readonly api: string) {}

  async handOver(order: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
    this.handedOver.add(order['工单号'] ?? '');
    const response = await fetch(`${this.api}/hotline/work-orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.integrator}`, 'content-type': 'application/json' },
      body: JSON.stringify(order),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  private fault(body: Feedback): string | undefined {
    const no = body['工单号'] ?? '';
    if (!this.handedOver.has(no)) return `unknown 工单号 ${no}`;
    if (!steps.has(body['办理环节'] ?? '')) return `unknown 办理环节 ${body['办理环节']}`;
    if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(body['办理时间'] ?? '')) return `办理时间 ${body['办理时间']} is not yyyy-MM-dd HH:mm:ss`;
    if (body['办理环节'] === '办结' && (!body['办理结果'] || !body['承办单位'])) return '办结 needs 办理结果 and 承办单位';
    if (body['办理环节'] === '回访' && !satisfactions.has(body['回访结果'] ?? ''))
      return `回访结果 ${body['回访结果']} is not one of ${[...satisfactions].join('/')}`;
    return undefined;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      request.on('end', () => {
        const answer = (status: number, code: number, msg: string) =>
          response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ code, msg }));
        let body: Feedback;
        try {
          body = new Webhook(this.secret).verify(raw, request.headers as Record<string, string>) as Feedback;
        } catch (err) {
          this.faults.push(`signature: ${(err as Error).message}`);
          return answer(401, 1, '验签失败');
        }
        const fault = this.fault(body);
        if (fault) {
          this.faults.push(fault);
          return answer(400, 1, fault);
        }
        const no = body['工单号']!;
        this.feedback.set(no, [...(this.feedback.get(no) ?? []), body]);
        answer(200, 0, '成功');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/workorder/feedback`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

let h: ApiHarness;
let platform: HotlinePlatform;
let n = 0;
const workOrder = (overrides: Record<string, string> = {}) => ({
  工单号: `GD${process.pid}${Date.now()}${n++}`,
  来电人: '王女士',
  联系方式: '13800001111',
  诉求内容: '小区旁工地夜间施工，噪声扰民，影响休息',
  地址: `南城区幸福路 ${n} 号工地 ${process.pid}-${Date.now()}`,
  所属区县: 'nancheng',
  诉求类型: '噪声扰民',
  办理时限: '2026-12-20',
  ...overrides,
});

beforeAll(async () => {
  h = await startApiHarness('hotline', { env: { WEBHOOK_POLL_MS: '200' } });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  platform = new HotlinePlatform(`http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`);
  await platform.start();
  const subscribed = await h.app.inject({
    method: 'PUT',
    url: `/webhooks/hotline-${process.pid}`,
    headers: credentials(keys.integrator),
    payload: { url: platform.url, format: 'hotline' },
  });
  expect(subscribed.statusCode, subscribed.body).toBe(201);
  platform.secret = subscribed.json<{ secret: string }>().secret;
});

afterAll(async () => {
  await h?.close();
  await platform?.stop();
});

const act = async (id: string, path: string, key: string, payload: Record<string, unknown>) => {
  const response = await h.app.inject({ method: 'POST', url: `/complaints/${id}/${path}`, headers: credentials(key), payload });
  expect(response.statusCode, response.body).toBe(200);
};

describe('hotline work orders (12345)', () => {
  it('registers a work order once per number, and tells the platform 签收, 办结 and 回访 as its contract asks', async () => {
    const order = workOrder();
    const first = await platform.handOver(order);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const id = first.body.id as string;
    expect(first.body.queryCode).toMatch(/^[A-Z2-9]{8}$/);
    const again = await platform.handOver(order);
    expect(again).toMatchObject({ status: 200, body: { id } });
    const changed = await platform.handOver({ ...order, 诉求内容: '另一件事' });
    expect(changed.status).toBe(409);

    const view = await h.app.inject({ method: 'GET', url: `/complaints/${id}`, headers: credentials(keys.registrar) });
    expect(view.json()).toMatchObject({
      complaint: {
        channel: 'hotline_12345',
        category: 'noise',
        description: `【噪声扰民】${order.诉求内容}`,
        workOrder: { number: order.工单号, dueAt: '2026-12-20' },
      },
    });

    await act(id, 'accept', keys.registrar, {});
    await act(id, 'assign', keys.registrar, { unit: unitA });
    await act(id, 'result', keys.unitA, { finding: 'substantiated', actions: ['order_to_rectify'], reply: '经核查，该工地已停止夜间施工。' });
    await act(id, 'callbacks', keys.registrar, { outcome: 'satisfied' });

    const told = await eventually(
      async () => platform.feedback.get(order.工单号) ?? [],
      (list) => list.length === 3,
      'the three steps at the platform',
    );
    expect(platform.faults).toEqual([]);
    expect(told.map((f) => f['办理环节'])).toEqual(['签收', '办结', '回访']);
    expect(told[1]).toMatchObject({ 承办单位: unitA.name, 办理结果: '经核查，该工地已停止夜间施工。' });
    expect(told[2]).toMatchObject({ 回访结果: '满意' });
  });

  it("refuses a work order that lacks what the platform must send, naming the platform's fields", async () => {
    const { 诉求内容: _content, ...withoutContent } = workOrder();
    const refused = await platform.handOver({ ...withoutContent, 联系方式: '请拨打 138' });
    expect(refused.status).toBe(400);
    expect((refused.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['诉求内容']);
    // A NUL in the number (the registration's key) is refused naming the field, not stored (was a 500).
    const nul = await platform.handOver(workOrder({ 工单号: 'GD\u0000-1' }));
    expect(nul.status).toBe(400);
    expect((nul.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['工单号']);
    const badContact = await platform.handOver(workOrder({ 联系方式: '请拨打 138' }));
    expect(badContact.status).toBe(400);
    expect((badContact.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['联系方式']);
  });
});

describe('hotline work orders (12369)', () => {
  it('come by the channel of the platform the mapping names', async () => {
    const h12369 = await startApiHarness('hotline-12369', { hotline: { ...defaultHotlineMapping, channel: 'hotline_12369' } });
    try {
      const order = workOrder({ 诉求类型: '异味' });
      const response = await h12369.app.inject({ method: 'POST', url: '/hotline/work-orders', headers: credentials(keys.integrator), payload: order });
      expect(response.statusCode, response.body).toBe(201);
      const view = await h12369.app.inject({ url: `/complaints/${response.json().id as string}`, headers: credentials(keys.supervisor) });
      expect(view.json().complaint).toMatchObject({ channel: 'hotline_12369', category: 'odour', workOrder: { number: order.工单号 } });
    } finally {
      await h12369.close();
    }
  });
});
