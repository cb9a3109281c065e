/**
 * Who is signed in. The session itself is the server's (an HttpOnly cookie the console never
 * sees): the console asks `GET /session` at load, and forgets the person when any call answers 401.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, get, onUnauthenticated, request } from './api';
import { earlySessionNow, takeEarlySession } from './early';
import type { Caller } from './types';

interface SignedIn {
  caller: Caller;
  expiresAt: string;
}

export interface Session {
  /** undefined while loading, null when nobody is signed in. */
  caller: Caller | null | undefined;
  /** Why the session could not be read (the service is down): the shell offers to retry. */
  loadError: unknown;
  /** The person was signed in and the API then answered 401: sign-in says the session ended. */
  expired: boolean;
  reload: () => void;
  signIn: (account: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  // Known at once when index.html's early read has answered: the first render is the page itself.
  const [caller, setCaller] = useState<Caller | null | undefined>(earlySessionNow);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const [attempt, setAttempt] = useState(0);
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    // 204 (undefined): nobody is signed in.
    (takeEarlySession() ?? get<Caller | undefined>('/session', controller.signal)).then(
      (who) => setCaller(who ?? null),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status === 401) setCaller(null);
        else setLoadError(error);
      },
    );
    return () => controller.abort();
  }, [attempt]);

  // Read by the 401 handler, which outlives renders: only a person who was signed in needs telling.
  const signedIn = useRef(false);
  useEffect(() => {
    signedIn.current = Boolean(caller);
  }, [caller]);
  useEffect(
    () =>
      onUnauthenticated(() => {
        if (signedIn.current) setExpired(true);
        setCaller(null);
      }),
    [],
  );

  const reload = useCallback(() => {
    setLoadError(undefined);
    setCaller(undefined);
    setAttempt((n) => n + 1);
  }, []);

  const signIn = useCallback(async (account: string, password: string) => {
    const answer = await request<SignedIn>('POST', '/session', { body: { account, password }, expect401: true });
    setExpired(false);
    setCaller(answer.caller);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await request('DELETE', '/session', { expect401: true });
    } finally {
      setCaller(null);
    }
  }, []);

  const value = useMemo(() => ({ caller, loadError, expired, reload, signIn, signOut }), [caller, loadError, expired, reload, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in person, inside the pages that require one (RequireSession guarantees it). */
export function useCaller(): Caller {
  const { caller } = useSession();
  if (!caller) throw new Error('useCaller without a signed-in person');
  return caller;
}

export const holds = (caller: Caller, role: string): boolean => caller.roles.includes(role);
