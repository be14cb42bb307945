// The clock tick rate (USER_HZ) without running `getconf CLK_TCK`: the kernel hands every process
// its value in the auxiliary vector (AT_CLKTCK), readable from /proc/self/auxv.
import type { ByteOrder } from './addresses';

const AT_NULL = 0;
const AT_CLKTCK = 17;

/** USER_HZ on every mainstream Linux architecture; used when auxv cannot be read. */
export const DEFAULT_CLOCK_TICKS = 100;

function readWord(auxv: Uint8Array, offset: number, wordSize: 4 | 8, byteOrder: ByteOrder): number {
  const view = new DataView(auxv.buffer, auxv.byteOffset, auxv.byteLength);
  const littleEndian = byteOrder === 'LE';
  return wordSize === 8 ? Number(view.getBigUint64(offset, littleEndian)) : view.getUint32(offset, littleEndian);
}

/** AT_CLKTCK from the raw bytes of /proc/self/auxv (pairs of words: type, value); null when absent. */
export function parseClockTicks(auxv: Uint8Array, wordSize: 4 | 8, byteOrder: ByteOrder): number | null {
  const pairSize = wordSize * 2;
  for (let offset = 0; offset + pairSize <= auxv.byteLength; offset += pairSize) {
    const type = readWord(auxv, offset, wordSize, byteOrder);
    if (type === AT_NULL) return null;
    if (type === AT_CLKTCK) {
      const value = readWord(auxv, offset + wordSize, wordSize, byteOrder);
      return value > 0 ? value : null;
    }
  }
  return null;
}
