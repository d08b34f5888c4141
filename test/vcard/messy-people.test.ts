/**
 * Hostile directory data (scripts/messy-data/) through the default mapping and out as vCards:
 * every card must pass the strict reader and give back what the contact held.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseSettings } from '../../config/load.js';
import { DirectoryEntry } from '../../core/directory/entry.js';
import { stableKeyOf } from '../../core/imports/stable-key.js';
import { createLogger } from '../../core/logger.js';
import type { Contact, Phone } from '../../core/plugin-api.js';
import { toVCard } from '../../core/vcard/vcard.js';
import { defaultMapping } from '../../plugins/mapping-default/index.js';
import { generateMessyPeople, type MessyEntry } from '../../scripts/messy-data/messy-people.js';
import { readVCards, type ReadCard } from './strict-vcard.js';

const ATTRIBUTES = ['cn', 'sn', 'givenName', 'displayName', 'mail', 'title', 'jpegPhoto'];

function createMapper() {
  const document = {
    api: { tokens: [{ name: 't', token: 'test-token-0123456789abcdef', organizations: ['*'] }] },
    organizations: {
      messy: {
        serverUrl: 'ldap://127.0.0.1:389',
        directoryDomain: 'ldap.example.com',
        organizationUnit: 'messy',
        bindUsername: 'cn=gateway,dc=ldap,dc=example,dc=com',
        bindPassword: 'unused',
        userIdAttribute: 'uid',
        attributes: ATTRIBUTES,
        defaultCountry: 'DE',
      },
    },
  };
  const settings = parseSettings(JSON.stringify(document), { env: {} }).organizations['messy']!;
  const logger = createLogger('silent');
  return defaultMapping.create(settings.mapping[0]?.options ?? {}, {
    organizationId: 'messy',
    settings,
    logger,
  });
}

/** The entry as a directory would return it: lines grouped by the name as written. */
function entryOf(messy: MessyEntry): DirectoryEntry {
  return new DirectoryEntry(
    messy.dn,
    messy.written.map(([name, value]) => [name, [value]] as [string, Array<string | Buffer>]),
  );
}

function firstFilled(entry: DirectoryEntry, name: string): string | undefined {
  return entry.firstFilled(name);
}

/** What a TEL must say for a phone: its tel URI when it has an E.164 form, else its text. */
function expectedTel(phone: Phone): { uri?: string; text?: string } {
  if (phone.e164 === undefined) return { text: phone.number };
  const extension = phone.extension === undefined ? '' : `;ext=${phone.extension}`;
  return { uri: `tel:${phone.e164}${extension}` };
}

function checkCard(read: ReadCard, contact: Contact, entry: DirectoryEntry): void {
  assert.equal(read.fn, contact.displayName);
  assert.equal(read.uid, contact.key);
  const family = firstFilled(entry, 'sn');
  const given = firstFilled(entry, 'givenName');
  const n = family || given ? [family ?? '', given ?? '', '', '', ''] : undefined;
  assert.deepEqual(read.n, n);
  assert.equal(read.title, firstFilled(entry, 'title'));
  assert.deepEqual(
    read.tels.map(({ uri, text }) => (uri === undefined ? { text } : { uri })),
    contact.phones.map(expectedTel),
  );
  assert.deepEqual(read.emails, contact.emails);
  const photo = entry.values('jpegPhoto').find((value) => Buffer.isBuffer(value));
  assert.deepEqual(read.photo?.bytes, photo);
}

describe('vCards of messy directory data', () => {
  const mapper = createMapper();
  const messy = generateMessyPeople({ seed: 7, count: 400, printablePhones: false });
  const people = messy.entries.map((source) => {
    const entry = entryOf(source);
    const contact: Contact = { key: stableKeyOf(entry), ...mapper.toContact(entry) };
    return { source, entry, contact, text: toVCard(contact) };
  });

  it('writes a card the strict reader accepts, holding the contact, for every entry', () => {
    for (const { source, entry, contact, text } of people) {
      const cards = readVCards(text);
      assert.equal(cards.length, 1, source.dn);
      checkCard(cards[0]!, contact, entry);
    }
  });

  it('writes the whole list as consecutive cards', () => {
    const cards = readVCards(people.map(({ text }) => text).join(''));
    assert.deepEqual(
      cards.map((read) => read.uid),
      people.map(({ contact }) => contact.key),
    );
  });

  it('met what makes vCards hard: folds, escapes, non-ASCII, photos, tel URIs', () => {
    const count = (test: (text: string) => boolean) =>
      people.filter(({ text }) => test(text)).length;
    assert.ok(count((text) => text.includes('\r\n ')) > 10, 'folded lines');
    assert.ok(count((text) => /\r\n [\u0080-\uffff]/.test(text)) > 0, 'folds before non-ASCII');
    assert.ok(count((text) => /^(FN|N):.*\\[,;\\]/m.test(text)) > 5, 'escaped names');
    assert.ok(count((text) => /[^\x00-\x7f]/.test(text)) > 10, 'non-ASCII text');
    assert.ok(count((text) => text.includes('PHOTO:data:image/jpeg')) > 5, 'photos');
    assert.ok(count((text) => text.includes('TEL;VALUE=uri')) > 5, 'tel URIs');
    assert.ok(count((text) => /^TEL;TYPE=[^:]*:/m.test(text)) > 5, 'phones as text');
  });
});
