// POST /internal/admin: admin commands for the CLI on this machine (lib/admin/cli.ts reaches an
// embedded database through the running server). Loopback only, with the secret from DATA_DIR;
// anything else is a plain 404.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { runAdminCommand, type AdminCommand } from '@/lib/admin/commands';
import type { ServerHandle } from '@/lib/admin/server-handle';
import { secretsMatch } from '@/lib/auth/secrets';
import type { Database } from '@/lib/db/open-database';
import { errorResponse } from '@/lib/http/respond';

export const ADMIN_PATH = '/internal/admin';

const loopbackAddresses = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export async function serveAdminRequest(request: IncomingMessage, response: ServerResponse, database: Database, handle: ServerHandle | null): Promise<void> {
  const send = (status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  const secret = request.headers['x-sockscope-admin-secret'];
  const allowed =
    request.method === 'POST' &&
    handle !== null &&
    loopbackAddresses.has(request.socket.remoteAddress ?? '') &&
    typeof secret === 'string' &&
    secretsMatch(secret, handle.secret);
  if (!allowed) return send(404, { error: { code: 'not_found', message: 'Not found.' } });
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    // Whatever arrived: runAdminCommand parses it with its schema.
    const line = await runAdminCommand(database.prisma, JSON.parse(Buffer.concat(chunks).toString('utf8')) as AdminCommand);
    send(200, { line });
  } catch (error) {
    const failure = errorResponse(error);
    send(failure.status, await failure.json());
  }
}
