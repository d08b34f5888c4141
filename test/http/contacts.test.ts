import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startSlapd, type SlapdHandle } from '../support/slapd.js';
import { fixtureOrganization, startTestGateway, type TestGateway } from '../support/gateway.js';

describe('GET /v1/orgs/{org}/contacts against OpenLDAP', () => {
  let slapd: SlapdHandle;
  let gateway: TestGateway;

  before(async () => {
    slapd = await startSlapd({ sizeLimit: 500, bulkUsers: 600 });
    gateway = await startTestGateway({
      acme: fixtureOrganization(slapd, { contacts: { pageSize: 100 } }),
      nocache: fixtureOrganization(slapd, { contacts: { cacheTtlSeconds: 0 } }),
    });
  });
  after(async () => {
    await gateway?.stop();
    await slapd?.stop();
  });

  const query = (parameters: string, org = 'acme') =>
    gateway.request('GET', `/v1/orgs/${org}/contacts?${parameters}`);
  const searchCount = async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const line = text
      .split('\n')
      .find((row) =>
        row.startsWith(
          'gateway_directory_operation_duration_seconds_count{org="acme",operation="search"}',
        ),
      );
    return Number(line?.split(' ')[1] ?? 0);
  };

  it('finds a person by name with typed phones, mails and attributes', async () => {
    const response = await query('q=alice');
    assert.equal(response.status, 200, response.text);
    const [alice] = response.body.contacts;
    assert.equal(response.body.contacts.length, 1);
    assert.equal(alice.dn, 'uid=alice,ou=users,dc=ldap,dc=example,dc=com');
    assert.equal(alice.id, 'alice');
    assert.equal(alice.displayName, 'Alice Anderson');
    // "+1 555 0101" has too few digits to be a North American number: no E.164 form.
    assert.deepEqual(alice.phones, [
      { type: 'work', number: '101', attribute: 'telephoneNumber' },
      { type: 'work', number: '+1 555 0101', attribute: 'telephoneNumber' },
      { type: 'mobile', number: '+1 555 0201', attribute: 'mobile' },
    ]);
    assert.deepEqual(alice.emails, ['alice@example.com']);
    assert.deepEqual(alice.attributes.cn, ['Alice Anderson']);
    assert.equal(response.body.nextCursor, null);
  });

  it('finds a person by part of a phone number', async () => {
    const response = await query('q=555%200201');
    assert.deepEqual(
      response.body.contacts.map((contact: { id: string }) => contact.id),
      ['alice'],
    );
  });

  it('finds a person by a non-ASCII part of the name', async () => {
    const response = await query(`q=${encodeURIComponent('Müller')}`);
    assert.deepEqual(
      response.body.contacts.map((contact: { id: string }) => contact.id),
      ['jose'],
    );
  });

  it('treats filter metacharacters in the query as text', async () => {
    const response = await query(`q=${encodeURIComponent('(Test)')}`);
    assert.deepEqual(
      response.body.contacts.map((contact: { id: string }) => contact.id),
      ['star*user'],
    );
    const wildcard = await query(`q=${encodeURIComponent('*')}`);
    assert.equal(wildcard.status, 200);
    assert.deepEqual(wildcard.body.contacts, []);
  });

  it('serves people without mail or phone', async () => {
    const response = await query('q=Fischer');
    const [frank] = response.body.contacts;
    assert.deepEqual([frank.phones, frank.emails], [[], []]);
  });

  it('returns binary attributes base64-encoded and byte-identical', async () => {
    const response = await query('q=paula');
    const photo = Buffer.from(response.body.contacts[0].attributes.jpegPhoto[0], 'base64');
    assert.deepEqual([...photo.subarray(0, 4)], [0xff, 0xd8, 0xff, 0xe0]);
  });

  it('pages through more entries than the server returns to a plain search', async () => {
    const seen = new Set<string>();
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const response = await query(`q=Bulk%20User&limit=250${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(response.status, 200, response.text);
      for (const contact of response.body.contacts) seen.add(contact.dn);
      cursor = response.body.nextCursor;
      pages += 1;
    }
    assert.equal(seen.size, 600);
    assert.equal(pages, 3);
  });

  it('answers a repeated query from the cache', async () => {
    await query('q=bob');
    const before = await searchCount();
    const again = await query('q=BOB');
    assert.equal(again.body.contacts[0].id, 'bob');
    assert.equal(await searchCount(), before);
  });

  it('sends concurrent identical misses to the directory once', async () => {
    const before = await searchCount();
    const responses = await Promise.all(Array.from({ length: 20 }, () => query('q=desk')));
    for (const response of responses) assert.equal(response.body.contacts.length, 2);
    assert.equal(await searchCount(), before + 1);
  });

  it('asks the directory every time when the cache is off', async () => {
    const first = await query('q=carl', 'nocache');
    assert.deepEqual(first.body.contacts, []);
    const count = async () => {
      const text = await (await fetch(`${gateway.url}/metrics`)).text();
      return text.match(
        /gateway_contact_cache_lookups_total\{org="nocache",result="hit"\} (\d+)/,
      )?.[1];
    };
    await query('q=carl', 'nocache');
    assert.equal(await count(), undefined);
  });

  const badQueries: Array<[string, string]> = [
    ['limit=0', 'a zero limit'],
    ['limit=abc', 'a limit that is not a number'],
    ['cursor=%%%', 'a cursor that is not base64url'],
    [`q=${'x'.repeat(300)}`, 'an overlong query'],
    ['q=a%00b', 'a NUL in the query'],
  ];
  for (const [parameters, why] of badQueries) {
    it(`answers 400 invalid_request for ${why}`, async () => {
      const response = await query(parameters);
      assert.equal(response.status, 400, response.text);
      assert.equal(response.body.error.code, 'invalid_request');
    });
  }

  it('answers 400 invalid_cursor for a cursor of another query', async () => {
    const first = await query('q=Bulk&limit=10');
    const response = await query(`q=alice&cursor=${first.body.nextCursor}`);
    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, 'invalid_cursor');
  });
});
