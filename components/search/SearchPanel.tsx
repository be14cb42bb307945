// One question on the search page: its title, its form, its answer.
import type { FormEvent, ReactNode } from 'react';
import { primaryButtonClass } from '@/components/common/styles';

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

/** A question's fields and its Search button. */
export function SearchForm({ onSearch, children }: { onSearch: () => void; children: ReactNode }) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch();
  };
  return (
    <form onSubmit={submit} className="flex flex-wrap items-center gap-2 text-sm">
      {children}
      <button type="submit" className={primaryButtonClass}>
        Search
      </button>
    </form>
  );
}
