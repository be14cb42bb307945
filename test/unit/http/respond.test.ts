// Database errors a client cannot fix but can retry become 503 + Retry-After, never a bare 500.
import { describe, expect, it } from 'vitest';
import { errorResponse } from '@/lib/http/respond';

// How the pg driver adapter hands a PostgreSQL error through Prisma: the SQLSTATE on a cause.
const databaseError = (sqlState: string) => Object.assign(new Error('query failed'), { cause: { originalCode: sqlState, message: 'from PostgreSQL' } });

describe('errorResponse', () => {
  it.each([
    ['40P01', 'deadlock detected'],
    ['40001', 'serialization failure'],
    ['55P03', 'lock not available'],
  ])('answers %s (%s) with 503 and Retry-After', async (sqlState) => {
    const response = errorResponse(databaseError(sqlState));
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unavailable');
  });

  it('keeps other database errors a generic 500 that shows nothing of them', async () => {
    const response = errorResponse(databaseError('42P01'));
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('PostgreSQL');
  });
});
