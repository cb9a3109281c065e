/**
 * The whole service (`npm start`) started by a script that exercises it (`npm run fuzz`,
 * `npm run fault`): free ports, a temporary data folder, output to a log file, ready once
 * `GET /readyz` answers 200. It can be stopped, SIGKILLed and started again on the same ports and
 * data, and stopping leaves no process behind and removes the data folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sessionCookie } from '../api/sessions';
import { developmentAccounts } from '../db/development-accounts';
import { projectRoot } from '../lib/temporal-binaries';
import { freePort } from '../test/helpers/ports';

export interface ServicePorts {
  temporal: number;
  ui: number;
  api: number;
  postgres: number;
}

export interface ServiceUnderTest {
  api: string;
  temporalAddress: string;
  databaseUrl: string;
  dataDir: string;
  ports: ServicePorts;
  /**
   * The headers of each caller, by id: the machines' development keys (`integrator`, `ops`) and
   * a session cookie of each development account (`registrar`, `officer-a`, `leader-1`, …).
   */
  credentials: Record<string, Record<string, string>>;
  /** The machines' development keys themselves, by id. */
  keys: Record<string, string>;
  /** npm's process: the service, the dev server and Postgres are its descendants. */
  pid: number;
  /** SIGKILLs the node process of `npm start` (as an OOM kill would); resolves once all it ran is gone. */
  kill(): Promise<void>;
  /**
   * SIGTERM and wait (60 s, then SIGKILL of its group); leftovers killed; the data folder removed
   * unless `keepData`. Resolves true when it had to SIGKILL: a stop that hangs is a finding.
   */
  stop(options?: { keepData?: boolean }): Promise<boolean>;
}

export interface ServiceOptions {
  /** Prefixed to each line this module prints. */
  log: (line: string) => void;
  /** Where `npm start` writes its output (a file, so the child never waits on a pipe). */
  logFile: string;
  /** Extra environment (LOG_LEVEL, RATE_LIMIT_PER_MINUTE, …). */
  env?: Record<string, string>;
  /** To start again on the data and ports of an earlier run. */
  reuse?: { dataDir: string; ports: ServicePorts };
  readyTimeoutSeconds?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Processes whose command line names `text`: what `npm start` runs under our data folder. */
export function processesNaming(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .flatMap((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text) ? [Number(pid)] : [];
      } catch {
        return []; // gone meanwhile
      }
    });
}

/** Waits (bounded) for what ran under `dataDir` to go, then SIGKILLs what is left. */
async function reapLeftovers(dataDir: string, log: (line: string) => void): Promise<void> {
  for (let i = 0; i < 40 && processesNaming(dataDir).length > 0; i += 1) await sleep(500);
  for (const pid of processesNaming(dataDir)) {
    log(`killing leftover process ${pid}`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

export async function startService(options: ServiceOptions): Promise<ServiceUnderTest> {
  const { log } = options;
  const dataDir = options.reuse?.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'complaints-service-'));
  // As root, the embedded Postgres runs as the "postgres" user, who must be able to enter it.
  chmodSync(dataDir, 0o755);
  const ports = options.reuse?.ports ?? {
    temporal: await freePort(),
    ui: await freePort(),
    api: await freePort(),
    postgres: await freePort(),
  };
  const { DATABASE_URL: _db, API_KEYS_FILE: _keys, PAYLOAD_KEYS: _payload, POLICY_FILE: _policy, ...env } = process.env;
  const logFd = openSync(options.logFile, options.reuse ? 'a' : 'w');
  const child: ChildProcess = spawn('npm', ['start'], {
    cwd: projectRoot,
    env: {
      ...env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      ...options.env,
      DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`,
      TEMPORAL_UI_PORT: String(ports.ui),
      API_PORT: String(ports.api),
      EMBEDDED_POSTGRES_PORT: String(ports.postgres),
    },
    // Its own process group: a fallback SIGKILL reaches everything it started.
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running = () => child.exitCode === null && child.signalCode === null;

  let stopped = false;
  const stop = async ({ keepData = false }: { keepData?: boolean } = {}): Promise<boolean> => {
    if (stopped) return false;
    stopped = true;
    let killed = false;
    if (running()) {
      log('stopping the service (SIGTERM to npm start) ...');
      child.kill('SIGTERM');
      const code = await Promise.race([exited, sleep(60_000).then(() => 'timeout' as const)]);
      if (code === 'timeout') {
        log('the service did not stop within 60 s: killing its process group');
        killed = true;
        try {
          process.kill(-(child.pid ?? 0), 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    await reapLeftovers(dataDir, log);
    if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    return killed;
  };

  const kill = async () => {
    stopped = true;
    // npm runs `exec node … scripts/start.ts`: its one child is the service's process.
    const node = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).map(Number)[0];
    log(`SIGKILL to the service's process ${node}`);
    if (node) process.kill(node, 'SIGKILL');
    await Promise.race([exited, sleep(10_000)]);
    // Its children (dev server, Postgres) are stopped by npm start's reaper, not by us.
    for (let i = 0; i < 60 && processesNaming(dataDir).length > 0; i += 1) await sleep(500);
    const left = processesNaming(dataDir);
    if (left.length > 0) {
      await reapLeftovers(dataDir, log);
      throw new Error(`npm start left ${left.length} processes behind after a SIGKILL: ${left.join(', ')}`);
    }
  };

  const api = `http://127.0.0.1:${ports.api}`;
  log(`starting the service: API ${api}, Temporal 127.0.0.1:${ports.temporal}, Postgres ${ports.postgres}, DATA_DIR ${dataDir}`);
  const startedAt = Date.now();
  const deadline = startedAt + (options.readyTimeoutSeconds ?? 180) * 1000;
  try {
    for (;;) {
      if (!running()) throw new Error(`npm start exited with ${child.exitCode} before it was ready; see ${options.logFile}`);
      const ready = await fetch(`${api}/readyz`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
      if (ready?.status === 200) break;
      if (Date.now() > deadline) throw new Error(`GET /readyz not 200 within ${options.readyTimeoutSeconds ?? 180} s; see ${options.logFile}`);
      await sleep(500);
    }
  } catch (err) {
    // A restart that failed keeps the data of the run before it, for a look.
    await stop({ keepData: options.reuse !== undefined });
    throw err;
  }
  log(`service ready after ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  const keys = JSON.parse(readFileSync(path.join(dataDir, 'dev-api-keys.json'), 'utf8')) as Record<string, string>;
  const credentials = await signInEveryone(api, dataDir, keys);
  return {
    api,
    temporalAddress: `127.0.0.1:${ports.temporal}`,
    databaseUrl: `postgres://postgres:postgres@127.0.0.1:${ports.postgres}/complaints`,
    dataDir,
    ports,
    credentials,
    keys,
    pid: child.pid ?? 0,
    kill,
    stop,
  };
}

/** The development keys as Authorization headers, and each development account signed in: its session cookie. */
export async function signInEveryone(api: string, dataDir: string, keys: Record<string, string>): Promise<Record<string, Record<string, string>>> {
  const credentials: Record<string, Record<string, string>> = Object.fromEntries(
    Object.entries(keys).map(([id, key]) => [id, { authorization: `Bearer ${key}` }]),
  );
  const password = readFileSync(path.join(dataDir, 'dev-password'), 'utf8').trim();
  for (const { id } of developmentAccounts) {
    const response = await fetch(`${api}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account: id, password }),
      signal: AbortSignal.timeout(30_000),
    });
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${sessionCookie}=`));
    if (response.status !== 200 || !cookie) throw new Error(`signing in as ${id} answered ${response.status}`);
    credentials[id] = { cookie: cookie.split(';')[0]! };
  }
  return credentials;
}
