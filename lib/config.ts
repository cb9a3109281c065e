/**
 * Configuration comes only from environment variables, validated once at startup. Every variable
 * is declared here with its default and meaning; the README's table is checked against this list
 * by a test, so the docs cannot drift from the code.
 */
import { parsePayloadKeys } from './codec';

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  intakeConcurrency: number;
  workerCachedCases: number | undefined;
  workerWorkflowTasks: number;
  workerActivities: number | undefined;
  apiHost: string;
  apiPort: number;
  temporalUiPort: number;
  temporalUiUpstream: string | undefined;
  dataDir: string;
  embeddedPostgresPort: number;
  policyFile: string | undefined;
  apiKeysFile: string | undefined;
  rateLimitPerMinute: number;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  payloadKeys: string | undefined;
  codecCorsOrigins: string[];
  oidcIssuer: string | undefined;
  oidcClientId: string | undefined;
  oidcClientSecret: string | undefined;
  oidcRedirectUri: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  publicUrl: string;
  bureauName: string;
  hotlineMappingFile: string | undefined;
  smsUrl: string | undefined;
  smsSecretId: string | undefined;
  smsSecretKey: string | undefined;
  smsAppId: string | undefined;
  smsSignName: string | undefined;
  smsRegion: string;
  webhookPollMs: number;
  webhookGiveUpSeconds: number;
  attachmentsDir: string | undefined;
  attachmentsMaxMb: number;
  attachmentsS3Endpoint: string | undefined;
  attachmentsS3Bucket: string | undefined;
  attachmentsS3AccessKey: string | undefined;
  attachmentsS3SecretKey: string | undefined;
  attachmentsS3Region: string;
}

/** The issuer of the formal documents when the deployment names none (BUREAU_NAME). */
export const defaultIssuer = '生态环境局';

interface Variable<K extends keyof Config> {
  name: string;
  key: K;
  default: string | undefined;
  description: string;
  parse: (raw: string) => Config[K];
  /** A key or password: a bad value is reported without repeating it. */
  secret?: true;
}

class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function oneOf<T extends string>(values: readonly T[]) {
  return (raw: string): T => {
    if ((values as readonly string[]).includes(raw)) return raw as T;
    throw new Error(`must be one of ${values.join(', ')}`);
  };
}

function port(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error('must be a TCP port (1-65535)');
  return n;
}

function nonEmpty(raw: string): string {
  if (raw.trim() === '') throw new Error('must not be empty');
  return raw.trim();
}

function hostPort(raw: string): string {
  const match = /^([^:\s]+):(\d+)$/.exec(raw.trim());
  if (!match) throw new Error('must be host:port, e.g. 127.0.0.1:7233');
  port(match[2] ?? '');
  return raw.trim();
}

function postgresUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('must be a URL such as postgres://user:password@host:5432/db');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`must use the postgres:// scheme, not ${url.protocol}//`);
  }
  return raw;
}

function wholeNumber(min: number, max: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`must be a whole number from ${min} to ${max}`);
    return n;
  };
}

function httpUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error('must be an http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('must be an http(s) URL');
  return raw.trim();
}

function smtpUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error('must be a URL such as smtp://user:password@mail.example.gov.cn:587');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error(`must use smtp:// or smtps://, not ${url.protocol}//`);
  return raw.trim();
}

/** S3's bucket naming rules, so a bad name is refused at startup rather than by the first upload. */
function s3Bucket(raw: string): string {
  const name = raw.trim();
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) || name.includes('..')) {
    throw new Error('must be an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit');
  }
  return name;
}

function variable<K extends keyof Config>(v: Variable<K>): Variable<K> {
  return v;
}

export const variables = [
  variable({
    name: 'NODE_ENV',
    key: 'nodeEnv',
    default: 'development',
    description: '`production` logs JSON; `development` logs pretty lines',
    parse: oneOf(['development', 'production', 'test'] as const),
  }),
  variable({
    name: 'LOG_LEVEL',
    key: 'logLevel',
    default: 'info',
    description: 'pino level: fatal, error, warn, info, debug, trace, silent',
    parse: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
  }),
  variable({
    name: 'TEMPORAL_ADDRESS',
    key: 'temporalAddress',
    default: '127.0.0.1:7233',
    description: 'Temporal frontend (host:port); `npm start` runs a dev server there',
    parse: hostPort,
  }),
  variable({
    name: 'TEMPORAL_NAMESPACE',
    key: 'temporalNamespace',
    default: 'default',
    description: 'Temporal namespace of the complaint workflows',
    parse: nonEmpty,
  }),
  variable({
    name: 'TEMPORAL_TASK_QUEUE',
    key: 'taskQueue',
    default: 'complaints',
    description: 'task queue the worker polls and the API starts workflows on',
    parse: nonEmpty,
  }),
  variable({
    name: 'DATABASE_URL',
    key: 'databaseUrl',
    default: undefined,
    description: 'Postgres for projections and reports; unset, `npm start` runs an embedded Postgres (required by `npm run api`/`worker`)',
    parse: postgresUrl,
  }),
  variable({
    name: 'DATABASE_POOL_SIZE',
    key: 'databasePoolSize',
    default: '20',
    description: "Postgres connections of each API and worker process; all processes together stay under the server's `max_connections`",
    parse: wholeNumber(2, 500),
  }),
  variable({
    name: 'INTAKE_CONCURRENCY',
    key: 'intakeConcurrency',
    default: '100',
    description:
      'intakes one API process registers at once; more queue for up to 20 s (the intake deadline less one Temporal call), then get 503 `overloaded` with `Retry-After` before anything is done',
    parse: wholeNumber(1, 10_000),
  }),
  variable({
    name: 'WORKER_CACHED_CASES',
    key: 'workerCachedCases',
    default: undefined,
    description:
      "open cases a worker keeps in memory between their steps (the SDK's workflow cache); others are replayed from their history when they next move. Unset, the SDK's default: about 600 per GB of the process's heap limit. Size: the memory given to the worker, less what it holds with no case cached, divided by the memory per cached case in `docs/performance.md`",
    parse: wholeNumber(2, 1_000_000),
  }),
  variable({
    name: 'WORKER_WORKFLOW_TASKS',
    key: 'workerWorkflowTasks',
    default: '40',
    description: "workflow tasks a worker runs at once (the SDK's default); at most `WORKER_CACHED_CASES`",
    parse: wholeNumber(2, 10_000),
  }),
  variable({
    name: 'WORKER_ACTIVITIES',
    key: 'workerActivities',
    default: undefined,
    description:
      'activities a worker runs at once; unset, `DATABASE_POOL_SIZE`: each holds at most one Postgres connection, and one that waited for a connection would only spend its timeout',
    parse: wholeNumber(1, 10_000),
  }),
  variable({
    name: 'API_HOST',
    key: 'apiHost',
    default: '127.0.0.1',
    description: 'address the API listens on (`0.0.0.0` in a container)',
    parse: nonEmpty,
  }),
  variable({ name: 'API_PORT', key: 'apiPort', default: '3000', description: 'API port', parse: port }),
  variable({
    name: 'TEMPORAL_UI_PORT',
    key: 'temporalUiPort',
    default: '8233',
    description: 'Web UI port of the dev server started by `npm start`',
    parse: port,
  }),
  variable({
    name: 'TEMPORAL_UI_UPSTREAM',
    key: 'temporalUiUpstream',
    default: undefined,
    description:
      "a Temporal Web UI serving at the public path `/temporal`, which the API passes on at `/temporal/`: on the console's origin, the UI's calls to the codec carry the ops person's session; `npm start` sets it to its dev server's UI",
    parse: httpUrl,
  }),
  variable({
    name: 'DATA_DIR',
    key: 'dataDir',
    default: '.data',
    description: 'where `npm start` keeps the dev server database and embedded Postgres',
    parse: nonEmpty,
  }),
  variable({
    name: 'EMBEDDED_POSTGRES_PORT',
    key: 'embeddedPostgresPort',
    default: '54329',
    description: 'port of the embedded Postgres that `npm start` runs when DATABASE_URL is unset',
    parse: port,
  }),
  variable({
    name: 'POLICY_FILE',
    key: 'policyFile',
    default: undefined,
    description: 'JSON file overriding the default policy (deadlines, rates) for new cases',
    parse: nonEmpty,
  }),
  variable({
    name: 'API_KEYS_FILE',
    key: 'apiKeysFile',
    default: undefined,
    description:
      'JSON list of API keys (`id`, `role`, `unitId`, `sha256` of the key); unset in development, `npm start` makes development keys (one per role, and leaders 1 to 3) in `DATA_DIR/dev-api-keys.json`',
    parse: nonEmpty,
  }),
  variable({
    name: 'RATE_LIMIT_PER_MINUTE',
    key: 'rateLimitPerMinute',
    default: '600',
    description: 'requests per minute allowed to one API key',
    parse: wholeNumber(1, 1_000_000),
  }),
  variable({
    name: 'SESSION_IDLE_MINUTES',
    key: 'sessionIdleMinutes',
    default: '120',
    description: 'a signed-in session unused this long ends',
    parse: wholeNumber(1, 24 * 60),
  }),
  variable({
    name: 'SESSION_MAX_HOURS',
    key: 'sessionMaxHours',
    default: '12',
    description: 'a signed-in session ends this long after sign-in, however active (one shift)',
    parse: wholeNumber(1, 24 * 7),
  }),
  variable({
    name: 'PAYLOAD_KEYS',
    key: 'payloadKeys',
    default: undefined,
    description:
      'AES-256 keys encrypting Temporal payloads, `id:base64key,…`, newest last (`npm run payload-key` makes one); required in production; unset in development, one is made in `DATA_DIR/dev-payload-keys`',
    parse: (raw) => {
      parsePayloadKeys(raw);
      return raw;
    },
    secret: true,
  }),
  variable({
    name: 'CODEC_CORS_ORIGINS',
    key: 'codecCorsOrigins',
    default: 'http://127.0.0.1:8233,http://localhost:8233',
    description: 'origins (Temporal Web UI) allowed to call the codec endpoint, comma-separated',
    parse: (raw) => {
      const origins = raw
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean);
      for (const origin of origins) {
        if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new Error(`"${origin}" is not an origin like http://host:port`);
      }
      return origins;
    },
  }),
  variable({
    name: 'OIDC_ISSUER',
    key: 'oidcIssuer',
    default: undefined,
    description: "the bureau's OpenID Connect provider, for staff sign-in through it; unset, staff sign in with passwords only",
    parse: httpUrl,
  }),
  variable({ name: 'OIDC_CLIENT_ID', key: 'oidcClientId', default: undefined, description: 'this service as a client of the OIDC provider', parse: nonEmpty }),
  variable({
    name: 'OIDC_CLIENT_SECRET',
    key: 'oidcClientSecret',
    default: undefined,
    description: "the client's secret at the OIDC provider",
    parse: nonEmpty,
  }),
  variable({
    name: 'OIDC_REDIRECT_URI',
    key: 'oidcRedirectUri',
    default: undefined,
    description: 'the public URL of `GET /session/oidc/callback`, as registered at the provider',
    parse: httpUrl,
  }),
  variable({
    name: 'SMTP_URL',
    key: 'smtpUrl',
    default: undefined,
    description:
      "the SMTP server staff notices are e-mailed through (`smtp://user:password@host:587`, STARTTLS when offered; `smtps://` for TLS from the start), to each person's account e-mail; unset, notices are stored and not e-mailed",
    parse: smtpUrl,
  }),
  variable({
    name: 'MAIL_FROM',
    key: 'mailFrom',
    default: '环境信访 <noreply@complaints.invalid>',
    description: 'the sender of the notices e-mailed (`SMTP_URL`)',
    parse: nonEmpty,
  }),
  variable({
    name: 'PUBLIC_URL',
    key: 'publicUrl',
    default: 'http://localhost:3000',
    description: 'where the public reaches this service: the satisfaction survey links sent with a result point to `<PUBLIC_URL>/console/survey/…`',
    parse: httpUrl,
  }),
  variable({
    name: 'BUREAU_NAME',
    key: 'bureauName',
    default: defaultIssuer,
    description: 'the issuing body (发文机关) of the formal documents (受理告知书, 不予受理告知书, 转送告知书, 督办通知), e.g. `某市生态环境局`',
    parse: nonEmpty,
  }),
  variable({
    name: 'HOTLINE_MAPPING_FILE',
    key: 'hotlineMappingFile',
    default: undefined,
    description:
      "a JSON file of how the hotline platform writes its work orders and wants to hear back (lib/hotline.ts `HotlineMapping`); unset, the 12345 platforms' field names (工单号, 诉求内容…)",
    parse: nonEmpty,
  }),
  variable({
    name: 'SMS_URL',
    key: 'smsUrl',
    default: undefined,
    description:
      'the Tencent Cloud SMS API the complainant is texted through (`https://sms.tencentcloudapi.com`), with the templates approved there (`GET /sms-templates`); unset, nothing is texted',
    parse: httpUrl,
  }),
  variable({
    name: 'SMS_SECRET_ID',
    key: 'smsSecretId',
    default: undefined,
    description: 'the API key id (SecretId) requests to `SMS_URL` are signed with',
    parse: nonEmpty,
  }),
  variable({ name: 'SMS_SECRET_KEY', key: 'smsSecretKey', default: undefined, description: 'its secret (SecretKey)', parse: nonEmpty }),
  variable({ name: 'SMS_APP_ID', key: 'smsAppId', default: undefined, description: 'the SMS application (SmsSdkAppId)', parse: nonEmpty }),
  variable({
    name: 'SMS_SIGN_NAME',
    key: 'smsSignName',
    default: undefined,
    description: "the bureau's approved SMS signature (签名), e.g. `某市生态环境局`",
    parse: nonEmpty,
  }),
  variable({ name: 'SMS_REGION', key: 'smsRegion', default: 'ap-guangzhou', description: 'the region of the SMS application', parse: nonEmpty }),
  variable({
    name: 'WEBHOOK_POLL_MS',
    key: 'webhookPollMs',
    default: '5000',
    description: 'how often a webhook subscription with nothing to post looks for new changes',
    parse: wholeNumber(100, 3_600_000),
  }),
  variable({
    name: 'WEBHOOK_GIVE_UP_SECONDS',
    key: 'webhookGiveUpSeconds',
    default: '86400',
    description:
      'how long a webhook message is retried (waits doubling from a hundredth of this, at most 10 minutes apart) before it is given up into `GET /webhooks/failures`',
    parse: wholeNumber(1, 30 * 86_400),
  }),
  variable({
    name: 'ATTACHMENTS_DIR',
    key: 'attachmentsDir',
    default: undefined,
    description: 'the folder attachments are kept in (encrypted) when no S3 store is set; unset, `DATA_DIR/attachments`',
    parse: nonEmpty,
  }),
  variable({
    name: 'ATTACHMENTS_MAX_MB',
    key: 'attachmentsMaxMb',
    default: '20',
    description: 'the largest attachment taken, in MiB (a larger upload is refused with 413)',
    parse: wholeNumber(1, 1024),
  }),
  variable({
    name: 'ATTACHMENTS_S3_ENDPOINT',
    key: 'attachmentsS3Endpoint',
    default: undefined,
    description:
      'an S3-compatible object store (MinIO: `http://minio:9000`) the attachments are kept in, encrypted, path-style; unset, the local disk (`ATTACHMENTS_DIR`)',
    parse: httpUrl,
  }),
  variable({
    name: 'ATTACHMENTS_S3_BUCKET',
    key: 'attachmentsS3Bucket',
    default: undefined,
    description: 'its bucket (created at startup when missing)',
    parse: s3Bucket,
  }),
  variable({ name: 'ATTACHMENTS_S3_ACCESS_KEY', key: 'attachmentsS3AccessKey', default: undefined, description: 'its access key id', parse: nonEmpty }),
  variable({ name: 'ATTACHMENTS_S3_SECRET_KEY', key: 'attachmentsS3SecretKey', default: undefined, description: 'its secret key', parse: nonEmpty }),
  variable({
    name: 'ATTACHMENTS_S3_REGION',
    key: 'attachmentsS3Region',
    default: 'us-east-1',
    description: 'the region requests to it are signed for (MinIO: its `MINIO_REGION`, by default `us-east-1`)',
    parse: nonEmpty,
  }),
] as const;

/** Variables that only work together: all set, or none. */
const together = [
  { what: 'OIDC sign-in', names: ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URI'] },
  { what: 'SMS', names: ['SMS_URL', 'SMS_SECRET_ID', 'SMS_SECRET_KEY', 'SMS_APP_ID', 'SMS_SIGN_NAME'] },
  {
    what: 'The S3 attachment store',
    names: ['ATTACHMENTS_S3_ENDPOINT', 'ATTACHMENTS_S3_BUCKET', 'ATTACHMENTS_S3_ACCESS_KEY', 'ATTACHMENTS_S3_SECRET_KEY'],
  },
] as const;

/** Reads and validates the environment; reports every bad value at once, not just the first. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const values: Partial<Record<keyof Config, unknown>> = {};
  for (const v of variables) {
    const raw = env[v.name] === '' ? undefined : env[v.name];
    const input = raw ?? v.default;
    if (input === undefined) {
      values[v.key] = undefined;
      continue;
    }
    try {
      values[v.key] = v.parse(input);
    } catch (err) {
      problems.push(`${v.name}=${'secret' in v ? '(not shown)' : JSON.stringify(input)} ${(err as Error).message}`);
    }
  }
  for (const { what, names } of together) {
    const missing = names.filter((name) => !env[name]);
    if (missing.length > 0 && missing.length < names.length) problems.push(`${what} needs all of ${names.join(', ')}; missing ${missing.join(', ')}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return values as Config;
}

/**
 * What each entry point run on its own needs beyond the defaults: in production the secrets too,
 * which development makes for itself (lib/secrets.ts). A container missing one stops at once
 * with every missing name, before it connects anywhere.
 */
const requiredBy = {
  api: { always: ['DATABASE_URL'], production: ['PAYLOAD_KEYS', 'API_KEYS_FILE'] },
  worker: { always: ['DATABASE_URL'], production: ['PAYLOAD_KEYS'] },
  migrate: { always: ['DATABASE_URL'], production: [] },
} as const;

export type ServicePart = keyof typeof requiredBy;

/** The configuration of `npm run api`, `worker` or `db:migrate`: loadConfig, and what that part cannot start without. */
export function loadConfigFor(part: ServicePart, env: NodeJS.ProcessEnv = process.env): Config {
  const config = loadConfig(env);
  const { always, production } = requiredBy[part];
  const missing = [...always, ...(config.nodeEnv === 'production' ? production : [])].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new ConfigError(
      missing.map((name) =>
        name === 'DATABASE_URL'
          ? 'DATABASE_URL is required here (or use `npm start`, which runs an embedded Postgres)'
          : `${name} is required in production (${variables.find((v) => v.name === name)?.description ?? ''})`,
      ),
    );
  }
  return config;
}

/** For entry points that need Postgres from outside (`npm run api`, `npm run worker`). */
export function requireDatabaseUrl(config: Config): string {
  if (!config.databaseUrl) {
    throw new ConfigError(['DATABASE_URL is required here (or use `npm start`, which runs an embedded Postgres)']);
  }
  return config.databaseUrl;
}

export { ConfigError };
