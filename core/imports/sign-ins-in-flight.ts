/**
 * How many sign-ins the main thread is answering right now, shared with the import's worker
 * threads through a SharedArrayBuffer. The threads pause between pages while any is in flight,
 * for a few milliseconds at most each time: on a machine with few cores, an import that keeps
 * every core busy would otherwise make the sign-ins that arrive meanwhile wait for a core (and
 * the directory for the import's search). An import without sign-ins around never pauses.
 */
export class SignInsInFlight {
  readonly #count: Int32Array;

  /** A new counter, or the one a thread was handed (its `buffer`). */
  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(4)) {
    this.#count = new Int32Array(buffer);
  }

  get buffer(): SharedArrayBuffer {
    return this.#count.buffer as SharedArrayBuffer;
  }

  get count(): number {
    return Atomics.load(this.#count, 0);
  }

  /** Counts the sign-in while `answer` runs. */
  async during<T>(answer: () => Promise<T>): Promise<T> {
    Atomics.add(this.#count, 0, 1);
    try {
      return await answer();
    } finally {
      // The last one out wakes the threads that wait.
      if (Atomics.sub(this.#count, 0, 1) === 1) Atomics.notify(this.#count, 0);
    }
  }

  /**
   * Blocks the calling worker thread while sign-ins are in flight, at most `maxMs`. Only for
   * worker threads: the main thread must never wait here.
   */
  pauseWhileBusy(maxMs = MAX_PAUSE_MS): void {
    const until = Date.now() + maxMs;
    for (let count = this.count; count > 0 && Date.now() < until; count = this.count) {
      // Wakes when the count changes, or after a millisecond to look again.
      Atomics.wait(this.#count, 0, count, 1);
    }
  }
}

/** The longest one pause lasts, so that a steady stream of sign-ins only slows an import. */
const MAX_PAUSE_MS = 10;

/** The pages of `pages`, each handed on once no sign-in is in flight (or the pause is over). */
export async function* makingWayForSignIns<Page>(
  pages: AsyncIterable<Page>,
  signIns: SignInsInFlight,
): AsyncGenerator<Page> {
  for await (const page of pages) {
    signIns.pauseWhileBusy();
    yield page;
  }
}
