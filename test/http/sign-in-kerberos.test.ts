import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startKdc, ROGUE_PASSWORD, type KdcHandle } from '../support/kdc.js';
import { startSlapd, type SlapdHandle } from '../support/slapd.js';
import { fixtureOrganization, startTestGateway, type TestGateway } from '../support/gateway.js';
import {
  itAnswersEachCase,
  signInBulkUsersAtOnce,
  type SignInCase,
} from '../support/sign-in-cases.js';

const ALICE = 'uid=alice,ou=users,dc=ldap,dc=example,dc=com';

describe('sign-in with Kerberos against an MIT KDC', () => {
  let kdc: KdcHandle;
  let rogue: KdcHandle;
  let otherRealm: KdcHandle;
  let slapd: SlapdHandle;
  let gssapiSlapd: SlapdHandle;
  let gateway: TestGateway;

  before(async () => {
    [kdc, rogue, otherRealm, slapd] = await Promise.all([
      startKdc({ bulkUsers: 40 }),
      startKdc({ rogue: true, bulkUsers: 0 }),
      startKdc({ realm: 'OTHER.EXAMPLE.NET', bulkUsers: 40 }),
      startSlapd({ bulkUsers: 40 }),
    ]);
    gssapiSlapd = await startSlapd({ bulkUsers: 0, kerberos: kdc });
    const kerberos = (kdcHandle: KdcHandle, overrides: Record<string, unknown> = {}) =>
      fixtureOrganization(slapd, {
        authMethod: 'kerberos',
        kdcServer: kdcHandle.address,
        // The gateway's own key comes from the genuine KDC, whoever answers.
        kerberos: { keytab: kdc.gatewayKeytab, servicePrincipal: kdc.gatewayPrincipal },
        ...overrides,
      });
    gateway = await startTestGateway({
      krb: kerberos(kdc),
      rogue: kerberos(rogue),
      kdcdown: kerberos(kdc, { kdcServer: '127.0.0.1:1' }),
      gssapi: fixtureOrganization(gssapiSlapd, {
        serviceBind: 'gssapi',
        bindUsername: 'gateway-svc',
        bindPassword: '',
        kdcServer: kdc.address,
        kerberos: { serviceKeytab: kdc.serviceKeytab },
      }),
      gssapipassword: fixtureOrganization(gssapiSlapd, {
        serviceBind: 'gssapi',
        bindUsername: 'gateway-svc',
        bindPassword: kdc.servicePassword,
        kdcServer: kdc.address,
      }),
      gssapiwrong: fixtureOrganization(gssapiSlapd, {
        serviceBind: 'gssapi',
        bindUsername: 'gateway-svc',
        bindPassword: 'not-the-password',
        kdcServer: kdc.address,
      }),
      other: kerberos(otherRealm, {
        kerberos: {
          realm: 'OTHER.EXAMPLE.NET',
          keytab: otherRealm.gatewayKeytab,
          servicePrincipal: otherRealm.gatewayPrincipal,
        },
      }),
      ldapdown: kerberos(kdc, {
        serverUrl: 'ldap://127.0.0.1:1',
        timeouts: { connectMs: 1000, operationMs: 5000 },
      }),
    });
  });
  after(async () => {
    await gateway?.stop();
    await gssapiSlapd?.stop();
    await Promise.all([kdc?.stop(), rogue?.stop(), otherRealm?.stop(), slapd?.stop()]);
  });

  const signIn = (org: string, username: string, password: string) =>
    gateway.request('POST', `/v1/orgs/${org}/auth`, { username, password });

  const cases: SignInCase[] = [
    ['krb', 'alice', 'alice-pw', 200, ALICE, 'right password'],
    ['krb', 'alice@LDAP.EXAMPLE.COM', 'alice-pw', 200, ALICE, 'an explicit realm'],
    ['krb', 'alice@ldap.example.com', 'alice-pw', 200, ALICE, 'the realm in small letters'],
    ['krb', 'alice', 'wrong', 401, 'invalid_credentials', 'wrong password'],
    ['krb', 'nobody', 'x', 401, 'invalid_credentials', 'a user the KDC does not know'],
    ['krb', 'alice', '', 401, 'invalid_credentials', 'an empty password'],
    ['krb', 'alice', 'alice-pw\u0000more', 401, 'invalid_credentials', 'a NUL after the password'],
    ['krb', 'alice/admin', 'alice-pw', 401, 'invalid_credentials', 'an instance in the name'],
    ['krb', 'alice)(uid=*', 'alice-pw', 401, 'invalid_credentials', 'filter syntax in the name'],
    ['krb', '-alice', 'alice-pw', 401, 'invalid_credentials', 'a name that looks like an option'],
    ['krb', 'carl', 'carl-pw', 401, 'invalid_credentials', 'a KDC user outside the directory unit'],
    ['krb', 'expired', 'expired-pw', 403, 'password_expired', 'an expired password'],
    ['krb', 'locked', 'locked-pw', 403, 'account_locked', 'a locked principal'],
    ['rogue', 'alice', ROGUE_PASSWORD, 502, 'kdc_unverified', "a rogue KDC's password"],
    ['rogue', 'alice', 'alice-pw', 401, 'invalid_credentials', 'a rogue KDC refusing'],
    ['kdcdown', 'alice', 'alice-pw', 503, 'kdc_unavailable', 'a KDC that is down'],
    ['ldapdown', 'alice', 'alice-pw', 503, 'directory_unavailable', 'a directory that is down'],
  ];
  itAnswersEachCase(() => gateway, cases);

  it('returns the same user object as the other methods', async () => {
    const response = await signIn('krb', 'alice', 'alice-pw');
    assert.equal(response.body.user.id, 'alice');
    assert.deepEqual(response.body.user.attributes.mail, ['alice@example.com']);
  });

  it('signs many users in at once, each with the right result', async () => {
    await signInBulkUsersAtOnce(gateway, 'krb', 40, 3);
  });

  it('serves two organizations with their own realms and KDCs side by side', async () => {
    const attempts = Array.from({ length: 20 }, (_, index) => ({
      org: index % 2 === 0 ? 'krb' : 'other',
      username: `user${String(index + 1).padStart(4, '0')}`,
    }));
    const responses = await Promise.all(
      attempts.map((attempt) => signIn(attempt.org, attempt.username, 'bulk-pw')),
    );
    responses.forEach((response, index) => {
      assert.equal(response.status, 200, `${attempts[index]!.org}: ${response.text}`);
    });
    const crossed = await signIn('other', 'alice@LDAP.EXAMPLE.COM', 'alice-pw');
    assert.equal(crossed.status, 401, 'a realm the organization does not name cannot sign in');
  });

  for (const org of ['gssapi', 'gssapipassword']) {
    it(`searches as a service account bound with SASL GSSAPI (${org})`, async () => {
      const contacts = await gateway.request('GET', `/v1/orgs/${org}/contacts?q=alice`);
      assert.equal(contacts.status, 200, contacts.text);
      assert.equal(contacts.body.contacts[0].id, 'alice');
      const signedIn = await signIn(org, 'bob', 'bob-pw');
      assert.equal(signedIn.status, 200, signedIn.text);
    });
  }

  it('reports a service account the KDC refuses', async () => {
    const response = await gateway.request('GET', '/v1/orgs/gssapiwrong/contacts?q=alice');
    assert.equal(response.status, 502, response.text);
    assert.equal(response.body.error.code, 'service_account_rejected');
  });

  it('counts rejections and failures apart', async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    assert.match(
      text,
      /gateway_sign_ins_total\{org="krb",method="kerberos",outcome="rejected"\} [1-9]/,
    );
    assert.match(
      text,
      /gateway_sign_ins_total\{org="rogue",method="kerberos",outcome="failed"\} 1/,
    );
  });

  it('never writes a password into the logs', () => {
    const everything = JSON.stringify(gateway.logs);
    for (const secret of ['alice-pw', 'bulk-pw', 'expired-pw', ROGUE_PASSWORD]) {
      assert.ok(!everything.includes(secret), `a log line contains ${secret}`);
    }
  });
});
