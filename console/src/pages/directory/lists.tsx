import { Alert } from 'antd';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { get } from '../../api';
import { problemZh } from '../../labels';
import type { UnitRow } from '../../types';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** A GET the page shows, loaded again on `reload` (after an edit) or when the path changes. */
export function useLoad<T>(path: string | undefined): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (path === undefined) return;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    get<T>(path, controller.signal).then(
      (data) => setState({ data, error: undefined, loading: false }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState((s) => ({ ...s, error, loading: false }));
      },
    );
    return () => controller.abort();
  }, [path, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}

/**
 * A GET's failure in words (`包案名录读取失败：…`), or false while it has not failed: a plain node,
 * not a component, so that antd's Space gives it no gap until it shows.
 */
export function loadFailure(what: string, loaded: Loaded<unknown>): ReactNode {
  return loaded.error !== undefined && <Alert type="error" showIcon title={`${what}读取失败：${problemZh(loaded.error)}`} />;
}

/** The districts the organisation names (every unit's own), for the district fields' suggestions. */
export function districtsOf(units: readonly UnitRow[] | undefined): string[] {
  return [...new Set((units ?? []).flatMap((u) => u.districts))].sort();
}
