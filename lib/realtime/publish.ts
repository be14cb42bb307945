// Emits to the fleet room and the host's room. The socket.io server lives on globalThis because
// server.ts and the Next.js route handlers are bundled apart but share one process.
import type { Server } from 'socket.io';
import { FLEET_ROOM, hostRoom, type ClientToServerEvents, type ServerToClientEvents } from './events';

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents>;

const globalForRealtime = globalThis as typeof globalThis & { __sockscopeRealtime?: RealtimeServer };

export function setRealtimeServer(io: RealtimeServer): void {
  globalForRealtime.__sockscopeRealtime = io;
}

export function publishToHost<Event extends keyof ServerToClientEvents>(
  host: string,
  event: Event,
  ...payload: Parameters<ServerToClientEvents[Event]>
): void {
  const io = globalForRealtime.__sockscopeRealtime;
  if (!io) return;
  io.to([FLEET_ROOM, hostRoom(host)]).emit(event, ...payload);
}
