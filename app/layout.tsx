import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Sockscope', template: '%s · Sockscope' },
  description: 'Listening sockets, promiscuous interfaces and network paths of a fleet, live.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const theme = (await cookies()).get('theme')?.value === 'light' ? 'light' : '';
  return (
    <html lang="en" className={theme}>
      <body className="min-h-screen antialiased">{children}</body>
    </html>
  );
}
