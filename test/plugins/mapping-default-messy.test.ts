/**
 * The default mapping over the hostile generator's entries, with every phone format it knows
 * (the `*`, `#` and `;ext=` ones included, as Active Directory would store them).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DirectoryEntry, readPhoneNumber, type Contact } from '../../core/plugin-api.js';
import {
  generateMessyPeople,
  PHONE_FORMATS,
  type MessyEntry,
} from '../../scripts/messy-data/messy-people.js';
import { PHONE_ATTRIBUTES } from '../../scripts/messy-data/traits.js';
import { defaultMapperWith } from './mapping-default-setup.js';

const PHONE_NAMES = new Set(PHONE_ATTRIBUTES.map((name) => name.toLowerCase()));

/** What each format reads as under defaultCountry US: its E.164 form, or none (null). */
const E164_UNDER_US: Record<string, RegExp | null | 'either'> = {
  'nanp-parentheses': /^\+1415555\d{4}$/,
  'nanp-dots': /^\+1415555\d{4}$/,
  'nanp-dashes': /^\+1415555\d{4}$/,
  'uk-00-prefix': /^\+44207946\d{4}$/,
  'uk-trunk-zero': /^\+44207946\d{4}$/,
  'uk-national': null,
  'de-international': /^\+49309018\d{2}$/,
  'de-slash': null,
  'fr-international': /^\+3314268\d{4}$/,
  'fr-national': null,
  // Random digits after the Tokyo area code: some fall outside Japan's number plan.
  'jp-international': 'either',
  'extension-x': null,
  'extension-word': null,
  'tel-uri': /^\+1415555\d{4}$/,
  'internal-short': null,
  'rfc3966-extension': /^\+1415555\d{4}$/,
  'feature-star': null,
  'feature-hash': null,
};
const WITH_EXTENSION = new Set(['extension-x', 'extension-word', 'rfc3966-extension']);

const compact = (text: string) => text.replace(/[\s().\/-]/g, '').toLowerCase();

function toEntry(messy: MessyEntry): DirectoryEntry {
  return new DirectoryEntry(
    messy.dn,
    messy.written.map(([name, value]) => [name, [value]]),
  );
}

/** The entry's phone values as written, in file order, each with its attribute's spelling. */
function writtenPhones(messy: MessyEntry): Array<{ spelling: string; text: string }> {
  return messy.written
    .filter(([name, value]) => PHONE_NAMES.has(name.toLowerCase()) && typeof value === 'string')
    .map(([spelling, text]) => ({ spelling, text: text as string }));
}

describe('default mapping over hostile directory data', () => {
  const messy = [7, 2024].flatMap(
    (seed) => generateMessyPeople({ seed, count: 300, printablePhones: false }).entries,
  );
  const mapped = (country: string): Array<[MessyEntry, Contact]> => {
    const mapper = defaultMapperWith(
      {
        fields: {
          title: { attribute: 'title', pick: 'longest' },
          about: { attribute: 'description', multiple: true, match: '\\p{L}' },
          name: { attribute: 'cn', prefer: '^\\S' },
        },
      },
      { defaultCountry: country, attributes: ['cn', 'jpegPhoto', 'description'] },
    );
    return messy.map((entry) => [entry, mapper.toContact(toEntry(entry))]);
  };

  it('holds every phone format, so the checks below see them all', () => {
    const seen = new Set(messy.flatMap((entry) => entry.phoneFormats));
    assert.deepEqual([...seen].sort(), PHONE_FORMATS.map((format) => format.id).sort());
  });

  it('maps every entry under any default country without throwing', () => {
    for (const country of ['US', 'GB', 'DE', 'JP', '']) {
      const contacts = mapped(country);
      assert.equal(contacts.length, messy.length);
      for (const [, contact] of contacts) assert.doesNotThrow(() => JSON.stringify(contact));
    }
  });

  it("keeps every phone's original text, trimmed, and its attribute's spelling", () => {
    for (const [entry, contact] of mapped('US')) {
      const written = writtenPhones(entry);
      for (const phone of contact.phones) {
        const source = written.find(({ text }) => text.trim() === phone.number);
        assert.ok(source, `${entry.dn}: ${phone.number} was written`);
        assert.equal(phone.attribute?.toLowerCase(), source.spelling.toLowerCase());
        assert.ok(
          written.some(({ spelling }) => spelling === phone.attribute),
          `${entry.dn}: ${phone.attribute} is a spelling the data used`,
        );
      }
      // A value missing from the phones repeats one listed: the same E.164 form and extension,
      // or the same text but for spaces and punctuation.
      for (const { text } of written) {
        const number = text.trim();
        if (contact.phones.some((phone) => phone.number === number)) continue;
        const read = readPhoneNumber(number, 'US');
        const repeated = contact.phones.some((phone) =>
          read.e164
            ? phone.e164 === read.e164 && phone.extension === read.extension
            : compact(phone.number) === compact(number),
        );
        assert.ok(repeated, `${entry.dn}: ${number} is missing`);
      }
    }
  });

  it('reads each format into E.164 and extension as documented', () => {
    for (const [entry, contact] of mapped('US')) {
      const written = writtenPhones(entry);
      assert.equal(written.length, entry.phoneFormats.length, entry.dn);
      written.forEach(({ text }, index) => {
        const format = entry.phoneFormats[index]!;
        const phone = contact.phones.find((candidate) => candidate.number === text.trim());
        if (!phone) return; // left out as a repeat, checked above
        const expected = E164_UNDER_US[format];
        if (expected === null) assert.equal(phone.e164, undefined, `${format}: ${text}`);
        else if (expected !== 'either') assert.match(phone.e164 ?? '', expected!, text);
        const extension = WITH_EXTENSION.has(format) ? /(\d+)\s*$/.exec(text)![1] : undefined;
        assert.equal(phone.extension, extension, `${format}: ${text}`);
      });
    }
  });
});
