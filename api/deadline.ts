import type { FastifyInstance, FastifyReply, RouteOptions } from 'fastify';
import { Problem } from './problem';

/** What a caller should wait before retrying a request that ran out of time: the backlog is ours. */
export const deadlineRetryAfterSeconds = 5;

/**
 * Holds every route to one deadline, counted from the request's arrival: the handler races the
 * time left, and if the time runs out first the caller gets a 503 with Retry-After at once. The
 * waits underneath (a Postgres connection, a statement, a Temporal call) each have their own
 * timeouts, but they add up: one request waited 21 s for a declared 10 s. The work the handler
 * started is not cancelled (Postgres and Temporal go on with it), so a 503 here means "may have
 * happened": retry with the same idempotency key.
 */
export function holdToDeadline(route: RouteOptions, deadlineMs: number): void {
  const handler = route.handler;
  route.handler = function (this: FastifyInstance, request, reply) {
    const result: unknown = handler.call(this, request, reply);
    // Only promises are raced: a handler that answered through `reply` has already answered.
    return result instanceof Promise ? raceDeadline(result, reply, deadlineMs) : result;
  };
}

async function raceDeadline(work: Promise<unknown>, reply: FastifyReply, deadlineMs: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reply.header('retry-after', String(deadlineRetryAfterSeconds));
      reject(new Problem('deadline-exceeded', `no answer within ${deadlineMs} ms; retry in ${deadlineRetryAfterSeconds} s`));
    }, Math.max(0, deadlineMs - reply.elapsedTime));
  });
  try {
    // The race settles once; a late rejection of `work` is handled by it, so it never goes unhandled.
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
