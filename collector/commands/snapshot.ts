// `snapshot`: print this machine's snapshot JSON; nothing is sent.
import { Command } from 'commander';
import { collectLocalSnapshot } from '../collect-local';
import { gatherPackages } from '../gather/packages/index';

export function snapshotCommand(): Command {
  return new Command('snapshot')
    .description("print this machine's snapshot JSON on stdout (nothing is sent)")
    .action(async () => {
      const snapshot = await collectLocalSnapshot({ readPackages: () => gatherPackages() });
      process.stdout.write(`${JSON.stringify(snapshot, null, 2)}\n`);
    });
}
