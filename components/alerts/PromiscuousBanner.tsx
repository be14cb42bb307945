'use client';
// The sniffer alarm on every dashboard page: one line per open "interface entered promiscuous mode"
// alert, live, until an analyst acknowledges it (on any screen — the ack reaches every screen).
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import { describeFailure, listAlerts, triageAlert } from '@/components/api/client';
import { useSession } from '@/components/layout/SessionProvider';
import { useRealtime, useRealtimeEvent } from '@/components/realtime/RealtimeProvider';
import { hostPath } from '@/components/common/url-state';
import type { AlertEvent } from '@/lib/realtime/events';
import { PROMISCUOUS_ON_KIND } from './alert-kinds';
import { canTriage } from './use-triage';

interface SnifferAlert {
  id: number;
  host: string;
  interfaceName: string | null;
  message: string;
  lastSeenAt: string;
}

/** More than this many lines would push the page down too far: the rest are counted, with a link. */
const MAX_LINES = 3;

export type SnifferAlertSource = Pick<AlertEvent, 'id' | 'host' | 'subject' | 'message' | 'lastSeenAt'>;

function toSnifferAlert(alert: SnifferAlertSource): SnifferAlert {
  const name = alert.subject?.name;
  return { id: alert.id, host: alert.host, interfaceName: typeof name === 'string' ? name : null, message: alert.message, lastSeenAt: alert.lastSeenAt };
}

/** `initial`: the open alerts when the page was rendered, so the banner is there from the first paint. */
export function PromiscuousBanner({ initial }: { initial: SnifferAlertSource[] }) {
  const session = useSession();
  const { resyncToken } = useRealtime();
  const [alerts, setAlerts] = useState<ReadonlyMap<number, SnifferAlert>>(() => new Map(initial.map((alert) => [alert.id, toSnifferAlert(alert)])));
  const [busyId, setBusyId] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const load = useCallback(async () => {
    // A failed refresh keeps the lines shown: the next event or reconnect asks again.
    const open = await listAlerts({ state: 'open', kind: PROMISCUOUS_ON_KIND, limit: 100 }).catch(() => null);
    if (open) setAlerts(new Map(open.map((alert) => [alert.id, toSnifferAlert(alert)])));
  }, []);

  // Again once mounted (an alert may have opened between rendering and connecting) and after every reconnect.
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- load sets state only once the server answers (after its await), not synchronously.
    void load();
  }, [load, resyncToken]);

  useRealtimeEvent('alert', (event) => {
    if (event.kind !== PROMISCUOUS_ON_KIND) return;
    setAlerts((current) => {
      const next = new Map(current);
      if (event.state === 'open') next.set(event.id, toSnifferAlert(event));
      else next.delete(event.id);
      return next;
    });
  });
  useRealtimeEvent('alert:ack', (event) => {
    if (event.kind !== PROMISCUOUS_ON_KIND) return;
    // A reopened alert needs its message and interface again: ask the server.
    if (event.state === 'open') return void load();
    setAlerts((current) => {
      if (!current.has(event.id)) return current;
      const next = new Map(current);
      next.delete(event.id);
      return next;
    });
  });

  const acknowledge = async (alert: SnifferAlert) => {
    setBusyId(alert.id);
    setFailure(null);
    try {
      await triageAlert(session, alert.id, { action: 'acknowledge' });
      setAlerts((current) => {
        const next = new Map(current);
        next.delete(alert.id);
        return next;
      });
    } catch (error) {
      setFailure(`Could not acknowledge: ${describeFailure(error)}`);
    } finally {
      setBusyId(null);
    }
  };

  if (alerts.size === 0) return null;
  const mayAcknowledge = canTriage(session);
  // Newest first: the interface that just turned promiscuous is the one to look at.
  const newestFirst = [...alerts.values()].sort((a, b) => b.id - a.id);
  const hidden = newestFirst.length - MAX_LINES;
  return (
    <div role="alert" data-testid="promiscuous-banner" className="border-b-2 border-red-500 bg-red-950 text-red-50 light:bg-red-50 light:text-red-950">
      <ul className="mx-auto max-w-screen-2xl divide-y divide-red-800/60 px-4 light:divide-red-200">
        {newestFirst.slice(0, MAX_LINES).map((alert) => (
          <li key={alert.id} data-alert-id={alert.id} data-host={alert.host} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-sm">
            <span aria-hidden className="text-lg leading-none text-red-400 light:text-red-600">
              ⚠
            </span>
            <strong className="font-semibold">Promiscuous interface</strong>
            <span>
              <span className="mono rounded bg-red-900/70 px-1.5 py-0.5 light:bg-red-100">{alert.interfaceName ?? 'unknown'}</span> on{' '}
              <span className="mono font-semibold">{alert.host}</span> — something may be sniffing traffic.
            </span>
            <Link
              className="underline decoration-red-400 underline-offset-2 hover:text-white light:hover:text-red-700"
              href={hostPath(alert.host, `?tab=interfaces${alert.interfaceName ? `&iface=${encodeURIComponent(alert.interfaceName)}` : ''}`)}
            >
              Show interface
            </Link>
            <span className="ml-auto flex items-center gap-3">
              {mayAcknowledge ? (
                <button
                  type="button"
                  disabled={busyId === alert.id}
                  onClick={() => void acknowledge(alert)}
                  className="rounded bg-red-600 px-3 py-1 text-sm font-medium text-white hover:bg-red-500 disabled:opacity-60"
                >
                  {busyId === alert.id ? 'Acknowledging…' : 'Acknowledge'}
                </button>
              ) : (
                <span className="text-xs text-red-300 light:text-red-700">An analyst must acknowledge this.</span>
              )}
            </span>
          </li>
        ))}
        {hidden > 0 && (
          <li className="py-2 text-sm">
            <Link className="underline decoration-red-400 underline-offset-2" href={`/alerts?state=open&kind=${encodeURIComponent(PROMISCUOUS_ON_KIND)}`}>
              {hidden} more promiscuous {hidden === 1 ? 'interface' : 'interfaces'} — see the alerts
            </Link>
          </li>
        )}
      </ul>
      {failure && <p className="mx-auto max-w-screen-2xl px-4 pb-2 text-sm text-red-200 light:text-red-800">{failure}</p>}
    </div>
  );
}
