import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Attribute, Change, Client } from 'ldapts';

import { startSlapd, type SlapdHandle } from '../support/slapd.js';
import { fixtureOrganization, startTestGateway, type TestGateway } from '../support/gateway.js';
import { allPages as allPagesOf, waitForImport } from '../support/imports.js';

const PEOPLE_IN_USERS = 610; // the fixture's ten named people and 600 bulk users

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, index) => from + index);
}

describe('contact imports against OpenLDAP', () => {
  let slapd: SlapdHandle;
  let gateway: TestGateway;
  let admin: Client;

  before(async () => {
    slapd = await startSlapd({ bulkUsers: 600, sizeLimit: 500 });
    gateway = await startTestGateway(
      {
        acme: fixtureOrganization(slapd),
        empty: fixtureOrganization(slapd, { contacts: { filter: '(objectClass=device)' } }),
        queued: fixtureOrganization(slapd),
      },
      { imports: { maxConcurrent: 1, pageSize: 100, batchSize: 50 } },
    );
    admin = new Client({ url: slapd.url });
    await admin.bind(slapd.adminDn, slapd.adminPassword);
  });
  after(async () => {
    await admin?.unbind();
    await gateway?.stop();
    await slapd?.stop();
  });

  const start = (org: string, body?: unknown) =>
    gateway.request('POST', `/v1/orgs/${org}/imports`, body);
  const finished = (org: string, id: string) => waitForImport(gateway, org, id);
  const allPages = (path: string, field: string) => allPagesOf(gateway, path, field);
  const user = (number: number) =>
    `uid=user${String(number).padStart(4, '0')},ou=users,dc=ldap,dc=example,dc=com`;

  let firstImport: string;

  it('imports every person, more than the server returns to a plain search', async () => {
    const response = await start('acme');
    assert.equal(response.status, 202, response.text);
    assert.equal(response.body.import.status, 'queued');
    firstImport = response.body.import.id;

    const second = await start('acme');
    assert.equal(second.status, 409, second.text);
    assert.equal(second.body.error.code, 'import_running');
    assert.equal(second.body.error.importId, firstImport);

    const record = await finished('acme', firstImport);
    assert.equal(record.status, 'succeeded', JSON.stringify(record));
    assert.deepEqual(
      [record.processed, record.added, record.updated, record.removed],
      [PEOPLE_IN_USERS, PEOPLE_IN_USERS, 0, 0],
    );
    const contacts = await allPages(`/v1/orgs/acme/imports/${firstImport}/contacts`, 'contacts');
    assert.equal(contacts.length, PEOPLE_IN_USERS);
    assert.equal(new Set(contacts.map((contact) => contact.key)).size, PEOPLE_IN_USERS);
    assert.ok(
      contacts.every((contact) => contact.key.startsWith('uuid:')),
      'keyed by entryUUID',
    );
  });

  it('updates in place, adds and removes what changed since the last import', async () => {
    await admin.add('uid=newcomer,ou=users,dc=ldap,dc=example,dc=com', {
      objectClass: 'inetOrgPerson',
      uid: 'newcomer',
      cn: 'New Comer',
      sn: 'Comer',
      telephoneNumber: '999',
    });
    await admin.modify(
      user(1),
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'mail', values: ['moved@example.com'] }),
      }),
    );
    await admin.del(user(2));

    const response = await start('acme');
    const record = await finished('acme', response.body.import.id);
    assert.equal(record.status, 'succeeded');
    assert.deepEqual([record.added, record.updated, record.removed], [1, 1, 1]);

    const changes = await allPages(
      `/v1/orgs/acme/imports/${record.id}/contacts?changes=true`,
      'changes',
    );
    const byKind = Object.fromEntries(changes.map((change) => [change.change, change.contact]));
    assert.equal(byKind.added.displayName, 'New Comer');
    assert.deepEqual(byKind.updated.emails, ['moved@example.com']);
    assert.equal(byKind.removed.dn, user(2));
    const contacts = await allPages(`/v1/orgs/acme/imports/${record.id}/contacts`, 'contacts');
    assert.equal(contacts.length, PEOPLE_IN_USERS);
  });

  it('computes a dry run without applying it', async () => {
    await admin.modify(
      user(3),
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'cn', values: ['Renamed Three'] }),
      }),
    );
    // Misspelt, it would have been a real import: refused instead.
    const misspelt = await start('acme', { dryrun: true });
    assert.equal(misspelt.status, 400, misspelt.text);
    assert.equal(misspelt.body.error.code, 'invalid_request');
    assert.match(misspelt.body.error.message, /dryrun/);
    const response = await start('acme', { dryRun: true });
    const record = await finished('acme', response.body.import.id);
    assert.equal(record.status, 'succeeded');
    assert.equal(record.dryRun, true);
    assert.equal(record.updated, 1);
    const current = await gateway.request('GET', `/v1/orgs/acme/imports/${record.id}/contacts`);
    assert.equal(current.status, 409, 'a dry run has no contact list of its own');
  });

  it('stops before removing more than half the contacts, and applies on confirmation', async () => {
    for (let number = 100; number < 500; number += 1) await admin.del(user(number));
    const response = await start('acme');
    const record = await finished('acme', response.body.import.id);
    assert.equal(record.status, 'needs_confirmation', JSON.stringify(record));
    assert.equal(record.removed, 400);

    const latest = await gateway.request('GET', `/v1/orgs/acme/imports/${record.id}/contacts`);
    assert.equal(latest.status, 409, 'nothing was applied');

    const confirmed = await gateway.request('POST', `/v1/orgs/acme/imports/${record.id}/confirm`);
    assert.equal(confirmed.status, 200, confirmed.text);
    assert.ok(['queued', 'running'].includes(confirmed.body.import.status), confirmed.text);
    assert.equal(confirmed.body.import.confirmed, true);
    const applied = await finished('acme', record.id);
    assert.equal(applied.status, 'succeeded', JSON.stringify(applied));
    assert.equal(applied.removed, 400);
    const contacts = await allPages(`/v1/orgs/acme/imports/${record.id}/contacts`, 'contacts');
    assert.equal(contacts.length, PEOPLE_IN_USERS - 400);
  });

  it('cancels an import left waiting once a later one is applied, so it cannot be confirmed', async () => {
    for (const number of [...range(50, 100), ...range(500, 600)]) await admin.del(user(number));
    const older = await finished('acme', (await start('acme')).body.import.id);
    assert.equal(older.status, 'needs_confirmation', JSON.stringify(older));
    const newer = await finished('acme', (await start('acme')).body.import.id);
    assert.equal(newer.status, 'needs_confirmation');
    await gateway.request('POST', `/v1/orgs/acme/imports/${newer.id}/confirm`);
    assert.equal((await finished('acme', newer.id)).status, 'succeeded');

    const stale = await gateway.request('GET', `/v1/orgs/acme/imports/${older.id}`);
    assert.equal(stale.body.import.status, 'cancelled');
    assert.equal(stale.body.import.errorCode, 'import_superseded');
    const confirm = await gateway.request('POST', `/v1/orgs/acme/imports/${older.id}/confirm`);
    assert.equal(confirm.status, 409);
    const contacts = await allPages(`/v1/orgs/acme/imports/${newer.id}/contacts`, 'contacts');
    assert.equal(contacts.length, PEOPLE_IN_USERS - 400 - 150);
  });

  it('refuses a cursor of another listing or import', async () => {
    const latest = (await gateway.request('GET', '/v1/orgs/acme/imports')).body.imports[0];
    const first = await gateway.request(
      'GET',
      `/v1/orgs/acme/imports/${latest.id}/contacts?limit=1`,
    );
    const cursor = first.body.nextCursor;
    for (const path of [
      `/v1/orgs/acme/imports/${latest.id}/contacts?changes=true&cursor=${cursor}`,
      `/v1/orgs/acme/imports/${firstImport}/contacts?changes=true&cursor=${cursor}`,
      `/v1/orgs/acme/imports/${latest.id}/contacts?cursor=xyz`,
    ]) {
      const response = await gateway.request('GET', path);
      assert.equal(response.status, 400, `${path}: ${response.text}`);
      assert.equal(response.body.error.code, 'invalid_cursor');
    }
  });

  it('stops an import that finds nobody at all', async () => {
    const response = await start('empty');
    const record = await finished('empty', response.body.import.id);
    assert.equal(record.status, 'needs_confirmation');
    assert.equal(record.processed, 0);
  });

  it('streams progress until the import ends', async () => {
    const response = await start('acme');
    const events = await fetch(
      `${gateway.url}/v1/orgs/acme/imports/${response.body.import.id}/events`,
      {
        headers: { authorization: 'Bearer test-token-0123456789abcdef' },
      },
    );
    assert.match(events.headers.get('content-type') ?? '', /^text\/event-stream/);
    const text = await events.text();
    const records = text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)));
    assert.ok(records.length >= 2, text);
    assert.equal(records.at(-1).status, 'succeeded');
  });

  it('cancels a queued import', async () => {
    const running = await start('acme', { dryRun: true });
    const queued = await start('queued');
    const cancelled = await gateway.request(
      'DELETE',
      `/v1/orgs/queued/imports/${queued.body.import.id}`,
    );
    assert.equal(cancelled.status, 200, cancelled.text);
    const record = await finished('queued', queued.body.import.id);
    assert.equal(record.status, 'cancelled');
    await finished('acme', running.body.import.id);
  });

  it('lists past imports, newest first', async () => {
    const response = await gateway.request('GET', '/v1/orgs/acme/imports');
    assert.ok(response.body.imports.length >= 5);
    assert.equal(response.body.imports.at(-1).id, firstImport);
  });

  it('answers 404 for an import of another organization', async () => {
    const response = await gateway.request('GET', `/v1/orgs/queued/imports/${firstImport}`);
    assert.equal(response.status, 404);
    assert.equal(response.body.error.code, 'import_not_found');
  });
});
