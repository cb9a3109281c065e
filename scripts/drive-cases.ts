/**
 * Cases driven through their lifecycle over the HTTP API, as the fault scripts do it
 * (`npm run fault` against `npm start`, `npm run test:cluster` against the cluster): calls retried
 * on a 5xx or a cut connection, each retry sent to the next API instance as a load balancer
 * would, steps that count where a case ends up rather than what one answer said, and the closing
 * checks that nothing was lost or duplicated.
 */
import { execFileSync } from 'node:child_process';
import type pg from 'pg';
import { allComplaintRows, closedEventsByCase } from '../db/checks';
import { projectRoot } from '../lib/temporal-binaries';

export interface CaseView {
  id: string;
  status: string;
  timeline?: { kind: string; at: string }[];
}

/** One step: the action's path, the caller who takes it, its body, the status it leads to. */
export type Step = [string, string, object, string];

const unit = { id: 'unit-a', name: '南城分局', level: 'district' };
export const firstSteps: Step[] = [
  ['accept', 'registrar', {}, 'accepted'],
  ['assign', 'registrar', { unit }, 'assigned'],
];
export const lastSteps: Step[] = [
  ['acknowledge', 'officer-a', {}, 'in_progress'],
  ['result', 'officer-a', { finding: 'substantiated', actions: ['order_to_rectify'], reply: '已责令整改' }, 'callback'],
  ['callbacks', 'registrar', { outcome: 'satisfied' }, 'closed'],
];

/** A complaint of its own place and polluter, so none is merged into another as a repeat. */
export function complaintBody(tag: string, n: number): object {
  return {
    externalId: `${tag}-${n}`,
    channel: 'hotline_12345',
    category: 'noise',
    description: `故障演练案件 ${n}`,
    location: { address: `演练路 ${n} 号`, district: 'nancheng', lat: 30 + n / 100, lng: 120 + n / 100 },
    polluter: `演练企业 ${tag}-${n}`,
    complainant: { anonymous: false, name: '李四', phone: '13900000000' },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class CaseDriver {
  /** Calls answered 5xx or cut, and sent again. */
  retried = 0;
  private next = 0;

  constructor(
    private readonly target: { apis: () => string[]; credentials: () => Record<string, Record<string, string>> },
    private readonly limits: { attempts: number; deadline: number },
  ) {}

  /** One HTTP call, retried (bounded) on 5xx and connection errors, each time at the next API; the last answer. */
  async call(keyId: string, method: string, route: string, body?: object): Promise<{ status: number; json: CaseView }> {
    for (let attempt = 1; ; attempt += 1) {
      if (Date.now() > this.limits.deadline) throw new Error(`out of time at ${method} ${route}`);
      const apis = this.target.apis();
      const api = apis[this.next++ % apis.length];
      try {
        const response = await fetch(`${api}${route}`, {
          method,
          headers: { ...this.target.credentials()[keyId], ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(30_000),
        });
        const json = (await response.json()) as CaseView;
        if (response.status < 500 || attempt >= this.limits.attempts) return { status: response.status, json };
      } catch (err) {
        if (attempt >= this.limits.attempts) throw err;
      }
      this.retried += 1;
      await sleep(1_000);
    }
  }

  /** Registers a complaint; its id. */
  async register(body: object): Promise<string> {
    const created = await this.call('integrator', 'POST', '/complaints', body);
    if (created.status !== 201 && created.status !== 200) throw new Error(`intake: ${created.status} ${JSON.stringify(created.json)}`);
    return created.json.id;
  }

  /**
   * Takes a step unless the case is there already: a call answered 503 may have been applied, and
   * the retry then answers 409 (issue 12, item 3). What counts is where the case ends up.
   */
  async step(id: string, [action, keyId, body, target]: Step): Promise<void> {
    const answer = await this.call(keyId, 'POST', `/complaints/${id}/${action}`, body);
    if (answer.status === 200 && answer.json.status === target) return;
    const now = await this.call('supervisor', 'GET', `/complaints/${id}`);
    if (now.json.status !== target) throw new Error(`${id} ${action}: answered ${answer.status}, case is ${now.json.status}, not ${target}`);
  }
}

/** Runs `work` for every item, `lanes` at a time. */
export async function eachCase<T>(items: T[], work: (item: T) => Promise<void>, lanes = 4): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

/**
 * The closing checks: every case closed in its workflow and once on the read side, as many rows
 * as cases, and `npm run db:rebuild` reproducing the rows from the events. Findings, empty when
 * all holds.
 */
export async function checkClosed(driver: CaseDriver, ids: string[], admin: pg.ClientBase, databaseUrl: string): Promise<string[]> {
  const findings: string[] = [];
  for (const id of ids) {
    const view = await driver.call('supervisor', 'GET', `/complaints/${id}`);
    if (view.json.status !== 'closed') findings.push(`${id}: the workflow says ${view.json.status}`);
  }
  let rows = await closedEventsByCase(admin);
  // The last projections may still be on their way: bounded wait for the read side.
  for (let i = 0; i < 60 && rows.some((r) => r.status !== 'closed'); i += 1) {
    await sleep(500);
    rows = await closedEventsByCase(admin);
  }
  if (rows.length !== ids.length) findings.push(`${rows.length} rows for ${ids.length} cases (lost or duplicated)`);
  for (const r of rows) {
    if (r.status !== 'closed') findings.push(`${r.id}: the read side says ${r.status}`);
    if (Number(r.closed) !== 1) findings.push(`${r.id}: ${r.closed} closed events`);
  }
  const snapshot = async () => JSON.stringify((await allComplaintRows(admin)).map(({ updated_at: _u, ...row }) => row));
  const before = await snapshot();
  execFileSync('npm', ['run', '--silent', 'db:rebuild'], { cwd: projectRoot, env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: 'inherit' });
  if ((await snapshot()) !== before) findings.push('db:rebuild changed the rows: the events do not carry the read side');
  return findings;
}
