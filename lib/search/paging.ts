// Paging shared by the fleet-wide questions: pages are small, so no answer ever carries a whole fleet.
import { z } from 'zod';

export const pagingSchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type Paging = z.infer<typeof pagingSchema>;

export interface ResultPage<Row> {
  rows: Row[];
  /** Matching rows in all pages. */
  total: number;
  /** Distinct hosts among all matching rows. */
  hostCount: number;
  page: number;
  pageSize: number;
}

export const offsetOf = (paging: Paging) => (paging.page - 1) * paging.pageSize;

/** One page of rows, with the counts over all pages (the count query's one row; none: nothing matched). */
export function toResultPage<Row>(rows: Row[], counts: { total: number; hostCount: number } | undefined, paging: Paging): ResultPage<Row> {
  return { rows, total: counts?.total ?? 0, hostCount: counts?.hostCount ?? 0, page: paging.page, pageSize: paging.pageSize };
}
