/** Data hooks: one-off loads and server-side cursor pagination (the cursor trail lives in the URL-less state). */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from './api-types.ts';

export interface Async<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (d: T) => void;
}

export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const ac = new AbortController();
    setState((s) => ({ data: s.data, loading: true }));
    load(ac.signal).then(
      (data) => !ac.signal.aborted && setState({ data, loading: false }),
      (error) => !ac.signal.aborted && setState({ error, loading: false }),
    );
    return () => ac.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return {
    data: state.data,
    error: state.error,
    loading: state.loading,
    reload: useCallback(() => setTick((t) => t + 1), []),
    setData: useCallback((data: T) => setState({ data, loading: false }), []),
  };
}

export interface Paged<T> extends Async<Page<T>> {
  page: number;
  hasNext: boolean;
  hasPrev: boolean;
  next: () => void;
  prev: () => void;
}

/**
 * Server-side pagination with opaque cursors: remembers the cursors of the pages already seen so Previous
 * works, and starts over when a filter (a dep) changes.
 */
export function usePaged<T>(load: (cursor: string | null, signal: AbortSignal) => Promise<Page<T>>, deps: unknown[]): Paged<T> {
  const [trail, setTrail] = useState<(string | null)[]>([null]);
  const key = JSON.stringify(deps);
  const lastKey = useRef(key);
  if (lastKey.current !== key) {
    lastKey.current = key;
    if (trail.length !== 1) setTrail([null]);
  }
  const cursor = trail[trail.length - 1];
  const res = useAsync((signal) => load(cursor, signal), [key, cursor]);
  return {
    ...res,
    page: trail.length,
    hasPrev: trail.length > 1,
    hasNext: Boolean(res.data?.nextCursor),
    next: () => res.data?.nextCursor && setTrail((t) => [...t, res.data!.nextCursor]),
    prev: () => setTrail((t) => (t.length > 1 ? t.slice(0, -1) : t)),
  };
}
