import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { InvalidCredentialsError, UnwillingToPerformError } from 'ldapts';

import { adBindRejection, adBindSubCode } from '../../core/directory/ad-bind-errors.js';
import { refineBindRejection } from '../../core/directory/ldap-errors.js';
import { GatewayError } from '../../core/errors.js';

const HEAD = '80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error';

describe('adBindSubCode and adBindRejection', () => {
  // [message, sub-code, gateway code (undefined: stays invalid_credentials), why]
  const cases: Array<[unknown, number | undefined, string | undefined, string]> = [
    [`${HEAD}, data 52e, v4563\0`, 0x52e, undefined, 'wrong password, Server 2016+ with its NUL'],
    [
      '80090308: LdapErr: DSID-0C09030B, comment: AcceptSecurityContext error, data 525, v893',
      0x525,
      undefined,
      'no such user, Server 2003',
    ],
    [
      '80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 533, v1db1',
      0x533,
      'account_disabled',
      'Server 2008 R2 / 2012 and Samba',
    ],
    [
      '80090308: LdapErr: DSID-0C090334, comment: AcceptSecurityContext error, data 775, vece',
      0x775,
      'account_locked',
      'Server 2008',
    ],
    [
      '8009030C: LdapErr: DSID-0C0904DC, comment: AcceptSecurityContext error, data 773, v1db1',
      0x773,
      'password_must_change',
      'the SEC_E_LOGON_DENIED prefix',
    ],
    [`${HEAD}, data 530, v65f4`, 0x530, 'logon_hours_restricted', 'a newer build tag'],
    [`${HEAD}, data 531, v2580`, 0x531, 'workstation_restricted', 'workstation restriction'],
    [
      `${HEAD}, data 532, v4563\0 Code: 0x31`,
      0x532,
      'password_expired',
      'as ldapts words it, with its suffix',
    ],
    [
      `[LDAP: error code 49 - ${HEAD}, data 701, v3839\0]`,
      0x701,
      'account_expired',
      'wrapped by a Java client',
    ],
    [
      `{'result': 49, 'desc': 'Invalid credentials', 'info': '${HEAD}, data 775, v3839'}`,
      0x775,
      'account_locked',
      'wrapped by a Python client',
    ],
    [
      '80090308: LDAPERR: DSID-0C09044E, COMMENT: ACCEPTSECURITYCONTEXT ERROR, DATA 533, V4563',
      0x533,
      'account_disabled',
      'upper case',
    ],
    [`${HEAD}, data 52E, v4563`, 0x52e, undefined, 'an upper-case sub-code'],
    ['data 533', 0x533, 'account_disabled', 'the sub-code alone'],
    [`${HEAD}, data 00000533, v4563`, 0x533, 'account_disabled', 'leading zeros'],
    [`${HEAD}, data 568, v4563`, 0x568, undefined, 'a sub-code not passed on'],
    [`${HEAD}, data 7`, 0x7, undefined, 'a message cut short in the sub-code'],
    [`${HEAD}, data `, undefined, undefined, 'a message cut short before the sub-code'],
    [`${HEAD}, v4563`, undefined, undefined, 'no data part'],
    [`${HEAD}, data 533z, v4563`, undefined, undefined, 'a sub-code that is not hex'],
    ['metadata 533', undefined, undefined, 'data inside another word'],
    ['Invalid credentials', undefined, undefined, "OpenLDAP's message"],
    ['Invalid credentials during a bind operation. Code: 0x31', undefined, undefined, 'ldapts'],
    ['', undefined, undefined, 'an empty message'],
    [undefined, undefined, undefined, 'no message at all'],
    [533, undefined, undefined, 'a message that is not text'],
  ];
  for (const [message, subCode, code, why] of cases) {
    it(`reads ${why}`, () => {
      assert.equal(adBindSubCode(message), subCode);
      assert.equal(adBindRejection(message)?.code, code);
    });
  }

  it('gives messages that never repeat the directory text', () => {
    for (const hex of ['530', '531', '532', '533', '701', '773', '775']) {
      const rejection = adBindRejection(`${HEAD}, data ${hex}, v4563`)!;
      assert.doesNotMatch(rejection.message, /data|DSID|LdapErr|[0-9]/);
    }
  });
});

describe('refineBindRejection', () => {
  const rejected = (cause: unknown) =>
    new GatewayError('invalid_credentials', 'wrong user name or password', { cause });

  it('turns a 49 with an account state into its own code, keeping the cause', () => {
    const cause = new InvalidCredentialsError(`${HEAD}, data 533, v4563\0`);
    const refined = refineBindRejection(rejected(cause)) as GatewayError;
    assert.equal(refined.code, 'account_disabled');
    assert.equal(refined.cause, cause);
    assert.ok(!refined.message.includes('533'));
  });

  it('keeps a wrong password as it was', () => {
    const error = rejected(new InvalidCredentialsError(`${HEAD}, data 52e, v4563\0`));
    assert.equal(refineBindRejection(error), error);
  });

  it('reads only result 49', () => {
    const error = rejected(new UnwillingToPerformError(`${HEAD}, data 533, v4563`));
    assert.equal(refineBindRejection(error), error);
  });

  it('leaves other errors alone', () => {
    const cause = new InvalidCredentialsError(`${HEAD}, data 533, v4563`);
    const unavailable = new GatewayError('directory_unavailable', 'down', { cause });
    assert.equal(refineBindRejection(unavailable), unavailable);
    const plain = new Error(`${HEAD}, data 533, v4563`);
    assert.equal(refineBindRejection(plain), plain);
    const bare = rejected(undefined);
    assert.equal(refineBindRejection(bare), bare);
  });
});
