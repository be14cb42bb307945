// Columns the fleet-wide answers share: the host (a link to its page, or to one tab of it).
import Link from 'next/link';
import { hostPath } from '@/components/common/url-state';
import type { Column } from '@/components/table/column';

export function hostColumn<Row extends { host: string }>(width: string, tab?: 'packages' | 'processes'): Column<Row> {
  return {
    id: 'host',
    header: 'Host',
    width,
    className: 'truncate',
    cell: (row) => (
      <Link className="link mono" href={hostPath(row.host, tab ? `?tab=${tab}` : '')}>
        {row.host}
      </Link>
    ),
  };
}

/** Each row names its host (data-host), as every host row of the dashboard does. */
export const rowOfHost = <Row extends { host: string }>(row: Row) => ({ 'data-host': row.host });
