// Large bodies take a lane of their own in the ingest worker pool (lib/ingest/ingest-runner.ts): one
// at a time, on a thread at the lowest CPU priority, at most four in hand; ordinary bodies never wait
// behind them. (How much that keeps other hosts' latency down is measured by `npm run bench`, phase 5.)
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { enrollHost, findHostByToken, type AuthenticatedHost } from '@/lib/hosts/host-tokens';
import { createWorkerPool, type IngestRunner } from '@/lib/ingest/ingest-runner';
import type { SocketRow } from '@/lib/schemas/snapshot';
import { listener, makeSnapshot } from '@/test/helpers/snapshots';
import { openTestDatabase, type TestDatabase } from '@/test/helpers/test-database';

/** Bodies from this size take the large lane here, so the test's bodies stay small. */
const LARGE_BYTES = 64 * 1024;

let test: TestDatabase;
let pool: IngestRunner;
beforeAll(async () => {
  test = await openTestDatabase({ kind: 'postgres' });
  pool = await createWorkerPool({ databaseUrl: test.env.DATABASE_URL as string, workers: 1, largeBodyBytes: LARGE_BYTES });
}, 60_000);
afterAll(async () => {
  await pool?.close();
  await test?.dispose();
});

async function newHost(name: string): Promise<AuthenticatedHost> {
  const { token } = await enrollHost(test.database.prisma, name);
  return (await findHostByToken(test.database.prisma, token))!;
}

/** A snapshot of `connections` established sockets: about 250 bytes each. */
function bodyOf(name: string, connections: number): string {
  const sockets: SocketRow[] = Array.from({ length: connections }, (_, index) => ({
    ...listener(443, 'haproxy'),
    remoteAddress: `198.51.${Math.floor(index / 256) % 256}.${index % 256}`,
    remotePort: 1024 + index,
    state: 'ESTABLISHED',
  }));
  return JSON.stringify(makeSnapshot(name, { sockets }));
}

/** Nice values of this process's threads (field 19 of /proc/self/task/TID/stat). */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, nice field 19.
      return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
    } catch {
      return [];
    }
  });
}

async function storedSnapshots(hostId: number): Promise<number> {
  const [row] = await test.database.sql.query<{ count: number }>('SELECT count(*)::int AS "count" FROM "Snapshot" WHERE "hostId" = $1', [hostId]);
  return row?.count ?? 0;
}

describe('the large-body lane', () => {
  it('takes four large bodies at once and answers a fifth 503 with Retry-After, storing the four; ordinary bodies go on meanwhile', async () => {
    const hosts = await Promise.all(Array.from({ length: 5 }, (_, index) => newHost(`large-${index}`)));
    const bodies = hosts.map((host) => bodyOf(host.name, 1500));
    expect(Buffer.byteLength(bodies[0] as string)).toBeGreaterThan(LARGE_BYTES);
    const small = await newHost('small');

    const large = hosts.map((host, index) =>
      pool.ingest(host, bodies[index] as string).then(
        (result) => ({ ok: true as const, result }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
    );
    const ordinary = await pool.ingest(small, bodyOf('small', 3));
    expect(ordinary.hostName).toBe('small');
    const outcomes = await Promise.all(large);

    expect(outcomes.slice(0, 4).map((outcome) => outcome.ok)).toEqual([true, true, true, true]);
    const refused = outcomes[4];
    expect(refused?.ok).toBe(false);
    const error = refused && !refused.ok ? refused.error : null;
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('unavailable');
    expect((error as AppError).retryAfterSeconds).toBe(5);
    expect(await Promise.all(hosts.map((host) => storedSnapshots(host.id)))).toEqual([1, 1, 1, 1, 0]);
    // Refused, not lost: the collector sends it again and it is stored.
    await pool.ingest(hosts[4] as AuthenticatedHost, bodies[4] as string);
    expect(await storedSnapshots((hosts[4] as AuthenticatedHost).id)).toBe(1);
  }, 120_000);

  it('ingests large bodies on a thread at the lowest CPU priority (nice 19), leaving the others as they were', () => {
    const nice = threadNiceValues();
    expect(nice.filter((value) => value === 19)).toHaveLength(1);
    expect(nice.filter((value) => value !== 19).every((value) => value === nice[0])).toBe(true);
  });
});
