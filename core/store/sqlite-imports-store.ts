import type Database from 'better-sqlite3';

import type { SqliteDatabase } from './database.js';
import type { ContactChange, ImportRecord, ImportsStore, StagedContact } from './imports-store.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS imports (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    status          TEXT NOT NULL,
    phase           TEXT NOT NULL,
    dry_run         INTEGER NOT NULL,
    processed       INTEGER NOT NULL DEFAULT 0,
    added           INTEGER NOT NULL DEFAULT 0,
    updated         INTEGER NOT NULL DEFAULT 0,
    removed         INTEGER NOT NULL DEFAULT 0,
    skipped         INTEGER NOT NULL DEFAULT 0,
    skipped_reasons TEXT NOT NULL DEFAULT '{}',
    error_code      TEXT,
    error_message   TEXT,
    created_at      TEXT NOT NULL,
    started_at      TEXT,
    finished_at     TEXT,
    applied         INTEGER NOT NULL DEFAULT 0,
    delivered       INTEGER NOT NULL DEFAULT 0,
    delivered_batches INTEGER NOT NULL DEFAULT 0,
    delivered_key   TEXT NOT NULL DEFAULT ''
  );
  CREATE INDEX IF NOT EXISTS imports_by_organization ON imports (organization_id, created_at);
  CREATE TABLE IF NOT EXISTS import_staging (
    import_id   TEXT NOT NULL,
    contact_key TEXT NOT NULL,
    data        TEXT NOT NULL,
    hash        TEXT NOT NULL,
    search_text TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (import_id, contact_key)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS contacts (
    organization_id TEXT NOT NULL,
    contact_key     TEXT NOT NULL,
    data            TEXT NOT NULL,
    hash            TEXT NOT NULL,
    import_id       TEXT NOT NULL,
    search_text     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (organization_id, contact_key)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS import_changes (
    import_id   TEXT NOT NULL,
    contact_key TEXT NOT NULL,
    change      TEXT NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (import_id, contact_key)
  ) WITHOUT ROWID;
`;

/** Columns added since the tables were first created, for stores written by older versions. */
const ADDED_COLUMNS: Record<string, Record<string, string>> = {
  imports: {
    delivered: 'INTEGER NOT NULL DEFAULT 0',
    delivered_batches: 'INTEGER NOT NULL DEFAULT 0',
    delivered_key: "TEXT NOT NULL DEFAULT ''",
  },
  import_staging: { search_text: "TEXT NOT NULL DEFAULT ''" },
  contacts: { search_text: "TEXT NOT NULL DEFAULT ''" },
};

interface ImportRow {
  id: string;
  organization_id: string;
  status: ImportRecord['status'];
  phase: ImportRecord['phase'];
  dry_run: number;
  processed: number;
  added: number;
  updated: number;
  removed: number;
  skipped: number;
  skipped_reasons: string;
  error_code: string | null;
  error_message: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  delivered: number;
  delivered_batches: number;
  delivered_key: string;
}

const COLUMNS: Record<string, string> = {
  status: 'status',
  phase: 'phase',
  dryRun: 'dry_run',
  processed: 'processed',
  added: 'added',
  updated: 'updated',
  removed: 'removed',
  skipped: 'skipped',
  skippedReasons: 'skipped_reasons',
  errorCode: 'error_code',
  errorMessage: 'error_message',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  delivered: 'delivered',
  deliveredBatches: 'delivered_batches',
  deliveredKey: 'delivered_key',
};

/** Imports in SQLite. The only code that knows their SQL. */
export class SqliteImportsStore implements ImportsStore {
  readonly #db: SqliteDatabase;
  // Prepared once: an import runs these for every batch.
  readonly #insertStaged: Database.Statement<[string, string, string, string, string]>;
  readonly #selectImport: Database.Statement<[string, string], ImportRow>;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#db.exec(SCHEMA);
    addMissingColumns(db);
    this.#insertStaged = db.prepare(
      `INSERT INTO import_staging (import_id, contact_key, data, hash, search_text)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (import_id, contact_key) DO UPDATE
       SET data = excluded.data, hash = excluded.hash, search_text = excluded.search_text`,
    );
    this.#selectImport = db.prepare('SELECT * FROM imports WHERE organization_id = ? AND id = ?');
  }

  createImport(record: ImportRecord): void {
    this.#db
      .prepare(
        `INSERT INTO imports (id, organization_id, status, phase, dry_run, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        record.id,
        record.organizationId,
        record.status,
        record.phase,
        record.dryRun ? 1 : 0,
        record.createdAt,
      );
  }

  updateImport(id: string, fields: Partial<ImportRecord>): void {
    const entries = Object.entries(fields).filter(([name]) => COLUMNS[name] !== undefined);
    if (entries.length === 0) return;
    const assignments = entries.map(([name]) => `${COLUMNS[name]} = ?`).join(', ');
    const values = entries.map(([name, value]) => toColumnValue(name, value));
    this.#db.prepare(`UPDATE imports SET ${assignments} WHERE id = ?`).run(...values, id);
  }

  getImport(organizationId: string, id: string): ImportRecord | undefined {
    const row = this.#selectImport.get(organizationId, id);
    return row ? fromRow(row) : undefined;
  }

  listImports(organizationId: string, limit: number): ImportRecord[] {
    const rows = this.#db
      .prepare('SELECT * FROM imports WHERE organization_id = ? ORDER BY created_at DESC LIMIT ?')
      .all(organizationId, limit) as ImportRow[];
    return rows.map(fromRow);
  }

  listUnfinished(): ImportRecord[] {
    const rows = this.#db
      .prepare("SELECT * FROM imports WHERE status IN ('queued', 'running') ORDER BY created_at")
      .all() as ImportRow[];
    return rows.map(fromRow);
  }

  stage(importId: string, contacts: StagedContact[]): void {
    this.#db.transaction(() => {
      for (const contact of contacts)
        this.#insertStaged.run(
          importId,
          contact.key,
          contact.data,
          contact.hash,
          contact.searchText,
        );
    })();
  }

  clearStaging(importId: string): void {
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM import_staging WHERE import_id = ?').run(importId);
      this.#db.prepare('DELETE FROM import_changes WHERE import_id = ?').run(importId);
    })();
  }

  dropStagedContacts(importId: string): void {
    this.#db.prepare('DELETE FROM import_staging WHERE import_id = ?').run(importId);
  }

  compare(importId: string, organizationId: string) {
    return this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM import_changes WHERE import_id = ?').run(importId);
      const added = this.#db
        .prepare(
          `INSERT INTO import_changes (import_id, contact_key, change, data)
           SELECT s.import_id, s.contact_key, 'added', s.data FROM import_staging s
           WHERE s.import_id = ? AND NOT EXISTS (SELECT 1 FROM contacts c
             WHERE c.organization_id = ? AND c.contact_key = s.contact_key)`,
        )
        .run(importId, organizationId).changes;
      const updated = this.#db
        .prepare(
          `INSERT INTO import_changes (import_id, contact_key, change, data)
           SELECT s.import_id, s.contact_key, 'updated', s.data FROM import_staging s
           JOIN contacts c ON c.organization_id = ? AND c.contact_key = s.contact_key
           WHERE s.import_id = ? AND c.hash <> s.hash`,
        )
        .run(organizationId, importId).changes;
      const removed = this.#db
        .prepare(
          `INSERT INTO import_changes (import_id, contact_key, change, data)
           SELECT ?, c.contact_key, 'removed', c.data FROM contacts c
           WHERE c.organization_id = ? AND NOT EXISTS (SELECT 1 FROM import_staging s
             WHERE s.import_id = ? AND s.contact_key = c.contact_key)`,
        )
        .run(importId, organizationId, importId).changes;
      const existing = (
        this.#db
          .prepare('SELECT COUNT(*) AS count FROM contacts WHERE organization_id = ?')
          .get(organizationId) as { count: number }
      ).count;
      return { added, updated, removed, existing };
    })();
  }

  apply(importId: string, organizationId: string): void {
    this.#db.transaction(() => {
      this.#db
        .prepare(
          `DELETE FROM contacts WHERE organization_id = ? AND contact_key IN
           (SELECT contact_key FROM import_changes WHERE import_id = ? AND change = 'removed')`,
        )
        .run(organizationId, importId);
      this.#db
        .prepare(
          `INSERT INTO contacts
             (organization_id, contact_key, data, hash, import_id, search_text)
           SELECT ?, contact_key, data, hash, import_id, search_text
           FROM import_staging WHERE import_id = ?
           ON CONFLICT (organization_id, contact_key) DO UPDATE SET
             data = excluded.data, hash = excluded.hash, import_id = excluded.import_id,
             search_text = excluded.search_text`,
        )
        .run(organizationId, importId);
      this.#db.prepare('DELETE FROM import_staging WHERE import_id = ?').run(importId);
      this.#db.prepare('UPDATE imports SET applied = 1 WHERE id = ?').run(importId);
    })();
  }

  pageContacts(organizationId: string, afterKey: string, limit: number) {
    return this.#db
      .prepare(
        `SELECT contact_key AS key, data FROM contacts
         WHERE organization_id = ? AND contact_key > ? ORDER BY contact_key LIMIT ?`,
      )
      .all(organizationId, afterKey, limit) as Array<{ key: string; data: string }>;
  }

  pageChanges(importId: string, afterKey: string, limit: number): ContactChange[] {
    return this.#db
      .prepare(
        `SELECT contact_key AS key, change, data FROM import_changes
         WHERE import_id = ? AND contact_key > ? ORDER BY contact_key LIMIT ?`,
      )
      .all(importId, afterKey, limit) as ContactChange[];
  }

  cancelWaiting(organizationId: string, exceptId: string, finishedAt: string): void {
    this.#db.transaction(() => {
      const waiting = this.#db
        .prepare(
          `SELECT id FROM imports WHERE organization_id = ? AND id <> ?
           AND status = 'needs_confirmation'`,
        )
        .all(organizationId, exceptId) as Array<{ id: string }>;
      for (const { id } of waiting) {
        this.#db.prepare('DELETE FROM import_staging WHERE import_id = ?').run(id);
        this.#db
          .prepare(
            `UPDATE imports SET status = 'cancelled', phase = 'done', error_code = ?,
             error_message = ?, finished_at = ? WHERE id = ?`,
          )
          .run(
            'import_superseded',
            'a later import was applied; start a new import instead',
            finishedAt,
            id,
          );
      }
    })();
  }

  searchContacts(organizationId: string, needles: string[], limit: number): string[] {
    const matches = needles.map(() => 'instr(search_text, ?) > 0').join(' OR ');
    const rows = this.#db
      .prepare(
        `SELECT data FROM contacts WHERE organization_id = ?
         ${matches ? `AND (${matches})` : ''} ORDER BY contact_key LIMIT ?`,
      )
      .pluck()
      .all(organizationId, ...needles, limit) as string[];
    return rows;
  }

  latestApplied(organizationId: string): ImportRecord | undefined {
    const row = this.#db
      .prepare(
        `SELECT * FROM imports WHERE organization_id = ? AND applied = 1
         ORDER BY finished_at DESC LIMIT 1`,
      )
      .get(organizationId) as ImportRow | undefined;
    return row ? fromRow(row) : undefined;
  }
}

function toColumnValue(name: string, value: unknown): unknown {
  if (name === 'dryRun') return value ? 1 : 0;
  if (name === 'skippedReasons') return JSON.stringify(value ?? {});
  return value;
}

function fromRow(row: ImportRow): ImportRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    status: row.status,
    phase: row.phase,
    dryRun: row.dry_run === 1,
    processed: row.processed,
    added: row.added,
    updated: row.updated,
    removed: row.removed,
    skipped: row.skipped,
    skippedReasons: JSON.parse(row.skipped_reasons) as Record<string, number>,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    delivered: row.delivered,
    deliveredBatches: row.delivered_batches,
    deliveredKey: row.delivered_key,
  };
}

function addMissingColumns(db: SqliteDatabase): void {
  for (const [table, columns] of Object.entries(ADDED_COLUMNS)) {
    const present = new Set(
      db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[],
    );
    for (const [name, definition] of Object.entries(columns)) {
      if (!present.has(name)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${definition}`);
    }
  }
}
