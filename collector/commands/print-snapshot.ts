// This machine's snapshot JSON on stdout, installed packages included: the `snapshot` command's
// whole work. Free of commander, so that cli.ts can run a bare `snapshot` without loading an
// option parser.
import { collectThisMachineSnapshot } from '../this-machine-snapshot';
import { gatherPackages } from '../gather/packages/index';

export async function printSnapshot(options: { timeWait?: boolean } = {}): Promise<void> {
  const snapshot = await collectThisMachineSnapshot({ readPackages: () => gatherPackages(), includeTimeWait: options.timeWait });
  process.stdout.write(`${JSON.stringify(snapshot, null, 2)}\n`);
}
