// Parsing a posted snapshot: invalid input is refused with the failing field, and the shortcut for
// sections a host repeats byte for byte never lets changed or invalid content through.
import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/http/errors';
import { parseSnapshotJson } from '@/lib/ingest/parse-snapshot-body';
import { digestRows, hashSection, sectionHashes, sectionOwner } from '@/lib/snapshots/section-hash';
import { listener, makeSnapshot } from '@/test/helpers/snapshots';

let nextHostId = 900_000;

/** What ingestSnapshot does with a parsed snapshot's sections: remember their hashes for the host. */
function storeHashes(hostId: number, snapshot: ReturnType<typeof parseSnapshotJson>): void {
  for (const section of ['sockets', 'processes', 'interfaces', 'traceroutes'] as const) {
    const rows = snapshot[section];
    if (rows) sectionHashes.hash(sectionOwner(hostId, section), rows);
  }
}

function fieldPathsOf(work: () => unknown): string[] {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('bad_request');
    return (error as AppError).fields.map((field) => field.path);
  }
  throw new Error('expected a bad_request error');
}

describe('parseSnapshotJson', () => {
  it('refuses invalid JSON and invalid rows with the failing field path', () => {
    expect(fieldPathsOf(() => parseSnapshotJson('{"version":1,'))).toEqual(['(body)']);
    const badPort = makeSnapshot('web-01', { sockets: [listener(22), { ...listener(23), localPort: 70_000 }] });
    expect(fieldPathsOf(() => parseSnapshotJson(JSON.stringify(badPort)))).toContain('sockets.1.localPort');
  });

  it('returns a repeated snapshot unchanged, whatever key order the collector uses', () => {
    const hostId = nextHostId++;
    // Keys in another order than the schema's: the shortcut must still recognise the repeat.
    const sockets = [{ uid: 0, user: 'root', process: 'sshd', pid: 1, state: 'LISTEN', remotePort: null, remoteAddress: null, localPort: 22, localAddress: '0.0.0.0', proto: 'tcp' }];
    const body = JSON.stringify(makeSnapshot('web-02', { sockets: sockets as never }));
    const first = parseSnapshotJson(body, hostId);
    storeHashes(hostId, first);
    expect(sectionHashes.isLastSeen(sectionOwner(hostId, 'sockets'), digestRows(JSON.parse(body).sockets))).toBe(true);

    const again = parseSnapshotJson(body, hostId);
    expect(again).toEqual(first);
    expect(sectionHashes.hash(sectionOwner(hostId, 'sockets'), again.sockets!)).toBe(hashSection(first.sockets!));
  });

  it('still validates a section that differs from the host\'s last one, and another host\'s copy of it', () => {
    const hostId = nextHostId++;
    const valid = makeSnapshot('web-03', { sockets: [listener(22)] });
    storeHashes(hostId, parseSnapshotJson(JSON.stringify(valid), hostId));

    const changedToInvalid = { ...valid, sockets: [{ ...listener(22), localPort: -1 }] };
    expect(fieldPathsOf(() => parseSnapshotJson(JSON.stringify(changedToInvalid), hostId))).toContain('sockets.0.localPort');
    // Unknown fields are refused even when the rest of the section repeats.
    const withExtraField = { ...valid, sockets: [{ ...listener(22), note: '<script>' }] };
    expect(fieldPathsOf(() => parseSnapshotJson(JSON.stringify(withExtraField), hostId)).length).toBeGreaterThan(0);
    // The other sections and the envelope are always validated.
    const badEnvelope = { ...valid, idempotencyKey: 'x' };
    expect(fieldPathsOf(() => parseSnapshotJson(JSON.stringify(badEnvelope), hostId))).toEqual(['idempotencyKey']);
    const otherHost = nextHostId++;
    const invalidElsewhere = { ...valid, interfaces: [{ name: '' }] };
    expect(fieldPathsOf(() => parseSnapshotJson(JSON.stringify(invalidElsewhere), otherHost)).length).toBeGreaterThan(0);
  });
});
