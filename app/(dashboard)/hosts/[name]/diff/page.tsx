import type { Metadata } from 'next';
import Link from 'next/link';
import { DiffView } from '@/components/diff/DiffView';
import { requirePageSession } from '@/lib/auth/page-session';
import { decodeHostName } from '../decode-host-name';

type Props = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: 'Diff' };

const snapshotId = (value: string | string[] | undefined) => (typeof value === 'string' && /^\d{1,19}$/.test(value) ? value : null);

export default async function DiffPage({ params, searchParams }: Props) {
  // No data is read here (DiffView asks the API), but a page answers only a session all the same.
  await requirePageSession();
  const name = decodeHostName((await params).name);
  const query = await searchParams;
  const from = snapshotId(query.from);
  const to = snapshotId(query.to);
  if (!from || !to) {
    return (
      <p className="panel p-4">
        A diff needs two snapshots: <code className="mono">?from=ID&amp;to=ID</code>. Pick them on the host&apos;s{' '}
        <Link className="link" href={`/hosts/${encodeURIComponent(name)}?tab=history`}>
          history
        </Link>
        .
      </p>
    );
  }
  return <DiffView hostName={name} fromId={from} toId={to} />;
}
