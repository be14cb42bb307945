// Who may do what, route by route, against the real server: nobody, a viewer, an analyst, an
// admin (also with a forged request that lacks the CSRF token), API tokens of a viewer and of an
// admin, a host token of another host and the host's own token — on every API route and method
// (read from app/**/route.ts, so a new route cannot slip past this table), the pages, and the
// socket.io connection.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  anonymous,
  call,
  createSignedInUser,
  enrollHost,
  expectCleanError,
  issueApiToken,
  signIn,
  signInAdmin,
  type BrowserSession,
  type Credential,
} from '@/test/helpers/api-client';
import { startAppServer, TEST_ADMIN_PASSWORD, type AppServer } from '@/test/helpers/app-server';
import { declaredRoutes } from '@/test/helpers/routes';
import { listener, makeSnapshot } from '@/test/helpers/snapshots';

type Column = 'anonymous' | 'viewer' | 'analyst' | 'admin' | 'admin, no CSRF token' | 'viewer API token' | 'admin API token' | 'wrong host token' | 'right host token';
const columns: Column[] = ['anonymous', 'viewer', 'analyst', 'admin', 'admin, no CSRF token', 'viewer API token', 'admin API token', 'wrong host token', 'right host token'];
type Access = 'public' | 'viewer' | 'analyst' | 'admin' | 'host';

interface Row {
  method: string;
  /** As the file system names it: app/api/v1/hosts/[name]/route.ts → /api/v1/hosts/[name]. */
  route: string;
  access: Access;
  allowed: number;
  /** Builds the request for one cell (fresh resources where a call consumes them). */
  request: (cell: Cell) => Promise<{ path: string; json?: unknown }> | { path: string; json?: unknown };
  /** For rows that end the caller's session: the cell runs with a fresh one instead. */
  freshSession?: boolean;
}

interface Cell {
  column: Column;
  index: number;
}

let server: AppServer;
let credentials: Record<Column, Credential>;
let admin: BrowserSession;
let passwords: Record<'viewer' | 'analyst', string>;
let hostAToken: string;
let snapshotIds: string[];
let alertId: number;
let cellCounter = 0;

const roleRank = { viewer: 1, analyst: 2, admin: 3 } as const;
const columnRole: Partial<Record<Column, keyof typeof roleRank>> = {
  viewer: 'viewer',
  analyst: 'analyst',
  admin: 'admin',
  'admin, no CSRF token': 'admin',
  'viewer API token': 'viewer',
  'admin API token': 'admin',
};

function expectedStatus(row: Row, column: Column): number {
  if (row.access === 'public') return row.allowed;
  if (row.access === 'host') {
    if (column === 'right host token') return row.allowed;
    if (column === 'wrong host token') return 403;
    return 401;
  }
  const role = columnRole[column];
  if (!role) return 401;
  if (roleRank[role] < roleRank[row.access]) return 403;
  if (column === 'admin, no CSRF token' && row.method !== 'GET') return 403;
  return row.allowed;
}

async function createPromiscuousRule(): Promise<number> {
  const created = await call(server, admin, 'POST', '/api/v1/promiscuous-rules', { json: { pattern: `matrix${cellCounter++}*` } });
  expect(created.status).toBe(201);
  return created.body.rule.id as number;
}

async function createBaseline(): Promise<number> {
  const created = await call(server, admin, 'POST', '/api/v1/baselines', { json: { host: 'matrix-a', port: 40_000 + cellCounter++, proto: 'tcp' } });
  expect(created.status).toBe(201);
  return created.body.baseline.id as number;
}

const rows: Row[] = [
  { method: 'GET', route: '/api/v1/alerts', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/alerts' }) },
  { method: 'POST', route: '/api/v1/alerts/[id]', access: 'analyst', allowed: 200, request: () => ({ path: `/api/v1/alerts/${alertId}`, json: { action: 'acknowledge', note: 'matrix' } }) },
  { method: 'GET', route: '/api/v1/audit', access: 'admin', allowed: 200, request: () => ({ path: '/api/v1/audit?target=user:matrix-target' }) },
  { method: 'GET', route: '/api/v1/promiscuous-rules', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/promiscuous-rules' }) },
  { method: 'POST', route: '/api/v1/promiscuous-rules', access: 'analyst', allowed: 201, request: () => ({ path: '/api/v1/promiscuous-rules', json: { pattern: `matrix-veth${cellCounter++}*`, note: 'matrix' } }) },
  { method: 'DELETE', route: '/api/v1/promiscuous-rules/[id]', access: 'analyst', allowed: 200, request: async () => ({ path: `/api/v1/promiscuous-rules/${await createPromiscuousRule()}` }) },
  { method: 'GET', route: '/api/v1/baselines', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/baselines' }) },
  { method: 'POST', route: '/api/v1/baselines', access: 'analyst', allowed: 201, request: () => ({ path: '/api/v1/baselines', json: { host: 'matrix-a', port: 30_000 + cellCounter++, proto: 'tcp' } }) },
  { method: 'DELETE', route: '/api/v1/baselines/[id]', access: 'analyst', allowed: 200, request: async () => ({ path: `/api/v1/baselines/${await createBaseline()}` }) },
  { method: 'GET', route: '/api/v1/hosts', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/hosts' }) },
  { method: 'POST', route: '/api/v1/hosts', access: 'admin', allowed: 201, request: () => ({ path: '/api/v1/hosts', json: { name: `matrix-new-${cellCounter++}` } }) },
  { method: 'GET', route: '/api/v1/hosts/[name]', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/hosts/matrix-a' }) },
  { method: 'GET', route: '/api/v1/hosts/[name]/diff', access: 'viewer', allowed: 200, request: () => ({ path: `/api/v1/hosts/matrix-a/diff?from=${snapshotIds[0]}&to=${snapshotIds[1]}` }) },
  { method: 'GET', route: '/api/v1/hosts/[name]/latency', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/hosts/matrix-a/latency' }) },
  { method: 'GET', route: '/api/v1/hosts/[name]/snapshots', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/hosts/matrix-a/snapshots' }) },
  { method: 'GET', route: '/api/v1/hosts/[name]/snapshots/[id]', access: 'viewer', allowed: 200, request: () => ({ path: `/api/v1/hosts/matrix-a/snapshots/${snapshotIds[1]}` }) },
  { method: 'GET', route: '/api/v1/hosts/[name]/sockets.csv', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/hosts/matrix-a/sockets.csv' }) },
  { method: 'GET', route: '/api/v1/hosts/[name]/tokens', access: 'admin', allowed: 200, request: () => ({ path: '/api/v1/hosts/matrix-a/tokens' }) },
  { method: 'POST', route: '/api/v1/hosts/[name]/tokens', access: 'admin', allowed: 201, request: () => ({ path: '/api/v1/hosts/matrix-rotate/tokens' }) },
  { method: 'DELETE', route: '/api/v1/hosts/[name]/tokens', access: 'admin', allowed: 200, request: () => ({ path: '/api/v1/hosts/matrix-rotate/tokens' }) },
  { method: 'GET', route: '/api/v1/openapi.json', access: 'public', allowed: 200, request: () => ({ path: '/api/v1/openapi.json' }) },
  { method: 'GET', route: '/api/v1/search/exposed', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/search/exposed' }) },
  { method: 'GET', route: '/api/v1/search/listeners', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/search/listeners?port=22' }) },
  { method: 'GET', route: '/api/v1/search/processes', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/search/processes?command=sshd' }) },
  { method: 'POST', route: '/api/v1/session', access: 'public', allowed: 200, request: () => ({ path: '/api/v1/session', json: { name: 'matrix-login', password: 'matrix-login-password' } }) },
  { method: 'DELETE', route: '/api/v1/session', access: 'public', allowed: 200, freshSession: true, request: () => ({ path: '/api/v1/session' }) },
  { method: 'POST', route: '/api/v1/snapshots', access: 'host', allowed: 202, request: () => ({ path: '/api/v1/snapshots', json: makeSnapshot('matrix-a') }) },
  { method: 'GET', route: '/api/v1/users', access: 'admin', allowed: 200, request: () => ({ path: '/api/v1/users' }) },
  { method: 'POST', route: '/api/v1/users', access: 'admin', allowed: 201, request: () => ({ path: '/api/v1/users', json: { name: `matrix-user-${cellCounter++}`, role: 'viewer' } }) },
  { method: 'PATCH', route: '/api/v1/users/[name]', access: 'admin', allowed: 200, request: () => ({ path: '/api/v1/users/matrix-target', json: { role: 'viewer' } }) },
  { method: 'POST', route: '/api/v1/users/[name]/api-tokens', access: 'admin', allowed: 201, request: () => ({ path: '/api/v1/users/matrix-target/api-tokens' }) },
  { method: 'DELETE', route: '/api/v1/users/[name]/api-tokens', access: 'admin', allowed: 200, request: () => ({ path: '/api/v1/users/matrix-target/api-tokens' }) },
  { method: 'GET', route: '/healthz', access: 'public', allowed: 200, request: () => ({ path: '/healthz' }) },
  { method: 'GET', route: '/metrics', access: 'public', allowed: 200, request: () => ({ path: '/metrics' }) },
];

beforeAll(async () => {
  server = await startAppServer();
  admin = await signInAdmin(server);
  const viewer = await createSignedInUser(server, admin, 'matrix-viewer', 'viewer');
  const analyst = await createSignedInUser(server, admin, 'matrix-analyst', 'analyst');
  passwords = { viewer: viewer.password, analyst: analyst.password };
  for (const [name, role] of [['matrix-target', 'analyst'], ['matrix-login', 'viewer']] as const) {
    const created = await call(server, admin, 'POST', '/api/v1/users', { json: { name, role, password: `${name}-password` } });
    expect(created.status).toBe(201);
  }
  hostAToken = await enrollHost(server, admin, 'matrix-a');
  const hostBToken = await enrollHost(server, admin, 'matrix-b');
  await enrollHost(server, admin, 'matrix-rotate');
  credentials = {
    anonymous,
    viewer: viewer.session,
    analyst: analyst.session,
    admin,
    'admin, no CSRF token': { ...admin, omitCsrf: true },
    'viewer API token': { kind: 'bearer', token: await issueApiToken(server, admin, 'matrix-viewer') },
    'admin API token': { kind: 'bearer', token: await issueApiToken(server, admin, 'admin') },
    'wrong host token': { kind: 'bearer', token: hostBToken },
    'right host token': { kind: 'bearer', token: hostAToken },
  };
  snapshotIds = [];
  for (const sockets of [[listener(22, 'sshd')], [listener(22, 'sshd'), listener(4444, 'nc')]]) {
    const posted = await call(server, credentials['right host token'], 'POST', '/api/v1/snapshots', { json: makeSnapshot('matrix-a', { sockets }) });
    expect(posted.status).toBe(202);
    snapshotIds.push(posted.body.id as string);
  }
  const alerts = await call(server, admin, 'GET', '/api/v1/alerts?host=matrix-a');
  alertId = alerts.body.alerts[0].id as number;
});
afterAll(async () => {
  await server?.dispose();
});

async function freshCredential(column: Column): Promise<Credential> {
  const role = columnRole[column];
  const base = credentials[column];
  if (base.kind !== 'session' || !role) return base;
  const password = role === 'admin' ? TEST_ADMIN_PASSWORD : passwords[role];
  const session = await signIn(server, role === 'admin' ? 'admin' : `matrix-${role}`, password);
  return { ...session, omitCsrf: base.omitCsrf };
}

describe('access matrix', () => {
  it('covers every route and method the app declares', () => {
    expect(rows.map((row) => `${row.method} ${row.route}`).sort()).toEqual(declaredRoutes().map((route) => `${route.method} ${route.route}`).sort());
  });

  it.each(rows.map((row) => [`${row.method} ${row.route}`, row] as const))('%s', async (_name, row) => {
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const [index, column] of columns.entries()) {
      const credential = row.freshSession ? await freshCredential(column) : credentials[column];
      const request = await row.request({ column, index });
      const result = await call(server, credential, row.method, request.path, request.json === undefined ? {} : { json: request.json });
      const want = expectedStatus(row, column);
      outcomes.push(`${column}: ${result.status}`);
      expected.push(`${column}: ${want}`);
      if (result.status >= 400) expectCleanError(result, want, `${row.method} ${request.path} as ${column}`);
    }
    expect(outcomes).toEqual(expected);
  });
});

/** Every page under app/(dashboard), with its dynamic segments filled in. */
function dashboardPages(): string[] {
  const pages: string[] = [];
  const walk = (directory: string, segments: string[]) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(directory, entry.name), [...segments, entry.name === '[name]' ? 'matrix-a' : entry.name]);
      else if (entry.name === 'page.tsx') pages.push(`/${segments.join('/')}`);
    }
  };
  walk('app/(dashboard)', []);
  return pages.sort();
}

describe('pages', () => {
  it('every dashboard page sends an anonymous visitor to sign in, and shows itself to a viewer', async () => {
    const pages = dashboardPages();
    expect(pages).toEqual(expect.arrayContaining(['/', '/hosts/matrix-a']));
    for (const pagePath of pages) {
      const anonymousVisit = await call(server, anonymous, 'GET', pagePath);
      expect(`${pagePath}: ${anonymousVisit.status} ${anonymousVisit.headers.get('location') ?? ''}`).toMatch(new RegExp(`^${pagePath.replace(/[/.]/g, '\\$&')}: 307 (${server.url})?/login$`));
      const viewerVisit = await call(server, credentials.viewer, 'GET', pagePath);
      expect(`${pagePath}: ${viewerVisit.status}`).toBe(`${pagePath}: 200`);
    }
  });


  const pageCases: { path: string; signedIn: number; signedOut: number; location: string }[] = [
    { path: '/', signedIn: 200, signedOut: 307, location: '/login' },
    { path: '/hosts/matrix-a', signedIn: 200, signedOut: 307, location: '/login' },
    { path: '/login', signedIn: 307, signedOut: 200, location: '/' },
  ];
  it.each(pageCases)('$path: only a browser session sees the dashboard', async ({ path: pagePath, signedIn, signedOut, location }) => {
    for (const column of columns) {
      const credential = credentials[column];
      const result = await call(server, credential, 'GET', pagePath);
      const isSession = credential.kind === 'session';
      expect(`${column}: ${result.status}`).toBe(`${column}: ${isSession ? signedIn : signedOut}`);
      if (result.status === 307) expect(new URL(result.headers.get('location') ?? '', server.url).pathname).toBe(location);
    }
  });
});

describe('socket.io', () => {
  async function connect(credential: Credential): Promise<{ outcome: string; events: string[]; close(): void }> {
    const socket = io(server.url, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: credential.kind === 'session' ? { cookie: credential.cookie } : {},
      auth: credential.kind === 'bearer' ? { token: credential.token } : {},
    });
    const events: string[] = [];
    socket.on('snapshot', (event: { host: string }) => events.push(event.host));
    const outcome = await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (error) => resolve(error.message));
    });
    if (outcome === 'connected') socket.emit('subscribe', { host: 'matrix-a' });
    return { outcome, events, close: () => socket.close() };
  }

  it('connects and streams a host only for analysts (session or API token); everyone else gets "unauthorized"', async () => {
    const connections = new Map<Column, Awaited<ReturnType<typeof connect>>>();
    for (const column of columns) connections.set(column, await connect(credentials[column]));
    const outcomes = columns.map((column) => `${column}: ${connections.get(column)?.outcome}`);
    const expected = columns.map((column) => `${column}: ${columnRole[column] ? 'connected' : 'unauthorized'}`);
    expect(outcomes).toEqual(expected);

    // Subscribed connections receive the next snapshot of the host; refused ones receive nothing.
    const subscribed = [...connections.values()].filter((connection) => connection.outcome === 'connected');
    const posted = await call(server, credentials['right host token'], 'POST', '/api/v1/snapshots', { json: makeSnapshot('matrix-a') });
    expect(posted.status).toBe(202);
    await expect.poll(() => subscribed.every((connection) => connection.events.includes('matrix-a')), { timeout: 10_000 }).toBe(true);
    for (const connection of connections.values()) connection.close();
  });
});
