// Open socket.io connections, by who opened them: signing out or disabling an account cuts them
// at once (the handshake check alone would only stop the next reconnect). The socket.io server is
// the process's one (lib/process-state.ts), set by lib/realtime/attach.ts.
import { getProcessState } from '@/lib/process-state';

export const userRoom = (userId: number) => `user:${userId}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
/** Connections a user opened with an API token rather than a browser session. */
export const apiTokenRoom = (userId: number) => `user:${userId}:api`;

/** Disconnects every socket of the user or the session (on every node, through the adapter). */
export function endLiveConnections(target: { userId?: number; sessionId?: string; apiTokensOf?: number }): void {
  const io = getProcessState('realtime');
  if (!io) return;
  const rooms = [
    ...(target.userId !== undefined ? [userRoom(target.userId)] : []),
    ...(target.sessionId !== undefined ? [sessionRoom(target.sessionId)] : []),
    ...(target.apiTokensOf !== undefined ? [apiTokenRoom(target.apiTokensOf)] : []),
  ];
  if (rooms.length > 0) io.in(rooms).disconnectSockets(true);
}
