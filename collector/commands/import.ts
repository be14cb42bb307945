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
import { type ParsedSections, parseOrExplain, readInputFile } from '../read-tool-output';
import { runCollector } from '../run-loop';
import { handleShutdownSignals } from '../shutdown';
import { addConnectionOptions, openConfiguredSpool } from './connection-options';
import { FORMAT_HELP, TARGET_HELP, checkFormatFlag, parseWithOptions, reportDetectedFormat, resolveFormat } from './format-option';

interface ImportFlags extends ConfigFlags {
  format?: string;
  host?: string;
  env?: string;
  target?: string;
}

export function importCommand(): Command {
  return addConnectionOptions(new Command('import'))
    .description("send another host's tool output (parsed here) as one snapshot for that host")
    .argument('<files...>', 'tool output files, all in the same --format (with auto, each is recognised on its own)')
    .option('--format <format>', `${FORMAT_HELP}; default auto`, 'auto')
    .option('--host <name>', 'the host the output came from (default: Hostname in --env)')
    .option('--target <host>', TARGET_HELP)
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
  const format = checkFormatFlag(flags.format, files[0] ?? '-');
  const texts = files.map((file) => ({ file, text: readInputFile(file) }));
  const resolved = texts.map(({ file, text }) => resolveFormat(format, file, text));
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
  texts.forEach(({ file, text }, index) => {
    const fileFormat = resolved[index] ?? resolveFormat(format, file, text);
    mergeSections(body, parseWithOptions(fileFormat.format, file, text, { tracerouteTarget: flags.target }));
    reportDetectedFormat(fileFormat, file, texts.length > 1);
  });
  // The job's own run time is when the data was collected; re-importing it then keeps one key.
  const runEpoch = run?.runEpoch ?? run?.jobEpoch ?? null;
  const formats = resolved.map((item) => item.format).join(',');
  const snapshot = finishSnapshot(body, {
    collectedAt: runEpoch ? new Date(runEpoch) : new Date(),
    idempotencySuffix: runEpoch
      ? contentDigest(
          formats,
          texts.map((item) => item.text),
        )
      : undefined,
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
