// Where the server's CPU goes under ingest load: starts the server with --cpu-prof, posts at a
// steady rate, stops it and prints the functions with the most self time (grouped by file too).
//
//   npx tsx bench/profile.ts [--rate 60] [--seconds 20] [--hosts 1000] [--mode delta|full] [--mix real|old]
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { SourceMap, type SourceMapping, type SourceMapPayload } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '@/lib/db/open-database';
import { buildFleetModel, Fleet, planFor, runLoad } from './load-generator';
import { createBenchDatabase, seedFleet } from './seed';
import { startBenchServer } from './server';
import { CpuMeter } from './proc';
import { round } from './stats';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

// Declared before the top-level run below uses it.
const sourceMaps = new Map<string, SourceMap | null>();

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '60' },
    seconds: { type: 'string', default: '20' },
    hosts: { type: 'string', default: '1000' },
    mode: { type: 'string', default: 'delta' },
    mix: { type: 'string', default: 'real' },
    top: { type: 'string', default: '40' },
    /** Also print who calls functions whose name or file contains this text (repeatable). */
    callers: { type: 'string', multiple: true, default: [] },
    /** Only measure CPU per snapshot (no profiler, whose overhead inflates it). */
    'no-profile': { type: 'boolean', default: false },
    /** Another checkout to run, with its build in its own SOCKSCOPE_DIST_DIR (see bench/README.md). */
    'server-dir': { type: 'string' },
    'dist-dir': { type: 'string' },
    /** Copy the server's .cpuprofile here (open it in Chrome DevTools or speedscope). */
    save: { type: 'string' },
    /** Extra node flags for the server (e.g. --max-semi-space-size=64). */
    'node-flag': { type: 'string', multiple: true, default: [] },
  },
});

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sockscope-profile-'));
const profileDir = path.join(dataDir, 'cpu');
const benchDb = await createBenchDatabase('profile');
try {
  const database = await openDatabase({ databaseUrl: benchDb.url, dataDir });
  await database.close();
  const model = buildFleetModel(100);
  const plan = await planFor(values.mix === 'old' ? 'old' : 'real', model);
  const hosts = await seedFleet(benchDb.url, { hosts: Number(values.hosts), withData: Number(values.hosts), profiles: model.profiles });
  const profiling = !values['no-profile'];
  const server = await startBenchServer({
    env: { DATABASE_URL: benchDb.url, DATA_DIR: dataDir, ...(values['dist-dir'] ? { SOCKSCOPE_DIST_DIR: values['dist-dir'] } : {}) },
    nodeFlags: [...(profiling ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...(values['node-flag'] ?? [])],
    cwd: values['server-dir'],
  });
  const fleet = new Fleet(hosts, model, plan);
  // Connections, prepared statements and the JIT warm up first (the fleet is seeded: no first posts).
  await runLoad(fleet, { url: server.url, rate: Math.min(50, Number(values.rate)), durationS: 10, tag: 'warm' });
  const meter = new CpuMeter(server.process.pid as number);
  const mode = values.mode === 'full' ? 'full' : 'delta';
  const result = await runLoad(fleet, { url: server.url, rate: Number(values.rate), durationS: Number(values.seconds), mode, tag: 'profile' });
  const cpu = meter.read();
  console.log(
    `load: ${round(result.achievedRate)}/s, p50 ${round(result.latencyMs.p50)} ms, p99 ${round(result.latencyMs.p99)} ms, errors ${result.errors}; ` +
      `server CPU ${round(cpu.processPercent ?? NaN, 0)}% = ${round(((cpu.processPercent ?? NaN) * 10) / result.achievedRate, 2)} ms per snapshot (${profiling ? 'with the profiler on' : 'no profiler'}); machine ${round(cpu.machinePercent, 0)}%`,
  );
  await server.stop();
  const files = profiling ? (await readdir(profileDir)).filter((name) => name.endsWith('.cpuprofile')) : [];
  // The server's main thread is the busiest profile (tsx's loader thread writes one too, mostly idle).
  let best: CpuProfile | null = null;
  let bestBusy = -1;
  for (const name of files) {
    const profile = JSON.parse(await readFile(path.join(profileDir, name), 'utf8')) as CpuProfile;
    const busy = busyMicros(profile);
    if (busy > bestBusy) {
      best = profile;
      bestBusy = busy;
    }
  }
  if (best && values.save) await writeFile(values.save, JSON.stringify(best));
  if (best) printProfile(best, Number(values.top));
  else if (profiling) throw new Error('no profile written');
} finally {
  await benchDb.drop();
  await rm(dataDir, { recursive: true, force: true });
}

function busyMicros(profile: CpuProfile): number {
  const idle = new Set(profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id));
  return profile.samples.reduce((sum, id, index) => sum + (idle.has(id) ? 0 : (profile.timeDeltas[index] ?? 0)), 0);
}

interface Frame {
  /** Source file after source maps (the Next.js build's chunks map back to lib/, app/, node_modules/). */
  file: string;
  name: string;
  line: number;
}

function resolveFrame(frame: ProfileNode['callFrame'] & { columnNumber?: number }): Frame {
  const path = frame.url.replace(/^file:\/\//, '');
  let map = sourceMaps.get(path);
  if (map === undefined) {
    map = null;
    try {
      if (path.includes('/.next') && existsSync(`${path}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')) as SourceMapPayload);
    } catch {
      map = null;
    }
    sourceMaps.set(path, map);
  }
  const found = map?.findEntry(frame.lineNumber, frame.columnNumber ?? 0);
  // findEntry answers {} for a position the map does not cover; Node adds the mapping's name, which its types omit.
  const entry: (SourceMapping & { name?: string }) | undefined = found !== undefined && 'originalSource' in found ? found : undefined;
  const original = entry?.originalSource ? entry.originalSource.replace(/^.*?\[project\]\//, './').replace(/^file:\/\//, '') : path;
  const file = original.replace(process.cwd(), '.').replace(/.*node_modules\//, 'nm/');
  return { file, name: frame.functionName || entry?.name || '(anonymous)', line: (entry?.originalLine ?? frame.lineNumber) + 1 };
}

/** node_modules packages as one group, our files one by one. */
function groupOf(file: string, name: string): string {
  if (!file) return name;
  if (file.startsWith('nm/'))
    return file
      .split('/')
      .slice(0, file.startsWith('nm/@') ? 3 : 2)
      .join('/');
  return file;
}

function printProfile(profile: CpuProfile, top: number): void {
  const frames = new Map(profile.nodes.map((node) => [node.id, resolveFrame(node.callFrame)]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const total = [...self.values()].reduce((sum, value) => sum + value, 0);
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const inclusiveByFile = new Map<string, number>();
  for (const [id, micros] of self) {
    const frame = frames.get(id);
    if (!frame) continue;
    const key = `${frame.name} ${frame.file}:${frame.line}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
    byFile.set(groupOf(frame.file, frame.name), (byFile.get(groupOf(frame.file, frame.name)) ?? 0) + micros);
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parentOf.get(current)) {
      const ancestor = frames.get(current);
      if (!ancestor) continue;
      const group = groupOf(ancestor.file, ancestor.name);
      if (seen.has(group)) continue;
      seen.add(group);
      inclusiveByFile.set(group, (inclusiveByFile.get(group) ?? 0) + micros);
    }
  }
  const print = (title: string, entries: Map<string, number>) => {
    console.log(`\n${title} (of ${(total / 1e6).toFixed(1)} s sampled)`);
    for (const [key, micros] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${((micros / total) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${key}`);
    }
  };
  print('self time by package / file', byFile);
  print('self time by function', byFunction);
  print('inclusive time by package / file (time spent in it or in what it called)', inclusiveByFile);

  const label = (id: number) => {
    const frame = frames.get(id);
    return frame ? `${frame.name}@${frame.file.split('/').slice(-2).join('/')}:${frame.line}` : '?';
  };
  for (const needle of values.callers ?? []) {
    const chains = new Map<string, number>();
    for (const [id, micros] of self) {
      if (!label(id).includes(needle)) continue;
      const chain: string[] = [];
      for (let current: number | undefined = id, depth = 0; current !== undefined && depth < 12; current = parentOf.get(current), depth += 1)
        chain.push(label(current));
      const key = chain.join('  <  ');
      chains.set(key, (chains.get(key) ?? 0) + micros);
    }
    console.log(`\ncallers of ${needle}`);
    for (const [key, micros] of [...chains].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`${(micros / 1000).toFixed(0).padStart(7)} ms  ${key}`);
  }
}
