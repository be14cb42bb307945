// Processes as a tree by parent pid (like `ps -ejH`): parents before children, siblings by pid;
// a folded parent hides its descendants. Pure, so the table and its tests share it.
import type { ProcessRow } from '@/lib/schemas/snapshot';

export interface TreeRow {
  process: ProcessRow;
  depth: number;
  childCount: number;
}

export const processKey = (process: ProcessRow) => `${process.pid}|${process.startedAt ?? ''}|${process.command}`;

/** Rows whose parent is unknown (or a cycle) become roots. */
export function buildTree(processes: readonly ProcessRow[], collapsed: ReadonlySet<number>): TreeRow[] {
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

/** Every process flat, by pid: what a filter searches (folded branches included). */
export const flatRows = (processes: readonly ProcessRow[]): TreeRow[] =>
  [...processes].sort((a, b) => a.pid - b.pid).map((process) => ({ process, depth: 0, childCount: 0 }));

/** The pids that have children: what "Collapse all" folds. */
export function parentPids(processes: readonly ProcessRow[]): number[] {
  const parents = new Set(processes.filter((process) => process.ppid !== process.pid).map((process) => process.ppid));
  return processes.map((process) => process.pid).filter((pid) => parents.has(pid));
}
