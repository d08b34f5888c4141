import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Contact, Phone } from '../../core/plugin-api.js';
import { toVCard } from '../../core/vcard/vcard.js';
import { readVCards, type ReadCard } from './strict-vcard.js';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0xff, 0xd9]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);

function contact(overrides: Partial<Contact> = {}): Contact {
  return {
    dn: 'uid=alice,ou=users,dc=example,dc=com',
    id: 'alice',
    displayName: 'Alice Anderson',
    phones: [],
    emails: [],
    attributes: {},
    ...overrides,
  };
}

/** The one card of the contact, read back by the strict reader. */
function card(source: Contact, options?: Parameters<typeof toVCard>[1]): ReadCard {
  const cards = readVCards(toVCard(source, options));
  assert.equal(cards.length, 1);
  return cards[0]!;
}

/** The content lines of a card, unfolded, without BEGIN, VERSION and END. */
function lines(source: Contact): string[] {
  return toVCard(source).replace(/\r\n /g, '').split('\r\n').slice(2, -2);
}

describe('toVCard', () => {
  it('writes the smallest card: VERSION right after BEGIN, FN, CRLF line ends', () => {
    assert.equal(
      toVCard(contact()),
      'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Alice Anderson\r\nEND:VCARD\r\n',
    );
  });

  it('writes every property it knows, in a fixed order', () => {
    const full = contact({
      key: 'uuid:0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0',
      phones: [
        { type: 'work', number: '101' },
        { type: 'mobile', number: '+1 555 0201', e164: '+15550201' },
      ],
      emails: ['alice@example.com'],
      attributes: { sn: ['Anderson'], givenName: ['Alice'], jpegPhoto: [JPEG.toString('base64')] },
      fields: { company: 'Example Corp', department: 'Sales', title: 'Engineer' },
    });
    assert.equal(
      toVCard(full),
      [
        'BEGIN:VCARD',
        'VERSION:4.0',
        'UID:urn:uuid:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
        'FN:Alice Anderson',
        'N:Anderson;Alice;;;',
        'ORG:Example Corp;Sales',
        'TITLE:Engineer',
        'TEL;TYPE=work,voice:101',
        'TEL;VALUE=uri;TYPE=cell:tel:+15550201',
        'EMAIL;TYPE=work:alice@example.com',
        `PHOTO:data:image/jpeg;base64,${JPEG.toString('base64')}`,
        'END:VCARD',
        '',
      ].join('\r\n'),
    );
  });

  // [display name, FN value as written, why]
  const escapes: Array<[string, string, string]> = [
    ['Doe, Jane', 'Doe\\, Jane', 'a comma'],
    ['Semi;colon', 'Semi\\;colon', 'a semicolon'],
    ['Back\\slash', 'Back\\\\slash', 'a backslash'],
    ['\\n is not a newline', '\\\\n is not a newline', 'a backslash before n'],
    ['two\nlines', 'two\\nlines', 'a line feed'],
    ['two\r\nlines', 'two\\nlines', 'a CRLF, as one line break'],
    ['two\rlines', 'two\\nlines', 'a lone CR'],
    ['a\u0000b\u0007c\u001bd\u007fe', 'abcde', 'control characters, which vCard cannot hold'],
    ['tab\there', 'tab\there', 'a tab, which it can'],
    ['x: y "z" <w> #1', 'x: y "z" <w> #1', 'colons, quotes and angles, left alone'],
  ];
  for (const [displayName, written, why] of escapes) {
    it(`escapes ${why} in text values`, () => {
      const source = contact({ displayName });
      assert.deepEqual(lines(source), [`FN:${written}`]);
      const expected = displayName
        .replace(/\r\n?/g, '\n')
        .replace(/[\u0000-\u0008\u001b\u007f]/g, '');
      assert.equal(card(source).fn, expected);
    });
  }

  it('falls back to the user ID, then the DN, for a blank display name', () => {
    assert.equal(card(contact({ displayName: ' ' })).fn, 'alice');
    assert.equal(card(contact({ displayName: '', id: null })).fn, contact().dn);
  });

  describe('N', () => {
    it('comes from sn and givenName among the attributes, whatever their case', () => {
      const source = contact({ attributes: { SN: [' Anderson '], GIVENNAME: ['', 'Alice'] } });
      assert.deepEqual(card(source).n, ['Anderson', 'Alice', '', '', '']);
    });

    it('prefers mapped fields to attributes', () => {
      const source = contact({
        attributes: { sn: ['Directory'] },
        fields: { surname: 'Mapped', firstName: ['Ann', 'Anna'] },
      });
      assert.deepEqual(card(source).n, ['Mapped', 'Ann', '', '', '']);
    });

    it('is written with only the family name when that is all there is', () => {
      assert.deepEqual(lines(contact({ attributes: { sn: ['Doe, Jr.'] } })), [
        'FN:Alice Anderson',
        'N:Doe\\, Jr.;;;;',
      ]);
    });

    it('is left out rather than guessed from the display name', () => {
      assert.equal(card(contact({ attributes: { sn: ['  '] } })).n, undefined);
    });
  });

  describe('ORG and TITLE', () => {
    it('come from fields, the department as the first unit', () => {
      const source = contact({ fields: { organization: 'A; B', department: 'R&D', title: 'Dr.' } });
      assert.deepEqual([card(source).org, card(source).title], [['A; B', 'R&D'], 'Dr.']);
    });

    it('write a department without an organization name as a unit', () => {
      assert.deepEqual(lines(contact({ fields: { department: 'Sales' } })), [
        'FN:Alice Anderson',
        'ORG:;Sales',
      ]);
    });

    it('come from configured attributes too', () => {
      const source = contact({ attributes: { title: ['CEO & Founder'], o: ['Example'] } });
      assert.deepEqual([card(source).org, card(source).title], [['Example'], 'CEO & Founder']);
    });
  });

  // [key, UID line or undefined, why]
  const uids: Array<[string | undefined, string | undefined, string]> = [
    [
      'uuid:0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0',
      'UID:urn:uuid:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
      'an entryUUID key',
    ],
    [
      'guid:e004253f-894f-d311-9a0c-0305e82c3301',
      'UID:urn:uuid:e004253f-894f-d311-9a0c-0305e82c3301',
      'an objectGUID key',
    ],
    [
      'dn:cn=doe\\, jane,ou=users',
      'UID;VALUE=text:dn:cn=doe\\\\\\, jane\\,ou=users',
      'a DN key, as escaped text',
    ],
    ['uuid:not-a-uuid', 'UID;VALUE=text:uuid:not-a-uuid', 'a malformed UUID, as text'],
    [undefined, undefined, 'no key, by leaving UID out'],
  ];
  for (const [key, line, why] of uids) {
    it(`writes the UID of ${why}`, () => {
      const written = lines(contact(key === undefined ? {} : { key }));
      assert.deepEqual(
        written.filter((text) => text.startsWith('UID')),
        line ? [line] : [],
      );
      if (key?.startsWith('dn:')) assert.equal(card(contact({ key })).uid, key);
    });
  }

  // [phone, TEL line, why]
  const phones: Array<[Phone, string, string]> = [
    [{ type: 'work', number: '101' }, 'TEL;TYPE=work,voice:101', 'a work extension'],
    [{ type: 'home', number: '030 1234' }, 'TEL;TYPE=home,voice:030 1234', 'a home number'],
    [{ type: 'mobile', number: '0171' }, 'TEL;TYPE=cell:0171', 'a mobile number'],
    [{ type: 'fax', number: '5' }, 'TEL;TYPE=work,fax:5', 'a fax number'],
    [{ type: 'pager', number: '6' }, 'TEL;TYPE=pager:6', 'a pager'],
    [{ type: 'ip', number: '4711' }, 'TEL;TYPE=work,voice:4711', 'an IP phone'],
    [{ type: 'other', number: '*72' }, 'TEL;TYPE=voice:*72', 'another phone'],
    [
      { type: 'constructor' as Phone['type'], number: '7' },
      'TEL;TYPE=voice:7',
      'a type no one knows, even one named like an Object property',
    ],
    [
      { type: 'work', number: '+1 (415) 555-0100', e164: '+14155550100' },
      'TEL;VALUE=uri;TYPE=work,voice:tel:+14155550100',
      'a number with an E.164 form, as a tel URI',
    ],
    [
      { type: 'work', number: '+1 415 555 0100 x12', e164: '+14155550100', extension: '12' },
      'TEL;VALUE=uri;TYPE=work,voice:tel:+14155550100;ext=12',
      'an extension, as ;ext=',
    ],
    [
      { type: 'work', number: '555, 1', e164: '+1\r\nX-EVIL:1' },
      'TEL;TYPE=work,voice:555\\, 1',
      'a malformed E.164 form, as escaped text',
    ],
    [
      { type: 'work', number: '+1 415 555 0100 ext. 1;2', e164: '+14155550100', extension: '1;2' },
      'TEL;TYPE=work,voice:+1 415 555 0100 ext. 1\\;2',
      'a malformed extension, as text that keeps it',
    ],
  ];
  for (const [phone, line, why] of phones) {
    it(`writes TEL for ${why}`, () => {
      const source = contact({ phones: [phone] });
      assert.deepEqual(lines(source), ['FN:Alice Anderson', line]);
      assert.equal(card(source).tels.length, 1);
    });
  }

  it('writes each mail as EMAIL and skips blank ones', () => {
    const source = contact({ emails: ['a@example.com', ' ', 'b,c@example.com'] });
    assert.deepEqual(card(source).emails, ['a@example.com', 'b,c@example.com']);
  });

  describe('PHOTO', () => {
    it('embeds a jpegPhoto attribute as a data: URI with its media type', () => {
      const source = contact({ attributes: { JPEGPHOTO: [JPEG.toString('base64')] } });
      assert.deepEqual(card(source).photo, { mediaType: 'image/jpeg', bytes: JPEG });
    });

    it('falls back to thumbnailPhoto', () => {
      const source = contact({ attributes: { thumbnailPhoto: [PNG.toString('base64')] } });
      assert.deepEqual(card(source).photo, { mediaType: 'image/png', bytes: PNG });
    });

    it('prefers a photo given to it to the attributes', () => {
      const source = contact({ attributes: { jpegPhoto: [JPEG.toString('base64')] } });
      const photo = { bytes: PNG, mediaType: 'image/png' as const };
      assert.deepEqual(card(source, { photo }).photo, { mediaType: 'image/png', bytes: PNG });
    });

    it('leaves out bytes that are no known image, and values that are not base64', () => {
      const opaque = Buffer.from('not an image').toString('base64');
      assert.equal(card(contact({ attributes: { jpegPhoto: [opaque] } })).photo, undefined);
      assert.equal(card(contact({ attributes: { jpegPhoto: ['@@@'] } })).photo, undefined);
    });

    it('folds a large photo into lines of 75 octets', () => {
      const big = Buffer.concat([JPEG, Buffer.alloc(5000, 7)]);
      const text = toVCard(contact({ attributes: { jpegPhoto: [big.toString('base64')] } }));
      assert.deepEqual(readVCards(text)[0]!.photo?.bytes, big);
      assert.ok(text.split('\r\n').length > 5000 / 75);
    });
  });

  it('writes nothing for values of the wrong type from a plugin', () => {
    const odd = {
      ...contact(),
      phones: 'not a list',
      emails: [7, null],
      fields: null,
      attributes: { sn: 5 },
    } as unknown as Contact;
    assert.deepEqual(lines(odd), ['FN:Alice Anderson']);
  });

  it('ends every card with CRLF, so cards can be concatenated', () => {
    const text = toVCard(contact()) + toVCard(contact({ displayName: 'Bob' }));
    assert.deepEqual(
      readVCards(text).map((read) => read.fn),
      ['Alice Anderson', 'Bob'],
    );
  });
});
