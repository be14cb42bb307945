// The host token is the one secret the collector holds: it must never reach a log line.
export const REDACTED = '[REDACTED]';

const bearerPattern = /(bearer\s+)[^\s"',;]+/gi;

/** Replaces every secret (and any `Bearer xxx` credential) in `text` with [REDACTED]. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let redacted = text;
  for (const secret of secrets) {
    // Very short strings would blank out unrelated words; tokens are long.
    if (!secret || secret.length < 4) continue;
    redacted = redacted.split(secret).join(REDACTED);
  }
  return redacted.replace(bearerPattern, `$1${REDACTED}`);
}
