import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseLdif } from '../../core/demo/ldif.js';
import { isSafeString, writeLdif, type LdifEntry } from '../../core/demo/ldif-writer.js';

describe('isSafeString (RFC 2849 SAFE-STRING)', () => {
  const cases: Array<[value: string | Buffer, safe: boolean, why: string]> = [
    ['Alice Martin', true, 'plain ASCII is written as is'],
    ['', true, 'the empty value is written as is'],
    ['a:b<c', true, 'colons and "<" are fine after the first character'],
    [' lead', false, 'a leading space would be eaten by the reader'],
    [':colon', false, 'a leading colon would look like "::"'],
    ['<url', false, 'a leading "<" would look like ":<"'],
    ['trail ', false, 'a trailing space is easily lost'],
    ['José', false, 'non-ASCII text is base64'],
    ['two\nlines', false, 'a line break is base64'],
    ['cr\rhere', false, 'a carriage return is base64'],
    ['nul\0here', false, 'NUL is base64'],
    [Buffer.from('abc'), false, 'binary values are always base64'],
  ];
  for (const [value, safe, why] of cases) {
    it(why, () => assert.equal(isSafeString(value), safe));
  }
});

describe('writeLdif', () => {
  const photo = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
  const entries: LdifEntry[] = [
    {
      dn: 'dc=x',
      attributes: [
        ['objectClass', ['top', 'dcObject']],
        ['dc', ['x']],
      ],
    },
    {
      dn: 'cn=Smith\\, John,dc=x',
      attributes: [
        ['cn', ['Smith, John', 'José Müller-Øster', ' leading']],
        ['description', ['x'.repeat(200)]],
        ['jpegPhoto', [photo]],
        ['sn', ['']],
      ],
    },
  ];

  it('writes what parseLdif reads back unchanged', () => {
    const records = parseLdif(writeLdif(entries));
    assert.deepEqual(
      records.map((record) => ({ dn: record.dn, attributes: [...record.attributes] })),
      entries.map((entry) => ({ dn: entry.dn, attributes: entry.attributes })),
    );
  });

  it('writes only ASCII lines no longer than the fold width', () => {
    const lines = writeLdif(entries, { header: ['a comment'] }).split('\n');
    assert.ok(lines.every((line) => /^[\x20-\x7e]*$/.test(line)));
    assert.ok(lines.every((line) => line.length <= 76));
    assert.ok(
      lines.some((line) => line.startsWith(' ')),
      'the long description is folded',
    );
  });

  it('starts with the header comments, then a blank line, then the first record', () => {
    const text = writeLdif(entries, { header: ['first', '', 'third'] });
    assert.ok(text.startsWith('# first\n#\n# third\n\ndn: dc=x\n'));
  });

  it('writes no version line, which slapadd would reject', () => {
    assert.ok(writeLdif(entries).startsWith('dn: dc=x\n'));
  });

  it('base64-encodes unsafe values and DNs', () => {
    const text = writeLdif([{ dn: 'cn=José,dc=x', attributes: [['cn', ['José']]] }]);
    assert.match(text, /^dn:: Y249Sm9zw6ksZGM9eA==$/m);
    assert.match(text, /^cn:: Sm9zw6k=$/m);
  });
});
