// The per-host request limit on POST /api/v1/snapshots (20 a second by default, so a spool replays
// at the server's pace; here 120 a minute): past it 429 with Retry-After for that host alone,
// storing nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIngestRate } from '@/lib/config';
import { call, enrollHost, expectCleanError, signInAdmin, type BrowserSession } from '@/test/helpers/api-client';
import { startAppServer, type AppServer } from '@/test/helpers/app-server';
import { makeSnapshot } from '@/test/helpers/snapshots';

let server: AppServer;
let admin: BrowserSession;

beforeAll(async () => {
  server = await startAppServer({ env: { SOCKSCOPE_INGEST_RATE: '120/min' } });
  admin = await signInAdmin(server);
});
afterAll(async () => {
  await server?.dispose();
});

describe('ingest rate limit', () => {
  it('accepts a burst of 120 snapshots from one host in a minute, refuses the 121st with 429 + Retry-After, and other hosts carry on', async () => {
    const busy = { kind: 'bearer' as const, token: await enrollHost(server, admin, 'busy-host') };
    const calm = { kind: 'bearer' as const, token: await enrollHost(server, admin, 'calm-host') };
    const statuses: number[] = [];
    for (let index = 0; index < 120; index++) {
      statuses.push((await call(server, busy, 'POST', '/api/v1/snapshots', { json: makeSnapshot('busy-host') })).status);
    }
    expect(statuses.filter((status) => status === 202)).toHaveLength(120);

    const limited = await call(server, busy, 'POST', '/api/v1/snapshots', { json: makeSnapshot('busy-host') });
    expectCleanError(limited, 429);
    expect(limited.body.error.code).toBe('rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);

    expect((await call(server, calm, 'POST', '/api/v1/snapshots', { json: makeSnapshot('calm-host') })).status).toBe(202);
    const stored = await call(server, admin, 'GET', '/api/v1/hosts/busy-host/snapshots?limit=1000');
    expect(stored.body.snapshots).toHaveLength(120);
  });

  it('reads SOCKSCOPE_INGEST_RATE as N/s, N/min, N/h or N per minute; 0 turns it off; anything else is refused with the variable named', () => {
    expect(parseIngestRate(undefined)).toEqual({ limit: 20, windowMs: 1_000 });
    expect(parseIngestRate('600')).toEqual({ limit: 600, windowMs: 60_000 });
    expect(parseIngestRate('5/s')).toEqual({ limit: 5, windowMs: 1_000 });
    expect(parseIngestRate('3000/h')).toEqual({ limit: 3000, windowMs: 3_600_000 });
    expect(parseIngestRate('0')).toBeNull();
    expect(() => parseIngestRate('fast')).toThrow(/SOCKSCOPE_INGEST_RATE/);
    expect(() => parseIngestRate('-5/min')).toThrow(/SOCKSCOPE_INGEST_RATE/);
  });
});
