// Which file systems the collector may touch beyond /proc and /sys. Looking at a file on FUSE asks
// a user's daemon, which may never answer; on NFS, CIFS or 9p it asks a server, which may be gone.
// Either would freeze the collector in a system call, so executables there are neither looked at
// nor hashed, and a container root there is not walked through. Whether a file is on such a file
// system is told from /proc (mountinfo, maps), which the kernel answers itself.
import { closeSync, openSync, readSync } from 'node:fs';
import { readKernelText } from './read-files';

/** Kernel file systems that answer from memory or a local disk. Anything else (fuse.*, nfs, cifs, 9p, ceph…) is not touched. */
const LOCAL_FILESYSTEM_TYPES = new Set([
  'ext2',
  'ext3',
  'ext4',
  'xfs',
  'btrfs',
  'f2fs',
  'jfs',
  'reiserfs',
  'nilfs2',
  'bcachefs',
  'zfs',
  'overlay',
  'aufs',
  'tmpfs',
  'ramfs',
  'rootfs',
  'devtmpfs',
  'squashfs',
  'erofs',
  'iso9660',
  'udf',
  'vfat',
  'msdos',
  'exfat',
  'ntfs3',
  'hfsplus',
]);

export function isLocalFilesystem(type: string | undefined): boolean {
  return type !== undefined && LOCAL_FILESYSTEM_TYPES.has(type);
}

interface Mount {
  mountPoint: string;
  /** `major:minor`, decimal. */
  device: string;
  type: string;
}

export interface MountTable {
  /** File system type by device (`major:minor`, decimal). */
  typeByDevice: Map<string, string>;
  mounts: Mount[];
}

/** mountinfo escapes space, tab, newline and backslash in paths as octal (`\040`). */
function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

/** /proc/PID/mountinfo: `ID PARENT MAJOR:MINOR ROOT MOUNT-POINT OPTIONS [OPTIONAL…] - TYPE SOURCE SUPER-OPTIONS`. */
export function parseMountinfo(text: string): MountTable {
  const typeByDevice = new Map<string, string>();
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const separator = line.indexOf(' - ');
    if (separator < 0) continue;
    const [, , device, , mountPoint] = line.slice(0, separator).split(' ');
    const type = line.slice(separator + 3).split(' ')[0];
    if (device === undefined || mountPoint === undefined || type === undefined || type === '') continue;
    typeByDevice.set(device, type);
    mounts.push({ mountPoint: unescapeMountPath(mountPoint), device, type });
  }
  return { typeByDevice, mounts };
}

/** The type of the mount that holds a path (the longest mount point above it); later mounts hide earlier ones. */
export function filesystemTypeOfPath(table: MountTable, path: string): string | undefined {
  let best: Mount | undefined;
  for (const mount of table.mounts) {
    const isAbove = mount.mountPoint === '/' || path === mount.mountPoint || path.startsWith(`${mount.mountPoint}/`);
    if (isAbove && (best === undefined || mount.mountPoint.length >= best.mountPoint.length)) best = mount;
  }
  return best?.type;
}

/**
 * The device of a mapped file from /proc/PID/maps (`START-END PERMS OFFSET MAJOR:MINOR INODE PATH`,
 * device in hex), as mountinfo writes it (decimal); null when no mapping shows that path.
 */
export function deviceOfMapping(mapsText: string, path: string): string | null {
  for (const line of mapsText.split('\n')) {
    const match = /^\S+ \S+ \S+ ([0-9a-f]+):([0-9a-f]+) \d+ +(.*)$/.exec(line);
    if (match?.[3] === path) return `${Number.parseInt(match[1] ?? '', 16)}:${Number.parseInt(match[2] ?? '', 16)}`;
  }
  return null;
}

/**
 * Where executables may be looked at, and container roots walked into. A device counts as local
 * only when our own mount table shows it with a local type: mounts made in a user's own mount
 * namespace (an overlay over that user's FUSE directory, a fuse-overlayfs root) are not there, and
 * are not trusted whatever their type.
 */
export class LocalFilesystems {
  private ownTable: MountTable | undefined;

  constructor(private readonly procRoot: string) {}

  private ownMountTable(): MountTable {
    this.ownTable ??= parseMountinfo(readKernelText(`${this.procRoot}/self/mountinfo`) ?? '');
    return this.ownTable;
  }

  private isDeviceLocal(device: string): boolean {
    return isLocalFilesystem(this.ownMountTable().typeByDevice.get(device));
  }

  /**
   * True when the executable behind /proc/PID/exe, whose link reads `link`, is on a local file
   * system. /proc/PID/maps names its device: usually on the first page, after address space
   * reserved up front in some programs (chromium's V8 cage); not looked for past MAX_MAPS_BYTES.
   * A process without such a mapping, a path the kernel cannot print, or a memfd (on a device no
   * mount table shows, which a crafted mount could imitate) gets "no".
   */
  isExecutableLocal(pid: number, link: string): boolean {
    const device = findMappingDevice(`${this.procRoot}/${pid}/maps`, link);
    return device !== null && this.isDeviceLocal(device);
  }

  /** True when a process's root is on a local file system of ours and its /sys is a sysfs, by its own mount table. */
  hasLocalRootAndSysfs(pid: number): boolean {
    const text = readKernelText(`${this.procRoot}/${pid}/mountinfo`);
    if (text === null) return false;
    const table = parseMountinfo(text);
    const root = mountAt(table, '/');
    return root !== undefined && this.isDeviceLocal(root.device) && filesystemTypeOfPath(table, '/sys') === 'sysfs';
  }

  /** True when a path of ours (a home directory, say) is on a local file system. */
  isPathLocal(path: string): boolean {
    return isLocalFilesystem(filesystemTypeOfPath(this.ownMountTable(), path));
  }
}

/** The last mount at exactly this mount point: the one on top. */
function mountAt(table: MountTable, mountPoint: string): Mount | undefined {
  return table.mounts.filter((mount) => mount.mountPoint === mountPoint).at(-1);
}

/**
 * maps is read a little at a time until the mapping shows up, and no further than MAX_MAPS_BYTES.
 * The kernel formats only as many lines as a read asks for, and the executable is usually among
 * the first few, so the first read is small.
 */
const MAPS_FIRST_READ = 512;
const MAPS_NEXT_READ = 4096;
const MAX_MAPS_BYTES = 64 * 1024;
let mapsBuffer: Buffer | undefined;

/** The device of the mapping of `path` in a maps file, reading no more of it than needed; null when not found. */
function findMappingDevice(mapsPath: string, path: string): string | null {
  let fd: number;
  try {
    fd = openSync(mapsPath, 'r');
  } catch {
    return null;
  }
  try {
    mapsBuffer ??= Buffer.allocUnsafe(MAX_MAPS_BYTES);
    let length = 0;
    while (length < MAX_MAPS_BYTES) {
      const wanted = length === 0 ? MAPS_FIRST_READ : MAPS_NEXT_READ;
      const bytesRead = readSync(fd, mapsBuffer, length, Math.min(wanted, MAX_MAPS_BYTES - length), null);
      if (bytesRead === 0) break;
      length += bytesRead;
      const text = mapsBuffer.toString('utf8', 0, length);
      // Only whole lines: the last one may continue in the next read.
      const device = deviceOfMapping(text.slice(0, text.lastIndexOf('\n') + 1), path);
      if (device !== null) return device;
    }
    return null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
