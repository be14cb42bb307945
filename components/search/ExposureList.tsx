'use client';
// "What was newly exposed?" — listeners opened or widened lately, from the alerts the ingest
// raised; live: an exposure alert loads the list again.
import Link from 'next/link';
import { useState } from 'react';
import { listNewlyExposed, type ExposedListener } from '@/components/api/client';
import { EmptyState } from '@/components/common/EmptyState';
import { formatTimestamp, RelativeTime, useNow } from '@/components/common/RelativeTime';
import { inputClass } from '@/components/common/styles';
import { replaceSearchParams } from '@/components/common/url-state';
import { useLiveList } from '@/components/realtime/use-live-list';
import type { Column } from '@/components/table/column';
import { textColumn } from '@/components/table/text-column';
import { hostColumn } from './search-columns';
import { SearchPanel } from './SearchPanel';
import { SearchResults } from './SearchResults';
import { SEARCH_PAGE_SIZE } from './use-search';

const EXPOSURE_KINDS = new Set(['listener.opened', 'listener.widened']);
const windows = [
  { minutes: 15, label: '15 minutes' },
  { minutes: 60, label: 'hour' },
  { minutes: 360, label: '6 hours' },
  { minutes: 1440, label: '24 hours' },
] as const;

function exposureColumns(now: number): Column<ExposedListener>[] {
  return [
    {
      id: 'when',
      header: 'When',
      width: 'w-28',
      className: 'text-xs',
      title: (row) => formatTimestamp(row.lastSeenAt),
      cell: (row) => <RelativeTime iso={row.lastSeenAt} now={now} />,
    },
    hostColumn('w-[18%]'),
    { id: 'what', header: 'What', width: 'w-24', className: 'text-xs', cell: (row) => (row.kind === 'listener.widened' ? 'widened' : 'opened') },
    {
      id: 'listener',
      header: 'Listener',
      width: 'w-[22%]',
      className: 'mono truncate',
      title: (row) => row.message,
      cell: (row) => (
        <>
          {row.proto} {row.localAddress}:{row.localPort ?? '*'}
          {row.previousLocalAddress && <span className="text-xs text-slate-500"> (was {row.previousLocalAddress})</span>}
        </>
      ),
    },
    textColumn('process', 'Process', (row) => row.process),
    textColumn('user', 'User', (row) => row.user, { width: 'w-24' }),
    textColumn('state', 'State', (row) => row.state, { width: 'w-28', className: 'text-xs' }),
  ];
}

export function ExposureList({ initialMinutes }: { initialMinutes: number }) {
  const [minutes, setMinutes] = useState(initialMinutes);
  const now = useNow();
  const exposed = useLiveList({
    query: minutes,
    initial: null,
    paging: 'pages',
    pageSize: SEARCH_PAGE_SIZE,
    rowKey: (row: ExposedListener) => row.alertId,
    load: (sinceMinutes: number, at) => listNewlyExposed({ sinceMinutes, page: at.page, pageSize: at.pageSize }),
    live: {
      alert: (event, list) => EXPOSURE_KINDS.has(event.kind) && list.scheduleReload(),
    },
  });
  const windowLabel = windows.find((option) => option.minutes === minutes)?.label ?? `${minutes} minutes`;
  return (
    <SearchPanel title="What was newly exposed?" id="search-exposed">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <label className="flex items-center gap-2">
          Listeners opened or widened in the last
          <select
            value={minutes}
            onChange={(event) => {
              setMinutes(Number(event.target.value));
              replaceSearchParams({ since: Number(event.target.value) === 60 ? null : event.target.value });
            }}
            className={inputClass}
          >
            {windows.map((option) => (
              <option key={option.minutes} value={option.minutes}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <span className="text-xs text-slate-400 light:text-slate-600">(live)</span>
      </div>
      <SearchResults
        search={{ result: exposed.answer, failure: exposed.failure, goToPage: exposed.goToPage }}
        table={{ testId: 'exposure-results', noun: ['listener', 'listeners'], columns: exposureColumns(now), rowKey: (row) => String(row.alertId) }}
        rowProps={(row) => ({ 'data-host': row.host, 'data-alert-id': row.alertId, className: exposed.isFresh(row.alertId) ? 'bg-sky-500/15' : undefined })}
        empty={
          <EmptyState title={`Nothing newly exposed in the last ${windowLabel}.`}>
            <p>
              A listener that opens, or widens its bind address (from <span className="mono">127.0.0.1</span> to <span className="mono">0.0.0.0</span>), shows
              here as soon as its host reports it.{' '}
              <Link className="link" href="/alerts?kind=listener.opened">
                All new-listener alerts
              </Link>{' '}
              are in the alert queue.
            </p>
          </EmptyState>
        }
      />
    </SearchPanel>
  );
}
