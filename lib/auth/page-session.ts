// Server components: the signed-in analyst, or a redirect to the sign-in page.
import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getPrisma } from '@/lib/db/client';
import { principalFromSession, SESSION_COOKIE, type Principal } from './principal';

export async function currentPrincipal(): Promise<Principal | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value ?? null;
  return principalFromSession(await getPrisma(), token);
}

export async function requirePageSession(): Promise<Principal> {
  const principal = await currentPrincipal();
  if (!principal) redirect('/login');
  return principal;
}
