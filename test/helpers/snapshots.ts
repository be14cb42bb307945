// Snapshot JSON for tests, built like a collector builds it.
import type { Snapshot, SocketRow } from '@/lib/schemas/snapshot';

let sequence = 0;

export function listener(port: number, process = 'testd', overrides: Partial<SocketRow> = {}): SocketRow {
  return {
    proto: 'tcp',
    localAddress: '0.0.0.0',
    localPort: port,
    remoteAddress: null,
    remotePort: null,
    state: 'LISTEN',
    pid: 4242,
    process,
    user: 'root',
    uid: 0,
    ...overrides,
  };
}

export function makeSnapshot(host: string, overrides: Partial<Snapshot> = {}): Snapshot {
  sequence += 1;
  return {
    version: 1,
    host: { name: host, os: 'Linux 6.1 x86_64' },
    collectedAt: new Date().toISOString(),
    idempotencyKey: `${host}-${Date.now()}-${sequence}`,
    sockets: [listener(22, 'sshd')],
    processes: [{ pid: 4242, ppid: 1, user: 'root', uid: 0, command: 'sshd', args: '/usr/sbin/sshd -D', startedAt: null }],
    interfaces: [
      {
        name: 'eth0',
        flags: ['UP', 'BROADCAST', 'RUNNING', 'MULTICAST'],
        promiscuous: false,
        mtu: 1500,
        mac: '00:01:02:45:45:5b',
        addresses: ['192.0.2.20/24'],
      },
    ],
    ...overrides,
  };
}

export async function postSnapshot(baseUrl: string, token: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}/api/v1/snapshots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Posts a snapshot the server must accept (202) and returns the id it was stored under. */
export async function postAcceptedSnapshot(baseUrl: string, token: string, snapshot: Snapshot): Promise<string> {
  const response = await postSnapshot(baseUrl, token, snapshot);
  if (response.status !== 202) throw new Error(`snapshot of ${snapshot.host.name} not accepted: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}
