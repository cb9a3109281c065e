import type pg from 'pg';

/**
 * What the fault, fuzz and load scripts (scripts/fault.ts, scripts/fuzz-checks.ts, scripts/load.ts)
 * read to check that the service kept its promises: no row lost or duplicated, no projection
 * lagging behind its workflow, no dead letter left, no key claimed by a refused intake. Raw SQL on
 * the scripts' own `pg` pool or client: they run beside a service under test, outside its drizzle
 * database, and some of them cut its connections on purpose.
 */

/** A `pg.Pool` or a connected `pg.Client`: the scripts hold one or the other. */
type Queryable = pg.Pool | pg.ClientBase;

/**
 * Terminates every backend of the current database but the caller's own (the fault script's cut
 * connections, mid-transaction some of them); how many were terminated.
 */
export async function terminateOtherBackends(client: Queryable): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    `select count(*) filter (where pg_terminate_backend(pid)) as n from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid()`,
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Every row of complaints with its status and its count of `closed` events, by id: a case closed
 * exactly once has one row at `closed` and one such event (`closed` is a bigint, as text).
 */
export async function closedEventsByCase(client: Queryable): Promise<{ id: string; status: string; closed: string }[]> {
  return (
    await client.query<{ id: string; status: string; closed: string }>(
      `select c.id, c.status, (select count(*) from case_events e where e.case_id = c.id and e.kind = 'closed') as closed
         from complaints c order by c.id`,
    )
  ).rows;
}

/** Every row of complaints, all columns, by id: compared before and after `npm run db:rebuild`. */
export async function allComplaintRows(client: Queryable): Promise<Record<string, unknown>[]> {
  return (await client.query<Record<string, unknown>>(`select * from complaints order by id`)).rows;
}

/**
 * The given cases' rows with the last sequence they were projected at and the last of their
 * events (null without any): both must reach the workflow's last timeline sequence.
 */
export async function projectedSequences(
  client: Queryable,
  ids: readonly string[],
): Promise<{ id: string; status: string; last_seq: number; events_seq: number | null }[]> {
  return (
    await client.query<{ id: string; status: string; last_seq: number; events_seq: number | null }>(
      `select c.id, c.status, c.last_seq,
            (select max(seq) from case_events e where e.case_id = c.id) as events_seq
       from complaints c where c.id = any($1::text[])`,
      [ids],
    )
  ).rows;
}

/**
 * The dead letters not yet re-driven, one row per case, activity and error (a case's batches
 * refused for one reason are one finding), by case. Rejects with 42P01 (undefined_table) where
 * the table does not exist: the caller decides what that means.
 */
export async function pendingDeadLettersByCase(client: Queryable): Promise<{ case_id: string; activity: string; error: string; letters: number }[]> {
  return (
    await client.query<{ case_id: string; activity: string; error: string; letters: number }>(
      `select case_id, activity, error, count(*)::int as letters from dead_letters
        where redriven_at is null group by case_id, activity, error order by case_id`,
    )
  ).rows;
}

/** Every row of complaints, id and status: a row whose workflow does not exist is a case no one can act on. */
export async function complaintStatuses(client: Queryable): Promise<{ id: string; status: string }[]> {
  return (await client.query<{ id: string; status: string }>('select id, status from complaints')).rows;
}

/** Which of the given idempotency keys are claimed: a refused intake must have claimed none. */
export async function claimedIntakeKeys(client: Queryable, keys: readonly string[]): Promise<{ key: string }[]> {
  return (await client.query<{ key: string }>('select key from intake_keys where key = any($1)', [keys])).rows;
}

/**
 * How many of the given cases' rows are still at sequence 0, as written at intake: the workflow's
 * first projection replaces them, so one left there is a case without a running workflow.
 */
export async function countAtSequenceZero(client: Queryable, ids: readonly (string | undefined)[]): Promise<number> {
  return Number((await client.query<{ n: string }>('select count(*) as n from complaints where id = any($1) and last_seq = 0', [ids])).rows[0]?.n);
}

/** How many rows have a polluter matching the `like` pattern: the load script's run, one row per case answered. */
export async function countByPolluterLike(client: Queryable, pattern: string): Promise<number> {
  return Number((await client.query<{ n: string }>('select count(*) as n from complaints where polluter like $1', [pattern])).rows[0]?.n);
}
