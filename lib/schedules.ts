import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { SpotCheckInput } from '../workflows/spot-check';

export const spotCheckScheduleId = 'daily-spot-check';

/**
 * The daily spot check as a Temporal Schedule (visible and pausable in the Web UI). Created once;
 * an existing schedule is left as ops may have tuned it.
 */
export async function ensureSpotCheckSchedule(client: Client, taskQueue: string, rate: number): Promise<boolean> {
  const args: [SpotCheckInput] = [{ rate }];
  try {
    await client.schedule.create({
      scheduleId: spotCheckScheduleId,
      // 01:00 Shanghai: the previous day's closures are all in.
      spec: { calendars: [{ hour: 1, minute: 0 }], timezone: 'Asia/Shanghai' },
      action: { type: 'startWorkflow', workflowType: 'spotCheckWorkflow', taskQueue, args },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
    return true;
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return false;
    throw err;
  }
}
