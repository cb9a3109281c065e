/**
 * `npm run user -- <command>`: the bureau's staff accounts from the shell (also `PUT /accounts/{id}`).
 *   list
 *   add <id> --name <名字> --role <role> [--role <role>…] [--unit <unitId>] [--oidc-subject <sub>] [--email <address>]
 *   password <id>          reads the new password from stdin, or makes one and prints it
 *   disable <id> | enable <id>
 * Roles: registrar, unit, leader, supervisor, ops, admin. Disabling, or a new password, signs the person out everywhere.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { accountView, getAccount, listAccounts, setPasswordHash, storeAccount } from '../db/accounts';
import type { Db } from '../db/client';
import { hashPassword, passwordRules } from '../lib/passwords';
import { staffRoles } from '../lib/principal';
import { runCommand, UsageError } from './command';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

async function newPassword(): Promise<{ password: string; made: boolean }> {
  const given = await readStdin();
  if (given && given.length < passwordRules.minLength) throw new UsageError(`the password needs ${passwordRules.minLength} characters or more`);
  return given ? { password: given, made: false } : { password: randomBytes(12).toString('base64url'), made: true };
}

function parseUsage(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        role: { type: 'string', multiple: true },
        unit: { type: 'string' },
        'oidc-subject': { type: 'string' },
        email: { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

async function run(db: Db, argv: string[]): Promise<void> {
  const { positionals, values } = parseUsage(argv);
  const [command, id] = positionals;
  if (command === 'list') {
    for (const a of (await listAccounts(db)).map(accountView)) {
      console.log(
        `${a.active ? ' ' : '✗'} ${a.id.padEnd(20)} ${a.name}  [${a.roles.join(', ')}]${a.unitId ? `  unit ${a.unitId}` : ''}${a.email ? `  ${a.email}` : ''}${a.hasPassword ? '' : '  (no password)'}`,
      );
    }
    return;
  }
  if (!id) throw new UsageError(`${command ?? 'a command'} needs an account id`);
  const existing = await getAccount(db, id);
  switch (command) {
    case 'add': {
      const roles = values.role ?? [];
      const unknown = roles.filter((r) => !(staffRoles as readonly string[]).includes(r));
      if (!values.name || roles.length === 0 || unknown.length > 0) throw new UsageError(`add needs --name and --role (one of ${staffRoles.join(', ')})`);
      if (roles.includes('unit') && !values.unit) throw new UsageError('a unit handler needs --unit');
      await storeAccount(db, id, {
        name: values.name,
        roles,
        unitId: values.unit ?? null,
        active: true,
        oidcSubject: values['oidc-subject'] ?? null,
        email: values.email ?? null,
      });
      console.log(`${existing ? 'changed' : 'added'} ${id}`);
      if (!existing?.passwordHash) await setPassword(db, id);
      return;
    }
    case 'password':
      if (!existing) throw new UsageError(`no account ${id}`);
      return setPassword(db, id);
    case 'disable':
    case 'enable':
      if (!existing) throw new UsageError(`no account ${id}`);
      await storeAccount(db, id, { ...existing, active: command === 'enable' });
      console.log(`${command}d ${id}${command === 'disable' ? ' (signed out everywhere)' : ''}`);
      return;
    default:
      throw new UsageError('commands: list, add, password, disable, enable');
  }
}

async function setPassword(db: Db, id: string): Promise<void> {
  const { password, made } = await newPassword();
  await setPasswordHash(db, id, await hashPassword(password));
  console.log(made ? `password of ${id}: ${password}` : `password of ${id} set`);
}

runCommand((db) => run(db, process.argv.slice(2)));
