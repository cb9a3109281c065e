import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { consoleDist } from '../../api/routes/console';

/**
 * The console as `npm ci` (`prepare`) or `npm run build:console` builds it; a checkout without the
 * build gets it built here, once.
 */
export async function ensureConsoleBuilt(): Promise<void> {
  if (existsSync(path.join(consoleDist, 'index.html'))) return;
  console.warn(`console: ${consoleDist} is missing; building it (npm run build:console)`);
  const consoleDir = path.dirname(consoleDist);
  const vite = path.join(consoleDir, '..', 'node_modules', 'vite', 'bin', 'vite.js');
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
