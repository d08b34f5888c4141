import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assertAccountEnabled } from '../core/account-control.js';
import { DirectoryEntry } from '../core/directory/entry.js';
import { GatewayError } from '../core/errors.js';

const DN = 'CN=x,CN=Users,DC=ad,DC=example,DC=com';

describe('assertAccountEnabled', () => {
  // [userAccountControl values, disabled?, why]
  const cases: Array<[string[], boolean, string]> = [
    [['512'], false, 'NORMAL_ACCOUNT'],
    [['514'], true, 'NORMAL_ACCOUNT | ACCOUNTDISABLE'],
    [['66048'], false, 'DONT_EXPIRE_PASSWORD as well'],
    [['66050'], true, 'DONT_EXPIRE_PASSWORD and ACCOUNTDISABLE'],
    [['528'], false, 'the LOCKOUT bit, which AD does not keep current here'],
    [['8389120'], false, 'the PASSWORD_EXPIRED bit, likewise'],
    [[' 514 '], true, 'spaces around the number'],
    [['-2147483646'], true, 'a negative 32-bit value with the bit set'],
    [['512', '514'], true, 'any value with the bit set'],
    [[], false, 'no userAccountControl (OpenLDAP)'],
    [[''], false, 'an empty value'],
    [['0x202'], false, 'not a decimal number'],
    [['disabled'], false, 'text'],
    [['99999999999999'], false, 'far too long for a 32-bit value'],
  ];
  for (const [values, disabled, why] of cases) {
    it(`${disabled ? 'refuses' : 'lets through'} ${why}`, () => {
      const entry = new DirectoryEntry(DN, values.length ? [['userAccountControl', values]] : []);
      if (!disabled) {
        assertAccountEnabled(entry);
        return;
      }
      assert.throws(
        () => assertAccountEnabled(entry),
        (error: unknown) => error instanceof GatewayError && error.code === 'account_disabled',
      );
    });
  }

  it('reads the attribute in any case', () => {
    const entry = new DirectoryEntry(DN, [['USERACCOUNTCONTROL', ['514']]]);
    assert.throws(() => assertAccountEnabled(entry), /disabled/);
  });
});
