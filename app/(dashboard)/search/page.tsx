import type { Metadata } from 'next';
import { SearchView } from '@/components/search/SearchView';
import { requirePageSession } from '@/lib/auth/page-session';

export const metadata: Metadata = { title: 'Search the fleet' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const text = (value: string | string[] | undefined) => (typeof value === 'string' ? value.slice(0, 4096) : '');

export default async function SearchPage({ searchParams }: { searchParams: SearchParams }) {
  // No data is read here (SearchView asks the API), but a page answers only a session all the same.
  await requirePageSession();
  const query = await searchParams;
  const since = Number(text(query.since));
  return (
    <SearchView
      initial={{
        port: /^\d{1,5}$/.test(text(query.port)) ? text(query.port) : '',
        command: text(query.process),
        match: text(query.match) === 'contains' ? 'contains' : 'exact',
        sinceMinutes: [15, 60, 360, 1440].includes(since) ? since : 60,
      }}
    />
  );
}
