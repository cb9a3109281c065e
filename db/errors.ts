/**
 * What a failed query may say outside the process. drizzle wraps every driver error in one whose
 * message is the SQL and its parameters (names, phone numbers, complaint text); that message must
 * never reach a log line, an activity failure in the Temporal history or an API answer. These
 * helpers keep the SQLSTATE and the names of the table, column and constraint, and drop the rest.
 */

interface PgErrorFields {
  code?: string;
  table?: string;
  column?: string;
  constraint?: string;
  routine?: string;
}

/** SQLSTATE classes no retry can fix: the data or the code must change first. */
const permanentClasses: Record<string, string> = {
  '21': 'cardinality violation',
  '22': 'data exception',
  '23': 'integrity constraint violation',
  '42': 'syntax error or access rule violation',
};

/** The driver's own error under drizzle's wrapper (`cause`), if there is one. */
function driverError(err: unknown): (Error & PgErrorFields) | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as PgErrorFields).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return e;
  }
  return undefined;
}

/** The Postgres SQLSTATE of a failed query, if Postgres answered at all. */
export function sqlState(err: unknown): string | undefined {
  return driverError(err)?.code;
}

/** The unique constraint a failed insert or update broke (SQLSTATE 23505), by name. */
export function brokenUniqueConstraint(err: unknown): string | undefined {
  const e = driverError(err);
  return e?.code === '23505' ? e.constraint : undefined;
}

/** A query Postgres refused for a reason that another attempt with the same data cannot change. */
export function isPermanentDbError(err: unknown): boolean {
  const code = sqlState(err);
  return code !== undefined && code.slice(0, 2) in permanentClasses;
}

/** Whether the error carries query text or parameters that must not leave the process. */
function carriesQuery(err: Error): boolean {
  return err.message.startsWith('Failed query:') || 'params' in err || driverError(err) !== undefined;
}

/**
 * The error as it may be logged or recorded: for a failed query, SQLSTATE, class and the names
 * Postgres gives (never values); any other error as it is.
 */
export function redactDbError(err: unknown): unknown {
  if (!(err instanceof Error) || !carriesQuery(err)) return err;
  const pg = driverError(err);
  const code = pg?.code;
  const where = [pg?.table && `table ${pg.table}`, pg?.column && `column ${pg.column}`, pg?.constraint && `constraint ${pg.constraint}`]
    .filter(Boolean)
    .join(', ');
  const kind = code ? (permanentClasses[code.slice(0, 2)] ?? 'database error') : 'database error';
  const safe = new Error(`query failed: SQLSTATE ${code ?? 'unknown'} (${kind}${where ? `; ${where}` : ''})`);
  safe.name = 'DatabaseError';
  Object.assign(safe, { code });
  // The stack points at our code, not at the query; the driver's message and parameters stay behind.
  const frames = (err.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  safe.stack = [`${safe.name}: ${safe.message}`, ...frames].join('\n');
  return safe;
}

/** Connection failures of Postgres: network codes, SQLSTATE class 08, shutdowns, pool timeouts. */
export function isDatabaseOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  const text = typeof code === 'string' ? code : '';
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND'].includes(text)) return true;
  if (text.startsWith('08') || ['57P01', '57P02', '57P03'].includes(text)) return true;
  if (/timeout exceeded when trying to connect|Connection terminated/i.test(error.message)) return true;
  return isDatabaseOutage(error.cause);
}
