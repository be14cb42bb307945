import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDeviceAttributes } from '../../../collector/gather/linux/interfaces';

const sysRoot = mkdtempSync(join(tmpdir(), 'sockscope-sysfs-'));
afterAll(() => rmSync(sysRoot, { recursive: true, force: true }));

function device(name: string, address: string): void {
  const directory = join(sysRoot, 'class/net', name);
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'ifindex'), '7\n');
  writeFileSync(join(directory, 'flags'), '0x1003\n');
  writeFileSync(join(directory, 'address'), `${address}\n`);
}

describe('readDeviceAttributes', () => {
  it("keeps link-layer addresses as sysfs prints them, InfiniBand's 20 bytes included", () => {
    device('eth0', '02:42:ac:11:00:02');
    device('ib0', '80:00:02:08:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0b:3f:71');
    expect(readDeviceAttributes(sysRoot, 'eth0')?.mac).toBe('02:42:ac:11:00:02');
    expect(readDeviceAttributes(sysRoot, 'ib0')?.mac).toBe('80:00:02:08:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0b:3f:71');
  });

  it('drops an address that is not one (a file put there in a container), rather than sending it on', () => {
    device('fake0', 'root:$y$j9T$secret:19700:0:99999:7:::');
    expect(readDeviceAttributes(sysRoot, 'fake0')?.mac).toBeNull();
  });
});
