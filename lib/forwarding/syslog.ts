// RFC 5424 syslog messages for alerts, over UDP (one datagram each) or TCP (octet-counted framing,
// RFC 6587), as the seeds' remote-logging advice asks: a copy of every alert off the box.
import { createSocket } from 'node:dgram';
import { createConnection, type Socket } from 'node:net';
import os from 'node:os';
import type { AlertEvent } from '@/lib/realtime/events';

const FACILITY_SECURITY = 13; // log audit
const APP_NAME = 'sockscope';

/** OSSEC-style level (0–15) to syslog severity (0 emergency … 7 debug). */
export function severityOfLevel(level: number): number {
  if (level >= 12) return 2; // critical
  if (level >= 10) return 3; // error
  if (level >= 7) return 4; // warning
  if (level >= 4) return 5; // notice
  return 6; // informational
}

/** SD-PARAM values escape `"`, `\` and `]` (RFC 5424 §6.3.3). */
const escapeParam = (value: string) => value.replace(/[\\"\]]/g, (char) => `\\${char}`);
/** Header fields are printable US-ASCII without spaces, at most `max` long (NILVALUE `-` when empty). */
const headerField = (value: string, max: number) => value.replace(/[^\x21-\x7e]/g, '_').slice(0, max) || '-';

export function formatSyslogMessage(alert: AlertEvent, timestamp = new Date(), reporter = os.hostname()): string {
  const priority = FACILITY_SECURITY * 8 + severityOfLevel(alert.level);
  const structured = `[sockscope@32473 host="${escapeParam(alert.host)}" kind="${escapeParam(alert.kind)}" level="${alert.level}" alertId="${alert.id}" state="${alert.state}" occurrences="${alert.occurrences}"]`;
  // The message is free text (attacker-influenced host and process names): strip line breaks so one alert stays one record.
  const message = alert.message.replace(/[\r\n]+/g, ' ');
  return `<${priority}>1 ${timestamp.toISOString()} ${headerField(reporter, 255)} ${APP_NAME} - ${headerField(alert.kind, 32)} ${structured} \ufeff${message}`;
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
  send(message: string): Promise<void>;
  close(): void;
}

export function createSyslogSender(target: SyslogTarget): SyslogSender {
  return target.protocol === 'udp' ? udpSender(target) : tcpSender(target);
}

function udpSender(target: SyslogTarget): SyslogSender {
  const socket = createSocket(target.host.includes(':') ? 'udp6' : 'udp4');
  socket.unref();
  return {
    send: (message) =>
      new Promise((resolve, reject) => socket.send(Buffer.from(message), target.port, target.host, (error) => (error ? reject(error) : resolve()))),
    close: () => socket.close(),
  };
}

/** One lasting connection, re-opened after an error; frames are `LENGTH SP MESSAGE`. */
function tcpSender(target: SyslogTarget): SyslogSender {
  let connection: Socket | null = null;
  const connect = () =>
    new Promise<Socket>((resolve, reject) => {
      const socket = createConnection({ host: target.host, port: target.port }, () => resolve(socket));
      socket.once('error', (error) => {
        connection = null;
        reject(error);
      });
      socket.on('close', () => (connection = null));
      socket.unref();
    });
  return {
    async send(message) {
      connection ??= await connect();
      const payload = Buffer.from(message);
      const frame = Buffer.concat([Buffer.from(`${payload.length} `), payload]);
      await new Promise<void>((resolve, reject) => connection!.write(frame, (error) => (error ? reject(error) : resolve())));
    },
    close: () => connection?.end(),
  };
}
