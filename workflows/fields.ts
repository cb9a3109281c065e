import { Type } from 'typebox';
import { callbackOutcomes, enforcementActions, findings, ownerKinds, unitLevels } from './model';

/**
 * The fields people fill in, as TypeBox schemas: the workflow's actions declare their arguments
 * with them (workflows/actions.ts), and the API validates bodies and writes its OpenAPI document
 * from the same declarations. Pure data, so the workflow bundle may carry it.
 */

/**
 * Patterns the schemas share, each with the message a caller reads when a value does not match
 * (Ajv's own, "must match pattern ...", would print the regular expression; see validationErrors).
 *
 * Text refuses control characters and lone surrogates: Postgres cannot store NUL (one in a
 * timeline note froze a case's projection), and the others corrupt logs, CSV cells and
 * terminals. Ajv compiles patterns with the `u` flag, where \uD800-\uDFFF matches only a lone
 * surrogate, never half of a pair, so emoji and rare hanzi pass. As JSON-schema patterns the
 * rules are in the OpenAPI document, for clients and fuzzers to follow.
 */
export const patterns = {
  /** Many lines: newline and tab allowed; CR refused, so lines end with \n alone. */
  text: {
    pattern: '^[^\\u0000-\\u0008\\u000B-\\u001F\\u007F\\uD800-\\uDFFF]*$',
    message: 'is not allowed: control characters (other than newline and tab) or lone surrogates',
  },
  /** One line: no tab or newline either. */
  line: {
    pattern: '^[^\\u0000-\\u001F\\u007F\\uD800-\\uDFFF]*$',
    message: 'is not allowed: control characters, tabs, line breaks or lone surrogates',
  },
  // Periods and days lie in the years 2000 to 2100: wider than any case's life, and narrow
  // enough that Postgres and the date arithmetic of reports (previous periods) stay in range.
  day: {
    pattern: '^(20\\d{2}|2100)-\\d{2}-\\d{2}$',
    message: 'must be a day (YYYY-MM-DD) in the years 2000 to 2100',
  },
  dayOrInstant: {
    pattern: '^(20\\d{2}|2100)-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))?$',
    message: 'must be a day (YYYY-MM-DD) or an RFC 3339 instant in the years 2000 to 2100',
  },
  month: {
    pattern: '^(20\\d{2}|2100)-(0[1-9]|1[0-2])$',
    message: 'must be a month (YYYY-MM) in the years 2000 to 2100',
  },
} as const;

export const patternMessages: ReadonlyMap<string, string> = new Map(Object.values(patterns).map((p) => [p.pattern, p.message]));

/**
 * Every free-text string the API accepts: one line (ids, names, places, filters) unless
 * `multiLine` (descriptions, reasons, notes, replies).
 */
export const Text = (max: number, options: { multiLine?: boolean; example?: string; description?: string } = {}) =>
  Type.String({
    minLength: 1,
    maxLength: max,
    pattern: (options.multiLine ? patterns.text : patterns.line).pattern,
    ...(options.example ? { examples: [options.example] } : {}),
    ...(options.description ? { description: options.description } : {}),
  });

/** A reason kept in the timeline: every refusal and every supervisor override needs one. */
export const Reason = Text(2000, { multiLine: true, example: '诉求合理，需重新核查' });
export const Note = Text(5000, { multiLine: true });
/** Working days, as a unit asks for or a supervisor grants; the policy caps them further. */
export const Days = Type.Integer({ minimum: 1, maximum: 60, examples: [5] });

export const caseIdPattern = '^[A-Za-z0-9_-]{1,100}$';
export const CaseId = Type.String({ pattern: caseIdPattern });

export const UnitSchema = Type.Object(
  {
    id: Text(100, { example: 'unit-a' }),
    name: Text(200, { example: '南城分局' }),
    level: Type.Enum(unitLevels),
    // The API replaces name, level and version with the organisation registry's (api/routes/action-references.ts).
    version: Type.Optional(Type.Integer({ minimum: 1, description: "The registry's version of the unit; set by the API, whatever the body says." })),
  },
  { additionalProperties: false },
);

export const LeaderOwnerSchema = Type.Object({ leaderId: Text(100), kind: Type.Enum(ownerKinds) }, { additionalProperties: false });

export const FindingSchema = Type.Enum(findings);
export const EnforcementActionSchema = Type.Enum(enforcementActions);

/** A handling result's facts: the finding, what was done, the reply. A unit's result and a co-unit's part share them. */
export const resultFields = (example: string) => ({
  finding: FindingSchema,
  actions: Type.Array(EnforcementActionSchema, { minItems: 1 }),
  reply: Text(5000, { multiLine: true, example }),
});
export const CallbackOutcomeSchema = Type.Enum(callbackOutcomes);
