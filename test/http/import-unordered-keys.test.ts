import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Attribute, Change, Client } from 'ldapts';

import { fixtureOrganization, startTestGateway, type TestGateway } from '../support/gateway.js';
import { allPages, startImport, waitForImport } from '../support/imports.js';
import { startSlapd, type SlapdHandle } from '../support/slapd.js';

const PEOPLE = 400;
const FIXTURE_PEOPLE = 10;
const parent = 'ou=users,dc=ldap,dc=example,dc=com';

/** People whose entryUUIDs are random, as Active Directory's objectGUIDs are: no key order. */
function peopleWithRandomKeys(): { ldif: string; keys: Map<string, string> } {
  const keys = new Map<string, string>();
  const entries = Array.from({ length: PEOPLE }, (_, index) => {
    const uid = `random${index}`;
    const uuid = randomUUID();
    keys.set(uid, `uuid:${uuid}`);
    return [
      `dn: uid=${uid},${parent}`,
      'objectClass: inetOrgPerson',
      `uid: ${uid}`,
      `cn: Random Person ${index}`,
      `sn: Person ${index}`,
      `entryUUID: ${uuid}`,
    ].join('\n');
  });
  return { ldif: `${entries.join('\n\n')}\n`, keys };
}

describe('imports of a directory whose keys come in no order', () => {
  let slapd: SlapdHandle;
  let folder: string;
  let gateway: TestGateway;
  let keys: Map<string, string>;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'ldap-gateway-unordered-'));
    const people = peopleWithRandomKeys();
    keys = people.keys;
    writeFileSync(join(folder, 'people.ldif'), people.ldif);
    slapd = await startSlapd({ bulkUsers: 0, extraLdif: join(folder, 'people.ldif') });
    gateway = await startTestGateway(
      { acme: fixtureOrganization(slapd) },
      // A store file: the import reads in worker threads, which set such contacts aside.
      { store: join(folder, 'gateway.db'), imports: { pageSize: 25, batchSize: 25 } },
    );
  });
  after(async () => {
    await gateway?.stop();
    await slapd?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  const importOf = async () => {
    const record = await waitForImport(gateway, 'acme', await startImport(gateway, 'acme'));
    assert.equal(record.status, 'succeeded', JSON.stringify(record));
    return record;
  };

  it('keeps every person once, under their own key, and updates in place', async () => {
    const first = await importOf();
    assert.equal(first.added, PEOPLE + FIXTURE_PEOPLE);
    const contacts = await allPages(
      gateway,
      `/v1/orgs/acme/imports/${first.id}/contacts`,
      'contacts',
    );
    assert.equal(contacts.length, PEOPLE + FIXTURE_PEOPLE);
    for (const [uid, key] of keys) {
      assert.equal(contacts.find((contact) => contact.id === uid)?.key, key, uid);
    }

    const admin = new Client({ url: slapd.url });
    await admin.bind(slapd.adminDn, slapd.adminPassword);
    await admin.modify(
      `uid=random7,${parent}`,
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'cn', values: ['Renamed'] }),
      }),
    );
    await admin.unbind();
    const second = await importOf();
    assert.deepEqual([second.added, second.updated, second.removed], [0, 1, 0]);
  });
});
