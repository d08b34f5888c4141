import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startSlapd, type SlapdHandle } from '../support/slapd.js';
import { fixtureOrganization, startTestGateway, type TestGateway } from '../support/gateway.js';
import {
  itAnswersEachCase,
  signInBulkUsersAtOnce,
  type SignInCase,
} from '../support/sign-in-cases.js';

describe('sign-in with SASL DIGEST-MD5 against OpenLDAP', () => {
  let slapd: SlapdHandle;
  let withoutDigest: SlapdHandle;
  let gateway: TestGateway;

  before(async () => {
    slapd = await startSlapd({ bulkUsers: 40 });
    // forwardsec rules out every mechanism without forward secrecy, DIGEST-MD5 among them.
    withoutDigest = await startSlapd({ bulkUsers: 0, saslSecProps: 'forwardsec' });
    // DIGEST-MD5 names users, not DNs: the service account is a user the server can map.
    const digest = { authMethod: 'digest-md5', bindUsername: 'bob', bindPassword: 'bob-pw' };
    gateway = await startTestGateway({
      digest: fixtureOrganization(slapd, digest),
      realm: fixtureOrganization(slapd, { ...digest, saslRealm: 'LDAP.EXAMPLE.COM' }),
      starttls: fixtureOrganization(slapd, {
        ...digest,
        startTls: true,
        tls: { caFile: slapd.caFile },
      }),
      nomechanism: fixtureOrganization(withoutDigest, digest),
      wrongservice: fixtureOrganization(slapd, { ...digest, bindPassword: 'not-bob-pw' }),
      down: fixtureOrganization(slapd, {
        ...digest,
        serverUrl: 'ldap://127.0.0.1:1',
        timeouts: { connectMs: 1000, operationMs: 1000 },
      }),
    });
  });
  after(async () => {
    await gateway?.stop();
    await slapd?.stop();
    await withoutDigest?.stop();
  });

  const signIn = (org: string, username: string, password: string) =>
    gateway.request('POST', `/v1/orgs/${org}/auth`, { username, password });

  const cases: SignInCase[] = [
    [
      'digest',
      'alice',
      'alice-pw',
      200,
      'uid=alice,ou=users,dc=ldap,dc=example,dc=com',
      'right password',
    ],
    ['digest', 'alice', 'wrong', 401, 'invalid_credentials', 'wrong password'],
    ['digest', 'nobody', 'x', 401, 'invalid_credentials', 'a user unknown to the directory'],
    ['digest', 'alice', '', 401, 'invalid_credentials', 'an empty password'],
    [
      'digest',
      'hana',
      'hash-pw',
      401,
      'invalid_credentials',
      'a password the server stores hashed',
    ],
    [
      'digest',
      'star*user',
      'star-pw',
      200,
      'uid=star*user,ou=users,dc=ldap,dc=example,dc=com',
      'filter metacharacters in the name',
    ],
    [
      'digest',
      'alice")(x',
      'alice-pw',
      401,
      'invalid_credentials',
      'quotes and parentheses in the name',
    ],
    [
      'realm',
      'user0007',
      'bulk-pw',
      200,
      'uid=user0007,ou=users,dc=ldap,dc=example,dc=com',
      'a configured realm',
    ],
    [
      'starttls',
      'jose',
      'jose-pw',
      200,
      'uid=jose,ou=users,dc=ldap,dc=example,dc=com',
      'over StartTLS',
    ],
    [
      'wrongservice',
      'alice',
      'alice-pw',
      502,
      'service_account_rejected',
      'a service account the server rejects',
    ],
    ['down', 'alice', 'alice-pw', 503, 'directory_unavailable', 'a directory that is down'],
    [
      'nomechanism',
      'alice',
      'alice-pw',
      502,
      'sasl_mechanism_unsupported',
      'no DIGEST-MD5 offered',
    ],
  ];
  itAnswersEachCase(() => gateway, cases);

  it('signs many users in at once, each with the right result', async () => {
    await signInBulkUsersAtOnce(gateway, 'digest', 40, 4);
  });

  it('searches contacts over connections bound with DIGEST-MD5', async () => {
    const response = await gateway.request('GET', '/v1/orgs/digest/contacts?q=alice');
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.contacts[0].id, 'alice');
  });

  it('counts rejections and failures apart', async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    assert.match(
      text,
      /gateway_sign_ins_total\{org="digest",method="digest-md5",outcome="rejected"\} [1-9]/,
    );
    assert.match(
      text,
      /gateway_sign_ins_total\{org="down",method="digest-md5",outcome="failed"\} 1/,
    );
  });

  it('warns at start-up about DIGEST-MD5 without TLS, and only then', () => {
    const warned = gateway.logs
      .filter((line) => String(line['msg']).startsWith('DIGEST-MD5 without TLS'))
      .map((line) => line['org']);
    assert.ok(warned.includes('digest'));
    assert.ok(!warned.includes('starttls'));
  });
});
