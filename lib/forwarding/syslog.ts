// RFC 5424 syslog messages for alerts, over UDP (one datagram each, RFC 5426) or TCP (octet-counted
// framing, RFC 6587), as the seeds' remote-logging advice asks: a copy of every alert off the box.
// Alert text carries names a monitored host chose: it is escaped so a log viewer shows it as
// written, and cut to fit the transport.
import { createSocket } from 'node:dgram';
import { createConnection, type Socket } from 'node:net';
import os from 'node:os';
import type { AlertEvent } from '@/lib/realtime/events';
import { DeliveryFailure } from './delivery-failure';

const FACILITY_SECURITY = 13; // log audit
const APP_NAME = 'sockscope';

/**
 * RFC 5426 §3.2: every receiver SHOULD take datagrams of 2,048 octets (IPv4 ones MUST take 480,
 * IPv6 ones 1,180). 2,048 keeps a summary alert's list readable; a bigger datagram is cut by
 * some receivers without a trace, while ours are cut here, with a marker.
 */
export const UDP_MAX_MESSAGE_BYTES = 2048;
/** RFC 6587 sets no maximum; 8,192 is what RFC 5425 asks receivers to take and rsyslog's default. */
export const TCP_MAX_MESSAGE_BYTES = 8192;
/** Ends a MSG that was cut to fit. */
export const TRUNCATION_MARKER = '…[truncated]';

export function maxSyslogMessageBytes(protocol: SyslogTarget['protocol']): number {
  return protocol === 'udp' ? UDP_MAX_MESSAGE_BYTES : TCP_MAX_MESSAGE_BYTES;
}

/** OSSEC-style level (0–15) to syslog severity (0 emergency … 7 debug). */
export function severityOfLevel(level: number): number {
  if (level >= 12) return 2; // critical
  if (level >= 10) return 3; // error
  if (level >= 7) return 4; // warning
  if (level >= 4) return 5; // notice
  return 6; // informational
}

/**
 * C0 and C1 controls (ESC, VT, FF, NEL …), DEL, the line and paragraph separators and the bidi
 * controls: each can hide, reorder or forge text in a terminal or log viewer (an ESC sequence, a
 * fake second line, U+202E turning `exe.txt` around).
 */
const UNSAFE_CHARACTERS = /[\p{Cc}\p{Bidi_Control}\u2028\u2029]/gu;
/** The same, and the backslash: in the MSG it starts our escapes, so it is escaped too. */
const UNSAFE_CHARACTERS_AND_BACKSLASH = /[\p{Cc}\p{Bidi_Control}\u2028\u2029\\]/gu;

/**
 * `\u202e`, `\u001b`: the JSON/JavaScript notation — visible, one form for every code point (the
 * `#033` octal form names bytes, not U+202E), undone by reading `\\` and `\uXXXX` back.
 */
const toUnicodeEscape = (char: string) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;

/** Free text for the MSG: unsafe characters as `\uXXXX`, a backslash as `\\`, so the escaping can be undone exactly. */
function escapeUnsafeCharacters(text: string): string {
  return text.replace(UNSAFE_CHARACTERS_AND_BACKSLASH, (char) => (char === '\\' ? '\\\\' : toUnicodeEscape(char)));
}

/** SD-PARAM values: unsafe characters as `\uXXXX`, then `"`, `\` and `]` escaped as RFC 5424 §6.3.3 says. */
const escapeParam = (value: string) => value.replace(UNSAFE_CHARACTERS, toUnicodeEscape).replace(/[\\"\]]/g, (char) => `\\${char}`);
/** Header fields are printable US-ASCII without spaces, at most `max` long (NILVALUE `-` when empty). */
const headerField = (value: string, max: number) => value.replace(/[^\x21-\x7e]/g, '_').slice(0, max) || '-';

/**
 * One alert as one RFC 5424 message of at most `maxBytes` octets: the MSG is escaped, then cut at
 * a character (never inside a UTF-8 sequence or an escape) and marked when it does not fit.
 */
export function formatSyslogMessage(alert: AlertEvent, timestamp = new Date(), reporter = os.hostname(), maxBytes = UDP_MAX_MESSAGE_BYTES): string {
  const priority = FACILITY_SECURITY * 8 + severityOfLevel(alert.level);
  const structured = `[sockscope@32473 host="${escapeParam(alert.host)}" kind="${escapeParam(alert.kind)}" level="${alert.level}" alertId="${alert.id}" state="${escapeParam(alert.state)}" occurrences="${alert.occurrences}"]`;
  const head = `<${priority}>1 ${timestamp.toISOString()} ${headerField(reporter, 255)} ${APP_NAME} - ${headerField(alert.kind, 32)} ${structured} \ufeff`;
  return head + fitMessage(alert.message, maxBytes - Buffer.byteLength(head));
}

function fitMessage(message: string, maxBytes: number): string {
  const escaped = escapeUnsafeCharacters(message);
  if (Buffer.byteLength(escaped) <= maxBytes) return escaped;
  const room = maxBytes - Buffer.byteLength(TRUNCATION_MARKER);
  const kept: string[] = [];
  let used = 0;
  // By code point, each escaped on its own: a cut never splits a character or an escape.
  for (const char of message) {
    const piece = escapeUnsafeCharacters(char);
    const size = Buffer.byteLength(piece);
    if (used + size > room) break;
    kept.push(piece);
    used += size;
  }
  return `${kept.join('')}${TRUNCATION_MARKER}`;
}

export interface SyslogTarget {
  protocol: 'udp' | 'tcp';
  host: string;
  port: number;
}

export function parseSyslogTarget(value: string): SyslogTarget {
  const match = /^(udp|tcp):\/\/([^:/]+):(\d+)$/.exec(value);
  if (!match) throw new Error(`SOCKSCOPE_SYSLOG must look like udp://host:514 or tcp://host:601, got ${value}`);
  return { protocol: match[1] as 'udp' | 'tcp', host: match[2] ?? '', port: Number(match[3]) };
}

export interface SyslogSender {
  /** Rejects with a non-retryable DeliveryFailure for a message over the transport's limit. */
  send: (message: string, signal?: AbortSignal) => Promise<void>;
  close: () => void;
}

export function createSyslogSender(target: SyslogTarget): SyslogSender {
  return target.protocol === 'udp' ? udpSender(target) : tcpSender(target);
}

function encodeWithinLimit(message: string, maxBytes: number): Buffer {
  const payload = Buffer.from(message);
  if (payload.length > maxBytes) throw new DeliveryFailure(`syslog message of ${payload.length} octets is over the limit of ${maxBytes}`, false);
  return payload;
}

function udpSender(target: SyslogTarget): SyslogSender {
  const socket = createSocket(target.host.includes(':') ? 'udp6' : 'udp4');
  socket.unref();
  return {
    async send(message, signal) {
      signal?.throwIfAborted();
      const payload = encodeWithinLimit(message, UDP_MAX_MESSAGE_BYTES);
      await new Promise<void>((resolve, reject) => socket.send(payload, target.port, target.host, (error) => (error ? reject(error) : resolve())));
    },
    close: () => socket.close(),
  };
}

/** One lasting connection, opened on first use and again after any failure; frames are `LENGTH SP MESSAGE`. */
function tcpSender(target: SyslogTarget): SyslogSender {
  let connection: Promise<Socket> | null = null;
  const connect = (): Promise<Socket> => {
    const opening = new Promise<Socket>((resolve, reject) => {
      const socket = createConnection({ host: target.host, port: target.port }, () => resolve(socket));
      // A lasting listener: an error after connecting must not go unhandled (it would end the process).
      socket.on('error', reject);
      socket.on('close', () => {
        if (connection === opening) connection = null;
      });
      socket.unref();
    });
    return opening;
  };
  return {
    async send(message, signal) {
      const payload = encodeWithinLimit(message, TCP_MAX_MESSAGE_BYTES);
      const frame = Buffer.concat([Buffer.from(`${payload.length} `), payload]);
      const opening = (connection ??= connect());
      let socket: Socket | null = null;
      try {
        socket = await untilAborted(opening, signal);
        const writing = socket;
        await untilAborted(new Promise<void>((resolve, reject) => writing.write(frame, (error) => (error ? reject(error) : resolve()))), signal);
      } catch (error) {
        // Half a frame may be on the wire: only a new connection is sure to start at a frame boundary.
        if (connection === opening) connection = null;
        if (socket) socket.destroy();
        else
          void opening.then(
            (late) => late.destroy(),
            () => {},
          );
        throw error;
      }
    },
    close: () => {
      void connection?.then(
        (socket) => socket.end(),
        () => {},
      );
      connection = null;
    },
  };
}

/** The promise, or a rejection as soon as the signal aborts (a receiver that stops reading must not hold a delivery slot). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
