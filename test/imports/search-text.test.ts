import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DirectoryEntry } from '../../core/directory/entry.js';
import { searchNeedles, searchTextOf } from '../../core/imports/search-text.js';

describe('searchTextOf', () => {
  const entry = new DirectoryEntry('uid=a,dc=x', [
    ['CN', ['  José   MÜLLER ']],
    ['telephoneNumber', ['+1 415-555 0100', '101']],
    ['mail', ['a@example.com']],
    ['jpegPhoto', [Buffer.from('not text')]],
  ]);

  it('keeps the searched attributes, whatever their case, lower-cased one per line', () => {
    const text = searchTextOf(entry, ['cn', 'telephonenumber']);
    assert.deepEqual(text.split('\n'), ['josé müller', '+1 415-555 0100', '+14155550100', '101']);
  });

  it('leaves out attributes not searched, and binary values', () => {
    const text = searchTextOf(entry, ['mail', 'jpegPhoto']);
    assert.equal(text, 'a@example.com');
  });
});

describe('searchNeedles', () => {
  it('looks for the query and, for a number, its form without separators', () => {
    assert.deepEqual(searchNeedles('555-0100'), ['555-0100', '5550100']);
    assert.deepEqual(searchNeedles('alice'), ['alice']);
    assert.deepEqual(searchNeedles(''), []);
    assert.deepEqual(searchNeedles(' - '), ['-']);
    assert.deepEqual(searchNeedles('o-b'), ['o-b'], 'names keep their hyphens and spaces');
    assert.deepEqual(searchNeedles('ﬁ'), ['fi'], 'compatibility forms fold (NFKC)');
  });

  it('keeps names apart that only spaces or hyphens would join', () => {
    const text = searchTextOf(new DirectoryEntry('uid=a', [['cn', ['Aaberg Berg']]]), ['cn']);
    assert.ok(!searchNeedles('a b').some((needle) => text.includes(needle)));
    assert.ok(searchNeedles('g b').some((needle) => text.includes(needle)));
  });

  it('finds a number written with an extension by its main part', () => {
    const entry = new DirectoryEntry('uid=a', [['telephoneNumber', ['+1 415 555 0750, ext. 42']]]);
    const text = searchTextOf(entry, ['telephoneNumber']);
    assert.ok(searchNeedles('415-555').some((needle) => text.includes(needle)));
    assert.ok(searchNeedles('4155550').some((needle) => text.includes(needle)));
  });

  it('finds a number written with other separators', () => {
    const text = searchTextOf(new DirectoryEntry('uid=a', [['mobile', ['+1 415 555 0100']]]), [
      'mobile',
    ]);
    assert.ok(searchNeedles('415-555-0100').some((needle) => text.includes(needle)));
  });
});
