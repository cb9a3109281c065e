import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../lib/api-keys';
import type { Complainant } from '../workflows/model';
import { firstReceiverOf, unitOf, type CaseRecord } from './archived-case';
import { caseView, type CaseView } from './case-view';
import { Problem } from './problem';

/** Roles cleared to see who complained and how to reach them. */
const cleared: readonly Principal['role'][] = ['registrar', 'supervisor'];

/**
 * A handling unit sees and acts on its own cases only, an integrator on the cases it submitted;
 * for them the case is read first. Other roles see every case, and the workflow itself rejects
 * what they may not do.
 */
export async function loadVisibleCase(app: FastifyInstance, request: FastifyRequest, caseId: string): Promise<CaseRecord | undefined> {
  const { principal } = request;
  if (principal.role !== 'unit' && principal.role !== 'integrator') return undefined;
  const view = await app.gateway.view(caseId);
  if (principal.role === 'unit' && unitOf(view) !== principal.unitId) {
    throw new Problem('forbidden', `case ${caseId} is not with unit ${principal.unitId}`);
  }
  if (principal.role === 'integrator' && firstReceiverOf(view) !== principal.id) {
    throw new Problem('forbidden', `case ${caseId} was not submitted by ${principal.id}`);
  }
  return view;
}

/** The case as far as this caller may read it: a unit its own cases, an integrator those it submitted, other roles any case. */
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
 * The case as this caller may see it: its public CaseView (api/case-view.ts), with the
 * complainant's identity and contact only for cleared roles. An archived case keeps no identity
 * or contact at all: the read side never stores them.
 */
export function presentCase(record: CaseRecord, principal: Principal): CaseView {
  const view = caseView(record);
  if (cleared.includes(principal.role)) return view;
  return { ...view, complaint: { ...view.complaint, complainant: maskComplainant(view.complaint.complainant) } };
}
