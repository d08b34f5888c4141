/**
 * The two worker threads an import reads with (see read-in-worker.ts), started before they are
 * needed: a fresh thread spends a quarter of a second loading its modules (the plugins, ajv,
 * libphonenumber's metadata) before it stages a first contact. One pair waits, idle and
 * unreferenced; an import takes it, and the next pair is started a little after the import
 * has read, so that no pair loads while an import reads. Imports running side by side beyond
 * the first start their threads on the spot.
 */
import { Worker } from 'node:worker_threads';

import type { GatewaySettings } from '../../config/types.js';
import { canReadInWorker } from './read-in-worker.js';
import type { ReadThreadData } from './read-worker.js';

export interface ImportThreadPair {
  /** Runs the search and parses the directory's answers (search-worker.ts). */
  searcher: Worker;
  /** Maps and stages the contacts (read-worker.ts). */
  reader: Worker;
}

/** The wait after an import's reading before the next pair starts loading. */
const NEXT_PAIR_DELAY_MS = 2000;

export class ImportThreads {
  readonly #settings: GatewaySettings;
  /** Whether threads start ahead at all: asked for, and some organization reads in them. */
  readonly #wanted: boolean;
  #waiting: { pair: ImportThreadPair; dropped: (error?: unknown) => void } | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(settings: GatewaySettings) {
    this.#settings = settings;
    this.#wanted =
      settings.imports.threadsAhead &&
      Object.keys(settings.organizations).some((id) => canReadInWorker(settings, id));
  }

  /** Whether a pair waits for the next import. */
  get ready(): boolean {
    return this.#waiting !== undefined;
  }

  /** Has a pair wait for the next import, after `delayMs`; nothing if one waits already. */
  prepare(delayMs = 0): void {
    if (!this.#wanted || this.#closed || this.#waiting || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#closed && !this.#waiting) this.#wait(this.#start());
    }, delayMs);
    this.#timer.unref();
  }

  /** The waiting pair, or a new one; the caller terminates it when the import is read. */
  take(): ImportThreadPair {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (!waiting) return this.#start();
    const { pair, dropped } = waiting;
    for (const worker of Object.values(pair)) {
      worker.off('error', dropped).off('exit', dropped).ref();
    }
    return pair;
  }

  /** Called once an import has read with a pair: the next one starts a little later. */
  released(): void {
    this.prepare(NEXT_PAIR_DELAY_MS);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting) await terminate(waiting.pair);
  }

  #start(): ImportThreadPair {
    const data: ReadThreadData = { settings: this.#settings };
    return {
      searcher: new Worker(new URL('./search-worker.js', import.meta.url)),
      reader: new Worker(new URL('./read-worker.js', import.meta.url), { workerData: data }),
    };
  }

  /**
   * Keeps the pair for the next import without holding the process open. A thread that fails
   * or stops while it waits takes its pair with it; the next import starts a fresh one.
   */
  #wait(pair: ImportThreadPair): void {
    const dropped = () => {
      if (this.#waiting?.pair !== pair) return;
      this.#waiting = undefined;
      void terminate(pair);
    };
    for (const worker of Object.values(pair)) {
      worker.on('error', dropped).on('exit', dropped).unref();
    }
    this.#waiting = { pair, dropped };
  }
}

async function terminate(pair: ImportThreadPair): Promise<void> {
  await Promise.allSettled(Object.values(pair).map((worker) => worker.terminate()));
}
