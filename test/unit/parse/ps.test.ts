import { describe, expect, it } from 'vitest';
import { parsePs } from '@/collector/parse/ps';
import { type ProcessRow, processSchema } from '@/lib/schemas/snapshot';
import { expectParseError, processRow, readFixture } from './helpers';

const read = (name: string) => readFixture('ps', name);

/** The processes captured on Linux, as `ps u`, `ps -ef` and `ps -eo pid,ppid,user,uid,lstart,args` all show them. */
const captured = [
  { pid: 2, ppid: 0, user: 'root', uid: 0, command: 'kthreadd', args: null, startedAt: '2026-11-21T11:27:17.000Z' },
  { pid: 3, ppid: 2, user: 'root', uid: 0, command: 'pool_workqueue_release', args: null, startedAt: '2026-11-21T11:27:17.000Z' },
  { pid: 4, ppid: 2, user: 'root', uid: 0, command: 'kworker/R-rcu_gp', args: null, startedAt: '2026-11-21T11:27:17.000Z' },
  { pid: 14, ppid: 2, user: 'root', uid: 0, command: 'ksoftirqd/0', args: null, startedAt: '2026-11-21T11:27:17.000Z' },
  {
    pid: 2185,
    ppid: 1,
    user: 'postgres',
    uid: 101,
    command: 'postgres',
    args: '/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main -c config_file=/etc/postgresql/15/main/postgresql.conf',
    startedAt: '2026-11-21T11:27:46.000Z',
  },
  { pid: 2186, ppid: 2185, user: 'postgres', uid: 101, command: 'postgres', args: 'postgres: 15/main: checkpointer', startedAt: '2026-11-21T11:27:46.000Z' },
  { pid: 2205, ppid: 1, user: 'root', uid: 0, command: 'redis-server', args: 'redis-server 127.0.0.1:6379', startedAt: '2026-11-21T11:27:49.000Z' },
  {
    pid: 2889,
    ppid: 1,
    user: 'rabbitmq',
    uid: 106,
    command: 'epmd',
    args: '/usr/lib/erlang/erts-13.1.5/bin/epmd -daemon',
    startedAt: '2026-11-21T11:27:58.000Z',
  },
  // procps cuts "mosquitto" to "mosquit+": not a user name, so no user.
  {
    pid: 2939,
    ppid: 1,
    user: null,
    uid: 105,
    command: 'mosquitto',
    args: 'mosquitto -d -c /etc/mosquitto/mosquitto.conf',
    startedAt: '2026-11-21T11:27:58.000Z',
  },
  {
    pid: 24100,
    ppid: 1,
    user: 'root',
    uid: 0,
    command: 'nginx',
    args: 'nginx: master process /usr/sbin/nginx -g daemon on; master_process on; 900',
    startedAt: '2026-11-21T11:44:08.000Z',
  },
  { pid: 24102, ppid: 1, user: 'root', uid: 0, command: 'sleep', args: 'sleep 901', startedAt: '2026-11-21T11:44:08.000Z' },
] satisfies ProcessRow[];

describe('parsePs', () => {
  it('reads ps -eo pid,ppid,user,uid,lstart,args: parent, uid and an absolute start time (read as UTC)', () => {
    const rows = parsePs(read('linux-ps-eo-lstart.txt'));
    expect(rows).toEqual(captured);
    for (const row of rows) expect(processSchema.safeParse(row).success).toBe(true);
  });

  it('reads ps u (the ps aux columns): no parent, no uid, no absolute start time', () => {
    expect(parsePs(read('linux-ps-u.txt'))).toEqual(captured.map((row) => ({ ...row, ppid: null, uid: null, startedAt: null })));
  });

  it('reads ps -ef, whose UID column holds the user name', () => {
    expect(parsePs(read('linux-ps-ef.txt'))).toEqual(captured.map((row) => ({ ...row, uid: null, startedAt: null })));
  });

  it('reads the ps aux seed: tab-separated, a blank line inside, kernel threads in brackets, commands with spaces', () => {
    const rows = parsePs(read('seed-ps-aux.txt'));
    expect(rows).toHaveLength(84);
    expect(rows.slice(0, 5)).toEqual([
      processRow({ pid: 1, user: 'root', command: 'init', args: 'init [5]' }),
      processRow({ pid: 2, user: 'root', command: 'keventd' }),
      processRow({ pid: 3, user: 'root', command: 'kswapd' }),
      processRow({ pid: 4, user: 'root', command: 'kreclaimd' }),
      processRow({ pid: 5, user: 'root', command: 'bdf flush' }),
    ]);
    const byPid = new Map(rows.map((row) => [row.pid, row]));
    expect([489, 508, 783, 812, 942, 1039, 4855, 11168].map((pid) => byPid.get(pid))).toEqual([
      processRow({ pid: 489, user: 'root', command: 'syslogd', args: 'syslogd -m 0' }),
      processRow({ pid: 508, user: 'rpc', command: 'portmap', args: 'portmap' }),
      processRow({ pid: 783, user: 'root', command: 'sendmail', args: 'sendmail: accepti' }),
      processRow({ pid: 812, user: 'root', command: 'httpd', args: '/usr/sbin/httpd -' }),
      processRow({ pid: 942, user: 'root', command: '-:0', args: '-:0' }),
      processRow({ pid: 1039, user: 'root', command: 'kdeinit', args: 'kdeinit: dcopserv' }),
      processRow({ pid: 4855, user: 'apache', command: 'httpd', args: '/usr/sbin/httpd -' }),
      processRow({ pid: 11168, user: 'root', command: 'more', args: 'more' }),
    ]);
  });

  it('reads ps auxf, the process tree drawn in front of the command, and zombies', () => {
    expect(parsePs(read('linux-ps-auxf.txt'))).toEqual([
      processRow({ pid: 671, user: 'root', command: 'sshd', args: 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups' }),
      processRow({ pid: 2207, user: 'root', command: 'sshd', args: 'sshd: alice [priv]' }),
      processRow({ pid: 2210, user: 'alice', command: 'sshd', args: 'sshd: alice@pts/0' }),
      processRow({ pid: 2211, user: 'alice', command: '-bash', args: '-bash' }),
      processRow({ pid: 2290, user: 'root', command: 'sshd' }),
      processRow({ pid: 599, command: 'systemd-networkd', args: '/lib/systemd/systemd-networkd' }),
    ]);
  });

  it('reads macOS ps aux (STARTED instead of START)', () => {
    expect(parsePs(read('macos-ps-aux.txt'))).toEqual([
      processRow({
        pid: 158,
        user: '_windowserver',
        command: 'WindowServer',
        args: '/System/Library/PrivateFrameworks/SkyLight.framework/Resources/WindowServer -daemon',
      }),
      // ps joins argv with spaces; the bundle tells where the path (and its executable's name) ends.
      processRow({ pid: 901, user: 'alice', command: 'Google Chrome', args: '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome' }),
      processRow({ pid: 1, user: 'root', command: 'launchd', args: '/sbin/launchd' }),
      processRow({ pid: 186, user: '_mdnsresponder', command: 'mDNSResponder', args: '/usr/sbin/mDNSResponder' }),
      processRow({ pid: 412, user: 'root', command: 'cupsd', args: '/usr/sbin/cupsd -l' }),
      processRow({ pid: 1337, user: 'alice', command: 'ssh', args: 'ssh admin@fe80::aede:48ff:fe00:1122%en0' }),
    ]);
  });

  it('reads nothing from empty input, and refuses a header alone', () => {
    expect(parsePs('')).toEqual([]);
    expectParseError(() => parsePs('USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND\n'), 1, 'no process in this ps output (a header only)');
  });

  it('refuses malformed output at its line', () => {
    expectParseError(() => parsePs(read('malformed-no-header.txt')), 1, /^expected a ps header such as "USER PID \.\.\. COMMAND", got "root/);
    expectParseError(() => parsePs(read('malformed-pid.txt')), 3, 'pid "12x4" is not a number');
    expectParseError(() => parsePs(read('malformed-lstart.txt')), 2, 'start time "Fri Nov 21 11:27:17 2026" is not a real date');
    expectParseError(() => parsePs(read('malformed-short-line.txt')), 2, 'expected 6 columns, got 3');
    expectParseError(() => parsePs('PID TTY TIME\n1 ? 0:01\n'), 1, 'ps header has no COMMAND column');
  });

  it('reads macOS program paths with spaces: the bundle, not the first space, ends the path', () => {
    expect(parsePs(read('macos-ps-aux-spaces.txt')).map((row) => row.command)).toEqual([
      'softwareupdated',
      'SoftwareUpdateNotificationManager',
      'Google Chrome',
      'Google Chrome Helper (Renderer)',
      'jamfAgent',
      'python3',
      'launchd',
    ]);
  });

  it('reads ps u and ps -f captured on Linux', () => {
    expect(parsePs(read('debian12-ps-u.txt')).map((row) => [row.pid, row.user, row.command])).toEqual([
      [2201, 'postgres', 'postgres'],
      [2202, 'postgres', 'postgres'],
      [2221, 'root', 'redis-server'],
      [2906, 'rabbitmq', 'epmd'],
      [2951, 'rabbitmq', 'beam.smp'],
      // procps cuts user names longer than 8 characters to 7 and a `+`: not the real name.
      [2956, null, 'mosquitto'],
      [2960, 'root', 'nats-server'],
      [3790, 'mysql', 'mariadbd'],
      [9944, 'root', 'python3'],
    ]);
    expect(parsePs(read('debian12-ps-f.txt')).map((row) => [row.pid, row.ppid, row.command])).toEqual([
      [2201, 1, 'postgres'],
      [2202, 2201, 'postgres'],
      [2221, 1, 'redis-server'],
      [2906, 1, 'epmd'],
      [9944, 1, 'python3'],
    ]);
  });
});
