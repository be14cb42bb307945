// Churn of a real host: the built-in collector's native gather (collector/gather/linux) run N times
// at an interval on this machine, and per section the rows that appeared and ended between samples,
// counted by row hash (lib/schemas/row-hash.ts, with multiplicity) — what the server stores per
// snapshot. Sockets are split into listeners and connections (everything else), because a listener
// change is rare and raises an alert while connections come and go all the time. Pairs of samples
// one interval apart and, when the run is long enough, 60 s apart (the fleet's reporting interval)
// are both reported: a longer interval sees more short-lived rows come and go.
//
//   npx tsx bench/churn.ts [--samples 13] [--interval 10]     measures and saves bench/results/churn.json
//
// bench/run.ts reads the saved file (--measure-churn measures again first).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gatherLinuxSnapshot } from '@/collector/gather/linux/index';
import { rowHash, type RowOf, type RowSection } from '@/lib/schemas/row-hash';
import { isListening, type InterfaceRow, type ProcessRow, type SocketRow } from '@/lib/schemas/snapshot';
import { sleep } from '@/collector/abort';
import { round } from './stats';

const CHURN_FILE = path.resolve('bench/results/churn.json');

/** The parts of a host whose churn drives the load generator. */
export const churnParts = ['processes', 'connections', 'listeners', 'interfaces'] as const;
export type ChurnPart = (typeof churnParts)[number];

interface PartChurn {
  /** Mean rows that appeared per pair of samples. */
  appeared: number;
  /** Mean rows that ended per pair of samples. */
  ended: number;
  /** Share of pairs in which the part changed at all. */
  changedShare: number;
  /** Rows of the part in the samples (mean). */
  rows: number;
  /** Median over the pairs of (appeared + ended) / 2: robust to one burst (a neighbour's test suite). */
  medianReplaced: number;
  /** Per pair: [appeared, ended]. */
  perPair: Array<[number, number]>;
}

export interface ChurnAtLag {
  /** Seconds between the two samples of each pair (nominal: samples × interval). */
  seconds: number;
  pairs: number;
  parts: Record<ChurnPart, PartChurn>;
  /** Interfaces that changed only in their counters (same name, other rx/tx errors or drops), per pair. */
  interfaceCounterChanges: number;
}

export interface ChurnMeasurement {
  measuredAt: string;
  host: string;
  samples: number;
  intervalS: number;
  /** Time one gather took (mean), for the record. */
  gatherMs: number;
  /** Churn between consecutive samples, and between samples 60 s apart when measured. */
  lags: ChurnAtLag[];
}

interface Sample {
  at: number;
  hashes: Record<ChurnPart, string[]>;
  interfaces: InterfaceRow[];
}

function hashesOf<S extends RowSection>(section: S, rows: readonly RowOf[S][]): string[] {
  return rows.map((row) => rowHash(section, row));
}

async function takeSample(): Promise<Sample & { gatherMs: number }> {
  const started = performance.now();
  const gathered = await gatherLinuxSnapshot();
  const gatherMs = performance.now() - started;
  const sockets: SocketRow[] = gathered.sockets ?? [];
  const processes: ProcessRow[] = gathered.processes ?? [];
  const interfaces: InterfaceRow[] = gathered.interfaces ?? [];
  return {
    at: Date.now(),
    gatherMs,
    interfaces,
    hashes: {
      processes: hashesOf('processes', processes),
      connections: hashesOf(
        'sockets',
        sockets.filter((socket) => !isListening(socket)),
      ),
      listeners: hashesOf('sockets', sockets.filter(isListening)),
      interfaces: hashesOf('interfaces', interfaces),
    },
  };
}

/** Rows of `after` not in `before` and rows of `before` not in `after`, as multisets. */
function countChanges(before: readonly string[], after: readonly string[]): { appeared: number; ended: number } {
  const remaining = new Map<string, number>();
  for (const hash of before) remaining.set(hash, (remaining.get(hash) ?? 0) + 1);
  let appeared = 0;
  for (const hash of after) {
    const count = remaining.get(hash) ?? 0;
    if (count > 0) remaining.set(hash, count - 1);
    else appeared += 1;
  }
  let ended = 0;
  for (const count of remaining.values()) ended += count;
  return { appeared, ended };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? NaN : sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function counterOnlyChanges(before: readonly InterfaceRow[], after: readonly InterfaceRow[]): number {
  const withoutCounters = (row: InterfaceRow) => JSON.stringify({ ...row, rxErrors: null, txErrors: null, rxDropped: null, txDropped: null });
  const beforeByName = new Map(before.map((row) => [row.name, row]));
  let changes = 0;
  for (const row of after) {
    const earlier = beforeByName.get(row.name);
    if (earlier && JSON.stringify(earlier) !== JSON.stringify(row) && withoutCounters(earlier) === withoutCounters(row)) changes += 1;
  }
  return changes;
}

function churnAtLag(samples: readonly Sample[], lag: number, intervalS: number): ChurnAtLag | null {
  const pairs = samples.length - lag;
  if (lag < 1 || pairs < 1) return null;
  const parts = {} as Record<ChurnPart, PartChurn>;
  for (const part of churnParts) {
    let appeared = 0;
    let ended = 0;
    let changed = 0;
    let rows = 0;
    const perPair: Array<[number, number]> = [];
    for (let index = 0; index < pairs; index += 1) {
      const counts = countChanges((samples[index] as Sample).hashes[part], (samples[index + lag] as Sample).hashes[part]);
      perPair.push([counts.appeared, counts.ended]);
      appeared += counts.appeared;
      ended += counts.ended;
      if (counts.appeared + counts.ended > 0) changed += 1;
      rows += (samples[index] as Sample).hashes[part].length;
    }
    parts[part] = {
      appeared: appeared / pairs,
      ended: ended / pairs,
      changedShare: changed / pairs,
      rows: rows / pairs,
      medianReplaced: median(perPair.map(([a, e]) => (a + e) / 2)),
      perPair,
    };
  }
  let counterChanges = 0;
  for (let index = 0; index < pairs; index += 1)
    counterChanges += counterOnlyChanges((samples[index] as Sample).interfaces, (samples[index + lag] as Sample).interfaces);
  return { seconds: lag * intervalS, pairs, parts, interfaceCounterChanges: counterChanges / pairs };
}

export async function measureChurn(options: { samples: number; intervalS: number; log?: (line: string) => void }): Promise<ChurnMeasurement> {
  const samples: Sample[] = [];
  let gatherMs = 0;
  for (let index = 0; index < options.samples; index += 1) {
    // Each sample on the interval's schedule, whatever the gather took.
    const due = index * options.intervalS * 1000;
    if (samples.length > 0) await sleep(Math.max(0, (samples[0] as Sample).at + due - Date.now()));
    const sample = await takeSample();
    gatherMs += sample.gatherMs;
    samples.push(sample);
    options.log?.(
      `  churn sample ${index + 1}/${options.samples}: ${sample.hashes.processes.length} processes, ${sample.hashes.connections.length} connections, ` +
        `${sample.hashes.listeners.length} listeners, ${sample.hashes.interfaces.length} interfaces`,
    );
  }
  const host = (await gatherLinuxSnapshot()).host.name;
  const lags = [1, Math.round(60 / options.intervalS)]
    .filter((lag, index, all) => all.indexOf(lag) === index)
    .map((lag) => churnAtLag(samples, lag, options.intervalS))
    .filter((lag): lag is ChurnAtLag => lag !== null);
  return {
    measuredAt: new Date().toISOString(),
    host,
    samples: options.samples,
    intervalS: options.intervalS,
    gatherMs: round(gatherMs / options.samples, 1),
    lags,
  };
}

export async function saveChurn(measurement: ChurnMeasurement): Promise<void> {
  await mkdir(path.dirname(CHURN_FILE), { recursive: true });
  await writeFile(CHURN_FILE, `${JSON.stringify(measurement, null, 2)}\n`);
}

export async function loadChurn(): Promise<ChurnMeasurement | null> {
  try {
    return JSON.parse(await readFile(CHURN_FILE, 'utf8')) as ChurnMeasurement;
  } catch {
    return null;
  }
}

/** The lag closest to the fleet's reporting interval (60 s), else the longest measured. */
export function churnAtInterval(measurement: ChurnMeasurement, intervalS = 60): ChurnAtLag {
  const sorted = [...measurement.lags].sort((a, b) => Math.abs(a.seconds - intervalS) - Math.abs(b.seconds - intervalS) || b.seconds - a.seconds);
  const best = sorted[0];
  if (!best) throw new Error(`${CHURN_FILE} holds no churn measurement`);
  return best;
}

export function describeChurn(lag: ChurnAtLag): string {
  const part = (name: ChurnPart) =>
    `${name} +${round(lag.parts[name].appeared, 2)}/−${round(lag.parts[name].ended, 2)} of ${Math.round(lag.parts[name].rows)} (median ${round(lag.parts[name].medianReplaced, 1)})`;
  return `per ${lag.seconds} s (${lag.pairs} pairs): ${churnParts.map(part).join(', ')}; interfaces changed only in counters ${round(lag.interfaceCounterChanges, 2)}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { samples: { type: 'string', default: '13' }, interval: { type: 'string', default: '10' } } });
  const measurement = await measureChurn({ samples: Number(values.samples), intervalS: Number(values.interval), log: console.log });
  await saveChurn(measurement);
  for (const lag of measurement.lags) console.log(describeChurn(lag));
  console.log(`saved ${path.relative(process.cwd(), CHURN_FILE)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
