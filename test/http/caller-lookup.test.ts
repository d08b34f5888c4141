import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Attribute, Change, Client } from 'ldapts';

import { fixtureOrganization, startTestGateway, type TestGateway } from '../support/gateway.js';
import { startImport, waitForImport } from '../support/imports.js';
import { startSlapd, type SlapdHandle } from '../support/slapd.js';

const people = 'ou=users,dc=ldap,dc=example,dc=com';

describe('caller-ID lookups', () => {
  let slapd: SlapdHandle;
  let gateway: TestGateway;
  let admin: Client;

  const person = (uid: string, cn: string, phones: Record<string, string | string[]>) =>
    admin.add(`uid=${uid},${people}`, {
      objectClass: 'inetOrgPerson',
      uid,
      cn,
      sn: cn.split(' ').at(-1)!,
      ...phones,
    });

  before(async () => {
    slapd = await startSlapd({ bulkUsers: 10 });
    admin = new Client({ url: slapd.url });
    await admin.bind(slapd.adminDn, slapd.adminPassword);
    await person('ana', 'Ana Avila', {
      telephoneNumber: '+1 (415) 555-0100',
      mobile: '415.555.0199',
    });
    await person('cleo', 'Cleo Clark', { telephoneNumber: '+44 20 7946 0958 x123' });
    await person('dev', 'Dev Dutta', { telephoneNumber: '+44 20 7946 0958 x124' });
    const organization = (source: string) =>
      fixtureOrganization(slapd, { defaultCountry: 'US', contacts: { source } });
    gateway = await startTestGateway({
      fallback: organization('imported-or-live'),
      imported: organization('imported'),
      live: organization('live'),
    });
  });
  after(async () => {
    await admin?.unbind();
    await gateway?.stop();
    await slapd?.stop();
  });

  const lookup = (org: string, number: string) =>
    gateway.request('GET', `/v1/orgs/${org}/contacts/lookup?number=${encodeURIComponent(number)}`);
  const found = async (org: string, number: string) => {
    const response = await lookup(org, number);
    assert.equal(response.status, 200, `${number}: ${response.text}`);
    return response.body;
  };
  const importOf = async (org: string) => {
    const record = await waitForImport(gateway, org, await startImport(gateway, org));
    assert.equal(record.status, 'succeeded', JSON.stringify(record));
  };

  it('asks the directory until an import is applied, and refuses where only imports count', async () => {
    const answer = await found('fallback', '(415) 555-0100');
    assert.equal(answer.contact.displayName, 'Ana Avila');
    assert.equal(answer.phone.number, '+1 (415) 555-0100');
    const refused = await lookup('imported', '(415) 555-0100');
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'contacts_not_imported');
  });

  it('finds the contact behind a number written in another format, from imported contacts', async () => {
    await importOf('imported');
    await importOf('fallback');
    for (const org of ['imported', 'fallback', 'live']) {
      const answer = await found(org, '+14155550199');
      assert.deepEqual(
        [answer.match, answer.ambiguous, answer.normalized, answer.contact.displayName],
        ['exact', false, '+14155550199', 'Ana Avila'],
        org,
      );
      assert.equal(answer.phone.number, '415.555.0199');
      assert.equal(answer.phone.type, 'mobile');
      assert.match(answer.contact.key, /^uuid:/);
    }
  });

  it('tells extensions apart, and says when a number is shared', async () => {
    const cleo = await found('imported', '+442079460958;ext=123');
    assert.equal(cleo.contact.displayName, 'Cleo Clark');
    const line = await found('imported', '+44 20 7946 0958');
    assert.deepEqual([line.match, line.ambiguous, line.contact], ['line', true, null]);
    const names = line.candidates.map((candidate: any) => candidate.contact.displayName);
    assert.deepEqual(names.sort(), ['Cleo Clark', 'Dev Dutta']);
    // The fixture's two front desks share extension 200.
    const desk = await found('imported', '200');
    assert.deepEqual([desk.match, desk.ambiguous, desk.candidates.length], ['internal', true, 2]);
    const alice = await found('live', '101');
    assert.deepEqual([alice.match, alice.contact.displayName], ['internal', 'Alice Anderson']);
  });

  it('answers 404 for an unknown number and 400 for no number at all', async () => {
    const unknown = await lookup('imported', '+1 212 555 0123');
    assert.equal(unknown.status, 404, unknown.text);
    assert.equal(unknown.body.error.code, 'contact_not_found');
    for (const bad of ['', 'call me', '1'.repeat(65)]) {
      const response = await lookup('imported', bad);
      assert.equal(response.status, 400, `${JSON.stringify(bad)}: ${response.text}`);
      assert.equal(response.body.error.code, 'invalid_request');
    }
    const missing = await gateway.request('GET', '/v1/orgs/imported/contacts/lookup');
    assert.equal(missing.status, 400);
  });

  it('counts lookups under their own route in the metrics, apart from contacts', async () => {
    await lookup('imported', '+1 212 555 0123');
    await gateway.request('GET', '/v1/orgs/imported/contacts/nobody');
    const metrics = (await gateway.request('GET', '/metrics')).text;
    const counted = (route: string) =>
      metrics.includes(`_count{method="GET",route="${route}",status="`);
    assert.ok(counted('/v1/orgs/:org/contacts/lookup'), metrics);
    assert.ok(counted('/v1/orgs/:org/contacts/:id'), metrics);
  });

  it('builds the index of an applied import before the first call asks', async () => {
    await importOf('imported');
    const lookup = gateway.gateway.organizations.get('imported').lookup;
    for (let attempt = 0; attempt < 500 && !lookup.indexed; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(lookup.indexed, true, 'no call needed to build it');
  });

  it('sees a new number once the next import is applied', async () => {
    await person('gus', 'Gus Green', { telephoneNumber: '+1 415 555 0142' });
    assert.equal((await lookup('imported', '4155550142')).status, 404, 'not imported yet');
    await importOf('imported');
    assert.equal((await found('imported', '4155550142')).contact.displayName, 'Gus Green');
  });

  it('shows a contact found before as the next applied import has it', async () => {
    await importOf('imported');
    assert.equal((await found('imported', '4155550100')).contact.displayName, 'Ana Avila');
    await admin.modify(
      `uid=ana,${people}`,
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'cn', values: ['Ana Avila-Berg'] }),
      }),
    );
    assert.equal((await found('imported', '4155550100')).contact.displayName, 'Ana Avila');
    await importOf('imported');
    assert.equal((await found('imported', '4155550100')).contact.displayName, 'Ana Avila-Berg');
  });
});
