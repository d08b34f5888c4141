/**
 * Pages of directory entries from the thread that searches to the thread that stages them,
 * over a MessagePort. The receiver tells the sender each time it takes a page, and the sender
 * keeps at most `window` pages on the way, so a fast directory cannot fill the receiver's
 * memory with pages it has not staged yet.
 */
import type { MessagePort } from 'node:worker_threads';

import type { EntryRecord } from '../directory/entry.js';

/**
 * Pages sent but not yet taken. Four let the search go on while the staging thread starts up
 * (measured: as fast as sixteen); each page more on the way costs some megabytes of both
 * threads' heaps (sixteen raised the import's peak RSS by about 55 MB).
 */
export const PAGES_IN_FLIGHT = 4;

type PageMessage = { type: 'page'; entries: EntryRecord[] } | { type: 'end' };

/** Sends every page of `pages`, then the end; waits whenever `window` pages are untaken. */
export async function sendPages(
  port: MessagePort,
  pages: AsyncIterable<EntryRecord[]>,
  window = PAGES_IN_FLIGHT,
): Promise<void> {
  let untaken = 0;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    untaken -= 1;
    wake?.();
  });
  try {
    for await (const entries of pages) {
      while (untaken >= window) await new Promise<void>((resolve) => (wake = resolve));
      untaken += 1;
      port.postMessage({ type: 'page', entries } satisfies PageMessage);
    }
    port.postMessage({ type: 'end' } satisfies PageMessage);
  } finally {
    port.close();
  }
}

/** The pages a sendPages sends, each acknowledged once the consumer asks for the next. */
export async function* receivePages(port: MessagePort): AsyncGenerator<EntryRecord[]> {
  const queue: PageMessage[] = [];
  let wake: (() => void) | undefined;
  port.on('message', (message: PageMessage) => {
    queue.push(message);
    wake?.();
  });
  try {
    for (;;) {
      if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const message = queue.shift()!;
      if (message.type === 'end') return;
      yield message.entries.map(withBuffers);
      port.postMessage('taken');
    }
  } finally {
    port.close();
  }
}

/**
 * Binary values cross threads as plain Uint8Arrays; the gateway reads them as Buffers (the
 * same bytes, not copied).
 */
function withBuffers(record: EntryRecord): EntryRecord {
  for (const name in record) {
    const value = record[name];
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) {
        if (isPlainBytes(item)) value[index] = asBuffer(item);
      }
    } else if (isPlainBytes(value)) {
      record[name] = asBuffer(value);
    }
  }
  return record;
}

function isPlainBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && !Buffer.isBuffer(value);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
