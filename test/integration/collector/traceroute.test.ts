// The system traceroute, run the way the collector runs it; only ever to the loopback addresses.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracerouteSchema } from '@/lib/schemas/snapshot';
import { silentLogger } from '@/collector/log';
import { TracerouteRunner, runTraceroute } from '@/collector/traceroute-runner';
import { waitFor } from '@/test/helpers/wait-for';

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'sockscope-traceroute-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('runTraceroute', () => {
  it.each(['127.0.0.1', '::1'])('traces %s in one hop, stamped with its start time', async (target) => {
    const before = Date.now();
    const runs = await runTraceroute(target);
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(tracerouteSchema.parse(run)).toEqual(run);
    expect(run.target).toBe(target);
    expect(run.hops[0]?.probes[0]?.address).toBe(target);
    expect(run.hops[0]?.probes.every((probe) => probe.rttMs !== null)).toBe(true);
    expect(Date.parse(run.startedAt!)).toBeGreaterThanOrEqual(before - 1_000);
  });

  it('says how to install traceroute when it is missing', async () => {
    await expect(runTraceroute('127.0.0.1', { command: 'sockscope-no-such-traceroute' })).rejects.toThrow(/not installed/);
  });

  it('keeps the hops printed before a hung traceroute is killed at its timeout', async () => {
    const hung = path.join(scratch, 'hung-traceroute');
    writeFileSync(
      hung,
      '#!/bin/sh\necho "traceroute to 127.0.0.1 (127.0.0.1), 30 hops max, 60 byte packets"\n' +
        'echo " 1  127.0.0.1  0.528 ms  0.441 ms  0.406 ms"\nexec sleep 30\n',
    );
    chmodSync(hung, 0o755);
    const runs = await runTraceroute('127.0.0.1', { command: hung, timeoutMs: 500 });
    expect(runs[0]?.hops.map((hop) => hop.hop)).toEqual([1]);
  });
});

describe('TracerouteRunner', () => {
  it('traces every target on its schedule and hands each run to one snapshot only', async () => {
    const runner = new TracerouteRunner({ targets: ['127.0.0.1', '::1'], intervalMs: 200, log: silentLogger });
    runner.start();
    const taken: string[] = [];
    await waitFor('two rounds of traces', () => {
      taken.push(...(runner.takeResults() ?? []).map((run) => run.target));
      return taken.length >= 4;
    });
    await runner.stop();
    expect(taken.slice(0, 4)).toEqual(['127.0.0.1', '::1', '127.0.0.1', '::1']);
    const afterStop = runner.takeResults()?.length ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(runner.takeResults()).toBeUndefined();
    expect(afterStop).toBeLessThanOrEqual(2);
  });

  it('logs a failing target and goes on with the others', async () => {
    const warnings: string[] = [];
    const runner = new TracerouteRunner({
      targets: ['127.0.0.1'],
      intervalMs: 60_000,
      log: { ...silentLogger, warn: (message) => warnings.push(message) },
      trace: async () => {
        throw new Error('network is unreachable');
      },
    });
    await runner.traceAllTargets();
    expect(runner.takeResults()).toBeUndefined();
    expect(warnings).toEqual(['traceroute to 127.0.0.1 failed: network is unreachable']);
  });
});
