// One question on the search page: its title, its form, its answer.
import type { ReactNode } from 'react';

export function SearchPanel({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="panel space-y-3 p-4" data-testid={id}>
      <h2 id={id} className="font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}
