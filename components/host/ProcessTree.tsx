'use client';
// Processes as a tree by parent pid (process-tree.ts): collapsible branches, a filter that lists
// matches flat. Command lines are host data, rendered as text.
import { useMemo, useState } from 'react';
import { buttonClass, chipClass } from '@/components/common/styles';
import type { Column } from '@/components/table/column';
import { DataTable } from '@/components/table/DataTable';
import { textColumn } from '@/components/table/text-column';
import { describePlace } from '@/lib/schemas/container-name';
import type { ProcessRow } from '@/lib/schemas/snapshot';
import { NotCollected } from './host-empty-states';
import { buildTree, flatRows, parentPids, processKey, type TreeRow } from './process-tree';

const filterValues = ({ process }: TreeRow) => [process.pid, process.ppid, process.user, process.command, process.args, process.exe, describePlace(process)];

function CommandCell({ row, isCollapsed, onToggle }: { row: TreeRow; isCollapsed: boolean; onToggle: () => void }) {
  const { process, depth, childCount } = row;
  const place = describePlace(process);
  return (
    <span className="inline-flex max-w-full items-center" style={{ paddingLeft: `${Math.min(depth, 12) * 1}rem` }}>
      {childCount > 0 ? (
        <button
          type="button"
          onClick={onToggle}
          aria-expanded={!isCollapsed}
          aria-label={`${isCollapsed ? 'Expand' : 'Collapse'} children of pid ${process.pid}`}
          className="mr-1 w-5 shrink-0 rounded text-slate-400 light:text-slate-600 hover:bg-slate-800 hover:text-white light:hover:bg-slate-200 light:hover:text-slate-900"
        >
          {isCollapsed ? '▸' : '▾'}
        </button>
      ) : (
        <span aria-hidden className="mr-1 inline-block w-5 shrink-0 text-center text-slate-600">
          {depth > 0 ? '·' : ''}
        </span>
      )}
      <span className="truncate" data-testid="process-command">
        {process.command}
      </span>
      {place && (
        <span
          className={`${chipClass} ml-2 shrink-0 bg-slate-800 font-sans text-slate-300 light:bg-slate-200 light:text-slate-700`}
          title={place}
          data-testid="process-place"
        >
          {place}
        </span>
      )}
      {process.exeDeleted && (
        <span className={`${chipClass} ml-2 shrink-0 bg-red-600 font-sans text-white`} title={`${process.exe ?? ''} was deleted from disk while it runs`}>
          deleted exe
        </span>
      )}
      {isCollapsed && <span className="ml-2 shrink-0 text-xs text-slate-500">+{childCount}</span>}
    </span>
  );
}

function processColumns(collapsed: ReadonlySet<number>, toggle: (pid: number) => void): Column<TreeRow>[] {
  return [
    {
      id: 'command',
      header: 'Command',
      width: 'w-[30%]',
      className: 'mono truncate',
      title: ({ process }) => process.command,
      cell: (row) => <CommandCell row={row} isCollapsed={collapsed.has(row.process.pid)} onToggle={() => toggle(row.process.pid)} />,
    },
    textColumn('pid', 'PID', ({ process }) => process.pid, { width: 'w-20', className: 'mono tabular-nums' }),
    textColumn('ppid', 'PPID', ({ process }) => process.ppid, { width: 'w-20', className: 'mono tabular-nums' }),
    textColumn('user', 'User', ({ process }) => process.user ?? (process.uid !== null ? String(process.uid) : null), { width: 'w-28' }),
    textColumn('args', 'Arguments', ({ process }) => process.args, { className: 'mono truncate text-xs text-slate-400 light:text-slate-600', missing: '' }),
  ];
}

export function ProcessTree({ processes }: { processes: ProcessRow[] | null }) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  const tree = useMemo(() => buildTree(processes ?? [], collapsed), [processes, collapsed]);
  const flat = useMemo(() => flatRows(processes ?? []), [processes]);
  const columns = useMemo(() => {
    const toggle = (pid: number) =>
      setCollapsed((current) => {
        const next = new Set(current);
        if (next.has(pid)) next.delete(pid);
        else next.add(pid);
        return next;
      });
    return processColumns(collapsed, toggle);
  }, [collapsed]);

  if (!processes) return <NotCollected section="processes" />;
  return (
    <DataTable
      rows={tree}
      columns={columns}
      rowKey={({ process }) => processKey(process)}
      rowProps={({ process }) => ({ 'data-pid': process.pid })}
      testId="processes"
      noun={['process', 'processes']}
      filter={{ label: 'Filter processes', placeholder: 'Filter: name, pid, user, arguments…', values: filterValues, rows: flat }}
      toolbar={({ isFiltered }) => (
        <>
          <button type="button" className={buttonClass} onClick={() => setCollapsed(new Set())} disabled={isFiltered || collapsed.size === 0}>
            Expand all
          </button>
          <button type="button" className={buttonClass} onClick={() => setCollapsed(new Set(parentPids(processes)))} disabled={isFiltered}>
            Collapse all
          </button>
        </>
      )}
      empty="No processes in the latest snapshot."
      noMatch="No process matches the filter."
    />
  );
}
