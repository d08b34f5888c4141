/**
 * The messy-data generator (scripts/messy-data/): deterministic, its LDIF well-formed and true
 * to the description it returns, every kind of mess present. That slapd loads the file is
 * proven by test/http/import-messy-data.test.ts, which starts one with it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { parseLdif, type LdifValue } from '../../core/demo/ldif.js';
import {
  COMPLETE_FROM,
  ENTRY_KINDS,
  generateMessyPeople,
  PHONE_FORMATS,
  TRAITS,
  type MessyEntry,
} from '../../scripts/messy-data/messy-people.js';
import { matchKey } from '../../scripts/messy-data/phones.js';
import { PHONE_ATTRIBUTES } from '../../scripts/messy-data/traits.js';
import { firstRdn } from '../support/rdn.js';

const run = promisify(execFile);
const cli = fileURLToPath(
  new URL('../../scripts/directory/generate-messy-people.js', import.meta.url),
);

const SCHEMA_SPELLINGS = new Set([
  'objectClass',
  'uid',
  'cn',
  'sn',
  'givenName',
  'displayName',
  'mail',
  'telephoneNumber',
  'mobile',
  'homePhone',
  'pager',
  'jpegPhoto',
  'description',
  'title',
  'ou',
]);

/** RFC 4517 PrintableString, the syntax of telephoneNumber, mobile, homePhone and pager. */
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

function lowerKeys(attributes: ReadonlyMap<string, LdifValue[]>): Map<string, LdifValue[]> {
  const lower = new Map<string, LdifValue[]>();
  for (const [name, values] of attributes) {
    lower.set(name.toLowerCase(), [...(lower.get(name.toLowerCase()) ?? []), ...values]);
  }
  return lower;
}

function texts(entry: MessyEntry, name: string): string[] {
  return (entry.attributes.get(name) ?? []).filter((v): v is string => typeof v === 'string');
}

describe('messy directory data generator', () => {
  it('writes the same LDIF for the same seed and count, and other LDIF for another seed', () => {
    const first = generateMessyPeople({ seed: 11, count: 120 });
    const again = generateMessyPeople({ seed: 11, count: 120 });
    const other = generateMessyPeople({ seed: 12, count: 120 });
    assert.ok(first.ldif === again.ldif, 'same seed, different bytes');
    assert.notEqual(first.ldif, other.ldif);
    assert.equal(first.entries.length, 120);
    assert.equal(first.counts.entries, 120);
  });

  it('writes LDIF that parses back into exactly the entries it describes', () => {
    const directory = generateMessyPeople({ seed: 5, count: 150 });
    const records = parseLdif(directory.ldif);
    assert.equal(records.length, 151, 'the container, then every entry');
    assert.equal(records[0]!.dn, directory.parentDn);
    directory.entries.forEach((entry, index) => {
      const record = records[index + 1]!;
      assert.equal(record.dn, entry.dn);
      assert.deepEqual(lowerKeys(record.attributes), lowerKeys(entry.attributes), entry.dn);
    });
  });

  it('escapes DNs so that they name the RDN values it describes', () => {
    const directory = generateMessyPeople({ seed: 6, count: 200 });
    for (const entry of directory.entries) {
      const rdn = firstRdn(entry.dn).map(([name, value]) => [name.toLowerCase(), value]);
      const expected = entry.rdn.map(([name, value]) => [name.toLowerCase(), value]);
      assert.deepEqual(rdn, expected, entry.dn);
      assert.ok(entry.dn.endsWith(`,${directory.parentDn}`));
    }
  });

  for (const seed of [1, 2, 3, 42, 20_240_601]) {
    it(`shows every kind, trait and phone format in ${COMPLETE_FROM} entries, seed ${seed}`, () => {
      const { counts } = generateMessyPeople({ seed, count: COMPLETE_FROM });
      for (const kind of ENTRY_KINDS) assert.ok(counts.kinds[kind] > 0, `no ${kind}`);
      for (const trait of TRAITS) assert.ok(counts.traits[trait] > 0, `no ${trait}`);
      const printable = PHONE_FORMATS.filter((format) => format.printable);
      assert.deepEqual(Object.keys(counts.phoneFormats).sort(), printable.map((f) => f.id).sort());
      for (const [format, used] of Object.entries(counts.phoneFormats)) {
        assert.ok(used > 0, `no ${format} phone number`);
      }
      assert.equal(counts.contacts + counts.noName, COMPLETE_FROM);
    });
  }

  it('keeps phone numbers within PrintableString unless told any text will do', () => {
    const strict = generateMessyPeople({ seed: 8, count: 200 });
    const phones = (entries: MessyEntry[]) =>
      entries.flatMap((entry) => PHONE_ATTRIBUTES.flatMap((name) => texts(entry, name)));
    assert.ok(phones(strict.entries).every((number) => PRINTABLE.test(number)));

    const lenient = generateMessyPeople({ seed: 8, count: 200, printablePhones: false });
    const numbers = phones(lenient.entries);
    for (const mark of ['*', '#', ';ext=']) {
      assert.ok(
        numbers.some((number) => number.includes(mark)),
        `no number with ${mark}`,
      );
    }
    for (const format of PHONE_FORMATS) assert.ok(lenient.counts.phoneFormats[format.id]! > 0);
  });

  it('never repeats a value within an attribute under the matching rule slapd applies', () => {
    const caseIgnore = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();
    const rules: Record<string, (text: string) => string> = {
      mail: (text) => text.toLowerCase(),
      cn: caseIgnore,
      ...Object.fromEntries(PHONE_ATTRIBUTES.map((name) => [name, matchKey])),
    };
    for (const entry of generateMessyPeople({ seed: 9, count: 300 }).entries) {
      for (const [name, normalize] of Object.entries(rules)) {
        const values = texts(entry, name).map(normalize);
        assert.equal(new Set(values).size, values.length, `${entry.dn}: ${name}`);
      }
    }
  });

  it('base64-encodes every value that LDIF cannot carry as plain text', () => {
    const { ldif } = generateMessyPeople({ seed: 10, count: 200 });
    const lines = ldif.replace(/\n /g, '').split('\n');
    const plain = lines.filter((line) => /^[A-Za-z][\w;-]*: /.test(line));
    const encoded = lines.filter((line) => /^[A-Za-z][\w;-]*:: /.test(line));
    for (const line of plain) {
      const value = line.slice(line.indexOf(': ') + 2);
      // RFC 2849 SAFE-STRING, and no trailing space, which readers strip.
      assert.match(value, /^(?![ :<])[\x01-\x09\x0b\x0c\x0e-\x7f]*$/, line);
      assert.ok(!value.endsWith(' '), line);
    }
    const decoded = encoded.map((line) => Buffer.from(line.split(':: ')[1]!, 'base64'));
    assert.ok(
      decoded.some((bytes) => bytes[0] === 0xff && bytes[1] === 0xd8),
      'no photo',
    );
    assert.ok(
      decoded.some((bytes) => /^\s|\s$/.test(bytes.toString('utf8'))),
      'no edge space',
    );
    assert.ok(
      lines.some((line) => line.startsWith('dn:: ')),
      'no UTF-8 DN',
    );
  });

  it('writes attribute names in upper, lower and mixed case', () => {
    const { ldif } = generateMessyPeople({ seed: 13, count: 100 });
    const names = new Set(
      ldif
        .replace(/\n /g, '')
        .split('\n')
        .map((line) => /^([A-Za-z][\w-]*)(;[\w-]+)?::? /.exec(line)?.[1] ?? ''),
    );
    const unusual = [...names].filter((name) => /[A-Z]/.test(name) && /[a-z]/.test(name));
    assert.ok(
      unusual.some((name) => !SCHEMA_SPELLINGS.has(name)),
      'no odd mixed case',
    );
    assert.ok(
      [...names].some((name) => /^[A-Z]{4,}$/.test(name)),
      'no upper case',
    );
    assert.ok(
      [...names].some((name) => /^[a-z]+$/.test(name) && !SCHEMA_SPELLINGS.has(name)),
      'no lower case where the schema has capitals',
    );
  });

  it('makes photos that are complete baseline JPEGs, different for each person', () => {
    const { entries } = generateMessyPeople({ seed: 14, count: 200 });
    const photos = entries.flatMap((entry) => entry.attributes.get('jpegPhoto') ?? []);
    assert.ok(photos.length > 1);
    for (const photo of photos) assert.deepEqual(jpegMarkers(photo as Buffer), JPEG_LAYOUT);
    const distinct = new Set(photos.map((photo) => (photo as Buffer).toString('base64')));
    assert.equal(distinct.size, photos.length);
  });

  it('marks nameless and blank-named entries no_name, and every other entry a contact', () => {
    const { entries, counts } = generateMessyPeople({ seed: 15, count: 200 });
    const names = ['cn', 'sn', 'givenName', 'displayName'];
    for (const entry of entries) {
      const named = names.some((name) => texts(entry, name).some((text) => text.trim()));
      const tagged = [...entry.attributes.keys()].some((name) => name.includes(';lang-'));
      assert.equal(entry.outcome, named || tagged ? 'contact' : 'no_name', entry.dn);
    }
    assert.equal(counts.noName, counts.kinds.nameless + counts.kinds['blank-name']);
  });

  it('makes only the kinds it is asked for', () => {
    const { counts } = generateMessyPeople({ seed: 16, count: 80, kinds: ['person', 'nameless'] });
    assert.equal(counts.kinds.person + counts.kinds.nameless, 80);
    assert.ok(counts.kinds.nameless > 0);
  });

  const badOptions: Array<[string, Parameters<typeof generateMessyPeople>[0]]> = [
    ['a negative count', { seed: 1, count: -1 }],
    ['a fractional count', { seed: 1, count: 1.5 }],
    ['no kinds', { seed: 1, count: 5, kinds: [] }],
    ['an unknown kind', { seed: 1, count: 5, kinds: ['robot' as never] }],
    ['a container that is no ou', { seed: 1, count: 5, parentDn: 'cn=x,dc=example,dc=com' }],
  ];
  for (const [label, options] of badOptions) {
    it(`refuses ${label}`, () => {
      assert.throws(() => generateMessyPeople(options), RangeError);
    });
  }

  it('prints the module output from the command line, with a summary on stderr', async () => {
    const { stdout, stderr } = await run(process.execPath, [cli, '--seed', '5', '--count', '30']);
    assert.ok(stdout === generateMessyPeople({ seed: 5, count: 30 }).ldif);
    assert.match(stderr, /30 entries under ou=messy,dc=ldap,dc=example,dc=com/);
  });

  it('exits 2 on a bad flag from the command line', async () => {
    await assert.rejects(
      run(process.execPath, [cli, '--count', 'many']),
      (error: { code?: number }) => {
        assert.equal(error.code, 2);
        return true;
      },
    );
  });
});

/** Markers of flatGreyJpeg's output, in order: SOI, APP0, COM, DQT, SOF0, DHT, DHT, SOS, EOI. */
const JPEG_LAYOUT = [0xd8, 0xe0, 0xfe, 0xdb, 0xc0, 0xc4, 0xc4, 0xda, 0xd9];

/** Walks a JPEG's segments by their lengths; throws when one runs past the end. */
function jpegMarkers(bytes: Buffer): number[] {
  assert.equal(bytes.readUInt16BE(0), 0xffd8, 'no SOI');
  const markers = [0xd8];
  let offset = 2;
  while (offset < bytes.length) {
    assert.equal(bytes[offset], 0xff, `no marker at ${offset}`);
    const marker = bytes[offset + 1]!;
    markers.push(marker);
    if (marker === 0xd9) break;
    const length = bytes.readUInt16BE(offset + 2);
    offset += 2 + length;
    if (marker === 0xda) {
      // Entropy-coded data runs to the next marker that is not a stuffed 0xFF 0x00.
      while (!(bytes[offset] === 0xff && bytes[offset + 1] !== 0x00)) offset += 1;
    }
  }
  assert.equal(offset + 2, bytes.length, 'bytes after EOI');
  return markers;
}
