// Emits to the fleet room and the host's room, through the process's one socket.io server
// (lib/process-state.ts), from server.ts and the route handlers alike.
import type { Server } from 'socket.io';
import { getProcessState, setProcessState } from '@/lib/process-state';
import { FLEET_ROOM, hostRoom, type ClientToServerEvents, type ServerToClientEvents } from './events';

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents>;

export function setRealtimeServer(io: RealtimeServer): void {
  setProcessState('realtime', io);
}

export function publishToHost<Event extends keyof ServerToClientEvents>(host: string, event: Event, ...payload: Parameters<ServerToClientEvents[Event]>): void {
  const io = getProcessState('realtime');
  if (!io) return;
  io.to([FLEET_ROOM, hostRoom(host)]).emit(event, ...payload);
}
