import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { guidToString, sidToString } from '../../core/plugin-api.js';

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ''), 'hex');

describe('sidToString', () => {
  const known: Array<[bytes: string, sid: string, why: string]> = [
    ['0102000000000005 20000000 20020000', 'S-1-5-32-544', 'BUILTIN\\Administrators'],
    ['0101000000000001 00000000', 'S-1-1-0', 'Everyone'],
    ['0101000000000005 12000000', 'S-1-5-18', 'Local System'],
    ['0100000000000005', 'S-1-5', 'no sub-authority'],
    [
      '0105000000000005 15000000 d1a4a3b4 3f5e6a7b 8c9dadbe f4010000',
      'S-1-5-21-3030623441-2070568511-3199049100-500',
      'a domain account (RID 500)',
    ],
    ['01010000ffffffff ffffffff', 'S-1-4294967295-4294967295', 'largest decimal authority'],
    ['0101000100000000 01000000', 'S-1-0x000100000000-1', 'authority past 32 bits in hex'],
  ];
  for (const [bytes, sid, why] of known) {
    it(`writes ${sid} (${why})`, () => {
      assert.equal(sidToString(hex(bytes)), sid);
    });
  }

  it('reads a SID inside a larger buffer by its own bytes only', () => {
    const inner = hex('ff ff 0102000000000005 20000000 20020000').subarray(2);
    assert.equal(sidToString(inner), 'S-1-5-32-544');
  });

  it('refuses malformed input without throwing', () => {
    const malformed: Array<[bytes: unknown, why: string]> = [
      [hex(''), 'empty'],
      [hex('01020000000000'), 'shorter than a header'],
      [hex('0202000000000005 20000000 20020000'), 'revision 2'],
      [hex('0102000000000005 20000000'), 'fewer sub-authorities than counted'],
      [hex('0101000000000005 20000000 20020000'), 'more bytes than counted'],
      [Buffer.concat([hex('0110000000000005'), Buffer.alloc(64)]), '16 sub-authorities'],
      ['S-1-5-32-544', 'a string'],
      [undefined, 'nothing'],
    ];
    for (const [bytes, why] of malformed) {
      assert.equal(sidToString(bytes as Uint8Array), undefined, why);
    }
  });
});

describe('guidToString', () => {
  it('writes the first three groups little-endian, as AD tools do', () => {
    const bytes = hex('3f2504e04f8911d39a0c0305e82c3301');
    assert.equal(guidToString(bytes), 'e004253f-894f-d311-9a0c-0305e82c3301');
    assert.equal(guidToString(new Uint8Array(bytes)), 'e004253f-894f-d311-9a0c-0305e82c3301');
  });

  it('refuses anything but 16 bytes', () => {
    for (const bytes of [hex('00'), Buffer.alloc(17), 'abc', null] as unknown[]) {
      assert.equal(guidToString(bytes as Uint8Array), undefined);
    }
  });
});
