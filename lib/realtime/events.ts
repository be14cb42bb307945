// socket.io event maps shared by server and browser. Types document; zod validates at run time.
import { z } from 'zod';
import type { DiffSummary } from '@/lib/diff/types';
import { hostName } from '@/lib/schemas/snapshot';

interface SnapshotEvent {
  host: string;
  id: string;
  collectedAt: string;
  changed: Record<string, boolean>;
  listenerCount: number | null;
  promiscuousCount: number | null;
}

interface DiffEvent {
  host: string;
  snapshotId: string;
  summary: DiffSummary;
}

export interface AlertEvent {
  id: number;
  host: string;
  kind: string;
  level: number;
  message: string;
  state: 'open' | 'acknowledged' | 'closed';
  occurrences: number;
  subject: Record<string, unknown>;
  firstSeenAt: string;
  lastSeenAt: string;
  /** The snapshot that raised it (or last repeated it); null for host.silent. */
  snapshotId: string | null;
}

export interface AlertAckEvent {
  id: number;
  host: string;
  kind: string;
  state: 'open' | 'acknowledged' | 'closed';
  by: string | null;
  /** When it was acknowledged; null in any other state. */
  acknowledgedAt: string | null;
  note: string | null;
}

export interface ServerToClientEvents {
  snapshot: (event: SnapshotEvent) => void;
  diff: (event: DiffEvent) => void;
  alert: (event: AlertEvent) => void;
  'alert:ack': (event: AlertAckEvent) => void;
  'host:silent': (event: { host: string; lastSeenAt: string | null }) => void;
}

export interface ClientToServerEvents {
  subscribe: (payload: unknown) => void;
  unsubscribe: (payload: unknown) => void;
}

export const subscriptionSchema = z.strictObject({ host: hostName });

export const FLEET_ROOM = 'fleet';
export const hostRoom = (name: string) => `host:${name}`;
