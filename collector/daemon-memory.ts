// The daemon (`run`) on every host should hold little memory between snapshots.
import { setFlagsFromString } from 'node:v8';

/**
 * V8 grows its young generation up to 16 MiB per half while a program allocates, and keeps it. Held
 * at its first size, a scavenge runs more often but frees as much, and the daemon's peak RSS is lower
 * (bench/README.md, the collector). V8 reads the factor each time it would grow the space, so setting
 * it at runtime works; the sooner it is set, the less the space has grown already.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
