import { z } from 'zod';
import { endLiveConnections } from '@/lib/auth/live-connections';
import { readCookie, SESSION_COOKIE } from '@/lib/auth/principal';
import { admitPasswordAttempt, recordPasswordFailure } from '@/lib/auth/sign-in-throttle';
import { clientAddress } from '@/lib/http/client-address';
import { AppError } from '@/lib/errors';
import { readJsonBody } from '@/lib/http/read-json-body';
import { getPrisma } from '@/lib/db/client';
import { getConfig } from '@/lib/config';
import { handle, json } from '@/lib/http/respond';
import { signIn, signOut } from '@/lib/users/users';

const credentialsSchema = z.strictObject({ name: z.string().min(1).max(64), password: z.string().min(1).max(1024) });

function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

function isSecure(request: Request): boolean {
  return new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
}

/** Sign in: JSON {name, password} → 200 {name, role, csrfToken} and the session cookie. */
export const POST = handle(async (request: Request) => {
  const credentials = credentialsSchema.parse(await readJsonBody(request));
  const address = clientAddress(request, getConfig().SOCKSCOPE_TRUST_PROXY);
  admitPasswordAttempt(credentials.name, address);
  const prisma = await getPrisma();
  const session = await signIn(prisma, credentials.name, credentials.password);
  if (!session) {
    recordPasswordFailure(credentials.name, address);
    throw new AppError('unauthorized', 'Wrong name or password.');
  }
  const maxAge = Math.floor((session.expiresAt.getTime() - Date.now()) / 1000);
  return json({ name: credentials.name, role: session.role, csrfToken: session.csrfToken }, 200, {
    'set-cookie': sessionCookie(session.token, maxAge, isSecure(request)),
  });
});

/** Sign out: ends the session on the server, cuts its live connections and clears the cookie. */
export const DELETE = handle(async (request: Request) => {
  const token = readCookie(request.headers.get('cookie'), SESSION_COOKIE);
  if (token) endLiveConnections({ sessionId: await signOut(await getPrisma(), token) });
  return json({ signedOut: true }, 200, { 'set-cookie': sessionCookie('', 0, isSecure(request)) });
});
