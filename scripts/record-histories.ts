/**
 * `npm run record-histories [-- [--workflows <index.ts>] name …]`: runs the main paths of
 * test/scenarios (all, or those named) on the time-skipping server and writes each finished
 * history to test/fixtures/histories/. Record again only on purpose: the fixtures stand for cases
 * already running in production, which new code must replay; name the new scenario to record it
 * alone. `--workflows` records with other workflow code, e.g. a release's, taken out of git with
 * `git show <rev>:workflows/<file>` into a folder inside the project (so its packages resolve):
 * the history of a case that an older worker ran.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { addSearchAttributes } from '../lib/temporal';
import { projectRoot, resolveTemporalBinary, sdkExecutable } from '../lib/temporal-binaries';
import { workflowsPath } from '../lib/worker';
import { recordingActivities } from '../test/helpers/cases';
import { scenarios } from '../test/scenarios/main-paths';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const out = path.join(projectRoot, 'test', 'fixtures', 'histories');
  mkdirSync(out, { recursive: true });
  const testServer = resolveTemporalBinary('testServer', { log: console.log });
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: sdkExecutable(testServer) } });
  try {
    await addSearchAttributes(env.client);
    const taskQueue = 'record-histories';
    const recorded = recordingActivities();
    const args = process.argv.slice(2);
    const at = args.indexOf('--workflows');
    const code = at >= 0 ? args.splice(at, 2)[1] : undefined;
    if (at >= 0 && !code) throw new Error('--workflows needs the path of a workflows index.ts');
    if (code) console.log(`recording with the workflow code of ${code}`);
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: code ? path.resolve(code) : workflowsPath,
      activities: recorded.activities,
    });
    await worker.runUntil(async () => {
      const only = args;
      for (const [name, scenario] of Object.entries(scenarios).filter(([name]) => only.length === 0 || only.includes(name))) {
        const c = await scenario(env, taskQueue);
        await c.finished(recorded.projectedSeq);
        const history = await c.handle.fetchHistory();
        // The proto3 JSON form, as `temporal workflow show --output json` writes it.
        const json = historyToJSON(temporal.api.history.v1.History.fromObject(history));
        writeFileSync(path.join(out, `${name}.json`), json + '\n');
        console.log(`recorded ${name}: ${history.events?.length ?? 0} events`);
      }
    });
  } finally {
    await env.teardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
