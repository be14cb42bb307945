'use client';
// Previous / "Page 2 of 7" / Next under a paged list; nothing when there is one page.
import { buttonClass } from './styles';

export function Pager({
  label,
  page,
  pageCount,
  onPage,
  isAlwaysShown = false,
}: {
  label: string;
  page: number;
  pageCount: number;
  onPage: (page: number) => void;
  isAlwaysShown?: boolean;
}) {
  if (pageCount <= 1 && !isAlwaysShown) return null;
  return (
    <nav aria-label={label} className="flex items-center gap-3 text-sm">
      <button type="button" className={buttonClass} disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span className="tabular-nums text-slate-400 light:text-slate-600">
        Page {page} of {pageCount}
      </span>
      <button type="button" className={buttonClass} disabled={page >= pageCount} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}
