// The API document against the real server (production build, real database): every route the
// app declares is documented and nothing else is; the served document is the one lib/openapi
// builds; and every documented operation is called for real — as a caller allowed to, and so as
// to provoke its errors — with each answer's status documented for that operation and its body
// (and documented headers) valid by the document's schema, checked with a JSON Schema 2020-12
// validator. A route added without a declaration in lib/openapi/operations.ts, or without a
// call below, fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '@/lib/openapi/build-document';
import {
  anonymous,
  call,
  createSignedInUser,
  enrollHost,
  issueApiToken,
  signIn,
  signInAdmin,
  type BrowserSession,
  type Credential,
} from '@/test/helpers/api-client';
import { startAppServer, TEST_ADMIN_PASSWORD, type AppServer } from '@/test/helpers/app-server';
import {
  createSchemaValidator,
  documentedOperations,
  documentedResponse,
  openApiPath,
  type ApiDocument,
  type DocumentedOperation,
  type JsonSchema,
  type SchemaValidator,
} from '@/test/helpers/openapi';
import { declaredRoutes } from '@/test/helpers/routes';
import { listener, makeSnapshot } from '@/test/helpers/snapshots';
import { tracerouteRun } from '@/test/helpers/traceroutes';

/** One request and the status it must get. */
interface Call {
  as: Credential;
  /** The concrete path, with its query string. */
  path: string;
  json?: unknown;
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
  status: number;
  /** Arrays in the answer (dotted paths) that must not be empty, so the schema check means something. */
  nonEmpty?: string[];
}

/** The calls that exercise one operation, built when its test runs (some create what they delete). */
type Exercise = () => Promise<Call[]> | Call[];

// Operations no client can make fail on purpose: they take nothing and need no one. Their only
// errors (a database that is down, an internal error) are documented and covered elsewhere.
const noProvokableError: Record<string, string> = {
  'GET /healthz': 'public, takes nothing; 503 only when the database is down',
  'GET /metrics': 'public, takes nothing; 503 only when the database is down',
  'GET /api/v1/openapi.json': 'public, takes nothing, touches no database',
  'DELETE /api/v1/session': 'signing out always succeeds, with or without a session',
};

let server: AppServer;
let document: ApiDocument;
let validator: SchemaValidator;
let admin: BrowserSession;
let viewerToken: Credential;
let webToken: Credential;
let dbToken: Credential;
let webSnapshots: string[] = [];
let dbSnapshot = '';
let alertId = 0;
let clientAddress = 0;

const WEB = 'openapi-web';
const DB = 'openapi-db';
const SPARE = 'openapi-spare';
const TARGET_USER = 'openapi-target';
// Their own accounts, since a password change or reset ends sessions the other calls rely on.
const PASSWORD_OWNER = 'openapi-password-owner';
const RESET_USER = 'openapi-reset';
const MISSING_HOST = 'openapi-no-such-host';

/** Sign-ins from distinct addresses, as clients behind a proxy, so only the per-account limit counts. */
const nextAddress = () => ({ 'x-forwarded-for': `203.0.113.${(clientAddress++ % 250) + 1}` });
/** One address that guesses a current password until its limit refuses it. */
const guessingAddress = { 'x-forwarded-for': '198.18.0.1' };

function webSnapshot(second: boolean) {
  return makeSnapshot(WEB, {
    sockets: second
      ? [
          listener(22, 'sshd'),
          listener(8080, 'java', { pid: 5000 }),
          listener(9000, 'app', {
            pid: 6000,
            netns: 4026532000,
            container: { runtime: 'docker', id: 'a'.repeat(64), name: 'shop', podNamespace: null, podName: null },
          }),
          {
            proto: 'tcp',
            localAddress: '192.0.2.20',
            localPort: 22,
            remoteAddress: '198.51.100.7',
            remotePort: 50_000,
            state: 'ESTABLISHED',
            pid: 4242,
            process: 'sshd',
            user: 'root',
            uid: 0,
          },
        ]
      : [listener(22, 'sshd', { localAddress: '127.0.0.1' })],
    processes: [
      {
        pid: 4242,
        ppid: 1,
        user: 'root',
        uid: 0,
        command: 'sshd',
        args: second ? '/usr/sbin/sshd -D -e' : '/usr/sbin/sshd -D',
        startedAt: '2026-01-01T00:00:00.000Z',
        exe: '/usr/sbin/sshd',
        exeDeleted: false,
        exeSha256: 'b'.repeat(64),
      },
      ...(second ? [{ pid: 5000, ppid: 1, user: 'app', uid: 1000, command: 'java', args: '-jar shop.jar', startedAt: null }] : []),
    ],
    interfaces: [
      {
        name: 'eth0',
        flags: ['UP', 'BROADCAST', 'RUNNING', ...(second ? ['PROMISC'] : []), 'MULTICAST'],
        promiscuous: second,
        mtu: 1500,
        mac: '00:01:02:45:45:5b',
        addresses: ['192.0.2.20/24'],
        rxErrors: 0,
        txErrors: 0,
      },
    ],
    packages: [
      { name: 'openssl', version: second ? '3.0.13-0ubuntu3' : '3.0.2-0ubuntu1', arch: 'amd64', source: 'dpkg', installedAt: null },
      ...(second ? [{ name: 'curl', version: '8.5.0-2ubuntu10', arch: 'amd64', source: 'dpkg' as const, installedAt: null }] : []),
    ],
    traceroutes: [
      tracerouteRun(
        'example.net',
        second
          ? [
              [0.4, 0.5, 0.6],
              [null, 9.1, [12.5, '!H']],
            ]
          : [
              [0.4, 0.5, 0.7],
              [8.8, 9.0, 9.2],
            ],
        { targetAddress: '203.0.113.9' },
      ),
    ],
    run: { commandLine: 'sockscope-collector run', exitStatus: 0 },
    collectorVersion: 'test',
  });
}

async function post(credential: Credential, path: string, json?: unknown) {
  const result = await call(server, credential, 'POST', path, json === undefined ? {} : { json });
  if (result.status >= 300) throw new Error(`POST ${path}: ${result.status} ${result.text}`);
  return result.body as Record<string, unknown>;
}

async function createdId(path: string, json: unknown, key: string): Promise<number> {
  const body = await post(admin, path, json);
  return (body[key] as { id: number }).id;
}

const tooLargeJson = { action: 'annotate', note: 'x'.repeat(70 * 1024) };
const formBody = { raw: 'action=close', contentType: 'application/x-www-form-urlencoded' };

const exercises: Record<string, Exercise> = {
  'POST /api/v1/account/password': async () => {
    // Signed in twice: the change ends the other session and keeps the one that made it.
    const { session, password } = await createSignedInUser(server, admin, PASSWORD_OWNER, 'viewer');
    const otherSession = await signIn(server, PASSWORD_OWNER, password);
    const newPassword = `${password}-changed`;
    const path = '/api/v1/account/password';
    const guess = { currentPassword: 'not the password', newPassword: 'a-long-enough-password' };
    return [
      { as: session, path, json: { currentPassword: password, newPassword }, headers: nextAddress(), status: 200 },
      { as: otherSession, path, json: { currentPassword: newPassword, newPassword: password }, headers: nextAddress(), status: 401 },
      { as: session, path, json: { currentPassword: newPassword, newPassword: 'too-short' }, headers: nextAddress(), status: 400 },
      { as: session, path, json: { currentPassword: newPassword, newPassword }, headers: nextAddress(), status: 400 },
      { as: session, path, ...formBody, status: 415 },
      // A wrong current password is 403; ten tries a minute per address, then even the right one is refused unchecked.
      ...Array.from({ length: 10 }, () => ({ as: session, path, json: guess, headers: guessingAddress, status: 403 })),
      { as: session, path, json: { ...guess, currentPassword: newPassword }, headers: guessingAddress, status: 429 },
    ];
  },
  'GET /api/v1/alerts': () => [
    { as: viewerToken, path: '/api/v1/alerts?state=live&limit=50', status: 200, nonEmpty: ['alerts'] },
    { as: admin, path: `/api/v1/alerts?host=${WEB}&minLevel=0`, status: 200, nonEmpty: ['alerts'] },
    { as: admin, path: '/api/v1/alerts?minLevel=99', status: 400 },
  ],
  'POST /api/v1/alerts/{id}': () => [
    { as: admin, path: `/api/v1/alerts/${alertId}`, json: { action: 'acknowledge', note: 'seen' }, status: 200 },
    { as: admin, path: `/api/v1/alerts/${alertId}`, json: { action: 'annotate', note: 'still seen' }, status: 200 },
    { as: admin, path: '/api/v1/alerts/2147483647', json: { action: 'annotate' }, status: 404 },
    { as: admin, path: `/api/v1/alerts/${alertId}`, json: { action: 'explode' }, status: 400 },
    { as: admin, path: '/api/v1/alerts/not-a-number', json: { action: 'close' }, status: 400 },
    { as: admin, path: `/api/v1/alerts/${alertId}`, json: tooLargeJson, status: 413 },
    { as: admin, path: `/api/v1/alerts/${alertId}`, ...formBody, status: 415 },
  ],
  'POST /api/v1/alerts/triage': () => [
    { as: admin, path: '/api/v1/alerts/triage', json: { ids: [alertId], action: 'annotate', note: 'in bulk' }, status: 200, nonEmpty: ['alerts'] },
    { as: admin, path: '/api/v1/alerts/triage', json: { ids: [alertId, 2147483647], action: 'annotate' }, status: 404 },
    { as: admin, path: '/api/v1/alerts/triage', json: { ids: [], action: 'close' }, status: 400 },
    { as: admin, path: '/api/v1/alerts/triage', json: { ids: Array.from({ length: 501 }, (_, index) => index + 1), action: 'close' }, status: 400 },
    { as: admin, path: '/api/v1/alerts/triage', json: { ids: ['1'], action: 'close' }, status: 400 },
    { as: admin, path: '/api/v1/alerts/triage', ...formBody, status: 415 },
  ],
  'GET /api/v1/audit': () => [
    { as: admin, path: '/api/v1/audit?limit=20', status: 200, nonEmpty: ['entries'] },
    { as: admin, path: `/api/v1/audit?target=host:${WEB}`, status: 200, nonEmpty: ['entries'] },
    { as: admin, path: '/api/v1/audit?limit=0', status: 400 },
  ],
  'GET /api/v1/baselines': () => [{ as: viewerToken, path: '/api/v1/baselines', status: 200, nonEmpty: ['baselines'] }],
  'POST /api/v1/baselines': () => [
    { as: admin, path: '/api/v1/baselines', json: { host: WEB, port: 8080, proto: 'tcp', process: 'java', note: 'the shop' }, status: 201 },
    { as: admin, path: '/api/v1/baselines', json: { label: 'dmz', port: 443, localAddress: '0.0.0.0' }, status: 201 },
    { as: admin, path: '/api/v1/baselines', json: { host: MISSING_HOST, port: 1 }, status: 404 },
    { as: admin, path: '/api/v1/baselines', json: { host: WEB, label: 'dmz', port: 1 }, status: 400 },
  ],
  'DELETE /api/v1/baselines/{id}': async () => {
    const id = await createdId('/api/v1/baselines', { port: 2222 }, 'baseline');
    return [
      { as: admin, path: `/api/v1/baselines/${id}`, status: 200 },
      { as: admin, path: `/api/v1/baselines/${id}`, status: 404 },
      { as: admin, path: '/api/v1/baselines/0', status: 400 },
    ];
  },
  'GET /api/v1/expected-packages': () => [{ as: viewerToken, path: '/api/v1/expected-packages', status: 200, nonEmpty: ['expectedPackages'] }],
  'POST /api/v1/expected-packages': () => [
    { as: admin, path: '/api/v1/expected-packages', json: { host: WEB, pattern: 'openssl*', note: 'patched monthly' }, status: 201 },
    { as: admin, path: '/api/v1/expected-packages', json: { pattern: 'curl' }, status: 201 },
    { as: admin, path: '/api/v1/expected-packages', json: { host: MISSING_HOST, pattern: 'x' }, status: 404 },
    { as: admin, path: '/api/v1/expected-packages', json: { pattern: 'not a glob!' }, status: 400 },
  ],
  'DELETE /api/v1/expected-packages/{id}': async () => {
    const id = await createdId('/api/v1/expected-packages', { pattern: 'vim*' }, 'expectedPackage');
    return [
      { as: admin, path: `/api/v1/expected-packages/${id}`, status: 200 },
      { as: admin, path: `/api/v1/expected-packages/${id}`, status: 404 },
    ];
  },
  'GET /api/v1/promiscuous-rules': () => [{ as: viewerToken, path: '/api/v1/promiscuous-rules', status: 200, nonEmpty: ['rules'] }],
  'POST /api/v1/promiscuous-rules': () => [
    { as: admin, path: '/api/v1/promiscuous-rules', json: { pattern: 'openapi-tap*', note: 'lab taps' }, status: 201 },
    { as: admin, path: '/api/v1/promiscuous-rules', json: { pattern: 'openapi-tap*' }, status: 409 },
    { as: admin, path: '/api/v1/promiscuous-rules', json: { pattern: '' }, status: 400 },
  ],
  'DELETE /api/v1/promiscuous-rules/{id}': async () => {
    const id = await createdId('/api/v1/promiscuous-rules', { pattern: 'openapi-br*' }, 'rule');
    return [
      { as: admin, path: `/api/v1/promiscuous-rules/${id}`, status: 200 },
      { as: admin, path: `/api/v1/promiscuous-rules/${id}`, status: 404 },
    ];
  },
  'GET /api/v1/hosts': () => [
    { as: viewerToken, path: '/api/v1/hosts?pageSize=10', status: 200, nonEmpty: ['hosts'] },
    { as: admin, path: '/api/v1/hosts?status=fresh&label=dmz&q=web', status: 200, nonEmpty: ['hosts'] },
    { as: admin, path: '/api/v1/hosts?status=dead', status: 400 },
  ],
  'POST /api/v1/hosts': () => [
    { as: admin, path: '/api/v1/hosts', json: { name: 'openapi-new', labels: ['lab'] }, status: 201 },
    { as: admin, path: '/api/v1/hosts', json: { name: 'not a host name' }, status: 400 },
    { as: admin, path: '/api/v1/hosts', ...formBody, status: 415 },
  ],
  'GET /api/v1/hosts/{name}': () => [
    { as: viewerToken, path: `/api/v1/hosts/${WEB}`, status: 200, nonEmpty: ['listeningSockets', 'establishedSockets', 'processes', 'interfaces', 'packages'] },
    { as: admin, path: `/api/v1/hosts/${MISSING_HOST}`, status: 404 },
    { as: admin, path: '/api/v1/hosts/%ff', status: 400 },
  ],
  'GET /api/v1/hosts/{name}/diff': () => [
    {
      as: viewerToken,
      path: `/api/v1/hosts/${WEB}/diff?from=${webSnapshots[0]}&to=${webSnapshots[1]}`,
      status: 200,
      nonEmpty: [
        'sockets.added',
        'sockets.changed',
        'processes.added',
        'processes.changed',
        'interfaces.changed',
        'traceroutes.changed',
        'packages.added',
        'packages.changed',
      ],
    },
    { as: admin, path: `/api/v1/hosts/${WEB}/diff?from=${webSnapshots[1]}&to=${webSnapshots[0]}`, status: 200 },
    { as: admin, path: `/api/v1/hosts/${WEB}/diff?from=${dbSnapshot}&to=${webSnapshots[1]}`, status: 404 },
    { as: admin, path: `/api/v1/hosts/${WEB}/diff?from=abc&to=${webSnapshots[1]}`, status: 400 },
  ],
  'GET /api/v1/hosts/{name}/latency': () => [
    { as: viewerToken, path: `/api/v1/hosts/${WEB}/latency?since=7d`, status: 200, nonEmpty: ['runs', 'hopTable', 'targets'] },
    { as: admin, path: `/api/v1/hosts/${WEB}/latency?target=EXAMPLE.NET&since=${new Date(Date.now() - 3_600_000).toISOString()}&limit=1`, status: 200 },
    { as: admin, path: `/api/v1/hosts/${WEB}/latency?since=yesterday`, status: 400 },
    { as: admin, path: `/api/v1/hosts/${MISSING_HOST}/latency`, status: 404 },
  ],
  'GET /api/v1/hosts/{name}/snapshots': () => [
    { as: viewerToken, path: `/api/v1/hosts/${WEB}/snapshots`, status: 200, nonEmpty: ['snapshots'] },
    { as: admin, path: `/api/v1/hosts/${WEB}/snapshots?changedOnly=1&limit=1&before=${webSnapshots[1]}`, status: 200 },
    { as: admin, path: `/api/v1/hosts/${WEB}/snapshots?limit=0`, status: 400 },
    { as: admin, path: `/api/v1/hosts/${MISSING_HOST}/snapshots`, status: 404 },
  ],
  'GET /api/v1/hosts/{name}/snapshots/{id}': () => [
    {
      as: viewerToken,
      path: `/api/v1/hosts/${WEB}/snapshots/${webSnapshots[1]}`,
      status: 200,
      nonEmpty: ['sockets', 'processes', 'interfaces', 'traceroutes', 'packages'],
    },
    { as: admin, path: `/api/v1/hosts/${WEB}/snapshots/${dbSnapshot}`, status: 404 },
    { as: admin, path: `/api/v1/hosts/${WEB}/snapshots/abc`, status: 400 },
  ],
  'GET /api/v1/hosts/{name}/sockets.csv': () => [
    { as: viewerToken, path: `/api/v1/hosts/${WEB}/sockets.csv`, status: 200 },
    { as: admin, path: `/api/v1/hosts/${WEB}/sockets.csv?snapshot=${webSnapshots[0]}`, status: 200 },
    { as: admin, path: `/api/v1/hosts/${WEB}/sockets.csv?snapshot=-1`, status: 400 },
    { as: admin, path: `/api/v1/hosts/${MISSING_HOST}/sockets.csv`, status: 404 },
  ],
  'GET /api/v1/hosts/{name}/tokens': () => [
    { as: admin, path: `/api/v1/hosts/${WEB}/tokens`, status: 200, nonEmpty: ['tokens'] },
    { as: admin, path: `/api/v1/hosts/${MISSING_HOST}/tokens`, status: 404 },
  ],
  'POST /api/v1/hosts/{name}/tokens': () => [
    { as: admin, path: `/api/v1/hosts/${SPARE}/tokens`, status: 201 },
    { as: admin, path: `/api/v1/hosts/${MISSING_HOST}/tokens`, status: 404 },
  ],
  'DELETE /api/v1/hosts/{name}/tokens': () => [
    { as: admin, path: `/api/v1/hosts/${SPARE}/tokens`, status: 200 },
    { as: admin, path: `/api/v1/hosts/${MISSING_HOST}/tokens`, status: 404 },
  ],
  'GET /api/v1/openapi.json': () => [{ as: anonymous, path: '/api/v1/openapi.json', status: 200 }],
  'GET /api/v1/search/exposed': () => [
    { as: viewerToken, path: '/api/v1/search/exposed?sinceMinutes=60&pageSize=5', status: 200, nonEmpty: ['rows'] },
    { as: admin, path: '/api/v1/search/exposed?sinceMinutes=0', status: 400 },
  ],
  'GET /api/v1/search/listeners': () => [
    { as: viewerToken, path: '/api/v1/search/listeners?port=8080', status: 200, nonEmpty: ['rows'] },
    { as: admin, path: '/api/v1/search/listeners?port=9000&namespace=any', status: 200, nonEmpty: ['rows'] },
    { as: admin, path: '/api/v1/search/listeners?port=70000', status: 400 },
    { as: admin, path: '/api/v1/search/listeners', status: 400 },
  ],
  'GET /api/v1/search/packages': () => [
    { as: viewerToken, path: '/api/v1/search/packages?name=openssl', status: 200, nonEmpty: ['rows'] },
    { as: admin, path: '/api/v1/search/packages?name=url&match=contains&version=8.5.0-2ubuntu10', status: 200, nonEmpty: ['rows'] },
    { as: admin, path: '/api/v1/search/packages?appearedWithinMinutes=60', status: 200, nonEmpty: ['rows'] },
    { as: admin, path: '/api/v1/search/packages', status: 400 },
  ],
  'GET /api/v1/search/processes': () => [
    { as: viewerToken, path: '/api/v1/search/processes?command=java', status: 200, nonEmpty: ['rows'] },
    { as: admin, path: '/api/v1/search/processes?command=ss&match=contains&page=1&pageSize=200', status: 200, nonEmpty: ['rows'] },
    { as: admin, path: '/api/v1/search/processes', status: 400 },
  ],
  'POST /api/v1/session': () => {
    const guess = { name: 'openapi-guessed', password: 'guess' };
    const guessingAddresses = Array.from({ length: 10 }, nextAddress);
    return [
      { as: anonymous, path: '/api/v1/session', json: { name: 'admin', password: TEST_ADMIN_PASSWORD }, headers: nextAddress(), status: 200 },
      { as: anonymous, path: '/api/v1/session', json: { name: 'admin', password: 'not the password' }, headers: nextAddress(), status: 401 },
      { as: anonymous, path: '/api/v1/session', json: { name: '' }, headers: nextAddress(), status: 400 },
      { as: anonymous, path: '/api/v1/session', ...formBody, headers: nextAddress(), status: 415 },
      // Ten wrong passwords a minute put an account under attack: an address that failed on it is
      // refused before any password is checked, while a fresh address still gets its try.
      ...guessingAddresses.map((headers) => ({ as: anonymous, path: '/api/v1/session', json: guess, headers, status: 401 })),
      { as: anonymous, path: '/api/v1/session', json: guess, headers: guessingAddresses[0], status: 429 },
      { as: anonymous, path: '/api/v1/session', json: guess, headers: nextAddress(), status: 401 },
    ];
  },
  'DELETE /api/v1/session': async () => [
    { as: await signIn(server, 'admin', TEST_ADMIN_PASSWORD), path: '/api/v1/session', status: 200 },
    { as: anonymous, path: '/api/v1/session', status: 200 },
  ],
  'POST /api/v1/snapshots': () => {
    const fresh = makeSnapshot(DB, { sockets: [listener(5432, 'postgres')] });
    return [
      { as: dbToken, path: '/api/v1/snapshots', json: fresh, status: 202 },
      { as: dbToken, path: '/api/v1/snapshots', json: fresh, status: 200 },
      { as: dbToken, path: '/api/v1/snapshots', json: { ...makeSnapshot(DB), version: 2 }, status: 400 },
      { as: webToken, path: '/api/v1/snapshots', json: makeSnapshot(DB), status: 403 },
      {
        as: webToken,
        path: '/api/v1/snapshots',
        json: { ...makeSnapshot(WEB), base: webSnapshots[0], sockets: { added: [], removed: [], digest: '00000000-0000-0000-0000-000000000000' } },
        status: 409,
      },
      // Over a cap (64 hops per run) is "too large", like a body over the byte limit.
      {
        as: dbToken,
        path: '/api/v1/snapshots',
        json: makeSnapshot(DB, {
          traceroutes: [
            tracerouteRun(
              'far.example',
              Array.from({ length: 65 }, () => [1]),
            ),
          ],
        }),
        status: 413,
      },
    ];
  },
  'GET /api/v1/users': () => [{ as: admin, path: '/api/v1/users', status: 200, nonEmpty: ['users'] }],
  'POST /api/v1/users': () => [
    { as: admin, path: '/api/v1/users', json: { name: 'openapi-made', role: 'viewer' }, status: 201 },
    { as: admin, path: '/api/v1/users', json: { name: 'openapi-made-2', role: 'analyst', password: 'a-long-enough-password' }, status: 201 },
    { as: admin, path: '/api/v1/users', json: { name: 'openapi-made', role: 'viewer' }, status: 409 },
    { as: admin, path: '/api/v1/users', json: { name: 'not a name', role: 'viewer' }, status: 400 },
  ],
  'PATCH /api/v1/users/{name}': () => [
    { as: admin, path: `/api/v1/users/${TARGET_USER}`, json: { role: 'viewer' }, status: 200 },
    { as: admin, path: `/api/v1/users/${TARGET_USER}`, json: { disabled: true }, status: 200 },
    { as: admin, path: `/api/v1/users/${TARGET_USER}`, json: { disabled: false, role: 'analyst' }, status: 200 },
    { as: admin, path: '/api/v1/users/openapi-nobody', json: { role: 'viewer' }, status: 404 },
    { as: admin, path: `/api/v1/users/${TARGET_USER}`, json: {}, status: 400 },
    // An admin cannot demote themselves.
    { as: admin, path: '/api/v1/users/admin', json: { role: 'viewer' }, status: 409 },
  ],
  'POST /api/v1/users/{name}/api-tokens': () => [
    { as: admin, path: '/api/v1/users/admin/api-tokens', status: 201 },
    // Only for the caller's own account: other accounts get theirs from the server's operator.
    { as: admin, path: `/api/v1/users/${TARGET_USER}/api-tokens`, status: 403 },
    { as: admin, path: '/api/v1/users/openapi-nobody/api-tokens', status: 403 },
  ],
  'DELETE /api/v1/users/{name}/api-tokens': async () => {
    const targetToken: Credential = { kind: 'bearer', token: await issueApiToken(server, TARGET_USER) };
    return [
      { as: admin, path: `/api/v1/users/${TARGET_USER}/api-tokens`, status: 200 },
      // Revoked: the analyst's token is no credential any more (401, not the 403 of too small a role).
      { as: targetToken, path: `/api/v1/users/${TARGET_USER}/api-tokens`, status: 401 },
      { as: admin, path: '/api/v1/users/openapi-nobody/api-tokens', status: 404 },
    ];
  },
  'POST /api/v1/users/{name}/password': async () => {
    const { session } = await createSignedInUser(server, admin, RESET_USER, 'analyst');
    return [
      { as: admin, path: `/api/v1/users/${RESET_USER}/password`, status: 200 },
      // The reset ended the account's session: refused as nobody, no longer as too small a role.
      { as: session, path: `/api/v1/users/${RESET_USER}/password`, status: 401 },
      // An admin's own password needs the current one (POST /api/v1/account/password).
      { as: admin, path: '/api/v1/users/admin/password', status: 409 },
      { as: admin, path: '/api/v1/users/openapi-nobody/password', status: 404 },
      { as: admin, path: '/api/v1/users/%ff/password', status: 400 },
    ];
  },
  'GET /healthz': () => [{ as: anonymous, path: '/healthz', status: 200 }],
  'GET /metrics': () => [{ as: anonymous, path: '/metrics', status: 200 }],
};

/** Who may call an operation, read from its security requirements (roles in the requirement, OpenAPI 3.1). */
function requiredRole(operation: DocumentedOperation): string | null {
  return operation.security.flatMap((requirement) => requirement.session ?? requirement.apiToken ?? [])[0] ?? null;
}

const isHostOperation = (operation: DocumentedOperation) => operation.security.some((requirement) => 'hostToken' in requirement);

/**
 * Refusals every protected operation must give as documented: nobody → 401; too small a role, an API
 * token where only a session will do, or a session without its CSRF token → 403.
 */
function accessCalls(method: string, path: string, operation: DocumentedOperation): Call[] {
  if (operation.security.length === 0) return [];
  const calls: Call[] = [{ as: anonymous, path, status: 401 }];
  if (isHostOperation(operation)) return [...calls, { as: viewerToken, path, status: 401 }];
  const role = requiredRole(operation);
  const takesApiTokens = operation.security.some((requirement) => 'apiToken' in requirement);
  if (role !== 'viewer' || !takesApiTokens) calls.push({ as: viewerToken, path, status: 403 });
  if (method !== 'GET') calls.push({ as: { ...admin, omitCsrf: true }, path, status: 403 });
  return calls;
}

/** `/api/v1/hosts/{name}` → a pattern a concrete path must match, so each call exercises the operation it is listed under. */
const pathPattern = (template: string) => new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`);

function arrayAt(body: unknown, dottedPath: string): unknown {
  return dottedPath
    .split('.')
    .reduce<unknown>((value, key) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined), body);
}

function headerSchema(header: unknown): JsonSchema {
  const resolved =
    typeof header === 'object' && header !== null && '$ref' in header
      ? document.components.headers[String(header.$ref).replace('#/components/headers/', '')]
      : header;
  return (resolved as { schema?: JsonSchema } | undefined)?.schema ?? {};
}

async function checkCall(key: string, method: string, template: string, operation: DocumentedOperation, planned: Call): Promise<void> {
  const where = `${key}: ${method} ${planned.path.slice(0, 120)} (expected ${planned.status})`;
  const url = new URL(planned.path, server.url);
  expect(url.pathname, `${where}: the call is not for this operation`).toMatch(pathPattern(template));
  const documentedQuery = new Set((operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name));
  for (const name of url.searchParams.keys()) expect(documentedQuery, `${where}: query parameter ${name} is not documented`).toContain(name);
  // What a caller sends by the document must be what the route accepts.
  if (planned.status < 300 && planned.json !== undefined) {
    const requestSchema = operation.requestBody?.content['application/json']?.schema;
    expect(requestSchema, `${where}: sends a body the document does not describe`).toBeDefined();
    expect(validator.errorsOf(requestSchema ?? {}, planned.json), `${where}: the body is invalid by the document`).toEqual([]);
  }

  const result = await call(server, planned.as, method, planned.path, {
    ...(planned.json !== undefined ? { json: planned.json } : {}),
    ...(planned.raw !== undefined ? { raw: planned.raw } : {}),
    ...(planned.contentType ? { contentType: planned.contentType } : {}),
    ...(planned.headers ? { headers: planned.headers } : {}),
  });
  expect(result.status, `${where}: ${result.text.slice(0, 300)}`).toBe(planned.status);
  const response = documentedResponse(document, operation, result.status);
  expect(response, `${where}: status ${result.status} is not documented for ${key}`).toBeDefined();
  const [mediaType, media] = Object.entries(response?.content ?? {})[0] ?? [];
  expect(mediaType, `${where}: no content documented`).toBeDefined();
  expect(result.headers.get('content-type') ?? '', where).toMatch(new RegExp(`^${(mediaType ?? '').replace('/', '\\/')}\\b`));
  const body: unknown = mediaType === 'application/json' ? result.body : result.text;
  expect(validator.errorsOf(media?.schema ?? {}, body), `${where}: the answer does not match the document`).toEqual([]);
  for (const [name, header] of Object.entries(response?.headers ?? {})) {
    const value = result.headers.get(name);
    expect(value, `${where}: header ${name} is documented but missing`).not.toBeNull();
    const schema = headerSchema(header);
    const typed = schema.type === 'integer' && /^\d+$/.test(value ?? '') ? Number(value) : value;
    expect(validator.errorsOf(schema, typed), `${where}: header ${name}: ${value}`).toEqual([]);
  }
  for (const path of planned.nonEmpty ?? []) {
    const list = arrayAt(body, path);
    expect(Array.isArray(list) && list.length > 0, `${where}: ${path} should not be empty, so that its rows were checked`).toBe(true);
  }
}

const builtDocument = buildOpenApiDocument() as unknown as ApiDocument;
const operations = documentedOperations(builtDocument);

beforeAll(async () => {
  server = await startAppServer();
  admin = await signInAdmin(server);
  await createSignedInUser(server, admin, 'openapi-viewer', 'viewer');
  viewerToken = { kind: 'bearer', token: await issueApiToken(server, 'openapi-viewer') };
  await post(admin, '/api/v1/users', { name: TARGET_USER, role: 'analyst' });
  webToken = { kind: 'bearer', token: (await post(admin, '/api/v1/hosts', { name: WEB, labels: ['dmz'] })).token as string };
  dbToken = { kind: 'bearer', token: await enrollHost(server, admin, DB) };
  await enrollHost(server, admin, SPARE);
  webSnapshots = [];
  for (const second of [false, true]) webSnapshots.push((await post(webToken, '/api/v1/snapshots', webSnapshot(second))).id as string);
  dbSnapshot = (await post(dbToken, '/api/v1/snapshots', makeSnapshot(DB))).id as string;
  // Rules to list: created here, so the list answers have rows whatever order the tests run in.
  await post(admin, '/api/v1/baselines', { host: WEB, port: 22, proto: 'tcp' });
  await post(admin, '/api/v1/expected-packages', { label: 'dmz', pattern: 'libssl*' });
  await post(admin, '/api/v1/promiscuous-rules', { pattern: 'openapi-mirror0' });
  const alerts = (await call(server, admin, 'GET', `/api/v1/alerts?host=${WEB}`)).body as { alerts: { id: number }[] };
  alertId = alerts.alerts[0]?.id ?? 0;
  expect(alertId, 'the seeded snapshots raise alerts').toBeGreaterThan(0);

  const served = await call(server, anonymous, 'GET', '/api/v1/openapi.json');
  expect(served.status).toBe(200);
  document = served.body as ApiDocument;
  validator = createSchemaValidator(document);
}, 180_000);

afterAll(async () => {
  await server?.dispose();
});

describe('the API document', () => {
  it('is served as built, an OpenAPI 3.1 document', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document).toEqual(builtDocument);
  });

  it('documents every route the app declares, with its method, and nothing else', () => {
    const declared = declaredRoutes().map((route) => `${route.method} ${openApiPath(route.route)}`);
    const documented = operations.map((operation) => operation.key);
    expect(
      declared.filter((key) => !documented.includes(key)),
      'routes missing from lib/openapi/operations.ts',
    ).toEqual([]);
    expect(
      documented.filter((key) => !declared.includes(key)),
      'documented operations no route serves',
    ).toEqual([]);
  });

  it('has a real call for every documented operation, and none for an undocumented one', () => {
    expect(
      operations.map((operation) => operation.key).filter((key) => !exercises[key]),
      'operations without calls in this test',
    ).toEqual([]);
    expect(
      Object.keys(exercises).filter((key) => !operations.some((operation) => operation.key === key)),
      'calls for operations not documented',
    ).toEqual([]);
  });
});

describe('every documented answer is what the route returns', () => {
  it.each(operations.map((operation) => [operation.key, operation] as const))('%s', async (key, { method, path: template }) => {
    const operation = document.paths[template]?.[method.toLowerCase()];
    expect(operation, `${key} is in the served document`).toBeDefined();
    if (!operation) return;
    const exercise = exercises[key];
    if (!exercise) throw new Error(`No calls for ${key}: add them to the exercises in this test.`);
    const planned = await exercise();
    const path = planned[0]?.path.split('?')[0] ?? template;
    const calls = [...planned, ...accessCalls(method, path, operation)];
    expect(
      calls.some((next) => next.status < 300),
      `${key}: no successful call`,
    ).toBe(true);
    if (!noProvokableError[key])
      expect(
        calls.some((next) => next.status >= 400),
        `${key}: no provoked error`,
      ).toBe(true);
    for (const next of calls) await checkCall(key, method, template, operation, next);
  });
});
