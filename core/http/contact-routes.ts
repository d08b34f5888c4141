import { uniqueIgnoringCase } from '../attribute-names.js';
import type { DirectoryEntry } from '../directory/entry.js';
import { GatewayError } from '../errors.js';
import { contactAttributes, keyedContactOf } from '../keyed-contact.js';
import type { Organization } from '../organizations.js';
import { matchesIfNoneMatch, strongEtagOf } from '../photos/etag.js';
import { PHOTO_ATTRIBUTES, photoOf } from '../photos/person-photo.js';
import { createUserDirectory } from '../user-directory.js';
import { prefersVCard } from '../vcard/accept.js';
import { toVCard, VCARD_CONTENT_TYPE } from '../vcard/vcard.js';
import type { GatewayApp, GatewayContext } from './app.js';
import { checkShape, compileBodySchema, PRINTABLE, readLimit } from './request-body.js';

interface ContactQuery {
  q?: string;
  limit?: string;
  cursor?: string;
}

const contactQuery = compileBodySchema<ContactQuery>({
  type: 'object',
  properties: {
    q: { type: 'string', maxLength: 256, pattern: PRINTABLE },
    limit: { type: 'string' },
    cursor: { type: 'string', maxLength: 2048, pattern: '^[A-Za-z0-9_-]+$' },
  },
});

/** A user ID as the sign-in route takes it. */
const contactId = compileBodySchema<string>({
  type: 'string',
  minLength: 1,
  maxLength: 256,
  pattern: PRINTABLE,
});

const MAX_LIMIT = 1000;

/** Path segments after /contacts/ that name other routes (registered before these), not IDs. */
const RESERVED_IDS = new Set(['lookup']);

/** These answers depend on the Accept header, so caches must key on it. */
const VARY = { vary: 'Accept' };
const VCARD_HEADERS = { 'content-type': VCARD_CONTENT_TYPE, ...VARY };

export function registerContactRoutes(app: GatewayApp): void {
  app.get('/v1/orgs/:org/contacts', async (context) => {
    const query = checkShape(context.req.query(), contactQuery, 'query');
    const organization = context.get('organization');
    if (prefersVCard(context.req.header('accept'))) {
      return exportContacts(context, organization, query.q ?? '');
    }
    const limit = readLimit(query.limit, organization.settings.contacts.defaultLimit, MAX_LIMIT);
    const page = await organization.contacts.page({
      query: query.q ?? '',
      limit,
      cursor: query.cursor,
    });
    return context.body(page.json, 200, {
      'content-type': 'application/json; charset=UTF-8',
      ...VARY,
    });
  });

  app.get('/v1/orgs/:org/contacts/:id', async (context, next) => {
    // Leaves .../contacts/lookup to its own route; should that be missing, it is a 404.
    if (RESERVED_IDS.has(context.req.param('id'))) return next();
    const id = readId(context);
    const organization = context.get('organization');
    const vcard = prefersVCard(context.req.header('accept'));
    // A vCard embeds the photo: one search reads it with the rest.
    const attributes = contactAttributes(organization.mapper);
    const wanted = vcard ? [...attributes, ...PHOTO_ATTRIBUTES] : attributes;
    const entry = await findPerson(organization, id, wanted);
    // Keyed as lists and imports key it, so clients can tell the person again.
    const contact = keyedContactOf(entry, organization.mapper);
    if (vcard) return context.body(toVCard(contact, { photo: photoOf(entry) }), 200, VCARD_HEADERS);
    return context.json({ contact }, 200, VARY);
  });

  app.get('/v1/orgs/:org/contacts/:id/photo', async (context) => {
    const organization = context.get('organization');
    // Photos can be large: this search asks for nothing else.
    const entry = await findPerson(organization, readId(context), PHOTO_ATTRIBUTES);
    const photo = photoOf(entry);
    if (!photo) throw new GatewayError('photo_not_found', 'this person has no photo');

    const etag = strongEtagOf(photo.bytes);
    const headers = { etag, 'cache-control': photoCacheControl(organization) };
    if (matchesIfNoneMatch(context.req.header('if-none-match'), etag)) {
      return context.body(null, 304, headers);
    }
    // A Buffer may, by its type, sit on shared memory, which a web body must not: copy it.
    return context.body(new Uint8Array(photo.bytes), 200, {
      ...headers,
      'content-type': photo.mediaType,
      // The bytes come from the directory: a browser must not guess them to be HTML.
      'x-content-type-options': 'nosniff',
    });
  });
}

/** Every contact the query finds, up to contacts.maxResults, as consecutive vCards. */
async function exportContacts(context: GatewayContext, organization: Organization, q: string) {
  const { contacts, truncated } = await organization.contacts.all(q);
  const body = contacts.map((contact) => toVCard(contact)).join('');
  return context.body(body, 200, { ...VCARD_HEADERS, 'contacts-truncated': String(truncated) });
}

function readId(context: GatewayContext): string {
  return checkShape(context.req.param('id'), contactId, 'id');
}

/**
 * The one person whose user ID attribute is `id`, read with `attributes`, by the search sign-in
 * uses (so IDs mean the same in both); nobody is contact_not_found here, not a failed sign-in.
 */
async function findPerson(
  organization: Organization,
  id: string,
  attributes: readonly string[],
): Promise<DirectoryEntry> {
  const { directory, settings, searchBase } = organization;
  const users = createUserDirectory(
    directory,
    settings,
    searchBase,
    uniqueIgnoringCase(attributes),
  );
  try {
    return await users.findUser(id);
  } catch (error) {
    if (error instanceof GatewayError && error.code === 'invalid_credentials') {
      throw new GatewayError('contact_not_found', `no person has this ${settings.userIdAttribute}`);
    }
    throw error;
  }
}

/** Private: photos are personal data. Fresh as long as the organization caches contacts. */
function photoCacheControl(organization: Organization): string {
  const seconds = organization.settings.contacts.cacheTtlSeconds;
  return seconds > 0 ? `private, max-age=${seconds}` : 'private, no-cache';
}
