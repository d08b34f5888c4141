import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { LdifSyntaxError, parseLdif, type LdifRecord } from '../../core/demo/ldif.js';

function only(text: string): LdifRecord {
  const records = parseLdif(text);
  assert.equal(records.length, 1, 'expected exactly one record');
  return records[0]!;
}

describe('parseLdif', () => {
  it('reads a record with several values per attribute, in file order', () => {
    const record = only('dn: uid=a,dc=x\nobjectClass: top\nobjectClass: person\ncn: A\n');
    assert.equal(record.dn, 'uid=a,dc=x');
    assert.deepEqual(record.attributes.get('objectClass'), ['top', 'person']);
    assert.deepEqual(record.attributes.get('cn'), ['A']);
    assert.equal(record.line, 1);
  });

  it('separates records at blank lines, however many, and reports where each starts', () => {
    const records = parseLdif('dn: dc=x\ndc: x\n\n\n\ndn: ou=a,dc=x\nou: a');
    assert.deepEqual(
      records.map((record) => [record.dn, record.line]),
      [
        ['dc=x', 1],
        ['ou=a,dc=x', 6],
      ],
    );
  });

  it('joins folded lines, dropping exactly one leading space', () => {
    const record = only('dn: cn=a,dc=x\ndescription: one two th\n ree\n  four\n');
    assert.deepEqual(record.attributes.get('description'), ['one two three four']);
  });

  it('reads a folded DN', () => {
    assert.equal(only('dn: cn=a,ou=pe\n ople,dc=x\n').dn, 'cn=a,ou=people,dc=x');
  });

  it('skips comments, including folded ones, between and inside records', () => {
    const text = '# header\n# folded\n  comment\ndn: dc=x\n# inside\ndc: x\n\n# trailing\n';
    const record = only(text);
    assert.equal(record.dn, 'dc=x');
    assert.deepEqual([...record.attributes.keys()], ['dc']);
  });

  it('accepts a "version: 1" line before the first record', () => {
    assert.equal(only('version: 1\n\ndn: dc=x\ndc: x\n').dn, 'dc=x');
    assert.equal(only('version: 1\ndn: dc=x\ndc: x\n').dn, 'dc=x');
  });

  it('accepts CRLF line endings', () => {
    const record = only('dn: dc=x\r\ndescription: a\r\n  b\r\n\r\n');
    assert.deepEqual(record.attributes.get('description'), ['a b']);
  });

  it('decodes a base64 DN', () => {
    const encoded = Buffer.from('cn=José,dc=x').toString('base64');
    assert.equal(only(`dn:: ${encoded}\ncn: x\n`).dn, 'cn=José,dc=x');
  });

  it('merges attribute names that differ only in case, keeping the first spelling', () => {
    const record = only('dn: dc=x\ntelephoneNumber: 1\nTELEPHONENUMBER: 2\n');
    assert.deepEqual([...record.attributes], [['telephoneNumber', ['1', '2']]]);
  });

  it('keeps values as they are after the separator spaces', () => {
    const record = only('dn: dc=x\ncn:    spaced out\nsn:\n');
    assert.deepEqual(record.attributes.get('cn'), ['spaced out']);
    assert.deepEqual(record.attributes.get('sn'), ['']);
  });
});

describe('parseLdif base64 values', () => {
  const photo = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]);
  const textLike = Buffer.from('plain ascii bytes');
  const cases: Array<[attribute: string, bytes: Buffer, expected: string | Buffer, why: string]> = [
    ['cn', Buffer.from('Zoë Øster 王芳'), 'Zoë Øster 王芳', 'UTF-8 text becomes a string'],
    ['cn', Buffer.from(' leading space'), ' leading space', 'significant spaces survive'],
    ['description', photo, photo, 'bytes that are not UTF-8 stay a Buffer'],
    ['jpegPhoto', textLike, textLike, 'a binary attribute stays a Buffer even when UTF-8'],
    ['JPEGPHOTO', photo, photo, 'binary attributes are recognized in any case'],
    ['userCertificate;binary', textLike, textLike, 'the ;binary option forces a Buffer'],
  ];
  for (const [attribute, bytes, expected, why] of cases) {
    it(why, () => {
      const record = only(`dn: dc=x\n${attribute}:: ${bytes.toString('base64')}\n`);
      assert.deepEqual(record.attributes.get(attribute), [expected]);
    });
  }

  it('decodes base64 folded over several lines', () => {
    const encoded = Buffer.from('a long value that will be folded').toString('base64');
    const folded = `${encoded.slice(0, 10)}\n ${encoded.slice(10, 25)}\n ${encoded.slice(25)}`;
    const record = only(`dn: dc=x\ndescription:: ${folded}\n`);
    assert.deepEqual(record.attributes.get('description'), ['a long value that will be folded']);
  });

  it('lets the caller choose which attributes are binary', () => {
    const text = `dn: dc=x\nsecret:: ${Buffer.from('abc').toString('base64')}\n`;
    const record = parseLdif(text, { binaryAttributes: ['secret'] })[0]!;
    assert.deepEqual(record.attributes.get('secret'), [Buffer.from('abc')]);
  });
});

describe('parseLdif on malformed input', () => {
  const cases: Array<[text: string, line: number, message: RegExp, why: string]> = [
    [' dn: dc=x\n', 1, /continuation line/, 'a continuation line with nothing before it'],
    ['dn: dc=x\n\n continued\n', 3, /continuation line/, 'a continuation right after a blank'],
    ['dn: dc=x\ndc: x\nno separator\n', 3, /expected "name: value"/, 'a line without a colon'],
    ['dn: dc=x\n: value\n', 2, /expected "name: value"/, 'a line with no attribute name'],
    ['cn: x\ndn: dc=x\n', 1, /must start with "dn:"/, 'a record that does not start with dn'],
    ['dn: dc=x\n# note\ndn: dc=y\n', 3, /separate records with a blank/, 'two DNs in a record'],
    ['dn: dc=x\nc n: y\n', 2, /not a valid attribute name/, 'an attribute name with a space'],
    ['dn: dc=x\ncn:: ###\n', 2, /base64 value of "cn" is malformed/, 'invalid base64'],
    ['dn: dc=x\ncn:: QUJD=\n', 2, /malformed/, 'base64 with a wrong length'],
    ['dn:: /w==\ncn: x\n', 1, /DN is not valid UTF-8/, 'a base64 DN that is not UTF-8'],
    ['dn: dc=x\nchangetype: add\n', 2, /change records are not supported/, 'a change record'],
    ['dn: dc=x\njpegPhoto:< file:///x\n', 2, /URL values/, 'a URL value'],
    ['version: 2\n\ndn: dc=x\n', 1, /unsupported LDIF version "2"/, 'an unknown version'],
  ];
  for (const [text, line, message, why] of cases) {
    it(`rejects ${why}, naming line ${line}`, () => {
      assert.throws(
        () => parseLdif(text),
        (error: unknown) =>
          error instanceof LdifSyntaxError &&
          error.line === line &&
          message.test(error.message) &&
          error.message.startsWith(`ldif line ${line}: `),
      );
    });
  }
});
