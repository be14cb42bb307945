// Alerts of one kind on one host within a short window are one event for an analyst: the alert
// list shows them as one row with a count, expandable. Pure, so the list and its tests share it.

/** Alerts this close together (newest to oldest of a group) are grouped. */
export const GROUP_WINDOW_MS = 15 * 60_000;

interface Groupable {
  id: number;
  host: string;
  kind: string;
  lastSeenAt: string;
}

export type AlertEntry<Alert> = { kind: 'single'; alert: Alert } | { kind: 'group'; key: string; alerts: Alert[] };

/**
 * The list in its order, with each run of alerts of one host and kind whose times lie within the
 * window of the group's newest folded into one group (the newest first). An alert of another host or
 * kind in between does not split a group: the group stands where its newest alert stood.
 */
export function groupAlerts<Alert extends Groupable>(alerts: readonly Alert[], windowMs = GROUP_WINDOW_MS): AlertEntry<Alert>[] {
  const entries: AlertEntry<Alert>[] = [];
  const openGroups = new Map<string, { entry: { kind: 'group'; key: string; alerts: Alert[] }; newestMs: number }>();
  for (const alert of alerts) {
    const identity = `${alert.host}\u0000${alert.kind}`;
    const at = Date.parse(alert.lastSeenAt);
    const open = openGroups.get(identity);
    if (open && Math.abs(open.newestMs - at) <= windowMs) {
      open.entry.alerts.push(alert);
      continue;
    }
    const entry = { kind: 'group' as const, key: `${identity}\u0000${alert.id}`, alerts: [alert] };
    openGroups.set(identity, { entry, newestMs: at });
    entries.push(entry);
  }
  return entries.map((entry) => (entry.kind === 'group' && entry.alerts.length === 1 ? { kind: 'single', alert: entry.alerts[0] as Alert } : entry));
}
