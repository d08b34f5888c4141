import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startSlapd, type SlapdHandle } from '../support/slapd.js';
import {
  fixtureOrganization,
  LIMITED_TOKEN,
  startTestGateway,
  TEST_TOKEN,
  type TestGateway,
} from '../support/gateway.js';

describe('bad input gets a 4xx with a code', () => {
  let slapd: SlapdHandle;
  let gateway: TestGateway;

  before(async () => {
    slapd = await startSlapd({ bulkUsers: 0 });
    gateway = await startTestGateway(
      { acme: fixtureOrganization(slapd), other: fixtureOrganization(slapd) },
      { server: { bodyLimitBytes: 4096 } },
    );
  });
  after(async () => {
    await gateway?.stop();
    await slapd?.stop();
  });

  const json = { 'content-type': 'application/json' };
  // [method, path, body, headers, status, code, why]
  const cases: Array<[string, string, unknown, Record<string, string>, number, string, string]> = [
    [
      'POST',
      '/v1/orgs/acme/auth',
      '{"username": "alice",',
      json,
      400,
      'invalid_request',
      'malformed JSON',
    ],
    ['POST', '/v1/orgs/acme/auth', '', json, 400, 'invalid_request', 'an empty body'],
    ['POST', '/v1/orgs/acme/auth', '[]', json, 400, 'invalid_request', 'an array body'],
    ['POST', '/v1/orgs/acme/auth', 'null', json, 400, 'invalid_request', 'a null body'],
    [
      'POST',
      '/v1/orgs/acme/auth',
      { username: 'alice' },
      json,
      400,
      'invalid_request',
      'a missing password',
    ],
    [
      'POST',
      '/v1/orgs/acme/auth',
      { password: 'x' },
      json,
      400,
      'invalid_request',
      'a missing username',
    ],
    [
      'POST',
      '/v1/orgs/acme/auth',
      { username: 42, password: 'x' },
      json,
      400,
      'invalid_request',
      'a number as username',
    ],
    [
      'POST',
      '/v1/orgs/acme/auth',
      { username: 'alice', password: null },
      json,
      400,
      'invalid_request',
      'a null password',
    ],
    [
      'POST',
      '/v1/orgs/acme/auth',
      { username: 'al\u0000ice', password: 'x' },
      json,
      400,
      'invalid_request',
      'a NUL in the username',
    ],
    [
      'POST',
      '/v1/orgs/acme/auth',
      { username: 'al\nice', password: 'x' },
      json,
      400,
      'invalid_request',
      'a newline in the username',
    ],
    [
      'POST',
      '/v1/orgs/acme/auth',
      { username: '', password: 'x' },
      json,
      400,
      'invalid_request',
      'an empty username',
    ],
    [
      'POST',
      '/v1/orgs/acme/auth',
      { username: 'a'.repeat(300), password: 'x' },
      json,
      400,
      'invalid_request',
      'an overlong username',
    ],
    [
      'POST',
      '/v1/orgs/acme/auth',
      'username=alice&password=x',
      { 'content-type': 'application/x-www-form-urlencoded' },
      415,
      'unsupported_media_type',
      'a form body',
    ],
    [
      'POST',
      '/v1/orgs/acme/auth',
      { username: 'x'.repeat(10000), password: 'x' },
      json,
      413,
      'payload_too_large',
      'a huge body',
    ],
    [
      'POST',
      '/v1/orgs/acme/links/auto',
      { users: 'alice' },
      json,
      400,
      'invalid_request',
      'users that is not a list',
    ],
    [
      'POST',
      '/v1/orgs/acme/links/auto',
      { users: [{ userId: 'a' }] },
      json,
      400,
      'invalid_request',
      'a user without extension',
    ],
    [
      'POST',
      '/v1/orgs/acme/links/auto',
      { users: [{ userId: 'a', extension: '1)(x=*' }] },
      json,
      400,
      'invalid_request',
      'an extension with filter syntax',
    ],
    [
      'PUT',
      '/v1/orgs/acme/links/someone',
      { dn: 42 },
      json,
      400,
      'invalid_request',
      'a DN that is a number',
    ],
    ['PUT', '/v1/orgs/acme/links/someone', {}, json, 400, 'invalid_request', 'a missing DN'],
    [
      'PUT',
      '/v1/orgs/acme/links/%20',
      { dn: 'x=y' },
      json,
      400,
      'invalid_request',
      'a blank userId',
    ],
    [
      'DELETE',
      '/v1/orgs/acme/links/a%0Ab',
      undefined,
      {},
      400,
      'invalid_request',
      'a newline in a userId',
    ],
    [
      'POST',
      '/v1/orgs/acme/links/auto',
      { users: [{ userId: ' padded', extension: '101' }] },
      json,
      400,
      'invalid_request',
      'a userId with a leading space',
    ],
    [
      'GET',
      '/v1/orgs/acme/contacts?limit=1001',
      undefined,
      {},
      400,
      'invalid_request',
      'a contacts limit above 1000',
    ],
    [
      'GET',
      '/v1/orgs/acme/contacts?limit=-1',
      undefined,
      {},
      400,
      'invalid_request',
      'a negative limit',
    ],
    [
      'GET',
      '/v1/orgs/acme/links?limit=10001',
      undefined,
      {},
      400,
      'invalid_request',
      'a links limit above 10000',
    ],
    ['GET', '/v1/orgs/acme/nothing-here', undefined, {}, 404, 'not_found', 'an unknown route'],
    [
      'GET',
      '/v1/orgs/acme%00/contacts',
      undefined,
      {},
      404,
      'unknown_organization',
      'a NUL in the organization',
    ],
    [
      'POST',
      '/v1/orgs/acme/auth',
      { username: 'alice', password: 'alice-pw' },
      { authorization: '' },
      401,
      'unauthorized',
      'no token',
    ],
    [
      'POST',
      '/v1/orgs/acme/auth',
      { username: 'alice', password: 'alice-pw' },
      { authorization: 'Bearer wrong-token-wrong-token' },
      401,
      'unauthorized',
      'a wrong token',
    ],
    [
      'POST',
      '/v1/orgs/acme/auth',
      { username: 'alice', password: 'alice-pw' },
      { authorization: 'Basic YWxpY2U6eA==' },
      401,
      'unauthorized',
      'a Basic header',
    ],
    [
      'POST',
      '/v1/orgs/other/auth',
      { username: 'alice', password: 'alice-pw' },
      { authorization: `Bearer ${LIMITED_TOKEN}` },
      403,
      'organization_forbidden',
      'a token for another organization',
    ],
  ];

  for (const [method, path, body, headers, status, code, why] of cases) {
    it(`answers ${status} ${code} for ${why}`, async () => {
      const response = await gateway.request(method, path, body, headers);
      assert.equal(response.status, status, response.text);
      assert.equal(response.body.error.code, code);
      assert.equal(typeof response.body.error.message, 'string');
      assert.ok(!/\bat .*\.js:\d+/.test(response.text), 'the answer carries a stack trace');
    });
  }

  it('refuses a chunked body over the limit, which declares no length', async () => {
    const body = new TextEncoder().encode(
      JSON.stringify({ username: 'x'.repeat(10000), password: 'x' }),
    );
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(body);
        controller.close();
      },
    });
    const response = await fetch(`${gateway.url}/v1/orgs/acme/auth`, {
      method: 'POST',
      body: stream,
      duplex: 'half',
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
    } as RequestInit);
    assert.equal(response.status, 413);
    assert.equal(
      ((await response.json()) as { error: { code: string } }).error.code,
      'payload_too_large',
    );
  });

  it('says what a limit may be', async () => {
    const response = await gateway.request('GET', '/v1/orgs/acme/contacts?limit=0');
    assert.equal(response.body.error.message, 'query.limit must be a whole number from 1 to 1000');
  });

  it('answers 4xx, never 5xx, to a barrage of odd bodies on every route', async () => {
    const bodies = [
      '{',
      '"x"',
      '1e999',
      '{"users": [null]}',
      '{"users": [[]]}',
      '{"dn": ""}',
      '{"username": {"$ne": 1}, "password": "x"}',
      '{"__proto__": {"admin": true}}',
      '\u0000',
      '{}',
    ];
    const routes: Array<[string, string]> = [
      ['POST', '/v1/orgs/acme/auth'],
      ['POST', '/v1/orgs/acme/links/auto'],
      ['PUT', '/v1/orgs/acme/links/x'],
    ];
    for (const [method, path] of routes) {
      for (const body of bodies) {
        const response = await gateway.request(method, path, body, json);
        assert.ok(
          response.status >= 400 && response.status < 500,
          `${method} ${path} ${body}: ${response.status} ${response.text}`,
        );
        assert.equal(typeof response.body?.error?.code, 'string');
      }
    }
  });

  it('serves health, readiness and metrics without a token', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const response = await fetch(`${gateway.url}${path}`);
      assert.equal(response.status, 200, path);
    }
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    assert.match(
      metrics,
      /gateway_http_request_duration_seconds_count\{method="POST",route="\/v1\/orgs\/:org\/auth",status="400"\}/,
    );
  });
});
