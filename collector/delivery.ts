// Replays the spool oldest first, so the server sees snapshots in collection order, each with its
// original idempotency key (a resend after a lost answer is stored once).
import type { Logger } from './log';
import type { SendOutcome } from './send';
import type { Spool, SpoolEntry } from './spool';

type SendBody = (body: string) => Promise<SendOutcome>;

export interface DrainResult {
  delivered: number;
  rejected: SpoolEntry[];
  /** Set when a send must be retried later; the rest of the spool waits behind it. */
  retry: Extract<SendOutcome, { kind: 'retry' }> | null;
  /** False when the drain stopped early (deadline or stop signal) with entries left to send. */
  isComplete: boolean;
}

export interface DrainOptions {
  spool: Spool;
  send: SendBody;
  log: Logger;
  /** Once aborted, no new POST starts (the one in flight is bounded by the sender's own signal). */
  stopSignal?: AbortSignal;
  /** Epoch ms after which no new POST starts, so a long backlog does not delay the next collection. */
  deadline?: number;
}

export async function drainSpool({ spool, send, log, stopSignal, deadline }: DrainOptions): Promise<DrainResult> {
  const result: DrainResult = { delivered: 0, rejected: [], retry: null, isComplete: false };
  for (const entry of await spool.list()) {
    if (stopSignal?.aborted) return result;
    if (deadline !== undefined && Date.now() >= deadline) return result;
    const body = await spool.read(entry);
    if (body === null) continue;
    const outcome = await send(body);
    if (outcome.kind === 'delivered') {
      await spool.remove(entry);
      result.delivered += 1;
      log.info(`sent ${entry.name}: HTTP ${outcome.status} ${summariseAnswer(outcome.body)}`);
      continue;
    }
    if (outcome.kind === 'rejected') {
      await spool.reject(entry, { status: outcome.status, body: outcome.body });
      result.rejected.push(entry);
      log.error(
        `server refused ${entry.name}: HTTP ${outcome.status} ${outcome.body.trim() || '(empty body)'}; ` + `not retried, kept in ${spool.rejectedDir}`,
      );
      continue;
    }
    result.retry = outcome;
    return result;
  }
  result.isComplete = true;
  return result;
}

/** The server's `{id, changed}` in a few words, for an info line. */
function summariseAnswer(body: string): string {
  try {
    const answer = JSON.parse(body) as { id?: unknown; changed?: unknown };
    if (answer && typeof answer === 'object' && 'id' in answer) return `id=${String(answer.id)}`;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return body.slice(0, 200);
}
