import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { setPasswordHash, storeAccount } from '../../db/accounts';
import type { Db } from '../../db/client';
import { hashPassword } from '../../lib/passwords';
import type { StaffRole } from '../../lib/principal';

export interface Person {
  id: string;
  name: string;
  roles: StaffRole[];
  unitId?: string;
  /** Where the notices meant for the person are e-mailed. */
  email?: string;
  password: string;
}

let counter = 0;

/** A member of staff with an account of its own (unique per call), stored straight in Postgres. */
export async function addPerson(db: Db, person: Omit<Person, 'id' | 'password'> & { id?: string }): Promise<Person> {
  counter += 1;
  const stored: Person = { id: `${person.roles.join('-')}-${process.pid}-${counter}`, password: `pw-${counter}-${process.pid}-long-enough`, ...person };
  await storeAccount(db, stored.id, {
    name: stored.name,
    roles: stored.roles,
    unitId: stored.unitId ?? null,
    active: true,
    oidcSubject: null,
    email: stored.email ?? null,
  });
  await setPasswordHash(db, stored.id, await hashPassword(stored.password));
  return stored;
}

/** Signs the person in; answers the headers a browser would send after: the session cookie. */
export async function signIn(app: FastifyInstance, person: Pick<Person, 'id' | 'password'>): Promise<{ cookie: string }> {
  const response = await app.inject({ method: 'POST', url: '/session', payload: { account: person.id, password: person.password } });
  expect(response.statusCode, response.body).toBe(200);
  const cookie = response.cookies.find((c) => c.name === 'complaints_session');
  expect(cookie).toBeDefined();
  return { cookie: `complaints_session=${cookie!.value}` };
}

/** Bounded wait for the Postgres read side, which the workflow fills just after each action. */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, what?: string): Promise<T> {
  let value = await read();
  for (let i = 0; i < 100 && !ok(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  // Named waits fail here with their name; the others leave the last value to the caller's assertion.
  if (what !== undefined && !ok(value)) throw new Error(`timed out waiting for ${what}`);
  return value;
}
