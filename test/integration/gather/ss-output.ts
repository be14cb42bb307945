// Reads `ss -tuwnapH` output for the agreement tests (the product's own ss parser lives in collector/parse).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface SsSocket {
  netid: 'tcp' | 'udp' | 'raw';
  family: 4 | 6;
  /** Kernel state name as the gatherer writes it: LISTEN, ESTABLISHED, TIME_WAIT...; null for UNCONN. */
  state: string | null;
  localAddress: string;
  localPort: number | null;
  remoteAddress: string;
  remotePort: number | null;
  holders: Array<{ process: string; pid: number }>;
}

/** ss names states its own way (ESTAB, TIME-WAIT, UNCONN); the kernel and the gatherer say ESTABLISHED, TIME_WAIT, null. */
function kernelStateName(ssState: string): string | null {
  if (ssState === 'UNCONN') return null;
  if (ssState === 'ESTAB') return 'ESTABLISHED';
  if (ssState === 'SYN-RECV') return 'SYN_RECV';
  if (ssState === 'FIN-WAIT-1') return 'FIN_WAIT1';
  if (ssState === 'FIN-WAIT-2') return 'FIN_WAIT2';
  return ssState.replaceAll('-', '_');
}

/**
 * `127.0.0.1:22`, `[::1]:22`, `*:22` (a dual-stack IPv6 socket), `[fe80::1]%eth0:22` or
 * `127.0.0.53%lo:53` (bound to a device) → address without brackets or device, and port (`*` → null).
 */
function parseSsEndpoint(text: string): { address: string; port: number | null; family: 4 | 6 } {
  const colon = text.lastIndexOf(':');
  const portText = text.slice(colon + 1);
  let address = text.slice(0, colon);
  const percent = address.indexOf('%');
  if (percent >= 0) address = address.slice(0, percent);
  let family: 4 | 6 = 4;
  if (address.startsWith('[') && address.endsWith(']')) {
    address = address.slice(1, -1);
    family = 6;
  } else if (address === '*') {
    address = '::';
    family = 6;
  }
  return { address, port: portText === '*' ? null : Number(portText), family };
}

const HOLDER = /\("((?:[^"]|"(?!,pid=))*)",pid=(\d+),fd=\d+\)/g;

function parseSsLine(line: string): SsSocket | null {
  const fields = line.trim().split(/\s+/);
  const [netid, state, , , local, remote] = fields;
  if ((netid !== 'tcp' && netid !== 'udp' && netid !== 'raw') || state === undefined || local === undefined || remote === undefined) return null;
  const localEndpoint = parseSsEndpoint(local);
  const remoteEndpoint = parseSsEndpoint(remote);
  const holders = [...line.matchAll(HOLDER)].map((match) => ({ process: match[1] ?? '', pid: Number(match[2]) }));
  return {
    netid,
    family: localEndpoint.family,
    state: kernelStateName(state),
    localAddress: localEndpoint.address,
    localPort: localEndpoint.port,
    remoteAddress: remoteEndpoint.address,
    remotePort: remoteEndpoint.port,
    holders,
  };
}

function parseSsOutput(text: string): SsSocket[] {
  return text
    .split('\n')
    .map(parseSsLine)
    .filter((socket): socket is SsSocket => socket !== null);
}

const run = promisify(execFile);

/**
 * Every TCP, UDP and raw socket of our own namespace (`-tuwnapH`), or of a named one through `ip netns exec`;
 * `filter` is ss's own (`exclude time-wait`).
 */
export async function runSs(options: { namespace?: string; flags?: string; filter?: readonly string[] } = {}): Promise<SsSocket[]> {
  const ssArgs = [options.flags ?? '-tuwnapH', ...(options.filter ?? [])];
  const [command, args] = options.namespace === undefined ? ['ss', ssArgs] : ['ip', ['netns', 'exec', options.namespace, 'ss', ...ssArgs]];
  const { stdout } = await run(command, args, { maxBuffer: 256 * 1024 * 1024 });
  return parseSsOutput(stdout);
}
