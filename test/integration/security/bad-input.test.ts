// Hostile input, tried for real at every route and page the app declares: malformed JSON, wrong
// types, huge arrays, NUL bytes and control characters, invalid UTF-8, 10 MB strings, negative and
// out-of-range numbers and dates, SQL and HTML payloads — in bodies, path parameters, query strings
// and credentials. Every answer must be a clean refusal (a 4xx in the one error shape naming the
// refused query parameter, never a 500, never a stack trace), and the database must hold exactly
// the rows it held before.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createSignedInUser,
  type ApiResult,
  enrollHost,
  expectCleanError,
  signInAdmin,
  type BrowserSession,
  type Credential,
} from '@/test/helpers/api-client';
import { declaredRoutes, fillRoute, routeParameters } from '@/test/helpers/routes';
import { startInspectableServer, type InspectableServer, type TableCounts } from '@/test/helpers/server-database';
import { listener, makeSnapshot } from '@/test/helpers/snapshots';

const TEN_MB = 10 * 1024 * 1024;
const SQL = ['\'; DROP TABLE "User"; --', "x' OR '1'='1", '1; SELECT pg_sleep(10)--', '" OR ""="'];
const HTML = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>'];

interface BodyCase {
  name: string;
  raw?: string | Uint8Array;
  json?: unknown;
  contentType?: string;
}

/** Bodies that no JSON route may accept. */
const hostileBodies: BodyCase[] = [
  { name: 'empty body', raw: '' },
  { name: 'truncated JSON', raw: '{"name": ' },
  { name: 'trailing garbage', raw: '{"name":"a"}x' },
  { name: 'single quotes', raw: "{'name':'a'}" },
  { name: 'bare word', raw: 'undefined' },
  { name: 'deep nesting', raw: `${'['.repeat(30_000)}${']'.repeat(30_000)}` },
  { name: 'invalid UTF-8', raw: Uint8Array.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]) },
  { name: 'UTF-16 bytes', raw: Buffer.from('{"name":"a"}', 'utf16le') },
  { name: 'NUL byte in the JSON text', raw: '{"name":"a"}\u0000' },
  { name: 'JSON null', json: null },
  { name: 'JSON number', json: 42 },
  { name: 'JSON string', json: 'admin' },
  { name: 'JSON true', json: true },
  { name: 'empty array', json: [] },
  { name: 'empty object', json: {} },
  { name: 'huge array', json: Array.from({ length: 200_000 }, () => 1) },
  {
    name: 'wrong types everywhere',
    json: { name: 123, role: ['admin'], password: { $ne: null }, labels: 'a', action: 7, note: false, port: '22', host: null, disabled: 'yes' },
  },
  { name: 'negative and fractional numbers', json: { name: 'a', port: -1, id: -5, limit: -1, role: 'viewer', action: 'acknowledge', localPort: -22 } },
  { name: 'out-of-range numbers', json: { name: 'a', port: 70_000, id: 1e300, role: 'viewer' } },
  {
    name: 'NUL bytes in strings',
    json: {
      name: 'a\u0000b',
      password: 'correct\u0000horse-battery',
      role: 'viewer',
      note: 'x\u0000',
      action: 'annotate',
      host: 'h\u0000',
      port: 22,
      labels: ['a\u0000'],
    },
  },
  { name: 'NUL byte in a key', json: { 'na\u0000me': 'a' } },
  { name: 'prototype pollution', raw: '{"__proto__":{"role":"admin","isAdmin":true},"constructor":{"prototype":{"role":"admin"}}}' },
  { name: 'unknown fields', json: { name: 'a', role: 'admin', password: 'long-enough-password', isAdmin: true, userId: 1 } },
  { name: 'SQL in every field', json: { name: SQL[0], role: SQL[1], password: SQL[2], host: SQL[1], action: SQL[0], labels: SQL, port: SQL[2] } },
  { name: 'HTML in every field', json: { name: HTML[0], role: HTML[1], host: HTML[1], action: HTML[2], labels: HTML, port: HTML[0] } },
  { name: '10 MB string', json: { name: 'x'.repeat(TEN_MB), role: 'viewer', note: 'x', action: 'annotate', port: 1 } },
  { name: 'form encoding', raw: 'name=a&role=admin', contentType: 'application/x-www-form-urlencoded' },
  { name: 'JSON sent as text/plain', raw: '{"name":"a","role":"viewer"}', contentType: 'text/plain' },
  { name: 'multipart', raw: '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\na\r\n--x--', contentType: 'multipart/form-data; boundary=x' },
];

/** Snapshot-shaped bodies that the ingest API must refuse, each for one reason. */
function hostileSnapshots(host: string): BodyCase[] {
  const base = () => makeSnapshot(host);
  const withSocket = (override: Record<string, unknown>) => ({ ...base(), sockets: [{ ...listener(22, 'sshd'), ...override }] });
  return [
    { name: 'negative port', json: withSocket({ localPort: -1 }) },
    { name: 'port over 65535', json: withSocket({ localPort: 65_536 }) },
    { name: 'fractional port', json: withSocket({ localPort: 22.5 }) },
    { name: 'port as a string', json: withSocket({ localPort: '22' }) },
    { name: 'negative pid', json: withSocket({ pid: -1 }) },
    { name: 'uid over 32 bits', json: withSocket({ uid: 2 ** 32 }) },
    { name: 'unknown protocol', json: withSocket({ proto: 'sctp' }) },
    { name: 'NUL in a process name', json: withSocket({ process: 'ssh\u0000d' }) },
    { name: 'SQL as a port', json: withSocket({ localPort: SQL[0] }) },
    { name: '10 MB process name', json: withSocket({ process: 'x'.repeat(TEN_MB) }) },
    { name: 'unknown socket field', json: withSocket({ sql: SQL[0] }) },
    {
      name: 'too many interfaces',
      json: {
        ...base(),
        interfaces: Array.from({ length: 5000 }, (_, index) => ({ name: `e${index}`, flags: [], promiscuous: false, mtu: null, mac: null, addresses: [] })),
      },
    },
    { name: 'sockets not an array', json: { ...base(), sockets: { 0: listener(22) } } },
    { name: 'null section rows', json: { ...base(), sockets: [null] } },
    { name: 'version 2', json: { ...base(), version: 2 } },
    { name: 'no version', json: { ...base(), version: undefined } },
    { name: 'host name with a slash', json: { ...base(), host: { name: '../etc/passwd' } } },
    { name: 'SQL host name', json: { ...base(), host: { name: SQL[1] } } },
    { name: 'HTML host name', json: { ...base(), host: { name: HTML[0] } } },
    { name: 'collectedAt not a date', json: { ...base(), collectedAt: 'yesterday' } },
    { name: 'collectedAt out of range', json: { ...base(), collectedAt: '+275760-09-13T00:00:00.001Z' } },
    { name: 'idempotency key with spaces', json: { ...base(), idempotencyKey: 'a b c d e f g h' } },
    { name: 'idempotency key of SQL', json: { ...base(), idempotencyKey: SQL[0] } },
    { name: 'idempotency key too long', json: { ...base(), idempotencyKey: 'k'.repeat(129) } },
    { name: 'run metadata of the wrong type', json: { ...base(), run: { exitStatus: 'zero' } } },
    { name: 'traceroute hop 0', json: { ...base(), traceroutes: [{ target: 't', targetAddress: null, hops: [{ hop: 0, probes: [] }] }] } },
    {
      name: 'negative round-trip time',
      json: {
        ...base(),
        traceroutes: [{ target: 't', targetAddress: null, hops: [{ hop: 1, probes: [{ address: null, name: null, rttMs: -1, annotation: null }] }] }],
      },
    },
    // Each of these gave a 500 before (issue 11): a stack overflow, a year the database cannot hold, a string that is not text.
    { name: 'arrays nested 10,000 deep', raw: JSON.stringify(base()).replace(/}$/, `,"traceroutes":${'['.repeat(10_000)}${']'.repeat(10_000)}}`) },
    { name: 'year 0000 collectedAt', json: { ...base(), collectedAt: '0000-01-01T00:00:00Z' } },
    {
      name: 'year 0000 startedAt',
      json: { ...base(), processes: [{ pid: 1, ppid: 0, user: 'root', uid: 0, command: 'init', args: null, startedAt: '0000-06-01T00:00:00Z' }] },
    },
    { name: 'lone surrogate in a process name', raw: JSON.stringify(withSocket({ process: 'X' })).replace('"process":"X"', '"process":"evil\\ud800"') },
    {
      name: '256 traceroutes of 255 hops',
      json: {
        ...base(),
        traceroutes: Array.from({ length: 256 }, (_, run) => ({
          target: `t${run}`,
          targetAddress: null,
          hops: Array.from({ length: 255 }, (_, hop) => ({ hop: hop + 1, probes: [] })),
        })),
      },
    },
    { name: 'a delta without its base', json: { ...base(), sockets: { added: [], removed: [], digest: '00000000-0000-0000-0000-000000000000' } } },
  ];
}

/** Values for path parameters ([name], [id]) that name nothing or are not well-formed. */
const hostileSegments = [
  '-1',
  '0',
  '1.5',
  '99999999999999999999999999',
  'NaN',
  '%00',
  'a%00b',
  '%ff%fe',
  '..%2f..%2fetc%2fpasswd',
  encodeURIComponent(SQL[0]!),
  encodeURIComponent(SQL[1]!),
  encodeURIComponent(HTML[0]!),
  encodeURIComponent('\u202egnp.exe'),
  'x'.repeat(4000),
];

/** Query parameters each GET route reads, each tried with every hostile value. */
const queryParameters: Record<string, string[]> = {
  '/api/v1/alerts': ['state', 'minLevel', 'kind', 'host', 'before', 'limit'],
  '/api/v1/audit': ['target', 'before', 'limit'],
  '/api/v1/hosts': ['q', 'page', 'pageSize', 'promiscuous', 'alerts', 'status', 'label'],
  '/api/v1/hosts/[name]/diff': ['from', 'to'],
  '/api/v1/hosts/[name]/latency': ['target', 'since', 'limit'],
  '/api/v1/hosts/[name]/snapshots': ['before', 'limit', 'changedOnly'],
  '/api/v1/hosts/[name]/sockets.csv': ['snapshot'],
  '/api/v1/search/exposed': ['sinceMinutes', 'page', 'pageSize'],
  '/api/v1/search/listeners': ['port', 'namespace', 'page', 'pageSize'],
  '/api/v1/search/packages': ['name', 'match', 'version', 'appearedWithinMinutes', 'page', 'pageSize'],
  '/api/v1/search/processes': ['command', 'match', 'page', 'pageSize'],
};
const hostileQueryValues = [
  '-1',
  '1e400',
  '99999999999999999999',
  '9223372036854775808',
  '-9223372036854775809',
  '2147483648',
  '1e21',
  'NaN',
  '1.5',
  '',
  '%00',
  'a%00',
  '%01',
  'a%1b%5B31m',
  '%7f',
  '%0d%0a',
  '%ff',
  // Durations and dates past what a date or the database can hold.
  '999999d',
  '999999m',
  '0000-01-01T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '%2B275760-09-13T00:00:00Z',
  '9999-12-31T23:59:59Z',
  encodeURIComponent(SQL[0]!),
  encodeURIComponent(HTML[0]!),
  'x'.repeat(4000),
];

/** Why an answer is not a clean refusal (see expectCleanError), or null when it is one. */
function cleanErrorProblem(result: ApiResult): string | null {
  try {
    expectCleanError(result);
    return null;
  } catch (error) {
    return (error as Error).message.split('\n')[0]!.slice(0, 200);
  }
}

const namesField = (result: ApiResult, field: string) => ((result.body?.error?.fields ?? []) as { path: string }[]).some((issue) => issue.path === field);

let server: InspectableServer;
let admin: BrowserSession;
let hostToken: string;
let snapshotId: string;
let alertId: number;
let countsBefore: TableCounts;
const tried = { bodies: 0, segments: 0, queries: 0, pages: 0, credentials: 0, socketPayloads: 0 };

beforeAll(async () => {
  // Ingest's per-host rate limit would answer 429 before the parser sees most of these.
  server = await startInspectableServer({ env: { SOCKSCOPE_INGEST_RATE: '0' } });
  admin = await signInAdmin(server.current);
  await createSignedInUser(server.current, admin, 'fuzz-target', 'analyst');
  hostToken = await enrollHost(server.current, admin, 'fuzz-a');
  const first = await call(server.current, { kind: 'bearer', token: hostToken }, 'POST', '/api/v1/snapshots', { json: makeSnapshot('fuzz-a') });
  const second = await call(server.current, { kind: 'bearer', token: hostToken }, 'POST', '/api/v1/snapshots', {
    json: makeSnapshot('fuzz-a', { sockets: [listener(22, 'sshd'), listener(8081, 'java')] }),
  });
  expect([first.status, second.status]).toEqual([202, 202]);
  snapshotId = second.body.id as string;
  alertId = (await call(server.current, admin, 'GET', '/api/v1/alerts?host=fuzz-a')).body.alerts[0].id as number;
  countsBefore = await server.countRows();
}, 300_000);

afterAll(async () => {
  console.log(`[bad-input] hostile inputs tried: ${JSON.stringify(tried)} = ${Object.values(tried).reduce((sum, count) => sum + count, 0)}`);
  await server?.dispose();
});

const validParameters = () => ({ name: 'fuzz-a', id: String(alertId) });
const credentialFor = (route: string): Credential => (route === '/api/v1/snapshots' ? { kind: 'bearer', token: hostToken } : admin);

describe('hostile bodies', () => {
  const bodyRoutes = declaredRoutes().filter((route) => route.readsBody);

  it('are tried at every route that reads a body', () => {
    expect(bodyRoutes.map((route) => `${route.method} ${route.route}`)).toEqual(
      expect.arrayContaining([
        'POST /api/v1/promiscuous-rules',
        'POST /api/v1/snapshots',
        'POST /api/v1/users',
        'PATCH /api/v1/users/[name]',
        'POST /api/v1/session',
        'POST /api/v1/hosts',
        'POST /api/v1/baselines',
        'POST /api/v1/alerts/[id]',
      ]),
    );
  });

  it.each(bodyRoutes.map((route) => [`${route.method} ${route.route}`, route] as const))('%s refuses each cleanly', async (_name, route) => {
    const parameters = route.route.includes('/users/') ? { name: 'fuzz-target' } : validParameters();
    const cases = route.route === '/api/v1/snapshots' ? [...hostileBodies, ...hostileSnapshots('fuzz-a')] : hostileBodies;
    for (const body of cases) {
      const result = await call(server.current, credentialFor(route.route), route.method, fillRoute(route.route, parameters), {
        ...(body.json !== undefined ? { json: body.json } : { raw: body.raw ?? '' }),
        ...(body.contentType ? { contentType: body.contentType } : {}),
      });
      tried.bodies += 1;
      expectCleanError(result, undefined, `${route.method} ${route.route} with ${body.name}`);
    }
  });
});

describe('hostile path parameters', () => {
  const parameterRoutes = declaredRoutes().filter((route) => routeParameters(route.route).length > 0);

  it.each(parameterRoutes.map((route) => [`${route.method} ${route.route}`, route] as const))('%s refuses each cleanly', async (_name, route) => {
    for (const parameter of routeParameters(route.route)) {
      for (const segment of hostileSegments) {
        const path = fillRoute(route.route, { ...validParameters(), [parameter]: segment });
        // Valid bodies where the route reads one, so only the path is wrong.
        const json =
          route.route === '/api/v1/alerts/[id]' ? { action: 'annotate', note: 'n' } : route.route === '/api/v1/users/[name]' ? { role: 'viewer' } : undefined;
        const result = await call(server.current, admin, route.method, path, json === undefined ? {} : { json });
        tried.segments += 1;
        expectCleanError(result, undefined, `${route.method} ${path.slice(0, 120)}`);
      }
    }
  });
});

describe('hostile query strings', () => {
  const getRoutes = declaredRoutes().filter((route) => route.method === 'GET' && queryParameters[route.route]);

  it('are tried at every GET route that reads a query', () => {
    const readers = declaredRoutes()
      .filter((route) => route.readsQuery)
      .map((route) => route.route);
    expect(readers.sort()).toEqual(Object.keys(queryParameters).sort());
  });

  it.each(getRoutes.map((route) => [route.route, route] as const))('GET %s answers 200 or a clean 4xx', async (_name, route) => {
    const valid: Record<string, string> = {
      from: snapshotId,
      to: snapshotId,
      port: '22',
      command: 'sshd',
      ...(route.route.endsWith('/packages') ? { name: 'openssl' } : {}),
    };
    const problems: string[] = [];
    for (const parameter of queryParameters[route.route] ?? []) {
      for (const value of hostileQueryValues) {
        const query = new URLSearchParams(valid);
        query.delete(parameter);
        const path = `${fillRoute(route.route, validParameters())}?${query.toString()}${query.size > 0 ? '&' : ''}${parameter}=${value}`;
        const result = await call(server.current, admin, 'GET', path);
        tried.queries += 1;
        // A value a route does not read, or reads as free text, is fine to answer; a 500 never is,
        // and a refusal of the value names the parameter it refuses.
        const problem =
          result.status >= 400
            ? (cleanErrorProblem(result) ?? (result.status === 400 && !namesField(result, parameter) ? `does not name ${parameter}` : null))
            : result.status === 200
              ? null
              : 'neither 200 nor 4xx';
        if (problem) problems.push(`${parameter}=${value.slice(0, 40)} → ${result.status}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

/** Every dashboard page, with the query parameters it reads. */
const pageQueryParameters: Record<string, string[]> = {
  '/': ['q', 'page', 'status', 'label', 'promiscuous', 'alerts'],
  '/account': [],
  '/alerts': ['state', 'minLevel', 'kind', 'host', 'before'],
  '/hosts/[name]': ['tab', 'iface'],
  '/hosts/[name]/diff': ['from', 'to'],
  '/search': ['port', 'process', 'match', 'since'],
};
/** Path parameters of pages: control characters, NUL, and names no host can have. */
const hostilePageSegments = [
  '%00',
  'a%00b',
  '%01',
  'a%07b',
  '%0a',
  '%0d%0aSet-Cookie:%20x=1',
  '%1b%5B2J',
  '%7f',
  '%c2%85',
  '%e2%80%ae',
  '..%2f..',
  'x'.repeat(4000),
  encodeURIComponent(SQL[0]!),
  encodeURIComponent(HTML[0]!),
];

/** Signs of a crashed page (a stack, a source path, a database message) that must never show. */
const pageInternals = /invalid byte sequence|Prisma|\n\s+at |node_modules|\/work\/|SQLSTATE|Internal Server Error/;

describe('hostile page parameters', () => {
  const pages = Object.keys(pageQueryParameters);

  it('are tried at every dashboard page', () => {
    const found: string[] = [];
    const walk = (directory: string, segments: string[]) => {
      for (const entry of readdirSync(directory, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(path.join(directory, entry.name), [...segments, entry.name]);
        else if (entry.name === 'page.tsx') found.push(`/${segments.join('/')}`);
      }
    };
    walk('app/(dashboard)', []);
    expect(found.sort()).toEqual([...pages].sort());
  });

  it.each(pages.filter((page) => page.includes('[name]')).map((page) => [page] as const))('%s: a hostile name is a clean 4xx, never a 500', async (page) => {
    const problems: string[] = [];
    for (const segment of hostilePageSegments) {
      const pagePath = fillRoute(page, { name: segment });
      const result = await call(server.current, admin, 'GET', pagePath);
      tried.pages += 1;
      if (result.status < 400 || result.status >= 500 || pageInternals.test(result.text)) problems.push(`GET ${pagePath.slice(0, 80)} → ${result.status}`);
    }
    expect(problems).toEqual([]);
  });

  it.each(pages.map((page) => [page] as const))('%s: a hostile query value is shown or refused, never a 500', async (page) => {
    const problems: string[] = [];
    for (const parameter of pageQueryParameters[page] ?? []) {
      for (const value of [...hostileQueryValues, ...hostilePageSegments]) {
        const pagePath = `${fillRoute(page, { name: 'fuzz-a' })}?${parameter}=${value}`;
        const result = await call(server.current, admin, 'GET', pagePath);
        tried.pages += 1;
        if (result.status >= 500 || pageInternals.test(result.text)) problems.push(`GET ${pagePath.slice(0, 80)} → ${result.status}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

/** Router headers Next.js's client never sends: Next.js itself answered them with a bare 500. */
const hostileRouterStateTrees = [
  'x',
  '%ff',
  encodeURIComponent('['),
  encodeURIComponent('{"children":1}'),
  encodeURIComponent('[1,2]'),
  encodeURIComponent('["",{"children":["__PAGE__",{}],"x":7}]'),
  encodeURIComponent(`${'["",{"children":'.repeat(3000)}["",{}]${'}]'.repeat(3000)}`),
  encodeURIComponent(JSON.stringify(['', {}, 'x'.repeat(41_000)])),
];

describe('hostile router headers', () => {
  it.each(Object.keys(pageQueryParameters).map((page) => [page] as const))(
    '%s: a malformed Next-Router-State-Tree is a clean 4xx, never a 500',
    async (page) => {
      const problems: string[] = [];
      for (const tree of hostileRouterStateTrees) {
        for (const credential of [admin, { kind: 'anonymous' } as const]) {
          // Next.js first redirects an RSC request to its cache-busting ?_rsc= URL; the client follows it with the same headers.
          let pagePath = fillRoute(page, { name: 'fuzz-a' });
          let result = await call(server.current, credential, 'GET', pagePath, { headers: { rsc: '1', 'next-router-state-tree': tree } });
          for (let hop = 0; hop < 2 && result.status === 307 && result.headers.get('location')?.includes('_rsc='); hop += 1) {
            pagePath =
              new URL(result.headers.get('location') as string, server.current.url).pathname +
              new URL(result.headers.get('location') as string, server.current.url).search;
            result = await call(server.current, credential, 'GET', pagePath, { headers: { rsc: '1', 'next-router-state-tree': tree } });
          }
          tried.pages += 1;
          if (result.status < 400 || result.status >= 500 || pageInternals.test(result.text))
            problems.push(`${tree.slice(0, 40)} as ${credential.kind} → ${result.status}`);
        }
      }
      expect(problems).toEqual([]);
    },
  );
});

describe('hostile credentials', () => {
  const garbage: Record<string, string>[] = [
    { authorization: 'Bearer' },
    { authorization: 'Bearer ' },
    { authorization: `Bearer ${'x'.repeat(8000)}` },
    { authorization: 'Bearer ssa_\u00ff\u00fe' },
    { authorization: `Bearer ssa_${SQL[1]}` },
    { authorization: 'Basic YWRtaW46YWRtaW4=' },
    { authorization: `Bearer ${hostTokenPlaceholder()}` },
    { cookie: 'sockscope_session=' },
    { cookie: `sockscope_session=${'x'.repeat(6000)}` },
    { cookie: 'sockscope_session=%ff%fe%00' },
    { cookie: `sockscope_session=${encodeURIComponent(SQL[1]!)}` },
    { cookie: 'sockscope_session=a; sockscope_session=b' },
  ];
  function hostTokenPlaceholder() {
    return 'ssh_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
  }

  it('are refused with 401 by the analyst API and the ingest API alike', async () => {
    for (const headers of garbage) {
      for (const [method, path] of [
        ['GET', '/api/v1/hosts'],
        ['POST', '/api/v1/alerts/1'],
        ['GET', '/api/v1/users'],
        ['POST', '/api/v1/snapshots'],
      ] as const) {
        const result = await call(server.current, { kind: 'anonymous' }, method, path, {
          headers,
          ...(method === 'POST' ? { json: path.endsWith('snapshots') ? makeSnapshot('fuzz-a') : { action: 'acknowledge' } } : {}),
        });
        tried.credentials += 1;
        expectCleanError(result, 401, `${method} ${path} with ${JSON.stringify(headers).slice(0, 80)}`);
      }
    }
  });
});

describe('hostile socket.io payloads', () => {
  it('ignores garbage subscriptions, keeps the connection serving, and cuts only a sender of oversized frames', async () => {
    const connect = () => io(server.current.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: admin.cookie } });
    const socket = connect();
    const bystander = connect();
    const received: string[] = [];
    socket.on('snapshot', (event: { host: string }) => received.push(event.host));
    await Promise.all(
      [socket, bystander].map(
        (client) =>
          new Promise<void>((resolve, reject) => {
            client.once('connect', () => resolve());
            client.once('connect_error', reject);
          }),
      ),
    );

    const payloads: unknown[] = [
      undefined,
      null,
      42,
      -1,
      'fuzz-a',
      '',
      [],
      [{ host: 'fuzz-a' }],
      {},
      { host: 42 },
      { host: null },
      { host: ['fuzz-a'] },
      { host: '../fuzz-a' },
      { host: 'fuzz-a', extra: true },
      { host: 'a'.repeat(300) },
      { host: HTML[0] },
      { host: SQL[0] },
      { host: 'fuzz\u0000a' },
      { host: { toString: 'fuzz-a' } },
      JSON.parse('{"__proto__":{"host":"fuzz-a"}}'),
      Buffer.from('fuzz-a'),
      { host: 'fuzz-a'.repeat(2000) },
      Array.from({ length: 500 }, () => ({ host: 'x' })),
    ];
    for (const payload of payloads) {
      socket.emit('subscribe', payload);
      socket.emit('unsubscribe', payload);
      tried.socketPayloads += 2;
    }
    socket.emit('no-such-event', { host: 'fuzz-a' });
    socket.emit('subscribe', { host: 'fuzz-a' }, { host: 'fuzz-b' }, () => undefined);
    tried.socketPayloads += 2;

    // Still connected, still receiving.
    // The same content as the last snapshot: one new snapshot row, no new section rows or alerts.
    const posted = await call(server.current, { kind: 'bearer', token: hostToken }, 'POST', '/api/v1/snapshots', {
      json: makeSnapshot('fuzz-a', { sockets: [listener(22, 'sshd'), listener(8081, 'java')] }),
    });
    expect(posted.status).toBe(202);
    await expect.poll(() => received.includes('fuzz-a'), { timeout: 10_000 }).toBe(true);
    expect(socket.connected).toBe(true);

    // A frame over the 16 KiB limit closes that connection only.
    const closed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    socket.emit('subscribe', { host: 'x'.repeat(64 * 1024) });
    tried.socketPayloads += 1;
    expect(await closed).toBe('transport close');
    expect(bystander.connected).toBe(true);
    bystander.close();

    // The snapshot posted above is the one row this block may add; put it in the expected counts.
    countsBefore = { ...countsBefore, Snapshot: (countsBefore.Snapshot ?? 0) + 1 };
  });
});

describe('after all of it', () => {
  it('the database holds the same rows as before, bar the one snapshot posted on purpose', async () => {
    const after = await server.countRows();
    // Sign-ins with valid names but wrong passwords store nothing; the sessions table must not grow either.
    expect(after).toEqual(countsBefore);
  });
});
