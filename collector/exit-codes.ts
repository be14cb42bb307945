// Exit codes the collector promises to scripts and cron wrappers.
export const EXIT_OK = 0;
/** A snapshot was refused by the server (4xx) or the collector failed at run time. */
export const EXIT_FAILURE = 1;
/** Bad input: usage, configuration, an unreadable or malformed file (one line on stderr, `FILE:LINE: reason`). */
export const EXIT_BAD_INPUT = 2;

/** An error whose message is already the one stderr line the user should see, exiting 2. */
export class BadInputError extends Error {
  override readonly name = 'BadInputError';
}

/** Says what went wrong on one stderr line and returns the exit code for it. */
export function reportError(error: unknown): number {
  if (error instanceof BadInputError) {
    process.stderr.write(`${error.message}\n`);
    return EXIT_BAD_INPUT;
  }
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT_FAILURE;
}

/** `snapshot | head` closes the pipe early; that is the reader's choice, not a failure. */
export function exitQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT_OK);
    throw error;
  });
}
