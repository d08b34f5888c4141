/**
 * The single-contact routes over a recording stand-in for the directory: what each route asks
 * the directory for, and which paths it leaves to other routes. Behaviour against a real
 * directory is in contact-export.test.ts.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';

import { Hono } from 'hono';

import type { DirectoryQuery } from '../../core/directory/directory.js';
import { DirectoryEntry } from '../../core/directory/entry.js';
import { GatewayError } from '../../core/errors.js';
import type { GatewayEnv } from '../../core/http/app.js';
import { registerContactRoutes } from '../../core/http/contact-routes.js';
import { statusOf } from '../../core/http/error-status.js';
import type { Organization } from '../../core/organizations.js';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
const MAPPED = ['uid', 'cn', 'mail', 'telephoneNumber'];

describe('contact routes', () => {
  let searches: DirectoryQuery[];
  let app: Hono<GatewayEnv>;

  beforeEach(() => {
    searches = [];
    const paula = new DirectoryEntry('uid=paula,ou=users,dc=example,dc=com', [
      ['uid', ['paula']],
      ['cn', ['Paula Photo']],
      ['jpegPhoto', [JPEG]],
    ]);
    const organization = {
      id: 'acme',
      settings: { userIdAttribute: 'uid', contacts: { cacheTtlSeconds: 60 } },
      searchBase: 'ou=users,dc=example,dc=com',
      directory: {
        search: async (query: DirectoryQuery) => {
          searches.push(query);
          return [paula];
        },
      },
      mapper: {
        attributes: MAPPED,
        toContact: (entry: DirectoryEntry) => ({
          dn: entry.dn,
          id: entry.first('uid') ?? null,
          displayName: entry.first('cn') ?? entry.dn,
          phones: [],
          emails: [],
          attributes: {},
        }),
      },
    } as unknown as Organization;

    app = new Hono<GatewayEnv>();
    app.use('/v1/orgs/:org/*', async (context, next) => {
      context.set('organization', organization);
      await next();
    });
    registerContactRoutes(app);
    app.notFound((context) => context.json({ error: { code: 'not_found' } }, 404));
    app.onError((error, context) => {
      const code = error instanceof GatewayError ? error.code : 'internal_error';
      return context.json({ error: { code } }, statusOf(code));
    });
  });

  const requested = () => searches.map((search) => search.attributes.map((a) => a.toLowerCase()));

  it('asks for the photo attributes and none of the mapped ones for a photo', async () => {
    const response = await app.request('/v1/orgs/acme/contacts/paula/photo');
    assert.equal(response.status, 200);
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), JPEG);
    const [attributes] = requested();
    assert.ok(attributes!.includes('jpegphoto') && attributes!.includes('thumbnailphoto'));
    for (const name of MAPPED) assert.ok(!attributes!.includes(name.toLowerCase()), name);
    assert.equal(searches[0]!.filter, '(uid=paula)');
  });

  it('asks for the mapped and stable ID attributes, but no photo, for a JSON contact', async () => {
    const response = await app.request('/v1/orgs/acme/contacts/paula');
    assert.equal(response.status, 200);
    const [attributes] = requested();
    for (const name of [...MAPPED, 'entryUUID', 'objectGUID']) {
      assert.ok(attributes!.includes(name.toLowerCase()), name);
    }
    assert.ok(!attributes!.includes('jpegphoto'));
  });

  it('asks for the photo too in the same search for a vCard', async () => {
    const response = await app.request('/v1/orgs/acme/contacts/paula', {
      headers: { accept: 'text/vcard' },
    });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /^PHOTO:data:image\/jpeg;base64,/m);
    assert.equal(searches.length, 1);
    assert.ok(requested()[0]!.includes('jpegphoto'));
  });

  it('leaves /contacts/lookup to the lookup route, without asking the directory', async () => {
    const response = await app.request('/v1/orgs/acme/contacts/lookup?number=101');
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { error: { code: 'not_found' } });
    assert.equal(searches.length, 0);
  });

  it('still serves the photo and other spellings of a person called lookup', async () => {
    assert.equal((await app.request('/v1/orgs/acme/contacts/Lookup')).status, 200);
    assert.equal((await app.request('/v1/orgs/acme/contacts/lookup/photo')).status, 200);
    assert.deepEqual(
      searches.map((search) => search.filter),
      ['(uid=Lookup)', '(uid=lookup)'],
    );
  });
});
