/**
 * `npm run build:workflows`: bundles the workflow code once, ahead of any worker start, into
 * build/workflow-bundle-<hash of its sources>.js. A worker (`npm start`, `npm run worker`) loads
 * that file in well under a second instead of bundling for 9–21 s; after a change to the
 * workflows the hash differs and the worker bundles (and caches) afresh, never running stale code.
 * Compiled (`node dist/scripts/bundle-workflows.js`, the last step of `npm run build`), it bundles
 * dist/workflows/ into dist/build/, where the compiled worker looks.
 */
import path from 'node:path';
import { buildWorkflowBundle } from '../lib/worker';

buildWorkflowBundle().then(
  (codePath) => console.log(`workflow bundle: ${path.relative(process.cwd(), codePath)}`),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
