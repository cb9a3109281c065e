import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from '../problem';
import { callerOfRequest } from './session';

/**
 * The project root: the nearest folder above this file with a package.json. The same from the
 * sources (api/routes/) and from the compiled service (dist/api/routes/), in a checkout and in the
 * image (/app), so the console is found beside either.
 */
function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..', '..');
  }
}

/** Where `npm run build:console` writes the console (console/vite.config.mts `build.outDir`). */
export const consoleDist = path.join(projectRoot(__dirname), 'console', 'dist');

/** Vite names what it puts under assets/ by a hash of the content: a new build is a new URL. */
const hashedAssets = 'assets/';
const oneYearMs = 365 * 24 * 3_600_000;

/** Where console/index.html takes the caller, before its first reads (console/src/early.ts). */
const callerMarker = '<!-- the caller: api/routes/console.ts -->';

/**
 * The caller as a script: `GET /session`'s answer, or null for nobody. The page then asks for the
 * queue at once instead of after a round trip (bench:console). JSON is a JavaScript expression;
 * `<` escaped, no text in it can end the script element.
 */
export function callerScript(caller: unknown): string {
  return `<script>window.__consoleCaller = ${JSON.stringify(caller).replace(/</g, '\\u003c')};</script>`;
}

export interface ConsoleOptions {
  /** The built console (default: console/dist of the project). */
  dist?: string;
}

/**
 * The bureau console (issue 15), a single-page app served by the API at /console/: the files Vite
 * built, and index.html for every other path under /console/, the app's own routes (a reload of
 * /console/cases/<id> must get the app, which then reads the path). The pages are public; the API
 * calls they make need the person's session like any other. Hidden from the OpenAPI document: this
 * is no API.
 */
export const consoleRoutes: FastifyPluginAsync<ConsoleOptions> = async (app, options) => {
  const dist = path.resolve(options.dist ?? consoleDist);
  // reply.sendFile only, no routes of the plugin's own: the routes below declare their roles
  // (public) and stay out of the OpenAPI document, as every route of the API must say.
  await app.register(fastifyStatic, { serve: false });

  // The one file that names the hashed assets, and names who asked for it: always asked again (a
  // new build shows at once), and kept by no cache (one person's page is not another's).
  const sendIndex = async (request: FastifyRequest, reply: FastifyReply) => {
    const page = await readFile(path.join(dist, 'index.html'), 'utf8');
    return reply
      .header('cache-control', 'private, no-store')
      .type('text/html; charset=utf-8')
      .send(page.replace(callerMarker, callerScript(callerOfRequest(request))));
  };

  const config = { roles: 'public' as const };
  const schema = { hide: true };

  app.get('/console', { config, schema }, async (_request, reply) => reply.redirect('/console/', 301));

  app.get<{ Params: { '*': string } }>('/console/*', { config, schema }, async (request, reply) => {
    if (!existsSync(path.join(dist, 'index.html'))) {
      return sendProblem(request, reply, 'not-ready', 'the console is not built: npm run build:console');
    }
    const wanted = request.params['*'];
    const file = path.resolve(dist, wanted);
    // Never a file outside the build (`..`, an absolute path): those are client routes at most.
    const inside = file.startsWith(dist + path.sep);
    const found =
      inside && wanted !== ''
        ? await stat(file).then(
            (s) => s.isFile(),
            () => false,
          )
        : false;
    if (found) {
      const relative = path.relative(dist, file).split(path.sep).join('/');
      if (relative === 'index.html') return sendIndex(request, reply);
      // @fastify/send writes `public, max-age=31536000, immutable` for these.
      if (relative.startsWith(hashedAssets)) return reply.sendFile(relative, dist, { maxAge: oneYearMs, immutable: true });
      // Anything else Vite copied (public/): unhashed, so checked again each time.
      return reply.header('cache-control', 'no-cache').sendFile(relative, dist, { cacheControl: false });
    }
    // A missing asset is a 404, not the app: a browser holding an old index.html should fail plainly.
    if (wanted.startsWith(hashedAssets)) return sendProblem(request, reply, 'not-found', `no console asset ${wanted}`);
    return sendIndex(request, reply);
  });
};
