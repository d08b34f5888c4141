/**
 * Imports hostile, messy directory data (scripts/messy-data/) from a real slapd whose size
 * limit is far below the number of entries, and checks what the HTTP API gives back against
 * what the generator says it wrote: counts, skips, and every value byte for byte.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Client, SizeLimitExceededError } from 'ldapts';

import type { LdifValue } from '../../core/demo/ldif.js';
import {
  generateMessyPeople,
  type MessyDirectory,
  type MessyEntry,
} from '../../scripts/messy-data/messy-people.js';
import { fixtureOrganization, startTestGateway, type TestGateway } from '../support/gateway.js';
import { allPages, startImport, waitForImport } from '../support/imports.js';
import { firstRdn } from '../support/rdn.js';
import { startSlapd, type SlapdHandle } from '../support/slapd.js';

const SEED = 20_251_204;
const COUNT = 240;
const SIZE_LIMIT = 10;
const PAGE_SIZE = 7;
const MESSY_DN = 'ou=messy,dc=ldap,dc=example,dc=com';

/** The mapped attributes, in the schema's spelling; the data spells them every which way. */
const TEXT_ATTRIBUTES = [
  'cn',
  'sn',
  'givenName',
  'displayName',
  'mail',
  'telephoneNumber',
  'mobile',
  'homePhone',
  'pager',
  'description',
  'title',
];
/** `account` entries have no name: the filter names their class so the import meets them. */
const PEOPLE_AND_ACCOUNTS = '(|(objectClass=inetOrgPerson)(objectClass=account))';

function texts(entry: MessyEntry, name: string): string[] {
  return (entry.attributes.get(name) ?? []).filter((v): v is string => typeof v === 'string');
}

function uidOf(entry: MessyEntry): string {
  return texts(entry, 'uid')[0]!;
}

/** Writes the LDIF texts to one file for EXTRA_LDIF; returns its folder, to delete after. */
async function writeExtraLdif(...ldifs: string[]): Promise<{ folder: string; file: string }> {
  const folder = await mkdtemp(join(tmpdir(), 'ldap-gateway-messy-'));
  const file = join(folder, 'messy.ldif');
  await writeFile(file, ldifs.join('\n'), 'utf8');
  return { folder, file };
}

function organization(slapd: SlapdHandle, unit: string) {
  return fixtureOrganization(slapd, {
    organizationUnit: unit,
    attributes: [...TEXT_ATTRIBUTES, 'jpegPhoto'],
    contacts: { filter: PEOPLE_AND_ACCOUNTS },
  });
}

describe('importing messy directory data from OpenLDAP', () => {
  const messy = generateMessyPeople({
    seed: SEED,
    count: COUNT,
    parentDn: MESSY_DN,
    kinds: ['person', 'nameless'],
  });
  const people = messy.entries.filter((entry) => entry.outcome === 'contact');
  let folder: string;
  let slapd: SlapdHandle;
  let gateway: TestGateway;
  let firstImport: any;
  let contacts: any[];

  before(async () => {
    const extra = await writeExtraLdif(messy.ldif);
    folder = extra.folder;
    slapd = await startSlapd({ bulkUsers: 0, sizeLimit: SIZE_LIMIT, extraLdif: extra.file });
    gateway = await startTestGateway(
      { messy: organization(slapd, 'messy') },
      { imports: { pageSize: PAGE_SIZE, batchSize: 16 } },
    );
  });
  after(async () => {
    await gateway?.stop();
    await slapd?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('loads data the directory refuses to return in one plain search', async () => {
    const client = new Client({ url: slapd.url });
    try {
      await client.bind(slapd.serviceDn, slapd.servicePassword);
      await assert.rejects(
        client.search(MESSY_DN, { scope: 'one', filter: PEOPLE_AND_ACCOUNTS, attributes: ['1.1'] }),
        SizeLimitExceededError,
      );
    } finally {
      await client.unbind();
    }
  });

  it('reads every entry in pages, adds each person and skips the nameless as no_name', async () => {
    const id = await startImport(gateway, 'messy');
    firstImport = await waitForImport(gateway, 'messy', id);
    assert.equal(firstImport.status, 'succeeded', JSON.stringify(firstImport));
    const { counts } = messy;
    assert.deepEqual(
      [firstImport.processed, firstImport.added, firstImport.updated, firstImport.removed],
      [COUNT, counts.contacts, 0, 0],
    );
    assert.equal(firstImport.skipped, counts.noName);
    assert.deepEqual(firstImport.skippedReasons, { no_name: counts.noName });
    assert.ok(counts.noName > 0 && counts.contacts > 0);
  });

  it('lists each person exactly once', async () => {
    contacts = await allPages(
      gateway,
      `/v1/orgs/messy/imports/${firstImport.id}/contacts`,
      'contacts',
    );
    assert.equal(contacts.length, people.length);
    for (const field of ['key', 'id', 'dn']) {
      const values = new Set(contacts.map((contact) => contact[field]));
      assert.equal(values.size, contacts.length, `${field} repeats`);
    }
    const ids = new Set(contacts.map((contact) => contact.id));
    assert.deepEqual(ids, new Set(people.map(uidOf)));
  });

  it('gives back every text value byte for byte, whatever case the data spelled it in', () => {
    const byId = new Map(contacts.map((contact) => [contact.id, contact]));
    for (const person of people) {
      const contact = byId.get(uidOf(person));
      for (const name of TEXT_ATTRIBUTES) {
        const expected = texts(person, name);
        const actual: string[] = contact.attributes[name] ?? [];
        // Equal strings from JSON are equal UTF-8: no normalization, trimming or re-encoding.
        assert.deepEqual(actual, expected, `${person.dn}: ${name}`);
      }
    }
  });

  it('names each contact by the DN the data gave it, however slapd escapes it', () => {
    const byId = new Map(contacts.map((contact) => [contact.id, contact]));
    for (const person of people) {
      const { dn } = byId.get(uidOf(person));
      const rdn = firstRdn(dn).map(([name, value]) => [name.toLowerCase(), value]);
      assert.deepEqual(
        rdn,
        person.rdn.map(([name, value]) => [name.toLowerCase(), value]),
        dn,
      );
      assert.ok(dn.toLowerCase().endsWith(`,${MESSY_DN}`), dn);
    }
  });

  it('maps display names, mails and trimmed phone numbers from the messy values', () => {
    const byId = new Map(contacts.map((contact) => [contact.id, contact]));
    const phoneTypes = [
      ['telephoneNumber', 'work'],
      ['mobile', 'mobile'],
      ['homePhone', 'home'],
      ['pager', 'pager'],
    ] as const;
    for (const person of people) {
      const contact = byId.get(uidOf(person));
      const filled = (name: string) =>
        texts(person, name)
          .map((text) => text.trim())
          .filter(Boolean);
      const displayName = filled('displayName')[0] ?? filled('cn')[0];
      assert.equal(contact.displayName, displayName, person.dn);
      assert.deepEqual(contact.emails, filled('mail'), person.dn);
      const phones = phoneTypes.flatMap(([name, type]) =>
        texts(person, name).map((number) => ({ type, number: number.trim() })),
      );
      const written = contact.phones.map(({ type, number }: any) => ({ type, number }));
      assert.deepEqual(written, phones, person.dn);
    }
  });

  it('keeps every photo as base64 of its exact bytes', () => {
    const byId = new Map(contacts.map((contact) => [contact.id, contact]));
    const withPhotos = people.filter((person) => person.attributes.has('jpegPhoto'));
    assert.ok(withPhotos.length > 0);
    for (const person of withPhotos) {
      const photos: string[] = byId.get(uidOf(person)).attributes.jpegPhoto;
      const bytes = photos.map((photo) => Buffer.from(photo, 'base64'));
      assert.deepEqual(bytes, person.attributes.get('jpegPhoto') as LdifValue[], person.dn);
    }
  });

  it('finds nothing to change when the same data is imported again', async () => {
    const id = await startImport(gateway, 'messy');
    const record = await waitForImport(gateway, 'messy', id);
    assert.equal(record.status, 'succeeded', JSON.stringify(record));
    assert.deepEqual(
      [record.processed, record.added, record.updated, record.removed, record.skipped],
      [COUNT, 0, 0, 0, messy.counts.noName],
    );
  });
});

/**
 * People the schema allows at the edges of naming: every name blank (`cn: ' '`, NBSP, U+3000),
 * and names only in language-tagged values (`cn;lang-ja`, which a request for `cn` returns).
 */
describe('importing people whose names are blank or only language-tagged', () => {
  const QUIRKS_DN = 'ou=quirks,dc=ldap,dc=example,dc=com';
  let quirks: MessyDirectory;
  let folder: string;
  let slapd: SlapdHandle;
  let gateway: TestGateway;
  let record: any;
  let contacts: any[];

  before(async () => {
    quirks = generateMessyPeople({
      seed: SEED,
      count: 40,
      parentDn: QUIRKS_DN,
      kinds: ['blank-name', 'tagged-name', 'person'],
    });
    const extra = await writeExtraLdif(quirks.ldif);
    folder = extra.folder;
    slapd = await startSlapd({ bulkUsers: 0, extraLdif: extra.file });
    gateway = await startTestGateway({ quirks: organization(slapd, 'quirks') });
    record = await waitForImport(gateway, 'quirks', await startImport(gateway, 'quirks'));
    assert.equal(record.status, 'succeeded', JSON.stringify(record));
    contacts = await allPages(gateway, `/v1/orgs/quirks/imports/${record.id}/contacts`, 'contacts');
  });
  after(async () => {
    await gateway?.stop();
    await slapd?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const entriesOf = (kind: string) => quirks.entries.filter((entry) => entry.kind === kind);

  it('skips a person whose every name is blank, with reason no_name', () => {
    const byId = new Map(contacts.map((contact) => [contact.id, contact]));
    const blank = entriesOf('blank-name');
    assert.ok(blank.length > 0);
    for (const entry of blank) {
      const contact = byId.get(uidOf(entry));
      const shown = JSON.stringify(contact?.displayName);
      assert.equal(contact, undefined, `${entry.dn}: imported, named ${shown}`);
    }
    assert.ok(record.skippedReasons.no_name >= blank.length, JSON.stringify(record));
  });

  it('imports a person named only in language-tagged cn and sn, under that name', () => {
    const byId = new Map(contacts.map((contact) => [contact.id, contact]));
    const tagged = entriesOf('tagged-name');
    assert.ok(tagged.length > 0);
    for (const entry of tagged) {
      const contact = byId.get(uidOf(entry));
      assert.ok(contact, `${entry.dn} was not imported`);
      assert.equal(contact.displayName, texts(entry, 'cn;lang-ja')[0]);
    }
  });
});
