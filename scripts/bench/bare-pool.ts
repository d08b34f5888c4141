import type { Client } from 'ldapts';

/**
 * The least pool a bare baseline needs: idle clients in an array, waiting callers in a queue.
 * No timeouts, validation or metrics, which is what the gateway's pools add.
 */
export class BarePool {
  readonly #idle: Client[];
  readonly #all: Client[];
  readonly #waiting: Array<(client: Client) => void> = [];

  constructor(clients: Client[]) {
    this.#idle = [...clients];
    this.#all = [...clients];
  }

  /** A pool of `size` clients made (and bound, when `open` binds them) up front. */
  static async open(size: number, open: () => Promise<Client>): Promise<BarePool> {
    return new BarePool(await Promise.all(Array.from({ length: size }, open)));
  }

  async with<T>(use: (client: Client) => Promise<T>): Promise<T> {
    const client =
      this.#idle.pop() ?? (await new Promise<Client>((resolve) => this.#waiting.push(resolve)));
    try {
      return await use(client);
    } finally {
      const next = this.#waiting.shift();
      if (next) next(client);
      else this.#idle.push(client);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.#all.map((client) => client.unbind().catch(() => undefined)));
  }
}
