import { describe, expect, it } from 'vitest';
import { finishSnapshot } from '@/collector/build-snapshot';
import { createLogger } from '@/collector/log';
import { REDACTED, redactSecrets } from '@/collector/redact';

const token = 'sst_9f8e7d6c5b4a';

describe('token redaction', () => {
  it('replaces every occurrence of the token', () => {
    expect(redactSecrets(`a ${token} b ${token}`, [token])).toBe(`a ${REDACTED} b ${REDACTED}`);
  });

  it('redacts any Bearer credential, known or not', () => {
    expect(redactSecrets('Authorization: Bearer other-token-123', [])).toBe(`Authorization: Bearer ${REDACTED}`);
  });

  it('ignores empty and very short secrets instead of blanking the text', () => {
    expect(redactSecrets('a b c', ['', 'a', undefined])).toBe('a b c');
  });

  it('keeps the token out of every log line, on one line each', () => {
    const lines: string[] = [];
    const log = createLogger({ secrets: [token], write: (line) => lines.push(line), now: () => new Date(0) });
    log.error(`server refused: {"error":"bad token ${token}"}\nsecond line`);
    log.info(`run --token ${token}`);
    expect(lines.join('')).not.toContain(token);
    expect(lines).toEqual([
      `1970-01-01T00:00:00.000Z error server refused: {"error":"bad token ${REDACTED}"} second line\n`,
      `1970-01-01T00:00:00.000Z info run --token ${REDACTED}\n`,
    ]);
  });

  it('keeps the token out of a recorded command line sent to the server', () => {
    const snapshot = finishSnapshot(
      { host: { name: 'web-01' }, run: { commandLine: `collector run --token ${token}` } },
      { collectedAt: new Date('2026-11-21T10:00:00Z'), secrets: [token] },
    );
    expect(JSON.stringify(snapshot)).not.toContain(token);
  });
});
