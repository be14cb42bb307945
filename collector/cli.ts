// Sockscope collector command line: `snapshot`, `parse`, `run`, `import` (DESIGN.md, "Command line").
import { Command, CommanderError } from 'commander';
import { importCommand } from './commands/import';
import { parseCommand } from './commands/parse';
import { runCommand } from './commands/run';
import { snapshotCommand } from './commands/snapshot';
import { BadInputError, EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK } from './exit-codes';
import { COLLECTOR_VERSION } from './version';

function buildProgram(): Command {
  const program = new Command('sockscope-collector')
    .description('Sockscope collector: gather sockets, processes, interfaces and traceroutes; send them to the server')
    .version(COLLECTOR_VERSION)
    // Commander's "did you mean" hint is a second stderr line; the contract allows one.
    .showSuggestionAfterError(false)
    .exitOverride();
  for (const command of [snapshotCommand(), parseCommand(), runCommand(), importCommand()]) {
    program.addCommand(command.copyInheritedSettings(program));
  }
  return program;
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its one-line message (or the help / version asked for).
    const isInformational = error.code === 'commander.helpDisplayed' || error.code === 'commander.version';
    return isInformational ? EXIT_OK : EXIT_BAD_INPUT;
  }
  if (error instanceof BadInputError) {
    process.stderr.write(`${error.message}\n`);
    return EXIT_BAD_INPUT;
  }
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT_FAILURE;
}

async function main(): Promise<void> {
  // `snapshot | head` closes the pipe early; that is the reader's choice, not a failure.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT_OK);
    throw error;
  });
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    process.exitCode = exitCodeFor(error);
  }
}

void main();
