// The four row tables of the history model (docs/storage.md): for each, its content columns with
// their SQL types, how a snapshot row becomes a record to insert, and how a stored row reads back in
// snapshot form. Rows travel to and from PostgreSQL as one JSON text per statement
// (json_to_recordset in, json_agg out): one parameter instead of one per value, which costs the
// server far less CPU per row than Prisma's or the driver's array parameters (bench/README.md).
import type { RowTable } from '@/lib/db/partitions';
import type { RowOf, RowSection } from '@/lib/schemas/row-hash';
import { isListening, type SocketRow } from '@/lib/schemas/snapshot';

interface Column {
  name: string;
  sqlType: string;
  /** Read back as ISO text, as the snapshot JSON carries instants (timestamp(3) columns hold UTC). */
  isTimestamp?: boolean;
}

export interface RowTableSpec<S extends RowSection> {
  section: S;
  table: RowTable;
  /** Content columns, in schema order (plus derived ones such as `listening`). */
  columns: readonly Column[];
  /** Fields added to the contract later and optional in it: left out of a read-back row when null. */
  optionalFields: readonly string[];
  /** The record json_to_recordset reads: the row's fields, derived columns and its hash. */
  toRecord: (row: RowOf[S], rowHash: string) => Record<string, unknown>;
}

/** Content columns from name → SQL type, in schema order; timestamptz columns read back as ISO text. */
const columnsOf = (types: Record<string, string>): Column[] =>
  Object.entries(types).map(([name, sqlType]) => ({ name, sqlType, isTimestamp: sqlType === 'timestamptz' }));

const tableOfSection: Record<RowSection, RowTable> = { sockets: 'Socket', processes: 'Process', interfaces: 'Interface', packages: 'Package' };

const socketTable: RowTableSpec<'sockets'> = {
  section: 'sockets',
  table: 'Socket',
  columns: columnsOf({
    proto: 'text',
    localAddress: 'text',
    localAddressKind: 'text',
    localPort: 'int',
    remoteAddress: 'text',
    remoteAddressKind: 'text',
    remotePort: 'int',
    localService: 'text',
    remoteService: 'text',
    state: 'text',
    pid: 'int',
    process: 'text',
    user: 'text',
    uid: 'bigint',
    inode: 'bigint',
    netns: 'bigint',
    container: 'jsonb',
  }),
  optionalFields: ['localAddressKind', 'remoteAddressKind', 'localService', 'remoteService', 'netns', 'container'],
  // `listening` is derived here, so SQL never re-implements isListening.
  toRecord: (row: SocketRow, rowHash) => ({ ...row, listening: isListening(row), rowHash }),
};

const processTable: RowTableSpec<'processes'> = {
  section: 'processes',
  table: 'Process',
  columns: columnsOf({
    pid: 'int',
    ppid: 'int',
    user: 'text',
    uid: 'bigint',
    command: 'text',
    args: 'text',
    startedAt: 'timestamptz',
    exe: 'text',
    exeDeleted: 'boolean',
    exeSha256: 'text',
    netns: 'bigint',
    container: 'jsonb',
  }),
  optionalFields: ['exe', 'exeDeleted', 'exeSha256', 'netns', 'container'],
  toRecord: (row, rowHash) => ({ ...row, rowHash }),
};

// JSON arrays become text[] (flags, addresses).
const interfaceTable: RowTableSpec<'interfaces'> = {
  section: 'interfaces',
  table: 'Interface',
  columns: columnsOf({
    name: 'text',
    flags: 'text[]',
    promiscuous: 'boolean',
    mtu: 'int',
    mac: 'text',
    addresses: 'text[]',
    rxErrors: 'bigint',
    txErrors: 'bigint',
    rxDropped: 'bigint',
    txDropped: 'bigint',
    netns: 'bigint',
    container: 'jsonb',
  }),
  optionalFields: ['netns', 'container'],
  toRecord: (row, rowHash) => ({ ...row, rowHash }),
};

const packageTable: RowTableSpec<'packages'> = {
  section: 'packages',
  table: 'Package',
  columns: columnsOf({
    name: 'text',
    version: 'text',
    arch: 'text',
    source: 'text',
    installedAt: 'timestamptz',
  }),
  optionalFields: [],
  toRecord: (row, rowHash) => ({ ...row, rowHash }),
};

export const rowTableSpecs: { [S in RowSection]: RowTableSpec<S> } = {
  sockets: socketTable,
  processes: processTable,
  interfaces: interfaceTable,
  packages: packageTable,
};

export const tableOf = (section: RowSection): RowTable => tableOfSection[section];

const quote = (name: string) => `"${name}"`;

/** Columns written on insert, after hostId, openedSeq, retainUntil: the hash, derived and content columns. */
export function insertColumns(section: RowSection): string[] {
  const derived = section === 'sockets' ? ['listening'] : [];
  return ['rowHash', ...derived, ...rowTableSpecs[section].columns.map((column) => column.name)];
}

/** `json_to_recordset($n::json) AS r(...)` with every inserted column typed. */
export function recordsetOf(section: RowSection, parameter: string): string {
  const derived = section === 'sockets' ? [`"listening" boolean`] : [];
  const columns = [`"rowHash" uuid`, ...derived, ...rowTableSpecs[section].columns.map((column) => `${quote(column.name)} ${column.sqlType}`)];
  return `json_to_recordset(${parameter}::json) AS r(${columns.join(', ')})`;
}

// timestamp(3) columns hold UTC; this is Date.prototype.toISOString's format.
/** A timestamp column as the ISO text JSON carries (the columns hold UTC). */
export const isoText = (expression: string) => `to_char(${expression}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** `json_build_object(...)` of a stored row (alias `alias`) in the snapshot contract's shape. */
/**
 * A row as a JSON array of its content columns in spec order: PostgreSQL builds an array about 3×
 * faster than an object with named keys, and the text is shorter to send and parse. Read it back
 * with `toSnapshotRows`.
 */
export function rowJsonOf(section: RowSection, alias: string): string {
  const values = rowTableSpecs[section].columns.map((column) => {
    const value = `${alias}.${quote(column.name)}`;
    return column.isTimestamp ? isoText(value) : value;
  });
  return `json_build_array(${values.join(', ')})`;
}

/** Rows read as `rowJsonOf` arrays, as snapshot rows: the later optional fields left out when null, so a row reads back as it was sent. */
export function toSnapshotRows<S extends RowSection>(section: S, rows: unknown[][]): RowOf[S][] {
  const { columns, optionalFields } = rowTableSpecs[section];
  const optional = columns.map((column) => optionalFields.includes(column.name));
  return rows.map((values) => {
    const row: Record<string, unknown> = {};
    columns.forEach((column, index) => {
      const value = values[index] ?? null;
      if (value !== null || !optional[index]) row[column.name] = value;
    });
    return row as RowOf[S];
  });
}
