import Link from 'next/link';
import type { ReactNode } from 'react';
import { PROMISCUOUS_ON_KIND } from '@/components/alerts/alert-kinds';
import { PromiscuousBanner } from '@/components/alerts/PromiscuousBanner';
import { GeneratedPasswordBanner } from '@/components/account/GeneratedPasswordBanner';
import { MainNav } from '@/components/layout/MainNav';
import { SessionProvider } from '@/components/layout/SessionProvider';
import { UserMenu } from '@/components/layout/UserMenu';
import { ConnectionBadge } from '@/components/realtime/ConnectionBadge';
import { RealtimeProvider } from '@/components/realtime/RealtimeProvider';
import { listAlerts } from '@/lib/alerts/list-alerts';
import { readPageData } from '@/lib/auth/page-session';
import { isPasswordGenerated } from '@/lib/users/passwords';

export const dynamic = 'force-dynamic';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const { principal, prisma } = await readPageData();
  const session = { name: principal.name, role: principal.role, csrfToken: principal.csrfToken ?? '' };
  const [openSnifferAlerts, passwordGenerated] = await Promise.all([
    listAlerts(prisma, { state: 'open', kind: PROMISCUOUS_ON_KIND, limit: 100 }),
    isPasswordGenerated(prisma, principal.name),
  ]);
  return (
    <SessionProvider session={session}>
      <RealtimeProvider>
        <header className="border-b border-slate-800 bg-slate-900/80 light:border-slate-200 light:bg-white">
          <div className="mx-auto flex h-12 max-w-screen-2xl items-center gap-6 px-4">
            <Link href="/" className="font-semibold tracking-tight">
              <span aria-hidden>◉ </span>Sockscope
            </Link>
            <MainNav />
            <div className="ml-auto flex items-center gap-4">
              <ConnectionBadge />
              <UserMenu />
            </div>
          </div>
        </header>
        {passwordGenerated && <GeneratedPasswordBanner />}
        <PromiscuousBanner initial={openSnifferAlerts} />
        <main className="mx-auto max-w-screen-2xl px-4 py-6">{children}</main>
      </RealtimeProvider>
    </SessionProvider>
  );
}
