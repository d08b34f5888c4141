import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { readPhoneNumber, type ReadPhoneNumber } from '../../core/phones/phone-number.js';

type Row = [text: string, country: string, expected: ReadPhoneNumber, why: string];

describe('readPhoneNumber', () => {
  const national: Row[] = [
    ['+1 (415) 555-0123', '', { e164: '+14155550123' }, 'US, international with parentheses'],
    ['415.555.0123', 'US', { e164: '+14155550123' }, 'US, national with dots'],
    ['+1-415-555-0123', 'DE', { e164: '+14155550123' }, 'a country code beats the default'],
    ['020 7946 0123', 'GB', { e164: '+442079460123' }, 'UK, national with trunk 0'],
    ['+44 (0)20 7946 0123', '', { e164: '+442079460123' }, 'UK, the (0) trunk prefix dropped'],
    ['0044 20 7946 0123', 'GB', { e164: '+442079460123' }, "UK, 00 as the country's prefix"],
    ['0044 20 7946 0123', '', { e164: '+442079460123' }, '00 is international with no country'],
    ['0044 20 7946 0123', 'US', { e164: '+442079460123' }, '00 where the country dials 011'],
    ['011 44 20 7946 0123', 'US', { e164: '+442079460123' }, "the US's own 011 prefix"],
    ['030/901820', 'DE', { e164: '+4930901820' }, 'DE, area code and slash'],
    ['+49 30 901820', '', { e164: '+4930901820' }, 'DE, international'],
    ['01 42 68 53 00', 'FR', { e164: '+33142685300' }, 'FR, national in pairs'],
    ['+33 1 42 68 53 00', '', { e164: '+33142685300' }, 'FR, international'],
    ['+81 3-1234-5678', '', { e164: '+81312345678' }, 'JP, international'],
    ['03-1234-5678', 'JP', { e164: '+81312345678' }, 'JP, national'],
    ['０３－１２３４－５６７８', 'JP', { e164: '+81312345678' }, 'JP, full-width digits'],
    ['0301234567', 'de', { e164: '+49301234567' }, 'a country code in small letters'],
  ];
  const extensions: Row[] = [
    ['+1 415 555 0123 x12', '', { e164: '+14155550123', extension: '12' }, 'x'],
    ['+1 415 555 0123X12', '', { e164: '+14155550123', extension: '12' }, 'X glued on'],
    ['+1 415 555 0123 ext. 12', '', { e164: '+14155550123', extension: '12' }, 'ext.'],
    ['+1 415 555 0123, ext 12', '', { e164: '+14155550123', extension: '12' }, 'comma, ext'],
    ['+1 415 555 0123 extension 12', '', { e164: '+14155550123', extension: '12' }, 'word'],
    ['+1 415 555 0123;ext=12', '', { e164: '+14155550123', extension: '12' }, ';ext='],
    ['030 901820 x5', 'DE', { e164: '+4930901820', extension: '5' }, 'national with x'],
    ['x2001', 'US', { extension: '2001' }, 'an extension alone has no E.164 form'],
    ['ext. 123', 'US', { extension: '123' }, 'ext. alone'],
  ];
  const uris: Row[] = [
    ['tel:+14155550123', '', { e164: '+14155550123' }, 'a global number'],
    ['TEL:+1-415-555-0123', '', { e164: '+14155550123' }, 'scheme in capitals, separators'],
    ['tel:+14155550123;ext=123', '', { e164: '+14155550123', extension: '123' }, 'Lync line'],
    ['tel:+1-415-555-0123;ext=1-23', '', { e164: '+14155550123', extension: '123' }, 'ext.'],
    ['tel:555-0123;phone-context=+1-415', '', { e164: '+14155550123' }, 'a number context'],
    ['tel:2001;phone-context=pbx.example.com', 'US', {}, 'local to a domain'],
    ['tel:2001;ext=5;phone-context=pbx.example', '', { extension: '5' }, 'local, extension'],
    ['tel:030901820', 'DE', { e164: '+4930901820' }, 'no context, read like text'],
    ['tel:*72;phone-context=+1', 'US', {}, 'a feature code'],
  ];
  const unread: Row[] = [
    ['2001', 'US', {}, 'short internal number'],
    ['101', 'DE', {}, 'three-digit internal number'],
    ['12345', '', {}, 'five digits, no country'],
    ['*72', 'US', {}, 'star code'],
    ['#31#', 'DE', {}, 'hash code'],
    ['+1 415 555 0123 #12', '', {}, '# is no extension marker'],
    ['415.555.0123', '', {}, 'national form without a default country'],
    ['+1 555 0101', '', {}, 'too short for its country'],
    ['+1 415 555 0123 / 0124', '', {}, 'two numbers in one value'],
    ['0301234567', 'XX', {}, 'an unknown country is none'],
    ['Fax123', 'US', {}, 'x inside a word is no marker'],
    ['Zürich – "HQ", floor #3', 'CH', {}, 'text'],
    ['', 'US', {}, 'empty'],
    ['   ', 'US', {}, 'blank'],
    ['tel:', '', {}, 'an empty URI'],
    ['tel:;ext=;;;=;', '', {}, 'a URI of separators'],
    ['\u0000+1 415 555 0123', '', {}, 'a NUL byte'],
    ['+1 415 555 0123 x', '', {}, 'a marker without digits'],
  ];

  const groups: Array<[title: string, rows: Row[]]> = [
    ['reads national and international forms into E.164', national],
    ['reads extensions written with a number, or alone', extensions],
    ['reads RFC 3966 tel: URIs', uris],
    ['gives no E.164 form to internal numbers, service codes and garbage', unread],
  ];
  for (const [title, rows] of groups) {
    it(title, () => {
      for (const [text, country, expected, why] of rows) {
        assert.deepEqual(readPhoneNumber(text, country), expected, `${why}: ${text}`);
      }
    });
  }

  it('gives up quickly on huge input instead of reading it', () => {
    const started = performance.now();
    for (const text of [
      '+1'.padEnd(1_000_000, '5'),
      'x'.repeat(1_000_000),
      `${'('.repeat(300)}1`,
    ]) {
      assert.deepEqual(readPhoneNumber(text, 'US'), {});
    }
    assert.ok(performance.now() - started < 1000);
  });

  it('never throws, whatever it is given', () => {
    const odd = [undefined, null, 42, {}, Symbol('x')] as unknown as string[];
    for (const value of odd) {
      assert.deepEqual(readPhoneNumber(value, 'US'), {});
      assert.deepEqual(readPhoneNumber('+1 415 555 0123', value), { e164: '+14155550123' });
    }
    const pieces = [
      '+',
      '0',
      '9',
      ' ',
      'x',
      'ext',
      ';ext=',
      'tel:',
      '(',
      ')',
      '*',
      '#',
      '\u{1F984}',
    ];
    for (let seed = 1; seed < 2000; seed += 1) {
      let text = '';
      for (let n = seed; n > 0; n = Math.floor(n / pieces.length))
        text += pieces[n % pieces.length];
      assert.doesNotThrow(() => readPhoneNumber(text, seed % 2 ? 'US' : ''), text);
    }
  });

  it('hands each caller an answer of its own', () => {
    const first = readPhoneNumber('+1 415 555 0123', '');
    first.e164 = 'changed';
    assert.deepEqual(readPhoneNumber('+1 415 555 0123', ''), { e164: '+14155550123' });
  });
});
