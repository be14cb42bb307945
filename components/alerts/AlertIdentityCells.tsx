// The first cells of an alert row and of a group row: level, kind and host.
import Link from 'next/link';
import { hostPath } from '@/components/common/url-state';
import { AlertLevelBadge, describeKind } from './alert-kinds';

export function AlertIdentityCells({ level, kind, host }: { level: number; kind: string; host: string }) {
  return (
    <>
      <td>
        <AlertLevelBadge level={level} />
      </td>
      <td className="truncate text-xs" title={kind}>
        {describeKind(kind)}
        <div className="mono truncate text-[11px] text-slate-500">{kind}</div>
      </td>
      <td className="truncate">
        <Link className="link mono" href={hostPath(host)}>
          {host}
        </Link>
      </td>
    </>
  );
}
