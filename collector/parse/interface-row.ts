// What the interface parsers (ifconfig, ip link) share: an interface is a header line and the
// indented detail lines under it, and the row starts from what the header shows.
import { type InterfaceRow, interfaceSchema } from '../../lib/schemas/snapshot';
import { checkCount, checkRow } from './check-rows';
import { requireRows } from './empty-result';
import type { ParseFormat } from './formats';
import { ParseError } from './parse-error';
import { isBlank, isIndented, splitLines, splitWords } from './text-lines';

const MAX_INTERFACES = 4096;

interface InterfaceListing<Draft extends { row: InterfaceRow; line: number }> {
  format: ParseFormat;
  /** An unindented line: a new interface. */
  startInterface: (line: string, lineNumber: number) => Draft;
  /** An indented line, split into words: a detail of the interface above. */
  addDetail: (draft: Draft, words: string[], lineNumber: number) => void;
  /** What a detail line before any header says is missing. */
  missingHeader: string;
  /** What an output with no interface at all says. */
  noInterface: string;
}

export function parseInterfaceListing<Draft extends { row: InterfaceRow; line: number }>(text: string, listing: InterfaceListing<Draft>): InterfaceRow[] {
  const drafts: Draft[] = [];
  let current: Draft | null = null;
  splitLines(text).forEach((line, index) => {
    const lineNumber = index + 1;
    if (isBlank(line)) return;
    if (!isIndented(line)) {
      current = listing.startInterface(line, lineNumber);
      drafts.push(current);
      checkCount(drafts.length, MAX_INTERFACES, 'interfaces', lineNumber);
      return;
    }
    if (current === null) throw new ParseError(lineNumber, listing.missingHeader);
    listing.addDetail(current, splitWords(line), lineNumber);
  });
  const rows = drafts.map((draft) => checkRow(interfaceSchema, draft.row, draft.line));
  return requireRows(rows, text, listing.format, listing.noInterface);
}

/** An interface as its header line shows it: name, flags and MTU; no MAC, addresses or counters yet. */
export function emptyInterfaceRow(name: string, flags: string[], mtu: number | null): InterfaceRow {
  return {
    name,
    flags,
    promiscuous: flags.includes('PROMISC'),
    mtu,
    mac: null,
    addresses: [],
    rxErrors: null,
    txErrors: null,
    rxDropped: null,
    txDropped: null,
  };
}
