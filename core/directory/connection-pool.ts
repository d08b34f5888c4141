import { GatewayError } from '../errors.js';
import { DirectoryConnection, type ConnectionSettings } from './connection.js';

export interface PoolOptions {
  size: number;
  idleTimeoutMs: number;
  acquireTimeoutMs: number;
  /** Prepares a new connection, e.g. binds it as the service account. */
  prepare: (connection: DirectoryConnection) => Promise<void>;
  /** False when a connection can no longer serve, e.g. its bind was lost with its socket. */
  isUsable: (connection: DirectoryConnection) => boolean;
}

export interface PoolCounts {
  used: number;
  free: number;
  waiting: number;
}

interface Waiter {
  resolve: (connection: DirectoryConnection) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout;
}

interface Idle {
  connection: DirectoryConnection;
  since: number;
}

/**
 * A bounded pool of directory connections. It is written here rather than taken from a pool
 * library because a sign-in borrows twice and the general pools (tarn, generic-pool) cost a
 * timer and several promise chains per borrow, which the benchmark showed as a fifth of the
 * gateway's own CPU per sign-in. What it keeps from them: at most `size` connections, a
 * caller waits at most `acquireTimeoutMs`, a failed connection attempt reaches the caller
 * that asked for it, and connections idle longer than `idleTimeoutMs` are closed.
 */
export class ConnectionPool {
  readonly #settings: ConnectionSettings;
  readonly #options: PoolOptions;
  /** Most recently returned last, so the warmest connection is lent first. */
  readonly #idle: Idle[] = [];
  readonly #waiters: Waiter[] = [];
  readonly #reaper: NodeJS.Timeout;
  #open = 0;
  #closed = false;

  constructor(settings: ConnectionSettings, options: PoolOptions) {
    this.#settings = settings;
    this.#options = options;
    const every = Math.min(1000, options.idleTimeoutMs);
    this.#reaper = setInterval(() => this.#closeIdle(), every).unref();
  }

  /** Lends a connection to `use` and takes it back, whatever `use` does. */
  async with<T>(use: (connection: DirectoryConnection) => Promise<T>): Promise<T> {
    const connection = await this.#acquire();
    try {
      return await use(connection);
    } finally {
      this.#release(connection);
    }
  }

  counts(): PoolCounts {
    const free = this.#idle.length;
    return { used: this.#open - free, free, waiting: this.#waiters.length };
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#reaper);
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new GatewayError('shutting_down', 'the gateway is stopping'));
    }
    await Promise.all(this.#idle.splice(0).map(({ connection }) => this.#destroy(connection)));
  }

  #acquire(): Promise<DirectoryConnection> {
    if (this.#closed) {
      return Promise.reject(new GatewayError('shutting_down', 'the gateway is stopping'));
    }
    const idle = this.#takeIdle();
    if (idle) return Promise.resolve(idle);
    if (this.#open < this.#options.size) return this.#create();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const index = this.#waiters.indexOf(waiter);
          if (index >= 0) this.#waiters.splice(index, 1);
          reject(
            new GatewayError(
              'directory_unavailable',
              'no directory connection became free in time',
            ),
          );
        }, this.#options.acquireTimeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  #release(connection: DirectoryConnection): void {
    if (this.#closed) {
      void this.#destroy(connection);
      return;
    }
    const waiter = this.#waiters.shift();
    if (!waiter) {
      this.#idle.push({ connection, since: Date.now() });
      return;
    }
    clearTimeout(waiter.timer);
    if (this.#options.isUsable(connection)) {
      waiter.resolve(connection);
      return;
    }
    void this.#destroy(connection);
    this.#create().then(waiter.resolve, waiter.reject);
  }

  /** The most recently used idle connection that can still serve; unusable ones are closed. */
  #takeIdle(): DirectoryConnection | undefined {
    for (let idle = this.#idle.pop(); idle; idle = this.#idle.pop()) {
      if (this.#options.isUsable(idle.connection)) return idle.connection;
      void this.#destroy(idle.connection);
    }
    return undefined;
  }

  async #create(): Promise<DirectoryConnection> {
    this.#open += 1;
    const connection = new DirectoryConnection(this.#settings);
    try {
      await this.#options.prepare(connection);
      return connection;
    } catch (error) {
      await this.#destroy(connection);
      this.#serveWaiter();
      throw error;
    }
  }

  /** A slot freed by a failed or closed connection goes to the next waiting caller. */
  #serveWaiter(): void {
    if (this.#closed || this.#open >= this.#options.size) return;
    const waiter = this.#waiters.shift();
    if (!waiter) return;
    clearTimeout(waiter.timer);
    this.#create().then(waiter.resolve, waiter.reject);
  }

  async #destroy(connection: DirectoryConnection): Promise<void> {
    this.#open -= 1;
    await connection.close();
  }

  #closeIdle(): void {
    const oldest = Date.now() - this.#options.idleTimeoutMs;
    while (this.#idle.length > 0 && this.#idle[0]!.since < oldest) {
      void this.#destroy(this.#idle.shift()!.connection);
    }
  }
}
