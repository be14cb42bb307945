// Page timings: a server-rendered page or API answer, from the GET leaving to its last byte, with a
// signed-in session.
import { summarize, type Summary } from '../stats';

export const PAGE_P95_GOAL_MS = 300;

export interface PageTiming {
  path: string;
  status: number;
  bytes: number;
  ms: Summary;
}

export async function timePage(url: string, path: string, cookie: string, runs: number): Promise<PageTiming> {
  const fetchOnce = async () => {
    const started = performance.now();
    const response = await fetch(`${url}${path}`, { headers: { cookie }, redirect: 'manual' });
    const text = await response.text();
    return { ms: performance.now() - started, status: response.status, bytes: Buffer.byteLength(text) };
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
