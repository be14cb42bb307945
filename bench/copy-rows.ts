// Rows into the row tables with COPY (psql \copy from CSV files): the physical limit the write path
// is compared with, and the fast way to seed a year of history. Values are the records ingest
// inserts (lib/history/row-tables.ts toRecord), in the columns of its INSERT plus the range columns.
import { spawnSync } from 'node:child_process';
import { insertColumns, rowTableSpecs, tableOf } from '@/lib/history/row-tables';
import type { BenchSection } from './host-model';

/** Range columns, then the columns ingest's INSERT writes. */
export function copyColumns(section: BenchSection): string[] {
  return ['hostId', 'openedSeq', 'closedSeq', 'retainUntil', ...insertColumns(section)];
}

/** One CSV line of a record (text, numbers, booleans, text[] and jsonb as PostgreSQL reads them). */
export function csvLine(section: BenchSection, columns: readonly string[], record: Record<string, unknown>): string {
  const types = columnTypes(section);
  return columns
    .map((name) => {
      const value = record[name];
      if (value === null || value === undefined) return '';
      if (typeof value === 'boolean') return value ? 't' : 'f';
      if (typeof value === 'number') return String(value);
      if (Array.isArray(value)) return quoteCsv(`{${value.map((item) => `"${String(item).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`);
      if (types.get(name) === 'jsonb') return quoteCsv(JSON.stringify(value));
      // What is left is text (timestamps as ISO text) or a bigint.
      const text = value as string | bigint;
      return quoteCsv(String(text));
    })
    .join(',');
}

const typesBySection = new Map<BenchSection, Map<string, string>>();
function columnTypes(section: BenchSection): Map<string, string> {
  let types = typesBySection.get(section);
  if (!types) {
    types = new Map(rowTableSpecs[section].columns.map((column) => [column.name, column.sqlType]));
    typesBySection.set(section, types);
  }
  return types;
}

const quoteCsv = (text: string) => `"${text.replace(/"/g, '""')}"`;

/** The psql meta-command that copies a CSV file into a row table. */
export function copyCommand(section: BenchSection, file: string): string {
  return `\\copy "${tableOf(section)}" (${copyColumns(section)
    .map((name) => `"${name}"`)
    .join(', ')}) FROM '${file}' WITH (FORMAT csv)`;
}

/** Runs psql on a script (one transaction); returns the milliseconds it took. */
export function runPsql(databaseUrl: string, script: string): number {
  const started = performance.now();
  const result = spawnSync('psql', [databaseUrl, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-1', '-f', script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
  return performance.now() - started;
}

/** psql's own start-up and connection, to take off a timed COPY. */
export function psqlStartupMs(databaseUrl: string): number {
  const started = performance.now();
  const result = spawnSync('psql', [databaseUrl, '-X', '-q', '-c', 'SELECT 1'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
  return performance.now() - started;
}
