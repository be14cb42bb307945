// The alert table's columns; the actions column only for those who may triage.
import type { ColumnHead } from '@/components/table/column';

const columns: ColumnHead[] = [
  { id: 'level', header: 'Level', width: 'w-14' },
  { id: 'kind', header: 'Kind', width: 'w-36' },
  { id: 'host', header: 'Host', width: 'w-40' },
  { id: 'message', header: 'What happened' },
  { id: 'state', header: 'State', width: 'w-36' },
  { id: 'lastSeen', header: 'Last seen', width: 'w-32' },
];
const actionsColumn: ColumnHead = { id: 'actions', header: 'Actions', width: 'w-44' };

export const alertColumns = (mayTriage: boolean): ColumnHead[] => (mayTriage ? [...columns, actionsColumn] : columns);
