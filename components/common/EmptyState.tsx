// What an empty tab, table or page says: why there is nothing, and what to do about it — with the
// exact command or setting, so a newcomer is never left at "no data".
import type { ReactNode } from 'react';
import { buttonClass } from './styles';

export function EmptyState({ title, children, testId = 'empty-state' }: { title: ReactNode; children?: ReactNode; testId?: string }) {
  return (
    <div className="mx-auto max-w-2xl space-y-2 text-left text-sm text-slate-400 light:text-slate-600" data-testid={testId}>
      <p className="font-medium text-slate-200 light:text-slate-800">{title}</p>
      {children}
    </div>
  );
}

/** A command or setting to copy, on a line of its own. */
export function Command({ children }: { children: ReactNode }) {
  return (
    <code className="mono block rounded bg-slate-800 px-2 py-1 text-xs whitespace-pre-wrap text-slate-100 select-all light:bg-slate-100 light:text-slate-900">
      {children}
    </code>
  );
}

/** A name to type (a setting, a file, a flag) inside a sentence. */
export function Code({ children }: { children: ReactNode }) {
  return <code className="mono text-slate-200 light:text-slate-800">{children}</code>;
}

/** A list its filters left empty: say so, and offer the one step that shows more. */
export function NothingMatches({ title, actionLabel, onAction, children }: { title: string; actionLabel: string; onAction: () => void; children?: ReactNode }) {
  return (
    <EmptyState title={title}>
      {children}
      <button type="button" className={buttonClass} onClick={onAction}>
        {actionLabel}
      </button>
    </EmptyState>
  );
}
