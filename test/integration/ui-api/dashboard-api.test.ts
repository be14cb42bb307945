// The read APIs behind the dashboard, through the real server: one snapshot whole, latency series
// with mtr-style hop stats and marks, fleet-wide questions on each host's latest snapshot, fleet filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollTestHost, signInAsAdmin, startAppServer, type AppServer } from '@/test/helpers/app-server';
import { listener, makeSnapshot, postAcceptedSnapshot } from '@/test/helpers/snapshots';
import { spacedTimes, tracerouteRun } from '@/test/helpers/traceroutes';

let server: AppServer;
let session: { cookie: string; csrfToken: string };

beforeAll(async () => {
  server = await startAppServer();
  session = await signInAsAdmin(server);
});
afterAll(async () => {
  await server?.dispose();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer of any shape: the tests' assertions check it.
type Answer = Record<string, any>;

async function get(path: string): Promise<{ status: number; body: Answer }> {
  const response = await fetch(`${server.url}${path}`, { headers: { cookie: session.cookie } });
  return { status: response.status, body: (await response.json()) as Answer };
}

describe('GET /api/v1/hosts/:name/snapshots/:id', () => {
  it('answers one snapshot with every collected section, and 404 for another host or unknown id', async () => {
    const token = await enrollTestHost(server, session, 'snap-01');
    const otherToken = await enrollTestHost(server, session, 'snap-02');
    const id = await postAcceptedSnapshot(
      server.url,
      token,
      makeSnapshot('snap-01', { sockets: [listener(22, 'sshd'), listener(443, 'nginx')], traceroutes: undefined }),
    );
    const otherId = await postAcceptedSnapshot(server.url, otherToken, makeSnapshot('snap-02'));

    const { status, body } = await get(`/api/v1/hosts/snap-01/snapshots/${id}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id, host: { name: 'snap-01' } });
    expect(body.sockets.map((socket: { localPort: number }) => socket.localPort).sort()).toEqual([22, 443]);
    expect(body.processes).toHaveLength(1);
    expect(body.interfaces[0]).toMatchObject({ name: 'eth0', promiscuous: false });
    expect(body).not.toHaveProperty('traceroutes');

    expect((await get(`/api/v1/hosts/snap-01/snapshots/${otherId}`)).status).toBe(404);
    expect((await get('/api/v1/hosts/snap-01/snapshots/99999999')).status).toBe(404);
    const bad = await get('/api/v1/hosts/snap-01/snapshots/not-a-number');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request');
  });
});

describe('GET /api/v1/hosts/:name/latency', () => {
  const times = spacedTimes(5, 60_000, 60_000);
  let snapshotIds: string[] = [];

  beforeAll(async () => {
    const token = await enrollTestHost(server, session, 'edge-01');
    // Hop 2 loses a probe in every run; the last run's hop 3 answers !H and jumps from ~20 ms to ~200 ms.
    const runs = [
      [
        [1, 1.2, 1.1],
        [10, null, 11],
        [20, 21, 22],
      ],
      [
        [1, 1.1, 1.3],
        [10, null, 12],
        [19, 20, 21],
      ],
      [
        [1.2, 1, 1.1],
        [11, null, 10],
        [21, 20, 22],
      ],
      [
        [1, 1, 1],
        [10, null, 10],
        [20, 20, 20],
      ],
      [
        [1, 1.1, 1.2],
        [10, null, 11],
        [[200, '!H'], 210, 205],
      ],
    ] as const;
    snapshotIds = [];
    for (const [index, hops] of runs.entries()) {
      // The third snapshot opens a listener: an inventory change on the time axis.
      const sockets = index === 2 || index === 3 ? [listener(22, 'sshd'), listener(8443, 'proxy')] : [listener(22, 'sshd')];
      const traceroutes = [
        tracerouteRun(
          'example.net',
          hops.map((hop) => [...hop] as never),
        ),
        tracerouteRun('backup.example.org', [[2, 2, 2]]),
      ];
      snapshotIds.push(await postAcceptedSnapshot(server.url, token, makeSnapshot('edge-01', { collectedAt: times[index], sockets, traceroutes })));
    }
  });

  it('answers per-run, per-hop min / median / max and loss, oldest run first', async () => {
    const { status, body } = await get('/api/v1/hosts/edge-01/latency?target=example.net&since=24h');
    expect(status).toBe(200);
    expect(body.targets).toEqual(['backup.example.org', 'example.net']);
    expect(body.target).toBe('example.net');
    expect(body.targetAddress).toBe('192.0.2.80');
    expect(body.runs.map((run: { snapshotId: string }) => run.snapshotId)).toEqual(snapshotIds);
    expect(body.runs[0].at).toBe(times[0]);
    const first = body.runs[0].hops;
    expect(first[1]).toMatchObject({ hop: 2, minMs: 10, medianMs: 10.5, maxMs: 11, sent: 3, received: 2, annotations: [], addresses: ['10.0.2.1'] });
    expect(first[1].loss).toBeCloseTo(1 / 3);
    expect(body.runs[4].hops[2]).toMatchObject({ hop: 3, minMs: 200, medianMs: 205, maxMs: 210, loss: 0, annotations: ['!H'], lastMs: 205 });
  });

  it('answers an mtr-style table for the window: Loss%, Snt, Last, Avg, Best, Worst', async () => {
    const { body } = await get('/api/v1/hosts/edge-01/latency?target=example.net');
    expect(body.hopTable.map((hop: { hop: number }) => hop.hop)).toEqual([1, 2, 3]);
    const hop2 = body.hopTable[1];
    expect(hop2).toMatchObject({ sent: 15, bestMs: 10, worstMs: 12, lastMs: 11, addresses: ['10.0.2.1'] });
    expect(hop2.lossPercent).toBeCloseTo(100 / 3);
    expect(hop2.avgMs).toBeCloseTo((10 + 11 + 10 + 12 + 11 + 10 + 10 + 10 + 10 + 11) / 10);
    expect(body.hopTable[2]).toMatchObject({ lossPercent: 0, bestMs: 19, worstMs: 210, annotations: ['!H'] });
  });

  it('marks the latency-jump alert and the inventory changes on the time axis', async () => {
    const { body } = await get('/api/v1/hosts/edge-01/latency?target=example.net');
    expect(body.latencyJumps).toHaveLength(1);
    expect(body.latencyJumps[0]).toMatchObject({ at: times[4], hop: 3, state: 'open' });
    expect(body.latencyJumps[0].message).toContain('example.net');
    // The first snapshot changes everything from nothing: not an inventory change.
    expect(body.inventoryChanges.map((change: { snapshotId: string }) => change.snapshotId)).toEqual([snapshotIds[2], snapshotIds[4]]);
    expect(body.inventoryChanges[0]).toMatchObject({ at: times[2], sections: ['sockets'], summary: { sockets: { added: 1, removed: 0, changed: 0 } } });
  });

  it('bounds the runs it returns, keeping the newest', async () => {
    const { body } = await get('/api/v1/hosts/edge-01/latency?target=example.net&limit=2');
    expect(body.truncated).toBe(true);
    expect(body.runs.map((run: { snapshotId: string }) => run.snapshotId)).toEqual(snapshotIds.slice(3));
    const since = await get(`/api/v1/hosts/edge-01/latency?target=example.net&since=${encodeURIComponent(times[3] ?? '')}`);
    expect(since.body.runs).toHaveLength(2);
    expect(since.body.truncated).toBe(false);
  });

  it('picks the first target when none is asked, and refuses bad input', async () => {
    expect((await get('/api/v1/hosts/edge-01/latency')).body.target).toBe('backup.example.org');
    expect((await get('/api/v1/hosts/nope/latency')).status).toBe(404);
    const bad = await get('/api/v1/hosts/edge-01/latency?since=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('since');
    expect((await get('/api/v1/hosts/edge-01/latency?limit=501')).status).toBe(400);
  });
});

describe('fleet-wide questions (latest snapshot only)', () => {
  beforeAll(async () => {
    const alpha = await enrollTestHost(server, session, 'q-alpha');
    const beta = await enrollTestHost(server, session, 'q-beta');
    const gamma = await enrollTestHost(server, session, 'q-gamma');
    const process = (pid: number, command: string) => ({ pid, ppid: 1, user: 'root', uid: 0, command, args: `/usr/bin/${command} --serve`, startedAt: null });
    // alpha listened on 6379 once, but no longer: only its latest snapshot counts.
    await postAcceptedSnapshot(
      server.url,
      alpha,
      makeSnapshot('q-alpha', { sockets: [listener(22, 'sshd'), listener(6379, 'redis-server')], processes: [process(10, 'redis-server')] }),
    );
    await postAcceptedSnapshot(server.url, alpha, makeSnapshot('q-alpha', { sockets: [listener(2222, 'dropbear')], processes: [process(11, 'dropbear')] }));
    await postAcceptedSnapshot(server.url, beta, makeSnapshot('q-beta', { sockets: [listener(22, 'sshd')], processes: [process(20, 'sshd')] }));
    await postAcceptedSnapshot(
      server.url,
      beta,
      makeSnapshot('q-beta', {
        sockets: [listener(2222, 'dropbear'), listener(6379, 'redis-server'), listener(6379, 'redis-server', { proto: 'tcp6', localAddress: '::' })],
        processes: [process(20, 'dropbear'), process(21, 'redis-server')],
      }),
    );
    await postAcceptedSnapshot(
      server.url,
      gamma,
      makeSnapshot('q-gamma', {
        sockets: [listener(2222, 'dropbear'), { ...listener(6379, 'redis-cli'), state: 'ESTABLISHED', remoteAddress: '10.0.0.9', remotePort: 6379 }],
        processes: [process(30, 'redis-cli')],
      }),
    );
  });

  it('finds which hosts listen on a port', async () => {
    const { status, body } = await get('/api/v1/search/listeners?port=6379');
    expect(status).toBe(200);
    expect(body).toMatchObject({ total: 2, hostCount: 1, page: 1 });
    expect(body.rows.map((row: { host: string; proto: string }) => `${row.host} ${row.proto}`)).toEqual(['q-beta tcp', 'q-beta tcp6']);
    expect(body.rows[0]).toMatchObject({ localAddress: '0.0.0.0', localPort: 6379, process: 'redis-server', user: 'root' });

    const ssh = await get('/api/v1/search/listeners?port=2222&pageSize=2&page=2');
    expect(ssh.body).toMatchObject({ total: 3, hostCount: 3, page: 2, pageSize: 2 });
    expect(ssh.body.rows.map((row: { host: string }) => row.host)).toEqual(['q-gamma']);
    expect((await get('/api/v1/search/listeners?port=70000')).status).toBe(400);
  });

  it('finds which hosts run a process, by exact name or part of it', async () => {
    const exact = await get('/api/v1/search/processes?command=redis-server');
    expect(exact.body.rows.map((row: { host: string }) => row.host)).toEqual(['q-beta']);
    expect(exact.body.rows[0]).toMatchObject({ pid: 21, args: '/usr/bin/redis-server --serve' });
    const partial = await get('/api/v1/search/processes?command=REDIS&match=contains');
    expect(partial.body).toMatchObject({ total: 2, hostCount: 2 });
    // LIKE wildcards in the question are plain characters.
    expect((await get('/api/v1/search/processes?command=%25&match=contains')).body.total).toBe(0);
    expect((await get('/api/v1/search/processes')).status).toBe(400);
  });

  it('lists listeners newly exposed in the last hour', async () => {
    const { body } = await get('/api/v1/search/exposed');
    const beta = body.rows.filter((row: { host: string }) => row.host === 'q-beta');
    const listeners = (rows: { localPort: number; proto: string }[]) => rows.map((row) => `${row.proto}:${row.localPort}`).sort();
    expect(listeners(beta)).toEqual(['tcp6:6379', 'tcp:2222', 'tcp:6379']);
    expect(beta.find((row: { localPort: number }) => row.localPort === 6379)).toMatchObject({
      kind: 'listener.opened',
      process: 'redis-server',
      state: 'open',
    });
    // alpha's closed listener exposes nothing; its new one does.
    expect(listeners(body.rows.filter((row: { host: string }) => row.host === 'q-alpha'))).toEqual(['tcp:2222']);
    expect((await get('/api/v1/search/exposed?sinceMinutes=0')).status).toBe(400);
  });
});

describe('fleet list filters', () => {
  it('filters by status, label, promiscuous interfaces and open alerts on the server', async () => {
    const dmzToken = await enrollTestHost(server, session, 'f-dmz-01', ['dmz']);
    await enrollTestHost(server, session, 'f-spare-01', ['spare']);
    await postAcceptedSnapshot(
      server.url,
      dmzToken,
      makeSnapshot('f-dmz-01', { interfaces: [{ name: 'eth1', flags: ['UP', 'PROMISC'], promiscuous: true, mtu: 1500, mac: null, addresses: [] }] }),
    );

    const names = async (query: string) => ((await get(`/api/v1/hosts?${query}`)).body.hosts as { name: string }[]).map((host) => host.name);
    expect(await names('label=dmz')).toEqual(['f-dmz-01']);
    expect(await names('status=never')).toEqual(['f-spare-01']);
    expect(await names('status=fresh&q=f-')).toEqual(['f-dmz-01']);
    expect(await names('status=silent&q=f-')).toEqual([]);
    expect(await names('promiscuous=1')).toEqual(['f-dmz-01']);
    expect(await names('alerts=1&label=dmz')).toEqual(['f-dmz-01']);
    expect(await names('q=F-SPARE')).toEqual(['f-spare-01']);
    expect(await names('q=f_')).toEqual([]);
    const paged = await get('/api/v1/hosts?q=f-&pageSize=1&page=2');
    expect(paged.body).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect((await get('/api/v1/hosts?status=asleep')).status).toBe(400);
  });
});
