import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drainSpool } from '@/collector/delivery';
import { silentLogger } from '@/collector/log';
import type { SendOutcome } from '@/collector/send';
import { Spool } from '@/collector/spool';

let dir: string;
let spool: Spool;
beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sockscope-drain-'));
  spool = await Spool.open({ dir });
  for (const second of [3, 1, 2, 4]) {
    const key = `h-${second}`;
    await spool.add({ collectedAt: new Date(Date.UTC(2026, 10, 21, 10, 0, second)).toISOString(), idempotencyKey: key }, key);
  }
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function sender(answers: Record<string, SendOutcome>) {
  const sent: string[] = [];
  const send = async (body: string): Promise<SendOutcome> => {
    sent.push(body);
    return answers[body] ?? { kind: 'delivered', status: 202, body: '{"id":1}' };
  };
  return { sent, send };
}

describe('drainSpool', () => {
  it('sends oldest first, sets refused ones aside and stops at the first transient failure', async () => {
    const { sent, send } = sender({
      'h-2': { kind: 'rejected', status: 413, body: 'too large' },
      'h-3': { kind: 'retry', status: 503, reason: 'HTTP 503', retryAfterMs: null },
    });
    const result = await drainSpool({ spool, send, log: silentLogger });
    expect(sent).toEqual(['h-1', 'h-2', 'h-3']);
    expect(result).toMatchObject({ delivered: 1, isComplete: false, retry: { status: 503 } });
    expect(result.rejected.map((entry) => entry.name.slice(-8))).toEqual(['h-2.json']);
    expect((await spool.list()).map((entry) => entry.name.slice(-8))).toEqual(['h-3.json', 'h-4.json']);
  });

  it('starts no new POST after the deadline or the stop signal', async () => {
    const { sent, send } = sender({});
    const result = await drainSpool({ spool, send, log: silentLogger, deadline: Date.now() - 1 });
    expect(sent).toEqual([]);
    expect(result.isComplete).toBe(false);
    const stopped = new AbortController();
    stopped.abort();
    expect((await drainSpool({ spool, send, log: silentLogger, stopSignal: stopped.signal })).delivered).toBe(0);
  });

  it('empties the spool when every send succeeds', async () => {
    const { sent, send } = sender({});
    const result = await drainSpool({ spool, send, log: silentLogger });
    expect(sent).toEqual(['h-1', 'h-2', 'h-3', 'h-4']);
    expect(result).toMatchObject({ delivered: 4, isComplete: true, retry: null });
    expect(await spool.list()).toEqual([]);
  });
});
