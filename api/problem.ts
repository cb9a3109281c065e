import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { patternMessages } from './schemas';
import { isDatabaseOutage } from '../db/errors';

/**
 * Every error leaves the API as `application/problem+json` (RFC 9457) with a stable `type`, so
 * integrators branch on the type, never on the wording.
 */
export const problemTypes = {
  validation: { status: 400, title: 'The request is not valid' },
  unauthenticated: { status: 401, title: 'A valid API key is required' },
  forbidden: { status: 403, title: 'This key may not do that' },
  'not-found': { status: 404, title: 'No such resource' },
  'case-not-found': { status: 404, title: 'No such case' },
  'unit-not-found': { status: 404, title: 'No such unit' },
  'unknown-reference': { status: 422, title: 'The request names a case, leader or unit that does not exist' },
  'unit-misplaced': { status: 422, title: 'The unit does not fit the organisation: its parent, its level or a cycle' },
  'outside-jurisdiction': { status: 422, title: "The unit does not cover the case's district" },
  'action-rejected': { status: 409, title: 'The case does not allow this action now' },
  'idempotency-conflict': { status: 409, title: 'The idempotency key was used with a different request' },
  conflict: { status: 409, title: 'The request conflicts with what is on file' },
  'survey-closed': { status: 409, title: 'The survey is answered, or the case has moved on since its result' },
  'link-expired': { status: 410, title: 'The link has expired' },
  'case-archived': { status: 409, title: 'The case is archived and takes no more actions' },
  'request-timeout': { status: 408, title: 'The request did not arrive in time' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'uri-too-long': { status: 414, title: 'The URL or one of its path segments is too long' },
  'unsupported-media-type': { status: 415, title: 'Send application/json' },
  'unsupported-file-type': { status: 415, title: 'The file is not of a type taken (JPEG, PNG, WebP, PDF, MP4, judged by its content)' },
  'rate-limited': { status: 429, title: 'Too many requests for this key' },
  'too-many-failed-logins': { status: 429, title: 'Too many failed authentications from this address' },
  'headers-too-large': { status: 431, title: 'The request line or headers are too large' },
  'receiver-refused': { status: 502, title: 'The webhook receiver did not take the message' },
  'temporal-unavailable': { status: 503, title: 'The workflow service is unavailable' },
  'database-unavailable': { status: 503, title: 'The database is unavailable' },
  'not-ready': { status: 503, title: 'A part the service needs does not answer' },
  'object-store-unavailable': { status: 503, title: 'The attachment store is unavailable' },
  'deadline-exceeded': { status: 503, title: 'The service could not answer within its deadline' },
  overloaded: { status: 503, title: 'Too many requests of this kind at once' },
  'attachment-corrupt': { status: 500, title: 'The stored file does not match what the case recorded of it' },
  internal: { status: 500, title: 'Internal error' },
} as const;

export type ProblemType = keyof typeof problemTypes;

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ examples: ['/problems/action-rejected'] }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', additionalProperties: true },
);

/** The error responses every route declares, so the OpenAPI document shows them (see withProblemMediaType). */
export const problemResponses = { '4xx': ProblemSchema, '5xx': ProblemSchema };

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

/**
 * A route's response schemas with each error response declared as application/problem+json,
 * the media type sendProblem gives every error; app.ts applies it to every route. Fastify then
 * serializes a problem by the schema of its media type, and the OpenAPI document says so.
 */
export function withProblemMediaType(response: unknown): unknown {
  if (!isObject(response)) return response;
  return Object.fromEntries(
    Object.entries(response).map(([status, schema]) =>
      /^[45]/.test(status) && isObject(schema) && !('content' in schema)
        ? [status, { description: 'A problem (RFC 9457); its `type` says which', content: { 'application/problem+json': { schema } } }]
        : [status, schema],
    ),
  );
}

/**
 * What a 503 asks a caller to wait when nothing more precise is known: about how long a Postgres
 * or Temporal restart, or a backlog behind the deadline, takes to clear.
 */
export const defaultRetryAfterSeconds = 5;

export class Problem extends Error {
  /** Seconds the caller should wait before retrying (Retry-After); a 503 without it says the default. */
  retryAfterSeconds?: number;

  constructor(
    readonly problem: ProblemType,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
    cause?: unknown,
  ) {
    super(detail ?? problemTypes[problem].title, cause === undefined ? undefined : { cause });
    this.name = 'Problem';
  }
}

/** The body of a problem; `instance` is the request's URL when there is a request. */
export function problemBody(problem: ProblemType, detail?: string, instance?: string) {
  const { status, title } = problemTypes[problem];
  return { type: `/problems/${problem}`, title, status, ...(detail ? { detail } : {}), ...(instance ? { instance } : {}) };
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  problem: ProblemType,
  detail?: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  const { status } = problemTypes[problem];
  // Every 503 is a "not now": it says when to retry (a 429's Retry-After is set by its limiter).
  if (status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', String(defaultRetryAfterSeconds));
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ ...problemBody(problem, detail, request.url), ...extra });
}

/**
 * Turns validation failures into a field list: `/location/district` → `location.district`, with
 * the schemas' own words for their patterns rather than Ajv's, which would print the regex.
 */
function validationErrors(error: FastifyError): { field: string; message: string }[] {
  return (error.validation ?? []).map((v) => {
    const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const {
      missingProperty: missing,
      additionalProperty: extra,
      pattern,
    } = v.params as {
      missingProperty?: string;
      additionalProperty?: string;
      pattern?: string;
    };
    const field = [path, missing ?? extra].filter(Boolean).join('.') || error.validationContext || 'body';
    if (extra) return { field, message: 'is not a known field' };
    return { field, message: (pattern && patternMessages.get(pattern)) ?? v.message ?? 'is invalid' };
  });
}

export function errorHandler(error: FastifyError | Problem, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof Problem) {
    if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
    return sendProblem(request, reply, error.problem, error.detail, error.extra);
  }
  if (isDatabaseOutage(error)) {
    request.log.warn({ err: error }, 'database unavailable');
    return sendProblem(request, reply, 'database-unavailable');
  }
  if (error.validation) {
    return sendProblem(request, reply, 'validation', `invalid ${error.validationContext ?? 'request'}`, {
      errors: validationErrors(error),
    });
  }
  switch (error.statusCode) {
    case 413:
      return sendProblem(request, reply, 'payload-too-large');
    case 414:
      return sendProblem(request, reply, 'uri-too-long');
    case 415:
      return sendProblem(request, reply, 'unsupported-media-type');
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return sendProblem(request, reply, 'validation', error.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(request, reply, 'internal');
}
