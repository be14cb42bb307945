// The alert list folds alerts of one kind on one host within a short window into one row.
import { describe, expect, it } from 'vitest';
import { GROUP_WINDOW_MS, groupAlerts } from '@/components/alerts/group-alerts';

const at = (minutesAgo: number) => new Date(Date.UTC(2026, 11, 3, 12, 0) - minutesAgo * 60_000).toISOString();
let nextId = 100;
const alert = (host: string, kind: string, minutesAgo: number) => ({ id: nextId--, host, kind, lastSeenAt: at(minutesAgo) });

describe('groupAlerts', () => {
  it("folds one host's alerts of one kind within the window into one entry, the newest first, keeping the others apart", () => {
    const list = [
      alert('web-01', 'process.new_binary', 0),
      alert('db-01', 'process.new_binary', 1),
      alert('web-01', 'process.new_binary', 2),
      alert('web-01', 'listener.opened', 3),
      alert('web-01', 'process.new_binary', 9),
      alert('web-01', 'process.new_binary', 40),
    ];
    const entries = groupAlerts(list);
    expect(entries.map((entry) => (entry.kind === 'single' ? entry.alert.id : entry.alerts.map((item) => item.id)))).toEqual([
      [list[0]!.id, list[2]!.id, list[4]!.id],
      list[1]!.id,
      list[3]!.id,
      list[5]!.id,
    ]);
  });

  it("starts a new group past the window of the group's newest alert", () => {
    const minutes = GROUP_WINDOW_MS / 60_000;
    const entries = groupAlerts([alert('h', 'k', 0), alert('h', 'k', minutes), alert('h', 'k', minutes + 1)]);
    expect(entries.map((entry) => (entry.kind === 'group' ? entry.alerts.length : 1))).toEqual([2, 1]);
  });
});
