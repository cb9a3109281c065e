import { and, eq, sql } from 'drizzle-orm';
import type { Db } from './client';
import { onDutyAt, type Duty } from './duty';
import { superiorOf } from './organisation';
import { accounts, complaints } from './schema';

/**
 * Who a notice's recipient stands for, by account: the workflow names roles (`duty-leader`,
 * `superior-of:unit-a`) because it cannot read the roster or the organisation; the notice
 * activity asks here at the moment of the alert and stores the people in `notices.addressees`.
 */

/** Recipients that name a duty of the roster (db/duty.ts). */
export const dutyRecipients: Readonly<Record<string, Duty>> = {
  'duty-leader': 'duty_leader',
  'duty-officer': 'duty_officer',
  'rapid-team': 'rapid_team',
};

export interface Resolution {
  addressees: string[];
  /** A duty recipient nobody held at that moment: a gap in the roster, itself an alert. */
  gap?: { duty: Duty; district: string | null };
}

const superiorPrefix = 'superior-of:';

/**
 * The people `recipient` stands for at `at`. Duty recipients: whoever is on duty then for the
 * case's district (`district` is asked only for them). `superior-of:<unit>`: the unit-role
 * accounts of the unit's parent. Anything else (the complainant, a unit, a registrar) is
 * delivered by the integrator as named: no addressees.
 */
export async function resolveRecipient(db: Db, recipient: string, { at, district }: { at: Date; district: () => Promise<string | null> }): Promise<Resolution> {
  const duty = dutyRecipients[recipient];
  if (duty) {
    const where = await district();
    const addressees = await onDutyAt(db, duty, where, at);
    return addressees.length > 0 ? { addressees } : { addressees, gap: { duty, district: where } };
  }
  if (recipient.startsWith(superiorPrefix)) return { addressees: await peopleOfSuperior(db, recipient.slice(superiorPrefix.length)) };
  return { addressees: [] };
}

/** The active accounts with the unit role in the unit's parent unit; none for a root or an unknown unit. */
export async function peopleOfSuperior(db: Db, unitId: string): Promise<string[]> {
  const superior = await superiorOf(db, unitId);
  if (!superior) return [];
  const rows = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.unitId, superior.id), eq(accounts.active, true), sql`${accounts.roles} @> '["unit"]'::jsonb`))
    .orderBy(accounts.id);
  return rows.map((r) => r.id);
}

/** The case's district as its row has it; null for a case the read side does not know (yet). */
export async function caseDistrict(db: Db, caseId: string): Promise<string | null> {
  const [row] = await db.select({ district: complaints.district }).from(complaints).where(eq(complaints.id, caseId));
  return row?.district ?? null;
}
