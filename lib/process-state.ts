// Process-wide state, in one slot on globalThis. server.ts (run by tsx) and Next.js's route bundles
// are separate module graphs in one process: each has its own copy of every module, so a module
// variable would exist twice and the route handlers would never see what server.ts set. Whatever
// must be one per process is kept here, and only here, behind typed getters and setters.
import type { Logger } from 'pino';
import type { SignInThrottle } from '@/lib/auth/sign-in-throttle';
import type { ServerConfig } from '@/lib/config';
import type { Database } from '@/lib/db/open-database';
import type { AlertForwarder } from '@/lib/forwarding/forward-alerts';
import type { SockscopeMetrics } from '@/lib/metrics';
import type { RealtimeServer } from '@/lib/realtime/publish';

export interface ProcessState {
  /** Opened by server.ts at start (lib/db/client.ts). */
  database: Promise<Database>;
  /** Parsed once by server.ts at start (lib/config.ts). */
  config: ServerConfig;
  /** socket.io: live events and the connections signing out cuts (lib/realtime/, lib/auth/live-connections.ts). */
  realtime: RealtimeServer;
  /** Syslog and webhook forwarding of alerts; null when neither is configured. */
  alertForwarder: AlertForwarder | null;
  /** The one prom-client registry behind /metrics, with our metrics on it. */
  metrics: SockscopeMetrics;
  signInThrottle: SignInThrottle;
  /** pino, configured once (lib/logger.ts). */
  logger: Logger;
}

const slot = globalThis as typeof globalThis & { __sockscope?: Partial<ProcessState> };
const state = (): Partial<ProcessState> => (slot.__sockscope ??= {});

export function getProcessState<Key extends keyof ProcessState>(key: Key): ProcessState[Key] | undefined {
  return state()[key];
}

export function setProcessState<Key extends keyof ProcessState>(key: Key, value: ProcessState[Key]): void {
  state()[key] = value;
}

/** The value under `key`, made by `create` the first time any module graph asks. */
export function sharedProcessState<Key extends keyof ProcessState>(key: Key, create: () => ProcessState[Key]): ProcessState[Key] {
  const current = state()[key];
  if (current !== undefined) return current;
  const created = create();
  state()[key] = created;
  return created;
}
