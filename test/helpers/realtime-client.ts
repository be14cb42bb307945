// A socket.io client as a dashboard tab would open it, recording every event it receives.
import { io, type Socket } from 'socket.io-client';
import type { ServerToClientEvents } from '@/lib/realtime/events';
import type { AppServer } from './app-server';

interface RecordedEvent {
  event: keyof ServerToClientEvents;
  payload: Record<string, unknown>;
  at: number;
}

export interface RecordingClient {
  socket: Socket;
  events: RecordedEvent[];
  waitFor: (predicate: (event: RecordedEvent) => boolean, timeoutMs?: number) => Promise<RecordedEvent>;
  close: () => void;
}

export async function connectRecordingClient(server: AppServer, cookie: string): Promise<RecordingClient> {
  const socket = io(server.url, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false });
  const events: RecordedEvent[] = [];
  socket.onAny((event: keyof ServerToClientEvents, payload: Record<string, unknown>) => events.push({ event, payload, at: Date.now() }));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return {
    socket,
    events,
    waitFor(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          const found = events.find(predicate);
          if (found) return resolve(found);
          if (Date.now() - started > timeoutMs) return reject(new Error(`no matching event in ${timeoutMs} ms; saw: ${events.map((e) => e.event).join(', ')}`));
          setTimeout(check, 50);
        };
        check();
      });
    },
    close: () => socket.close(),
  };
}
