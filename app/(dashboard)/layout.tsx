import Link from 'next/link';
import type { ReactNode } from 'react';
import { SessionProvider } from '@/components/layout/SessionProvider';
import { UserMenu } from '@/components/layout/UserMenu';
import { ConnectionBadge } from '@/components/realtime/ConnectionBadge';
import { RealtimeProvider } from '@/components/realtime/RealtimeProvider';
import { requirePageSession } from '@/lib/auth/page-session';

export const dynamic = 'force-dynamic';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const principal = await requirePageSession();
  const session = { name: principal.name, role: principal.role, csrfToken: principal.csrfToken ?? '' };
  return (
    <SessionProvider session={session}>
      <RealtimeProvider>
        <header className="border-b border-slate-800 bg-slate-900/80 light:border-slate-200 light:bg-white">
          <div className="mx-auto flex h-12 max-w-screen-2xl items-center gap-6 px-4">
            <Link href="/" className="font-semibold tracking-tight">
              <span aria-hidden>◉ </span>Sockscope
            </Link>
            <nav aria-label="Main" className="flex gap-4 text-sm">
              <Link href="/" className="text-slate-300 hover:text-white light:text-slate-700">
                Fleet
              </Link>
            </nav>
            <div className="ml-auto flex items-center gap-4">
              <ConnectionBadge />
              <UserMenu />
            </div>
          </div>
        </header>
        <main className="mx-auto max-w-screen-2xl px-4 py-6">{children}</main>
      </RealtimeProvider>
    </SessionProvider>
  );
}
