/**
 * The landing page's first reads, asked for by index.html's own script while the console's code
 * still loads, rather than after it and React's first renders: who is signed in (named in the page
 * by the API, else `GET /session`), and for a person signed in and landing on 待办, `GET /work`
 * (bench:console measures the queue). Each is taken once; a later read asks the API again.
 */
import { answerOf, get } from './api';
import type { Caller, CaseRow } from './types';

/** What index.html started: each answer, or undefined where it failed or was not asked. */
interface EarlyReads {
  /** The caller as the API named it in the page (api/routes/console.ts), null for nobody; undefined when it did not. */
  caller?: Caller | null;
  /** `GET /session`, asked only when the page did not name the caller. */
  session?: Promise<Response | undefined>;
  work?: Promise<Response | undefined>;
}

declare global {
  interface Window {
    __consoleEarly?: EarlyReads;
  }
}

const early = window.__consoleEarly;

function askSession(): Promise<Caller | undefined> {
  if (early?.caller !== undefined) return Promise.resolve(early.caller ?? undefined);
  // A read that failed on the way is asked again here, so its error is the API client's own.
  return early?.session
    ? early.session.then((answer) => (answer ? answerOf<Caller | undefined>(answer) : get<Caller | undefined>('/session')))
    : get<Caller | undefined>('/session');
}

let session: Promise<Caller | undefined> | undefined = askSession();
let work: Promise<{ items: CaseRow[] } | undefined> | undefined = early?.work?.then((answer) => (answer ? answerOf<{ items: CaseRow[] }>(answer) : undefined));

// The answers as they come, for a first render that need not wait for them: both usually come
// before the console's code has run, and a page rendered with its data is rendered once.
let sessionNow: Caller | null | undefined = early?.caller;
let workNow: CaseRow[] | undefined;
session.then(
  (who) => (sessionNow = who ?? null),
  () => undefined,
);
// One that fails is asked again by the page: nothing to report here.
work?.then(
  (answer) => (workNow = answer?.items),
  () => undefined,
);

/** The early `GET /session`, the first time only. */
export function takeEarlySession(): Promise<Caller | undefined> | undefined {
  const taken = session;
  session = undefined;
  return taken;
}

/** Who `GET /session` named, if it has answered yet: a person, null for nobody, else undefined. */
export function earlySessionNow(): Caller | null | undefined {
  return sessionNow;
}

/** The early `GET /work`, the first time only. */
export function takeEarlyWork(): Promise<{ items: CaseRow[] } | undefined> | undefined {
  const taken = work;
  work = undefined;
  return taken;
}

/** The early `GET /work`'s items if they have come, the first time only (then takeEarlyWork has nothing). */
export function takeEarlyWorkNow(): CaseRow[] | undefined {
  const taken = workNow;
  if (taken) work = workNow = undefined;
  return taken;
}
