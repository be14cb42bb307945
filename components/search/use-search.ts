'use client';
// One fleet-wide question: ask it, keep the answer (or why there is none) for what was asked, and
// page through it. An answer to an earlier question that arrives late is dropped.
import { useCallback, useRef, useState } from 'react';
import { describeFailure, type ResultPage } from '@/components/api/client';

/** Answers are small pages: no answer carries a whole fleet. */
export const SEARCH_PAGE_SIZE = 50;

export interface Search<Query, Row> {
  /** What the shown answer answers; null before the first question. */
  asked: Query | null;
  result: ResultPage<Row> | null;
  failure: string | null;
  run: (query: Query, page?: number) => Promise<void>;
  goToPage: (page: number) => void;
}

export function useSearch<Query, Row>(ask: (query: Query, page: number) => Promise<ResultPage<Row>>): Search<Query, Row> {
  const [state, setState] = useState<{ asked: Query | null; result: ResultPage<Row> | null; failure: string | null }>({
    asked: null,
    result: null,
    failure: null,
  });
  const latestRun = useRef(0);
  const run = useCallback(
    async (query: Query, page = 1) => {
      const id = ++latestRun.current;
      try {
        const result = await ask(query, page);
        if (id === latestRun.current) setState({ asked: query, result, failure: null });
      } catch (error) {
        if (id === latestRun.current) setState({ asked: query, result: null, failure: describeFailure(error) });
      }
    },
    [ask],
  );
  const { asked } = state;
  return { ...state, run, goToPage: (page) => void (asked !== null && run(asked, page)) };
}
