import { describe, expect, it } from 'vitest';
import { hostName } from '../../../lib/schemas/snapshot';
import { describeOperatingSystem, parsePrettyName, parseUserHomes, parseUserNames, sanitizeHostName } from '../../../collector/gather/linux/system-files';

describe('parseUserNames', () => {
  it('maps uids to names and keeps the first of two entries for one uid', () => {
    const names = parseUserNames(
      'root:x:0:0:root:/root:/bin/bash\n# comment\ntoor:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/:/usr/sbin/nologin\nbroken line\n:x:5:5::/:\n',
    );
    expect([...names]).toEqual([
      [0, 'root'],
      [65534, 'nobody'],
    ]);
  });
});

describe('parseUserHomes', () => {
  it('maps uids to absolute home directories, first entry first', () => {
    const homes = parseUserHomes(
      'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\nalias:x:1000:1000::/srv/other:/bin/sh\nodd:x:5:5::relative:/bin/sh\n',
    );
    expect([...homes]).toEqual([
      [0, '/root'],
      [1000, '/home/alice'],
    ]);
  });
});

describe('parsePrettyName', () => {
  it('unquotes the value', () => {
    expect(parsePrettyName('NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')).toBe('Debian GNU/Linux 12 (bookworm)');
    expect(parsePrettyName("PRETTY_NAME='Alpine Linux v3.20'")).toBe('Alpine Linux v3.20');
    expect(parsePrettyName('PRETTY_NAME=Plain')).toBe('Plain');
    expect(parsePrettyName('PRETTY_NAME="Say \\"hi\\""')).toBe('Say "hi"');
  });

  it('is null when absent or empty', () => {
    expect(parsePrettyName('NAME=x')).toBeNull();
    expect(parsePrettyName('PRETTY_NAME=""')).toBeNull();
  });
});

describe('sanitizeHostName', () => {
  it.each([
    ['web-01', 'web-01'],
    ['web 01.example.com', 'web-01.example.com'],
    ['-leading.dash', 'leading.dash'],
    ['ünïcode', 'n-code'],
    ['', 'localhost'],
    ['___', 'localhost'],
  ])('%j → %j', (raw, expected) => {
    expect(sanitizeHostName(raw)).toBe(expected);
  });

  it('always satisfies the schema', () => {
    for (const raw of ['a'.repeat(400), ' x ', 'a/b\\c', '\u0000x']) expect(hostName.safeParse(sanitizeHostName(raw)).success).toBe(true);
  });
});

describe('describeOperatingSystem', () => {
  it('names kernel, machine and distribution', () => {
    expect(describeOperatingSystem('6.1.0-18-amd64', 'x86_64', 'Debian GNU/Linux 12 (bookworm)')).toBe(
      'Linux 6.1.0-18-amd64 x86_64, Debian GNU/Linux 12 (bookworm)',
    );
    expect(describeOperatingSystem('6.1.0', 'aarch64', null)).toBe('Linux 6.1.0 aarch64');
  });
});
