import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Client } from 'ldapts';

import { startSlapd, type SlapdHandle } from '../support/slapd.js';
import { fixtureOrganization, startTestGateway, type TestGateway } from '../support/gateway.js';
import { startImport, waitForImport } from '../support/imports.js';

describe('contact queries answered from imports', () => {
  let slapd: SlapdHandle;
  let gateway: TestGateway;
  let admin: Client;

  before(async () => {
    slapd = await startSlapd({ bulkUsers: 40 });
    const source = (name: string, extra = {}) =>
      fixtureOrganization(slapd, { contacts: { source: name, ...extra } });
    gateway = await startTestGateway({
      live: source('live'),
      imported: source('imported'),
      fallback: source('imported-or-live'),
      capped: source('imported', { maxResults: 5 }),
    });
    admin = new Client({ url: slapd.url });
    await admin.bind(slapd.adminDn, slapd.adminPassword);
  });
  after(async () => {
    await admin?.unbind();
    await gateway?.stop();
    await slapd?.stop();
  });

  const query = async (org: string, text: string) => {
    const response = await gateway.request(
      'GET',
      `/v1/orgs/${org}/contacts?q=${encodeURIComponent(text)}&limit=100`,
    );
    return response;
  };
  const names = async (org: string, text: string) => {
    const response = await query(org, text);
    assert.equal(response.status, 200, response.text);
    return response.body.contacts.map((contact: any) => contact.displayName);
  };
  const imported = async (org: string) => {
    const record = await waitForImport(gateway, org, await startImport(gateway, org));
    assert.equal(record.status, 'succeeded', JSON.stringify(record));
  };

  it('refuses queries with contacts_not_imported until an import is applied', async () => {
    const response = await query('imported', 'alice');
    assert.equal(response.status, 409, response.text);
    assert.equal(response.body.error.code, 'contacts_not_imported');
  });

  it('asks the directory while no import is applied, with imported-or-live', async () => {
    const [alice] = (await query('fallback', 'alice')).body.contacts;
    assert.equal(alice.displayName, 'Alice Anderson');
    assert.match(alice.key, /^uuid:/, 'live contacts carry their stable key too');
  });

  it('answers from the applied import, matching as the directory would', async () => {
    await imported('imported');
    await imported('fallback');
    for (const org of ['imported', 'fallback']) {
      const [alice] = (await query(org, 'ALICE')).body.contacts;
      assert.equal(alice.displayName, 'Alice Anderson', org);
      assert.match(alice.key, /^uuid:/);
    }
    // telephoneNumberMatch ignores spaces and hyphens: "+1 555 0101" is found as written so.
    assert.deepEqual(await names('imported', '555-0101'), ['Alice Anderson']);
    assert.deepEqual(await names('imported', '5550101'), ['Alice Anderson']);
    assert.deepEqual(await names('live', '5550101'), ['Alice Anderson']);
    // A multi-valued, non-ASCII name and a DN with an escaped comma.
    assert.deepEqual(await names('imported', 'müller'), ['José Müller-Øster']);
    assert.deepEqual(await names('imported', 'doe, jane'), ['Doe, Jane']);
    assert.deepEqual(await names('imported', 'nobody-like-this'), []);
    const everyone = await names('imported', '');
    assert.deepEqual(everyone, await names('live', ''), 'the same people, in the same order');
  });

  it('reports truncation past maxResults', async () => {
    await imported('capped');
    const response = await query('capped', '');
    assert.equal(response.body.contacts.length, 5);
    assert.equal(response.body.truncated, true);
  });

  it('shows directory changes only after the next import, whose apply clears the cache', async () => {
    await admin.add('uid=newcomer,ou=users,dc=ldap,dc=example,dc=com', {
      objectClass: 'inetOrgPerson',
      uid: 'newcomer',
      cn: 'Nadia Newcomer',
      sn: 'Newcomer',
    });
    assert.deepEqual(await names('live', 'newcomer'), ['Nadia Newcomer']);
    assert.deepEqual(await names('imported', 'newcomer'), [], 'cached until the next import');
    await imported('imported');
    assert.deepEqual(await names('imported', 'newcomer'), ['Nadia Newcomer']);
  });
});
