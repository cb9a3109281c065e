/**
 * The landing page's first reads, asked for as soon as the console's code runs rather than after
 * React's first renders: `GET /session`, and for a person signed in and landing on 待办, `GET /work`
 * as soon as the session is known, while the page itself is still rendering (bench:console measures
 * the queue). Each is taken once; a later read asks the API again.
 */
import { get } from './api';
import type { Caller, CaseRow } from './types';

let session: Promise<Caller | undefined> | undefined = get<Caller | undefined>('/session');
let work: Promise<{ items: CaseRow[] } | undefined> | undefined;

/** Asks for `GET /work` once the session answers with a person; nobody signed in asks nothing (no 401 in the browser's console). */
export function askWorkEarly(): void {
  work = session?.then((caller) => (caller ? get<{ items: CaseRow[] }>('/work') : undefined));
  // One that fails is asked again by the page: nothing to report here.
  work?.catch(() => undefined);
}

/** The early `GET /session`, the first time only. */
export function takeEarlySession(): Promise<Caller | undefined> | undefined {
  const taken = session;
  session = undefined;
  return taken;
}

/** The early `GET /work`, the first time only. */
export function takeEarlyWork(): Promise<{ items: CaseRow[] } | undefined> | undefined {
  const taken = work;
  work = undefined;
  return taken;
}
