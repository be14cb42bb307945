'use client';
// Alerts of one kind on one host close together (group-alerts.ts), as one row with a count:
// expandable to the alerts themselves, acknowledged together.
import { useState } from 'react';
import type { AlertView } from '@/components/api/client';
import { formatTimestamp, RelativeTime } from '@/components/common/RelativeTime';
import { smallButtonClass } from '@/components/common/styles';
import { AlertIdentityCells } from './AlertIdentityCells';
import { AlertRow } from './AlertRow';
import type { Triage } from './use-triage';

interface AlertGroupRowProps {
  /** Newest first, as the list holds them. */
  members: AlertView[];
  isFresh: (alertId: number) => boolean;
  now: number;
  triage: Triage | null;
  columnCount: number;
}

export function AlertGroupRow({ members, isFresh, now, triage, columnCount }: AlertGroupRowProps) {
  const [isExpanded, setExpanded] = useState(false);
  const newest = members[0] as AlertView;
  const oldest = members.at(-1) as AlertView;
  const open = members.filter((member) => member.state === 'open');
  const spanMinutes = Math.max(1, Math.round((Date.parse(newest.lastSeenAt) - Date.parse(oldest.lastSeenAt)) / 60_000));
  return (
    <>
      <tr
        data-alert-group={newest.kind}
        data-group-size={members.length}
        className={members.some((member) => isFresh(member.id)) ? 'bg-sky-500/15' : undefined}
      >
        <AlertIdentityCells level={Math.max(...members.map((member) => member.level))} kind={newest.kind} host={newest.host} />
        <td className="text-sm">
          <button type="button" className="link text-left" aria-expanded={isExpanded} onClick={() => setExpanded(!isExpanded)} data-testid="alert-group-toggle">
            {isExpanded ? '▾' : '▸'} {members.length} alerts of this kind within {spanMinutes} min
          </button>
          <div className="line-clamp-1 break-words text-xs text-slate-400 light:text-slate-600" title={newest.message}>
            latest: {newest.message}
          </div>
        </td>
        <td className="text-xs">{open.length > 0 ? `${open.length} open` : 'none open'}</td>
        <td className="text-xs" title={`${formatTimestamp(oldest.lastSeenAt)} – ${formatTimestamp(newest.lastSeenAt)}`}>
          <RelativeTime iso={newest.lastSeenAt} now={now} />
        </td>
        {triage && (
          <td>
            {open.length > 0 && (
              <button
                type="button"
                className={smallButtonClass}
                disabled={triage.busyId === open[0]?.id}
                onClick={() => void triage.actOnAll(open, 'acknowledge')}
              >
                {triage.busyId === open[0]?.id ? 'Acknowledging…' : `Acknowledge ${open.length}`}
              </button>
            )}
            {open[0] && triage.failures.has(open[0].id) && (
              <div role="alert" className="mt-1 text-xs text-red-300 light:text-red-700">
                {triage.failures.get(open[0].id)}
              </div>
            )}
          </td>
        )}
      </tr>
      {isExpanded &&
        members.map((member) => (
          <AlertRow key={member.id} alert={member} isFresh={isFresh(member.id)} isInGroup now={now} triage={triage} columnCount={columnCount} />
        ))}
    </>
  );
}
