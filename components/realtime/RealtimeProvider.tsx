'use client';
// One socket.io connection per tab. Components listen with useRealtimeEvent; after a reconnect
// they get `resyncToken` bumped so they refetch what they may have missed.
import { createContext, useContext, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/realtime/events';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';
type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface RealtimeContextValue {
  socket: AppSocket | null;
  state: ConnectionState;
  resyncToken: number;
}

const RealtimeContext = createContext<RealtimeContextValue>({ socket: null, state: 'connecting', resyncToken: 0 });

export function RealtimeProvider({ children }: { children: ReactNode }) {
  const [socket, setSocket] = useState<AppSocket | null>(null);
  const [state, setState] = useState<ConnectionState>('connecting');
  const [resyncToken, setResyncToken] = useState(0);
  const everConnected = useRef(false);

  useEffect(() => {
    const connection: AppSocket = io({ withCredentials: true, transports: ['websocket', 'polling'] });
    connection.on('connect', () => {
      setState('live');
      if (everConnected.current) setResyncToken((token) => token + 1);
      everConnected.current = true;
    });
    connection.on('disconnect', () => setState('reconnecting'));
    connection.on('connect_error', () => setState(everConnected.current ? 'reconnecting' : 'connecting'));
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the socket exists only in the browser: created here, handed to the context once.
    setSocket(connection);
    return () => {
      connection.close();
    };
  }, []);

  return <RealtimeContext.Provider value={{ socket, state, resyncToken }}>{children}</RealtimeContext.Provider>;
}

export function useRealtime(): RealtimeContextValue {
  return useContext(RealtimeContext);
}

export function useRealtimeEvent<Event extends keyof ServerToClientEvents>(event: Event, handler: ServerToClientEvents[Event]): void {
  useRealtimeEvents({ [event]: handler });
}

export type LiveHandlers = Partial<ServerToClientEvents>;

/** Listens to several events while mounted; the handlers may change on every render, the events may not. */
export function useRealtimeEvents(handlers: LiveHandlers): void {
  const { socket } = useRealtime();
  const latest = useRef(handlers);
  // Kept current after each commit, before any event reaches a listener.
  useLayoutEffect(() => {
    latest.current = handlers;
  });
  const events = Object.keys(handlers).sort().join(' ');
  useEffect(() => {
    if (!socket || !events) return;
    const listeners = events.split(' ').map((event) => {
      const listener = (...args: unknown[]) => (latest.current[event as keyof ServerToClientEvents] as ((...a: unknown[]) => void) | undefined)?.(...args);
      socket.on(event as keyof ServerToClientEvents, listener);
      return [event, listener] as const;
    });
    return () => {
      for (const [event, listener] of listeners) socket.off(event as keyof ServerToClientEvents, listener);
    };
  }, [socket, events]);
}

/** Joins the host's room while mounted (and again after every reconnect). */
export function useHostSubscription(host: string): void {
  const { socket, resyncToken } = useRealtime();
  useEffect(() => {
    if (!socket) return;
    const join = () => socket.emit('subscribe', { host });
    if (socket.connected) join();
    socket.on('connect', join);
    return () => {
      socket.off('connect', join);
      socket.emit('unsubscribe', { host });
    };
  }, [socket, host, resyncToken]);
}
