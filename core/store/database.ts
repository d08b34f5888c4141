import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/**
 * Opens the gateway's SQLite file, creating its folder. The stores begin their write
 * transactions IMMEDIATE: an import's threads write to the same file, and a deferred
 * transaction that read before another connection committed can then not write at all
 * (SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out). WAL lets readers go on while a writer
 * commits; NORMAL synchronous keeps a committed transaction through a process crash (only an
 * OS crash can lose the last ones), which is what a SIGKILL-safe import needs.
 */
export function openDatabase(path: string): SqliteDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  return db;
}
