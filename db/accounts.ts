import { and, asc, eq, gt, inArray, lt, or, sql } from 'drizzle-orm';
import type { Db } from './client';
import { accounts, oidcSignIns, sessions } from './schema';

/** A member of staff as stored; `passwordHash` never leaves db/ and the sign-in check. */
export type Account = typeof accounts.$inferSelect;
/** An account as the API and the CLI show it. */
export type AccountView = Omit<Account, 'passwordHash'> & { hasPassword: boolean };

export const accountView = ({ passwordHash, ...account }: Account): AccountView => ({ ...account, hasPassword: passwordHash !== null });

export async function getAccount(db: Db, id: string): Promise<Account | undefined> {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, id));
  return row;
}

export async function accountBySubject(db: Db, subject: string): Promise<Account | undefined> {
  const [row] = await db.select().from(accounts).where(eq(accounts.oidcSubject, subject));
  return row;
}

export function listAccounts(db: Db): Promise<Account[]> {
  return db.select().from(accounts).orderBy(asc(accounts.id));
}

/** What an account holds; `email` left out keeps the address on file. */
export type AccountChange = Pick<Account, 'name' | 'roles' | 'unitId' | 'active' | 'oidcSubject'> & { email?: string | null };

/**
 * Adds the account or changes what is on file for its id; answers whether it was new. A person
 * who loses access (deactivated) is signed out everywhere at once.
 */
export async function storeAccount(db: Db, id: string, change: AccountChange): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(accounts)
      .values({ id, ...change })
      .onConflictDoUpdate({ target: accounts.id, set: { ...change, updatedAt: new Date() } })
      // A row this statement inserted has no deleting transaction yet: xmax is 0.
      .returning({ inserted: sql<boolean>`(xmax = 0)` });
    if (!change.active) await tx.delete(sessions).where(eq(sessions.accountId, id));
    return row?.inserted ?? false;
  });
}

/** Sets the password and ends the person's sessions, so an old password's session does not outlive it. */
export async function setPasswordHash(db: Db, id: string, passwordHash: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const changed = await tx.update(accounts).set({ passwordHash, updatedAt: new Date() }).where(eq(accounts.id, id)).returning({ id: accounts.id });
    await tx.delete(sessions).where(eq(sessions.accountId, id));
    return changed.length > 0;
  });
}

export async function createSession(db: Db, session: typeof sessions.$inferInsert): Promise<void> {
  await db.insert(sessions).values(session);
}

/**
 * The active account behind a session token's hash, if the session has been used within
 * `idleMs` and has not reached its absolute end; marks it used now. Sessions past either limit,
 * and those of deactivated accounts, answer nothing.
 */
export async function touchSession(db: Db, tokenSha256: string, idleMs: number, now = new Date()): Promise<{ account: Account; expiresAt: Date } | undefined> {
  const [row] = await db
    .update(sessions)
    .set({ lastSeenAt: now })
    .where(and(eq(sessions.tokenSha256, tokenSha256), gt(sessions.expiresAt, now), gt(sessions.lastSeenAt, new Date(now.getTime() - idleMs))))
    .returning({ accountId: sessions.accountId, expiresAt: sessions.expiresAt });
  if (!row) return undefined;
  const account = await getAccount(db, row.accountId);
  return account?.active ? { account, expiresAt: row.expiresAt } : undefined;
}

export async function deleteSession(db: Db, tokenSha256: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenSha256, tokenSha256));
}

/**
 * Which of these sessions are still live (not signed out, not past their end or idle limit, the
 * account active), without touching them: a live stream the console holds open is no activity.
 */
export async function liveSessions(db: Db, tokenSha256s: readonly string[], idleMs: number, now = new Date()): Promise<Set<string>> {
  if (tokenSha256s.length === 0) return new Set();
  const rows = await db
    .select({ token: sessions.tokenSha256 })
    .from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .where(
      and(
        inArray(sessions.tokenSha256, [...tokenSha256s]),
        gt(sessions.expiresAt, now),
        gt(sessions.lastSeenAt, new Date(now.getTime() - idleMs)),
        eq(accounts.active, true),
      ),
    );
  return new Set(rows.map((r) => r.token));
}

/** Removes sessions past their absolute end or idle longer than `idleMs`; answers how many. */
export async function deleteStaleSessions(db: Db, idleMs: number, now = new Date()): Promise<number> {
  const gone = await db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, new Date(now.getTime() - idleMs))))
    .returning({ token: sessions.tokenSha256 });
  return gone.length;
}

/** Keeps an OIDC sign-in between the redirect and the callback. */
export async function storeOidcSignIn(db: Db, idSha256: string, pending: unknown): Promise<void> {
  await db.insert(oidcSignIns).values({ idSha256, pending, createdAt: new Date() });
}

/** Takes the pending sign-in once (a replayed callback finds nothing); those older than `maxAgeMs` are gone. */
export async function takeOidcSignIn(db: Db, idSha256: string, maxAgeMs: number): Promise<unknown> {
  await db.delete(oidcSignIns).where(lt(oidcSignIns.createdAt, new Date(Date.now() - maxAgeMs)));
  const [row] = await db.delete(oidcSignIns).where(eq(oidcSignIns.idSha256, idSha256)).returning({ pending: oidcSignIns.pending });
  return row?.pending;
}
