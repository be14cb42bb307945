'use client';
// Two snapshots of one host compared by meaning: per section, what opened (green), closed (red)
// and changed (amber, with the changed fields named and shown before → after). Unchanged rows are
// folded away until asked for.
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { describeFailure, getDiff, getSnapshot, type SnapshotDiffAnswer, type StoredSnapshot } from '@/components/api/client';
import { formatTimestamp } from '@/components/common/RelativeTime';
import { ShowMoreRows, useRowLimit } from '@/components/common/RowLimit';
import { buttonClass, chipClass } from '@/components/common/styles';
import { hostPath } from '@/components/common/url-state';
import { TableHead } from '@/components/table/TableHead';
import type { ChangedRow, DiffSummary, SectionDiff } from '@/lib/diff/types';
import { interfaceLook, packageLook, processLook, socketLook, tracerouteLook, type SectionLook } from './diff-columns';
import { listUnchangedRows } from './unchanged-rows';

type Loaded = { diff: SnapshotDiffAnswer; after: StoredSnapshot } | { failure: string };

export function DiffView({ hostName, fromId, toId }: { hostName: string; fromId: string; toId: string }) {
  // An answer is kept with the pair it answers: another pair shows the loading state until its own arrives.
  const pair = `${hostName}/${fromId}/${toId}`;
  const [answer, setAnswer] = useState<{ pair: string; loaded: Loaded } | null>(null);
  const loaded = answer?.pair === pair ? answer.loaded : null;

  useEffect(() => {
    // A late answer for a pair no longer shown is dropped.
    let isWanted = true;
    const show = (loaded: Loaded) => {
      if (isWanted) setAnswer({ pair, loaded });
    };
    Promise.all([getDiff(hostName, fromId, toId), getSnapshot(hostName, toId)])
      .then(([diff, after]) => show({ diff, after }))
      .catch((error: unknown) => show({ failure: describeFailure(error) }));
    return () => {
      isWanted = false;
    };
  }, [pair, hostName, fromId, toId]);

  return (
    <section aria-labelledby="diff-title" className="space-y-4" data-testid="diff-view">
      <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
        <h1 id="diff-title" className="text-xl font-semibold">
          What changed on{' '}
          <Link className="link font-mono" href={hostPath(hostName)}>
            {hostName}
          </Link>
        </h1>
        {loaded && 'diff' in loaded && (
          <span className="text-sm text-slate-400 light:text-slate-600 tabular-nums">
            snapshot #{loaded.diff.from.id} ({formatTimestamp(loaded.diff.from.collectedAt)}) → #{loaded.diff.to.id} (
            {formatTimestamp(loaded.diff.to.collectedAt)})
          </span>
        )}
        <Link className={`${buttonClass} ml-auto`} href={hostPath(hostName, '?tab=history')}>
          Back to history
        </Link>
      </div>
      {loaded === null && <div className="h-64 animate-pulse rounded-lg bg-slate-800/40 light:bg-slate-100" aria-label="Loading the diff" />}
      {loaded && 'failure' in loaded && (
        <p role="alert" className="panel p-4 text-red-400">
          Cannot show this diff: {loaded.failure}
        </p>
      )}
      {loaded && 'diff' in loaded && (
        <>
          <SummaryLine summary={loaded.diff.summary} />
          <DiffSection look={socketLook} diff={loaded.diff.sockets} after={loaded.after.sockets} testId="diff-sockets" />
          <DiffSection look={processLook} diff={loaded.diff.processes} after={loaded.after.processes} testId="diff-processes" />
          <DiffSection look={interfaceLook} diff={loaded.diff.interfaces} after={loaded.after.interfaces} testId="diff-interfaces" />
          <DiffSection look={tracerouteLook} diff={loaded.diff.traceroutes} after={loaded.after.traceroutes} testId="diff-traceroutes" />
          <DiffSection look={packageLook} diff={loaded.diff.packages} after={loaded.after.packages} testId="diff-packages" />
        </>
      )}
    </section>
  );
}

function SummaryLine({ summary }: { summary: DiffSummary }) {
  const total = (['sockets', 'processes', 'interfaces', 'traceroutes', 'packages'] as const).reduce(
    (sum, section) => sum + summary[section].added + summary[section].removed + summary[section].changed,
    0,
  );
  return (
    <p className="flex flex-wrap gap-2 text-sm" data-testid="diff-summary">
      {total === 0 && <span className="text-slate-400 light:text-slate-600">Nothing changed between these snapshots.</span>}
      {summary.promiscuousOn.length > 0 && (
        <span className={`${chipClass} bg-red-600 py-1 text-white`}>promiscuous on: {summary.promiscuousOn.join(', ')}</span>
      )}
      {summary.promiscuousOff.length > 0 && (
        <span className={`${chipClass} bg-slate-700 py-1 text-white`}>promiscuous off: {summary.promiscuousOff.join(', ')}</span>
      )}
      {summary.widened > 0 && <span className={`${chipClass} bg-amber-500 py-1 text-slate-950`}>{summary.widened} listener(s) widened</span>}
      {summary.packages.added + summary.packages.removed + summary.packages.changed > 0 && (
        <span className={`${chipClass} bg-orange-500/90 py-1 text-white`}>
          packages: +{summary.packages.added} −{summary.packages.removed} ~{summary.packages.changed}
        </span>
      )}
    </p>
  );
}

type RowKind = 'added' | 'removed' | 'changed' | 'unchanged';

const rowStyle: Record<RowKind, string> = {
  added: 'bg-emerald-500/10 light:bg-emerald-50',
  removed: 'bg-red-500/10 light:bg-red-50',
  changed: 'bg-amber-500/10 light:bg-amber-50',
  unchanged: '',
};
const markStyle: Record<RowKind, string> = {
  added: 'text-emerald-400 light:text-emerald-700',
  removed: 'text-red-400 light:text-red-700',
  changed: 'text-amber-300 light:text-amber-700',
  unchanged: 'text-slate-500',
};

interface DiffSectionProps<Row, Changed extends ChangedRow<Row>> {
  look: SectionLook<Row>;
  diff: SectionDiff<Row, Changed>;
  after: readonly Row[] | undefined;
  testId: string;
}

function DiffSection<Row, Changed extends ChangedRow<Row> & { widened?: boolean }>({ look, diff, after, testId }: DiffSectionProps<Row, Changed>) {
  const [showUnchanged, setShowUnchanged] = useState(false);
  const changeRows = useRowLimit();
  const unchangedRows = useRowLimit();
  const titleId = `${testId}-title`;
  if (!diff.collected) {
    return (
      <section aria-labelledby={titleId} className="panel p-4">
        <h2 id={titleId} className="font-semibold">
          {look.title}
        </h2>
        <p className="mt-1 text-sm text-slate-400 light:text-slate-600">Not collected in one or both snapshots: nothing to compare.</p>
      </section>
    );
  }
  const unchanged = listUnchangedRows(after ?? [], [...diff.added, ...diff.changed.map((row) => row.after)], look.identity);
  const columnCount = look.columns.length + 1;
  const renderMark = (kind: RowKind, detail?: string) => {
    const word = kind === 'added' ? look.addedWord : kind === 'removed' ? look.removedWord : kind;
    const symbol = kind === 'added' ? '+' : kind === 'removed' ? '−' : kind === 'changed' ? '~' : '=';
    return (
      <td className={`font-medium ${markStyle[kind]}`}>
        <span className="mono" aria-hidden>
          {symbol}{' '}
        </span>
        {word}
        {detail && <div className="text-xs font-normal text-slate-400 light:text-slate-600">{detail}</div>}
      </td>
    );
  };
  const plainRow = (row: Row, kind: RowKind, key: string) => (
    <tr key={key} data-change={kind} className={rowStyle[kind]}>
      {renderMark(kind)}
      {look.columns.map((column) => (
        <td key={column.header} className="mono truncate" title={column.value(row)}>
          {column.value(row)}
        </td>
      ))}
    </tr>
  );

  const renderChanged = (change: Changed, index: number) => (
    <tr key={`changed-${index}`} data-change="changed" data-changed-fields={change.changes.join(' ')} className={rowStyle.changed}>
      {renderMark('changed', `${change.changes.join(', ')}${change.widened ? ' · widened' : ''}`)}
      {look.columns.map((column) => {
        const isChanged = column.fields.some((field) => change.changes.includes(field));
        const before = column.value(change.before);
        const after = column.value(change.after);
        if (!isChanged || before === after) {
          return (
            <td key={column.header} className="mono truncate" title={after}>
              {after}
            </td>
          );
        }
        return (
          <td key={column.header} className="mono" data-changed-field={column.header}>
            <span className="block truncate text-red-400 line-through light:text-red-700" title={before}>
              <span className="sr-only">was </span>
              {before}
            </span>
            <span className="block truncate text-emerald-400 light:text-emerald-700" title={after}>
              <span className="sr-only">now </span>
              {after}
            </span>
          </td>
        );
      })}
    </tr>
  );

  // Opened, closed, then changed: in one list, so a diff of thousands of rows renders a page at a time.
  const changes: ({ kind: 'added' | 'removed'; row: Row } | { kind: 'changed'; change: Changed })[] = [
    ...diff.added.map((row) => ({ kind: 'added' as const, row })),
    ...diff.removed.map((row) => ({ kind: 'removed' as const, row })),
    ...diff.changed.map((change) => ({ kind: 'changed' as const, change })),
  ];

  return (
    <section aria-labelledby={titleId} className="panel overflow-x-auto">
      <h2 id={titleId} className="flex flex-wrap items-baseline gap-3 px-3 pt-3 pb-2 font-semibold">
        {look.title}
        <span className="text-sm font-normal tabular-nums">
          <span className={markStyle.added}>
            +{diff.added.length} {look.addedWord}
          </span>
          {' · '}
          <span className={markStyle.removed}>
            −{diff.removed.length} {look.removedWord}
          </span>
          {' · '}
          <span className={markStyle.changed}>~{diff.changed.length} changed</span>
          {' · '}
          <span className="text-slate-400 light:text-slate-600">{unchanged.length} unchanged</span>
        </span>
      </h2>
      <table className="data-table table-fixed" data-testid={testId}>
        <TableHead
          columns={[
            { id: 'change', header: 'Change', width: 'w-36' },
            ...look.columns.map((column) => ({ id: column.header, header: column.header, width: column.width })),
          ]}
        />
        <tbody>
          {changes
            .slice(0, changeRows.limit)
            .map((entry, index) => (entry.kind !== 'changed' ? plainRow(entry.row, entry.kind, `${entry.kind}-${index}`) : renderChanged(entry.change, index)))}
          <ShowMoreRows shown={Math.min(changeRows.limit, changes.length)} total={changes.length} onShowMore={changeRows.showMore} colSpan={columnCount} />
          {changes.length === 0 && (
            <tr>
              <td colSpan={columnCount} className="py-3 text-center text-slate-400 light:text-slate-600">
                No change in this section.
              </td>
            </tr>
          )}
          {unchanged.length > 0 && (
            <tr>
              <td colSpan={columnCount} className="py-2">
                <button type="button" className={buttonClass} aria-expanded={showUnchanged} onClick={() => setShowUnchanged((shown) => !shown)}>
                  {showUnchanged ? 'Hide' : 'Show'} {unchanged.length} unchanged {unchanged.length === 1 ? 'row' : 'rows'}
                </button>
              </td>
            </tr>
          )}
          {showUnchanged && unchanged.slice(0, unchangedRows.limit).map((row, index) => plainRow(row, 'unchanged', `unchanged-${index}`))}
          {showUnchanged && (
            <ShowMoreRows
              shown={Math.min(unchangedRows.limit, unchanged.length)}
              total={unchanged.length}
              onShowMore={unchangedRows.showMore}
              colSpan={columnCount}
            />
          )}
        </tbody>
      </table>
    </section>
  );
}
