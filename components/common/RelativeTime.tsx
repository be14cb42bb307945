'use client';
// "12 s ago", ticking every second; the exact time is in the tooltip.
import { useEffect, useState } from 'react';

function formatAge(seconds: number): string {
  if (seconds < 0) return 'just now';
  if (seconds < 60) return `${Math.floor(seconds)} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** "2026-11-21 10:00:05" in the analyst's time zone; the ISO instant stays in the tooltip. */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export function RelativeTime({ iso, now }: { iso: string | null; now: number }) {
  if (!iso) return <span className="text-slate-500">never</span>;
  const date = new Date(iso);
  return (
    // The server renders a moment earlier than the browser: the age text may differ by a second.
    <time dateTime={iso} title={date.toISOString()} className="tabular-nums" suppressHydrationWarning>
      {formatAge((now - date.getTime()) / 1000)}
    </time>
  );
}
