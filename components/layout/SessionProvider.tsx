'use client';
// The signed-in analyst and the CSRF token that state-changing requests must echo.
import { createContext, useContext, type ReactNode } from 'react';

export interface ClientSession {
  name: string;
  role: 'admin' | 'analyst' | 'viewer';
  csrfToken: string;
}

const SessionContext = createContext<ClientSession | null>(null);

export function SessionProvider({ session, children }: { session: ClientSession; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): ClientSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
