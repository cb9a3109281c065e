import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * `pip install --target` of pinned PyPI packages into `target`, through a staging folder swapped
 * in whole, so an interrupted install is never taken for a finished one. Throws on failure.
 */
export function pipInstallInto(target: string, pipArgs: string[], env: NodeJS.ProcessEnv = process.env): void {
  const staging = `${target}.staging-${process.pid}`;
  try {
    mkdirSync(path.dirname(target), { recursive: true });
    execFileSync(
      'python3',
      ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--target', staging, ...pipArgs],
      // CI runs as root: pip's warning about it says nothing about this folder.
      { stdio: ['ignore', 'inherit', 'inherit'], env: { ...env, PIP_ROOT_USER_ACTION: 'ignore' } },
    );
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}
