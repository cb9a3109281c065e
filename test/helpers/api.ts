import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { expect, inject } from 'vitest';
import { createActivities } from '../../activities';
import { SurveyLinks } from '../../lib/survey-links';
import type { DeliveryDeps } from '../../activities/delivery';
import { buildApp } from '../../api/app';
import { attachmentsFor } from '../../lib/attachments';
import { createDatabase, type Database } from '../../db/client';
import { hashKey, type ApiKey } from '../../lib/api-keys';
import { AesGcmCodec, dataConverterFor, newKeyEntry, parsePayloadKeys, type PayloadKeys } from '../../lib/codec';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import type { HotlineMapping } from '../../lib/hotline';
import type { Unit } from '../../workflows/model';
import type { Policy } from '../../workflows/policy';
import { eventually } from './people';
import { staff } from './staff';
import { attachDevServer, createTestWorker } from './temporal';

/**
 * The callers the API tests use: machines with an API key (the app sees only their hashes) and
 * the staff of helpers/staff.ts with their session tokens.
 */
export const keys = {
  integrator: 'test-integrator-key',
  otherIntegrator: 'test-wechat-key',
  ops: 'test-ops-key',
  registrar: staff.registrar.token,
  unitA: staff.unitA.token,
  unitB: staff.unitB.token,
  leader: staff.leader.token,
  supervisor: staff.supervisor.token,
} as const;

const apiKeys: ApiKey[] = [
  { id: 'hotline', role: 'integrator', sha256: hashKey(keys.integrator) },
  { id: 'wechat', role: 'integrator', sha256: hashKey(keys.otherIntegrator) },
  { id: 'ops-1', role: 'ops', sha256: hashKey(keys.ops) },
];

const sessionTokens = new Set<string>(Object.values(staff).map((person) => person.token));

/** The headers that present a caller's credentials: a person's session cookie, a machine's `Bearer` key. */
export const credentials = (token: string): { cookie: string } | { authorization: string } =>
  sessionTokens.has(token) ? { cookie: `complaints_session=${token}` } : { authorization: `Bearer ${token}` };

export interface ApiHarness {
  app: FastifyInstance;
  env: TestWorkflowEnvironment;
  /** The API's own client, with the payload codec. */
  client: Client;
  database: Database;
  /** Stops the harness's worker (as if it died), for tests of what the API says without one. */
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The API as `npm start` wires it, on the shared dev server and Postgres, with a worker running
 * the real activities on a task queue of this test file's own.
 */
export const testPayloadKeys = parsePayloadKeys(newKeyEntry('test-1'));

export async function startApiHarness(
  name: string,
  overrides: {
    temporal?: Client;
    temporalDeadlineMs?: number;
    databaseUrl?: string;
    rateLimitPerMinute?: number;
    payloadKeys?: PayloadKeys;
    requestDeadlineMs?: number;
    workerPollWindowMs?: number;
    /** Environment variables beside NODE_ENV and LOG_LEVEL, as lib/config.ts reads them. */
    env?: Record<string, string>;
    /** The deployment's policy (default: defaultPolicy). */
    policy?: Policy;
    /** A Temporal of the test's own (host:port) instead of the run's shared dev server, e.g. one with its Web UI. */
    temporalAddress?: string;
    /** How the hotline platform writes its work orders (default: the 12345 platforms'). */
    hotline?: HotlineMapping;
    /** The worker delivers notices (e-mail) as with SMTP_URL set. */
    delivery?: DeliveryDeps;
  } = {},
): Promise<ApiHarness> {
  const taskQueue = `${name}-${process.pid}`;
  const env = overrides.temporalAddress
    ? await TestWorkflowEnvironment.createFromExistingServer({ address: overrides.temporalAddress, namespace: 'default' })
    : await attachDevServer();
  // As in production, every payload the API and the worker send is encrypted.
  const codec = new AesGcmCodec(overrides.payloadKeys ?? testPayloadKeys);
  const dataConverter = dataConverterFor(codec);
  const client = new Client({ connection: env.connection, dataConverter });
  const database = createDatabase(overrides.databaseUrl ?? inject('databaseUrl'));
  const config = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...overrides.env }), taskQueue };
  const surveys = new SurveyLinks(overrides.payloadKeys ?? testPayloadKeys, config.publicUrl);
  // On the local disk, in a folder of this harness's own that close() removes (unless ATTACHMENTS_DIR names one).
  const ownAttachmentsDir = config.attachmentsDir === undefined;
  const attachmentsDir = config.attachmentsDir ?? mkdtempSync(path.join(os.tmpdir(), 'attachments-'));
  const worker: Worker = await createTestWorker(env, {
    taskQueue,
    activities: createActivities(overrides.databaseUrl ? createDatabase(inject('databaseUrl')) : database, {
      delivery: overrides.delivery,
      surveys,
      issuer: config.bureauName,
    }),
    dataConverter,
  });
  const running = worker.run();
  const app = await buildApp({
    config,
    logger: createLogger(config),
    temporal: overrides.temporal ?? client,
    database,
    apiKeys,
    rateLimitPerMinute: overrides.rateLimitPerMinute ?? 10_000,
    codec,
    surveys,
    ...(overrides.temporalDeadlineMs ? { temporalDeadlineMs: overrides.temporalDeadlineMs } : {}),
    ...(overrides.requestDeadlineMs ? { requestDeadlineMs: overrides.requestDeadlineMs } : {}),
    ...(overrides.workerPollWindowMs ? { workerPollWindowMs: overrides.workerPollWindowMs } : {}),
    ...(overrides.policy ? { policy: overrides.policy } : {}),
    attachments: await attachmentsFor({ ...config, attachmentsDir }, overrides.payloadKeys ?? testPayloadKeys),
    ...(overrides.hotline ? { hotline: overrides.hotline } : {}),
  });
  let workerStopped = false;
  const stopWorker = async () => {
    if (workerStopped) return running;
    workerStopped = true;
    worker.shutdown();
    return running;
  };
  return {
    app,
    env,
    client,
    database,
    stopWorker,
    close: async () => {
      await app.close();
      await stopWorker();
      await env.teardown();
      await database.close();
      if (ownAttachmentsDir) rmSync(attachmentsDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/** A valid submission; each call a new external id unless one is given. */
export function submission(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return {
    externalId: `ext-${process.pid}-${Date.now()}-${counter}`,
    channel: 'hotline_12345',
    category: 'water',
    description: '河道发黑发臭',
    // A place and a polluter of its own, so repeat detection links only what a test means to link.
    location: { address: `城南路 ${counter} 号旁河道 ${process.pid}-${Date.now()}`, district: 'nancheng' },
    polluter: `某印染厂 ${process.pid}-${Date.now()}-${counter}`,
    complainant: { anonymous: false, name: '王五', phone: '13700000000' },
    ...overrides,
  };
}

/** A case registered (by the integrator) in `district`, accepted and assigned to `unit` (by the registrar): its id. */
export async function assignedCase(app: FastifyInstance, unit: Unit, district = 'nancheng'): Promise<string> {
  const payload = submission();
  payload.location.district = district;
  const registered = await app.inject({ method: 'POST', url: '/complaints', headers: credentials(keys.integrator), payload });
  expect(registered.statusCode, registered.body).toBe(201);
  const id = registered.json<{ id: string }>().id;
  for (const [action, body] of [
    ['accept', {}],
    ['assign', { unit }],
  ] as const) {
    const response = await app.inject({ method: 'POST', url: `/complaints/${id}/${action}`, headers: credentials(keys.registrar), payload: body });
    expect(response.statusCode, response.body).toBe(200);
  }
  return id;
}

/**
 * A case assigned to `unit` (see assignedCase) whose result its unit has submitted: it waits for
 * the callback, and the complainant has been sent the result with the survey link. Its id and
 * that link's token.
 */
export async function resultCase(app: FastifyInstance, unit: Unit, unitKey: string): Promise<{ id: string; token: string }> {
  const id = await assignedCase(app, unit);
  const result = await app.inject({
    method: 'POST',
    url: `/complaints/${id}/result`,
    headers: credentials(unitKey),
    payload: { finding: 'substantiated', actions: ['order_to_rectify'], reply: '经现场核查，已责令该厂停产整改。' },
  });
  expect(result.statusCode, result.body).toBe(200);
  const reply = await eventually(
    async () =>
      (await app.inject({ method: 'GET', url: `/complaints/${id}/notices`, headers: credentials(keys.supervisor) }))
        .json<{ notices: { kind: string; text: string }[] }>()
        .notices.find((n) => n.kind === 'result_reply'),
    (n) => n !== undefined,
    'the result told the complainant',
  );
  const token = /\/console\/survey\/([^\s/]+)/.exec(reply!.text)?.[1];
  expect(token, reply!.text).toBeDefined();
  return { id, token: token! };
}
