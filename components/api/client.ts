// The browser's one way to the API: a function per endpoint the dashboard calls, typed with the
// answers the server code exports (types only: no server code reaches the browser), one error for
// every failure (ApiError, read from the server's { error: { code, message, fields? } }), and the
// session's CSRF token on every request that changes something.
import type { z } from 'zod';
import type { AlertView, alertListQuerySchema } from '@/lib/alerts/list-alerts';
import type { TriageRequest as TriageInput } from '@/lib/alerts/triage-alert';
import type { DiffSummary } from '@/lib/diff/types';
import type { HostDetail } from '@/lib/hosts/get-host-detail';
import type { HostPage, hostListQuerySchema } from '@/lib/hosts/list-hosts';
import type { ErrorCode, FieldIssue } from '@/lib/errors';
import type { LatencySeries, latencyQuerySchema } from '@/lib/latency/latency-series';
import type { ListenerMatch, listenerSearchSchema } from '@/lib/search/find-listeners-on-port';
import type { PackageMatch, packageSearchSchema } from '@/lib/search/find-packages';
import type { ProcessMatch, processSearchSchema } from '@/lib/search/find-processes-by-command';
import type { ExposedListener, exposureSearchSchema } from '@/lib/search/list-newly-exposed';
import type { ResultPage } from '@/lib/search/paging';
import type { diffStoredSnapshots } from '@/lib/snapshots/diff-stored-snapshots';
import type { listSnapshots as listStoredSnapshots, snapshotListQuerySchema } from '@/lib/snapshots/list-snapshots';
import type { StoredSnapshot } from '@/lib/snapshots/read-snapshot';
import type { changeOwnPassword, resetPassword as resetStoredPassword } from '@/lib/users/passwords';
import type { NewSession } from '@/lib/users/users';

/** A query as the browser writes it: the schema's fields, all optional, 64-bit ids as decimal text. */
type QueryOf<Schema extends z.ZodType> = {
  [Key in keyof z.output<Schema>]?: Exclude<z.output<Schema>[Key], undefined> extends bigint ? string : z.output<Schema>[Key];
};

export type AlertQuery = QueryOf<typeof alertListQuerySchema>;
export type HostQuery = QueryOf<typeof hostListQuerySchema>;
export type SnapshotQuery = QueryOf<typeof snapshotListQuerySchema>;
export type LatencyQuery = QueryOf<typeof latencyQuerySchema>;
export type ListenerQuery = QueryOf<typeof listenerSearchSchema>;
export type PackageQuery = QueryOf<typeof packageSearchSchema>;
export type ProcessQuery = QueryOf<typeof processSearchSchema>;
export type ExposureQuery = QueryOf<typeof exposureSearchSchema>;

/** A snapshot on a host's timeline; the server stores its diff summary as JSON, written from a DiffSummary. */
export type TimelineEntry = Omit<Awaited<ReturnType<typeof listStoredSnapshots>>[number], 'diffSummary'> & { diffSummary: DiffSummary | null };
export type SnapshotDiffAnswer = Awaited<ReturnType<typeof diffStoredSnapshots>>;
export type {
  AlertView,
  ExposedListener,
  HostDetail,
  HostPage,
  LatencySeries,
  ListenerMatch,
  PackageMatch,
  ProcessMatch,
  ResultPage,
  StoredSnapshot,
  TriageInput,
};

/** What a write needs of the signed-in session: the CSRF token it must echo. */
export interface WriteSession {
  csrfToken: string;
}

/** Every failure of a call: the server's error, or `network` when no answer came at all. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'internal' | 'network',
    /** The HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    message: string,
    readonly fields: readonly FieldIssue[] = [],
  ) {
    super(message);
  }
}

/** The message of whatever a call threw, for showing to the analyst. */
export const describeFailure = (error: unknown) => (error instanceof Error ? error.message : String(error));

type QueryValue = string | number | boolean | null | undefined;

function withQuery(path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    params.set(key, value === true ? '1' : String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

const hostApi = (host: string, rest = '') => `/api/v1/hosts/${encodeURIComponent(host)}${rest}`;

async function call<Answer>(path: string, init: RequestInit = {}): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, credentials: 'same-origin' });
  } catch {
    throw new ApiError('network', 0, 'The server could not be reached.');
  }
  const body = (await response.json().catch(() => null)) as (Answer & { error?: { code?: ErrorCode; message?: string; fields?: FieldIssue[] } }) | null;
  if (!response.ok) {
    const error = body?.error;
    throw new ApiError(error?.code ?? 'internal', response.status, error?.message ?? `The server answered ${response.status}.`, error?.fields ?? []);
  }
  if (body === null) throw new ApiError('internal', response.status, 'The server sent an answer that is not JSON.');
  return body;
}

/** A state-changing request: JSON body, and the CSRF token of the session (none before signing in). */
function send<Answer>(session: WriteSession | null, method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (session) headers['x-csrf-token'] = session.csrfToken;
  return call<Answer>(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

// Alerts

export async function listAlerts(query: AlertQuery): Promise<AlertView[]> {
  return (await call<{ alerts: AlertView[] }>(withQuery('/api/v1/alerts', query))).alerts;
}

/** Acknowledge, reopen, close or annotate one alert (analysts and admins). */
export async function triageAlert(session: WriteSession, alertId: number, input: TriageInput): Promise<AlertView> {
  return (await send<{ alert: AlertView }>(session, 'POST', `/api/v1/alerts/${alertId}`, input)).alert;
}

/** The same action on several alerts in one request (a group): all of them or none. */
export async function triageAlerts(session: WriteSession, alertIds: readonly number[], input: TriageInput): Promise<AlertView[]> {
  return (await send<{ alerts: AlertView[] }>(session, 'POST', '/api/v1/alerts/triage', { ids: alertIds, ...input })).alerts;
}

// Hosts

export const listHosts = (query: HostQuery) => call<HostPage>(withQuery('/api/v1/hosts', query));

export const getHost = (host: string) => call<HostDetail>(hostApi(host));

export async function listSnapshots(host: string, query: SnapshotQuery): Promise<TimelineEntry[]> {
  return (await call<{ snapshots: TimelineEntry[] }>(withQuery(hostApi(host, '/snapshots'), query))).snapshots;
}

export const getSnapshot = (host: string, snapshotId: string) => call<StoredSnapshot>(hostApi(host, `/snapshots/${encodeURIComponent(snapshotId)}`));

export const getDiff = (host: string, fromId: string, toId: string) => call<SnapshotDiffAnswer>(withQuery(hostApi(host, '/diff'), { from: fromId, to: toId }));

export const getLatency = (host: string, query: LatencyQuery) => call<LatencySeries>(withQuery(hostApi(host, '/latency'), query));

/** A download link, not a call: every socket of a snapshot as the WebJob pipe-delimited table. */
export const socketsCsvUrl = (host: string, snapshotId: string) => withQuery(hostApi(host, '/sockets.csv'), { snapshot: snapshotId });

// Fleet-wide questions

export const searchListeners = (query: ListenerQuery) => call<ResultPage<ListenerMatch>>(withQuery('/api/v1/search/listeners', query));
export const searchPackages = (query: PackageQuery) => call<ResultPage<PackageMatch>>(withQuery('/api/v1/search/packages', query));
export const searchProcesses = (query: ProcessQuery) => call<ResultPage<ProcessMatch>>(withQuery('/api/v1/search/processes', query));
export const listNewlyExposed = (query: ExposureQuery) => call<ResultPage<ExposedListener>>(withQuery('/api/v1/search/exposed', query));

// Sessions and passwords

export const signIn = (credentials: { name: string; password: string }) =>
  send<{ name: string } & Pick<NewSession, 'role' | 'csrfToken'>>(null, 'POST', '/api/v1/session', credentials);

export const signOut = (session: WriteSession) => send<{ signedOut: true }>(session, 'DELETE', '/api/v1/session');

export const changePassword = (session: WriteSession, change: { currentPassword: string; newPassword: string }) =>
  send<{ changed: true } & Awaited<ReturnType<typeof changeOwnPassword>>>(session, 'POST', '/api/v1/account/password', change);

/** Admins: another account gets a generated password, in this answer only. */
export const resetPassword = (session: WriteSession, userName: string) =>
  send<{ name: string } & Awaited<ReturnType<typeof resetStoredPassword>>>(session, 'POST', `/api/v1/users/${encodeURIComponent(userName)}/password`);
