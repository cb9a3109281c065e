import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The bureau console (issue 15), served by the API itself at /console/ (api/routes/console.ts).
 * `npm run build:console` runs this from the project root, so the root is named here rather than
 * taken from the working directory.
 */
const consoleDir = import.meta.dirname;
const projectRoot = path.resolve(consoleDir, '..');

/** The API's paths, proxied by `vite` (the dev server) to a running `npm start`. */
const apiPaths = ['/session', '/work', '/complaints', '/events', '/calendar', '/units', '/leaders', '/duty', '/reports'];
const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: consoleDir,
  // Every asset URL in index.html starts here, where the API serves the console.
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: path.join(consoleDir, 'dist'),
    emptyOutDir: true,
    // The report charts' chunk (ECharts, about 600 KB before gzip) loads only on the 报表 page; the
    // first load's budget is checked in the browser test, not by this warning.
    chunkSizeWarningLimit: 700,
  },
  server: {
    // The console imports the service's Chinese labels (lib/labels-zh.ts), outside its own folder.
    fs: { allow: [projectRoot] },
    proxy: Object.fromEntries(apiPaths.map((p) => [p, { target: apiUrl }])),
  },
});
