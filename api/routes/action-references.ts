import type { FastifyInstance } from 'fastify';
import { activeLeaderIds } from '../../db/leaders';
import type { ActionArgsByName, ActionName } from '../../workflows/actions';
import type { LeaderOwner } from '../../workflows/model';
import { Problem } from '../problem';

/**
 * What an action names outside its own case must exist before the workflow is asked: the case a
 * report is merged into, the leaders an escalation names. The workflow cannot look them up in its
 * validator, and a case merged into nothing, or owned by nobody, would answer 200 and be lost.
 */
type ReferenceCheck<K extends ActionName> = (app: FastifyInstance, args: ActionArgsByName[K]) => Promise<ActionArgsByName[K]>;

const unknown = (field: string, message: string) => new Problem('unknown-reference', `${field} ${message}`, { errors: [{ field, message }] });

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
};

/** The action's arguments, checked against what exists (and de-duplicated where that is the fix). */
export function checkReferences<K extends ActionName>(app: FastifyInstance, name: K, args: ActionArgsByName[K]): Promise<ActionArgsByName[K]> {
  const check = checks[name];
  return check ? check(app, args) : Promise.resolve(args);
}
