/**
 * The real Temporal server, its SQL schema tool and its Web UI server, built from their Go modules
 * through the Go module proxy (no container, no download outside the module proxy) and kept under
 * `.tools/temporal-server-<version>/`. The first build compiles about 1,400 packages: minutes on
 * two cores. Go's own module and build caches (`go env GOMODCACHE GOCACHE`) are reused by later
 * builds, a fresh clone's among them, which then only link.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { isExecutable, projectRoot } from '../../lib/temporal-binaries';

/** The server of docker-compose.yml's `temporalio/auto-setup` image, so both stacks run one version. */
const serverVersion = 'v1.29.1';
/** The UI server of the Web UI the compose stack runs (`temporalio/ui`), as a Go module. */
const uiVersion = 'v2.35.0';

const builds = [
  { name: 'temporal-server', pkg: 'go.temporal.io/server/cmd/server', version: serverVersion },
  { name: 'temporal-sql-tool', pkg: 'go.temporal.io/server/cmd/tools/sql', version: serverVersion },
  { name: 'temporal-ui-server', pkg: 'github.com/temporalio/ui-server/v2/cmd/server', version: uiVersion },
] as const;

export interface TemporalServerTools {
  server: string;
  sqlTool: string;
  uiServer: string;
  /** `schema/postgresql/v12` of the server module: `temporal/versioned` and `visibility/versioned`. */
  postgresSchema: string;
}

const toolsDir = path.join(projectRoot, '.tools', `temporal-server-${serverVersion}`);

function tools(): TemporalServerTools {
  return {
    server: path.join(toolsDir, 'bin', 'temporal-server'),
    sqlTool: path.join(toolsDir, 'bin', 'temporal-sql-tool'),
    uiServer: path.join(toolsDir, 'bin', 'temporal-ui-server'),
    postgresSchema: path.join(toolsDir, 'schema', 'postgresql', 'v12'),
  };
}

/** Go from GO, PATH or its usual install folder. */
function findGo(): string | undefined {
  const onPath = (process.env.PATH ?? '').split(path.delimiter).flatMap((dir) => (dir ? [path.join(dir, 'go')] : []));
  return [...(process.env.GO ? [process.env.GO] : []), ...onPath, '/usr/local/go/bin/go'].find(isExecutable);
}

/** `go install -v`, printing how many packages it has compiled every 15 s (a first build is silent for minutes otherwise). */
async function goInstall(go: string, gobin: string, spec: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  const child = spawn(go, ['install', '-v', spec], { cwd: toolsDir, env: { ...process.env, ...env, GOBIN: gobin }, stdio: ['ignore', 'ignore', 'pipe'] });
  let compiled = 0;
  let tail = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    compiled += chunk.split('\n').filter((line) => line && !line.startsWith('go: ')).length;
    tail = (tail + chunk).slice(-2_000);
  });
  const started = Date.now();
  const progress = setInterval(() => log(`  ${spec}: ${compiled} packages compiled, ${Math.round((Date.now() - started) / 1000)} s`), 15_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(progress);
  if (code !== 0) throw new Error(`go install ${spec} failed (exit ${code}):\n${tail}`);
}

/**
 * The built tools, building what is missing. `offline`: only from Go's caches, for
 * CI to run the cluster stage only where an earlier build left everything it needs; undefined
 * when that is not so.
 */
export async function ensureTemporalServer(options: { log: (line: string) => void; offline?: boolean }): Promise<TemporalServerTools | undefined> {
  const wanted = tools();
  if ([wanted.server, wanted.sqlTool, wanted.uiServer].every(isExecutable) && existsSync(wanted.postgresSchema)) return wanted;
  const go = findGo();
  if (!go) {
    if (options.offline) return undefined;
    throw new Error('building the Temporal server needs Go (1.24 or later): install it, or set GO to its go binary');
  }
  mkdirSync(path.join(toolsDir, 'bin'), { recursive: true });
  // Offline, Go's module cache serves as the proxy (GOPROXY=off alone fails: `go install` asks the
  // proxy about deprecations); its checksums were verified when the modules were first downloaded.
  const modules = execFileSync(go, ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  const env: NodeJS.ProcessEnv = options.offline ? { GOPROXY: `file://${modules}/cache/download`, GOSUMDB: 'off' } : {};
  options.log(
    `building the Temporal server ${serverVersion} and UI server ${uiVersion} from their Go modules into ${path.relative(projectRoot, toolsDir)}` +
      (options.offline ? ' (offline, from the Go caches)' : ' (the first build takes several minutes)'),
  );
  for (const { name, pkg, version } of builds) {
    const target = path.join(toolsDir, 'bin', name);
    if (isExecutable(target)) continue;
    // Each in its own GOBIN: `go install` names a binary after its package folder, and two are `server`.
    const gobin = mkdtempSync(path.join(toolsDir, '.build-'));
    try {
      await goInstall(go, gobin, `${pkg}@${version}`, env, options.log);
      renameSync(path.join(gobin, path.basename(pkg)), target);
      options.log(`  built ${name}`);
    } catch (err) {
      if (options.offline) return undefined;
      throw err;
    } finally {
      rmSync(gobin, { recursive: true, force: true });
    }
  }
  // The schema files ship in the server module, which the build has just put in Go's module cache.
  const { Dir: moduleDir } = JSON.parse(
    execFileSync(go, ['mod', 'download', '-json', `go.temporal.io/server@${serverVersion}`], {
      cwd: toolsDir,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    }),
  ) as { Dir: string };
  rmSync(wanted.postgresSchema, { recursive: true, force: true });
  cpSync(path.join(moduleDir, 'schema', 'postgresql', 'v12'), wanted.postgresSchema, { recursive: true });
  return wanted;
}
