import type Database from 'better-sqlite3';

import type { SqliteDatabase } from './database.js';
import { prepareImportTables } from './imports-schema.js';
import type {
  CompareStep,
  ContactChange,
  ImportRecord,
  ImportsStore,
  StagedContact,
} from './imports-store.js';

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
  confirmed: number;
  delivery_batch_size: number;
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
  confirmed: 'confirmed',
  deliveryBatchSize: 'delivery_batch_size',
};

/** The import whose list an organization currently shows. */
const CURRENT_LIST = '(SELECT import_id FROM contact_lists WHERE organization_id = ?)';

/** Imports whose list nobody needs: finished, and not an organization's current list. */
const UNUSED_LISTS = `
  SELECT i.id, i.status FROM imports i
  WHERE i.status IN ('succeeded', 'failed', 'cancelled')
    AND NOT EXISTS (SELECT 1 FROM contact_lists l WHERE l.import_id = i.id)
    AND EXISTS (SELECT 1 FROM import_contacts s WHERE s.import_id = i.id)
  LIMIT 1`;

/** An import that stopped while contacts it set aside were still waiting to be merged. */
const UNMERGED_ASIDE = `
  SELECT i.id FROM imports i WHERE i.status IN ('succeeded', 'failed', 'cancelled')
    AND EXISTS (SELECT 1 FROM import_contacts_aside a WHERE a.import_id = i.id)
  LIMIT 1`;

/** Whether import `i`'s changes go: it failed or was cancelled, or is past the kept ones. */
const CHANGES_UNKEPT = `
  i.status IN ('succeeded', 'failed', 'cancelled')
    AND (i.status <> 'succeeded' OR (SELECT COUNT(*) FROM imports j
      WHERE j.organization_id = i.organization_id AND j.created_at > i.created_at) >= :kept)`;

/** Finished imports whose changes nobody reads. */
const UNUSED_CHANGES = `
  SELECT i.id FROM imports i
  WHERE ${CHANGES_UNKEPT}
    AND EXISTS (SELECT 1 FROM import_changes c WHERE c.import_id = i.id)
  LIMIT 1`;

/**
 * Gives the import's added and updated changes from `after` to `upto` a copy of their contact
 * from its list, before those list rows are deleted or replaced.
 */
const KEEP_CHANGES = `
  UPDATE import_changes AS c SET data = s.data FROM import_contacts s
  WHERE c.import_id = :importId AND c.contact_key > :after AND c.contact_key <= :upto
    AND c.data IS NULL AND s.import_id = :importId AND s.contact_key = c.contact_key`;

/**
 * The `hash` of a staged contact. The column marks with '' a version the sink may not hold
 * (see keepDeliveredStep); any other text is settled. Contacts are compared by their JSON
 * itself; stores written before hold a digest there, which reads as settled too.
 */
const SETTLED = 'settled';

/** Rows staged by one INSERT: running a statement for every row took a fifth of staging. */
const STAGED_PER_INSERT = 16;

/** The keys one step covers: its last one, and how many. */
interface StepRange {
  lastKey: string | null;
  rows: number;
}

/** Imports in SQLite. The only code that knows their SQL. */
export class SqliteImportsStore implements ImportsStore {
  readonly #db: SqliteDatabase;
  readonly #setAside: boolean;
  readonly #aside: Record<string, Database.Statement>;
  /** The last key each import staged in order, while it stages. */
  readonly #lastStaged = new Map<string, string>();
  // Prepared once: an import runs these for every batch or step.
  readonly #insertStaged: Database.Statement<[string, string, string, string, string]>;
  readonly #insertStagedRows: Database.Statement<[string[]]>;
  readonly #selectImport: Database.Statement<[string, string], ImportRow>;
  readonly #compare: Record<string, Database.Statement>;
  readonly #keepDelivered: Record<string, Database.Statement>;
  readonly #dropList: Record<string, Database.Statement>;
  readonly #selectChanges: Database.Statement<[string, string, number], ContactChange>;
  // Prepared once: caller-ID lookups and imported queries run these on every request.
  readonly #selectCurrent: Database.Statement<[string, string], string>;
  readonly #selectApplied: Database.Statement<[string], ImportRow>;
  readonly #searches = new Map<number, Database.Statement>();

  /**
   * `setAside`: stage contacts that come out of key order (Active Directory's objectGUIDs are
   * random) in a table of their own until finishStaging, which merges them in key order: about
   * three times faster for a large import (see docs/benchmarks.md), in one longer transaction
   * at its end. For a thread that does nothing else; otherwise batches go straight into the
   * list.
   */
  constructor(db: SqliteDatabase, options: { setAside?: boolean } = {}) {
    this.#db = db;
    this.#setAside = options.setAside ?? false;
    prepareImportTables(db);
    this.#aside = {
      insert: db.prepare(
        `INSERT INTO import_contacts_aside (import_id, contact_key, data, search_text)
         VALUES (?, ?, ?, ?)`,
      ),
      merge: db.prepare(
        `INSERT INTO import_contacts (import_id, contact_key, data, hash, search_text)
         SELECT import_id, contact_key, data, '${SETTLED}', search_text
         FROM import_contacts_aside WHERE import_id = ? ORDER BY contact_key, rowid
         ON CONFLICT (import_id, contact_key) DO UPDATE
         SET data = excluded.data, hash = excluded.hash, search_text = excluded.search_text`,
      ),
      drop: db.prepare('DELETE FROM import_contacts_aside WHERE import_id = ?'),
      dropSome: db.prepare(
        `DELETE FROM import_contacts_aside WHERE rowid IN
         (SELECT rowid FROM import_contacts_aside WHERE import_id = ? LIMIT ?)`,
      ),
    };
    this.#insertStaged = db.prepare(insertStaged(1));
    this.#insertStagedRows = db.prepare<[string[]]>(insertStaged(STAGED_PER_INSERT));
    this.#selectImport = db.prepare('SELECT * FROM imports WHERE organization_id = ? AND id = ?');
    this.#compare = prepareCompare(db);
    this.#keepDelivered = prepareKeepDelivered(db);
    this.#dropList = {
      keepChanges: db.prepare(KEEP_CHANGES),
      drop: db.prepare(
        `DELETE FROM import_contacts
         WHERE import_id = :importId AND contact_key > :after AND contact_key <= :upto`,
      ),
    };
    // A change without data has its contact in the import's list.
    this.#selectChanges = db.prepare(
      `SELECT c.contact_key AS key, c.change, coalesce(c.data, s.data) AS data
       FROM import_changes c LEFT JOIN import_contacts s
         ON c.data IS NULL AND s.import_id = c.import_id AND s.contact_key = c.contact_key
       WHERE c.import_id = ? AND c.contact_key > ? ORDER BY c.contact_key LIMIT ?`,
    );
    this.#selectApplied = db.prepare(
      `SELECT i.* FROM contact_lists l JOIN imports i ON i.id = l.import_id
       WHERE l.organization_id = ?`,
    );
    this.#selectCurrent = db
      .prepare<[string, string], string>(
        `SELECT data FROM import_contacts WHERE import_id = ${CURRENT_LIST} AND contact_key = ?`,
      )
      .pluck();
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
    // Stable: a key twice in one batch keeps its later version last, which the upsert keeps.
    const sorted = [...contacts].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (!this.#setAside || sorted.length === 0) return this.#stageInOrder(importId, sorted);
    const last = this.#lastStaged.get(importId);
    if (last !== undefined && sorted[0]!.key <= last) return this.#stageAside(importId, contacts);
    this.#lastStaged.set(importId, sorted.at(-1)!.key);
    this.#stageInOrder(importId, sorted);
  }

  finishStaging(importId: string): void {
    this.#lastStaged.delete(importId);
    this.#db
      .transaction(() => {
        this.#aside['merge']!.run(importId);
        this.#aside['drop']!.run(importId);
      })
      .immediate();
  }

  /** Arrival order: a later version of a key staged twice is merged last, so it wins. */
  #stageAside(importId: string, contacts: StagedContact[]): void {
    const insert = this.#aside['insert']!;
    this.#db
      .transaction(() => {
        for (const { key, data, searchText } of contacts)
          insert.run(importId, key, data, searchText);
      })
      .immediate();
  }

  /** Keys in order: a batch after every key staged before writes each page of the tree once. */
  #stageInOrder(importId: string, contacts: StagedContact[]): void {
    this.#db
      .transaction(() => {
        let index = 0;
        for (; index + STAGED_PER_INSERT <= contacts.length; index += STAGED_PER_INSERT) {
          const values: string[] = [];
          for (const contact of contacts.slice(index, index + STAGED_PER_INSERT)) {
            values.push(importId, contact.key, contact.data, SETTLED, contact.searchText);
          }
          this.#insertStagedRows.run(values);
        }
        for (const { key, data, searchText } of contacts.slice(index)) {
          this.#insertStaged.run(importId, key, data, SETTLED, searchText);
        }
      })
      .immediate();
  }

  dropStaged(importId: string, limit: number): number {
    const statements = this.#dropList;
    this.#lastStaged.delete(importId);
    return this.#db
      .transaction((): number => {
        const aside = this.#aside['dropSome']!.run(importId, limit).changes;
        if (aside > 0) return aside;
        const end = this.#compare['stepEnd']!.pluck();
        const upto = end.get(importId, '', limit) as string | null;
        if (upto === null) return 0;
        const range = { importId, after: '', upto };
        statements['keepChanges']!.run(range);
        return statements['drop']!.run(range).changes;
      })
      .immediate();
  }

  dropChanges(importId: string, limit: number): number {
    return this.#db
      .prepare(
        `DELETE FROM import_changes WHERE import_id = ? AND contact_key IN
         (SELECT contact_key FROM import_changes WHERE import_id = ? ORDER BY contact_key LIMIT ?)`,
      )
      .run(importId, importId, limit).changes;
  }

  compareStep(
    importId: string,
    organizationId: string,
    side: 'staged' | 'current',
    afterKey: string,
    limit: number,
  ): CompareStep {
    const statements = this.#compare;
    return this.#db
      .transaction((): CompareStep => {
        const current = statements['currentList']!.pluck().get(organizationId) as string | null;
        const list = side === 'staged' ? importId : current;
        const range = list
          ? (statements['stepRange']!.get(list, afterKey, limit) as StepRange)
          : { lastKey: null, rows: 0 };
        const { lastKey } = range;
        const step = { lastKey, covered: range.rows, added: 0, updated: 0, removed: 0 };
        if (lastKey === null) return step;
        const keys = { importId, current, after: afterKey, upto: lastKey };
        if (side === 'staged') {
          step.added = statements['added']!.run(keys).changes;
          step.updated = statements['updated']!.run(keys).changes;
        } else {
          step.removed = statements['removed']!.run(keys).changes;
        }
        return step;
      })
      .immediate();
  }

  countStaged(importId: string): number {
    return this.#db
      .prepare('SELECT COUNT(*) FROM import_contacts WHERE import_id = ?')
      .pluck()
      .get(importId) as number;
  }

  countCurrent(organizationId: string): number {
    return this.#db
      .prepare(`SELECT COUNT(*) FROM import_contacts WHERE import_id = ${CURRENT_LIST}`)
      .pluck()
      .get(organizationId) as number;
  }

  apply(importId: string, organizationId: string): void {
    this.#db
      .transaction(() => {
        this.#db
          .prepare(
            'INSERT OR REPLACE INTO contact_lists (organization_id, import_id) VALUES (?, ?)',
          )
          .run(organizationId, importId);
        this.#db.prepare('UPDATE imports SET applied = 1 WHERE id = ?').run(importId);
      })
      .immediate();
  }

  keepDeliveredStep(
    importId: string,
    organizationId: string,
    keys: { delivered: string; uncertain: string },
    side: 'uncertain' | 'staged' | 'current',
    afterKey: string,
    limit: number,
  ): string | null {
    const statements = this.#keepDelivered;
    const bounds = { importId, organizationId, ...keys };
    return this.#db
      .transaction((): string | null => {
        if (side === 'uncertain') {
          statements['markUncertain']!.run(bounds);
          statements['restoreUncertain']!.run(bounds);
          return null;
        }
        const current = this.#compare['currentList']!.pluck().get(organizationId) as string | null;
        const list = side === 'staged' ? importId : current;
        const after = afterKey > keys.uncertain ? afterKey : keys.uncertain;
        const end = this.#compare['stepEnd']!.pluck();
        const upto = (list ? end.get(list, after, limit) : null) as string | null;
        if (upto === null) return null;
        const range = { ...bounds, current, after, upto };
        if (side === 'staged') {
          this.#dropList['keepChanges']!.run(range);
          statements['dropDiffering']!.run(range);
        } else {
          statements['copyMissing']!.run(range);
        }
        return upto;
      })
      .immediate();
  }

  pageContacts(organizationId: string, afterKey: string, limit: number) {
    return this.#db
      .prepare(
        `SELECT contact_key AS key, data FROM import_contacts
         WHERE import_id = ${CURRENT_LIST} AND contact_key > ? ORDER BY contact_key LIMIT ?`,
      )
      .all(organizationId, afterKey, limit) as Array<{ key: string; data: string }>;
  }

  currentContact(organizationId: string, key: string): string | undefined {
    return this.#selectCurrent.get(organizationId, key);
  }

  changesKept(importId: string, changesKept: number): boolean {
    const unkept = this.#db
      .prepare(`SELECT ${CHANGES_UNKEPT} FROM imports i WHERE i.id = :id`)
      .pluck()
      .get({ id: importId, kept: changesKept });
    return unkept === 0;
  }

  pageChanges(importId: string, afterKey: string, limit: number): ContactChange[] {
    return this.#selectChanges.all(importId, afterKey, limit);
  }

  cancelWaiting(organizationId: string, exceptId: string, finishedAt: string): string[] {
    return this.#db
      .transaction(() => {
        const waiting = this.#db
          .prepare(
            `SELECT id FROM imports WHERE organization_id = ? AND id <> ?
           AND status = 'needs_confirmation'`,
          )
          .pluck()
          .all(organizationId, exceptId) as string[];
        const cancel = this.#db.prepare(
          `UPDATE imports SET status = 'cancelled', phase = 'done', error_code = ?,
         error_message = ?, finished_at = ? WHERE id = ?`,
        );
        for (const id of waiting) {
          cancel.run(
            'import_superseded',
            'another import was applied since; start a new import instead',
            finishedAt,
            id,
          );
        }
        return waiting;
      })
      .immediate();
  }

  searchContacts(organizationId: string, needles: string[], limit: number): string[] {
    // One statement per number of needles (0 to 2), prepared on first use.
    let statement = this.#searches.get(needles.length);
    if (!statement) {
      const matches = needles.map(() => 'instr(search_text, ?) > 0').join(' OR ');
      statement = this.#db
        .prepare(
          `SELECT data FROM import_contacts WHERE import_id = ${CURRENT_LIST}
           ${matches ? `AND (${matches})` : ''} ORDER BY contact_key LIMIT ?`,
        )
        .pluck();
      this.#searches.set(needles.length, statement);
    }
    return statement.all(organizationId, ...needles, limit) as string[];
  }

  latestApplied(organizationId: string): ImportRecord | undefined {
    const row = this.#selectApplied.get(organizationId);
    return row ? fromRow(row) : undefined;
  }

  purgeStep(limit: number, changesKept: number): number {
    const setAside = this.#db.prepare(UNMERGED_ASIDE).pluck().get() as string | undefined;
    if (setAside !== undefined) return this.#aside['dropSome']!.run(setAside, limit).changes;
    const unused = this.#db.prepare(UNUSED_LISTS).get() as
      Pick<ImportRow, 'id' | 'status'> | undefined;
    if (unused !== undefined) {
      // Changes nobody keeps go first, so no contact is copied into them from the list.
      const dropped = unused.status === 'succeeded' ? 0 : this.dropChanges(unused.id, limit);
      return dropped > 0 ? dropped : this.dropStaged(unused.id, limit);
    }
    const old = this.#db.prepare(UNUSED_CHANGES).pluck().get({ kept: changesKept });
    return old === undefined ? 0 : this.dropChanges(old as string, limit);
  }
}

/** Stages `rows` contacts; a key staged again in the same import keeps its last version. */
function insertStaged(rows: number): string {
  return `INSERT INTO import_contacts (import_id, contact_key, data, hash, search_text)
    VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?)').join(', ')}
    ON CONFLICT (import_id, contact_key) DO UPDATE
    SET data = excluded.data, hash = excluded.hash, search_text = excluded.search_text`;
}

/**
 * The statements of one comparison step. A step covers the keys of one side from `after` to
 * `upto`; the other side is looked up by key, so each step costs about `limit` index probes.
 */
function prepareCompare(db: SqliteDatabase): Record<string, Database.Statement> {
  // Added and updated contacts stay in the import's list: their changes hold no copy.
  return {
    currentList: db.prepare('SELECT import_id FROM contact_lists WHERE organization_id = ?'),
    stepEnd: db.prepare(
      `SELECT max(contact_key) FROM (SELECT contact_key FROM import_contacts
       WHERE import_id = ? AND contact_key > ? ORDER BY contact_key LIMIT ?)`,
    ),
    stepRange: db.prepare(
      `SELECT max(contact_key) AS lastKey, count(*) AS rows FROM (SELECT contact_key
       FROM import_contacts WHERE import_id = ? AND contact_key > ? ORDER BY contact_key LIMIT ?)`,
    ),
    added: db.prepare(
      `INSERT INTO import_changes (import_id, contact_key, change, data)
       SELECT s.import_id, s.contact_key, 'added', NULL FROM import_contacts s
       WHERE s.import_id = :importId AND s.contact_key > :after AND s.contact_key <= :upto
       AND NOT EXISTS (SELECT 1 FROM import_contacts c
         WHERE c.import_id = :current AND c.contact_key = s.contact_key)`,
    ),
    updated: db.prepare(
      `INSERT INTO import_changes (import_id, contact_key, change, data)
       SELECT s.import_id, s.contact_key, 'updated', NULL FROM import_contacts s
       JOIN import_contacts c ON c.import_id = :current AND c.contact_key = s.contact_key
       WHERE s.import_id = :importId AND s.contact_key > :after AND s.contact_key <= :upto
       AND (c.data <> s.data OR c.hash = '')`,
    ),
    removed: db.prepare(
      `INSERT INTO import_changes (import_id, contact_key, change, data)
       SELECT :importId, c.contact_key, 'removed', c.data FROM import_contacts c
       WHERE c.import_id = :current AND c.contact_key > :after AND c.contact_key <= :upto
       AND NOT EXISTS (SELECT 1 FROM import_contacts s
         WHERE s.import_id = :importId AND s.contact_key = c.contact_key)`,
    ),
  };
}

/**
 * The statements of keepDeliveredStep. The in-flight batch's rows are marked uncertain (an
 * empty hash), which makes them differ from any version; `restoreUncertain` brings back its
 * removed contacts, so that the next import either updates or removes each of them again.
 */
function prepareKeepDelivered(db: SqliteDatabase): Record<string, Database.Statement> {
  const inFlight = `SELECT contact_key FROM import_changes WHERE import_id = :importId
    AND contact_key > :delivered AND contact_key <= :uncertain`;
  const currentList = CURRENT_LIST.replace('?', ':organizationId');
  return {
    markUncertain: db.prepare(
      `UPDATE import_contacts SET hash = '' WHERE import_id = :importId
       AND contact_key IN (${inFlight} AND change <> 'removed')`,
    ),
    restoreUncertain: db.prepare(
      `INSERT OR IGNORE INTO import_contacts (import_id, contact_key, data, hash, search_text)
       SELECT :importId, c.contact_key, c.data, '', c.search_text FROM import_contacts c
       WHERE c.import_id = ${currentList}
       AND c.contact_key IN (${inFlight} AND change = 'removed')`,
    ),
    dropDiffering: db.prepare(
      `DELETE FROM import_contacts WHERE import_id = :importId
       AND contact_key > :after AND contact_key <= :upto
       AND NOT EXISTS (SELECT 1 FROM import_contacts c WHERE c.import_id = :current
         AND c.contact_key = import_contacts.contact_key AND c.data = import_contacts.data
         AND c.hash <> '')`,
    ),
    copyMissing: db.prepare(
      `INSERT OR IGNORE INTO import_contacts (import_id, contact_key, data, hash, search_text)
       SELECT :importId, c.contact_key, c.data, c.hash, c.search_text FROM import_contacts c
       WHERE c.import_id = :current AND c.contact_key > :after AND c.contact_key <= :upto`,
    ),
  };
}

function toColumnValue(name: string, value: unknown): unknown {
  if (name === 'dryRun' || name === 'confirmed') return value ? 1 : 0;
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
    delivered: row.delivered,
    deliveredBatches: row.delivered_batches,
    deliveredKey: row.delivered_key,
    confirmed: row.confirmed === 1,
    deliveryBatchSize: row.delivery_batch_size,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
