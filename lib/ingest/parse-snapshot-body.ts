// Reads and validates a snapshot request body: size limit first (413), then JSON (400), then the
// contract schema (400 with the failing field paths).
import { AppError } from '@/lib/http/errors';
import { zodIssues } from '@/lib/http/respond';
import { snapshotSchema, type Snapshot } from '@/lib/schemas/snapshot';

export async function readBodyWithLimit(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError('bad_request', 'The body is not valid UTF-8.', [{ path: '(body)', message: 'invalid UTF-8' }]);
  }
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('payload_too_large', `The snapshot is larger than the limit of ${maxBytes} bytes.`);
}

export function parseSnapshotJson(body: string): Snapshot {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new AppError('bad_request', `The body is not valid JSON: ${(error as Error).message.slice(0, 200)}`, [
      { path: '(body)', message: 'invalid JSON' },
    ]);
  }
  const parsed = snapshotSchema.safeParse(value);
  if (!parsed.success) {
    const fields = zodIssues(parsed.error);
    throw new AppError('bad_request', `Invalid snapshot: ${fields[0]?.path}: ${fields[0]?.message}`, fields);
  }
  return parsed.data;
}
