/**
 * The facts about config/demo/people.ldif that the README relies on, and proof that the
 * committed file is exactly what the generator writes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { parseLdif, type LdifRecord } from '../../core/demo/ldif.js';
import {
  buildDemoLdif,
  PEOPLE_DN,
  SERVICE_DN,
  SERVICE_PASSWORD,
} from '../../scripts/demo-data/build-demo-ldif.js';

const ldifPath = fileURLToPath(new URL('../../../config/demo/people.ldif', import.meta.url));
const committed = readFileSync(ldifPath, 'utf8');
const records = parseLdif(committed);
const people = records.filter((record) => record.dn.endsWith(`,${PEOPLE_DN}`));

function values(record: LdifRecord, name: string): Array<string | Buffer> {
  return record.attributes.get(name) ?? [];
}

function person(uid: string): LdifRecord {
  const found = people.find((record) => values(record, 'uid')[0] === uid);
  assert.ok(found, `no person with uid ${uid}`);
  return found;
}

function extensionsOf(record: LdifRecord): string[] {
  return values(record, 'telephoneNumber').filter(
    (value): value is string => typeof value === 'string' && /^\d{4}$/.test(value),
  );
}

describe('demo directory data (config/demo/people.ldif)', () => {
  it('is byte for byte what scripts/generate-demo-ldif.ts writes', () => {
    assert.ok(committed === buildDemoLdif(), 'stale: run node dist/scripts/generate-demo-ldif.js');
  });

  it('holds the base, ou=people, the service account and 300 people', () => {
    assert.equal(records.length, 303);
    assert.equal(people.length, 300);
    assert.deepEqual(
      records.slice(0, 3).map((record) => record.dn),
      ['dc=demo,dc=example,dc=com', PEOPLE_DN, SERVICE_DN],
    );
    assert.deepEqual(values(records[2]!, 'userPassword'), [SERVICE_PASSWORD]);
  });

  const wellKnown: Array<[uid: string, expected: Record<string, string[]>]> = [
    [
      'alice',
      {
        cn: ['Alice Martin'],
        mail: ['alice.martin@demo.example.com'],
        telephoneNumber: ['2001', '+1 415 555 2001'],
        mobile: ['+1 415 555 9001'],
        userPassword: ['alice-demo'],
      },
    ],
    [
      'bob',
      {
        cn: ['Bob Nguyen'],
        mail: ['bob.nguyen@demo.example.com'],
        telephoneNumber: ['2002'],
        userPassword: ['bob-demo'],
      },
    ],
    ['jose', { cn: ['José Müller-Øster'], telephoneNumber: ['2003'], userPassword: ['jose-demo'] }],
  ];
  for (const [uid, expected] of wellKnown) {
    it(`has uid=${uid} with the attributes the README names`, () => {
      const record = person(uid);
      assert.equal(record.dn, `uid=${uid},${PEOPLE_DN}`);
      for (const [name, wanted] of Object.entries(expected)) {
        assert.deepEqual(values(record, name), wanted, `${uid} ${name}`);
      }
    });
  }

  it('gives every extension to one person, except 2000, shared by the two reception desks', () => {
    const owners = new Map<string, string[]>();
    for (const record of people) {
      for (const extension of extensionsOf(record)) {
        owners.set(extension, [...(owners.get(extension) ?? []), String(values(record, 'uid')[0])]);
      }
    }
    const shared = [...owners].filter(([, uids]) => uids.length > 1);
    assert.deepEqual(shared, [['2000', ['reception-front', 'reception-lobby']]]);
  });

  it('gives every person a cleartext password "<uid>-demo"', () => {
    for (const record of people) {
      assert.deepEqual(values(record, 'userPassword'), [`${values(record, 'uid')[0]}-demo`]);
    }
  });

  it('names one person by a cn with an escaped comma', () => {
    const smith = person('jsmith');
    assert.equal(smith.dn, `cn=Smith\\, John,${PEOPLE_DN}`);
    assert.deepEqual(values(smith, 'cn'), ['Smith, John']);
  });

  const phoneKinds = ['telephoneNumber', 'mobile', 'homePhone', 'facsimileTelephoneNumber'];
  const has = (record: LdifRecord, name: string) => values(record, name).length > 0;

  it('has people without mail', () => {
    assert.ok(people.filter((record) => !has(record, 'mail')).length >= 10);
  });

  it('has people without any phone number', () => {
    const phoneless = people.filter((record) => phoneKinds.every((kind) => !has(record, kind)));
    assert.ok(phoneless.length >= 10);
  });

  it('has someone with an extension, a direct line, a mobile, a home phone and a fax', () => {
    const smith = person('jsmith');
    assert.ok(phoneKinds.every((kind) => has(smith, kind)));
    assert.equal(extensionsOf(smith).length, 1);
    assert.equal(values(smith, 'telephoneNumber').length, 2);
  });

  it('has names in many scripts and with diacritics', () => {
    const names = people.map((record) => String(values(record, 'cn')[0])).join('\n');
    const scripts = ['Han', 'Hangul', 'Greek', 'Cyrillic'];
    for (const script of scripts) assert.match(names, new RegExp(`\\p{Script=${script}}`, 'u'));
    for (const letter of ['é', 'ü', 'Ø', 'Ł', 'ñ', 'ç', 'ş']) {
      assert.ok(names.includes(letter), letter);
    }
  });

  it('has JPEG photos for alice and jose only', () => {
    const withPhoto = people.filter((record) => values(record, 'jpegPhoto').length > 0);
    assert.deepEqual(
      withPhoto.map((record) => values(record, 'uid')[0]),
      ['alice', 'jose'],
    );
    for (const record of withPhoto) {
      const [photo] = values(record, 'jpegPhoto');
      assert.ok(Buffer.isBuffer(photo));
      assert.deepEqual([...photo.subarray(0, 3)], [0xff, 0xd8, 0xff], 'JPEG start of image');
      assert.deepEqual([...photo.subarray(-2)], [0xff, 0xd9], 'JPEG end of image');
    }
  });

  it('gives every person the inetOrgPerson basics', () => {
    for (const record of people) {
      assert.ok(values(record, 'objectClass').includes('inetOrgPerson'), record.dn);
      for (const name of ['uid', 'cn', 'sn', 'title', 'ou', 'departmentNumber', 'employeeNumber']) {
        assert.equal(values(record, name).length, 1, `${record.dn} ${name}`);
      }
    }
  });
});
