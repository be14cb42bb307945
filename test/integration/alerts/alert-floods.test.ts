// A snapshot with 5,000 new listeners, through the real ingest on a real database: one summary
// alert stored, published and forwarded — not 5,000 — and the same for the 5,000 closing again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAlertSummary } from '@/lib/alerts/rules/evaluate-alerts';
import { setAlertForwarder, type AlertForwarder } from '@/lib/forwarding/forward-alerts';
import { enrollHost, findHostByToken, type AuthenticatedHost } from '@/lib/hosts/host-tokens';
import { ingestValidSnapshot } from '@/lib/ingest/ingest-runner';
import { publishIngest } from '@/lib/ingest/publish-ingest';
import type { AlertEvent } from '@/lib/realtime/events';
import type { Snapshot } from '@/lib/schemas/snapshot';
import { listener, makeSnapshot } from '@/test/helpers/snapshots';
import { openTestDatabase, type TestDatabase } from '@/test/helpers/test-database';

let test: TestDatabase;
let host: AuthenticatedHost;
const forwarded: AlertEvent[] = [];
const recordingForwarder: AlertForwarder = {
  forward: (alerts) => void forwarded.push(...alerts),
  whenIdle: async () => {},
  close: async () => {},
  counts: () => [],
};

beforeAll(async () => {
  test = await openTestDatabase();
  const { token } = await enrollHost(test.database.prisma, 'web-01');
  host = (await findHostByToken(test.database.prisma, token))!;
  setAlertForwarder(recordingForwarder);
});
afterAll(async () => {
  setAlertForwarder(null);
  await test.dispose();
});

const ssh = listener(22, 'sshd');
const floodOfListeners = Array.from({ length: 5000 }, (_, index) => listener(8000 + index, 'web'));

/** Ingests like the snapshots route does: store, then publish and forward what it raised. */
async function ingest(snapshot: Snapshot): Promise<AlertEvent[]> {
  const result = await ingestValidSnapshot(test.database.sql, host, snapshot);
  publishIngest(result);
  return result.analysis?.alerts ?? [];
}

const socketsOnly = (sockets: Snapshot['sockets']) => makeSnapshot('web-01', { sockets, processes: undefined, interfaces: undefined });
const liveAlerts = () => test.database.prisma.alert.findMany({ where: { hostId: host.id }, orderBy: { id: 'asc' } });

describe('an alert flood', () => {
  it('stores, publishes and forwards one summary alert for 5,000 new listeners, and one for their closing', async () => {
    await ingest(socketsOnly([ssh]));

    const opened = await ingest(socketsOnly([ssh, ...floodOfListeners]));
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ kind: 'listener.opened', level: 10, state: 'open', occurrences: 1 });
    expect(opened[0]?.message).toMatch(/^web-01: 5,000 new listeners \(tcp 0\.0\.0\.0:8000, tcp 0\.0\.0\.0:8001, .* and 4,990 more\)$/);
    expect(readAlertSummary(opened[0]?.subject)).toMatchObject({ summaryOf: 'listener.opened', count: 5000, moreCount: 4900 });

    const closed = await ingest(socketsOnly([ssh]));
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ kind: 'listener.closed', level: 5 });
    expect(closed[0]?.message).toMatch(/^web-01: 5,000 listeners closed \(/);

    expect((await liveAlerts()).map((alert) => alert.kind)).toEqual(['listener.opened', 'listener.closed']);
    expect(forwarded.map((alert) => alert.kind)).toEqual(['listener.opened', 'listener.closed']);
  });

  it('updates the summary when the same flood comes again', async () => {
    const [before] = (await liveAlerts()).filter((alert) => alert.kind === 'listener.opened');
    const again = await ingest(socketsOnly([ssh, ...floodOfListeners]));
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ id: before?.id, occurrences: 2 });
    expect(await test.database.prisma.alert.count({ where: { hostId: host.id } })).toBe(2);
  });

  it('keeps a few new listeners as one alert each', async () => {
    const few = [4444, 4445, 4446].map((port) => listener(port, 'nc'));
    const opened = await ingest(socketsOnly([ssh, ...floodOfListeners, ...few]));
    expect(opened.map((alert) => alert.message)).toEqual(few.map((row) => `web-01: new listener tcp 0.0.0.0:${row.localPort} (nc, pid 4242, user root)`));
  });
});
