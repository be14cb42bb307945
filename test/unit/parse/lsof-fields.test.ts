import { describe, expect, it } from 'vitest';
import { parseToolOutput } from '@/collector/parse/index';
import { lsofFieldsToCsv, parseLsofFields } from '@/collector/parse/lsof-fields';
import { socketSchema } from '@/lib/schemas/snapshot';
import { expectParseError, lsofLinuxSockets, lsofSeedSockets, readFixture, socket } from './helpers';

const read = (name: string) => readFixture('lsof-F', name);

const linuxRows = lsofLinuxSockets({
  postgres: { pid: 2185, process: 'postgres', user: 'postgres', uid: 101 },
  redis: { pid: 2205, process: 'redis-server', user: 'root', uid: 0 },
  epmd: { pid: 2889, process: 'epmd', user: 'rabbitmq', uid: 106 },
  python: { pid: 19003, process: 'python3', user: 'root', uid: 0 },
});

describe('parseLsofFields', () => {
  it('reads the WebJob recipe output (-FLucRptPTn), process fields carried to every file', () => {
    const rows = parseLsofFields(read('webjob-seed.out'));
    expect(rows).toEqual(lsofSeedSockets({ uid: 0 }));
    for (const row of rows) expect(socketSchema.safeParse(row).success).toBe(true);
  });

  it('reads a Linux capture, IPv6 in brackets, the same rows with -FLucRptPTn, all fields (-F) and NUL terminators (-F0)', () => {
    expect(parseLsofFields(read('linux-FLucRptPTn.out'))).toEqual(linuxRows);
    expect(parseLsofFields(read('linux-all-fields.out'))).toEqual(linuxRows);
    expect(parseLsofFields(read('linux-F0.out'))).toEqual(linuxRows);
  });

  it('keeps internet sockets only: directories, files, UNIX and SCTP sockets have no row', () => {
    const sshd = { pid: 671, process: 'sshd', user: 'root', uid: 0 };
    expect(parseLsofFields(read('linux-mixed-files.out'))).toEqual([
      socket({ proto: 'tcp', localAddress: '*', localPort: 22, state: 'LISTEN', ...sshd }),
      socket({ proto: 'tcp6', localAddress: '::', localPort: 22, state: 'LISTEN', ...sshd }),
      socket({
        proto: 'tcp6',
        localAddress: '2001:db8::5',
        localPort: 22,
        remoteAddress: '2001:db8::9',
        remotePort: 50122,
        state: 'ESTABLISHED',
        ...sshd,
      }),
      socket({
        proto: 'tcp',
        localAddress: '10.0.0.5',
        localPort: 80,
        remoteAddress: '10.0.0.77',
        remotePort: 41818,
        state: 'CLOSE_WAIT',
        pid: 1201,
        process: 'nginx',
        user: 'www-data',
        uid: 33,
      }),
    ]);
  });

  it('tells the family from the address when the t field was not selected', () => {
    expect(parseLsofFields(read('no-type-field.out'))).toEqual([
      socket({ proto: 'udp', localAddress: '127.0.0.1', localPort: 323, pid: 688, process: 'chronyd' }),
      socket({ proto: 'udp6', localAddress: '::1', localPort: 323, pid: 688, process: 'chronyd' }),
      socket({ proto: 'tcp', localAddress: '10.0.2.15', localPort: 22, pid: 1043, process: 'sshd' }),
    ]);
    expectParseError(() => parseLsofFields('p1\nPTCP\nn*:22\n'), 3, 'cannot tell IPv4 from IPv6 for "*:22" without the t (type) field');
  });

  it('starts every process with empty process fields, and reads the inode when -F i gave one', () => {
    const text = 'p10\ncone\nLalice\nu1000\ntIPv4\nPTCP\nn*:80\np11\nctwo\ntIPv4\nPUDP\nn*:53\ni4242\n';
    expect(parseLsofFields(text)).toEqual([
      socket({ proto: 'tcp', localAddress: '*', localPort: 80, pid: 10, process: 'one', user: 'alice', uid: 1000 }),
      socket({ proto: 'udp', localAddress: '*', localPort: 53, pid: 11, process: 'two', inode: 4242 }),
    ]);
  });

  it('reads nothing from empty input, but refuses input that holds no socket (lsof warnings alone)', () => {
    expect(parseLsofFields('')).toEqual([]);
    expectParseError(
      () => parseLsofFields("lsof: WARNING: can't stat() fuse.gvfsd-fuse file system /run/user/1000/gvfs\n"),
      1,
      'no internet sockets in this lsof -F output (run lsof with -i)',
    );
  });

  it('refuses malformed output at the line that is wrong', () => {
    expectParseError(() => parseLsofFields(read('malformed-unknown-field.out')), 9, 'unknown lsof field "X"');
    expectParseError(() => parseLsofFields(read('malformed-port.out')), 8, 'port 70000 out of range');
    expectParseError(() => parseLsofFields(read('malformed-tcp-info.out')), 9, 'expected TCP/TPI info like "ST=LISTEN", got "STLISTEN"');
    expectParseError(() => parseLsofFields('p1\ntIPv4\nPTCP\nn*:(ssh)\n'), 4, 'port "(ssh)" is neither a number nor a service name');
    expectParseError(() => parseLsofFields('pabc\n'), 1, 'pid "abc" is not a number');
    expectParseError(() => parseLsofFields('p1\ntIPv4\nn*:22\n'), 2, 'IPv4 file has no P (protocol) field');
    expectParseError(() => parseLsofFields('p1\ntIPv4\nPTCP\n'), 3, 'internet file has no n (name) field');
    expectParseError(() => parseLsofFields('p1\u0000\u0000cfoo\u0000\n'), 1, 'empty lsof field');
  });
});

describe('lsofFieldsToCsv (the WebJob lsof-socket-out2csv.pl -h)', () => {
  it('prints the recipe seed exactly as the script does', () => {
    expect(lsofFieldsToCsv(read('webjob-seed.out'))).toBe(read('webjob-seed.csv'));
  });

  it('prints a Linux capture exactly as the script printed it (IPv6 sources lose their brackets)', () => {
    expect(lsofFieldsToCsv(read('linux-FLucRptPTn.out'))).toBe(read('linux-FLucRptPTn.csv'));
  });

  it("keeps the brackets of an IPv6 destination, as the script's regex does", () => {
    const csv = lsofFieldsToCsv('p1\nR1\ncssh\nu0\nLroot\ntIPv6\nPTCP\nn[::1]:22->[fe80::1]:33\nTST=ESTABLISHED\n');
    expect(csv.split('\n')[1]).toBe('root|0|ssh|1|1|IPv6|TCP|ESTABLISHED|::1|22|[fe80::1]|33');
  });

  it('starts each file from the process fields, so a TCP state never leaks into the next file', () => {
    const csv = lsofFieldsToCsv('p1\nR1\ncd\nu0\nLroot\ntIPv4\nPTCP\nn*:1\nTST=LISTEN\ntIPv4\nPUDP\nn*:2\n');
    expect(csv.split('\n').slice(1)).toEqual(['root|0|d|1|1|IPv4|TCP|LISTEN|*|1||', 'root|0|d|1|1|IPv4|UDP||*|2||', '']);
  });

  it("prints one row of empty fields for empty input, as the script's unconditional last print does", () => {
    expect(lsofFieldsToCsv('')).toBe('login|uid|command|ppid|pid|type|protocol|state|src_ip|src_port|dst_ip|dst_port\n|||||||||||\n');
  });

  it('fails where the script exits 2', () => {
    expectParseError(() => lsofFieldsToCsv(read('csv-refuses-extra-field.out')), 9, 'unknown field code in "f5"');
    expectParseError(() => lsofFieldsToCsv(read('malformed-tcp-info.out')), 9, 'invalid TCP/TPI data in "TSTLISTEN"');
    expectParseError(() => lsofFieldsToCsv(read('names.out')), 8, 'invalid address data in "nlocalhost:smtp"');
    expectParseError(() => lsofFieldsToCsv(read('no-type-field.out')), 7, 'missing field codes LuRt (needs lsof -FLucRptPTn)');
    expectParseError(() => lsofFieldsToCsv('p1\n\ncfoo\n'), 2, 'unknown field code in ""');
    expectParseError(() => lsofFieldsToCsv('p1\ncsendmail: accepting\n'), 2, 'unknown field code in "csendmail: accepting"');
  });

  it('accepts what the script accepts even where the socket parser would not (a port past 65535)', () => {
    expect(lsofFieldsToCsv(read('malformed-port.out')).split('\n')[1]).toBe('root|0|sendmail|1|91|IPv4|TCP|LISTEN|127.0.0.1|70000||');
  });

  it('reads lsof -F with -K and names: each socket once, however many tasks repeat it', () => {
    const rows = parseLsofFields(read('debian12-K-threads-names.out'));
    expect(rows).toHaveLength(10);
    expect(new Set(rows.map((row) => row.localPort))).toEqual(new Set([8080, 631, 18080, 25, 5353, 123, 15355, 59246, 50039]));
    expect(rows[0]).toEqual({
      ...socket({ proto: 'tcp', localAddress: 'localhost', localPort: 8080, state: 'LISTEN', pid: 9944, process: 'python3' }),
      localAddressKind: 'name',
    });
  });

  it('refuses routing tables and traceroute output instead of reading them as "no sockets"', () => {
    expectParseError(() => parseToolOutput('lsof-F', read('refused-debian12-route.out')), 1, 'a routing table (netstat -r, route), not lsof -F output');
    expectParseError(
      () => parseToolOutput('lsof-F', read('refused-debian12-traceroute.out')),
      1,
      'this looks like traceroute output, not lsof -F output (try --format traceroute)',
    );
  });
});
