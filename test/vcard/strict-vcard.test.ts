/** The strict reader the vCard tests rely on must itself refuse what RFC 6350 forbids. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { readVCards } from './strict-vcard.js';

const card = (...lines: string[]) =>
  ['BEGIN:VCARD', 'VERSION:4.0', ...lines, 'END:VCARD', ''].join('\r\n');

describe('the strict vCard reader', () => {
  it('reads a good card', () => {
    const [read] = readVCards(card('FN:Doe\\, Jane', 'N:Doe;Jane;;;', 'TEL;TYPE=cell:1'));
    assert.deepEqual(
      [read!.fn, read!.n, read!.tels],
      ['Doe, Jane', ['Doe', 'Jane', '', '', ''], [{ types: ['cell'], text: '1' }]],
    );
  });

  const split = Buffer.concat([
    Buffer.from(`BEGIN:VCARD\r\nVERSION:4.0\r\nFN:${'x'.repeat(71)}`),
    // é is C3 A9: a fold between its two octets.
    Buffer.from([0xc3, 0x0d, 0x0a, 0x20, 0xa9]),
    Buffer.from('\r\nEND:VCARD\r\n'),
  ]);

  // [text, what the reader must say, why]
  const bad: Array<[string | Buffer, RegExp, string]> = [
    [card('FN:x').replace('\r\n', '\n'), /bare LF/, 'a bare LF'],
    [card('FN:x').replace('\r\n', '\r'), /bare CR/, 'a bare CR'],
    [card('FN:x').slice(0, -2), /must end in CRLF/, 'no CRLF at the end'],
    [card(`FN:${'x'.repeat(73)}`), /76 octets/, 'a line of 76 octets'],
    [card(`FN:${'x'.repeat(40)}\r\n ${'y'.repeat(75)}`), /76 octets/, 'a continuation of 76'],
    [card('FN:x\r\n '), /empty/, 'an empty continuation'],
    [split, /split a character/, 'a fold inside a UTF-8 sequence'],
    [card('FN:a\\tb'), /bad escape/, 'an escape RFC 6350 does not have'],
    [card('FN:a,b'), /unescaped ,/, 'an unescaped comma in a text value'],
    [card('FN:a;b'), /unescaped ;/, 'an unescaped semicolon in a text value'],
    [card('FN:a\u0001b'), /control character/, 'a control character'],
    [card('N:Doe;Jane', 'FN:x'), /N has 2 fields/, 'an N of two fields'],
    [card('FN:x', 'FN:y'), /FN appears 2 times/, 'two FN'],
    [card('N:a;b;;;'), /FN is required/, 'no FN'],
    [
      ['BEGIN:VCARD', 'FN:x', 'VERSION:4.0', 'END:VCARD', ''].join('\r\n'),
      /deep-equal/,
      'VERSION not right after BEGIN',
    ],
    [card('FN:x', 'TEL;VALUE=uri;TYPE=work:tel:555'), /tel:/, 'a tel URI that is not E.164'],
    [card('FN:x', 'TEL;TYPE=mobile:1'), /TEL TYPE mobile/, 'a TEL TYPE vCard 4.0 lacks'],
    [card('FN:x', 'PHOTO:data:text/html;base64,PGI+'), /PHOTO/, 'a PHOTO that is no image'],
    [card('FN:x', 'NOTE:hi'), /unexpected property NOTE/, 'a property the gateway never writes'],
    [card('FN:x', 'UID:dn:x'), /urn:uuid/, 'a UID that is neither urn:uuid nor text'],
    [card('FN:x', 'EMAIL;PREF=1;TYPE=work:a'), /does not take PREF/, 'an unexpected parameter'],
    [card('FN:x').replace('END:VCARD\r\n', ''), /no END/, 'no END'],
  ];
  for (const [text, message, why] of bad) {
    it(`refuses ${why}`, () => {
      assert.throws(() => readVCards(text), message);
    });
  }
});
