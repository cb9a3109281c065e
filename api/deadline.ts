import type { FastifyInstance, FastifyReply, RouteOptions } from 'fastify';
import { defaultRetryAfterSeconds, Problem } from './problem';

/** The deadlines the API declares (README, "Health, deadline and limits"). */
export interface Deadlines {
  /** Any request, from arrival to answer. */
  requestMs: number;
  /** A registration: it may queue behind a burst of others (api/admission.ts) before its work. */
  intakeMs: number;
  /** One call to Temporal, within either. */
  temporalCallMs: number;
}

export const defaultDeadlines: Deadlines = { requestMs: 10_000, intakeMs: 30_000, temporalCallMs: 10_000 };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `intake`: the route registers cases and answers within the intake deadline. */
    deadline?: 'intake';
  }
}

/**
 * Holds every route to one deadline, counted from the request's arrival: the handler races the
 * time left, and if the time runs out first the caller gets a 503 with Retry-After at once. The
 * waits underneath (a Postgres connection, a statement, a Temporal call) each have their own
 * timeouts, but they add up: one request waited 21 s for a declared 10 s. The work the handler
 * started is not cancelled (Postgres and Temporal go on with it), so a 503 here means "may have
 * happened": retry with the same idempotency key.
 */
export function holdToDeadline(route: RouteOptions, deadlines: Deadlines): void {
  const deadlineMs = route.config?.deadline === 'intake' ? deadlines.intakeMs : deadlines.requestMs;
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
    timer = setTimeout(
      () => {
        reject(new Problem('deadline-exceeded', `no answer within ${deadlineMs} ms; retry in ${defaultRetryAfterSeconds} s`));
      },
      Math.max(0, deadlineMs - reply.elapsedTime),
    );
  });
  try {
    // The race settles once; a late rejection of `work` is handled by it, so it never goes unhandled.
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
