import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createSyslogSender, formatSyslogMessage, parseSyslogTarget, severityOfLevel } from '@/lib/forwarding/syslog';
import type { AlertEvent } from '@/lib/realtime/events';

const alert: AlertEvent = {
  id: 7,
  host: 'web-01',
  kind: 'interface.promiscuous_on',
  level: 12,
  message: 'web-01: interface eth0 entered promiscuous mode\ninjected line',
  state: 'open',
  occurrences: 1,
  subject: { interface: 'eth0' },
  firstSeenAt: '2026-11-21T10:00:00.000Z',
  lastSeenAt: '2026-11-21T10:00:00.000Z',
  snapshotId: '42',
};

describe('RFC 5424 alert messages', () => {
  it('carries facility 13 and a severity from the OSSEC level, in the 5424 header shape', () => {
    const message = formatSyslogMessage(alert, new Date('2026-11-21T10:00:00.000Z'), 'sockscope-server');
    expect(message).toMatch(/^<106>1 2026-11-21T10:00:00\.000Z sockscope-server sockscope - interface\.promiscuous_on \[sockscope@32473 /);
    expect(message).toContain('host="web-01" kind="interface.promiscuous_on" level="12" alertId="7"');
  });

  it('keeps one alert on one line and escapes structured-data values', () => {
    const message = formatSyslogMessage({ ...alert, host: 'a"b]c\\d' });
    expect(message).not.toContain('\n');
    expect(message).toContain('host="a\\"b\\]c\\\\d"');
  });

  it('maps levels to severities: 12+ critical, 10 error, 7 warning, 5 notice', () => {
    expect([15, 12, 10, 7, 5, 1].map(severityOfLevel)).toEqual([2, 2, 3, 4, 5, 6]);
  });

  it('reads udp:// and tcp:// targets and refuses anything else', () => {
    expect(parseSyslogTarget('udp://127.0.0.1:514')).toEqual({ protocol: 'udp', host: '127.0.0.1', port: 514 });
    expect(parseSyslogTarget('tcp://logs:601')).toEqual({ protocol: 'tcp', host: 'logs', port: 601 });
    expect(() => parseSyslogTarget('http://logs')).toThrow(/SOCKSCOPE_SYSLOG/);
  });
});

describe('syslog over TCP', () => {
  it('frames each message with its octet count (RFC 6587) on one connection', async () => {
    let received = '';
    const receiver = createServer((socket) => socket.on('data', (chunk) => (received += chunk.toString())));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const sender = createSyslogSender({ protocol: 'tcp', host: '127.0.0.1', port: (receiver.address() as AddressInfo).port });
    const first = formatSyslogMessage(alert);
    const second = formatSyslogMessage({ ...alert, id: 8 });
    await sender.send(first);
    await sender.send(second);
    await expect.poll(() => received.length).toBe(`${Buffer.byteLength(first)} ${first}${Buffer.byteLength(second)} ${second}`.length);
    expect(received).toBe(`${Buffer.byteLength(first)} ${first}${Buffer.byteLength(second)} ${second}`);
    sender.close();
    receiver.close();
  });
});
