import { describe, expect, it } from 'vitest';
import { DEFAULT_CLOCK_TICKS, parseClockTicks } from '../../../collector/gather/linux/auxv';
import {
  MAX_ARGS_LENGTH,
  parseBootTime,
  parseCmdline,
  parseProcessStat,
  parseStatusEffectiveUid,
  startTimeIso,
} from '../../../collector/gather/linux/proc-pid';
import { fixtureBytes, fixtureText } from './fixture';

describe('parseProcessStat', () => {
  it('reads a command whose name contains spaces and parentheses', () => {
    // Run as a copy of dash named "my) (odd proc".
    expect(parseProcessStat(fixtureText('proc-pid/stat-odd-comm.txt'))).toEqual({
      pid: 16530,
      command: 'my) (odd proc',
      state: 'S',
      ppid: 1,
      isKernelThread: false,
      startTicks: 78290,
    });
  });

  it('recognises a kernel thread by its PF_KTHREAD flag', () => {
    expect(parseProcessStat(fixtureText('proc-pid/stat-kthreadd.txt'))).toMatchObject({
      pid: 2,
      command: 'kthreadd',
      ppid: 0,
      isKernelThread: true,
      startTicks: 25,
    });
  });

  it('reads a zombie', () => {
    expect(parseProcessStat(fixtureText('proc-pid/stat-zombie.txt'))).toMatchObject({ pid: 16392, command: 'python3', state: 'Z' });
  });

  it('refuses text that is not a stat line', () => {
    expect(parseProcessStat('')).toBeNull();
    expect(parseProcessStat('12 (cut short) S 1')).toBeNull();
    expect(parseProcessStat('abc (name) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5')).toBeNull();
  });
});

describe('parseStatusEffectiveUid', () => {
  it('takes the effective uid, the second number of the Uid line', () => {
    expect(parseStatusEffectiveUid(fixtureText('proc-pid/status-nobody.txt'))).toBe(65534);
    expect(parseStatusEffectiveUid('Name:\tx\nUid:\t1000\t0\t0\t0\n')).toBe(0);
  });

  it('returns null without a Uid line', () => {
    expect(parseStatusEffectiveUid('Name:\tx\n')).toBeNull();
  });
});

describe('parseCmdline', () => {
  it('joins NUL-separated arguments with spaces, keeping an empty argument as ps does', () => {
    expect(parseCmdline(fixtureText('proc-pid/cmdline-with-empty-arg.bin'))).toBe('weird/my) (odd proc -c sleep 30; : arg with space  last ü');
  });

  it('drops the NUL padding of a process that rewrote its title', () => {
    expect(parseCmdline(fixtureText('proc-pid/cmdline-setproctitle.bin'))).toBe('postgres: 15/main: checkpointer ');
  });

  it('returns null for the empty command line of a kernel thread', () => {
    expect(parseCmdline(fixtureText('proc-pid/cmdline-kthread.bin'))).toBeNull();
  });

  it('cuts a command line longer than the schema allows', () => {
    expect(parseCmdline(`${'a'.repeat(MAX_ARGS_LENGTH)}\u0000more\u0000`)).toHaveLength(MAX_ARGS_LENGTH);
  });
});

describe('process start time', () => {
  it('reads btime from /proc/stat', () => {
    expect(parseBootTime(fixtureText('proc-pid/proc-stat.txt'))).toBe(1795260437);
    expect(parseBootTime('cpu 1 2 3\n')).toBeNull();
  });

  it('adds the start ticks to the boot time', () => {
    expect(startTimeIso(1795260437, 78290, 100)).toBe('2026-11-21T11:40:19.900Z');
    expect(startTimeIso(1795260437, 25, 100)).toBe('2026-11-21T11:27:17.250Z');
    expect(startTimeIso(1795260437, 250, 250)).toBe('2026-11-21T11:27:18.000Z');
  });

  it('is null when the boot time is unknown', () => {
    expect(startTimeIso(null, 25, 100)).toBeNull();
  });
});

describe('parseClockTicks', () => {
  it('finds AT_CLKTCK in a real x86_64 auxiliary vector', () => {
    expect(parseClockTicks(fixtureBytes('proc-pid/auxv-x86_64.bin'), 8, 'LE')).toBe(100);
  });

  it('reads 32-bit big-endian vectors too', () => {
    const auxv = new Uint8Array(24);
    const view = new DataView(auxv.buffer);
    view.setUint32(0, 6); // AT_PAGESZ
    view.setUint32(4, 4096);
    view.setUint32(8, 17); // AT_CLKTCK
    view.setUint32(12, 250);
    expect(parseClockTicks(auxv, 4, 'BE')).toBe(250);
  });

  it('returns null when the vector has no AT_CLKTCK, so the caller uses the default', () => {
    expect(parseClockTicks(new Uint8Array(16), 8, 'LE')).toBeNull();
    expect(DEFAULT_CLOCK_TICKS).toBe(100);
  });
});
