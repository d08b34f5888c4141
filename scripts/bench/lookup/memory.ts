/** Heap and RSS readings that compare live data: taken after full garbage collections. */
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface MemoryReading {
  heapUsed: number;
  rss: number;
  /** False when V8 would not collect on request: the heap then holds garbage too. */
  collected: boolean;
}

/** RSS steadier than this between two readings counts as settled. */
const SETTLED_BYTES = 1024 * 1024;
const SETTLE_TRIES = 20;
const SETTLE_PAUSE_MS = 100;

/**
 * V8's gc(), without asking for --expose-gc on the command line: the flag set at run time
 * shows the function in contexts made afterwards.
 */
const collect = ((): (() => void) | undefined => {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
})();

/**
 * Collects, then reads until RSS stops moving: V8 hands freed pages back to the system a while
 * after a collection, so a reading right after the import's garbage went would still hold it.
 */
export async function readSettledMemory(): Promise<MemoryReading> {
  let previous = Number.NaN;
  for (let attempt = 1; ; attempt += 1) {
    collect?.();
    await sleep(SETTLE_PAUSE_MS);
    const { heapUsed, rss } = process.memoryUsage();
    if (Math.abs(rss - previous) < SETTLED_BYTES || attempt === SETTLE_TRIES) {
      return { heapUsed, rss, collected: collect !== undefined };
    }
    previous = rss;
  }
}
