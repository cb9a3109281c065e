import { Type } from '@fastify/type-provider-typebox';

/**
 * An instant with its offset, as the roster is written in Shanghai (`2026-10-01T08:00+08:00`);
 * seconds optional. Years 2000–2100, as every date of the API.
 */
export const instantPattern = '^(20\\d{2}|2100)-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$';
export const instantMessage = 'must be an ISO 8601 instant with its offset, e.g. 2026-10-01T08:00+08:00';
const instantSyntax = new RegExp(instantPattern);

/** The pattern, and a real date and time: Date.parse would take 30 February as 2 March. */
export function isInstant(value: string): boolean {
  if (!instantSyntax.test(value)) return false;
  const [year, month, day, hours, minutes] = value.slice(0, 16).split(/[-T:]/).map(Number) as [number, number, number, number, number];
  const seconds = value[16] === ':' ? Number(value.slice(17, 19)) : 0;
  const wall = new Date(Date.UTC(year, month - 1, day, hours, minutes));
  return (
    wall.getUTCFullYear() === year &&
    wall.getUTCMonth() === month - 1 &&
    wall.getUTCDate() === day &&
    wall.getUTCHours() === hours &&
    wall.getUTCMinutes() === minutes &&
    seconds < 60 &&
    Number.isFinite(Date.parse(value))
  );
}
/** An instant in a body or query: the pattern in the schema; `isInstant` in the handler for the calendar. */
export const Instant = (description: string) => Type.String({ pattern: instantPattern, description, examples: ['2026-10-01T08:00+08:00'] });
