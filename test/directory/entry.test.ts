import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DirectoryEntry } from '../../core/directory/entry.js';

describe('DirectoryEntry', () => {
  const entry = new DirectoryEntry('uid=a,dc=x', [
    ['CN;lang-ja', ['山田']],
    ['cn', ['Yamada']],
    ['userCertificate;binary', [Buffer.from([1, 2])]],
    ['Mail', ['  ', ' a@example.com ']],
  ]);

  it('matches attribute names whatever their case', () => {
    assert.deepEqual(entry.values('MAIL'), ['  ', ' a@example.com ']);
    assert.deepEqual(entry.names(), ['CN;lang-ja', 'cn', 'userCertificate;binary', 'Mail']);
  });

  it('returns the tagged forms with the plain one, plain values first', () => {
    assert.deepEqual(entry.values('cn'), ['Yamada', '山田']);
    assert.deepEqual(entry.values('cn;LANG-JA'), ['山田']);
    assert.deepEqual(entry.values('userCertificate'), [Buffer.from([1, 2])]);
    assert.equal(entry.has('sn'), false);
  });

  it('finds the first value with more than white space, trimmed', () => {
    assert.equal(entry.firstFilled('mail'), 'a@example.com');
    const blank = new DirectoryEntry('uid=b', [['cn', [' ', '\u00a0', '\u3000']]]);
    assert.equal(blank.firstFilled('cn'), undefined);
    assert.equal(blank.first('cn'), ' ');
  });

  it('leaves out the empty lists ldapts gives the requested attributes an entry lacks', () => {
    const record = { dn: 'uid=c,dc=x', cn: 'Carol', mobile: [], Mail: ['c@example.com', 'c2@x'] };
    const fromRecord = DirectoryEntry.fromRecord(record);
    assert.deepEqual(fromRecord.names(), ['cn', 'Mail']);
    assert.deepEqual(fromRecord.values('cn'), ['Carol']);
    assert.equal(fromRecord.has('mobile'), false);
  });
});
