import { Type } from '@fastify/type-provider-typebox';
import { shanghaiDate, startOfDay } from '../workflows/calendar';
import { Problem } from './problem';
import { patterns } from './schemas';

const DAY_MS = 86_400_000;
const day = /^\d{4}-\d{2}-\d{2}$/;

/** A period bound in a query: a day of the bureau's calendar (`2026-11-01`) or an instant (RFC 3339). */
export const DayOrInstant = (example: string) =>
  Type.String({
    pattern: patterns.dayOrInstant.pattern,
    description: 'A day (Asia/Shanghai) or an RFC 3339 instant, in the years 2000 to 2100. A day as the upper bound includes that whole day.',
    examples: [example],
  });

/** A day of the bureau's calendar, in the same years as period bounds. */
export const Day = (description: string) => Type.String({ format: 'date', pattern: patterns.day.pattern, description, examples: ['2026-11-01'] });

/** A month of the bureau's calendar, in the same years as period bounds. */
export const Month = () => Type.String({ pattern: patterns.month.pattern, examples: ['2026-11'] });

/**
 * Where a bound falls. Reports are read by calendar day in Shanghai, so `to=2026-11-30` must
 * include the 30th: a bare day as an upper bound ends at the next midnight.
 */
export function boundAt(field: string, value: string, side: 'from' | 'to'): Date {
  const invalid = () => new Problem('validation', `${field} is not a valid day or instant`, { errors: [{ field, message: 'is not a valid day or instant' }] });
  if (!day.test(value)) {
    const at = Date.parse(value);
    if (Number.isNaN(at)) throw invalid();
    return new Date(at);
  }
  const start = startOfDay(value);
  // Date.parse rolls 2026-02-30 over into March instead of refusing it.
  if (Number.isNaN(start) || shanghaiDate(start) !== value) throw invalid();
  return new Date(side === 'to' ? start + DAY_MS : start);
}

/** A `from`..`to` period; empty or reversed periods are the caller's mistake. */
export function period(q: { from: string; to: string }): { from: Date; to: Date } {
  const from = boundAt('from', q.from, 'from');
  const to = boundAt('to', q.to, 'to');
  if (!(from < to)) throw new Problem('validation', 'from must be before to', { errors: [{ field: 'to', message: 'must be after from' }] });
  return { from, to };
}
