import { Pool, TimeoutError } from 'tarn';

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

/** A bounded pool of directory connections (tarn: creation errors reach the waiting caller). */
export class ConnectionPool {
  readonly #pool: Pool<DirectoryConnection>;

  constructor(settings: ConnectionSettings, options: PoolOptions) {
    this.#pool = new Pool<DirectoryConnection>({
      create: async () => {
        const connection = new DirectoryConnection(settings);
        try {
          await options.prepare(connection);
        } catch (error) {
          await connection.close();
          throw error;
        }
        return connection;
      },
      destroy: (connection) => connection.close(),
      validate: options.isUsable,
      min: 0,
      max: options.size,
      acquireTimeoutMillis: options.acquireTimeoutMs,
      createTimeoutMillis: settings.connectTimeoutMs + settings.operationTimeoutMs,
      idleTimeoutMillis: options.idleTimeoutMs,
      reapIntervalMillis: Math.min(1000, options.idleTimeoutMs),
      propagateCreateError: true,
    });
  }

  /** Lends a connection to `use` and takes it back, whatever `use` does. */
  async with<T>(use: (connection: DirectoryConnection) => Promise<T>): Promise<T> {
    const connection = await this.#acquire();
    try {
      return await use(connection);
    } finally {
      this.#pool.release(connection);
    }
  }

  counts(): PoolCounts {
    return {
      used: this.#pool.numUsed(),
      free: this.#pool.numFree(),
      waiting: this.#pool.numPendingAcquires(),
    };
  }

  async close(): Promise<void> {
    await this.#pool.destroy();
  }

  async #acquire(): Promise<DirectoryConnection> {
    try {
      return await this.#pool.acquire().promise;
    } catch (error) {
      if (error instanceof TimeoutError) {
        throw new GatewayError(
          'directory_unavailable',
          'no directory connection became free in time',
          { cause: error },
        );
      }
      throw error;
    }
  }
}
