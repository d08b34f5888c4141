import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SubCode, toFileTime } from '../support/ad-accounts.js';
import { startAdDirectory, type AdDirectory, type AdUserSpec } from '../support/ad-directory.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { itAnswersEachCase, signIn, type SignInCase } from '../support/sign-in-cases.js';

const DAY_MS = 86_400_000;
const daysAgo = (days: number) => String(toFileTime(new Date(Date.now() - days * DAY_MS)));

/** One user per account state AD reports at bind, each with the password `NAME-pw`. */
const STATES: AdUserSpec[] = [
  { name: 'alice', attributes: { mail: 'alice@ad.example.com' } },
  { name: 'dora', userAccountControl: 0x202 },
  { name: 'hank', attributes: { logonHours: Buffer.alloc(21) } },
  { name: 'walt', attributes: { userWorkstations: 'WS-0042,WS-0043' } },
  { name: 'pete', attributes: { pwdLastSet: daysAgo(100) } },
  { name: 'eve', attributes: { accountExpires: daysAgo(1) } },
  { name: 'mia', attributes: { pwdLastSet: '0' } },
  { name: 'lou', attributes: { lockoutTime: daysAgo(0) } },
  // Disabled by its flags, but its directory accepts the password anyway.
  { name: 'sam', userAccountControl: 0x202, enforcesAccountState: false },
];
const USERS = STATES.map((user) => ({ ...user, password: `${user.name}-pw` }));

describe('POST /v1/orgs/{org}/auth against an Active Directory-like server', () => {
  let ad: AdDirectory;
  let gateway: TestGateway;

  before(async () => {
    // A contact has a sAMAccountName here but is no account: binding as it answers 525.
    ad = await startAdDirectory([...USERS, { name: 'gus', cn: 'Gus Contact' }]);
    gateway = await startTestGateway({
      ad: {
        serverUrl: ad.url,
        baseDn: ad.usersDn,
        bindUsername: ad.serviceDn,
        bindPassword: ad.servicePassword,
        userIdAttribute: 'sAMAccountName',
        attributes: 'cn,mail,userPrincipalName,objectGUID',
        authMethod: 'simple',
      },
    });
  });
  after(async () => {
    await gateway?.stop();
    await ad?.close();
  });

  const cases: SignInCase[] = [
    ['ad', 'alice', 'alice-pw', 200, 'CN=alice,CN=Users,DC=ad,DC=example,DC=com', 'an active user'],
    ['ad', 'ALICE', 'alice-pw', 200, 'CN=alice,CN=Users,DC=ad,DC=example,DC=com', 'any case'],
    ['ad', 'alice', 'wrong', 401, 'invalid_credentials', 'a wrong password (52e)'],
    ['ad', 'nobody', 'x', 401, 'invalid_credentials', 'a name the search does not find'],
    ['ad', 'gus', 'x', 401, 'invalid_credentials', 'an entry AD cannot bind as (525)'],
    ['ad', 'hank', 'hank-pw', 403, 'logon_hours_restricted', 'outside logon hours (530)'],
    ['ad', 'walt', 'walt-pw', 403, 'workstation_restricted', 'a workstation restriction (531)'],
    ['ad', 'pete', 'pete-pw', 403, 'password_expired', 'an expired password (532)'],
    ['ad', 'dora', 'dora-pw', 403, 'account_disabled', 'a disabled account (533)'],
    ['ad', 'eve', 'eve-pw', 403, 'account_expired', 'an expired account (701)'],
    ['ad', 'mia', 'mia-pw', 403, 'password_must_change', 'a password to change first (773)'],
    ['ad', 'lou', 'lou-pw', 403, 'account_locked', 'a locked-out account (775)'],
    ['ad', 'lou', 'wrong', 403, 'account_locked', 'a locked-out account, wrong password (775)'],
    ['ad', 'dora', 'wrong', 401, 'invalid_credentials', 'a disabled account, wrong password'],
    ['ad', 'dora', '', 401, 'invalid_credentials', 'a disabled account, empty password'],
    ['ad', 'sam', 'sam-pw', 403, 'account_disabled', 'the disabled flag when the bind succeeds'],
    ['ad', 'sam', 'wrong', 401, 'invalid_credentials', 'the disabled flag, wrong password'],
  ];

  itAnswersEachCase(() => gateway, cases);

  it('was answered by the directory with the sub-code each case names', () => {
    const expected: Record<string, number> = {
      gus: SubCode.noSuchUser,
      hank: SubCode.invalidLogonHours,
      walt: SubCode.invalidWorkstation,
      pete: SubCode.passwordExpired,
      dora: SubCode.accountDisabled,
      eve: SubCode.accountExpired,
      mia: SubCode.passwordMustChange,
      lou: SubCode.accountLockedOut,
    };
    for (const [name, subCode] of Object.entries(expected)) {
      const answered = ad.binds.filter((bind) => bind.dn === ad.dnOf(name));
      assert.ok(
        answered.some((bind) => bind.subCode === subCode),
        `${name}: ${JSON.stringify(answered)}`,
      );
    }
  });

  it('never shows the directory diagnostic message to the caller', async () => {
    for (const [name, password] of [
      ['dora', 'dora-pw'],
      ['dora', 'wrong'],
      ['lou', 'lou-pw'],
      ['mia', 'mia-pw'],
    ] as const) {
      const response = await signIn(gateway, 'ad', name, password);
      assert.ok(response.status >= 400, response.text);
      for (const leak of ['80090308', 'LdapErr', 'DSID', 'AcceptSecurityContext', 'data ']) {
        assert.ok(!response.text.includes(leak), `${name}: ${response.text}`);
      }
    }
  });

  it('checks the disabled flag only after the directory accepted the password', async () => {
    const dn = ad.dnOf('sam');
    const before = ad.binds.length;
    assert.equal((await signIn(gateway, 'ad', 'sam', 'wrong')).status, 401);
    assert.equal((await signIn(gateway, 'ad', 'sam', 'sam-pw')).status, 403);
    const binds = ad.binds.slice(before).filter((bind) => bind.dn === dn);
    assert.deepEqual(binds, [
      { dn, resultCode: 49, subCode: SubCode.logonFailure },
      { dn, resultCode: 0 },
    ]);
  });

  it('sends no bind for an empty password', async () => {
    const before = ad.binds.length;
    assert.equal((await signIn(gateway, 'ad', 'dora', '')).status, 401);
    assert.equal(ad.binds.length, before);
  });

  it('returns the configured attributes and never the account flags', async () => {
    const response = await signIn(gateway, 'ad', 'alice', 'alice-pw');
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.user.id, 'alice');
    assert.deepEqual(response.body.user.attributes.userPrincipalName, ['alice@ad.example.com']);
    // How a GUID is written is the mapping's business; one value must come back.
    assert.equal(response.body.user.attributes.objectGUID.length, 1);
    assert.equal(response.body.user.attributes.userAccountControl, undefined);
  });

  it('counts each account-state refusal as rejected, not failed', async () => {
    const before = await signInCounts(gateway);
    const refused = ['dora', 'hank', 'walt', 'pete', 'eve', 'mia', 'lou', 'sam'];
    for (const name of refused) {
      assert.equal((await signIn(gateway, 'ad', name, `${name}-pw`)).status, 403, name);
    }
    const afterwards = await signInCounts(gateway);
    assert.equal(afterwards.rejected - before.rejected, refused.length);
    assert.equal(afterwards.failed, before.failed);
    assert.equal(afterwards.failed, 0);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    assert.doesNotMatch(metrics, /gateway_directory_errors_total\{org="ad"/);
  });
});

interface SignInCounts {
  authenticated: number;
  rejected: number;
  failed: number;
}

/** The organization's sign-in counters from /metrics. */
async function signInCounts(gateway: TestGateway): Promise<SignInCounts> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  const counts: SignInCounts = { authenticated: 0, rejected: 0, failed: 0 };
  const line = /^gateway_sign_ins_total\{org="ad",method="simple",outcome="(\w+)"\} (\d+)$/gm;
  for (const [, outcome, value] of text.matchAll(line)) {
    counts[outcome as keyof SignInCounts] = Number(value);
  }
  return counts;
}
