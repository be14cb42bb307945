'use client';
// One alert in the queue: what happened (a summary alert's items folded under it), its state and
// note, when it was last seen, and — for those who may triage — acknowledge / reopen and a note.
import { useState } from 'react';
import type { AlertView } from '@/components/api/client';
import { formatTimestamp, RelativeTime } from '@/components/common/RelativeTime';
import { smallButtonClass } from '@/components/common/styles';
import { readAlertSummary } from '@/lib/alerts/rules/alert-summary';
import { AlertIdentityCells } from './AlertIdentityCells';
import { AlertNoteEditor } from './AlertNoteEditor';
import { AlertSummaryList } from './AlertSummaryList';
import type { Triage } from './use-triage';

const stateLook: Record<AlertView['state'], string> = {
  open: 'bg-red-500/15 text-red-300 ring-red-500/30 light:text-red-700',
  acknowledged: 'bg-sky-500/15 text-sky-300 ring-sky-500/30 light:text-sky-700',
  closed: 'bg-slate-500/15 text-slate-300 ring-slate-500/30 light:text-slate-600',
};

interface AlertRowProps {
  alert: AlertView;
  isFresh: boolean;
  isInGroup?: boolean;
  now: number;
  /** Null for those who may not triage: no actions column. */
  triage: Triage | null;
  columnCount: number;
}

export function AlertRow({ alert, isFresh, isInGroup = false, now, triage, columnCount }: AlertRowProps) {
  const [isEditingNote, setEditingNote] = useState(false);
  const summary = readAlertSummary(alert.subject);
  const isBusy = triage?.busyId === alert.id;
  const failure = triage?.failures.get(alert.id);
  const background = isFresh ? 'bg-sky-500/15' : isInGroup ? 'bg-slate-800/30 light:bg-slate-50' : '';
  return (
    <>
      <tr
        data-alert-id={alert.id}
        data-state={alert.state}
        data-kind={alert.kind}
        data-in-group={isInGroup ? 'true' : undefined}
        className={`transition-colors duration-1000 ${background}`}
      >
        <AlertIdentityCells level={alert.level} kind={alert.kind} host={alert.host} />
        <td className="text-sm">
          <div className="line-clamp-2 break-words" title={alert.message} data-testid="alert-message">
            {alert.message}
          </div>
          {summary && <AlertSummaryList host={alert.host} summary={summary} />}
          {alert.note && (
            <div className="mt-0.5 truncate text-xs text-slate-400 light:text-slate-600" data-testid="alert-note" title={alert.note}>
              Note: {alert.note}
            </div>
          )}
        </td>
        <td className="text-xs">
          <span className={`inline-block rounded px-2 py-0.5 ring-1 ${stateLook[alert.state]}`} data-testid="alert-state">
            {alert.state}
          </span>
          {alert.state === 'acknowledged' && alert.acknowledgedBy && <div className="mt-0.5 truncate text-slate-500">by {alert.acknowledgedBy}</div>}
        </td>
        <td className="text-xs" title={`first ${formatTimestamp(alert.firstSeenAt)}, last ${formatTimestamp(alert.lastSeenAt)}`}>
          <RelativeTime iso={alert.lastSeenAt} now={now} />
          {alert.occurrences > 1 && <div className="text-slate-500 tabular-nums">×{alert.occurrences}</div>}
        </td>
        {triage && (
          <td>
            <span className="flex flex-wrap gap-1">
              {alert.state === 'open' ? (
                <button type="button" className={smallButtonClass} disabled={isBusy} onClick={() => void triage.act(alert, 'acknowledge')}>
                  Acknowledge
                </button>
              ) : (
                <button type="button" className={smallButtonClass} disabled={isBusy} onClick={() => void triage.act(alert, 'reopen')}>
                  Reopen
                </button>
              )}
              <button type="button" className={smallButtonClass} aria-expanded={isEditingNote} onClick={() => setEditingNote(!isEditingNote)}>
                Note
              </button>
            </span>
            {failure && (
              <span role="alert" className="mt-1 block text-xs text-red-400">
                {failure}
              </span>
            )}
          </td>
        )}
      </tr>
      {triage && isEditingNote && (
        <AlertNoteEditor
          alertId={alert.id}
          note={alert.note}
          colSpan={columnCount}
          isBusy={isBusy}
          onSave={(note) => void triage.act(alert, 'annotate', note).then((isSaved) => isSaved && setEditingNote(false))}
          onCancel={() => setEditingNote(false)}
        />
      )}
    </>
  );
}
