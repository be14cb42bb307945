// This machine's snapshot JSON on stdout: the `snapshot` command's whole work. Free of commander, so
// that cli.ts can run a bare `snapshot` without loading an option parser.
import { collectLocalSnapshot } from '../collect-local';

export async function printSnapshot(): Promise<void> {
  const snapshot = await collectLocalSnapshot();
  process.stdout.write(`${JSON.stringify(snapshot, null, 2)}\n`);
}
