/**
 * The benchmark's yardstick (npm run bench:lifecycle): the least a Temporal workflow does for a
 * case with the service's shape, one Update per action, each awaiting one activity that does
 * nothing, with a deadline timer pending meanwhile. Workflow code: bundled by bare-worker.ts.
 */
import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

export const step = defineUpdate<{ done: number }, [unknown]>('step');

const { nothing } = proxyActivities<{ nothing(args: unknown): Promise<void> }>({ startToCloseTimeout: '1 minute' });

/** Waits for `steps` Updates, or 30 days, as a case waits for its actions or its deadline; `submission` is carried as a case's input is. */
export async function bareLifecycle(input: { steps: number; submission: unknown }): Promise<number> {
  let done = 0;
  setHandler(step, async (args) => {
    await nothing(args);
    done += 1;
    return { done };
  });
  await condition(() => done >= input.steps, '30 days');
  return done;
}
