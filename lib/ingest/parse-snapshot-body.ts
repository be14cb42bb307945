// Reads and validates a snapshot request body: size limit first (413), then JSON (400), then the
// contract schema (400 with the failing field paths).
import { AppError } from '@/lib/http/errors';
import { readTextWithLimit } from '@/lib/http/read-json-body';
import { zodIssues } from '@/lib/http/respond';
import { snapshotSchema, type Snapshot } from '@/lib/schemas/snapshot';

export function readBodyWithLimit(request: Request, maxBytes: number): Promise<string> {
  return readTextWithLimit(request, maxBytes, 'snapshot');
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
