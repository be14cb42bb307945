// Listener alerts: the OSSEC "listened ports have changed" check, one alert per listener.
import { isListening, type SocketRow } from '@/lib/schemas/snapshot';
import { describeContainer, placeFields } from '@/lib/schemas/container-name';
import { formatEndpoint } from '@/lib/diff/addresses';
import { socketKeyOf } from '@/lib/diff/socket-diff';
import type { ChangedSocket } from '@/lib/diff/types';
import { isExpectedListener, type HostIdentity } from '@/lib/alerts/rules/expected';
import { createCandidate, type AlertCandidate, type AlertKind, type AlertRuleInput } from '@/lib/alerts/rules/types';

export function evaluateListenerAlerts(input: AlertRuleInput): AlertCandidate[] {
  const previousSockets = input.previous?.sockets;
  const currentSockets = input.current.sockets;
  // First sockets ever seen for this host: every listener would be "new", which is a flood, not news.
  if (previousSockets === undefined || currentSockets === undefined || !input.diff.sockets.collected) return [];
  const previousListeners = listListenerKeys(previousSockets);
  const currentListeners = listListenerKeys(currentSockets);
  const isExpected = (socket: SocketRow) => isExpectedListener(socket, input, input.expectedListeners);
  // A worker joining or leaving a listener that stays open is not a listener opening or closing.
  const opened = input.diff.sockets.added.filter((socket) => isListening(socket) && !previousListeners.has(socketKeyOf(socket)) && !isExpected(socket));
  const closed = input.diff.sockets.removed.filter((socket) => isListening(socket) && !currentListeners.has(socketKeyOf(socket)) && !isExpected(socket));
  const widened = input.diff.sockets.changed.filter((row) => row.widened && !previousListeners.has(socketKeyOf(row.after)) && !isExpected(row.after));
  // A restart keeps the program (new pid, same name); another program on the same port is news.
  const ownerChanged = input.diff.sockets.changed.filter(
    (row) => isListening(row.after) && row.changes.includes('process') && row.before.process !== null && row.after.process !== null && !isExpected(row.after),
  );
  return [
    ...opened.map((socket) => createListenerOpenedAlert(input, socket)),
    ...ownerChanged.map((row) => createListenerOwnerChangedAlert(input, row)),
    ...closed.map((socket) => createListenerClosedAlert(input, socket)),
    ...widened.map((row) => createListenerWidenedAlert(input, row)),
  ];
}

function listListenerKeys(sockets: readonly SocketRow[]): Set<string> {
  return new Set(sockets.filter(isListening).map(socketKeyOf));
}

function createListenerOpenedAlert(host: HostIdentity, socket: SocketRow): AlertCandidate {
  const kind: AlertKind = 'listener.opened';
  const message = `${host.hostName}: new listener ${describeListener(socket)} (${describeOwner(socket)})`;
  return createCandidate(kind, listenerDedupeKey(kind, socket), message, describeSocket(socket), describeListener(socket));
}

function createListenerClosedAlert(host: HostIdentity, socket: SocketRow): AlertCandidate {
  const kind: AlertKind = 'listener.closed';
  const message = `${host.hostName}: listener ${describeListener(socket)} closed (${describeOwner(socket)})`;
  return createCandidate(kind, listenerDedupeKey(kind, socket), message, describeSocket(socket), describeListener(socket));
}

function createListenerOwnerChangedAlert(host: HostIdentity, row: ChangedSocket): AlertCandidate {
  const kind: AlertKind = 'listener.owner_changed';
  const message = `${host.hostName}: listener ${describeListener(row.after)} now belongs to ${describeOwner(row.after)} (was ${describeOwner(row.before)})`;
  const subject = { ...describeSocket(row.after), previousProcess: row.before.process, previousPid: row.before.pid, previousUser: row.before.user };
  return createCandidate(kind, listenerDedupeKey(kind, row.after), message, subject, describeListener(row.after));
}

function createListenerWidenedAlert(host: HostIdentity, row: ChangedSocket): AlertCandidate {
  const kind: AlertKind = 'listener.widened';
  const from = formatEndpoint(row.before.localAddress, row.before.localPort);
  const to = formatEndpoint(row.after.localAddress, row.after.localPort);
  const message = `${host.hostName}: listener ${row.after.proto} ${from} widened to ${to} (${describeOwner(row.after)})`;
  const subject = { ...describeSocket(row.after), previousLocalAddress: row.before.localAddress };
  return createCandidate(kind, listenerDedupeKey(kind, row.after), message, subject, describeListener(row.after));
}

/** e.g. `listener.opened:tcp:0.0.0.0:8080`, `listener.closed:tcp6:[::1]:53`; `…@netns:N` in another network namespace. */
function listenerDedupeKey(kind: AlertKind, socket: SocketRow): string {
  const namespace = socket.netns === undefined || socket.netns === null ? '' : `@netns:${socket.netns}`;
  return `${kind}:${socket.proto}:${formatEndpoint(socket.localAddress, socket.localPort)}${namespace}`;
}

function describeListener(socket: SocketRow): string {
  return `${socket.proto} ${formatEndpoint(socket.localAddress, socket.localPort)}`;
}

function describeOwner(socket: SocketRow): string {
  const parts = [socket.process ?? 'process unknown'];
  if (socket.pid !== null) parts.push(`pid ${socket.pid}`);
  if (socket.user !== null) parts.push(`user ${socket.user}`);
  const container = describeContainer(socket.container);
  if (container) parts.push(`container ${container}`);
  return parts.join(', ');
}

function describeSocket(socket: SocketRow): Record<string, unknown> {
  return {
    proto: socket.proto,
    localAddress: socket.localAddress,
    localPort: socket.localPort,
    pid: socket.pid,
    process: socket.process,
    user: socket.user,
    uid: socket.uid,
    ...placeFields(socket),
  };
}
