import { getExternalWorkflowHandle, log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { CaseActivities } from './activities';
import { shanghaiDate } from './calendar';
import { workflowIdFor } from './case';
import { selectedForSpotCheck } from './definitions';

const { sampleClosedCases } = proxyActivities<CaseActivities>({ startToCloseTimeout: '1 minute' });

export interface SpotCheckInput {
  rate: number;
  /** The Shanghai day whose closures are sampled; by default the day before the run. */
  day?: string;
}

/**
 * Daily random spot check (随机抽查), started by a Temporal Schedule: draws the previous day's
 * closed cases at the policy rate and puts each under review.
 */
export async function spotCheckWorkflow(input: SpotCheckInput): Promise<{ day: string; selected: string[] }> {
  const start = workflowInfo().startTime.getTime();
  const day = input.day ?? shanghaiDate(start - 86_400_000);
  const selected = await sampleClosedCases({ day, rate: input.rate });
  const reached: string[] = [];
  for (const caseId of selected) {
    try {
      await getExternalWorkflowHandle(workflowIdFor(caseId)).signal(selectedForSpotCheck, { day });
      reached.push(caseId);
    } catch (err) {
      // A case whose review window already ended has completed; it simply is not reviewed.
      log.warn('spot check could not reach case', { caseId, error: String(err) });
    }
  }
  return { day, selected: reached };
}
