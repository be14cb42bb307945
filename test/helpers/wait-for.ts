// Polling for hooks and integration steps where expect.poll does not fit (a condition over several calls, a custom pace).

/** Polls `condition` every `intervalMs` until it holds; fails the test with `what` if it does not within `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
