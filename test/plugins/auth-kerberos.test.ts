import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { classifyKinitFailure } from '../../plugins/auth-kerberos/kdc-check.js';
import { principalOf } from '../../plugins/auth-kerberos/principal.js';

describe('Kerberos principal rules', () => {
  const cases: Array<[string, string | undefined, string | undefined, string]> = [
    ['alice', 'alice@LDAP.EXAMPLE.COM', 'alice', 'a bare name gets the realm'],
    ['alice@LDAP.EXAMPLE.COM', 'alice@LDAP.EXAMPLE.COM', 'alice', 'an explicit realm is honoured'],
    ['alice@ldap.example.com', 'alice@LDAP.EXAMPLE.COM', 'alice', 'this realm in small letters'],
    ['bob@OTHER.ORG', undefined, undefined, 'another realm'],
    ['j.doe-2', 'j.doe-2@LDAP.EXAMPLE.COM', 'j.doe-2', 'dots, digits and dashes'],
    ['alice/admin', undefined, undefined, 'an instance'],
    ['-v', undefined, undefined, 'an option'],
    ['a b', undefined, undefined, 'a space'],
    ['*', undefined, undefined, 'a wildcard'],
    ['', undefined, undefined, 'nothing'],
    ['alice@', undefined, undefined, 'an empty realm'],
  ];
  for (const [input, principal, directoryName, why] of cases) {
    it(`handles ${why}`, () => {
      const result = principalOf(input, 'LDAP.EXAMPLE.COM');
      assert.equal(result?.principal, principal);
      assert.equal(result?.directoryName, directoryName);
    });
  }
});

describe('kinit failures', () => {
  const run = (stderr: string, stdout = '') => ({ code: 1, stdout, stderr, timedOut: false });
  const cases: Array<
    [
      ReturnType<typeof run> | { code: null; stdout: string; stderr: string; timedOut: boolean },
      string,
    ]
  > = [
    [run('kinit: Password incorrect while getting initial credentials'), 'invalid_credentials'],
    [
      run("kinit: Client 'x@R' not found in Kerberos database while getting initial credentials"),
      'invalid_credentials',
    ],
    [
      run(
        'kinit: Cannot read password while getting initial credentials',
        'Password expired.  You must change it now.',
      ),
      'password_expired',
    ],
    [
      run("kinit: Client's credentials have been revoked while getting initial credentials"),
      'account_locked',
    ],
    [run('kinit: Clock skew too great while getting initial credentials'), 'kdc_clock_skew'],
    [
      run("kinit: Cannot contact any KDC for realm 'R' while getting initial credentials"),
      'kdc_unavailable',
    ],
    [{ code: null, stdout: '', stderr: '', timedOut: true }, 'kdc_unavailable'],
    [run('kinit: KDC has no support for encryption type'), 'kdc_error'],
  ];
  for (const [result, code] of cases) {
    it(`maps "${(result.stdout || result.stderr || 'a timeout').slice(0, 50)}" to ${code}`, () => {
      assert.equal(classifyKinitFailure(result).code, code);
    });
  }
});
