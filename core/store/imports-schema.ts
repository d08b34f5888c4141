/**
 * The tables of imports and their contact lists, and the upgrade of stores written before
 * every import kept a list of its own (when applying copied contacts into one table) or
 * before recorded changes could leave their contact in the import's list.
 */
import type { SqliteDatabase } from './database.js';

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
    delivered_key   TEXT NOT NULL DEFAULT '',
    confirmed       INTEGER NOT NULL DEFAULT 0,
    delivery_batch_size INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX IF NOT EXISTS imports_by_organization ON imports (organization_id, created_at);
  -- Every import's contacts; the current list of an organization is the one contact_lists names.
  CREATE TABLE IF NOT EXISTS import_contacts (
    import_id   TEXT NOT NULL,
    contact_key TEXT NOT NULL,
    data        TEXT NOT NULL,
    hash        TEXT NOT NULL,
    search_text TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (import_id, contact_key)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS contact_lists (
    organization_id TEXT PRIMARY KEY,
    import_id       TEXT NOT NULL
  );
  ${changesTable('import_changes')}
  -- Contacts staged out of key order, kept in arrival order until the import's staging ends:
  -- inserted one by one into import_contacts they would each rewrite a page of its tree.
  CREATE TABLE IF NOT EXISTS import_contacts_aside (
    import_id   TEXT NOT NULL,
    contact_key TEXT NOT NULL,
    data        TEXT NOT NULL,
    search_text TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS import_contacts_aside_by_import ON import_contacts_aside (import_id);
`;

/**
 * What applying an import changes. `data` is NULL for an added or updated contact while the
 * import's own list holds it (copying every contact was most of what comparing cost); it is
 * filled in before those list rows go.
 */
function changesTable(name: string): string {
  return `CREATE TABLE IF NOT EXISTS ${name} (
    import_id   TEXT NOT NULL,
    contact_key TEXT NOT NULL,
    change      TEXT NOT NULL,
    data        TEXT,
    PRIMARY KEY (import_id, contact_key)
  ) WITHOUT ROWID;`;
}

/** Columns added to tables that older stores already have. */
const ADDED_COLUMNS: Record<string, Record<string, string>> = {
  imports: {
    delivered: 'INTEGER NOT NULL DEFAULT 0',
    delivered_batches: 'INTEGER NOT NULL DEFAULT 0',
    delivered_key: "TEXT NOT NULL DEFAULT ''",
    confirmed: 'INTEGER NOT NULL DEFAULT 0',
    delivery_batch_size: 'INTEGER NOT NULL DEFAULT 0',
  },
};

/** Creates the tables, or brings an older store up to date without losing a contact. */
export function prepareImportTables(db: SqliteDatabase): void {
  db.transaction(() => {
    db.exec(SCHEMA);
    addMissingColumns(db);
    if (changesDataRequired(db)) allowChangesWithoutData(db);
    if (hasTable(db, 'contacts')) moveAppliedContacts(db);
    if (hasTable(db, 'import_staging')) {
      // Staged rows of imports left unfinished: they read the directory again at start-up.
      db.exec('DROP TABLE import_staging');
    }
  }).immediate();
}

/** The single table of applied contacts becomes each organization's current list. */
function moveAppliedContacts(db: SqliteDatabase): void {
  db.exec(`
    INSERT OR REPLACE INTO contact_lists (organization_id, import_id)
      SELECT organization_id, (SELECT id FROM imports i
        WHERE i.organization_id = c.organization_id AND i.applied = 1
        ORDER BY i.finished_at DESC LIMIT 1)
      FROM (SELECT DISTINCT organization_id FROM contacts) c;
    DELETE FROM contact_lists WHERE import_id IS NULL;
    INSERT OR IGNORE INTO import_contacts (import_id, contact_key, data, hash)
      SELECT l.import_id, c.contact_key, c.data, c.hash
      FROM contacts c JOIN contact_lists l ON l.organization_id = c.organization_id;
    DROP TABLE contacts;
  `);
}

function changesDataRequired(db: SqliteDatabase): boolean {
  const notNull = db
    .prepare("SELECT \"notnull\" FROM pragma_table_info('import_changes') WHERE name = 'data'")
    .pluck()
    .get();
  return notNull === 1;
}

/** SQLite cannot drop a NOT NULL constraint: the table is copied into a new one. */
function allowChangesWithoutData(db: SqliteDatabase): void {
  db.exec(`
    ${changesTable('import_changes_new')}
    INSERT INTO import_changes_new (import_id, contact_key, change, data)
      SELECT import_id, contact_key, change, data FROM import_changes;
    DROP TABLE import_changes;
    ALTER TABLE import_changes_new RENAME TO import_changes;
  `);
}

function hasTable(db: SqliteDatabase, name: string): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !==
    undefined
  );
}

function addMissingColumns(db: SqliteDatabase): void {
  for (const [table, columns] of Object.entries(ADDED_COLUMNS)) {
    const present = new Set(
      db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[],
    );
    for (const [name, definition] of Object.entries(columns)) {
      if (!present.has(name)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${definition}`);
    }
  }
}
