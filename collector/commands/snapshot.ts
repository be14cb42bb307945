// `snapshot`: print this machine's snapshot JSON; nothing is sent.
import { Command } from 'commander';
import { collectLocalSnapshot } from '../collect-local';

export async function printSnapshot(): Promise<void> {
  const snapshot = await collectLocalSnapshot();
  process.stdout.write(`${JSON.stringify(snapshot, null, 2)}\n`);
}

export function snapshotCommand(): Command {
  return new Command('snapshot')
    .description("print this machine's snapshot JSON on stdout (nothing is sent)")
    .action(printSnapshot);
}
