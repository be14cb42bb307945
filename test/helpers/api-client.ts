// HTTP calls as each kind of caller makes them: nobody, a browser session (cookie + CSRF header),
// an API token, a collector's host token. And the check that an error answer is clean.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { TEST_ADMIN_PASSWORD, type AppServer } from './app-server';

export interface BrowserSession {
  kind: 'session';
  cookie: string;
  csrfToken: string;
  /** A forged request from another site carries the cookie but cannot know the CSRF token. */
  omitCsrf?: boolean;
}
export type Credential = { kind: 'anonymous' } | BrowserSession | { kind: 'bearer'; token: string };

export const anonymous: Credential = { kind: 'anonymous' };

export interface ApiResult {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer of any shape: the tests' assertions check it.
  body: any;
}

export interface CallOptions {
  /** A value to send as JSON. */
  json?: unknown;
  /** Bytes or text to send as they are. */
  raw?: string | Uint8Array;
  contentType?: string;
  headers?: Record<string, string>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const runCommand = promisify(execFile);

function credentialHeaders(credential: Credential, method: string): Record<string, string> {
  if (credential.kind === 'bearer') return { authorization: `Bearer ${credential.token}` };
  if (credential.kind === 'anonymous') return {};
  const headers: Record<string, string> = { cookie: credential.cookie };
  if (!SAFE_METHODS.has(method) && !credential.omitCsrf) headers['x-csrf-token'] = credential.csrfToken;
  return headers;
}

export async function call(server: AppServer, credential: Credential, method: string, path: string, options: CallOptions = {}): Promise<ApiResult> {
  const headers: Record<string, string> = { ...credentialHeaders(credential, method), ...options.headers };
  let body: string | Buffer | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = options.contentType ?? 'application/json';
  } else if (options.raw !== undefined) {
    body = typeof options.raw === 'string' ? options.raw : Buffer.from(options.raw);
    headers['content-type'] = options.contentType ?? 'application/json';
  }
  const response = await fetch(`${server.url}${path}`, { method, headers, body: body as BodyInit | undefined, redirect: 'manual' });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

// The sign-in limit counts per client address; each test client presents its own, as clients
// behind a reverse proxy do, so a suite's many sign-ins are not mistaken for guessing.
let clientAddress = 0;
const nextClientAddress = () => `198.51.100.${(clientAddress++ % 250) + 1}`;

export async function signIn(server: AppServer, name: string, password: string): Promise<BrowserSession> {
  const response = await fetch(`${server.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': nextClientAddress() },
    body: JSON.stringify({ name, password }),
  });
  if (!response.ok) throw new Error(`sign-in as ${name} failed: ${response.status} ${await response.text()}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { kind: 'session', cookie, csrfToken };
}

export const signInAdmin = (server: AppServer) => signIn(server, 'admin', TEST_ADMIN_PASSWORD);

export type Role = 'admin' | 'analyst' | 'viewer';

/** Creates an account through the admin API and signs it in. */
export async function createSignedInUser(
  server: AppServer,
  admin: Credential,
  name: string,
  role: Role,
): Promise<{ session: BrowserSession; password: string }> {
  const password = `${name}-password-long-enough`;
  const created = await call(server, admin, 'POST', '/api/v1/users', { json: { name, role, password } });
  if (created.status !== 201) throw new Error(`creating ${name} failed: ${created.status} ${created.text}`);
  return { session: await signIn(server, name, password), password };
}

/**
 * An API token for an existing account, minted as the machine's operator does it (`npm run admin --
 * api-token`): an admin mints tokens for their own account only.
 */
export async function issueApiToken(server: AppServer, userName: string): Promise<string> {
  const { stdout } = await runCommand(process.execPath, ['--import', 'tsx', 'lib/admin/cli.ts', 'api-token', userName], {
    cwd: process.cwd(),
    env: { ...process.env, DATABASE_URL: '', ...server.env },
  });
  const token = stdout.trim();
  if (!/^ssa_\S+$/.test(token)) throw new Error(`api-token ${userName} printed ${JSON.stringify(stdout.slice(0, 40))}`);
  return token;
}

export async function enrollHost(server: AppServer, admin: Credential, name: string): Promise<string> {
  const enrolled = await call(server, admin, 'POST', '/api/v1/hosts', { json: { name } });
  if (enrolled.status !== 201) throw new Error(`enrolling ${name} failed: ${enrolled.status} ${enrolled.text}`);
  return enrolled.body.token as string;
}

/** Signs of internals that must never reach a client: stack frames, source paths, driver errors. */
const internalsPattern =
  /\n\s+at |\bat [\w.<>]+ \(|node_modules|\/work\/|\.ts:\d+|Prisma|PrismaClient|ECONNREFUSED|DriverAdapter|invalid byte sequence|SQLSTATE/;

/** A clean refusal: the expected (or some 4xx) status, the one error shape, nothing internal. */
export function expectCleanError(result: ApiResult, expectedStatus?: number | number[], context = ''): void {
  const where = `${context} → ${result.status} ${result.text.slice(0, 300)}`;
  if (expectedStatus !== undefined) {
    expect([expectedStatus].flat(), where).toContain(result.status);
  } else {
    expect(result.status, where).toBeGreaterThanOrEqual(400);
    expect(result.status, where).toBeLessThan(500);
  }
  expect(result.headers.get('content-type') ?? '', where).toMatch(/^application\/json/);
  expect(result.body, where).toBeTypeOf('object');
  expect(Object.keys(result.body), where).toEqual(['error']);
  const error = result.body.error as Record<string, unknown>;
  expect(typeof error.code, where).toBe('string');
  expect(typeof error.message, where).toBe('string');
  for (const key of Object.keys(error)) expect(['code', 'message', 'fields'], where).toContain(key);
  if (error.fields !== undefined) {
    expect(Array.isArray(error.fields), where).toBe(true);
    for (const field of error.fields as Record<string, unknown>[]) {
      expect(typeof field.path, where).toBe('string');
      expect(typeof field.message, where).toBe('string');
    }
  }
  expect(result.text, where).not.toMatch(internalsPattern);
}

export interface LiveConnection {
  /** 'connected', or the server's refusal ('unauthorized'). */
  outcome: string;
  socket: import('socket.io-client').Socket;
  /** Resolves with the reason once the connection is closed. */
  closed: Promise<string>;
}

/** Opens a dashboard's socket.io connection with the credential (cookie or API token). */
export async function connectLive(server: AppServer, credential: Credential): Promise<LiveConnection> {
  const { io } = await import('socket.io-client');
  const socket = io(server.url, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: credential.kind === 'session' ? { cookie: credential.cookie } : {},
    auth: credential.kind === 'bearer' ? { token: credential.token } : {},
  });
  const closed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
  const outcome = await new Promise<string>((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (error) => resolve(error.message));
  });
  return { outcome, socket, closed };
}
