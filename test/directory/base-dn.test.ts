import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { searchBaseOf } from '../../core/directory/base-dn.js';

describe('searchBaseOf', () => {
  it('turns the domain and unit into a DN', () => {
    const base = searchBaseOf({
      baseDn: '',
      directoryDomain: 'ldap.example.com',
      organizationUnit: 'users',
    });
    assert.equal(base, 'ou=users,dc=ldap,dc=example,dc=com');
  });

  it('searches the whole domain when no unit is given', () => {
    const base = searchBaseOf({ baseDn: '', directoryDomain: 'example.com', organizationUnit: '' });
    assert.equal(base, 'dc=example,dc=com');
  });

  it('prefers an explicit baseDn', () => {
    const base = searchBaseOf({
      baseDn: 'o=Acme',
      directoryDomain: 'example.com',
      organizationUnit: 'x',
    });
    assert.equal(base, 'o=Acme');
  });

  it('escapes a unit name that holds DN syntax characters', () => {
    const base = searchBaseOf({
      baseDn: '',
      directoryDomain: 'example.com',
      organizationUnit: 'Sales+Support',
    });
    assert.equal(base, 'ou=Sales\\+Support,dc=example,dc=com');
  });

  it('uses a unit written as RDNs as it is', () => {
    const base = searchBaseOf({
      baseDn: '',
      directoryDomain: 'example.com',
      organizationUnit: 'ou=Staff,ou=People',
    });
    assert.equal(base, 'ou=Staff,ou=People,dc=example,dc=com');
  });
});
