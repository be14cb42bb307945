// This machine's snapshot JSON on stdout, installed packages included: the `snapshot` command's
// whole work. Free of commander, so that cli.ts can run a bare `snapshot` without loading an
// option parser. Executable digests and the package list are kept in the cache directory between
// runs (cache-files.ts), so that a run after the first hashes and parses only what changed.
import { cacheDirectory } from '../cache-files';
import { reportError } from '../exit-codes';
import { ONE_SHOT_HASH_BUDGET } from '../gather/linux/executable-hashes';
import { loadExecutableHashCache, saveExecutableHashCache } from '../gather/linux/executable-hash-file';
import { gatherPackagesKept } from '../gather/packages/package-list-file';
import { collectThisMachineSnapshot } from '../this-machine-snapshot';
import { writeToStdout } from '../write-stdout';

export async function printSnapshot(options: { timeWait?: boolean } = {}): Promise<void> {
  const directory = cacheDirectory();
  const hashCache = loadExecutableHashCache(directory);
  const snapshot = await collectThisMachineSnapshot({
    readPackages: () => gatherPackagesKept(directory),
    includeTimeWait: options.timeWait,
    hashCache,
    hashBudget: ONE_SHOT_HASH_BUDGET,
  });
  // Kept before printing: a reader that stops reading early ends the run at once.
  saveExecutableHashCache(directory, hashCache);
  writeToStdout(`${JSON.stringify(snapshot, null, 2)}\n`);
}

/** A bare `snapshot` (bare-snapshot.ts), with the exit codes and error line of every command. */
export async function runBareSnapshot(): Promise<void> {
  try {
    await printSnapshot();
  } catch (error) {
    process.exitCode = reportError(error);
  }
}
