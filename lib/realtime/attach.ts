// socket.io on the app's HTTP server: a connection needs a valid analyst session (cookie) or API
// token; it then joins the fleet room and may subscribe to host rooms.
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { principalFromHeaders } from '@/lib/auth/principal';
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { FLEET_ROOM, hostRoom, subscriptionSchema, type ClientToServerEvents, type ServerToClientEvents } from './events';
import { setRealtimeServer, type RealtimeServer } from './publish';

export function attachRealtime(httpServer: HttpServer, getPrisma: () => Promise<PrismaClient>): RealtimeServer {
  const io: RealtimeServer = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    serveClient: false,
    maxHttpBufferSize: 16 * 1024,
    // Same origin only: the dashboard is served from this server.
    cors: { origin: false },
  });
  io.use(async (socket, next) => {
    try {
      const headers = socket.handshake.headers;
      const authToken = typeof socket.handshake.auth?.token === 'string' ? `Bearer ${socket.handshake.auth.token}` : null;
      const principal = await principalFromHeaders(await getPrisma(), {
        cookie: headers.cookie ?? null,
        authorization: authToken ?? headers.authorization ?? null,
      });
      if (!principal) return next(new Error('unauthorized'));
      socket.data.principal = principal;
      next();
    } catch {
      next(new Error('unavailable'));
    }
  });
  io.on('connection', (socket) => {
    void socket.join(FLEET_ROOM);
    socket.on('subscribe', (payload) => {
      const parsed = subscriptionSchema.safeParse(payload);
      if (parsed.success) void socket.join(hostRoom(parsed.data.host));
    });
    socket.on('unsubscribe', (payload) => {
      const parsed = subscriptionSchema.safeParse(payload);
      if (parsed.success) void socket.leave(hostRoom(parsed.data.host));
    });
  });
  setRealtimeServer(io);
  return io;
}
