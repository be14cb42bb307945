// `import`: the WebJob way. Another host ran lsof/netstat/ps/...; parse its output here and send
// it as ONE snapshot for that host, with the job's .env run metadata if given.
import { createHash } from 'node:crypto';
import { Command } from 'commander';
import { type RunMetadata, type Snapshot, hostName, snapshotSchema } from '../../lib/schemas/snapshot';
import { type SnapshotBody, finishSnapshot } from '../build-snapshot';
import { type ConfigFlags, loadConfig } from '../config';
import { BadInputError } from '../exit-codes';
import { createLogger } from '../log';
import { sortPackages } from '../parse/package-rows';
import { parseWebjobEnv } from '../parse/webjob-env';
import { type ParsedSections, checkFormat, parseOrExplain, parseText, readInputFile } from '../read-tool-output';
import { runCollector } from '../run-loop';
import { handleShutdownSignals } from '../shutdown';
import { addConnectionOptions, openConfiguredSpool } from './connection-options';

interface ImportFlags extends ConfigFlags {
  format: string;
  host?: string;
  env?: string;
}

export function importCommand(): Command {
  return addConnectionOptions(new Command('import'))
    .description("send another host's tool output (parsed here) as one snapshot for that host")
    .argument('<files...>', 'tool output files, all in the same --format')
    .requiredOption('--format <format>', 'lsof-F, lsof, netstat, ss, ifconfig, ip-link, ps, traceroute, rpm-qa, dpkg-l, dpkg-query, dpkg-status, apk-info or apk-installed')
    .option('--host <name>', 'the host the output came from (default: Hostname in --env)')
    .option('--env <file>', "WebJob .env file of the job: run metadata, and the host's name and OS")
    .action(async (files: string[], flags: ImportFlags) => {
      process.exitCode = await importFiles(files, flags);
    });
}

async function importFiles(files: string[], flags: ImportFlags): Promise<number> {
  const { config, warnings } = loadConfig({ flags, required: ['server', 'token'] });
  const snapshot = buildImportedSnapshot(files, flags, [config.token]);
  const log = createLogger({ secrets: [config.token] });
  for (const warning of warnings) log.warn(warning);
  const shutdown = handleShutdownSignals(log);
  try {
    const spool = await openConfiguredSpool(config, log);
    const summary = await runCollector({
      server: config.server,
      token: config.token,
      intervalMs: 0,
      timeoutMs: config.timeoutSeconds * 1000,
      once: true,
      spool,
      log,
      stopSignal: shutdown.signal,
      collect: async () => snapshot,
    });
    return summary.exitCode;
  } finally {
    shutdown.dispose();
  }
}

export function buildImportedSnapshot(files: string[], flags: ImportFlags, secrets: string[]): Snapshot {
  const format = checkFormat(flags.format, files[0] ?? '-');
  const texts = files.map((file) => ({ file, text: readInputFile(file) }));
  const run = flags.env ? readRunMetadata(flags.env) : undefined;
  const name = flags.host ?? run?.hostname ?? null;
  if (!name) {
    throw new BadInputError(`${files[0]}: which host is this from? Pass --host NAME or --env FILE.env with Hostname`);
  }
  if (!hostName.safeParse(name).success) {
    const source = flags.host ? '--host' : flags.env;
    throw new BadInputError(`${source}: "${name}" is not a usable host name (letters, digits, dot, dash, underscore)`);
  }
  const body: SnapshotBody = { host: { name, os: run?.systemOs ?? null } };
  if (run) body.run = run;
  for (const { file, text } of texts) {
    mergeSections(body, parseText(format, file, text));
  }
  // The job's own run time is when the data was collected; re-importing it then keeps one key.
  const runEpoch = run?.runEpoch ?? run?.jobEpoch ?? null;
  const snapshot = finishSnapshot(body, {
    collectedAt: runEpoch ? new Date(runEpoch) : new Date(),
    idempotencySuffix: runEpoch ? contentDigest(format, texts.map((item) => item.text)) : undefined,
    secrets,
  });
  const checked = snapshotSchema.safeParse(snapshot);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = `${issue?.path.join('.')}: ${issue?.message}`;
    throw new BadInputError(`${files.join(', ')}: parsed data does not fit a snapshot: ${where}`);
  }
  return snapshot;
}

function readRunMetadata(envFile: string): RunMetadata {
  const text = readInputFile(envFile);
  return parseOrExplain(envFile, () => parseWebjobEnv(text));
}

function mergeSections(body: SnapshotBody, sections: ParsedSections): void {
  if (sections.sockets) body.sockets = [...(body.sockets ?? []), ...sections.sockets];
  if (sections.processes) body.processes = [...(body.processes ?? []), ...sections.processes];
  if (sections.interfaces) body.interfaces = [...(body.interfaces ?? []), ...sections.interfaces];
  if (sections.traceroutes) body.traceroutes = [...(body.traceroutes ?? []), ...sections.traceroutes];
  if (sections.packages) body.packages = sortPackages([...(body.packages ?? []), ...sections.packages]);
}

function contentDigest(format: string, texts: string[]): string {
  const hash = createHash('sha256').update(format);
  for (const text of texts) hash.update('\0').update(text);
  return hash.digest('hex').slice(0, 12);
}
