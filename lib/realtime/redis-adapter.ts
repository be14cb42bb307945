// More than one app node: socket.io's Redis Streams adapter carries every broadcast (snapshot,
// diff, alert, ...) to the sockets of all nodes, so a dashboard connected to node A sees a
// snapshot posted to node B. Enabled when REDIS_URL is set (lib/realtime/attach.ts).
//
// Streams (not plain PUB/SUB) because a node that briefly loses Redis resumes from its last
// offset instead of silently missing events. Everything the adapter writes in Redis is named
// after `keyPrefix`, so several deployments (or test runs) can share one Redis.
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { Server } from 'socket.io';
import { logger } from '@/lib/logger';

export interface RedisAdapterOptions {
  /** Prefix of the stream, PUB/SUB channels and session keys (default "sockscope"). */
  keyPrefix?: string;
  /** Entries kept in the stream (approximate trimming): a node that is away longer misses events. */
  maxLen?: number;
  onError?: (error: Error) => void;
}

export interface RedisAdapterHandle {
  /** Resolves once the publishing connection is up (broadcasts before that wait in its queue). */
  ready: Promise<void>;
  /** The Redis keys and channel names in use, for operators (and tests that clean up after themselves). */
  streamName: string;
  channelPrefix: string;
  close: () => Promise<void>;
}

const keyPrefixPattern = /^[A-Za-z0-9._:-]{1,64}$/;

export function attachRedisAdapter(io: Server, url: string, options: RedisAdapterOptions = {}): RedisAdapterHandle {
  const prefix = options.keyPrefix ?? 'sockscope';
  if (!keyPrefixPattern.test(prefix))
    throw new Error('The Redis key prefix (SOCKSCOPE_REDIS_PREFIX) must be 1-64 letters, digits, dot, dash, colon or underscore.');
  const streamName = `${prefix}:socket.io`;
  const channelPrefix = `${prefix}:socket.io`;
  const onError = options.onError ?? ((error: Error) => logger().error(`redis: ${error.message}`));
  const client = createClient({ url });
  // node-redis reconnects by itself; without a listener an error event would crash the process.
  client.on('error', onError);
  // Installed at once: commands issued while connecting wait in the client's offline queue.
  const ready = client.connect().then(() => undefined);
  ready.catch(onError);
  io.adapter(
    createAdapter(client, {
      streamName,
      channelPrefix,
      sessionKeyPrefix: `${prefix}:sio:session:`,
      // About 2.5 minutes of events at 10,000 hosts a minute (a snapshot and a diff each), ~20 MB of
      // Redis: a node that loses Redis for less than that catches up instead of missing events.
      maxLen: options.maxLen ?? 50_000,
      // Events are plain JSON (no Buffers): skip the adapter's binary scan of every payload.
      onlyPlaintext: true,
    }),
  );
  return {
    ready,
    streamName,
    channelPrefix,
    async close() {
      // Closing the namespace adapters stops the stream readers; then the publishing client.
      void io.of('/').adapter.close();
      if (client.isOpen) await client.close();
    },
  };
}
