'use client';
// Live events can arrive many times a second (a busy host, a whole fleet reporting): the work
// they trigger runs at most once per interval, and always once more after the last event.
import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';

export function useCoalesced(run: () => Promise<void> | void, intervalMs = 1000): () => void {
  const latest = useRef(run);
  // Kept current after each commit, before any timer can fire.
  useLayoutEffect(() => {
    latest.current = run;
  });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastRunAt = useRef(0);
  useEffect(() => () => clearTimeout(timer.current ?? undefined), []);
  return useCallback(() => {
    if (timer.current) return;
    const wait = Math.max(0, lastRunAt.current + intervalMs - Date.now());
    timer.current = setTimeout(() => {
      timer.current = null;
      lastRunAt.current = Date.now();
      void latest.current();
    }, wait);
  }, [intervalMs]);
}
