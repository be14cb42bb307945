// Sockscope collector command line: `snapshot`, `parse`, `run`, `import` (docs/collector.md; exit codes in exit-codes.ts).
import type { Command } from 'commander';
import { isBareSnapshot } from './bare-snapshot';
import { keepYoungGenerationSmall } from './daemon-memory';
import { EXIT_BAD_INPUT, EXIT_OK, exitQuietlyWhenStdoutCloses, reportError } from './exit-codes';
import { COLLECTOR_VERSION } from './version';

// Modules load only when their command runs (the bundle evaluates a dynamic import lazily). A bare
// `snapshot`, the one-shot that scripts and cron run, then never evaluates commander, zod or the
// HTTP client: they cost a one-shot run more time than gathering the snapshot itself.
const commandLoaders: Record<string, () => Promise<Command>> = {
  snapshot: async () => (await import('./commands/snapshot')).snapshotCommand(),
  parse: async () => (await import('./commands/parse')).parseCommand(),
  run: async () => (await import('./commands/run')).runCommand(),
  import: async () => (await import('./commands/import')).importCommand(),
};

/** The command named on the command line alone; every command for help, version and mistakes. */
async function buildProgram(argv: readonly string[]): Promise<Command> {
  const { Command } = await import('commander');
  const program = new Command('sockscope-collector')
    .description('Sockscope collector: gather sockets, processes, interfaces and traceroutes; send them to the server')
    .version(COLLECTOR_VERSION)
    // Commander's "did you mean" hint is a second stderr line; the contract allows one.
    .showSuggestionAfterError(false)
    .exitOverride();
  const named = argv[2];
  const names = named !== undefined && Object.hasOwn(commandLoaders, named) ? [named] : Object.keys(commandLoaders);
  for (const name of names) {
    const command = await commandLoaders[name]!();
    program.addCommand(command.copyInheritedSettings(program));
  }
  return program;
}

async function exitCodeFor(error: unknown): Promise<number> {
  const { CommanderError } = await import('commander');
  if (error instanceof CommanderError) {
    // Commander has already printed its one-line message (or the help / version asked for).
    const isInformational = error.code === 'commander.helpDisplayed' || error.code === 'commander.version';
    return isInformational ? EXIT_OK : EXIT_BAD_INPUT;
  }
  return reportError(error);
}

async function main(): Promise<void> {
  // Before the daemon's modules load: what they allocate would already grow the young generation.
  if (process.argv[2] === 'run') keepYoungGenerationSmall();
  if (isBareSnapshot(process.argv)) {
    await (await import('./commands/print-snapshot')).runBareSnapshot();
    return;
  }
  exitQuietlyWhenStdoutCloses();
  try {
    await (await buildProgram(process.argv)).parseAsync(process.argv);
  } catch (error) {
    process.exitCode = await exitCodeFor(error);
  }
}

void main();
