// A bare `snapshot`, without options: the one-shot that scripts and cron run. It needs no option
// parser, and the bundle keeps it apart from the rest of the collector (launch-bundle.ts), so that
// it neither loads nor compiles commander, zod or the HTTP client.
export function isBareSnapshot(argv: readonly string[]): boolean {
  return argv.length === 3 && argv[2] === 'snapshot';
}
