import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startSlapd, type SlapdHandle } from '../support/slapd.js';
import { fixtureOrganization, startTestGateway, type TestGateway } from '../support/gateway.js';
import {
  itAnswersEachCase,
  signInBulkUsersAtOnce,
  type SignInCase,
} from '../support/sign-in-cases.js';

describe('POST /v1/orgs/{org}/auth against OpenLDAP', () => {
  let slapd: SlapdHandle;
  let gateway: TestGateway;

  before(async () => {
    slapd = await startSlapd();
    gateway = await startTestGateway({
      acme: fixtureOrganization(slapd),
      bymail: fixtureOrganization(slapd, { userIdAttribute: 'mail' }),
      shouting: fixtureOrganization(slapd, {
        userIdAttribute: 'UID',
        attributes: ['MAIL', 'TelephoneNumber', 'JPEGPHOTO'],
      }),
      ldaps: fixtureOrganization(slapd, {
        serverUrl: slapd.ldapsUrl,
        tls: { caFile: slapd.caFile },
      }),
      starttls: fixtureOrganization(slapd, { startTls: true, tls: { caFile: slapd.caFile } }),
      untrusted: fixtureOrganization(slapd, { serverUrl: slapd.ldapsUrl }),
      badservice: fixtureOrganization(slapd, { bindPassword: 'not-the-password' }),
      down: fixtureOrganization(slapd, {
        serverUrl: 'ldap://127.0.0.1:1',
        timeouts: { connectMs: 1000, operationMs: 1000 },
      }),
    });
  });
  after(async () => {
    await gateway?.stop();
    await slapd?.stop();
  });

  const signIn = (org: string, username: unknown, password: unknown) =>
    gateway.request('POST', `/v1/orgs/${org}/auth`, { username, password });

  const cases: SignInCase[] = [
    [
      'acme',
      'alice',
      'alice-pw',
      200,
      'uid=alice,ou=users,dc=ldap,dc=example,dc=com',
      'right password',
    ],
    ['acme', 'alice', 'wrong', 401, 'invalid_credentials', 'wrong password'],
    ['acme', 'nobody', 'alice-pw', 401, 'invalid_credentials', 'unknown user'],
    ['acme', 'alice', '', 401, 'invalid_credentials', 'empty password, refused before any bind'],
    ['acme', '*', 'alice-pw', 401, 'invalid_credentials', 'a wildcard user name matches nobody'],
    [
      'acme',
      'alice)(uid=*',
      'alice-pw',
      401,
      'invalid_credentials',
      'a filter injection matches nobody',
    ],
    [
      'acme',
      'star*user',
      'star-pw',
      200,
      'uid=star*user,ou=users,dc=ldap,dc=example,dc=com',
      'a user ID with filter metacharacters',
    ],
    [
      'acme',
      'jdoe',
      'jane-pw',
      200,
      'cn=Doe\\2C Jane,ou=users,dc=ldap,dc=example,dc=com',
      'a DN with an escaped comma (as slapd writes it)',
    ],
    [
      'acme',
      'jose',
      'jose-pw',
      200,
      'uid=jose,ou=users,dc=ldap,dc=example,dc=com',
      'a user with a non-ASCII name',
    ],
    ['acme', 'carl', 'carl-pw', 401, 'invalid_credentials', 'a user outside the organization unit'],
    [
      'bymail',
      'alice@example.com',
      'alice-pw',
      200,
      'uid=alice,ou=users,dc=ldap,dc=example,dc=com',
      'user ID attribute mail',
    ],
    [
      'bymail',
      'frontdesk@example.com',
      'desk1-pw',
      409,
      'ambiguous_user',
      'an ID shared by two entries',
    ],
    [
      'ldaps',
      'bob',
      'bob-pw',
      200,
      'uid=bob,ou=users,dc=ldap,dc=example,dc=com',
      'over ldaps:// with the CA',
    ],
    [
      'starttls',
      'bob',
      'bob-pw',
      200,
      'uid=bob,ou=users,dc=ldap,dc=example,dc=com',
      'over StartTLS with the CA',
    ],
    [
      'untrusted',
      'bob',
      'bob-pw',
      503,
      'directory_unavailable',
      'ldaps:// with an untrusted certificate',
    ],
    [
      'badservice',
      'bob',
      'bob-pw',
      502,
      'service_account_rejected',
      'a wrong service account password',
    ],
    ['down', 'bob', 'bob-pw', 503, 'directory_unavailable', 'a directory that is down'],
    ['nosuchorg', 'bob', 'bob-pw', 404, 'unknown_organization', 'an unknown organization'],
  ];

  itAnswersEachCase(() => gateway, cases);

  it('returns the user ID and the configured attributes', async () => {
    const response = await signIn('acme', 'alice', 'alice-pw');
    assert.equal(response.body.user.id, 'alice');
    assert.deepEqual(response.body.user.attributes.telephoneNumber, ['101', '+1 555 0101']);
    assert.deepEqual(response.body.user.attributes.mail, ['alice@example.com']);
    assert.equal(response.body.user.attributes.userPassword, undefined);
  });

  it('returns binary attributes byte for byte, base64-encoded', async () => {
    const response = await signIn('acme', 'paula', 'paula-pw');
    const photo = Buffer.from(response.body.user.attributes.jpegPhoto[0], 'base64');
    assert.deepEqual([...photo.subarray(0, 4)], [0xff, 0xd8, 0xff, 0xe0]);
    assert.ok(photo.includes(Buffer.from([0xff, 0xfe, 0x80, 0xc3, 0x28])));
  });

  it('matches attribute names whatever their case and keeps the configured spelling', async () => {
    const response = await signIn('shouting', 'paula', 'paula-pw');
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.user.id, 'paula');
    assert.deepEqual(response.body.user.attributes.MAIL, ['paula@example.com']);
    assert.deepEqual(response.body.user.attributes.TelephoneNumber, ['105']);
    const photo = Buffer.from(response.body.user.attributes.JPEGPHOTO[0], 'base64');
    assert.ok(
      photo.includes(Buffer.from([0xff, 0xfe, 0x80, 0xc3, 0x28])),
      'the photo bytes survive',
    );
  });

  it('signs many users in at once, each with the right result', async () => {
    await signInBulkUsersAtOnce(gateway, 'acme', 60, 3, 30);
  });

  it('counts sign-ins by organization, method and outcome', async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    assert.match(
      text,
      /gateway_sign_ins_total\{org="acme",method="simple",outcome="authenticated"\} [1-9]/,
    );
    assert.match(
      text,
      /gateway_sign_ins_total\{org="acme",method="simple",outcome="rejected"\} [1-9]/,
    );
    assert.match(
      text,
      /gateway_sign_ins_total\{org="down",method="simple",outcome="failed"\} [1-9]/,
    );
    assert.match(
      text,
      /gateway_directory_pool_connections\{org="acme",pool="service",state="free"\} [1-9]/,
    );
    assert.match(
      text,
      /gateway_directory_pool_connections\{org="acme",pool="user",state="free"\} [1-9]/,
    );
    assert.match(
      text,
      /gateway_directory_errors_total\{org="down",operation="service_bind",code="directory_unavailable"\} [1-9]/,
    );
  });

  it('never writes a password into the logs', () => {
    const everything = JSON.stringify(gateway.logs);
    for (const secret of [
      'alice-pw',
      'bob-pw',
      'bulk-pw',
      slapd.servicePassword,
      'not-the-password',
    ]) {
      assert.ok(!everything.includes(secret), `a log line contains ${secret}`);
    }
  });
});
