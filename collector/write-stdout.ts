// The snapshot's JSON goes to stdout with write(2), not through process.stdout: creating that
// stream (a socket, for a pipe) costs a one-shot `snapshot` more than writing the JSON. A reader
// that closed the pipe early (`snapshot | head`) ends the run quietly, as with every command.
import { writeSync } from 'node:fs';
import { EXIT_OK, exitQuietlyWhenStdoutCloses } from './exit-codes';

export function writeToStdout(text: string): void {
  const bytes = Buffer.from(text);
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(1, bytes, written);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EPIPE') process.exit(EXIT_OK);
    if (code !== 'EAGAIN') throw error;
    // A non-blocking stdout that is full: the stream waits for room.
    exitQuietlyWhenStdoutCloses();
    process.stdout.write(bytes.subarray(written));
  }
}
