import { createSocket } from 'node:dgram';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DeliveryFailure } from '@/lib/forwarding/delivery-failure';
import { createAlertForwarder } from '@/lib/forwarding/forward-alerts';
import {
  createSyslogSender,
  formatSyslogMessage,
  parseSyslogTarget,
  severityOfLevel,
  TCP_MAX_MESSAGE_BYTES,
  TRUNCATION_MARKER,
  UDP_MAX_MESSAGE_BYTES,
} from '@/lib/forwarding/syslog';
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

/** The MSG part: everything after the BOM. */
const msgOf = (message: string) => message.slice(message.indexOf('\ufeff') + 1);
/** Undoes the MSG escaping: `\\` → `\`, `\uXXXX` → the character. */
const unescapeMsg = (text: string) =>
  text.replace(/\\(\\|u([0-9a-f]{4}))/g, (_match, escaped: string, hex: string | undefined) => (hex ? String.fromCharCode(parseInt(hex, 16)) : escaped));
const withMessage = (message: string) => formatSyslogMessage({ ...alert, message }, new Date('2026-11-21T10:00:00.000Z'), 'sockscope-server');

describe('syslog through the forwarding queue', () => {
  it('sends every alert over TCP in order, counts them, and closes after delivering', async () => {
    let received = '';
    const receiver = createServer((socket) => socket.on('data', (chunk) => (received += chunk.toString())));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const forwarder = createAlertForwarder({ syslog: `tcp://127.0.0.1:${(receiver.address() as AddressInfo).port}` });
    forwarder?.forward([1, 2, 3].map((id) => ({ ...alert, id })));
    await forwarder?.close();
    await expect.poll(() => [...received.matchAll(/alertId="(\d+)"/g)].map((match) => match[1])).toEqual(['1', '2', '3']);
    expect(forwarder?.counts()).toEqual([
      { destination: 'syslog', queued: 3, delivered: 3, retried: 0, dropped: { overflow: 0, rejected: 0, gave_up: 0, shutdown: 0 }, pending: 0 },
    ]);
    receiver.close();
  });
});

describe('control and bidi characters in alert text', () => {
  const unsafe: Array<[string, string]> = [
    ['ESC', '\u001b'],
    ['VT', '\u000b'],
    ['FF', '\u000c'],
    ['DEL', '\u007f'],
    ['NEL (U+0085)', '\u0085'],
    ['LINE SEPARATOR (U+2028)', '\u2028'],
    ['PARAGRAPH SEPARATOR (U+2029)', '\u2029'],
    ['LRE (U+202A)', '\u202a'],
    ['RLE (U+202B)', '\u202b'],
    ['PDF (U+202C)', '\u202c'],
    ['LRO (U+202D)', '\u202d'],
    ['RLO (U+202E)', '\u202e'],
    ['LRI (U+2066)', '\u2066'],
    ['RLI (U+2067)', '\u2067'],
    ['FSI (U+2068)', '\u2068'],
    ['PDI (U+2069)', '\u2069'],
    ['NUL', '\u0000'],
    ['BEL', '\u0007'],
    ['BS', '\u0008'],
    ['TAB', '\u0009'],
    ['CR', '\r'],
    ['LF', '\n'],
    ['CSI (U+009B)', '\u009b'],
    ['APC (U+009F)', '\u009f'],
  ];

  it.each(unsafe)('escapes %s as \\uXXXX in the MSG', (_name, char) => {
    const msg = msgOf(withMessage(`web-01: new program evil${char}name`));
    const code = (char.codePointAt(0) ?? 0).toString(16).padStart(4, '0');
    expect(msg).toBe(`web-01: new program evil\\u${code}name`);
  });

  it('leaves no control, separator or bidi character anywhere in the message', () => {
    const message = withMessage(unsafe.map(([, char]) => `x${char}`).join(''));
    expect(message).not.toMatch(/[\p{Cc}\p{Bidi_Control}\u2028\u2029]/u);
  });

  it('is reversible: a backslash is escaped too, and undoing the escapes gives the text back', () => {
    const original = `web-01: new program C:\\temp\\u202e.exe \u202eexe.txt\u001b[31m \u0085 \u2028 done`;
    const msg = msgOf(withMessage(original));
    expect(msg).toContain('C:\\\\temp\\\\u202e.exe \\u202eexe.txt\\u001b[31m');
    expect(unescapeMsg(msg)).toBe(original);
  });

  it('keeps other text as it is: accents, CJK, emoji', () => {
    expect(msgOf(withMessage('web-01: new program café 日本語 😀'))).toBe('web-01: new program café 日本語 😀');
  });

  it('escapes them in SD-PARAM values too, and then `"`, `\\` and `]` as RFC 5424 says', () => {
    const message = formatSyslogMessage({ ...alert, host: 'a"b]c\\d\u202ee\u001b' });
    expect(message).toContain('host="a\\"b\\]c\\\\d\\\\u202ee\\\\u001b"');
  });
});

describe('message size', () => {
  const longName = 'p'.repeat(4096);
  const longListenerMessage = (name: string) => `web-01: new listener tcp 0.0.0.0:8080 (${name}, pid 4242, user root)`;

  it('cuts a 4,096-character process name to fit one UDP datagram of 2,048 octets, with a marker', () => {
    const message = formatSyslogMessage({ ...alert, message: longListenerMessage(longName) }, new Date(), 'sockscope-server', UDP_MAX_MESSAGE_BYTES);
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(UDP_MAX_MESSAGE_BYTES);
    expect(Buffer.byteLength(message)).toBeGreaterThan(UDP_MAX_MESSAGE_BYTES - 10);
    expect(msgOf(message)).toMatch(/^web-01: new listener tcp 0\.0\.0\.0:8080 \(p+…\[truncated\]$/);
  });

  it('cuts at a character boundary, never inside a UTF-8 sequence', () => {
    for (const char of ['é', '€', '😀']) {
      const message = formatSyslogMessage({ ...alert, message: longListenerMessage(char.repeat(4096)) }, new Date(), 'sockscope-server', UDP_MAX_MESSAGE_BYTES);
      const bytes = Buffer.from(message);
      expect(bytes.length).toBeLessThanOrEqual(UDP_MAX_MESSAGE_BYTES);
      expect(bytes.toString('utf8')).toBe(message);
      expect(message).not.toContain('\ufffd');
      expect(msgOf(message).endsWith(`${char}${TRUNCATION_MARKER}`)).toBe(true);
    }
  });

  it('never cuts inside an escape', () => {
    const message = formatSyslogMessage({ ...alert, message: '\u202e'.repeat(4096) }, new Date(), 'sockscope-server', UDP_MAX_MESSAGE_BYTES);
    expect(msgOf(message)).toMatch(/^(\\u202e)+…\[truncated\]$/);
  });

  it('allows 8,192 octets over TCP', () => {
    const message = formatSyslogMessage({ ...alert, message: longListenerMessage('p'.repeat(20_000)) }, new Date(), 'sockscope-server', TCP_MAX_MESSAGE_BYTES);
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(TCP_MAX_MESSAGE_BYTES);
    expect(Buffer.byteLength(message)).toBeGreaterThan(TCP_MAX_MESSAGE_BYTES - 10);
  });

  it('leaves room for the MSG with the longest header fields a host can have', () => {
    const longest = formatSyslogMessage({ ...alert, host: 'h'.repeat(253), message: '' }, new Date(), 'r'.repeat(255));
    expect(Buffer.byteLength(longest)).toBeLessThan(UDP_MAX_MESSAGE_BYTES / 2);
  });

  it('leaves a message that fits alone', () => {
    expect(msgOf(withMessage(longListenerMessage('nginx')))).toBe(longListenerMessage('nginx'));
  });

  it('sends the 4,096-character name as one datagram of at most 2,048 octets over real UDP', async () => {
    const receiver = createSocket('udp4');
    await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
    const datagrams: Buffer[] = [];
    receiver.on('message', (datagram) => datagrams.push(datagram));
    const sender = createSyslogSender({ protocol: 'udp', host: '127.0.0.1', port: receiver.address().port });
    const message = formatSyslogMessage({ ...alert, message: longListenerMessage(longName) });
    await sender.send(message);
    await expect.poll(() => datagrams.length).toBe(1);
    expect(datagrams[0]?.length).toBeLessThanOrEqual(UDP_MAX_MESSAGE_BYTES);
    expect(datagrams[0]?.toString('utf8')).toBe(message);
    sender.close();
    receiver.close();
  });

  it('refuses to send a message over the transport limit (never retried)', async () => {
    const sender = createSyslogSender({ protocol: 'udp', host: '127.0.0.1', port: 9 });
    const refusal = await sender.send('x'.repeat(UDP_MAX_MESSAGE_BYTES + 1)).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DeliveryFailure);
    expect((refusal as DeliveryFailure).isRetryable).toBe(false);
    sender.close();
  });
});
