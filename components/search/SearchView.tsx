'use client';
// Questions about the whole fleet, answered from each host's latest snapshot: who listens on a
// port, who has a package, who runs a program, and what was newly exposed lately (live).
import { ExposureList } from './ExposureList';
import { ListenerSearch } from './ListenerSearch';
import { PackageSearch } from './PackageSearch';
import { ProcessSearch } from './ProcessSearch';

export interface SearchInitial {
  port: string;
  command: string;
  match: 'exact' | 'contains';
  sinceMinutes: number;
}

export function SearchView({ initial }: { initial: SearchInitial }) {
  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">Ask the fleet</h1>
      <p className="text-sm text-slate-400 light:text-slate-600">Answers come from each host&apos;s latest snapshot.</p>
      <ListenerSearch initialPort={initial.port} />
      <PackageSearch />
      <ProcessSearch initialCommand={initial.command} initialMatch={initial.match} />
      <ExposureList initialMinutes={initial.sinceMinutes} />
    </div>
  );
}
