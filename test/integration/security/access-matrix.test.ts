// Who may do what, route by route, against the real server: nobody, a viewer, an analyst, an
// admin (also with a forged request that lacks the CSRF token), API tokens of a viewer and of an
// admin, a host token of another host and the host's own token — on every API route and method
// (read from app/**/route.ts, so a new route cannot slip past this table), the pages (as documents
// and as the RSC and prefetch requests Next.js's client router sends, which render a page without
// its layout), and the socket.io connection.
import { readdirSync, readFileSync } from 'node:fs';
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
import { TEST_ADMIN_PASSWORD, type AppServer } from '@/test/helpers/app-server';
import { declaredRoutes } from '@/test/helpers/routes';
import { startInspectableServer, type InspectableServer } from '@/test/helpers/server-database';
import { listener, makeSnapshot } from '@/test/helpers/snapshots';

type Column =
  'anonymous' | 'viewer' | 'analyst' | 'admin' | 'admin, no CSRF token' | 'viewer API token' | 'admin API token' | 'wrong host token' | 'right host token';
const columns: Column[] = [
  'anonymous',
  'viewer',
  'analyst',
  'admin',
  'admin, no CSRF token',
  'viewer API token',
  'admin API token',
  'wrong host token',
  'right host token',
];
/** `session`: any signed-in browser session, never an API token. */
type Access = 'public' | 'viewer' | 'analyst' | 'admin' | 'session' | 'host';

interface Row {
  method: string;
  /** As the file system names it: app/api/v1/hosts/[name]/route.ts → /api/v1/hosts/[name]. */
  route: string;
  access: Access;
  allowed: number;
  /** Builds the request for one cell (fresh resources where a call consumes them). */
  request: (cell: Cell) => Promise<CellRequest> | CellRequest;
  /** For rows that end the caller's session: the cell runs with a fresh one instead. */
  freshSession?: boolean;
}

interface CellRequest {
  path: string;
  json?: unknown;
  headers?: Record<string, string>;
}

/** Password checks are limited per client address: each cell that checks one comes from its own. */
const ownAddress = () => ({ 'x-forwarded-for': `203.0.113.${cellCounter++ % 250}` });

interface Cell {
  column: Column;
  index: number;
}

let inspectable: InspectableServer;
let server: AppServer;
let credentials: Record<Column, Credential>;
let admin: BrowserSession;
/** Each signed-in role's password as it is now (a row below changes them). */
let passwords: Record<'viewer' | 'analyst' | 'admin', string>;
let hostAToken: string;
let snapshotIds: string[];
let alertId: number;
let cellCounter = 0;
/** Browser sessions that must open no page: a disabled account's, an expired one. */
let deadSessions: Record<'disabled user' | 'expired session', BrowserSession>;

// Strings only the host's data carries: a page answer that holds one has leaked data.
const CANARY_PROCESS = 'canary-proc-7f3a';
const CANARY_INTERFACE = 'canary-if-7f3a';
const CANARY_LABEL = 'canary-label-7f3a';
const canaryInterface = { name: CANARY_INTERFACE, flags: ['UP', 'PROMISC'], promiscuous: true, mtu: 1500, mac: null, addresses: [] };
/** matrix-a as every later snapshot in this file reports it, so its pages keep showing the canaries. */
const canarySnapshot = () => makeSnapshot('matrix-a', { sockets: [listener(22, 'sshd'), listener(4444, CANARY_PROCESS)], interfaces: [canaryInterface] });

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
  if (row.access === 'session') {
    if (credentials[column].kind !== 'session') return 403;
    return column === 'admin, no CSRF token' ? 403 : row.allowed;
  }
  if (roleRank[role] < roleRank[row.access]) return 403;
  if (column === 'admin, no CSRF token' && row.method !== 'GET') return 403;
  return row.allowed;
}

async function createPromiscuousRule(): Promise<number> {
  const created = await call(server, admin, 'POST', '/api/v1/promiscuous-rules', { json: { pattern: `matrix${cellCounter++}*` } });
  expect(created.status).toBe(201);
  return created.body.rule.id as number;
}

async function createExpectedPackage(): Promise<number> {
  const created = await call(server, admin, 'POST', '/api/v1/expected-packages', { json: { pattern: `matrix-package-${cellCounter++}` } });
  expect(created.status).toBe(201);
  return created.body.expectedPackage.id as number;
}

async function createBaseline(): Promise<number> {
  const created = await call(server, admin, 'POST', '/api/v1/baselines', { json: { host: 'matrix-a', port: 40_000 + cellCounter++, proto: 'tcp' } });
  expect(created.status).toBe(201);
  return created.body.baseline.id as number;
}

/** A password change for the cell's caller that the server will accept: to the other of two passwords. */
function passwordChange(column: Column): { currentPassword: string; newPassword: string } {
  const role = columnRole[column];
  if (!role) return { currentPassword: 'nobody-has-this-one', newPassword: 'nobody-gets-this-one' };
  const currentPassword = passwords[role];
  const newPassword = currentPassword.endsWith('#') ? currentPassword.slice(0, -1) : `${currentPassword}#`;
  if (
    expectedStatus(
      rows.find((row) => row.route === '/api/v1/account/password')!,
      column,
    ) === 200
  )
    passwords[role] = newPassword;
  return { currentPassword, newPassword };
}

const rows: Row[] = [
  {
    method: 'POST',
    route: '/api/v1/account/password',
    access: 'session',
    allowed: 200,
    request: (cell) => ({ path: '/api/v1/account/password', json: passwordChange(cell.column), headers: ownAddress() }),
  },
  { method: 'GET', route: '/api/v1/alerts', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/alerts' }) },
  {
    method: 'POST',
    route: '/api/v1/alerts/[id]',
    access: 'analyst',
    allowed: 200,
    request: () => ({ path: `/api/v1/alerts/${alertId}`, json: { action: 'acknowledge', note: 'matrix' } }),
  },
  {
    method: 'POST',
    route: '/api/v1/alerts/triage',
    access: 'analyst',
    allowed: 200,
    request: () => ({ path: '/api/v1/alerts/triage', json: { ids: [alertId], action: 'annotate', note: 'matrix, in bulk' } }),
  },
  { method: 'GET', route: '/api/v1/audit', access: 'admin', allowed: 200, request: () => ({ path: '/api/v1/audit?target=user:matrix-target' }) },
  { method: 'GET', route: '/api/v1/promiscuous-rules', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/promiscuous-rules' }) },
  {
    method: 'POST',
    route: '/api/v1/promiscuous-rules',
    access: 'analyst',
    allowed: 201,
    request: () => ({ path: '/api/v1/promiscuous-rules', json: { pattern: `matrix-veth${cellCounter++}*`, note: 'matrix' } }),
  },
  {
    method: 'DELETE',
    route: '/api/v1/promiscuous-rules/[id]',
    access: 'analyst',
    allowed: 200,
    request: async () => ({ path: `/api/v1/promiscuous-rules/${await createPromiscuousRule()}` }),
  },
  { method: 'GET', route: '/api/v1/baselines', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/baselines' }) },
  {
    method: 'POST',
    route: '/api/v1/baselines',
    access: 'analyst',
    allowed: 201,
    request: () => ({ path: '/api/v1/baselines', json: { host: 'matrix-a', port: 30_000 + cellCounter++, proto: 'tcp' } }),
  },
  {
    method: 'DELETE',
    route: '/api/v1/baselines/[id]',
    access: 'analyst',
    allowed: 200,
    request: async () => ({ path: `/api/v1/baselines/${await createBaseline()}` }),
  },
  { method: 'GET', route: '/api/v1/expected-packages', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/expected-packages' }) },
  {
    method: 'POST',
    route: '/api/v1/expected-packages',
    access: 'analyst',
    allowed: 201,
    request: () => ({ path: '/api/v1/expected-packages', json: { pattern: `matrix-openssl-${cellCounter++}*`, note: 'matrix' } }),
  },
  {
    method: 'DELETE',
    route: '/api/v1/expected-packages/[id]',
    access: 'analyst',
    allowed: 200,
    request: async () => ({ path: `/api/v1/expected-packages/${await createExpectedPackage()}` }),
  },
  { method: 'GET', route: '/api/v1/hosts', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/hosts' }) },
  {
    method: 'POST',
    route: '/api/v1/hosts',
    access: 'admin',
    allowed: 201,
    request: () => ({ path: '/api/v1/hosts', json: { name: `matrix-new-${cellCounter++}` } }),
  },
  { method: 'GET', route: '/api/v1/hosts/[name]', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/hosts/matrix-a' }) },
  {
    method: 'GET',
    route: '/api/v1/hosts/[name]/diff',
    access: 'viewer',
    allowed: 200,
    request: () => ({ path: `/api/v1/hosts/matrix-a/diff?from=${snapshotIds[0]}&to=${snapshotIds[1]}` }),
  },
  { method: 'GET', route: '/api/v1/hosts/[name]/latency', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/hosts/matrix-a/latency' }) },
  { method: 'GET', route: '/api/v1/hosts/[name]/snapshots', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/hosts/matrix-a/snapshots' }) },
  {
    method: 'GET',
    route: '/api/v1/hosts/[name]/snapshots/[id]',
    access: 'viewer',
    allowed: 200,
    request: () => ({ path: `/api/v1/hosts/matrix-a/snapshots/${snapshotIds[1]}` }),
  },
  { method: 'GET', route: '/api/v1/hosts/[name]/sockets.csv', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/hosts/matrix-a/sockets.csv' }) },
  { method: 'GET', route: '/api/v1/hosts/[name]/tokens', access: 'admin', allowed: 200, request: () => ({ path: '/api/v1/hosts/matrix-a/tokens' }) },
  { method: 'POST', route: '/api/v1/hosts/[name]/tokens', access: 'admin', allowed: 201, request: () => ({ path: '/api/v1/hosts/matrix-rotate/tokens' }) },
  { method: 'DELETE', route: '/api/v1/hosts/[name]/tokens', access: 'admin', allowed: 200, request: () => ({ path: '/api/v1/hosts/matrix-rotate/tokens' }) },
  { method: 'GET', route: '/api/v1/openapi.json', access: 'public', allowed: 200, request: () => ({ path: '/api/v1/openapi.json' }) },
  { method: 'GET', route: '/api/v1/search/exposed', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/search/exposed' }) },
  { method: 'GET', route: '/api/v1/search/listeners', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/search/listeners?port=22' }) },
  { method: 'GET', route: '/api/v1/search/packages', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/search/packages?name=openssl' }) },
  { method: 'GET', route: '/api/v1/search/processes', access: 'viewer', allowed: 200, request: () => ({ path: '/api/v1/search/processes?command=sshd' }) },
  {
    method: 'POST',
    route: '/api/v1/session',
    access: 'public',
    allowed: 200,
    request: () => ({ path: '/api/v1/session', json: { name: 'matrix-login', password: 'matrix-login-password' }, headers: ownAddress() }),
  },
  { method: 'DELETE', route: '/api/v1/session', access: 'public', allowed: 200, freshSession: true, request: () => ({ path: '/api/v1/session' }) },
  { method: 'POST', route: '/api/v1/snapshots', access: 'host', allowed: 202, request: () => ({ path: '/api/v1/snapshots', json: canarySnapshot() }) },
  { method: 'GET', route: '/api/v1/users', access: 'admin', allowed: 200, request: () => ({ path: '/api/v1/users' }) },
  {
    method: 'POST',
    route: '/api/v1/users',
    access: 'admin',
    allowed: 201,
    request: () => ({ path: '/api/v1/users', json: { name: `matrix-user-${cellCounter++}`, role: 'viewer' } }),
  },
  {
    method: 'PATCH',
    route: '/api/v1/users/[name]',
    access: 'admin',
    allowed: 200,
    request: () => ({ path: '/api/v1/users/matrix-target', json: { role: 'viewer' } }),
  },
  // An admin mints only their own tokens (see accounts-and-tokens for someone else's: 403).
  { method: 'POST', route: '/api/v1/users/[name]/api-tokens', access: 'admin', allowed: 201, request: () => ({ path: '/api/v1/users/admin/api-tokens' }) },
  {
    method: 'DELETE',
    route: '/api/v1/users/[name]/api-tokens',
    access: 'admin',
    allowed: 200,
    request: () => ({ path: '/api/v1/users/matrix-target/api-tokens' }),
  },
  { method: 'POST', route: '/api/v1/users/[name]/password', access: 'admin', allowed: 200, request: () => ({ path: '/api/v1/users/matrix-target/password' }) },
  { method: 'GET', route: '/healthz', access: 'public', allowed: 200, request: () => ({ path: '/healthz' }) },
  { method: 'GET', route: '/metrics', access: 'public', allowed: 200, request: () => ({ path: '/metrics' }) },
];

beforeAll(async () => {
  inspectable = await startInspectableServer();
  server = inspectable.current;
  admin = await signInAdmin(server);
  const viewer = await createSignedInUser(server, admin, 'matrix-viewer', 'viewer');
  const analyst = await createSignedInUser(server, admin, 'matrix-analyst', 'analyst');
  passwords = { viewer: viewer.password, analyst: analyst.password, admin: TEST_ADMIN_PASSWORD };
  for (const [name, role] of [
    ['matrix-target', 'analyst'],
    ['matrix-login', 'viewer'],
  ] as const) {
    const created = await call(server, admin, 'POST', '/api/v1/users', { json: { name, role, password: `${name}-password` } });
    expect(created.status).toBe(201);
  }
  const enrolledA = await call(server, admin, 'POST', '/api/v1/hosts', { json: { name: 'matrix-a', labels: [CANARY_LABEL] } });
  expect(enrolledA.status).toBe(201);
  hostAToken = enrolledA.body.token as string;
  const hostBToken = await enrollHost(server, admin, 'matrix-b');
  await enrollHost(server, admin, 'matrix-rotate');
  credentials = {
    anonymous,
    viewer: viewer.session,
    analyst: analyst.session,
    admin,
    'admin, no CSRF token': { ...admin, omitCsrf: true },
    'viewer API token': { kind: 'bearer', token: await issueApiToken(server, 'matrix-viewer') },
    'admin API token': { kind: 'bearer', token: await issueApiToken(server, 'admin') },
    'wrong host token': { kind: 'bearer', token: hostBToken },
    'right host token': { kind: 'bearer', token: hostAToken },
  };
  snapshotIds = [];
  for (const snapshot of [makeSnapshot('matrix-a', { sockets: [listener(22, 'sshd')], interfaces: [] }), canarySnapshot()]) {
    const posted = await call(server, credentials['right host token'], 'POST', '/api/v1/snapshots', { json: snapshot });
    expect(posted.status).toBe(202);
    snapshotIds.push(posted.body.id as string);
  }
  const alerts = await call(server, admin, 'GET', '/api/v1/alerts?host=matrix-a');
  alertId = alerts.body.alerts.find((alert: { kind: string }) => alert.kind.startsWith('listener.')).id as number;

  const disabled = await createSignedInUser(server, admin, 'matrix-disabled', 'viewer');
  expect((await call(server, admin, 'PATCH', '/api/v1/users/matrix-disabled', { json: { disabled: true } })).status).toBe(200);
  const expired = await createSignedInUser(server, admin, 'matrix-expired', 'viewer');
  deadSessions = { 'disabled user': disabled.session, 'expired session': expired.session };
  // Restarts an embedded server (its sessions and tokens stay valid): read `server` only after this.
  await inspectable.query(
    `UPDATE "Session" SET "expiresAt" = now() - interval '1 minute' WHERE "userId" = (SELECT id FROM "User" WHERE name = 'matrix-expired')`,
  );
  server = inspectable.current;
}, 300_000);
afterAll(async () => {
  await inspectable?.dispose();
});

async function freshCredential(column: Column): Promise<Credential> {
  const role = columnRole[column];
  const base = credentials[column];
  if (base.kind !== 'session' || !role) return base;
  const session = await signIn(server, role === 'admin' ? 'admin' : `matrix-${role}`, passwords[role]);
  return { ...session, omitCsrf: base.omitCsrf };
}

describe('access matrix', () => {
  it('covers every route and method the app declares', () => {
    expect(rows.map((row) => `${row.method} ${row.route}`).sort()).toEqual(
      declaredRoutes()
        .map((route) => `${route.method} ${route.route}`)
        .sort(),
    );
  });

  it.each(rows.map((row) => [`${row.method} ${row.route}`, row] as const))('%s', async (_name, row) => {
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const [index, column] of columns.entries()) {
      const credential = row.freshSession ? await freshCredential(column) : credentials[column];
      const request = await row.request({ column, index });
      const result = await call(server, credential, row.method, request.path, {
        ...(request.json === undefined ? {} : { json: request.json }),
        ...(request.headers ? { headers: request.headers } : {}),
      });
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
      expect(`${pagePath}: ${anonymousVisit.status} ${anonymousVisit.headers.get('location') ?? ''}`).toMatch(
        new RegExp(`^${pagePath.replace(/[/.]/g, '\\$&')}: 307 (${server.url})?/login$`),
      );
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

/**
 * What Next.js's client router sends besides a document request. With a router state tree naming
 * the (dashboard) layout, Next.js renders the page alone, without the layout and its check; a
 * prefetch asks for as much as can be rendered ahead; `Purpose: prefetch` is a browser's own
 * prefetch of a document.
 */
type PageRequestKind = 'document' | 'browser prefetch' | 'RSC navigation' | 'RSC prefetch' | 'RSC prefetch, Purpose' | 'segment prefetch';
const pageRequestKinds: PageRequestKind[] = ['document', 'browser prefetch', 'RSC navigation', 'RSC prefetch', 'RSC prefetch, Purpose', 'segment prefetch'];

/** The router state of a client that shows another dashboard page, so only the page segment differs. */
function routerStateTreeAway(pagePath: string): string {
  const otherPage = pagePath === '/alerts' ? ['__PAGE__', {}] : ['alerts', { children: ['__PAGE__', {}] }];
  return encodeURIComponent(JSON.stringify(['', { children: ['(dashboard)', { children: otherPage }] }]));
}

function pageRequestHeaders(kind: PageRequestKind, pagePath: string): Record<string, string> {
  const tree = { 'next-router-state-tree': routerStateTreeAway(pagePath) };
  switch (kind) {
    case 'document':
      return {};
    case 'browser prefetch':
      return { purpose: 'prefetch' };
    case 'RSC navigation':
      return { rsc: '1', ...tree };
    case 'RSC prefetch':
      return { rsc: '1', 'next-router-prefetch': '1', ...tree };
    case 'RSC prefetch, Purpose':
      return { rsc: '1', 'next-router-prefetch': '1', purpose: 'prefetch', ...tree };
    case 'segment prefetch':
      return { rsc: '1', 'next-router-prefetch': '1', 'next-router-segment-prefetch': '/_tree', ...tree };
  }
}

interface PageAnswer {
  /** Every answer on the way, redirects to the same page with a new `_rsc` key followed as the router follows them. */
  hops: { status: number; location: string | null; contentType: string; csp: string | null; text: string }[];
}

async function requestPage(credential: Credential, pagePath: string, kind: PageRequestKind): Promise<PageAnswer> {
  const headers = pageRequestHeaders(kind, pagePath);
  const hops: PageAnswer['hops'] = [];
  let target = pagePath;
  for (let hop = 0; hop < 4; hop++) {
    const result = await call(server, credential, 'GET', target, { headers });
    const location = result.headers.get('location');
    hops.push({
      status: result.status,
      location,
      contentType: result.headers.get('content-type') ?? '',
      csp: result.headers.get('content-security-policy'),
      text: result.text,
    });
    const next = location ? new URL(location, `${server.url}${target}`) : null;
    // Next.js answers an RSC request without the right cache key with a 307 to the same page with it.
    if (!next || next.pathname !== new URL(pagePath, server.url).pathname || !next.searchParams.has('_rsc')) break;
    target = `${next.pathname}${next.search}`;
  }
  return { hops };
}

const canaries = [CANARY_PROCESS, CANARY_INTERFACE, CANARY_LABEL];
/** What a viewer finds in a page: the layout's sniffer banner in a document, the page's own data in either. */
function canariesShownToViewer(pagePath: string, kind: PageRequestKind): string[] {
  const ownData: Record<string, string[]> = { '/': [CANARY_LABEL], '/alerts': [CANARY_INTERFACE], '/hosts/matrix-a': [CANARY_PROCESS] };
  const layoutData = kind === 'document' || kind === 'browser prefetch' ? [CANARY_INTERFACE] : [];
  if (kind !== 'document' && kind !== 'browser prefetch' && kind !== 'RSC navigation') return [];
  return [...new Set([...layoutData, ...(ownData[pagePath] ?? [])])];
}
/** Sends the visitor to sign in: an HTTP redirect to /login, or the RSC payload's redirect to it. */
const isSentToSignIn = (hop: PageAnswer['hops'][number]) =>
  (hop.status >= 300 && hop.status < 400 && hop.location !== null && new URL(hop.location, 'http://x').pathname === '/login') ||
  (hop.status === 200 && hop.contentType.startsWith('text/x-component') && /NEXT_REDIRECT;[a-z]+;\/login;/.test(hop.text));

describe('pages, in the source', () => {
  it('every page checks the session itself, and no page or component reaches the database but through that check', () => {
    const sources = (directory: string): string[] =>
      readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(directory, entry.name);
        return entry.isDirectory() ? sources(full) : /\.tsx?$/.test(entry.name) ? [full] : [];
      });
    const pageFiles = sources('app/(dashboard)').filter((file) => file.endsWith('page.tsx'));
    expect(pageFiles.length).toBeGreaterThanOrEqual(5);
    expect(pageFiles.filter((file) => !/\b(readPageData|requirePageSession)\(/.test(readFileSync(file, 'utf8')))).toEqual([]);
    const uiFiles = [...sources('app/(dashboard)'), ...sources('app/login'), ...sources('components')];
    expect(uiFiles.filter((file) => /getPrisma|@\/lib\/db\//.test(readFileSync(file, 'utf8')))).toEqual([]);
  });
});

describe('pages, as the client router and browsers request them', () => {
  type PageCaller =
    'anonymous' | 'viewer' | 'analyst' | 'admin' | 'disabled user' | 'expired session' | 'viewer API token' | 'admin API token' | 'collector token';
  const pageCallers: PageCaller[] = [
    'anonymous',
    'viewer',
    'analyst',
    'admin',
    'disabled user',
    'expired session',
    'viewer API token',
    'admin API token',
    'collector token',
  ];
  const signedIn = new Set<PageCaller>(['viewer', 'analyst', 'admin']);
  const credentialOf = (caller: PageCaller): Credential =>
    caller === 'disabled user' || caller === 'expired session'
      ? deadSessions[caller]
      : caller === 'collector token'
        ? credentials['right host token']
        : credentials[caller];

  it.each(dashboardPages().map((pagePath) => [pagePath] as const))(
    '%s shows no data without a live browser session, whatever the request says',
    async (pagePath) => {
      const leaks: string[] = [];
      const unseen: string[] = [];
      const refusals: string[] = [];
      const missingPolicy: string[] = [];
      for (const caller of pageCallers) {
        for (const kind of pageRequestKinds) {
          const answer = await requestPage(credentialOf(caller), pagePath, kind);
          const last = answer.hops.at(-1)!;
          for (const hop of answer.hops) {
            const leaked = canaries.filter((canary) => hop.text.includes(canary));
            if (!signedIn.has(caller) && leaked.length > 0) leaks.push(`${caller}, ${kind}: ${hop.status} ${hop.contentType} carries ${leaked.join(', ')}`);
            // Every HTML and RSC answer runs under the page policy, prefetches included.
            if (/^text\/(html|x-component)/.test(hop.contentType) && !hop.csp?.includes("script-src 'self' 'nonce-"))
              missingPolicy.push(`${caller}, ${kind}: ${hop.status} ${hop.contentType}`);
          }
          if (signedIn.has(caller) && last.status !== 200) refusals.push(`${caller}, ${kind}: ${last.status} ${last.location ?? ''}`);
          // The same canaries do show to a signed-in caller, so their absence elsewhere means something.
          const missing = signedIn.has(caller) ? canariesShownToViewer(pagePath, kind).filter((canary) => !last.text.includes(canary)) : [];
          if (missing.length > 0) unseen.push(`${caller}, ${kind}: no ${missing.join(', ')}`);
          // An RSC prefetch of a dynamic page renders no page at all (just the route tree), for anyone.
          const rendersPage = kind === 'document' || kind === 'browser prefetch' || kind === 'RSC navigation';
          if (!signedIn.has(caller) && rendersPage && !isSentToSignIn(last))
            refusals.push(`${caller}, ${kind}: ${last.status} ${last.location ?? ''} ${last.text.slice(0, 80)}`);
        }
      }
      expect(leaks).toEqual([]);
      expect(unseen).toEqual([]);
      expect(missingPolicy).toEqual([]);
      // Signed-in callers get the page; everyone else is sent to sign in.
      expect(refusals).toEqual([]);
    },
  );
});

describe('socket.io', () => {
  async function connect(credential: Credential): Promise<{ outcome: string; events: string[]; close: () => void }> {
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
    const posted = await call(server, credentials['right host token'], 'POST', '/api/v1/snapshots', { json: canarySnapshot() });
    expect(posted.status).toBe(202);
    await expect.poll(() => subscribed.every((connection) => connection.events.includes('matrix-a')), { timeout: 10_000 }).toBe(true);
    for (const connection of connections.values()) connection.close();
  });
});
