// What analysts read for each alert kind, and its level colour. Kinds come from lib/alerts/rules/types.ts.
import { alertLevels, type AlertKind } from '@/lib/alerts/rules/types';

export const alertKinds = Object.keys(alertLevels) as AlertKind[];

const alertKindLabels: Record<AlertKind, string> = {
  'listener.opened': 'New listener',
  'listener.closed': 'Listener closed',
  'listener.widened': 'Listener widened',
  'listener.owner_changed': 'Listener changed owner',
  'interface.promiscuous_on': 'Promiscuous on',
  'interface.promiscuous_off': 'Promiscuous off',
  'process.new_binary': 'New program',
  'process.deleted_executable': 'Deleted executable',
  'traceroute.unreachable': 'Unreachable',
  'traceroute.latency_jump': 'Latency jump',
  'package.installed': 'Package installed',
  'package.removed': 'Package removed',
  'package.changed': 'Package changed',
  'host.silent': 'Host silent',
};

export const PROMISCUOUS_ON_KIND: AlertKind = 'interface.promiscuous_on';

export function describeKind(kind: string): string {
  return alertKindLabels[kind as AlertKind] ?? kind;
}

/** OSSEC-style levels: 12+ act now, 8+ look soon, below that for the record. */
function levelClass(level: number): string {
  if (level >= 12) return 'bg-red-600 text-white';
  if (level >= 10) return 'bg-orange-500/90 text-white';
  if (level >= 8) return 'bg-amber-400 text-slate-950';
  if (level >= 5) return 'bg-slate-600 text-white';
  return 'bg-slate-700 text-slate-200';
}

export function AlertLevelBadge({ level }: { level: number }) {
  return (
    <span className={`inline-block w-8 rounded text-center text-xs font-semibold tabular-nums ${levelClass(level)}`} title={`Level ${level} of 15`}>
      {level}
    </span>
  );
}
