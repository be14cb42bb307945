// The items of a summary alert ("5,000 new listeners"), folded under its message until asked for.
import Link from 'next/link';
import { hostPath } from '@/components/common/url-state';
import { formatCount, type AlertSummarySubject } from '@/lib/alerts/rules/alert-summary';

export function AlertSummaryList({ host, summary }: { host: string; summary: AlertSummarySubject }) {
  const hostPrefix = `${host}: `;
  return (
    <details className="mt-1 text-xs" data-testid="alert-summary">
      <summary className="cursor-pointer text-slate-400 light:text-slate-600">
        {summary.moreCount > 0
          ? `Show the first ${formatCount(summary.items.length)} of ${formatCount(summary.count)}`
          : `Show all ${formatCount(summary.count)}`}
      </summary>
      <ul className="mt-1 max-h-64 space-y-0.5 overflow-y-auto" data-testid="alert-summary-items">
        {summary.items.map((item) => (
          <li key={item.dedupeKey} className="break-words" title={item.dedupeKey}>
            {/* Each item's own message, without the host name the row already shows. */}
            {item.message.startsWith(hostPrefix) ? item.message.slice(hostPrefix.length) : item.message}
          </li>
        ))}
      </ul>
      {summary.moreCount > 0 && (
        <p className="mt-1 text-slate-400 light:text-slate-600">
          … and {formatCount(summary.moreCount)} more, in the{' '}
          <Link className="link" href={hostPath(host, '?tab=history')}>
            host&apos;s history
          </Link>
          .
        </p>
      )}
    </details>
  );
}
