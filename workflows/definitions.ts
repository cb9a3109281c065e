import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ActionArgsByName, ActionName } from './actions';
import type { CalendarYear } from './calendar';
import type { CaseView } from './model';

/**
 * The messages a complaint workflow answers. Every action is an Update named after it (the caller
 * learns at once whether the move was legal); signals are for senders that need no answer.
 */

export const actionNames = [
  'accept',
  'notAccept',
  'transferOut',
  'merge',
  'assign',
  'refuseJurisdiction',
  'acknowledge',
  'reportOnSite',
  'submitResult',
  'recordCallback',
  'requestExtension',
  'approveExtension',
  'denyExtension',
  'recordLeaderPlan',
  'recordLeaderProgress',
  'withdraw',
  'addEvidence',
  'recordSpotCheck',
  'recordRewardPaid',
  'returnForRework',
  'reassign',
  'extend',
  'escalate',
  'close',
  'reopen',
  'changeUrgency',
] as const satisfies readonly ActionName[];

export type ActionUpdate<K extends ActionName> = UpdateDefinition<CaseView, [ActionArgsByName[K]], K>;

export function actionUpdate<K extends ActionName>(name: K): ActionUpdate<K> {
  return defineUpdate<CaseView, [ActionArgsByName[K]], K>(name);
}

export const getCase = defineQuery<CaseView>('getCase');

/** A report about this case arrived on another case (a merged duplicate or a repeat). */
export const repeatReported = defineSignal<[{ caseId: string; summary: string; at: string }]>('repeatReported');

/** The daily spot check drew this closed case for review (随机抽查). */
export const selectedForSpotCheck = defineSignal<[{ day: string }]>('selectedForSpotCheck');

/** Official holiday data was published: recompute deadlines that rested on a provisional year. */
export const calendarPublished = defineSignal<[{ years: CalendarYear[] }]>('calendarPublished');
