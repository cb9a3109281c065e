import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordIdentityRead } from '../db/identity-reads';
import { caseDistrict } from '../db/recipients';
import type { CallerRole } from '../lib/principal';
import type { Complainant } from '../workflows/model';
import type { Policy } from '../workflows/policy';
import { coUnitsOf, districtOf, isArchived, submitterOf, unitOf, type CaseRecord } from './archived-case';
import { caseView, type CaseView } from './case-view';
import { Problem } from './problem';
import { requestScope, type Scope } from './scope';

/**
 * Roles cleared to unmask who complained and how to reach them, one case at a time, with a reason
 * (`unmaskComplainant`); every view shows the complainant masked, to them too.
 */
export const cleared = ['registrar', 'supervisor'] as const satisfies readonly CallerRole[];

/** Whether the case lies in the caller's scope (api/scope.ts). */
function inScope(scope: Scope, record: CaseRecord): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'districts':
      return scope.districts.includes(districtOf(record));
    case 'unit':
      // A co-unit of a joint case (联合办理) sees the case it holds a part of; it acts on its part alone.
      return unitOf(record) === scope.unitId || coUnitsOf(record).includes(scope.unitId);
    case 'submitted':
      return submitterOf(record) === scope.by;
  }
}

/**
 * The case, read first when the caller's scope is narrower than everything: a case outside it
 * answers 404 like one that does not exist, so its existence does not leak. For a caller who
 * sees every case nothing is read here (undefined); the workflow rejects what they may not do.
 */
export async function loadVisibleCase(app: FastifyInstance, request: FastifyRequest, caseId: string): Promise<CaseRecord | undefined> {
  const scope = await requestScope(request, app.deps.database.db);
  if (scope.kind === 'all') return undefined;
  const view = await app.gateway.view(caseId);
  if (!inScope(scope, view)) throw new Problem('case-not-found', `no case ${caseId}`);
  return view;
}

/**
 * Before an action: the case lies in the caller's scope, else 404 as if it did not exist. Without
 * a Temporal Query where the scope allows (issue 16): a district is read from the read side (a
 * case's district never changes, and its row is written at intake, before its workflow starts); a
 * unit's own cases are the workflow's to tell (its validator answers NotInScope, a 404 too). A
 * case the read side does not know, and an integrator's, are read from the workflow.
 */
export async function checkActionScope(app: FastifyInstance, request: FastifyRequest, caseId: string): Promise<void> {
  const scope = await requestScope(request, app.deps.database.db);
  if (scope.kind === 'all' || scope.kind === 'unit') return;
  if (scope.kind === 'districts') {
    const district = await caseDistrict(app.deps.database.db, caseId);
    if (district !== null) {
      if (!scope.districts.includes(district)) throw new Problem('case-not-found', `no case ${caseId}`);
      return;
    }
  }
  await loadVisibleCase(app, request, caseId);
}

/** The case as far as this caller may read it (404 outside its scope). */
export async function readVisibleCase(app: FastifyInstance, request: FastifyRequest, caseId: string): Promise<CaseRecord> {
  return (await loadVisibleCase(app, request, caseId)) ?? app.gateway.view(caseId);
}

export function maskComplainant(complainant: Complainant): Complainant {
  const mask = (value: string | undefined, keep: number) =>
    value === undefined ? undefined : `${value.slice(0, keep)}${'*'.repeat(Math.max(value.length - keep, 3))}`;
  return {
    anonymous: complainant.anonymous,
    ...(complainant.name !== undefined ? { name: mask(complainant.name, 1) } : {}),
    ...(complainant.phone !== undefined ? { phone: mask(complainant.phone, 3) } : {}),
    ...(complainant.idNumber !== undefined ? { idNumber: mask(complainant.idNumber, 0) } : {}),
  };
}

/**
 * The case as any caller sees it: its public CaseView (api/case-view.ts) with the complainant
 * masked. Need to know: nobody reads an identity in passing, in a view (an action's answer holds
 * none); it takes `unmaskComplainant`, which records who read it and why. An archived case keeps
 * no identity or contact at all: the read side never stores them.
 */
export function presentCase(record: CaseRecord): CaseView {
  const view = caseView(record);
  return { ...view, complaint: { ...view.complaint, complainant: maskComplainant(view.complaint.complainant) } };
}

/**
 * A reward reporter (有奖举报): a case in one of the policy's reward categories, or one that has
 * opened a reward under the policy it started with (a category the deployment has since dropped
 * still protects the reporter it rewarded).
 */
export function isRewardReport(record: CaseRecord, policy: Policy): boolean {
  if (isArchived(record)) return policy.rewardCategories.includes(record.row.category);
  return policy.rewardCategories.includes(record.complaint.category) || record.reward !== undefined;
}

/**
 * The complainant of a case in full, for a cleared caller who says why: the read is recorded in
 * identity_reads (who, when, which case, why) before anything is shown, so if Postgres refuses
 * the row the caller gets an error and not the identity. A reward reporter is shown only to the
 * accounts the deployment's policy names (`rewardIdentityReaders`); anyone else gets 403, and
 * since a refusal shows nothing it is not a read: it goes to the log, not to identity_reads.
 * An anonymous complainant, or an archived case (the read side keeps no identity), has nothing
 * to unmask: the answer is what a view shows, and the read is recorded all the same, since the
 * caller asked for an identity and the report should say so.
 */
export async function unmaskComplainant(app: FastifyInstance, request: FastifyRequest, caseId: string, reason: string): Promise<Complainant> {
  const { principal } = request;
  const record = await readVisibleCase(app, request, caseId);
  const policy = app.gateway.policy;
  if (isRewardReport(record, policy) && !policy.rewardIdentityReaders.includes(principal.id)) {
    request.log.warn({ caseId, account: principal.id }, 'identity of a reward reporter refused: account not named in rewardIdentityReaders');
    throw new Problem('forbidden', `the complainant of case ${caseId} is a reward reporter: only the accounts the policy names may see who it is`);
  }
  await recordIdentityRead(app.deps.database.db, { caseId, accountId: principal.id, accountName: principal.name ?? principal.id, reason });
  const { complainant } = caseView(record).complaint;
  return complainant.anonymous ? maskComplainant(complainant) : complainant;
}
