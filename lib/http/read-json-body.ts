// Request bodies of the analyst API: JSON only, small, valid UTF-8. Checked before parsing so a
// 10 MB string or a form post from another site never reaches a handler.
import { AppError } from '@/lib/errors';

/** Analyst requests carry a name, a note, a few labels: 64 KiB is far more than any needs. */
const MAX_JSON_BODY_BYTES = 64 * 1024;

export async function readJsonBody(request: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new AppError('unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json".');
  }
  const text = await readTextWithLimit(request, maxBytes);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('bad_request', 'The body is not valid JSON.', [{ path: '(body)', message: 'invalid JSON' }]);
  }
}

/** The body as text, refusing more than `maxBytes` (413, checked while reading) and invalid UTF-8 (400). */
async function readTextWithLimit(request: Request, maxBytes: number, what = 'body'): Promise<string> {
  const tooLarge = () => new AppError('payload_too_large', `The ${what} is larger than the limit of ${maxBytes} bytes.`);
  const declared = Number(request.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
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
      throw tooLarge();
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError('bad_request', 'The body is not valid UTF-8.', [{ path: '(body)', message: 'invalid UTF-8' }]);
  }
}
