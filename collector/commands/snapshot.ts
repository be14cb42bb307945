// `snapshot`: print this machine's snapshot JSON; nothing is sent.
import { Command } from 'commander';
import { printSnapshot } from './print-snapshot';

export function snapshotCommand(): Command {
  return new Command('snapshot')
    .description("print this machine's snapshot JSON on stdout (nothing is sent)")
    .option('--time-wait', 'report TCP TIME_WAIT entries too, connections already closed (default off)')
    .action((flags: { timeWait?: boolean }) => printSnapshot(flags));
}
