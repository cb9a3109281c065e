import type pg from 'pg';
import { liveSessions } from '../db/accounts';
import { listenForCaseChanges, type CaseChange, type CaseChangeListener, type CaseMoved } from '../db/case-changes';
import type { Db } from '../db/client';
import type { Logger } from '../lib/logger';
import { Problem } from './problem';
import type { Scope } from './scope';

/** Why the server ends a stream; sent as the last event's name before it closes. */
export type EndReason = 'session-ended' | 'unavailable' | 'closing';

export interface Subscriber {
  personId: string;
  scope: Scope;
  /** The session the stream was opened with (a person's); absent for an ops key. */
  sessionSha256: string | undefined;
  send(event: CaseMoved): void;
  end(reason: EndReason): void;
}

export interface LiveHubOptions {
  db: Db;
  /** The API's pool, whose settings the LISTEN connection copies. */
  pool: pg.Pool;
  logger: Logger;
  sessionIdleMs: number;
  /** Streams one person may hold at once (tabs); more answer 429. */
  maxPerPerson: number;
  /** How often the streams' sessions are checked (signed out elsewhere, idle, disabled). */
  sessionCheckMs: number;
}

/** Whether a change concerns someone of this scope (api/scope.ts): the case is, or just was, theirs to see. */
export function concerns(scope: Scope, change: CaseChange): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'districts':
      return scope.districts.includes(change.district);
    case 'unit':
      return change.unit === scope.unitId || change.previousUnit === scope.unitId;
    case 'submitted':
      // The read side does not keep who submitted a case; integrators are not offered streams.
      return false;
  }
}

/**
 * The fan-out of the case change feed to the live streams of this API process: one LISTEN
 * connection (opened with the first stream), each change sent to the streams whose scope sees the
 * case. A lost connection ends every stream, so the consoles fall back to polling and re-read when
 * they reconnect, instead of trusting a stream that has gone deaf.
 */
export class LiveHub {
  private readonly subscribers = new Set<Subscriber>();
  private listener: Promise<CaseChangeListener> | undefined;
  private sessionCheck: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: LiveHubOptions) {}

  /** Joins a stream once the feed is heard; 503 if it cannot be, 429 past the person's bound. Answers the leave. */
  async join(subscriber: Subscriber): Promise<() => void> {
    if (this.closed) throw new Problem('not-ready', 'the service is shutting down');
    try {
      await this.listening();
    } catch (err) {
      throw new Problem('database-unavailable', 'the change feed cannot be listened to now; poll, or retry later', {}, err);
    }
    // Counted after the wait, with nothing awaited before the add: streams opened at once are counted too.
    if (this.closed) throw new Problem('not-ready', 'the service is shutting down');
    const held = [...this.subscribers].filter((s) => s.personId === subscriber.personId).length;
    if (held >= this.options.maxPerPerson) {
      throw new Problem('rate-limited', `at most ${this.options.maxPerPerson} live streams per person; close a tab or poll`);
    }
    this.subscribers.add(subscriber);
    this.sessionCheck ??= setInterval(() => void this.checkSessions(), this.options.sessionCheckMs).unref();
    return () => this.leave(subscriber);
  }

  /** Ends the streams opened with this session (it was signed out here). */
  endSession(sessionSha256: string): void {
    for (const s of this.subscribers) if (s.sessionSha256 === sessionSha256) this.end(s, 'session-ended');
  }

  /** Ends every stream and stops listening: the API is closing. */
  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.subscribers) this.end(s, 'closing');
    clearInterval(this.sessionCheck);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.then((l) => l.close()).catch(() => undefined);
  }

  get size(): number {
    return this.subscribers.size;
  }

  private leave(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0) {
      clearInterval(this.sessionCheck);
      this.sessionCheck = undefined;
    }
  }

  private end(subscriber: Subscriber, reason: EndReason): void {
    this.leave(subscriber);
    subscriber.end(reason);
  }

  private listening(): Promise<CaseChangeListener> {
    this.listener ??= listenForCaseChanges({
      connection: this.options.pool.options,
      log: this.options.logger,
      onChange: (change) => this.fanOut(change),
      onLost: () => {
        this.listener = undefined;
        for (const s of this.subscribers) this.end(s, 'unavailable');
      },
    }).catch((err: unknown) => {
      this.listener = undefined;
      throw err;
    });
    return this.listener;
  }

  private fanOut(change: CaseChange): void {
    const event: CaseMoved = { id: change.id, status: change.status, version: change.version, at: change.at };
    for (const s of this.subscribers) if (concerns(s.scope, change)) s.send(event);
  }

  /**
   * Ends the streams whose session ended by other ways than a sign-out here: idle, past its end,
   * signed out through another API process, the account disabled. One query for all of them.
   */
  private async checkSessions(): Promise<void> {
    const withSession = [...this.subscribers].filter((s) => s.sessionSha256 !== undefined);
    if (withSession.length === 0) return;
    try {
      const live = await liveSessions(this.options.db, [...new Set(withSession.map((s) => s.sessionSha256 ?? ''))], this.options.sessionIdleMs);
      for (const s of withSession) if (!live.has(s.sessionSha256 ?? '')) this.end(s, 'session-ended');
    } catch (err) {
      // Postgres is away: the streams carry on; the next check decides.
      this.options.logger.warn({ err }, 'live streams: the sessions could not be checked');
    }
  }
}
