// The fleet table's columns: a host's name and labels, status, OS, counts and last snapshot.
import Link from 'next/link';
import type { HostPage } from '@/components/api/client';
import { RelativeTime } from '@/components/common/RelativeTime';
import { chipClass } from '@/components/common/styles';
import { hostPath } from '@/components/common/url-state';
import type { Column } from '@/components/table/column';
import { hostStatus } from '@/lib/hosts/host-status';
import { HostStatusPill } from './HostStatusPill';

export type HostSummary = HostPage['hosts'][number];

/** A count that stands out, and links to what it counts, when there is any. */
function Count({ value, href }: { value: number; href: string }) {
  if (value === 0) return 0;
  return (
    <Link className="hover:underline" href={href}>
      {value}
    </Link>
  );
}

export function fleetColumns(now: number, silentAfterIntervals: number): Column<HostSummary>[] {
  return [
    {
      id: 'host',
      header: 'Host',
      width: 'w-[30%]',
      className: 'truncate',
      cell: (host) => (
        <>
          <Link className="link mono" href={hostPath(host.name)}>
            {host.name}
          </Link>
          {host.labels.map((label) => (
            <span key={label} className={`${chipClass} ml-2 bg-slate-800 text-slate-300 light:bg-slate-200 light:text-slate-700`}>
              {label}
            </span>
          ))}
        </>
      ),
    },
    {
      id: 'status',
      header: 'Status',
      width: 'w-24',
      cell: (host) => (
        <HostStatusPill status={hostStatus(host.lastSeenAt ? new Date(host.lastSeenAt) : null, host.intervalSeconds, silentAfterIntervals, now)} />
      ),
    },
    { id: 'os', header: 'OS', className: 'truncate text-slate-400 light:text-slate-600', title: (host) => host.os ?? '', cell: (host) => host.os ?? '—' },
    { id: 'listeners', header: 'Listeners', width: 'w-28', className: 'tabular-nums', testId: 'listener-count', cell: (host) => host.listenerCount },
    {
      id: 'alerts',
      header: 'Open alerts',
      width: 'w-28',
      className: (host) => `tabular-nums ${host.openAlertCount > 0 ? 'font-semibold text-amber-300 light:text-amber-700' : ''}`,
      testId: 'alert-count',
      cell: (host) => <Count value={host.openAlertCount} href={`/alerts?host=${encodeURIComponent(host.name)}&state=open`} />,
    },
    {
      id: 'promiscuous',
      header: 'Promiscuous',
      width: 'w-36',
      className: (host) => `tabular-nums ${host.promiscuousCount > 0 ? 'font-semibold text-red-400 light:text-red-700' : ''}`,
      testId: 'promiscuous-count',
      cell: (host) => <Count value={host.promiscuousCount} href={hostPath(host.name, '?tab=interfaces')} />,
    },
    { id: 'lastSnapshot', header: 'Last snapshot', width: 'w-32', cell: (host) => <RelativeTime iso={host.lastSeenAt} now={now} /> },
  ];
}
