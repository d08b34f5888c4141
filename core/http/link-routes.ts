import { GatewayError } from '../errors.js';
import { linkByDn, linkByExtension, type ExtensionRequest } from '../links.js';
import type { Link, LinksStore } from '../store/links-store.js';
import type { GatewayApp, GatewayContext } from './app.js';
import {
  checkShape,
  compileBodySchema,
  IDENTIFIER,
  PRINTABLE,
  readJsonBody,
  readLimit,
} from './request-body.js';

const MAX_USERS_PER_REQUEST = 1000;
const DEFAULT_LINKS_PER_PAGE = 1000;
const MAX_LINKS_PER_PAGE = 10000;

const userId = { type: 'string', minLength: 1, maxLength: 256, pattern: IDENTIFIER };

const autoLinkBody = compileBodySchema<{ users: ExtensionRequest[] }>({
  type: 'object',
  required: ['users'],
  properties: {
    users: {
      type: 'array',
      maxItems: MAX_USERS_PER_REQUEST,
      items: {
        type: 'object',
        required: ['userId', 'extension'],
        properties: {
          userId,
          extension: {
            type: 'string',
            minLength: 1,
            maxLength: 64,
            pattern: '^[0-9A-Za-z+*#(). -]+$',
          },
        },
      },
    },
  },
});

const manualLinkBody = compileBodySchema<{ dn: string }>({
  type: 'object',
  required: ['dn'],
  properties: { dn: { type: 'string', minLength: 3, maxLength: 2048, pattern: PRINTABLE } },
});

const userIdParameter = compileBodySchema<string>(userId);

const listQuery = compileBodySchema<{ limit?: string; after?: string }>({
  type: 'object',
  properties: {
    limit: { type: 'string' },
    after: userId,
  },
});

export function registerLinkRoutes(
  app: GatewayApp,
  dependencies: { store: LinksStore; now: () => Date },
): void {
  const { store, now } = dependencies;

  app.post('/v1/orgs/:org/links/auto', async (context) => {
    const { users } = await readJsonBody(context, autoLinkBody);
    refuseDuplicateUsers(users);
    const organization = context.get('organization');
    const deadline = context.get('deadline');
    const result = await linkByExtension(organization, store, users, now, deadline);
    return context.json(result);
  });

  app.get('/v1/orgs/:org/links', (context) => {
    const query = checkShape(context.req.query(), listQuery, 'query');
    const limit = readLimit(query.limit, DEFAULT_LINKS_PER_PAGE, MAX_LINKS_PER_PAGE);
    const links = store.listLinks(context.get('organization').id, { limit, after: query.after });
    const nextAfter = links.length === limit ? links[links.length - 1]!.userId : null;
    return context.json({ links: links.map(present), nextAfter });
  });

  app.put('/v1/orgs/:org/links/:userId', async (context) => {
    const id = readUserId(context);
    const { dn } = await readJsonBody(context, manualLinkBody);
    const organization = context.get('organization');
    const link = await linkByDn(organization, store, id, dn, now, context.get('deadline'));
    return context.json({ link: present(link) });
  });

  app.delete('/v1/orgs/:org/links/:userId', (context) => {
    const id = readUserId(context);
    if (!store.deleteLink(context.get('organization').id, id)) {
      throw new GatewayError('link_not_found', 'this user is not linked');
    }
    return context.body(null, 204);
  });
}

function readUserId(context: GatewayContext): string {
  return checkShape(context.req.param('userId'), userIdParameter, 'userId');
}

function refuseDuplicateUsers(users: ExtensionRequest[]): void {
  const seen = new Set<string>();
  for (const user of users) {
    if (seen.has(user.userId)) {
      throw new GatewayError('invalid_request', `body.users lists userId '${user.userId}' twice`);
    }
    seen.add(user.userId);
  }
}

function present(link: Link): Omit<Link, 'organizationId'> {
  const { organizationId: _organization, ...shown } = link;
  return shown;
}
