/**
 * `npm run cluster [-- --workers N --apis N]`: the production topology on this machine, without
 * containers (docs/cluster.md): the Temporal server built from its Go module (the first run
 * builds it, minutes), its four services as separate processes on Postgres, the Web UI, two
 * complaint workers and two APIs. Data stays in `.data/cluster` between runs. Ctrl-C stops
 * everything it started.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkPortsFree } from '../lib/ports';
import { onStopSignal } from '../lib/shutdown';
import { projectRoot } from '../lib/temporal-binaries';
import { startCluster } from './cluster/cluster';
import { defaultPorts, temporalServices } from './cluster/config';

const { values } = parseArgs({ options: { workers: { type: 'string', default: '2' }, apis: { type: 'string', default: '2' } } });
const count = (name: string, raw: string) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 8) throw new Error(`--${name} must be a whole number from 1 to 8, not ${raw}`);
  return n;
};

const started = Date.now();
const log = (line: string) => console.log(`[cluster ${Math.round((Date.now() - started) / 1000)} s] ${line}`);

async function main(): Promise<void> {
  const workers = count('workers', values.workers);
  const ports = defaultPorts(count('apis', values.apis));
  await checkPortsFree(
    [
      { name: 'Postgres', port: ports.postgres },
      ...temporalServices.flatMap((service) => [
        { name: `temporal-${service}`, port: ports.grpc[service] },
        { name: `temporal-${service} membership`, port: ports.membership[service] },
      ]),
      { name: 'temporal-frontend HTTP', port: ports.frontendHttp },
      { name: 'temporal-ui', port: ports.ui },
      ...ports.apis.map((port, n) => ({ name: `api-${n + 1}`, port })),
    ].map((p) => ({ ...p, host: '127.0.0.1' })),
  );
  const dataDir = path.join(projectRoot, '.data', 'cluster');
  const cluster = await startCluster({ dataDir, ports, workers, log });
  let stopping = false;
  onStopSignal(() => {
    stopping = true;
    log('stopping: APIs, workers, the UI, the Temporal services, Postgres');
    void cluster.stop().then(() => {
      log('stopped');
      process.exit(0);
    });
  });
  // A part that dies on its own is said, not hidden; the rest keeps running, as in a real cluster.
  for (const part of cluster.parts.values()) {
    void part.exited.then(() => {
      if (!stopping) log(`${part.name} exited; see ${path.relative(process.cwd(), part.logFile)}`);
    });
  }
  log(`ready in ${Math.round((Date.now() - started) / 1000)} s`);
  for (const [n, api] of cluster.apis.entries()) log(`api-${n + 1}: ${api}  console ${api}/console/  Temporal UI ${api}/temporal/`);
  log(`Temporal frontend ${cluster.temporalAddress} (temporal --address ${cluster.temporalAddress} workflow list)`);
  log(`Postgres ${cluster.databaseUrl.replace(/\/\/[^@]*@/, '//***@')}; logs in ${path.relative(process.cwd(), path.join(dataDir, 'logs'))}`);
  log(
    `sign in (登录) as registrar, supervisor, ops … with the password in ${path.relative(process.cwd(), path.join(dataDir, 'dev-password'))}; Ctrl-C stops everything`,
  );
}

main().catch((err: unknown) => {
  console.error(`[cluster] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
