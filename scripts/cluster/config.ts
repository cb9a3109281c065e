/**
 * The configuration files of the cluster's Temporal processes: one server configuration that the
 * frontend, history, matching and internal-worker processes share (each starts only its own
 * service from it), its dynamic configuration, and the Web UI server's. Everything listens on
 * 127.0.0.1; docs/cluster.md maps each setting to its Kubernetes (Helm chart) counterpart.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { freePort, freePortIn } from '../../test/helpers/ports';

/** The Temporal services, each a process of its own, as a Deployment each in the Helm chart. */
export const temporalServices = ['frontend', 'history', 'matching', 'worker'] as const;
export type TemporalService = (typeof temporalServices)[number];

export interface ClusterPorts {
  postgres: number;
  /** gRPC and membership (ringpop) port of each service; the frontend's HTTP API too. */
  grpc: Record<TemporalService, number>;
  membership: Record<TemporalService, number>;
  frontendHttp: number;
  ui: number;
  apis: number[];
}

/** `npm run cluster`'s ports: Temporal's usual ones, the UI on 8080 (also at each API's /temporal/), the APIs from 3000. */
export function defaultPorts(apis: number): ClusterPorts {
  return {
    postgres: 54339,
    grpc: { frontend: 7233, history: 7234, matching: 7235, worker: 7239 },
    membership: { frontend: 6933, history: 6934, matching: 6935, worker: 6939 },
    frontendHttp: 7243,
    ui: 8080,
    apis: Array.from({ length: apis }, (_, i) => 3000 + i),
  };
}

/** Free ports for every part, for a cluster beside whatever else runs (the fault and scale scripts). */
export async function freeClusterPorts(apis: number): Promise<ClusterPorts> {
  const grpc = {} as ClusterPorts['grpc'];
  const membership = {} as ClusterPorts['membership'];
  for (const service of temporalServices) {
    grpc[service] = await freePort();
    // Temporal keeps membership ports in a smallint column.
    membership[service] = await freePortIn(20_000, 32_767);
  }
  return {
    postgres: await freePort(),
    grpc,
    membership,
    frontendHttp: await freePort(),
    ui: await freePort(),
    apis: await Promise.all(Array.from({ length: apis }, () => freePort())),
  };
}

/**
 * History shards: fixed for the life of a cluster's database (changing it needs a new one).
 * Sixteen are light on a laptop yet let history write many cases at once; docs/cluster.md says
 * what to give a province.
 */
const historyShards = 16;

export interface ServerConfigFiles {
  /** `--root` and `--env` of `temporal-server`: it reads `<root>/config/<env>.yaml`. */
  root: string;
  env: string;
}

export function writeServerConfig(dir: string, ports: ClusterPorts, database: { user: string; password: string }): ServerConfigFiles {
  const configDir = path.join(dir, 'config');
  mkdirSync(configDir, { recursive: true });
  const dynamicConfigFile = path.join(configDir, 'dynamic.yaml');
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `127.0.0.1:${ports.postgres}`,
      connectProtocol: 'tcp',
      user: database.user,
      password: database.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const server = {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'default',
      // SQL visibility in Postgres: list filters and the service's search attributes without Elasticsearch.
      visibilityStore: 'visibility',
      numHistoryShards: historyShards,
      datastores: { default: store('temporal', 20), visibility: store('temporal_visibility', 10) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: Object.fromEntries(
      temporalServices.map((service) => [
        service,
        {
          rpc: {
            grpcPort: ports.grpc[service],
            membershipPort: ports.membership[service],
            bindOnIP: '127.0.0.1',
            ...(service === 'frontend' ? { httpPort: ports.frontendHttp } : {}),
          },
        },
      ]),
    ),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${ports.grpc.frontend}` },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
  writeFileSync(path.join(configDir, 'cluster.yaml'), stringify(server));
  writeFileSync(
    dynamicConfigFile,
    stringify({
      // Workflow ids of the service are UUIDs and `complaint-…` names; the same limit as the dev server's.
      'limit.maxIDLength': [{ value: 255 }],
    }),
  );
  return { root: dir, env: 'cluster' };
}

/**
 * The Web UI server's configuration: served under `/temporal` so each API passes it on at its own
 * `/temporal/` (api/routes/temporal-ui.ts), with the codec on that same origin (`/codec`), as
 * `npm start` does: ops signed in to the console read the histories decoded.
 */
export function writeUiConfig(dir: string, ports: ClusterPorts): ServerConfigFiles {
  const configDir = path.join(dir, 'config');
  mkdirSync(configDir, { recursive: true });
  writeFileSync(
    path.join(configDir, 'cluster.yaml'),
    stringify({
      temporalGrpcAddress: `127.0.0.1:${ports.grpc.frontend}`,
      host: '127.0.0.1',
      port: ports.ui,
      publicPath: '/temporal',
      enableUi: true,
      defaultNamespace: 'default',
      cors: { cookieInsecure: true, allowOrigins: ports.apis.map((port) => `http://127.0.0.1:${port}`) },
      codec: { endpoint: '/codec', includeCredentials: true },
      refreshInterval: '1m',
      notifyOnNewVersion: false,
    }),
  );
  return { root: dir, env: 'cluster' };
}
