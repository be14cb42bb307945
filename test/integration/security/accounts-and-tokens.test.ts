// Accounts and credentials as an admin manages them through the API: accounts with roles,
// disabling, sign-out, session expiry, API tokens, host tokens (rotate, revoke) — each change in
// the audit log, and no secret in the server's output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  connectLive,
  createSignedInUser,
  enrollHost,
  expectCleanError,
  issueApiToken,
  signIn,
  signInAdmin,
  type BrowserSession,
  type Credential,
} from '@/test/helpers/api-client';
import { TEST_ADMIN_PASSWORD } from '@/test/helpers/app-server';
import { startInspectableServer, type InspectableServer } from '@/test/helpers/server-database';
import { makeSnapshot } from '@/test/helpers/snapshots';

let server: InspectableServer;
let admin: BrowserSession;
/** Every secret handed out in this file: none may ever appear in the server's output. */
const secrets: string[] = [];

beforeAll(async () => {
  server = await startInspectableServer();
  admin = await signInAdmin(server.current);
  secrets.push(admin.cookie.split('=')[1] ?? '', admin.csrfToken);
});
afterAll(async () => {
  await server?.dispose();
});

const bearer = (token: string): Credential => ({ kind: 'bearer', token });

/** The audit trail of one target as an admin reads it, oldest first. */
async function auditEntries(target: string): Promise<{ action: string; actorName: string; detail: unknown }[]> {
  const result = await call(server.current, admin, 'GET', `/api/v1/audit?target=${encodeURIComponent(target)}`);
  expect(result.status).toBe(200);
  return [...(result.body.entries as { action: string; actorName: string; detail: unknown }[])].reverse();
}

describe('accounts', () => {
  it('are created by an admin with a role; a generated password is shown once and signs in', async () => {
    const created = await call(server.current, admin, 'POST', '/api/v1/users', { json: { name: 'ana', role: 'analyst' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ name: 'ana', role: 'analyst', password: expect.any(String) });
    const password = created.body.password as string;
    secrets.push(password);
    expect(password.length).toBeGreaterThanOrEqual(16);
    const session = await signIn(server.current, 'ana', password);
    const me = await call(server.current, session, 'POST', '/api/v1/users', { json: { name: 'eve', role: 'admin' } });
    expectCleanError(me, 403);

    const again = await call(server.current, admin, 'POST', '/api/v1/users', { json: { name: 'ana', role: 'viewer' } });
    expectCleanError(again, 409);
    const weak = await call(server.current, admin, 'POST', '/api/v1/users', { json: { name: 'weak', role: 'viewer', password: 'short' } });
    expectCleanError(weak, 400);
    expect(weak.body.error.fields[0].path).toBe('password');

    const list = await call(server.current, admin, 'GET', '/api/v1/users');
    expect(list.body.users.map((user: { name: string; role: string }) => `${user.name}:${user.role}`)).toEqual(['admin:admin', 'ana:analyst']);
    expect(list.text).not.toMatch(/scrypt|passwordHash/);
  });

  it('disabled: sessions, API tokens and live connections end at once and do not come back when re-enabled', async () => {
    const { session, password } = await createSignedInUser(server.current, admin, 'mallory', 'analyst');
    const token = await issueApiToken(server.current, 'mallory');
    secrets.push(password, token);
    const bySession = await connectLive(server.current, session);
    const byToken = await connectLive(server.current, bearer(token));
    expect([bySession.outcome, byToken.outcome]).toEqual(['connected', 'connected']);

    const disabled = await call(server.current, admin, 'PATCH', '/api/v1/users/mallory', { json: { disabled: true } });
    expect(disabled.status).toBe(200);
    expect(disabled.body.user).toMatchObject({ name: 'mallory', disabledAt: expect.any(String), liveApiTokens: 0 });
    expect(await bySession.closed).toBe('io server disconnect');
    expect(await byToken.closed).toBe('io server disconnect');
    expectCleanError(await call(server.current, session, 'GET', '/api/v1/hosts'), 401);
    expectCleanError(await call(server.current, bearer(token), 'GET', '/api/v1/hosts'), 401);
    expect((await connectLive(server.current, session)).outcome).toBe('unauthorized');
    await expect(signIn(server.current, 'mallory', password)).rejects.toThrow(/401/);

    const enabled = await call(server.current, admin, 'PATCH', '/api/v1/users/mallory', { json: { disabled: false } });
    expect(enabled.status).toBe(200);
    expectCleanError(await call(server.current, session, 'GET', '/api/v1/hosts'), 401);
    expectCleanError(await call(server.current, bearer(token), 'GET', '/api/v1/hosts'), 401);
    const fresh = await signIn(server.current, 'mallory', password);
    expect((await call(server.current, fresh, 'GET', '/api/v1/hosts')).status).toBe(200);

    const audit = await auditEntries('user:mallory');
    expect(audit.map((entry) => `${entry.actorName} ${entry.action}`)).toEqual([
      'admin user.create',
      'admin-cli api-token.issue',
      'admin user.disable',
      'admin user.enable',
    ]);
    expect(audit[2]?.detail).toEqual({ sessionsEnded: 1, apiTokensRevoked: 1 });
  });

  it('an admin cannot lock the last admin out, nor disable or demote themselves', async () => {
    expectCleanError(await call(server.current, admin, 'PATCH', '/api/v1/users/admin', { json: { disabled: true } }), 409);
    expectCleanError(await call(server.current, admin, 'PATCH', '/api/v1/users/admin', { json: { role: 'viewer' } }), 409);
    const { session: second } = await createSignedInUser(server.current, admin, 'second-admin', 'admin');
    expectCleanError(await call(server.current, second, 'PATCH', '/api/v1/users/second-admin', { json: { disabled: true } }), 409);
    // With another admin present, one admin may demote the other.
    const demoted = await call(server.current, second, 'PATCH', '/api/v1/users/admin', { json: { role: 'analyst' } });
    expect(demoted.body.user.role).toBe('analyst');
    expectCleanError(await call(server.current, admin, 'GET', '/api/v1/users'), 403);
    const restored = await call(server.current, second, 'PATCH', '/api/v1/users/admin', { json: { role: 'admin' } });
    expect(restored.status).toBe(200);
    expect((await call(server.current, admin, 'GET', '/api/v1/users')).status).toBe(200);
  });

  it('API tokens revoked by an admin stop working, and their live connections are cut', async () => {
    await call(server.current, admin, 'POST', '/api/v1/users', { json: { name: 'robot', role: 'viewer' } });
    const token = await issueApiToken(server.current, 'robot');
    secrets.push(token);
    const live = await connectLive(server.current, bearer(token));
    expect(live.outcome).toBe('connected');
    const revoked = await call(server.current, admin, 'DELETE', '/api/v1/users/robot/api-tokens');
    expect(revoked.body).toEqual({ revoked: 1 });
    expect(await live.closed).toBe('io server disconnect');
    expectCleanError(await call(server.current, bearer(token), 'GET', '/api/v1/alerts'), 401);
  });
});

describe('API tokens', () => {
  it("an admin mints them for their own account only, so what a token does is always its owner's doing; any admin revokes anyone's", async () => {
    const { session: otto } = await createSignedInUser(server.current, admin, 'otto', 'admin');
    await createSignedInUser(server.current, admin, 'vera', 'viewer');
    // Minting for someone else would let the minter act, and be audited, under that name.
    for (const name of ['otto', 'vera']) expectCleanError(await call(server.current, admin, 'POST', `/api/v1/users/${name}/api-tokens`), 403);
    expectCleanError(await call(server.current, admin, 'POST', '/api/v1/users/nobody-at-all/api-tokens'), 403);

    const minted = await call(server.current, otto, 'POST', '/api/v1/users/otto/api-tokens');
    expect(minted.status).toBe(201);
    const token = minted.body.token as string;
    secrets.push(token);
    expect((await call(server.current, bearer(token), 'POST', '/api/v1/hosts', { json: { name: 'otto-host' } })).status).toBe(201);
    expect((await auditEntries('host:otto-host')).map((entry) => `${entry.actorName} ${entry.action}`)).toEqual(['otto host.enroll']);

    const revoked = await call(server.current, admin, 'DELETE', '/api/v1/users/otto/api-tokens');
    expect(revoked.body).toEqual({ revoked: 1 });
    expectCleanError(await call(server.current, bearer(token), 'GET', '/api/v1/hosts'), 401);
    const audit = await auditEntries('user:otto');
    expect(audit.map((entry) => `${entry.actorName} ${entry.action}`)).toEqual(['admin user.create', 'otto api-token.issue', 'admin api-token.revoke']);
    expect((await auditEntries('user:vera')).map((entry) => entry.action)).toEqual(['user.create']);
  });
});

describe('sessions', () => {
  it('signing out ends the session on the server: the API refuses the cookie, the live connection is cut and cannot reconnect', async () => {
    const { session } = await createSignedInUser(server.current, admin, 'olga', 'viewer');
    const otherTab = await signIn(server.current, 'olga', 'olga-password-long-enough');
    const live = await connectLive(server.current, session);
    const otherLive = await connectLive(server.current, otherTab);
    expect(live.outcome).toBe('connected');

    const signedOut = await call(server.current, session, 'DELETE', '/api/v1/session');
    expect(signedOut.status).toBe(200);
    expect(signedOut.headers.get('set-cookie')).toMatch(/sockscope_session=;.*Max-Age=0/);
    expect(await live.closed).toBe('io server disconnect');
    expectCleanError(await call(server.current, session, 'GET', '/api/v1/hosts'), 401);
    expect((await connectLive(server.current, session)).outcome).toBe('unauthorized');
    // Another session of the same analyst is another sign-in: it stays.
    expect(otherLive.socket.connected).toBe(true);
    expect((await call(server.current, otherTab, 'GET', '/api/v1/hosts')).status).toBe(200);
    otherLive.socket.close();
  });

  it('the session cookie is HttpOnly and SameSite; a wrong password and an unknown name get the same answer', async () => {
    const response = await fetch(`${server.current.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
      body: JSON.stringify({ name: 'admin', password: TEST_ADMIN_PASSWORD }),
    });
    expect(response.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax; Max-Age=43\d\d\d/);
    const wrongPassword = await call(server.current, { kind: 'anonymous' }, 'POST', '/api/v1/session', {
      json: { name: 'admin', password: 'nope-nope-nope' },
      headers: { 'x-forwarded-for': '203.0.113.10' },
    });
    const unknownName = await call(server.current, { kind: 'anonymous' }, 'POST', '/api/v1/session', {
      json: { name: 'nobody', password: 'nope-nope-nope' },
      headers: { 'x-forwarded-for': '203.0.113.11' },
    });
    expectCleanError(wrongPassword, 401);
    expect(unknownName.status).toBe(wrongPassword.status);
    expect(unknownName.body).toEqual(wrongPassword.body);
  });

  it('guessing is slowed per address, with the real time left in Retry-After, and charges the account nothing once refused', async () => {
    const { password } = await createSignedInUser(server.current, admin, 'analyst1', 'analyst');
    secrets.push(password);
    const guess = (address: string, attempt: number, name = 'analyst1', guessed = `guess-${attempt}-long`) =>
      call(server.current, { kind: 'anonymous' }, 'POST', '/api/v1/session', { json: { name, password: guessed }, headers: { 'x-forwarded-for': address } });
    const windowStarted = Date.now();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt++) statuses.push((await guess('203.0.113.50', attempt)).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
    const refused = await guess('203.0.113.50', 11);
    expectCleanError(refused, 429);
    // The address's window is a minute from its first attempt: Retry-After says what is left of it.
    const secondsGone = Math.ceil((Date.now() - windowStarted) / 1000);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(60 - secondsGone);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    // Twenty more refused guesses from that address: none of them counts against analyst1.
    for (let attempt = 12; attempt < 32; attempt++) expect((await guess('203.0.113.50', attempt)).status).toBe(429);
    expect((await signIn(server.current, 'analyst1', password)).kind).toBe('session');
  });

  it('nobody can lock an account out: after wrong passwords from many addresses, the right one from a fresh address still signs in', async () => {
    const { password } = await createSignedInUser(server.current, admin, 'analyst2', 'analyst');
    secrets.push(password);
    const guess = (address: string, guessed: string) =>
      call(server.current, { kind: 'anonymous' }, 'POST', '/api/v1/session', {
        json: { name: 'analyst2', password: guessed },
        headers: { 'x-forwarded-for': address },
      });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 12; attempt++) statuses.push((await guess(`203.0.113.${100 + attempt}`, `guess-${attempt}-long`)).status);
    // Past ten failures the account is under attack: each fresh address still gets its one try...
    expect(statuses).toEqual(Array(12).fill(401));
    // ...an address that failed on it waits, even with the right password...
    const again = await guess('203.0.113.100', password);
    expectCleanError(again, 429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    // ...and the analyst, at an address of their own, signs in.
    const signedIn = await guess('192.0.2.44', password);
    expect(signedIn.status).toBe(200);
  });

  it('an expired session is refused, and expired sessions are purged at the next sign-in', async () => {
    const { session } = await createSignedInUser(server.current, admin, 'sleepy', 'viewer');
    await server.query(`UPDATE "Session" SET "expiresAt" = now() - interval '1 minute' WHERE "userId" = (SELECT id FROM "User" WHERE name = 'sleepy')`);
    expectCleanError(await call(server.current, session, 'GET', '/api/v1/hosts'), 401);
    expect((await connectLive(server.current, session)).outcome).toBe('unauthorized');
    await signIn(server.current, 'admin', TEST_ADMIN_PASSWORD);
    const [expired] = await server.query<{ count: string | number }>(`SELECT count(*) AS count FROM "Session" WHERE "expiresAt" < now()`);
    expect(Number(expired?.count)).toBe(0);
  });
});

describe('passwords', () => {
  const changePassword = (session: Credential, currentPassword: string, newPassword: string, headers: Record<string, string> = {}) =>
    call(server.current, session, 'POST', '/api/v1/account/password', { json: { currentPassword, newPassword }, headers });
  const hasPasswordBanner = async (session: BrowserSession) =>
    (await call(server.current, session, 'GET', '/')).text.includes('data-testid="generated-password-banner"');

  it('an analyst changes their own with the current one: other sessions end, this one stays, and the old password is dead', async () => {
    const created = await call(server.current, admin, 'POST', '/api/v1/users', { json: { name: 'petra', role: 'analyst' } });
    const generated = created.body.password as string;
    const session = await signIn(server.current, 'petra', generated);
    const otherDevice = await signIn(server.current, 'petra', generated);
    const otherLive = await connectLive(server.current, otherDevice);
    const token = await issueApiToken(server.current, 'petra');
    secrets.push(generated, token);
    // A generated password is flagged on every page until its owner chooses one.
    expect(await hasPasswordBanner(session)).toBe(true);

    const wrong = await changePassword(session, 'not-the-password', 'petras-own-password-1');
    expectCleanError(wrong, 403);
    expect(wrong.body.error.fields).toEqual([{ path: 'currentPassword', message: 'is wrong' }]);
    const short = await changePassword(session, generated, 'short');
    expectCleanError(short, 400);
    expect(short.body.error.fields[0].path).toBe('newPassword');
    expectCleanError(await changePassword(session, generated, generated), 400);
    expectCleanError(await changePassword({ ...session, omitCsrf: true }, generated, 'petras-own-password-1'), 403);
    // An API token is a script's credential, not a way to take the account over.
    expectCleanError(await changePassword(bearer(token), generated, 'petras-own-password-1'), 403);

    const newPassword = 'petras-own-password-1';
    secrets.push(newPassword);
    const changed = await changePassword(session, generated, newPassword);
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ changed: true, sessionsEnded: 1 });
    expect(await otherLive.closed).toBe('io server disconnect');
    expectCleanError(await call(server.current, otherDevice, 'GET', '/api/v1/hosts'), 401);
    expect((await call(server.current, session, 'GET', '/api/v1/hosts')).status).toBe(200);
    expect((await call(server.current, bearer(token), 'GET', '/api/v1/hosts')).status).toBe(200);
    await expect(signIn(server.current, 'petra', generated)).rejects.toThrow(/401/);
    expect((await signIn(server.current, 'petra', newPassword)).kind).toBe('session');
    expect(await hasPasswordBanner(session)).toBe(false);

    const audit = await auditEntries('user:petra');
    expect(audit.map((entry) => `${entry.actorName} ${entry.action}`)).toEqual([
      'admin user.create',
      'admin-cli api-token.issue',
      'petra user.password.change',
    ]);
    expect(audit[2]?.detail).toEqual({ sessionsEnded: 1 });
  });

  it('an admin resets another account to a generated password, shown once: its sessions end; an admin cannot reset their own', async () => {
    const { session, password } = await createSignedInUser(server.current, admin, 'quinn', 'viewer');
    const live = await connectLive(server.current, session);
    expect(await hasPasswordBanner(session)).toBe(false);
    const reset = await call(server.current, admin, 'POST', '/api/v1/users/quinn/password');
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ name: 'quinn', password: expect.any(String), sessionsEnded: 1 });
    const generated = reset.body.password as string;
    secrets.push(password, generated);
    expect(generated.length).toBeGreaterThanOrEqual(16);
    expect(await live.closed).toBe('io server disconnect');
    expectCleanError(await call(server.current, session, 'GET', '/api/v1/hosts'), 401);
    await expect(signIn(server.current, 'quinn', password)).rejects.toThrow(/401/);
    const again = await signIn(server.current, 'quinn', generated);
    expect(await hasPasswordBanner(again)).toBe(true);

    expectCleanError(await call(server.current, admin, 'POST', '/api/v1/users/admin/password'), 409);
    expectCleanError(await call(server.current, admin, 'POST', '/api/v1/users/nobody-here/password'), 404);
    const audit = await auditEntries('user:quinn');
    expect(audit.map((entry) => `${entry.actorName} ${entry.action}`)).toEqual(['admin user.create', 'admin user.password.reset']);
    expect(audit[1]?.detail).toEqual({ sessionsEnded: 1 });
  });

  it('guessing the current password through a stolen session is slowed like signing in', async () => {
    const { session, password } = await createSignedInUser(server.current, admin, 'rita', 'viewer');
    secrets.push(password);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt++)
      statuses.push((await changePassword(session, `guess-${attempt}`, 'ritas-own-password-1', { 'x-forwarded-for': '203.0.113.77' })).status);
    expect(statuses).toEqual([...Array(10).fill(403), 429]);
  });

  it('the first-run message tells the admin to change the printed password', () => {
    expect(server.output()).toMatch(/change it at once/);
  });
});

describe('host tokens', () => {
  it('are shown once, listed by prefix only, rotated and revoked by admins, and each change is audited', async () => {
    const first = await enrollHost(server.current, admin, 'db-01');
    secrets.push(first);
    expect(first).toMatch(/^ssh_[A-Za-z0-9_-]{43}$/);
    expect((await call(server.current, bearer(first), 'POST', '/api/v1/snapshots', { json: makeSnapshot('db-01') })).status).toBe(202);

    const listed = await call(server.current, admin, 'GET', '/api/v1/hosts/db-01/tokens');
    expect(listed.body.tokens).toEqual([{ prefix: first.slice(0, 10), createdAt: expect.any(String), revokedAt: null }]);
    expect(listed.text).not.toContain(first);

    const rotated = await call(server.current, admin, 'POST', '/api/v1/hosts/db-01/tokens');
    expect(rotated.status).toBe(201);
    const second = rotated.body.token as string;
    secrets.push(second);
    expect(second).not.toBe(first);
    expectCleanError(await call(server.current, bearer(first), 'POST', '/api/v1/snapshots', { json: makeSnapshot('db-01') }), 401);
    expect((await call(server.current, bearer(second), 'POST', '/api/v1/snapshots', { json: makeSnapshot('db-01') })).status).toBe(202);

    const revoked = await call(server.current, admin, 'DELETE', '/api/v1/hosts/db-01/tokens');
    expect(revoked.body).toEqual({ revoked: 1 });
    expectCleanError(await call(server.current, bearer(second), 'POST', '/api/v1/snapshots', { json: makeSnapshot('db-01') }), 401);
    const afterRevoke = await call(server.current, admin, 'GET', '/api/v1/hosts/db-01/tokens');
    expect(afterRevoke.body.tokens.every((token: { revokedAt: string | null }) => token.revokedAt !== null)).toBe(true);
    expectCleanError(await call(server.current, admin, 'POST', '/api/v1/hosts/no-such-host/tokens'), 404);

    const audit = await auditEntries('host:db-01');
    expect(audit.map((entry) => `${entry.actorName} ${entry.action}`)).toEqual(['admin host.enroll', 'admin host.token.rotate', 'admin host.token.revoke']);
    expect(JSON.stringify(audit)).not.toContain(first);
    expect(JSON.stringify(audit)).not.toContain(second);
    const [stored] = await server.query<{ hashes: string; password: string }>(
      `SELECT (SELECT string_agg("tokenHash", ',') FROM "HostToken") AS hashes, (SELECT "passwordHash" FROM "User" WHERE name = 'ana') AS password`,
    );
    expect(stored?.hashes).not.toContain(first.slice(4));
    // Passwords: scrypt with N = 2^15, r = 8 (32 MiB a guess) and a salt of their own.
    expect(stored?.password).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  });
});

describe('secrets in the server output', () => {
  it('no token, session cookie or generated password ever appears in what the server prints', () => {
    const printed = server.output();
    expect(printed).toContain('[sockscope]');
    expect(secrets.length).toBeGreaterThanOrEqual(8);
    for (const secret of secrets) expect(printed.includes(secret), `a secret starting ${secret.slice(0, 6)} was printed`).toBe(false);
  });
});
