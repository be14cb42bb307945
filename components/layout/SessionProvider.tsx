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

/** fetch() for state-changing API calls from the dashboard. */
export async function sendJson(session: ClientSession, url: string, method: string, body?: unknown): Promise<Response> {
  return fetch(url, {
    method,
    headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
