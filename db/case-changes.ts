import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Db, Tx } from './client';
import { redactDbError } from './errors';

/**
 * The change feed of the read side: every write of a case's row raises a Postgres NOTIFY on this
 * channel inside the writing transaction, so a listener hears only of committed changes. The API
 * listens on one connection per process and fans the changes out to the console's live streams
 * (api/live-events.ts).
 */
export const caseChangesChannel = 'case_changes';

/** How the LISTEN connection shows in pg_stat_activity: one per API process. */
export const listenerApplicationName = (pid = process.pid) => `case-changes-listener-${pid}`;

/** A case's row moved: who may see it (district, unit) and where it is now; nothing personal. */
export interface CaseChange {
  id: string;
  status: string;
  /** The row's sequence (the last timeline entry it reflects): the version of the case. */
  version: number;
  /** When the row was written. */
  at: string;
  district: string;
  unit: string | null;
  /** The unit the case had before this write, when another: its people see the case leave their queue. */
  previousUnit: string | null;
}

/** What a live stream tells a person of a change (GET /events `case`): the case, not who may see it. */
export type CaseMoved = Pick<CaseChange, 'id' | 'status' | 'version' | 'at'>;

export async function notifyCaseChange(tx: Tx | Db, change: CaseChange): Promise<void> {
  await tx.execute(sql`select pg_notify(${caseChangesChannel}, ${JSON.stringify(change)})`);
}

function parseChange(payload: string | undefined): CaseChange | undefined {
  try {
    const value = JSON.parse(payload ?? '') as Partial<CaseChange>;
    return typeof value.id === 'string' && typeof value.status === 'string' && typeof value.district === 'string' ? (value as CaseChange) : undefined;
  } catch {
    return undefined;
  }
}

export interface CaseChangeListener {
  close(): Promise<void>;
}

interface ListenOptions {
  /** The connection settings (the API's pool's, so the listener reaches the same database). */
  connection: pg.ClientConfig;
  onChange(change: CaseChange): void;
  /** The connection dropped: changes from now on are not heard. Called at most once; listen again for more. */
  onLost(): void;
  log: { warn(details: object, message: string): void };
}

/**
 * LISTENs on a connection of its own (outside the pool, whose clients come and go). A lost
 * connection is not re-established here: the caller learns of it once and decides, since changes
 * made while nobody listened are gone for good.
 */
export async function listenForCaseChanges(options: ListenOptions): Promise<CaseChangeListener> {
  const client = new pg.Client({ ...options.connection, keepAlive: true, application_name: listenerApplicationName() });
  let closing = false;
  let lost = false;
  const loseOnce = (err?: Error) => {
    if (closing || lost) return;
    lost = true;
    options.log.warn({ err: err && redactDbError(err) }, 'case change feed: the LISTEN connection was lost');
    options.onLost();
    void client.end().catch(() => undefined);
  };
  // Without an 'error' listener a dropped connection would be an uncaught error and end the process.
  client.on('error', loseOnce);
  client.on('end', () => loseOnce());
  client.on('notification', (message) => {
    if (message.channel !== caseChangesChannel) return;
    const change = parseChange(message.payload);
    if (change) options.onChange(change);
  });
  try {
    await client.connect();
    await client.query(`listen ${caseChangesChannel}`);
  } catch (err) {
    closing = true;
    await client.end().catch(() => undefined);
    throw err;
  }
  return {
    close: async () => {
      closing = true;
      await client.end().catch(() => undefined);
    },
  };
}
