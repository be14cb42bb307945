// socket.io on the app's HTTP server: a connection needs a valid analyst session (cookie) or API
// token; it then joins the fleet room and may subscribe to host rooms. Signing out or disabling
// the account cuts the connection; a periodic re-check catches expired sessions and revoked tokens.
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';

type Socket = { handshake: { headers: IncomingMessage['headers']; auth: Record<string, unknown> } };
/** What an admitted connection carries (socket.io types it `any`). */
type ConnectionData = { principal: Principal };
import { apiTokenRoom, sessionRoom, userRoom } from '@/lib/auth/live-connections';
import { principalFromHeaders, type Principal } from '@/lib/auth/principal';
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { getConfig } from '@/lib/config';
import { FLEET_ROOM, hostRoom, subscriptionSchema, type ClientToServerEvents, type ServerToClientEvents } from './events';
import { setRealtimeServer, type RealtimeServer } from './publish';
import { attachRedisAdapter } from './redis-adapter';

/** How often open connections are checked against the database (expired session, revoked token). */
const RECHECK_INTERVAL_MS = 60_000;

export function attachRealtime(httpServer: HttpServer, getPrisma: () => Promise<PrismaClient>): RealtimeServer {
  const io: RealtimeServer = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    serveClient: false,
    maxHttpBufferSize: 16 * 1024,
    // Same origin only: the dashboard is served from this server.
    cors: { origin: false },
    // CORS does not cover WebSocket upgrades: refuse a browser page of another origin outright.
    allowRequest: (request, callback) => callback(null, isSameOrigin(request)),
  });
  // More than one node: broadcasts reach every node's sockets through Redis (redis-adapter.ts).
  const config = getConfig();
  if (config.REDIS_URL) attachRedisAdapter(io, config.REDIS_URL, { keyPrefix: config.SOCKSCOPE_REDIS_PREFIX });
  const authenticate = async (socket: Socket) => {
    const headers = socket.handshake.headers;
    const authToken = typeof socket.handshake.auth?.token === 'string' ? `Bearer ${socket.handshake.auth.token}` : null;
    return principalFromHeaders(await getPrisma(), {
      cookie: headers.cookie ?? null,
      authorization: authToken ?? headers.authorization ?? null,
    });
  };
  // socket.io does not await a middleware: its answer goes through next().
  io.use((socket, next) => {
    void (async () => {
      try {
        const principal = await authenticate(socket);
        if (!principal) return next(new Error('unauthorized'));
        (socket.data as ConnectionData).principal = principal;
        next();
      } catch {
        next(new Error('unavailable'));
      }
    })();
  });
  io.on('connection', (socket) => {
    const { principal } = socket.data as ConnectionData;
    const credentialRoom = principal.sessionId ? sessionRoom(principal.sessionId) : apiTokenRoom(principal.userId);
    void socket.join([FLEET_ROOM, userRoom(principal.userId), credentialRoom]);
    socket.on('subscribe', (payload) => {
      const parsed = subscriptionSchema.safeParse(payload);
      if (parsed.success) void socket.join(hostRoom(parsed.data.host));
    });
    socket.on('unsubscribe', (payload) => {
      const parsed = subscriptionSchema.safeParse(payload);
      if (parsed.success) void socket.leave(hostRoom(parsed.data.host));
    });
  });
  const recheck = setInterval(() => void disconnectInvalid(io, authenticate), RECHECK_INTERVAL_MS);
  recheck.unref();
  httpServer.once('close', () => clearInterval(recheck));
  setRealtimeServer(io);
  return io;
}

/** Each node re-checks its own sockets; a database that is down keeps them (they are checked again later). */
async function disconnectInvalid(io: RealtimeServer, authenticate: (socket: Socket) => Promise<Principal | null>): Promise<void> {
  for (const socket of io.of('/').sockets.values()) {
    const principal = await authenticate(socket).catch(() => undefined);
    if (principal === null) socket.disconnect(true);
  }
}

/** Browsers always send Origin on a WebSocket or cross-site request; tools that send none are let through to the session check. */
function isSameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  const forwardedHost = request.headers['x-forwarded-host'];
  const hosts = [request.headers.host, ...(typeof forwardedHost === 'string' ? forwardedHost.split(',').map((host) => host.trim()) : [])];
  return hosts.some((host) => host !== undefined && host.toLowerCase() === originHost.toLowerCase());
}
