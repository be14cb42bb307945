'use client';
// Processes as a tree by parent pid (like `ps -ejH`): collapsible branches, a filter that lists
// matches flat. Command lines are host data, rendered as text.
import { useMemo, useState } from 'react';
import { ShowMoreRows, useRowLimit } from '@/components/common/RowLimit';
import { buttonClass, chipClass, inputClass } from '@/components/common/styles';
import { describePlace } from '@/lib/schemas/container-name';
import type { ProcessRow } from '@/lib/schemas/snapshot';

interface TreeRow {
  process: ProcessRow;
  depth: number;
  childCount: number;
}

const processKey = (process: ProcessRow) => `${process.pid}|${process.startedAt ?? ''}|${process.command}`;

/** Parents before children, siblings by pid; rows whose parent is unknown (or a cycle) become roots. */
function buildTree(processes: readonly ProcessRow[], collapsed: ReadonlySet<number>): TreeRow[] {
  const pids = new Set(processes.map((process) => process.pid));
  const children = new Map<number, ProcessRow[]>();
  const roots: ProcessRow[] = [];
  for (const process of processes) {
    const parent = process.ppid;
    if (parent === null || parent === process.pid || !pids.has(parent)) roots.push(process);
    else children.set(parent, [...(children.get(parent) ?? []), process]);
  }
  const byPid = (a: ProcessRow, b: ProcessRow) => a.pid - b.pid;
  const rows: TreeRow[] = [];
  const visited = new Set<ProcessRow>();
  const visit = (process: ProcessRow, depth: number) => {
    if (visited.has(process)) return;
    visited.add(process);
    const kids = (children.get(process.pid) ?? []).sort(byPid);
    rows.push({ process, depth, childCount: kids.length });
    if (!collapsed.has(process.pid)) for (const child of kids) visit(child, depth + 1);
  };
  for (const root of roots.sort(byPid)) visit(root, 0);
  // Host data can describe a parent cycle (a → b → a); such processes still get listed.
  for (const process of processes) if (!visited.has(process) && !isHiddenByCollapse(process, collapsed, processes)) visit(process, 0);
  return rows;
}

function isHiddenByCollapse(process: ProcessRow, collapsed: ReadonlySet<number>, processes: readonly ProcessRow[]): boolean {
  const parentOf = new Map(processes.map((row) => [row.pid, row.ppid] as const));
  const seen = new Set<number>();
  for (let parent = process.ppid; parent !== null && parent !== undefined && !seen.has(parent); parent = parentOf.get(parent) ?? null) {
    if (collapsed.has(parent)) return true;
    seen.add(parent);
  }
  return false;
}

export function ProcessTree({ processes }: { processes: ProcessRow[] | null }) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  const [filter, setFilter] = useState('');
  const rows = useRowLimit();

  const visible = useMemo((): TreeRow[] => {
    if (!processes) return [];
    const needle = filter.trim().toLowerCase();
    if (!needle) return buildTree(processes, collapsed);
    return processes
      .filter((process) => [process.pid, process.ppid, process.user, process.command, process.args, process.exe, describePlace(process)].some((value) => value !== null && String(value).toLowerCase().includes(needle)))
      .sort((a, b) => a.pid - b.pid)
      .map((process) => ({ process, depth: 0, childCount: 0 }));
  }, [processes, collapsed, filter]);

  if (!processes) return <p className="p-4 text-slate-400 light:text-slate-600">Processes were not collected.</p>;

  const toggle = (pid: number) =>
    setCollapsed((current) => {
      const next = new Set(current);
      if (next.has(pid)) next.delete(pid);
      else next.add(pid);
      return next;
    });
  const parentPids = new Set(processes.filter((process) => process.ppid !== process.pid).map((process) => process.ppid));
  const parents = processes.map((process) => process.pid).filter((pid) => parentPids.has(pid));

  return (
    <div>
      <div className="flex flex-wrap items-center gap-3 border-b border-slate-800 p-3 light:border-slate-200">
        <label className="text-sm">
          <span className="sr-only">Filter processes</span>
          <input type="search" value={filter} onChange={(event) => { setFilter(event.target.value); rows.reset(); }} placeholder="Filter: name, pid, user, arguments…" className={`${inputClass} w-72`} />
        </label>
        <span className="text-xs text-slate-400 light:text-slate-600 tabular-nums">{filter ? `${visible.length} of ${processes.length} processes` : `${processes.length} processes`}</span>
        <span className="ml-auto flex gap-2">
          <button type="button" className={buttonClass} onClick={() => setCollapsed(new Set())} disabled={Boolean(filter) || collapsed.size === 0}>
            Expand all
          </button>
          <button type="button" className={buttonClass} onClick={() => setCollapsed(new Set(parents))} disabled={Boolean(filter)}>
            Collapse all
          </button>
        </span>
      </div>
      <table className="data-table table-fixed" data-testid="processes">
        <colgroup>
          <col className="w-[30%]" />
          <col className="w-20" />
          <col className="w-20" />
          <col className="w-28" />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Command</th>
            <th scope="col">PID</th>
            <th scope="col">PPID</th>
            <th scope="col">User</th>
            <th scope="col">Arguments</th>
          </tr>
        </thead>
        <tbody>
          {visible.slice(0, rows.limit).map(({ process, depth, childCount }) => {
            const isCollapsed = collapsed.has(process.pid);
            return (
              <tr key={processKey(process)} data-pid={process.pid}>
                <td className="mono truncate" title={process.command}>
                  <span className="inline-flex max-w-full items-center" style={{ paddingLeft: `${Math.min(depth, 12) * 1}rem` }}>
                    {childCount > 0 ? (
                      <button
                        type="button"
                        onClick={() => toggle(process.pid)}
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
                    {describePlace(process) && (
                      <span className={`${chipClass} ml-2 shrink-0 bg-slate-800 font-sans text-slate-300 light:bg-slate-200 light:text-slate-700`} title={describePlace(process) ?? ''} data-testid="process-place">
                        {describePlace(process)}
                      </span>
                    )}
                    {process.exeDeleted && <span className={`${chipClass} ml-2 shrink-0 bg-red-600 font-sans text-white`} title={`${process.exe ?? ''} was deleted from disk while it runs`}>deleted exe</span>}
                    {isCollapsed && <span className="ml-2 shrink-0 text-xs text-slate-500">+{childCount}</span>}
                  </span>
                </td>
                <td className="mono tabular-nums">{process.pid}</td>
                <td className="mono tabular-nums">{process.ppid ?? '—'}</td>
                <td className="mono truncate">{process.user ?? (process.uid !== null ? String(process.uid) : '—')}</td>
                <td className="mono truncate text-xs text-slate-400 light:text-slate-600" title={process.args ?? ''}>
                  {process.args ?? ''}
                </td>
              </tr>
            );
          })}
          <ShowMoreRows shown={Math.min(rows.limit, visible.length)} total={visible.length} onShowMore={rows.showMore} colSpan={5} />
          {visible.length === 0 && (
            <tr>
              <td colSpan={5} className="py-6 text-center text-slate-400 light:text-slate-600">
                {processes.length === 0 ? 'No processes in the latest snapshot.' : 'No process matches the filter.'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
