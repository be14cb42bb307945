// Server components: the signed-in analyst, checked where a page reads its data.
//
// A layout is no gate: for a client navigation or a prefetch (an RSC request naming the layout in
// Next-Router-State-Tree) Next.js renders the page alone, and even for a document it renders layout
// and page side by side, so the page's data would stream into the very answer that redirects to
// /login. So every page and every server component that reads data takes the database from
// `readPageData()`, which checks the session first; none imports `getPrisma` (a test checks).
import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getPrisma } from '@/lib/db/client';
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { principalFromSession, SESSION_COOKIE, type Principal } from './principal';

/** The browser session of this request, looked up once however many components ask. */
export const currentPrincipal = cache(async (): Promise<Principal | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value ?? null;
  return principalFromSession(await getPrisma(), token);
});

/** The signed-in analyst (any role: every page is for viewers up), or a redirect to the sign-in page. */
export async function requirePageSession(): Promise<Principal> {
  const principal = await currentPrincipal();
  if (!principal) redirect('/login');
  return principal;
}

export interface PageData {
  principal: Principal;
  prisma: PrismaClient;
}

/** The only way a page or server component reaches the database: after the session check. */
export async function readPageData(): Promise<PageData> {
  const principal = await requirePageSession();
  return { principal, prisma: await getPrisma() };
}
