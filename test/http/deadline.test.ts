import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startSlapd, type SlapdHandle } from '../support/slapd.js';
import { fixtureOrganization, startTestGateway, type TestGateway } from '../support/gateway.js';

const BOB = 'uid=bob,ou=users,dc=ldap,dc=example,dc=com';

describe('a request answered request_timeout', () => {
  let slapd: SlapdHandle;
  let gateway: TestGateway;

  before(async () => {
    slapd = await startSlapd({ bulkUsers: 0 });
    // One connection per pool: the next request waits until the timed-out one has finished.
    gateway = await startTestGateway(
      { acme: fixtureOrganization(slapd, { pool: { size: 1 }, timeouts: { operationMs: 30000 } }) },
      { server: { requestTimeoutMs: 1000 } },
    );
    const warm = await gateway.request('GET', '/v1/orgs/acme/contacts?q=warm');
    assert.equal(warm.status, 200, warm.text);
  });
  after(async () => {
    process.kill(slapd.pid, 'SIGCONT');
    await gateway?.stop();
    await slapd?.stop();
  });

  const writes: Array<[string, string, unknown]> = [
    ['PUT', '/v1/orgs/acme/links/late-manual', { dn: BOB }],
    ['POST', '/v1/orgs/acme/links/auto', { users: [{ userId: 'late-auto', extension: '102' }] }],
  ];
  for (const [method, path, body] of writes) {
    it(`saves nothing once it has answered (${method} ${path})`, async () => {
      process.kill(slapd.pid, 'SIGSTOP');
      const response = await gateway.request(method, path, body);
      process.kill(slapd.pid, 'SIGCONT');
      assert.equal(response.status, 503, response.text);
      assert.equal(response.body.error.code, 'request_timeout');

      // Waits for the only connection, so the timed-out request has run to its end.
      const after = await gateway.request('GET', '/v1/orgs/acme/contacts?q=after');
      assert.equal(after.status, 200, after.text);
      const links = await gateway.request('GET', '/v1/orgs/acme/links');
      assert.deepEqual(links.body.links, []);
    });
  }
});
