// Secrets never reach the server's log through a field: the logger's redact rule, not each caller, sees to it.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@/lib/logger';

function logged(write: (log: ReturnType<typeof createLogger>) => void): Record<string, unknown> {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  write(createLogger({ level: 'info', isProduction: true }, sink));
  return JSON.parse(text.trim()) as Record<string, unknown>;
}

describe('the server logger', () => {
  it('writes one JSON line with a level and the message, prefixed so our lines are found with one grep', () => {
    const entry = logged((log) => log.warn('dashboard on http://localhost:3000'));
    expect(entry).toMatchObject({ level: 40, msg: '[sockscope] dashboard on http://localhost:3000' });
  });

  it('censors passwords, tokens, cookies and authorization headers wherever a field holds them', () => {
    const entry = logged((log) =>
      log.info(
        {
          password: 'hunter2-hunter2',
          user: { name: 'ana', token: 'ssa_secret' },
          headers: { authorization: 'Bearer ssa_secret', cookie: 'sockscope_session=sss_secret', 'x-csrf-token': 'csrf', accept: 'text/html' },
          request: { headers: { authorization: 'Bearer other' } },
        },
        'a request',
      ),
    );
    const text = JSON.stringify(entry);
    for (const secret of ['hunter2', 'ssa_secret', 'sss_secret', 'csrf"', 'Bearer other']) expect(text).not.toContain(secret);
    expect(entry).toMatchObject({ user: { name: 'ana', token: '[redacted]' }, headers: { accept: 'text/html', authorization: '[redacted]' } });
  });

  it('keeps an error whole: its message and stack', () => {
    const entry = logged((log) => log.error({ err: new Error('injected failure') }, 'ingest failed'));
    expect(entry.err).toMatchObject({ message: 'injected failure', stack: expect.stringContaining('Error: injected failure') });
  });
});
