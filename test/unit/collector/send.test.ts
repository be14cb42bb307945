import { describe, expect, it } from 'vitest';
import { classifyStatus, parseRetryAfter, snapshotsUrl } from '@/collector/send';

describe('what a server answer means for the spool', () => {
  it('treats 2xx as delivered (202 new, 200 replayed key)', () => {
    expect(classifyStatus(202)).toBe('delivered');
    expect(classifyStatus(200)).toBe('delivered');
  });

  it('never retries client errors other than 408 and 429', () => {
    for (const status of [400, 401, 403, 404, 413, 422]) expect(classifyStatus(status)).toBe('rejected');
    expect(classifyStatus(408)).toBe('retry');
    expect(classifyStatus(429)).toBe('retry');
  });

  it('retries server errors and redirects (a URL fix later must still find the snapshots)', () => {
    for (const status of [500, 502, 503, 504, 301, 308]) expect(classifyStatus(status)).toBe('retry');
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('30')).toBe(30_000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 10:00:10 GMT', Date.parse('2026-11-21T10:00:00Z'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });

  it('builds the endpoint whatever the trailing slashes', () => {
    expect(snapshotsUrl('https://s.example/')).toBe('https://s.example/api/v1/snapshots');
    expect(snapshotsUrl('http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000/api/v1/snapshots');
  });
});
