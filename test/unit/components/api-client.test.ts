// The browser's API client: query strings without empty filters, the CSRF token on writes, and
// one error for whatever went wrong.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, listAlerts, listHosts, signIn, socketsCsvUrl, triageAlert } from '@/components/api/client';

const session = { name: 'ana', role: 'analyst' as const, csrfToken: 'csrf-123' };

function answer(status: number, body: unknown) {
  const fetchMock = vi.fn(
    async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  );
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}
const requestOf = (fetchMock: ReturnType<typeof answer>) => fetchMock.mock.calls[0] as unknown as [string, RequestInit];

afterEach(() => vi.unstubAllGlobals());

describe('the API client', () => {
  it('asks with the filters given and leaves empty ones out', async () => {
    const fetchMock = answer(200, { hosts: [], total: 0, page: 1, pageSize: 50 });
    await listHosts({ q: 'web 01', status: undefined, label: '', promiscuous: '1', page: 2, pageSize: 50 });
    expect(requestOf(fetchMock)[0]).toBe('/api/v1/hosts?q=web+01&promiscuous=1&page=2&pageSize=50');
  });

  it('unwraps list answers and encodes host names in paths', async () => {
    answer(200, { alerts: [{ id: 1 }] });
    expect(await listAlerts({ state: 'open' })).toEqual([{ id: 1 }]);
    expect(socketsCsvUrl('we b/01', '42')).toBe('/api/v1/hosts/we%20b%2F01/sockets.csv?snapshot=42');
  });

  it('sends the session’s CSRF token and a JSON body with a write', async () => {
    const fetchMock = answer(200, { alert: { id: 7, state: 'acknowledged' } });
    expect(await triageAlert(session, 7, { action: 'annotate', note: 'ticket OPS-12' })).toEqual({ id: 7, state: 'acknowledged' });
    const [url, init] = requestOf(fetchMock);
    expect(url).toBe('/api/v1/alerts/7');
    expect(init.method).toBe('POST');
    expect(new Headers(init.headers).get('x-csrf-token')).toBe('csrf-123');
    expect(JSON.parse(init.body as string)).toEqual({ action: 'annotate', note: 'ticket OPS-12' });
  });

  it('signs in without a CSRF token (there is no session yet)', async () => {
    const fetchMock = answer(200, { name: 'ana', csrfToken: 'new' });
    await signIn({ name: 'ana', password: 'secret' });
    expect(new Headers(requestOf(fetchMock)[1].headers).has('x-csrf-token')).toBe(false);
  });

  it("throws the server's error with its code, status, message and fields", async () => {
    answer(400, { error: { code: 'bad_request', message: 'Invalid newPassword: too short', fields: [{ path: 'newPassword', message: 'too short' }] } });
    const error = await listAlerts({}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: 'bad_request',
      status: 400,
      message: 'Invalid newPassword: too short',
      fields: [{ path: 'newPassword', message: 'too short' }],
    });
  });

  it('says what happened when the answer is no JSON, or when no answer came', async () => {
    answer(502, '<html>Bad gateway</html>');
    await expect(listAlerts({})).rejects.toMatchObject({ code: 'internal', status: 502, message: 'The server answered 502.' });
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    );
    await expect(listAlerts({})).rejects.toMatchObject({ code: 'network', status: 0, message: 'The server could not be reached.' });
  });
});
