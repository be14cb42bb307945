'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';

const items = [
  { href: '/', label: 'Fleet', isActive: (path: string) => path === '/' || path.startsWith('/hosts') },
  { href: '/alerts', label: 'Alerts', isActive: (path: string) => path.startsWith('/alerts') },
  { href: '/search', label: 'Search', isActive: (path: string) => path.startsWith('/search') },
] as const;

export function MainNav() {
  const pathname = usePathname() ?? '/';
  return (
    <nav aria-label="Main" className="flex gap-1 text-sm">
      {items.map((item) => {
        const isActive = item.isActive(pathname);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={isActive ? 'page' : undefined}
            className={`rounded px-2 py-1 ${isActive ? 'bg-slate-800 text-white light:bg-slate-200 light:text-slate-900' : 'text-slate-300 hover:text-white light:text-slate-700 light:hover:text-slate-900'}`}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
