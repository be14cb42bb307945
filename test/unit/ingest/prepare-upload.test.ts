// Preparing a posted body: invalid or hostile input is refused with the failing field (never a
// crash, never stored), every row is hashed, and a delta is read as changes against its base.
import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { parseUploadJson, prepareUpload } from '@/lib/ingest/prepare-upload';
import { digestOfHashes, hashRows, rowHash } from '@/lib/schemas/row-hash';
import { MAX_HOPS, MAX_SOCKETS } from '@/lib/schemas/snapshot';
import { listener, makeSnapshot } from '@/test/helpers/snapshots';

function refusal(work: () => unknown): { code: string; paths: string[] } {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return { code: (error as AppError).code, paths: (error as AppError).fields.map((field) => field.path) };
  }
  throw new Error('expected the input to be refused');
}

const prepare = (body: unknown) => prepareUpload(parseUploadJson(typeof body === 'string' ? body : JSON.stringify(body)));

describe('prepareUpload', () => {
  it('refuses invalid JSON and invalid rows with the failing field path', () => {
    expect(refusal(() => prepare('{"version":1,'))).toEqual({ code: 'bad_request', paths: ['(body)'] });
    const badPort = makeSnapshot('web-01', { sockets: [listener(22), { ...listener(23), localPort: 70_000 }] });
    expect(refusal(() => prepare(badPort)).paths).toContain('sockets.1.localPort');
  });

  it('refuses arrays nested 10,000 deep with a 400, without a stack overflow', () => {
    const deep = `{"version":1,"host":{"name":"h"},"collectedAt":"2026-01-01T00:00:00Z","idempotencyKey":"h-1-deep","sockets":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const refused = refusal(() => prepare(deep));
    expect(refused.code).toBe('bad_request');
    expect(refused.paths.some((path) => path.startsWith('sockets'))).toBe(true);
  });

  it('refuses year 0000 (and any instant before 1970) in collectedAt and startedAt', () => {
    expect(refusal(() => prepare(makeSnapshot('h', { collectedAt: '0000-01-01T00:00:00Z' }))).paths).toEqual(['collectedAt']);
    const process = { pid: 1, ppid: 0, user: 'root', uid: 0, command: 'init', args: null, startedAt: '0000-06-01T00:00:00.000Z' };
    expect(refusal(() => prepare(makeSnapshot('h', { processes: [process] }))).paths).toEqual(['processes.0.startedAt']);
  });

  it('refuses a lone UTF-16 surrogate in a process name', () => {
    const body = JSON.stringify(makeSnapshot('h', { sockets: [listener(22, 'x')] })).replace('"process":"x"', '"process":"evil\\ud800"');
    expect(refusal(() => prepare(body)).paths).toEqual(['sockets.0.process']);
  });

  it('refuses sections over their caps with 413, naming the section', () => {
    const sockets = Array.from({ length: MAX_SOCKETS + 1 }, (_, index) => listener(index % 65_536));
    expect(refusal(() => prepare(makeSnapshot('h', { sockets })))).toEqual({ code: 'payload_too_large', paths: ['sockets'] });
    const hops = Array.from({ length: MAX_HOPS + 1 }, (_, index) => ({ hop: index + 1, probes: [] }));
    expect(refusal(() => prepare(makeSnapshot('h', { traceroutes: [{ target: 't', targetAddress: null, hops }] }))).paths).toEqual(['traceroutes.0.hops']);
  });

  it('hashes every row; the digest ignores row order and key order', () => {
    const sockets = [listener(22), listener(80)];
    const whole = prepare(makeSnapshot('h', { sockets })).sections.sockets;
    expect(whole?.kind).toBe('whole');
    const reordered = [{ ...listener(80) }, Object.fromEntries(Object.entries(listener(22)).reverse())] as typeof sockets;
    expect(hashRows('sockets', reordered).digest).toBe(whole?.digest);
  });

  it('reads a delta as changes against its base, and refuses changes without a base', () => {
    const added = listener(8080);
    const delta = {
      ...makeSnapshot('h', { sockets: undefined }),
      base: '42',
      sockets: { added: [added], removed: [rowHash('sockets', listener(22))], digest: digestOfHashes([rowHash('sockets', added)]) },
    };
    const prepared = prepare(delta);
    expect(prepared.base).toBe('42');
    expect(prepared.sections.sockets).toMatchObject({ kind: 'changes', added: [added], addedHashes: [rowHash('sockets', added)] });
    const { base: _base, ...withoutBase } = delta;
    expect(refusal(() => prepare(withoutBase)).paths).toEqual(['base']);
  });
});
