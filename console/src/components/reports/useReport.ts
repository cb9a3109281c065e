import { useEffect, useState } from 'react';
import { get } from '../../api';

export interface Loaded<T> {
  data: T | undefined;
  loading: boolean;
  error: unknown;
}

/** GETs a report, again whenever its URL changes (a new period); an answer for an old URL is dropped. */
export function useReport<T>(url: string): Loaded<T> {
  const [state, setState] = useState<Loaded<T> & { url?: string }>({ data: undefined, loading: true, error: undefined });
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    get<T>(url, controller.signal).then(
      (data) => setState({ url, data, loading: false, error: undefined }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ url, data: undefined, loading: false, error });
      },
    );
    return () => controller.abort();
  }, [url]);
  return state;
}
