'use client';
// Big tables render a page of rows at a time, so a host with 50,000 connections stays responsive.
import { useState } from 'react';
import { buttonClass } from './styles';

const ROWS_PER_STEP = 500;

export function useRowLimit(step = ROWS_PER_STEP) {
  const [limit, setLimit] = useState(step);
  return { limit, showMore: () => setLimit((current) => current + step), reset: () => setLimit(step) };
}

export function ShowMoreRows({ shown, total, onShowMore, colSpan }: { shown: number; total: number; onShowMore: () => void; colSpan: number }) {
  if (shown >= total) return null;
  return (
    <tr>
      <td colSpan={colSpan} className="py-3 text-center">
        <button type="button" onClick={onShowMore} className={buttonClass}>
          Show {Math.min(ROWS_PER_STEP, total - shown)} more ({total - shown} not shown)
        </button>
      </td>
    </tr>
  );
}
