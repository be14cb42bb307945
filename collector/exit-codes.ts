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
