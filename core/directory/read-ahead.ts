/**
 * Asks `source` for its next item as soon as the current one is handed on, so a producer that
 * waits on the network (a directory sending its next page) works while the consumer is busy.
 * At most one item is read ahead; one the consumer never takes is dropped.
 */
export async function* readAhead<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = source.next();
  try {
    for (;;) {
      const result = await next;
      if (result.done) return;
      next = source.next();
      // Awaited on the next turn; a consumer that stops first must not leave it unhandled.
      next.catch(() => undefined);
      yield result.value;
    }
  } finally {
    // Not awaited: the page in flight may take long, and closing the connection ends it.
    source.return(undefined).catch(() => undefined);
  }
}
