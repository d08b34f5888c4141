/**
 * One contact, its photo, and the contact list as vCards, against a real OpenLDAP loaded with
 * test/fixtures/directory.ldif, bulk users, and a few people of this file's own (photos in
 * other formats, and someone whose uid is `lookup`).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  fixtureOrganization,
  startTestGateway,
  TEST_TOKEN,
  type TestGateway,
} from '../support/gateway.js';
import { generateMessyPeople } from '../../scripts/messy-data/messy-people.js';
import { startImport, waitForImport } from '../support/imports.js';
import { startSlapd, type SlapdHandle } from '../support/slapd.js';
import { readVCards, type ReadCard } from '../vcard/strict-vcard.js';

const BULK_USERS = 120;
/** paula's jpegPhoto in test/fixtures/directory.ldif. */
const PAULA_PHOTO = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD//oDDKMCv7aCACzBVep/E6Q4zWH2ix+wRNluApc' +
    'rvFDleg6jN8hc8YYar0PUaP2SJrtP4HUJnjLHW+yBFao+02f4jSG2St9wBJv/Z',
  'base64',
);
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489',
  'hex',
);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
const OPAQUE = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x81, 0x0d, 0x0a, 0x3c, 0x68, 0x3e]);

/** People of this test, under the fixture's ou=users. */
function extraPeople(): string {
  const person = (uid: string, cn: string, photo?: Buffer) =>
    [
      `dn: uid=${uid},ou=users,dc=ldap,dc=example,dc=com`,
      'objectClass: inetOrgPerson',
      `uid: ${uid}`,
      `cn: ${cn}`,
      `sn: ${cn.split(' ').pop()}`,
      ...(photo ? [`jpegPhoto:: ${photo.toString('base64')}`] : []),
      '',
    ].join('\n');
  return [
    person('lookup', 'Lou Kup'),
    person('pia', 'Pia Png', PNG),
    person('gina', 'Gina Gif', GIF),
    person('otto', 'Otto Opaque', OPAQUE),
  ].join('\n');
}

const VCARD = { accept: 'text/vcard' };

/** Hostile people under ou=messy: odd names, DN metacharacters in uids, photos, UTF-8. */
const MESSY = generateMessyPeople({
  seed: 11,
  count: 120,
  parentDn: 'ou=messy,dc=ldap,dc=example,dc=com',
  kinds: ['person', 'tagged-name', 'blank-name'],
});

describe('single contacts, photos and vCard export against OpenLDAP', () => {
  let slapd: SlapdHandle;
  let gateway: TestGateway;
  let folder: string;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ldap-gateway-vcard-'));
    const extraLdif = join(folder, 'people.ldif');
    await writeFile(extraLdif, `${extraPeople()}\n${MESSY.ldif}`, 'utf8');
    slapd = await startSlapd({ bulkUsers: BULK_USERS, extraLdif });
    const attributes = 'cn,sn,givenName,mail,telephoneNumber,mobile,homePhone,jpegPhoto';
    gateway = await startTestGateway({
      acme: fixtureOrganization(slapd, { attributes, defaultCountry: 'US' }),
      plain: fixtureOrganization(slapd, { attributes: 'cn,mail' }),
      small: fixtureOrganization(slapd, { contacts: { maxResults: 5 } }),
      bymail: fixtureOrganization(slapd, { userIdAttribute: 'mail' }),
      nocache: fixtureOrganization(slapd, { contacts: { cacheTtlSeconds: 0 } }),
      imported: fixtureOrganization(slapd, { contacts: { source: 'imported' } }),
      messy: fixtureOrganization(slapd, {
        organizationUnit: 'messy',
        attributes: 'cn,sn,givenName,displayName,mail,title,telephoneNumber,mobile,jpegPhoto',
        defaultCountry: 'US',
      }),
    });
  });
  after(async () => {
    await gateway?.stop();
    await slapd?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const get = (path: string, headers: Record<string, string> = {}, org = 'acme') =>
    gateway.request('GET', `/v1/orgs/${org}${path}`, undefined, headers);

  /** The one card of a vCard response, after checking its content type. */
  function oneCard(response: { status: number; text: string; headers: Headers }): ReadCard {
    assert.equal(response.status, 200, response.text);
    assert.equal(response.headers.get('content-type'), 'text/vcard; charset=utf-8');
    const cards = readVCards(response.text);
    assert.equal(cards.length, 1);
    return cards[0]!;
  }

  describe('GET /contacts/{id}', () => {
    it('answers the contact as the list shows it, with its stable key', async () => {
      const response = await get('/contacts/alice');
      assert.equal(response.status, 200, response.text);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(response.headers.get('vary'), 'Accept');
      const { contact } = response.body;
      assert.match(
        contact.key,
        /^uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
      const listed = await get('/contacts?q=alice');
      assert.deepEqual(contact, listed.body.contacts[0]);
      assert.equal(contact.dn, 'uid=alice,ou=users,dc=ldap,dc=example,dc=com');
    });

    it('answers a vCard with the same person in it when asked for text/vcard', async () => {
      const json = (await get('/contacts/alice')).body.contact;
      const card = oneCard(await get('/contacts/alice', VCARD));
      assert.equal(card.fn, 'Alice Anderson');
      assert.deepEqual(card.n, ['Anderson', 'Alice', '', '', '']);
      assert.equal(card.uid, `urn:uuid:${json.key.slice('uuid:'.length)}`);
      assert.deepEqual(card.emails, ['alice@example.com']);
      assert.deepEqual(
        card.tels.map((tel) => [tel.types.join(','), tel.uri ?? tel.text]),
        json.phones.map((phone: { type: string; number: string; e164?: string }) => [
          phone.type === 'mobile' ? 'cell' : 'work,voice',
          phone.e164 ? `tel:${phone.e164}` : phone.number,
        ]),
      );
      assert.equal(card.photo, undefined);
    });

    it('writes non-ASCII names and escapes a comma in a name', async () => {
      const jose = oneCard(await get('/contacts/jose', VCARD));
      assert.deepEqual(
        [jose.fn, jose.n],
        ['José Müller-Øster', ['Müller-Øster', 'José', '', '', '']],
      );
      const jane = await get('/contacts/jdoe', VCARD);
      assert.match(jane.text, /^FN:Doe\\, Jane\r$/m);
      assert.equal(oneCard(jane).fn, 'Doe, Jane');
    });

    it('embeds the photo in the vCard, even when the organization does not serve it', async () => {
      for (const org of ['acme', 'plain']) {
        const card = oneCard(await get('/contacts/paula', VCARD, org));
        assert.deepEqual(card.photo, { mediaType: 'image/jpeg', bytes: PAULA_PHOTO }, org);
      }
      const json = await get('/contacts/paula', {}, 'plain');
      assert.equal(json.body.contact.attributes.jpegPhoto, undefined);
    });

    it('finds an ID holding filter metacharacters as it is', async () => {
      const response = await get(`/contacts/${encodeURIComponent('star*user')}`);
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.contact.displayName, 'Star (Test) User');
    });

    // [path, organization, status, code, why]
    const failures: Array<[string, string, number, string, string]> = [
      ['/contacts/nobody', 'acme', 404, 'contact_not_found', 'an unknown ID'],
      ['/contacts/s*', 'acme', 404, 'contact_not_found', 'a wildcard, which is no ID'],
      ['/contacts/alice%2Fbob', 'acme', 404, 'contact_not_found', 'an ID with a slash'],
      ['/contacts/carl', 'acme', 404, 'contact_not_found', 'a person outside the unit'],
      ['/contacts/a%00b', 'acme', 400, 'invalid_request', 'a NUL in the ID'],
      [`/contacts/${'x'.repeat(300)}`, 'acme', 400, 'invalid_request', 'an overlong ID'],
      [
        '/contacts/frontdesk@example.com',
        'bymail',
        409,
        'ambiguous_user',
        'an ID two people share',
      ],
    ];
    for (const [path, org, status, code, why] of failures) {
      for (const accept of ['application/json', 'text/vcard']) {
        it(`answers ${status} ${code} for ${why} (${accept})`, async () => {
          const response = await get(path, { accept }, org);
          assert.equal(response.status, status, response.text);
          assert.equal(response.body.error.code, code);
        });
      }
    }

    // [Accept, vCard expected]
    const negotiation: Array<[string | undefined, boolean]> = [
      [undefined, false],
      ['*/*', false],
      ['application/json', false],
      ['text/vcard', true],
      ['text/vcard;q=0.9, application/json;q=0.8', true],
      ['application/json, text/vcard', false],
      ['text/html', false],
    ];
    for (const [accept, vcard] of negotiation) {
      it(`answers ${vcard ? 'a vCard' : 'JSON'} for Accept: ${accept ?? '(none)'}`, async () => {
        const response = await get('/contacts/bob', accept === undefined ? {} : { accept });
        assert.equal(response.status, 200, response.text);
        const type = response.headers.get('content-type') ?? '';
        assert.equal(type.startsWith('text/vcard'), vcard, type);
        assert.equal(response.headers.get('vary'), 'Accept');
      });
    }
  });

  describe('GET /contacts/lookup', () => {
    it('is never answered as the contact whose uid is lookup', async () => {
      for (const path of ['/contacts/lookup', '/contacts/lookup?number=101']) {
        for (const headers of [{}, VCARD]) {
          const response = await get(path, headers);
          assert.doesNotMatch(response.text, /uid=lookup|Lou Kup/, `${path}: ${response.text}`);
          assert.notEqual(response.headers.get('content-type'), 'text/vcard; charset=utf-8');
        }
      }
    });

    it('leaves the photo of the person called lookup reachable', async () => {
      const response = await get('/contacts/lookup/photo');
      assert.equal(response.status, 404);
      assert.equal(response.body.error.code, 'photo_not_found');
    });
  });

  describe('GET /contacts/{id}/photo', () => {
    it('answers the jpegPhoto byte for byte, with a strong ETag and private caching', async () => {
      const response = await fetch(`${gateway.url}/v1/orgs/acme/contacts/paula/photo`, {
        headers: { authorization: `Bearer ${TEST_TOKEN}` },
      });
      assert.equal(response.status, 200);
      assert.deepEqual(Buffer.from(await response.arrayBuffer()), PAULA_PHOTO);
      assert.equal(response.headers.get('content-type'), 'image/jpeg');
      assert.match(response.headers.get('etag') ?? '', /^"[A-Za-z0-9_-]{43}"$/);
      assert.equal(response.headers.get('cache-control'), 'private, max-age=60');
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    });

    // [uid, content type, bytes]
    const formats: Array<[string, string, Buffer]> = [
      ['pia', 'image/png', PNG],
      ['gina', 'image/gif', GIF],
      ['otto', 'application/octet-stream', OPAQUE],
    ];
    for (const [uid, type, bytes] of formats) {
      it(`serves ${type} for bytes that show it`, async () => {
        const response = await fetch(`${gateway.url}/v1/orgs/acme/contacts/${uid}/photo`, {
          headers: { authorization: `Bearer ${TEST_TOKEN}` },
        });
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('content-type'), type);
        assert.deepEqual(Buffer.from(await response.arrayBuffer()), bytes);
      });
    }

    it('answers 304 without a body for a matching If-None-Match, and 200 otherwise', async () => {
      const first = await get('/contacts/paula/photo');
      const etag = first.headers.get('etag')!;
      for (const header of [etag, `W/${etag}`, `"stale", ${etag}`, '*']) {
        const again = await get('/contacts/paula/photo', { 'if-none-match': header });
        assert.equal(again.status, 304, header);
        assert.equal(again.text, '');
        assert.equal(again.headers.get('etag'), etag);
        assert.equal(again.headers.get('cache-control'), 'private, max-age=60');
      }
      const changed = await get('/contacts/paula/photo', { 'if-none-match': '"stale"' });
      assert.equal(changed.status, 200);
    });

    it('gives the same ETag for the same bytes from another organization', async () => {
      const [acme, plain] = await Promise.all([
        get('/contacts/paula/photo'),
        get('/contacts/paula/photo', {}, 'plain'),
      ]);
      assert.equal(acme.headers.get('etag'), plain.headers.get('etag'));
    });

    it('asks caches to check again when the organization caches nothing', async () => {
      const response = await get('/contacts/paula/photo', {}, 'nocache');
      assert.equal(response.headers.get('cache-control'), 'private, no-cache');
    });

    // [path, status, code, why]
    const failures: Array<[string, number, string, string]> = [
      ['/contacts/alice/photo', 404, 'photo_not_found', 'a person without a photo'],
      ['/contacts/nobody/photo', 404, 'contact_not_found', 'an unknown ID'],
    ];
    for (const [path, status, code, why] of failures) {
      it(`answers ${status} ${code} for ${why}`, async () => {
        const response = await get(path, { 'if-none-match': '*' });
        assert.equal(response.status, status, response.text);
        assert.equal(response.body.error.code, code);
      });
    }

    it('answers 409 ambiguous_user for an ID two people share', async () => {
      const response = await get('/contacts/frontdesk@example.com/photo', {}, 'bymail');
      assert.equal(response.status, 409);
      assert.equal(response.body.error.code, 'ambiguous_user');
    });
  });

  describe('messy directory data', () => {
    it('exports every person as a strict vCard, in the order of the JSON list', async () => {
      const cards = readVCards((await get('/contacts', VCARD, 'messy')).text);
      const json = (await get('/contacts?limit=1000', {}, 'messy')).body.contacts;
      assert.equal(cards.length, MESSY.entries.length);
      assert.deepEqual(
        cards.map((card) => [card.fn, card.uid]),
        json.map((contact: { displayName: string; key: string }) => [
          contact.displayName,
          `urn:uuid:${contact.key.slice('uuid:'.length)}`,
        ]),
      );
    });

    it('finds each person by a uid full of metacharacters, as the list shows them', async () => {
      const listed = readVCards((await get('/contacts', VCARD, 'messy')).text);
      const byUid = new Map(listed.map((card) => [card.uid, card]));
      for (const entry of MESSY.entries) {
        const uid = entry.attributes.get('uid')![0] as string;
        const response = await get(`/contacts/${encodeURIComponent(uid)}`, VCARD, 'messy');
        const card = oneCard(response);
        assert.deepEqual(card, byUid.get(card.uid), uid);
        const photo = entry.attributes.get('jpegPhoto')?.[0];
        assert.deepEqual(card.photo?.bytes, photo, uid);
      }
    });
  });

  describe('GET /contacts with Accept: text/vcard', () => {
    it('exports every match, not one page, in the order of the JSON pages', async () => {
      const response = await get('/contacts?q=Bulk%20User&limit=10', VCARD);
      assert.equal(response.status, 200, response.text);
      assert.equal(response.headers.get('content-type'), 'text/vcard; charset=utf-8');
      assert.equal(response.headers.get('contacts-truncated'), 'false');
      const cards = readVCards(response.text);
      assert.equal(cards.length, BULK_USERS);
      const page = await get('/contacts?q=Bulk%20User&limit=1000');
      assert.deepEqual(
        cards.map((card) => card.fn),
        page.body.contacts.map((contact: { displayName: string }) => contact.displayName),
      );
    });

    it('keeps JSON, paged as before, as the default', async () => {
      const response = await get('/contacts?q=Bulk%20User');
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(response.body.contacts.length, 50);
      assert.equal(typeof response.body.nextCursor, 'string');
      assert.equal(response.body.truncated, false);
    });

    it('stops at contacts.maxResults and says the list is truncated', async () => {
      const response = await get('/contacts?q=Bulk', VCARD, 'small');
      assert.equal(response.headers.get('contacts-truncated'), 'true');
      assert.equal(readVCards(response.text).length, 5);
    });

    it('embeds the photos the organization serves', async () => {
      const cards = readVCards((await get('/contacts?q=paula', VCARD)).text);
      assert.deepEqual(cards[0]!.photo, { mediaType: 'image/jpeg', bytes: PAULA_PHOTO });
      const plain = readVCards((await get('/contacts?q=paula', VCARD, 'plain')).text);
      assert.equal(plain[0]!.photo, undefined);
    });

    it('exports no card for a query that finds nobody', async () => {
      const response = await get('/contacts?q=nobody-at-all', VCARD);
      assert.equal(response.status, 200);
      assert.equal(response.text, '');
    });

    it('still checks the query', async () => {
      const response = await get('/contacts?q=a%00b', VCARD);
      assert.equal(response.status, 400);
      assert.equal(response.body.error.code, 'invalid_request');
    });

    it('gives each contact the UID of its single export, live or imported', async () => {
      const id = await startImport(gateway, 'imported');
      assert.equal((await waitForImport(gateway, 'imported', id)).status, 'succeeded');
      for (const org of ['acme', 'imported']) {
        const listed = readVCards((await get('/contacts?q=alice', VCARD, org)).text);
        const single = oneCard(await get('/contacts/alice', VCARD, org));
        assert.equal(listed.length, 1);
        assert.match(single.uid ?? '', /^urn:uuid:/);
        assert.equal(listed[0]!.uid, single.uid, org);
      }
    });
  });
});
