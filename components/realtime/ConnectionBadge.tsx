'use client';
import { useRealtime } from './RealtimeProvider';

const look = {
  live: { text: 'Live', dot: 'bg-emerald-400', label: 'text-emerald-300 light:text-emerald-700' },
  connecting: { text: 'Connecting…', dot: 'bg-slate-400', label: 'text-slate-300 light:text-slate-600' },
  reconnecting: { text: 'Reconnecting…', dot: 'bg-amber-400 animate-pulse', label: 'text-amber-300 light:text-amber-700' },
} as const;

export function ConnectionBadge() {
  const { state } = useRealtime();
  const style = look[state];
  return (
    <span
      role="status"
      aria-live="polite"
      data-testid="connection-state"
      data-state={state}
      className={`inline-flex w-32 items-center gap-2 text-xs ${style.label}`}
    >
      <span className={`h-2 w-2 rounded-full ${style.dot}`} aria-hidden />
      {style.text}
    </span>
  );
}
