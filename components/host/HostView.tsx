'use client';
// One host: what listens, what is connected, what runs, which interfaces, how its network paths
// perform and how it changed — refreshed live when the host's collector reports. The tab is in
// the URL (?tab=), so every view can be linked to.
import { useCallback, useEffect, useRef, useState } from 'react';
import { getHost, type HostDetail } from '@/components/api/client';
import { formatTimestamp, RelativeTime, useNow } from '@/components/common/RelativeTime';
import { chipClass } from '@/components/common/styles';
import { TabList, tabId, tabPanelId, type TabItem } from '@/components/common/Tabs';
import { replaceSearchParams } from '@/components/common/url-state';
import { useCoalesced } from '@/components/common/use-coalesced';
import { HostStatusPill } from '@/components/fleet/HostStatusPill';
import { HistoryPanel } from '@/components/history/HistoryPanel';
import { LatencyPanel } from '@/components/latency/LatencyPanel';
import { useHostSubscription, useRealtime, useRealtimeEvent } from '@/components/realtime/RealtimeProvider';
import { hostStatus } from '@/lib/hosts/host-status';
import { HostNotReported } from './host-empty-states';
import type { HostTab } from './host-tabs';
import { InterfaceTable } from './InterfaceTable';
import { PackageTable } from './PackageTable';
import { ProcessTree } from './ProcessTree';
import { SocketTable, socketKey } from './SocketTable';

const TAB_PREFIX = 'host';
const noneHighlighted: ReadonlySet<string> = new Set();
/** What both socket tabs take from the host: its processes (for command lines), its name and snapshot (for the CSV). */
const socketTableOf = (host: HostDetail) => ({ processes: host.processes, hostName: host.name, snapshotId: host.snapshotId });

interface HostViewProps {
  initial: HostDetail;
  initialTab: HostTab;
  /** An interface to bring into view (the promiscuous banner links here). */
  focusInterface: string | null;
  silentAfterIntervals: number;
}

export function HostView({ initial, initialTab, focusInterface, silentAfterIntervals }: HostViewProps) {
  const [host, setHost] = useState(initial);
  const [tab, setTab] = useState<HostTab>(initialTab);
  const [highlighted, setHighlighted] = useState<ReadonlySet<string>>(new Set());
  const now = useNow();
  const { resyncToken } = useRealtime();
  const known = useRef(new Set(initial.listeningSockets.map(socketKey)));
  useHostSubscription(initial.name);

  const refresh = useCallback(async () => {
    // A failed refresh keeps what is shown: the next snapshot or reconnect asks again.
    const next = await getHost(initial.name).catch(() => null);
    if (!next) return;
    const fresh = next.listeningSockets.map(socketKey).filter((key) => !known.current.has(key));
    known.current = new Set(next.listeningSockets.map(socketKey));
    setHost(next);
    if (fresh.length > 0) setHighlighted(new Set(fresh));
  }, [initial.name]);

  const scheduleRefresh = useCoalesced(refresh);

  useRealtimeEvent('snapshot', (event) => {
    if (event.host !== initial.name) return;
    // An unchanged snapshot only moves "last seen"; no need to fetch the sections again.
    if (Object.values(event.changed).some(Boolean)) scheduleRefresh();
    else setHost((current) => ({ ...current, lastSeenAt: new Date().toISOString(), snapshotId: event.id, collectedAt: event.collectedAt }));
  });
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- refresh sets state only once the server answers (after its await), not synchronously.
    if (resyncToken > 0) void refresh();
  }, [resyncToken, refresh]);

  const selectTab = (next: HostTab) => {
    setTab(next);
    replaceSearchParams({ tab: next === 'listening' ? null : next, iface: next === 'interfaces' ? focusInterface : null });
  };

  const promiscuousCount = host.interfaces?.filter((item) => item.promiscuous).length ?? 0;
  const count = (value: number | null) => (value === null ? null : <span className="ml-1 text-xs tabular-nums text-slate-500">{value}</span>);
  const tabs: TabItem<HostTab>[] = [
    { id: 'listening', label: <>Listening{count(host.listeningSockets.length)}</> },
    { id: 'established', label: <>Established{count(host.establishedSockets.length)}</> },
    { id: 'processes', label: <>Processes{count(host.processes?.length ?? null)}</> },
    {
      id: 'interfaces',
      label: (
        <>
          Interfaces{count(host.interfaces?.length ?? null)}
          {promiscuousCount > 0 && <span className={`${chipClass} ml-1.5 bg-red-600 text-white`}>{promiscuousCount} PROMISC</span>}
        </>
      ),
    },
    { id: 'packages', label: <>Packages{count(host.packages?.length ?? null)}</> },
    { id: 'latency', label: 'Latency' },
    { id: 'history', label: 'History' },
  ];

  return (
    <section aria-labelledby="host-title" className="space-y-4">
      <div className="flex flex-wrap items-baseline gap-x-6 gap-y-1">
        <h1 id="host-title" className="font-mono text-xl font-semibold">
          {host.name}
        </h1>
        <HostStatusPill status={hostStatus(host.lastSeenAt ? new Date(host.lastSeenAt) : null, host.intervalSeconds, silentAfterIntervals, now)} />
        <span className="text-sm text-slate-400 light:text-slate-600">{host.os ?? 'unknown OS'}</span>
        {host.kernel && <span className="text-sm text-slate-500">{host.kernel}</span>}
        {host.labels.map((label) => (
          <span key={label} className={`${chipClass} bg-slate-800 text-slate-300 light:bg-slate-200 light:text-slate-700`}>
            {label}
          </span>
        ))}
        <span className="text-sm text-slate-400 light:text-slate-600">
          last snapshot <RelativeTime iso={host.lastSeenAt} now={now} />
          {host.collectedAt && (
            <span className="ml-2 text-xs text-slate-500">
              (collected {formatTimestamp(host.collectedAt)}, #{host.snapshotId})
            </span>
          )}
        </span>
        {host.learningUntil && new Date(host.learningUntil).getTime() > now && (
          <span
            className="text-sm text-slate-400 light:text-slate-600"
            data-testid="learning-until"
            title="New programs raise alerts only from writable places, or when they listen, until then (SOCKSCOPE_LEARNING_HOURS)"
          >
            learning its programs until {formatTimestamp(host.learningUntil)}
          </span>
        )}
      </div>
      {host.snapshotId === null ? (
        <HostNotReported hostName={host.name} />
      ) : (
        <>
          <TabList label="Host inventory" idPrefix={TAB_PREFIX} tabs={tabs} selected={tab} onSelect={selectTab} />
          <div role="tabpanel" id={tabPanelId(TAB_PREFIX, tab)} aria-labelledby={tabId(TAB_PREFIX, tab)} tabIndex={0} className="panel overflow-x-auto">
            {tab === 'listening' && (
              <SocketTable {...socketTableOf(host)} sockets={host.listeningSockets} highlighted={highlighted} testId="listening-sockets" variant="listening" />
            )}
            {tab === 'established' && (
              <SocketTable
                {...socketTableOf(host)}
                sockets={host.establishedSockets}
                highlighted={noneHighlighted}
                testId="established-sockets"
                variant="established"
              />
            )}
            {tab === 'processes' && <ProcessTree processes={host.processes} />}
            {tab === 'interfaces' && <InterfaceTable interfaces={host.interfaces} focusName={focusInterface} />}
            {tab === 'packages' && <PackageTable packages={host.packages} hostName={host.name} />}
            {tab === 'latency' && <LatencyPanel hostName={host.name} isBuiltIn={host.labels.includes('local')} />}
            {tab === 'history' && <HistoryPanel hostName={host.name} intervalSeconds={host.intervalSeconds} />}
          </div>
        </>
      )}
    </section>
  );
}
