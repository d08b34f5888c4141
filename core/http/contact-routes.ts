import type { GatewayApp } from './app.js';
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

const MAX_LIMIT = 1000;

export function registerContactRoutes(app: GatewayApp): void {
  app.get('/v1/orgs/:org/contacts', async (context) => {
    const query = checkShape(context.req.query(), contactQuery, 'query');
    const organization = context.get('organization');
    const limit = readLimit(query.limit, organization.settings.contacts.defaultLimit, MAX_LIMIT);
    const page = await organization.contacts.page({
      query: query.q ?? '',
      limit,
      cursor: query.cursor,
    });
    return context.body(page.json, 200, { 'content-type': 'application/json; charset=UTF-8' });
  });
}
