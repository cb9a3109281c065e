import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ActionArgsByName, ActionName, RuleArgsByName } from './actions';
import type { CalendarYear } from './calendar';
import type { ActionOutcome, CaseSnapshot } from './model';

/**
 * The messages a complaint workflow answers. Every action is an Update named after it (the caller
 * learns at once whether the move was legal); signals are for senders that need no answer.
 */

export { actionNames } from './actions';

/**
 * An action's Update answers with its outcome. A worker of an earlier version answers with the
 * whole case (a CaseSnapshot): the API reads either, while one may still run.
 */
export type ActionUpdate<K extends ActionName> = UpdateDefinition<ActionOutcome, [ActionArgsByName[K]], K>;

export function actionUpdate<K extends ActionName>(name: K): ActionUpdate<K> {
  return defineUpdate<ActionOutcome, [ActionArgsByName[K]], K>(name);
}

export const getCase = defineQuery<CaseSnapshot>('getCase');

/** Reports from other systems, each applied by its rule (workflows/actions.ts, `rules`). */
export const repeatReported = defineSignal<[RuleArgsByName['repeatReported']]>('repeatReported');
export const repeatSplit = defineSignal<[RuleArgsByName['repeatSplit']]>('repeatSplit');
export const selectedForSpotCheck = defineSignal<[RuleArgsByName['selectedForSpotCheck']]>('selectedForSpotCheck');

/** Official holiday data was published: recompute deadlines that rested on a provisional year. */
export const calendarPublished = defineSignal<[{ years: CalendarYear[] }]>('calendarPublished');
