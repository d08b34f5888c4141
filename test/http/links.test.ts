import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { startSlapd, type SlapdHandle } from '../support/slapd.js';
import { fixtureOrganization, startTestGateway, type TestGateway } from '../support/gateway.js';

const ALICE = 'uid=alice,ou=users,dc=ldap,dc=example,dc=com';
const BOB = 'uid=bob,ou=users,dc=ldap,dc=example,dc=com';

describe('links against OpenLDAP', () => {
  let slapd: SlapdHandle;
  let gateway: TestGateway;
  let folder: string;
  const start = () =>
    startTestGateway(
      { acme: fixtureOrganization(slapd), other: fixtureOrganization(slapd) },
      {
        store: join(folder, 'gateway.db'),
      },
    );

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'ldap-gateway-links-'));
    slapd = await startSlapd({ bulkUsers: 0 });
    gateway = await start();
  });
  after(async () => {
    await gateway?.stop();
    await slapd?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('links users by extension and reports unmatched and ambiguous ones', async () => {
    const response = await gateway.request('POST', '/v1/orgs/acme/links/auto', {
      users: [
        { userId: 'u-alice', extension: '101' },
        { userId: 'u-nobody', extension: '999' },
        { userId: 'u-desk', extension: '200' },
        { userId: 'u-bob', extension: '102' },
        { userId: 'u-star', extension: '*' },
      ],
    });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.body.linked, [
      { userId: 'u-alice', extension: '101', dn: ALICE },
      { userId: 'u-bob', extension: '102', dn: BOB },
    ]);
    assert.deepEqual(response.body.unmatched, [
      { userId: 'u-nobody', extension: '999' },
      { userId: 'u-star', extension: '*' },
    ]);
    assert.equal(response.body.ambiguous.length, 1);
    assert.equal(response.body.ambiguous[0].userId, 'u-desk');
    assert.equal(response.body.ambiguous[0].candidates.length, 2);
  });

  it('lists the links of the organization only', async () => {
    const response = await gateway.request('GET', '/v1/orgs/acme/links');
    assert.deepEqual(
      response.body.links.map((link: { userId: string }) => link.userId),
      ['u-alice', 'u-bob'],
    );
    assert.equal(response.body.links[0].method, 'auto');
    const other = await gateway.request('GET', '/v1/orgs/other/links');
    assert.deepEqual(other.body.links, []);
  });

  it('links by hand to an existing DN', async () => {
    const response = await gateway.request('PUT', '/v1/orgs/acme/links/u-manual', { dn: BOB });
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.link.dn, BOB);
    assert.equal(response.body.link.method, 'manual');
  });

  const refused: Array<[string, string]> = [
    ['uid=ghost,ou=users,dc=ldap,dc=example,dc=com', 'a DN that does not exist'],
    ['uid=carl,ou=contractors,dc=ldap,dc=example,dc=com', 'a DN outside the organization unit'],
    ['cn=gateway,dc=ldap,dc=example,dc=com', 'a DN above the organization unit'],
    ['ou=users,dc=ldap,dc=example,dc=com', 'the organization unit itself, not a person'],
  ];
  for (const [dn, why] of refused) {
    it(`refuses to link by hand to ${why}`, async () => {
      const response = await gateway.request('PUT', '/v1/orgs/acme/links/u-bad', { dn });
      assert.equal(response.status, 422, response.text);
      assert.equal(response.body.error.code, 'entry_not_found');
    });
  }

  it('answers 400 for a DN that is not a DN', async () => {
    const response = await gateway.request('PUT', '/v1/orgs/acme/links/u-bad', {
      dn: 'ou=users,dc=ldap,dc=example,dc=com,,=',
    });
    assert.ok([400, 422].includes(response.status), response.text);
  });

  it('never replaces a link made by hand, and says so', async () => {
    const response = await gateway.request('POST', '/v1/orgs/acme/links/auto', {
      users: [{ userId: 'u-manual', extension: '101' }],
    });
    assert.deepEqual(response.body.linked, []);
    assert.deepEqual(response.body.kept, [
      { userId: 'u-manual', extension: '101', dn: BOB, reason: 'manual_link' },
    ]);
    const link = await gateway.request('GET', '/v1/orgs/acme/links?after=u-forgotten&limit=1');
    assert.equal(link.body.links[0].dn, BOB);
  });

  it('names the link an unmatched or ambiguous user keeps', async () => {
    const response = await gateway.request('POST', '/v1/orgs/acme/links/auto', {
      users: [
        { userId: 'u-alice', extension: '999' },
        { userId: 'u-bob', extension: '200' },
      ],
    });
    assert.deepEqual(response.body.unmatched, [
      { userId: 'u-alice', extension: '999', linkedDn: ALICE },
    ]);
    assert.equal(response.body.ambiguous[0].linkedDn, BOB);
  });

  it('keeps links across a restart', async () => {
    await gateway.stop();
    gateway = await start();
    const response = await gateway.request('GET', '/v1/orgs/acme/links');
    assert.deepEqual(
      response.body.links.map((link: { userId: string }) => link.userId),
      ['u-alice', 'u-bob', 'u-manual'],
    );
  });

  it('unlinks, then answers 404 for a user who is not linked', async () => {
    const removed = await gateway.request('DELETE', '/v1/orgs/acme/links/u-manual');
    assert.equal(removed.status, 204);
    const again = await gateway.request('DELETE', '/v1/orgs/acme/links/u-manual');
    assert.equal(again.status, 404);
    assert.equal(again.body.error.code, 'link_not_found');
  });

  it('refuses a request that lists a user twice, and saves nothing of it', async () => {
    const response = await gateway.request('POST', '/v1/orgs/acme/links/auto', {
      users: [
        { userId: 'twice', extension: '103' },
        { userId: 'twice', extension: '104' },
      ],
    });
    assert.equal(response.status, 400);
    const links = await gateway.request('GET', '/v1/orgs/acme/links');
    assert.ok(!links.body.links.some((link: { userId: string }) => link.userId === 'twice'));
  });
});
