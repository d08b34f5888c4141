import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Attribute, Change, Client } from 'ldapts';

import { projectRoot } from '../../core/project-root.js';
import {
  fixtureOrganization,
  startTestGateway,
  TEST_TOKEN,
  type TestGateway,
} from '../support/gateway.js';
import { allPages, startImport, waitForImport } from '../support/imports.js';
import { startSlapd, type SlapdHandle } from '../support/slapd.js';

const BULK_USERS = 3000;
const PEOPLE = BULK_USERS + 10;
const EXAMPLE = join(projectRoot, 'dist/plugins/example-department-labels/index.js');
const FAULTY = join(projectRoot, 'dist/test/fixtures/plugins/faulty.js');

describe('imports read in a worker thread', () => {
  let slapd: SlapdHandle;
  let folder: string;
  let gateway: TestGateway;

  before(async () => {
    slapd = await startSlapd({ bulkUsers: BULK_USERS });
    const admin = new Client({ url: slapd.url });
    await admin.bind(slapd.adminDn, slapd.adminPassword);
    await admin.modify(
      'uid=alice,ou=users,dc=ldap,dc=example,dc=com',
      new Change({
        operation: 'add',
        modification: new Attribute({ type: 'departmentNumber', values: ['100'] }),
      }),
    );
    await admin.unbind();
    folder = mkdtempSync(join(tmpdir(), 'ldap-gateway-worker-'));
    const mapping = [{ type: 'default' }, { type: 'department-labels' }];
    const fragile = [{ type: 'default' }, { type: 'faulty-mapping', options: { failFor: 'bob' } }];
    gateway = await startTestGateway(
      {
        acme: fixtureOrganization(slapd, { mapping }),
        fragile: fixtureOrganization(slapd, { mapping: fragile }),
      },
      {
        store: join(folder, 'gateway.db'),
        // Small pages make the import long enough to act on while it reads.
        imports: { pageSize: 20, batchSize: 20 },
        plugins: [{ module: EXAMPLE, options: { labels: { '100': 'Sales' } } }, { module: FAULTY }],
      },
    );
  });
  after(async () => {
    await gateway?.stop();
    await slapd?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  /** A user's jpegPhoto as the directory holds it. */
  async function photoOf(user: string): Promise<Buffer> {
    const reader = new Client({ url: slapd.url });
    try {
      await reader.bind(slapd.adminDn, slapd.adminPassword);
      const { searchEntries } = await reader.search(
        `uid=${user},ou=users,dc=ldap,dc=example,dc=com`,
        {
          scope: 'base',
          attributes: ['jpegPhoto'],
          explicitBufferAttributes: ['jpegPhoto'],
        },
      );
      return searchEntries[0]!['jpegPhoto'] as Buffer;
    } finally {
      await reader.unbind();
    }
  }

  it('imports every person through the organization’s plugins, and counts them', async () => {
    const id = await startImport(gateway, 'acme');
    const signIns = await Promise.all(
      ['alice', 'bob'].map((user) =>
        gateway.request('POST', '/v1/orgs/acme/auth', { username: user, password: `${user}-pw` }),
      ),
    );
    assert.deepEqual(
      signIns.map((response) => response.status),
      [200, 200],
    );
    const record = await waitForImport(gateway, 'acme', id);
    assert.equal(record.status, 'succeeded', JSON.stringify(record));
    assert.equal(record.processed, PEOPLE);
    // Compared by the staging thread, counted here.
    assert.deepEqual([record.added, record.updated, record.removed], [PEOPLE, 0, 0]);
    assert.ok(
      gateway.logs.some((line) => line['msg'] === 'reading in a worker thread'),
      'read in a worker',
    );
    const contacts = await allPages(gateway, `/v1/orgs/acme/imports/${id}/contacts`, 'contacts');
    assert.equal(contacts.length, PEOPLE);
    const alice = contacts.find((contact) => contact.id === 'alice');
    assert.deepEqual(alice.fields, { department: 'Sales' }, 'the operator plugin ran there too');
    // Binary values cross from the searching thread to the mapping one as the same bytes.
    const paula = contacts.find((contact) => contact.id === 'paula');
    assert.equal(paula.attributes.jpegPhoto[0], (await photoOf('paula')).toString('base64'));
    const metrics = await gateway.metrics.registry.metrics();
    assert.match(
      metrics,
      new RegExp(`gateway_import_entries_total\\{org="acme",outcome="staged"\\} ${PEOPLE}`),
    );
  });

  it('counts a mapping plugin failing in a reading thread in the metrics', async () => {
    const id = await startImport(gateway, 'fragile');
    const record = await waitForImport(gateway, 'fragile', id);
    assert.equal(record.status, 'succeeded', JSON.stringify(record));
    assert.deepEqual(record.skippedReasons, { mapping_failed: 1 });
    const metrics = await gateway.metrics.registry.metrics();
    assert.match(
      metrics,
      /gateway_plugin_errors_total\{org="fragile",kind="mapping",plugin="faulty-mapping"\} 1\n/,
    );
  });

  it('streams the progress the reading thread records', async () => {
    const id = await startImport(gateway, 'acme');
    const events = await fetch(`${gateway.url}/v1/orgs/acme/imports/${id}/events`, {
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
    });
    const records = (await events.text())
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice('data: '.length)));
    const reading = records.filter((record) => record.phase === 'reading');
    assert.ok(
      reading.some((record) => record.processed > 0 && record.processed < PEOPLE),
      `progress while reading: ${reading.map((record) => record.processed).join(', ')}`,
    );
    assert.equal(records.at(-1).status, 'succeeded');
    assert.ok(
      records.some((record) => record.phase === 'comparing'),
      `phases: ${records.map((record) => record.phase).join(', ')}`,
    );
    // Nothing changed in the directory since the first import.
    const last = records.at(-1);
    assert.deepEqual([last.added, last.updated, last.removed], [0, 0, 0]);
  });

  it('stops reading when the import is cancelled', async () => {
    const id = await startImport(gateway, 'acme');
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const { body } = await gateway.request('GET', `/v1/orgs/acme/imports/${id}`);
      if (body.import.phase === 'reading' && body.import.processed > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await gateway.request('DELETE', `/v1/orgs/acme/imports/${id}`);
    const record = await waitForImport(gateway, 'acme', id, 5000);
    assert.equal(record.status, 'cancelled');
    assert.ok(record.processed < PEOPLE, `stopped early (${record.processed})`);
  });

  it('keeps a person whose photo would make the contact too large, without the photo', async () => {
    const admin = new Client({ url: slapd.url });
    await admin.bind(slapd.adminDn, slapd.adminPassword);
    // 300 KB of photo: over the 256 KiB a contact may take once base64-encoded.
    const photo = Buffer.alloc(300 * 1024, 0xab);
    const texts = { objectClass: 'inetOrgPerson', uid: 'hugo', cn: 'Hugo Huge-Photo', sn: 'Hugo' };
    await admin.add('uid=hugo,ou=users,dc=ldap,dc=example,dc=com', [
      ...Object.entries(texts).map(([type, value]) => new Attribute({ type, values: [value] })),
      new Attribute({ type: 'jpegPhoto', values: [photo] }),
    ]);
    await admin.unbind();
    const id = await startImport(gateway, 'acme');
    const record = await waitForImport(gateway, 'acme', id);
    assert.equal(record.status, 'succeeded', JSON.stringify(record));
    assert.equal(record.skippedReasons.too_large, undefined, JSON.stringify(record));
    const contacts = await allPages(gateway, `/v1/orgs/acme/imports/${id}/contacts`, 'contacts');
    const hugo = contacts.find((contact) => contact.id === 'hugo');
    assert.ok(hugo, 'the person is imported');
    assert.equal(hugo.attributes.jpegPhoto, undefined);
    assert.deepEqual(hugo.attributes.cn, ['Hugo Huge-Photo']);
    // Others keep their photos.
    const paula = contacts.find((contact) => contact.id === 'paula');
    assert.equal(paula.attributes.jpegPhoto[0], (await photoOf('paula')).toString('base64'));
  });
});
