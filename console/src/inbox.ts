import { useCallback, useSyncExternalStore } from 'react';
import { get } from './api';
import { useLiveRefresh } from './live';

/** `GET /inbox` (api/routes/inbox.ts). */
export interface InboxAnswer {
  unread: number;
  items: { noticeId: string; caseId: string; kind: string; text: string; createdAt: string; readAt: string | null }[];
}

/** The unread count the header shows, which the inbox page sets too once it marks notices read. */
let unread = 0;
const listeners = new Set<() => void>();

export function setUnread(count: number): void {
  unread = count;
  for (const listener of listeners) listener();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** How many notices the caller has not read, kept fresh as cases move. */
export function useUnread(): number {
  const load = useCallback(async (signal: AbortSignal) => {
    const answer = await get<InboxAnswer>('/inbox?unread=true&limit=1', signal).catch(() => undefined);
    if (answer) setUnread(answer.unread);
  }, []);
  useLiveRefresh(load);
  return useSyncExternalStore(subscribe, () => unread);
}
