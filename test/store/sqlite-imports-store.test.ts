import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import Database from 'better-sqlite3';

import { openDatabase } from '../../core/store/database.js';
import {
  newImportRecord,
  type ImportRecord,
  type StagedContact,
} from '../../core/store/imports-store.js';
import { SqliteImportsStore } from '../../core/store/sqlite-imports-store.js';

function record(id: string, fields: Partial<ImportRecord> = {}): ImportRecord {
  const created = newImportRecord({
    id,
    organizationId: 'acme',
    dryRun: false,
    createdAt: new Date().toISOString(),
  });
  return { ...created, status: 'running', phase: 'reading', ...fields };
}

/** Contacts k00..k(n-1); `version` changes the ones named in `changed`. */
function contacts(keys: string[], changed: string[] = []): StagedContact[] {
  return keys.map((key) => {
    const data = JSON.stringify({ key, version: changed.includes(key) ? 2 : 1 });
    return { key, data, searchText: key };
  });
}

const keys = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, index) => `k${String(from + index).padStart(2, '0')}`);

/** The whole comparison in steps of `limit` keys, as the import job runs it. */
function compareAll(store: SqliteImportsStore, id: string, limit: number) {
  const totals = { added: 0, updated: 0, removed: 0 };
  for (const side of ['staged', 'current'] as const) {
    let after = '';
    for (;;) {
      const step = store.compareStep(id, 'acme', side, after, limit);
      if (step.lastKey === null) break;
      totals.added += step.added;
      totals.updated += step.updated;
      totals.removed += step.removed;
      after = step.lastKey;
    }
  }
  return totals;
}

/** The imports table as earlier versions created it, with `later` columns of a later one. */
function importsTableOfOldStores(later = ''): string {
  return `CREATE TABLE imports (id TEXT PRIMARY KEY, organization_id TEXT NOT NULL,
    status TEXT NOT NULL, phase TEXT NOT NULL, dry_run INTEGER NOT NULL,
    processed INTEGER NOT NULL DEFAULT 0, added INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0, removed INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0, skipped_reasons TEXT NOT NULL DEFAULT '{}',
    error_code TEXT, error_message TEXT, created_at TEXT NOT NULL, started_at TEXT,
    finished_at TEXT, applied INTEGER NOT NULL DEFAULT 0${later ? `, ${later}` : ''})`;
}

function importList(store: SqliteImportsStore, id: string, staged: StagedContact[]) {
  store.createImport(record(id));
  store.stage(id, staged);
  const counts = compareAll(store, id, 3);
  store.apply(id, 'acme');
  store.updateImport(id, { status: 'succeeded' });
  return counts;
}

describe('SqliteImportsStore staging out of key order', () => {
  const versions = (store: SqliteImportsStore, id: string) => {
    store.apply(id, 'acme');
    return store
      .pageContacts('acme', '', 100)
      .map(({ key, data }) => `${key}:${JSON.parse(data).version}`);
  };

  it('sets out-of-order batches aside and merges them, the last version of a key winning', () => {
    const store = new SqliteImportsStore(openDatabase(':memory:'), { setAside: true });
    store.createImport(record('a'));
    store.stage('a', contacts(['k05', 'k06']));
    store.stage('a', contacts(['k09', 'k01']));
    store.stage('a', contacts(['k03', 'k05', 'k01'], ['k05', 'k01']));
    assert.equal(store.countStaged('a'), 2, 'only the batch in order is in the list yet');
    store.finishStaging('a');
    assert.deepEqual(versions(store, 'a'), ['k01:2', 'k03:1', 'k05:2', 'k06:1', 'k09:1']);
  });

  it('stages every batch straight into the list without setAside', () => {
    const store = new SqliteImportsStore(openDatabase(':memory:'));
    store.createImport(record('a'));
    store.stage('a', contacts(['k05', 'k06']));
    store.stage('a', contacts(['k09', 'k01']));
    assert.equal(store.countStaged('a'), 4);
    store.finishStaging('a');
    assert.deepEqual(versions(store, 'a'), ['k01:1', 'k05:1', 'k06:1', 'k09:1']);
  });

  it('drops what an interrupted import set aside, and what a failed one left', () => {
    const store = new SqliteImportsStore(openDatabase(':memory:'), { setAside: true });
    store.createImport(record('restarted'));
    store.stage('restarted', contacts(['k05']));
    store.stage('restarted', contacts(['k01', 'k02']));
    while (store.dropStaged('restarted', 1) > 0);
    store.stage('restarted', contacts(['k07']));
    store.finishStaging('restarted');
    assert.deepEqual(versions(store, 'restarted'), ['k07:1'], 'read again from scratch');

    store.createImport(record('failed'));
    store.stage('failed', contacts(['k05']));
    store.stage('failed', contacts(['k01', 'k02']));
    store.updateImport('failed', { status: 'failed' });
    while (store.purgeStep(1, 10) > 0);
    store.finishStaging('failed');
    assert.equal(store.countStaged('failed'), 0, 'nothing left to merge');
  });
});

describe('SqliteImportsStore', () => {
  it('compares in small steps exactly as in one', () => {
    const store = new SqliteImportsStore(openDatabase(':memory:'));
    assert.deepEqual(importList(store, 'a', contacts(keys(0, 10))), {
      added: 10,
      updated: 0,
      removed: 0,
    });
    // k00-k02 go, k03 and k07 change, k10-k13 arrive.
    store.createImport(record('b'));
    store.stage('b', contacts(keys(3, 14), ['k03', 'k07']));
    assert.deepEqual(compareAll(store, 'b', 3), { added: 4, updated: 2, removed: 3 });
    const changes = store
      .pageChanges('b', '', 100)
      .map((change) => `${change.change}:${change.key}`);
    assert.deepEqual(changes, [
      'removed:k00',
      'removed:k01',
      'removed:k02',
      'updated:k03',
      'updated:k07',
      'added:k10',
      'added:k11',
      'added:k12',
      'added:k13',
    ]);
    assert.equal(store.countCurrent('acme'), 10, 'nothing applied yet');
    assert.equal(store.countStaged('b'), 11);
  });

  it('switches the current list at once, and purges the lists nobody needs', () => {
    const store = new SqliteImportsStore(openDatabase(':memory:'));
    importList(store, 'a', contacts(keys(0, 10)));
    importList(store, 'b', contacts(keys(5, 12)));
    assert.equal(store.latestApplied('acme')?.id, 'b');
    assert.deepEqual(
      store.pageContacts('acme', '', 100).map((row) => row.key),
      keys(5, 12),
    );
    store.createImport(record('waiting', { status: 'needs_confirmation' }));
    store.stage('waiting', contacts(keys(0, 3)));
    store.createImport(record('dry', { dryRun: true, status: 'succeeded' }));
    store.stage('dry', contacts(keys(0, 4)));

    let purged = 0;
    for (let step = store.purgeStep(3, 10); step > 0; step = store.purgeStep(3, 10)) {
      purged += step;
    }
    assert.equal(purged, 10 + 4, "the replaced list and the dry run's");
    assert.equal(store.countStaged('a'), 0);
    assert.equal(store.countStaged('dry'), 0);
    assert.equal(store.countStaged('b'), 7, 'the current list stays');
    assert.equal(store.countStaged('waiting'), 3, 'an import waiting for confirmation keeps its');
  });

  it('keeps the changes of the latest imports only, and of no failed one', () => {
    const store = new SqliteImportsStore(openDatabase(':memory:'));
    const changed = (id: string, count: number, fields: Partial<ImportRecord> = {}) => {
      store.createImport(record(id, { createdAt: `2026-01-0${count}`, ...fields }));
      store.stage(id, contacts(keys(0, count)));
      compareAll(store, id, 100);
      store.updateImport(id, { status: fields.status ?? 'succeeded' });
    };
    changed('old', 1);
    changed('failed', 2, { status: 'failed' });
    changed('newer', 3);
    changed('newest', 4);
    changed('waiting', 5, { status: 'needs_confirmation' });
    const ids = ['old', 'failed', 'newer', 'newest', 'waiting'];
    // Told before the purge has run: a half-purged list must not be paged as if whole.
    assert.deepEqual(
      ids.map((id) => store.changesKept(id, 3)),
      [false, false, true, true, true],
    );
    while (store.purgeStep(2, 3) > 0);
    const left = (id: string) => store.pageChanges(id, '', 100).length;
    assert.deepEqual(
      ids.map(left),
      [0, 0, 3, 4, 5],
      'the three latest keep theirs; a waiting import always does',
    );
  });

  it('answers searches from the current list only', () => {
    const store = new SqliteImportsStore(openDatabase(':memory:'));
    assert.deepEqual(store.searchContacts('acme', ['k0'], 10), []);
    importList(store, 'a', contacts(keys(0, 12)));
    store.createImport(record('next'));
    store.stage('next', contacts(['k50']));
    const found = store
      .searchContacts('acme', ['k1', 'k50'], 10)
      .map((data) => JSON.parse(data).key);
    assert.deepEqual(found, ['k10', 'k11']);
    assert.equal(store.searchContacts('acme', [], 5).length, 5);
  });

  it('moves the contacts of a store written by the previous version into a current list', () => {
    const db = openDatabase(':memory:');
    // The tables as the previous version created them: one table of applied contacts.
    db.exec(`
      ${importsTableOfOldStores()};
      CREATE TABLE import_staging (import_id TEXT NOT NULL, contact_key TEXT NOT NULL,
        data TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (import_id, contact_key));
      CREATE TABLE contacts (organization_id TEXT NOT NULL, contact_key TEXT NOT NULL,
        data TEXT NOT NULL, hash TEXT NOT NULL, import_id TEXT NOT NULL,
        PRIMARY KEY (organization_id, contact_key));
      INSERT INTO imports (id, organization_id, status, phase, dry_run, created_at,
        finished_at, applied) VALUES
        ('old', 'acme', 'succeeded', 'done', 0, '2026-01-01', '2026-01-01T01:00:00Z', 1),
        ('new', 'acme', 'succeeded', 'done', 0, '2026-02-01', '2026-02-01T01:00:00Z', 1),
        ('half', 'acme', 'running', 'reading', 0, '2026-03-01', NULL, 0);
      INSERT INTO contacts VALUES ('acme', 'k1', '{"key":"k1"}', 'h1', 'old'),
        ('acme', 'k2', '{"key":"k2"}', 'h2', 'new');
      INSERT INTO import_staging VALUES ('half', 'k9', '{}', 'h9');
    `);
    const store = new SqliteImportsStore(db);
    assert.equal(store.latestApplied('acme')?.id, 'new');
    assert.deepEqual(
      store.pageContacts('acme', '', 10).map((row) => row.data),
      ['{"key":"k1"}', '{"key":"k2"}'],
    );
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    assert.ok(!tables.includes('contacts') && !tables.includes('import_staging'), String(tables));
    assert.equal(store.getImport('acme', 'half')?.confirmed, false);
  });

  it('keeps the contacts of the changes of an import whose list was purged', () => {
    const db = openDatabase(':memory:');
    const store = new SqliteImportsStore(db);
    // Text that a copy through another encoding or a JSON round trip would change.
    const unusual = (staged: StagedContact[]) =>
      staged.map((contact) => {
        const data = contact.data.replace('}', ', "name": "Zoë \\u00e9 😀", "v": 1.50 }');
        return { ...contact, data };
      });
    const first = unusual(contacts(keys(0, 10)));
    importList(store, 'a', first);
    const second = unusual(contacts(keys(3, 14), ['k03', 'k07']));
    importList(store, 'b', second);
    const recorded = (id: string) => store.pageChanges(id, '', 100);
    const before = { a: recorded('a'), b: recorded('b') };
    const copied = db.prepare('SELECT COUNT(*) FROM import_changes WHERE data IS NOT NULL');
    assert.equal(copied.pluck().get(), 3, 'only the removed contacts are copied when comparing');

    importList(store, 'c', contacts(keys(0, 2)));
    while (store.purgeStep(3, 10) > 0);
    assert.equal(store.countStaged('a') + store.countStaged('b'), 0, 'both lists are purged');
    assert.deepEqual(recorded('a'), before.a);
    assert.deepEqual(recorded('b'), before.b);
    const as = (change: string, staged: StagedContact[], among: string[]) =>
      staged.filter((contact) => among.includes(contact.key)).map((c) => `${change}:${c.data}`);
    const described = (id: string) => recorded(id).map((row) => `${row.change}:${row.data}`);
    assert.deepEqual(described('a'), as('added', first, keys(0, 10)));
    assert.deepEqual(described('b'), [
      ...as('removed', first, keys(0, 3)),
      ...as('updated', second, ['k03', 'k07']),
      ...as('added', second, keys(10, 14)),
    ]);
  });

  it('keeps the changes as recorded when a partial delivery replaces their contacts', () => {
    const store = new SqliteImportsStore(openDatabase(':memory:'));
    importList(store, 'a', contacts(keys(0, 10)));
    store.createImport(record('b'));
    store.stage('b', contacts(keys(3, 14), ['k03', 'k07']));
    compareAll(store, 'b', 100);
    const recorded = store.pageChanges('b', '', 100);
    // The removals were delivered; the batch with k03 was in flight.
    const stopped = { delivered: 'k02', uncertain: 'k03' };
    store.keepDeliveredStep('b', 'acme', stopped, 'uncertain', '', 0);
    for (const side of ['staged', 'current'] as const) {
      let after = '';
      for (;;) {
        const last = store.keepDeliveredStep('b', 'acme', stopped, side, after, 2);
        if (last === null) break;
        after = last;
      }
    }
    assert.deepEqual(store.pageChanges('b', '', 100), recorded);
    store.apply('b', 'acme');
    const list = store.pageContacts('acme', '', 100).map((row) => row.data);
    assert.deepEqual(list, [
      ...contacts(['k03'], ['k03']).map((contact) => contact.data),
      ...contacts(keys(4, 10)).map((contact) => contact.data),
    ]);
  });

  it('stages a key given twice in one call, even in one statement, as its last version', () => {
    const store = new SqliteImportsStore(openDatabase(':memory:'));
    store.createImport(record('a'));
    const version = (key: string, count: number): StagedContact => {
      const data = JSON.stringify({ key, version: count });
      return { key, data, searchText: key };
    };
    // 40 rows: two statements of 16, then one at a time. k05 comes twice within the first 16,
    // k01 three times (twice in the first, once in the second), k20 in the second and last 8.
    const staged = [...keys(0, 36).map((key) => version(key, 1))];
    staged.splice(9, 0, version('k05', 2));
    staged.splice(12, 0, version('k01', 2));
    staged.splice(20, 0, version('k01', 3));
    staged.splice(38, 0, version('k20', 2));
    assert.equal(staged.length, 40);
    store.stage('a', staged);
    store.stage('a', [version('k00', 2)]);
    assert.equal(store.countStaged('a'), 36);
    store.apply('a', 'acme');
    const versions = store
      .pageContacts('acme', '', 100)
      .map((row) => JSON.parse(row.data) as { key: string; version: number })
      .filter((contact) => contact.version > 1)
      .map((contact) => `${contact.key}:${contact.version}`);
    assert.deepEqual(versions, ['k00:2', 'k01:3', 'k05:2', 'k20:2']);
  });

  it('upgrades a store whose changes required their data, keeping and paging them', () => {
    const db = openDatabase(':memory:');
    // The tables as the previous version created them.
    db.exec(`
      ${importsTableOfOldStores(`delivered INTEGER NOT NULL DEFAULT 0,
        delivered_batches INTEGER NOT NULL DEFAULT 0, delivered_key TEXT NOT NULL DEFAULT '',
        confirmed INTEGER NOT NULL DEFAULT 0, delivery_batch_size INTEGER NOT NULL DEFAULT 0`)};
      CREATE INDEX imports_by_organization ON imports (organization_id, created_at);
      CREATE TABLE import_contacts (import_id TEXT NOT NULL, contact_key TEXT NOT NULL,
        data TEXT NOT NULL, hash TEXT NOT NULL, search_text TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (import_id, contact_key)) WITHOUT ROWID;
      CREATE TABLE contact_lists (organization_id TEXT PRIMARY KEY, import_id TEXT NOT NULL);
      CREATE TABLE import_changes (import_id TEXT NOT NULL, contact_key TEXT NOT NULL,
        change TEXT NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (import_id, contact_key)) WITHOUT ROWID;
      INSERT INTO imports (id, organization_id, status, phase, dry_run, created_at,
        finished_at, applied) VALUES
        ('old', 'acme', 'succeeded', 'done', 0, '2026-01-01', '2026-01-01T01:00:00Z', 1),
        ('new', 'acme', 'succeeded', 'done', 0, '2026-02-01', '2026-02-01T01:00:00Z', 1);
      INSERT INTO import_contacts (import_id, contact_key, data, hash) VALUES
        ('new', 'k01', '{"key":"k01","v":2}', 'h2'), ('new', 'k02', '{"key":"k02"}', 'h3');
      INSERT INTO contact_lists VALUES ('acme', 'new');
      INSERT INTO import_changes VALUES ('old', 'k01', 'added', '{"key":"k01"}'),
        ('new', 'k01', 'updated', '{"key":"k01","v":2}'), ('new', 'k02', 'added', '{"key":"k02"}');
    `);
    const store = new SqliteImportsStore(db);
    const page = (id: string) =>
      store.pageChanges(id, '', 10).map((row) => `${row.change}:${row.key}:${row.data}`);
    assert.deepEqual(page('old'), ['added:k01:{"key":"k01"}']);
    assert.deepEqual(page('new'), ['updated:k01:{"key":"k01","v":2}', 'added:k02:{"key":"k02"}']);
    const required = db.prepare(
      "SELECT \"notnull\" FROM pragma_table_info('import_changes') WHERE name = 'data'",
    );
    assert.equal(required.pluck().get(), 0);
    // The next import records its changes without their data, and still pages them.
    importList(store, 'next', contacts(['k02', 'k03']));
    assert.deepEqual(page('next'), [
      'removed:k01:{"key":"k01","v":2}',
      'updated:k02:{"key":"k02","version":1}',
      'added:k03:{"key":"k03","version":1}',
    ]);
    assert.equal(store.countCurrent('acme'), 2);
  });

  it('opens a store it wrote itself again without changing it', () => {
    const db = new Database(':memory:');
    const first = new SqliteImportsStore(db);
    importList(first, 'a', contacts(keys(0, 3)));
    const again = new SqliteImportsStore(db);
    assert.equal(again.countCurrent('acme'), 3);
  });
});
