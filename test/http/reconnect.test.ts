import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import { startSlapd, type SlapdHandle } from '../support/slapd.js';
import { fixtureOrganization, startTestGateway, type TestGateway } from '../support/gateway.js';

describe('a directory that drops idle connections', () => {
  let slapd: SlapdHandle;
  let gateway: TestGateway;

  before(async () => {
    slapd = await startSlapd({ idleTimeoutSeconds: 1, bulkUsers: 0 });
    // An operation sent on a dead connection would wait for operationMs; the request timeout,
    // far below it, turns such a wait into a failed request instead of a slow success.
    const timeouts = { operationMs: 60000 };
    gateway = await startTestGateway(
      {
        plain: fixtureOrganization(slapd, { pool: { size: 2 }, timeouts }),
        starttls: fixtureOrganization(slapd, {
          startTls: true,
          tls: { caFile: slapd.caFile },
          pool: { size: 2 },
          timeouts,
        }),
      },
      { server: { requestTimeoutMs: 8000 } },
    );
  });
  after(async () => {
    await gateway?.stop();
    await slapd?.stop();
  });

  const serviceBinds = async (org: string) => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const pattern = new RegExp(
      `gateway_directory_operation_duration_seconds_count\\{org="${org}",operation="service_bind"\\} (\\d+)`,
    );
    return Number(text.match(pattern)?.[1] ?? 0);
  };

  for (const org of ['plain', 'starttls']) {
    it(`reconnects, re-binds and succeeds after the server closed the connections (${org})`, async () => {
      const first = await gateway.request('POST', `/v1/orgs/${org}/auth`, {
        username: 'alice',
        password: 'alice-pw',
      });
      assert.equal(first.status, 200, first.text);
      const bindsBefore = await serviceBinds(org);

      await sleep(2500);

      const second = await gateway.request('POST', `/v1/orgs/${org}/auth`, {
        username: 'bob',
        password: 'bob-pw',
      });
      assert.equal(second.status, 200, second.text);
      const contacts = await gateway.request('GET', `/v1/orgs/${org}/contacts?q=alice`);
      assert.equal(contacts.body.contacts.length, 1, contacts.text);
      assert.ok((await serviceBinds(org)) > bindsBefore, 'the service account was bound again');
      const text = await (await fetch(`${gateway.url}/metrics`)).text();
      const failed = text
        .split('\n')
        .filter((line) => line.startsWith(`gateway_directory_errors_total{org="${org}"`));
      assert.deepEqual(failed, [], 'no operation was sent on a dead connection');
    });
  }

  it('answers directory_unavailable once the server is gone, then nothing hangs', async () => {
    await slapd.stop();
    const response = await gateway.request('POST', '/v1/orgs/plain/auth', {
      username: 'alice',
      password: 'alice-pw',
    });
    assert.equal(response.status, 503, response.text);
    assert.equal(response.body.error.code, 'directory_unavailable');
  });
});
