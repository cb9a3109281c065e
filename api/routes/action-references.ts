import type { FastifyInstance } from 'fastify';
import { getAccount } from '../../db/accounts';
import { onDutyAt } from '../../db/duty';
import { activeLeaderIds } from '../../db/leaders';
import { getUnit, jurisdictionOf } from '../../db/organisation';
import { caseDistrict } from '../../db/recipients';
import type { ActionArgsByName, ActionName } from '../../workflows/actions';
import type { Actor, LeaderOwner, Unit } from '../../workflows/model';
import { isArchived } from '../archived-case';
import { Problem } from '../problem';

/**
 * What an action names outside its own case must exist before the workflow is asked: the case a
 * report is merged into, the leaders an escalation names, the unit a case is assigned to. The
 * workflow cannot look them up in its validator, and a case merged into nothing, owned by nobody
 * or handled by a unit nobody answers for would answer 200 and be lost.
 */
type ReferenceCheck<K extends ActionName> = (app: FastifyInstance, args: ActionArgsByName[K], caseId: string) => Promise<ActionArgsByName[K]>;

const unknown = (field: string, message: string) => new Problem('unknown-reference', `${field} ${message}`, { errors: [{ field, message }] });

/**
 * The case's district: from the read side, which has it from intake on (it never changes), without
 * a Temporal Query; else from the workflow, undefined if the case is archived (its row says where
 * it was, so only a case the read side never knew gets here archived).
 */
async function districtOf(app: FastifyInstance, caseId: string): Promise<string | undefined> {
  const district = await caseDistrict(app.deps.database.db, caseId);
  if (district !== null) return district;
  const record = await app.gateway.view(caseId);
  return isArchived(record) ? undefined : record.complaint.location.district;
}

/**
 * The unit as the organisation registry has it now, if it is active and covers the case's
 * district. The case gets the registry's name, level and version, not the body's: what it was
 * given stays with it (a later rename or move changes the registry, not the running case).
 */
async function registeredUnit(app: FastifyInstance, caseId: string, given: Unit): Promise<Unit> {
  const { db } = app.deps.database;
  const district = await districtOf(app, caseId);
  // An archived case takes no action: the workflow call answers so (409 case-archived).
  if (district === undefined) return given;
  const unit = await getUnit(db, given.id);
  if (!unit?.active) throw unknown('unit', `names no active unit in the organisation: ${given.id}`);
  const jurisdiction = await jurisdictionOf(db, unit.id);
  if (jurisdiction !== 'all' && !jurisdiction?.includes(district)) {
    const message = `unit ${unit.id} does not cover district ${district}`;
    throw new Problem('outside-jurisdiction', message, { errors: [{ field: 'unit', message }] });
  }
  return { id: unit.id, name: unit.name, level: unit.level, version: unit.version };
}

/**
 * 值班快速出警 is the duty officer's move: the caller must hold the duty officer's duty now for
 * the case's district (its own slots, else the bureau-wide ones: db/duty.ts), or be a
 * supervisor. A person holding both registrar and supervisor acts as registrar (actorOf) but is a
 * supervisor all the same: their account says so. The workflow cannot read the roster.
 */
async function checkOnDuty(app: FastifyInstance, actor: Actor, caseId: string): Promise<void> {
  const { db } = app.deps.database;
  if (actor.role === 'supervisor') return;
  const district = await districtOf(app, caseId);
  // An archived case takes no action: the workflow call answers so (409 case-archived).
  if (district === undefined) return;
  if ((await onDutyAt(db, 'duty_officer', district, new Date())).includes(actor.id)) return;
  throw new Problem(
    'forbidden',
    `rapid dispatch is for the duty officer on duty now for district ${district} (GET /duty/now?district=${district}) or a supervisor: ${actor.id} is not on the roster as duty_officer now`,
  );
}

const checks: { [K in ActionName]?: ReferenceCheck<K> } = {
  async merge(app, args) {
    await app.gateway.view(args.intoCaseId).catch((err: unknown) => {
      throw err instanceof Problem && err.problem === 'case-not-found' ? unknown('intoCaseId', `names no case: ${args.intoCaseId}`) : err;
    });
    return args;
  },
  async escalate(app, args) {
    if (!args.owners) return args;
    // A leader named twice owns the case once.
    const owners = [...new Map(args.owners.map((o): [string, LeaderOwner] => [o.leaderId, o])).values()];
    const ids = owners.map((o) => o.leaderId);
    const found = await activeLeaderIds(app.deps.database.db, ids);
    const missing = ids.filter((id) => !found.includes(id));
    if (missing.length > 0) throw unknown('owners', `names no active leader in the directory: ${missing.join(', ')}`);
    return { ...args, owners };
  },
  async handOver(app, args) {
    const account = await getAccount(app.deps.database.db, args.to);
    if (!account?.active || !account.roles.includes('registrar')) throw unknown('to', `names no active registrar: ${args.to}`);
    return args;
  },
  async assign(app, args, caseId) {
    return { ...args, unit: await registeredUnit(app, caseId, args.unit) };
  },
  async reassign(app, args, caseId) {
    return { ...args, unit: await registeredUnit(app, caseId, args.unit) };
  },
  // 联合办理: each co-unit as the registry has it, covering the case's district like a lead unit.
  async jointAssign(app, args, caseId) {
    const coUnits = [];
    for (const part of args.coUnits) coUnits.push({ ...part, unit: await registeredUnit(app, caseId, part.unit) });
    return { ...args, coUnits };
  },
  async rapidDispatch(app, args, caseId) {
    await checkOnDuty(app, args.actor, caseId);
    return { ...args, unit: await registeredUnit(app, caseId, args.unit) };
  },
};

/** The action's arguments, checked against what exists (and de-duplicated or completed where that is the fix). */
export function checkReferences<K extends ActionName>(app: FastifyInstance, caseId: string, name: K, args: ActionArgsByName[K]): Promise<ActionArgsByName[K]> {
  const check = checks[name];
  return check ? check(app, args, caseId) : Promise.resolve(args);
}
