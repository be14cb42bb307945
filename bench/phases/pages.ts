// (5) Pages: server render of the fleet page (10,000 hosts) and of a host page with 2,000 sockets,
// timed from the GET leaving to the last byte of HTML, with a signed-in session.
import type { SocketRow } from '@/lib/schemas/snapshot';
import { buildProfile } from '../fleet';
import { summarize, type Summary } from '../stats';

export const PAGE_P95_GOAL_MS = 300;

export interface PageTiming {
  path: string;
  status: number;
  bytes: number;
  ms: Summary;
}

/** 2,000 sockets as a busy front end has them: a few dozen listeners, the rest connections. */
export function buildBigSockets(count = 2000): SocketRow[] {
  const sockets: SocketRow[] = [];
  for (let part = 0; sockets.length < count; part += 1) {
    for (const socket of buildProfile(5000 + part).sockets) {
      if (sockets.length >= count) break;
      if (socket.state === 'LISTEN' && part > 0) {
        sockets.push({ ...socket, localPort: (socket.localPort ?? 0) + part * 10 });
      } else {
        sockets.push({ ...socket, localAddress: socket.localAddress.replace(/^10\.\d+\./, `10.${part}.`) });
      }
    }
  }
  return sockets;
}

export async function timePage(url: string, path: string, cookie: string, runs: number): Promise<PageTiming> {
  const fetchOnce = async () => {
    const started = performance.now();
    const response = await fetch(`${url}${path}`, { headers: { cookie }, redirect: 'manual' });
    const html = await response.text();
    return { ms: performance.now() - started, status: response.status, bytes: Buffer.byteLength(html) };
  };
  for (let warm = 0; warm < 3; warm += 1) await fetchOnce();
  const samples: number[] = [];
  let last = { status: 0, bytes: 0 };
  for (let run = 0; run < runs; run += 1) {
    const result = await fetchOnce();
    samples.push(result.ms);
    last = result;
  }
  return { path, status: last.status, bytes: last.bytes, ms: summarize(samples) };
}
