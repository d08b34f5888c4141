import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import Database from 'better-sqlite3';

import { GatewayError } from '../errors.js';

/**
 * Keeps a second gateway off a store file that one already uses: both would run, restart and
 * apply the same imports, and each would undo the other's work. The lock is an exclusive SQLite
 * lock on `<store>.lock`, held by an open connection: the operating system drops it when the
 * process ends, however it ends, so a killed gateway leaves no stale lock behind. The store's
 * own file cannot carry it, since the gateway's import threads open that file as well.
 *
 * Returns the function that releases the lock; an in-memory store needs none.
 */
export function lockStore(storePath: string): () => void {
  if (storePath === ':memory:') return () => {};
  mkdirSync(dirname(storePath), { recursive: true });
  const lock = new Database(`${storePath}.lock`, { timeout: 0 });
  try {
    // In exclusive locking mode the first write takes the file's lock until the connection closes.
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec(
      'CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER)',
    );
    lock.prepare('INSERT OR REPLACE INTO holder (id, pid) VALUES (1, ?)').run(process.pid);
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new GatewayError(
        'store_in_use',
        `another gateway uses the store ${storePath}; one store serves one gateway`,
      );
    }
    throw error;
  }
  return () => lock.close();
}
