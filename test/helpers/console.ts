import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { consoleDist } from '../../api/routes/console';

/** The newest change under `paths` (files, or folders walked whole), in ms. */
function newestChange(paths: string[]): number {
  return Math.max(
    ...paths.map((p) => {
      const stat = statSync(p);
      return stat.isDirectory() ? newestChange(readdirSync(p).map((name) => path.join(p, name))) : stat.mtimeMs;
    }),
  );
}

/**
 * The console as `npm ci` (`prepare`) or `npm run build:console` builds it; a checkout without the
 * build gets it built here, once. A build older than its sources (the console's, and lib/ and
 * workflows/, whose modules it imports) is refused with what to run: tests of a change the build
 * lacked once failed far from the cause. (Not rebuilt here: test files start in parallel, and two
 * builds into one folder clash.)
 */
export async function ensureConsoleBuilt(): Promise<void> {
  const consoleDir = path.dirname(consoleDist);
  const root = path.join(consoleDir, '..');
  const index = path.join(consoleDist, 'index.html');
  if (existsSync(index)) {
    const sources = [path.join(consoleDir, 'src'), path.join(consoleDir, 'index.html'), path.join(root, 'lib'), path.join(root, 'workflows')];
    if (statSync(index).mtimeMs < newestChange(sources)) {
      throw new Error(`${consoleDist} is older than the console's sources: run \`npm run build:console\` first`);
    }
    return;
  }
  console.warn(`console: ${consoleDist} is missing; building it (npm run build:console)`);
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  // In a process of its own, with NODE_ENV=production: under vitest (NODE_ENV=test) React's
  // development build would go into the bundle, and stay in console/dist for `npm start`.
  await promisify(execFile)(process.execPath, [vite, 'build', '--config', path.join(consoleDir, 'vite.config.mts'), '--logLevel', 'warn'], {
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

/** Debian's Chromium (`.ci/run` installs it with apt-get), or the one CHROMIUM_PATH names. */
export function chromiumPath(): string {
  const found = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error('no Chromium: apt-get install -y chromium fonts-noto-cjk (as .ci/run does), or set CHROMIUM_PATH');
  return found;
}
