import { NativeConnection, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { createActivities } from '../activities';
import { defaultDeliveryRetry } from '../activities/delivery';
import { buildApp } from '../api/app';
import { createDatabase } from '../db/client';
import { seedDevelopmentAccounts } from '../db/development-accounts';
import { seedDevelopmentLeaders } from '../db/development-leaders';
import { seedDevelopmentOrganisation } from '../db/development-organisation';
import { runMigrations } from '../db/migrate';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import { forwardTemporalLogs } from '../lib/logger';
import { loadPolicy } from '../lib/policy';
import { ensureSpotCheckSchedule } from '../lib/schedules';
import { connectClient, ensureSearchAttributes } from '../lib/temporal';
import { AesGcmCodec, dataConverterFor } from '../lib/codec';
import { apiKeysFor, payloadKeysFor } from '../lib/secrets';
import { attachmentsFor } from '../lib/attachments';
import { smtpMailer } from '../lib/mailer';
import { smsGatewayFor } from '../lib/sms';
import { SurveyLinks } from '../lib/survey-links';
import { loadHotlineMapping } from '../lib/hotline';
import { ensureWebhookPosters } from '../lib/webhook-posters';
import { createWorker } from '../lib/worker';

/** As long as a request may wait on Temporal (the gateway's deadline). */
const API_STOP_GRACE_MS = 10_000;

/** A running part of the service and how to stop it cleanly. */
export interface RunningPart {
  stop(): Promise<void>;
  /** Settles when the part stops by itself (a worker that failed, for one). */
  done: Promise<void>;
}

/**
 * Applies the migrations; with `development`, also adds what the development keys and accounts
 * name where it is missing: leaders 1 to 3, the units unit-a and unit-b, one account per role.
 */
export async function prepareDatabase(databaseUrl: string, logger: Logger, development?: { password: string }): Promise<void> {
  const database = createDatabase(databaseUrl, { max: 1 });
  try {
    await runMigrations(database);
    logger.info('migrations applied');
    if (!development) return;
    if (await seedDevelopmentLeaders(database.db)) logger.info('development leaders leader-1 to leader-3 added to the empty escalation directory');
    const units = await seedDevelopmentOrganisation(database.db);
    if (units.length > 0) logger.info({ units }, 'development units added to the organisation registry');
    const accounts = await seedDevelopmentAccounts(database.db, development.password);
    if (accounts.length > 0) logger.info({ accounts }, 'development accounts added, one per role');
  } finally {
    await database.close();
  }
}

/** The worker with its activities, ready for `npm run worker` and `npm start`. */
export async function startWorker(config: Config, logger: Logger, databaseUrl: string): Promise<RunningPart> {
  forwardTemporalLogs(logger);
  const payloadKeys = payloadKeysFor(config, logger);
  const dataConverter = dataConverterFor(payloadKeys);
  const database = createDatabase(databaseUrl, { max: config.databasePoolSize, log: logger });
  const client = await connectClient(config, dataConverter);
  const added = await ensureSearchAttributes(client);
  if (added.length > 0) logger.info({ added }, 'registered search attributes');
  const policy = loadPolicy(config.policyFile);
  if (await ensureSpotCheckSchedule(client, config.taskQueue, policy.spotCheckRate)) {
    logger.info('created the daily spot-check schedule');
  }
  const posters = await ensureWebhookPosters(client, database.db, config);
  if (posters > 0) logger.info({ posters }, 'webhook posters running');
  const mailer = config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : undefined;
  const sms = smsGatewayFor(config);
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker: Worker = await createWorker({
    config,
    connection,
    log: (line) => logger.info(line),
    activities: createActivities(database, {
      delivery: mailer || sms ? { mailer, sms, retry: defaultDeliveryRetry } : undefined,
      surveys: new SurveyLinks(payloadKeys, config.publicUrl),
      hotline: loadHotlineMapping(config.hotlineMappingFile),
      issuer: config.bureauName,
    }),
    options: {
      dataConverter,
      maxCachedWorkflows: config.workerCachedCases,
      maxConcurrentWorkflowTaskExecutions: config.workerWorkflowTasks,
      maxConcurrentActivityTaskExecutions: config.workerActivities ?? config.databasePoolSize,
    },
  });
  logger.info({ taskQueue: config.taskQueue, namespace: config.temporalNamespace }, 'worker polling');
  const done = worker.run().finally(async () => {
    mailer?.close();
    await connection.close();
    await client.connection.close();
    await database.close();
  });
  return {
    done,
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}

/** The HTTP API, listening, ready for `npm run api` and `npm start`. */
export async function startApi(config: Config, logger: Logger, databaseUrl: string): Promise<RunningPart & { app: FastifyInstance }> {
  const apiKeys = apiKeysFor(config, logger);
  const payloadKeys = payloadKeysFor(config, logger);
  const codec = new AesGcmCodec(payloadKeys);
  const database = createDatabase(databaseUrl, { max: config.databasePoolSize, log: logger });
  const temporal = await connectClient(config, dataConverterFor(codec));
  const app = await buildApp({
    config,
    logger,
    temporal,
    database,
    apiKeys,
    policy: loadPolicy(config.policyFile),
    rateLimitPerMinute: config.rateLimitPerMinute,
    codec,
    surveys: new SurveyLinks(payloadKeys, config.publicUrl),
    hotline: loadHotlineMapping(config.hotlineMappingFile),
    attachments: await attachmentsFor(config, payloadKeys),
  });
  await app.listen({ host: config.apiHost, port: config.apiPort });
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  return {
    app,
    done,
    stop: async () => {
      // Requests in hand may finish, but a keep-alive connection that carried one would hold
      // app.close() until the keep-alive timeout ran out (70 s, measured), so it is cut.
      const cutOff = setTimeout(() => app.server.closeAllConnections(), API_STOP_GRACE_MS);
      await app.close();
      clearTimeout(cutOff);
      await temporal.connection.close();
      await database.close();
      resolveDone();
    },
  };
}
