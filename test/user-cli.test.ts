import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { getAccount } from '../db/accounts';
import { createDatabase } from '../db/client';
import { verifyPassword } from '../lib/passwords';

/** `npm run user`: staff accounts from the shell, against the test Postgres. */
const database = createDatabase(inject('databaseUrl'), { max: 1 });
afterAll(() => database.close());

function user(args: string[], input?: string) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/user.ts', ...args], {
    env: { ...process.env, DATABASE_URL: inject('databaseUrl'), LOG_LEVEL: 'silent' },
    input: input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, out: run.stdout, err: run.stderr };
}

describe('npm run user', () => {
  const id = `cli-${process.pid}`;

  it('adds a person with a password from stdin, lists, disables and enables them', () => {
    const added = user(['add', id, '--name', '钱登记', '--role', 'registrar', '--role', 'supervisor', '--unit', 'city'], 'a-password-from-stdin');
    expect(added.status, added.err).toBe(0);
    expect(added.out).toContain(`added ${id}`);
    expect(added.out).not.toContain('a-password-from-stdin');
    const list = user(['list']);
    expect(list.out).toMatch(new RegExp(`${id}\\s+钱登记  \\[registrar, supervisor\\]  unit city`));
    expect(user(['disable', id]).out).toContain(`disabled ${id}`);
    expect(user(['list']).out).toMatch(new RegExp(`✗ ${id}`));
    expect(user(['enable', id]).status).toBe(0);
  });

  it('stores the password hashed, and makes one when none is given', async () => {
    expect(await verifyPassword((await getAccount(database.db, id))?.passwordHash, 'a-password-from-stdin')).toBe(true);
    const made = user(['password', id]);
    expect(made.status).toBe(0);
    const password = /password of .*: (\S+)/.exec(made.out)?.[1];
    expect(password).toBeDefined();
    const account = await getAccount(database.db, id);
    expect(account?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(account?.passwordHash, password!)).toBe(true);
  });

  it('refuses bad input with a message and exit code 2', () => {
    expect(user(['add', 'x-cli', '--name', '某人', '--role', 'janitor']).status).toBe(2);
    expect(user(['add', 'x-cli', '--name', '某人', '--role', 'unit']).err).toContain('--unit');
    expect(user(['password', 'nobody-cli']).err).toContain('no account nobody-cli');
    expect(user(['password', id], 'short').err).toContain('10 characters');
  });
});
