import type { HostStatus } from '@/lib/hosts/host-status';

const styles: Record<HostStatus, string> = {
  fresh: 'bg-emerald-500/15 text-emerald-300 ring-emerald-500/30 light:text-emerald-700',
  late: 'bg-amber-500/15 text-amber-300 ring-amber-500/30 light:text-amber-700',
  silent: 'bg-red-500/15 text-red-300 ring-red-500/30 light:text-red-700',
  never: 'bg-slate-500/15 text-slate-300 ring-slate-500/30 light:text-slate-600',
};

export function HostStatusPill({ status }: { status: HostStatus }) {
  return <span className={`inline-block w-16 rounded px-2 py-0.5 text-center text-xs ring-1 ${styles[status]}`}>{status}</span>;
}
