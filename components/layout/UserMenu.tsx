'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { signOut as endSession } from '@/components/api/client';
import { useSession } from './SessionProvider';

export function UserMenu() {
  const session = useSession();
  const router = useRouter();
  const signOut = async () => {
    // Signed out or not (the session may be gone already), the sign-in page is where to go.
    await endSession(session).catch(() => undefined);
    router.push('/login');
    router.refresh();
  };
  const toggleTheme = () => {
    const light = document.documentElement.classList.toggle('light');
    document.cookie = `theme=${light ? 'light' : 'dark'}; Path=/; Max-Age=31536000; SameSite=Lax`;
  };
  return (
    <div className="flex items-center gap-3 text-sm">
      <button
        type="button"
        onClick={toggleTheme}
        className="rounded px-2 py-1 text-slate-400 light:text-slate-600 hover:bg-slate-800 light:hover:bg-slate-200"
        aria-label="Switch between dark and light theme"
      >
        ◐ Theme
      </button>
      <Link
        href="/account"
        className="rounded px-2 py-1 text-slate-400 hover:bg-slate-800 light:text-slate-600 light:hover:bg-slate-200"
        title="Your account: change your password"
      >
        {session.name} <span className="text-xs text-slate-500">({session.role})</span>
      </Link>
      <button
        type="button"
        onClick={() => void signOut()}
        className="rounded border border-slate-700 px-2 py-1 hover:bg-slate-800 light:border-slate-300 light:hover:bg-slate-200"
      >
        Sign out
      </button>
    </div>
  );
}
