// The alert list shows a summary alert's items folded under its message, without the host prefix.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AlertSummaryList } from '@/components/alerts/AlertSummaryList';
import type { AlertSummarySubject } from '@/lib/alerts/rules/alert-summary';

const summary: AlertSummarySubject = {
  summaryOf: 'listener.opened',
  count: 5000,
  items: [8000, 8001].map((port) => ({
    dedupeKey: `listener.opened:tcp:0.0.0.0:${port}`,
    label: `tcp 0.0.0.0:${port}`,
    level: 10,
    message: `web-01: new listener tcp 0.0.0.0:${port} (web, pid 900, user root)`,
  })),
  moreCount: 4998,
};

describe('a summary alert in the alert list', () => {
  it('folds its items in an expandable list and counts the ones not listed', () => {
    const html = renderToStaticMarkup(createElement(AlertSummaryList, { host: 'web-01', summary }));
    expect(html).toMatch(/^<details[^>]*data-testid="alert-summary"[^>]*><summary[^>]*>Show the first 2 of 5,000<\/summary>/);
    expect(html).toContain('<li class="break-words" title="listener.opened:tcp:0.0.0.0:8000">new listener tcp 0.0.0.0:8000 (web, pid 900, user root)</li>');
    expect(html).toContain('… and 4,998 more, in the <a class="link" href="/hosts/web-01?tab=history">host&#x27;s history</a>');
  });

  it('shows collector strings as text', () => {
    const hostile = {
      ...summary,
      items: [{ dedupeKey: 'k', label: '<img src=x onerror=alert(1)>', level: 10, message: 'web-01: new program <img src=x onerror=alert(1)>' }],
      moreCount: 0,
      count: 1,
    };
    const html = renderToStaticMarkup(createElement(AlertSummaryList, { host: 'web-01', summary: hostile }));
    expect(html).not.toContain('<img');
    expect(html).toContain('Show all 1');
  });
});
