import { describe, expect, it } from 'vitest';
import { clientAddress, PEER_ADDRESS_HEADER } from '@/lib/http/client-address';

const request = (headers: Record<string, string>) => new Request('http://localhost/api/v1/session', { headers });

describe('client address for per-address limits', () => {
  it('uses the TCP peer and ignores a client-supplied X-Forwarded-For unless a proxy is trusted', () => {
    const spoofed = request({ [PEER_ADDRESS_HEADER]: '203.0.113.9', 'x-forwarded-for': '198.51.100.1' });
    expect(clientAddress(spoofed, false)).toBe('203.0.113.9');
    expect(clientAddress(spoofed, true)).toBe('198.51.100.1');
  });

  it('takes the first X-Forwarded-For hop behind a trusted proxy, and the peer when it is absent', () => {
    expect(clientAddress(request({ [PEER_ADDRESS_HEADER]: '10.0.0.1', 'x-forwarded-for': '198.51.100.7, 10.0.0.1' }), true)).toBe('198.51.100.7');
    expect(clientAddress(request({ [PEER_ADDRESS_HEADER]: '10.0.0.1' }), true)).toBe('10.0.0.1');
  });
});
