import { GatewayError } from '../errors.js';
import type { LookupAnswer } from '../lookup/caller-lookup.js';
import type { GatewayApp } from './app.js';
import { presetErrorResponse } from './error-status.js';
import { checkShape, compileBodySchema } from './request-body.js';

const LOOKUP_ROUTE = '/v1/orgs/:org/contacts/lookup';
const notFound = presetErrorResponse(
  new GatewayError('contact_not_found', 'no contact has this number'),
);

const lookupQuery = compileBodySchema<{ number: string }>({
  type: 'object',
  required: ['number'],
  // A number in any script's digits; letters alone are no number.
  properties: { number: { type: 'string', minLength: 1, maxLength: 64, pattern: '\\p{Nd}' } },
});

/**
 * `GET /v1/orgs/{org}/contacts/lookup?number=`: caller ID. Registered before the routes of
 * single contacts, on their pattern: hono's fastest router (RegExpRouter) cannot hold a fixed
 * segment and a parameter at the same place, so this handler takes the id `lookup` and passes
 * every other id on.
 */
export function registerLookupRoutes(app: GatewayApp): void {
  app.get('/v1/orgs/:org/contacts/:id', async (context, next) => {
    if (context.req.param('id') !== 'lookup') return next();
    context.set('route', LOOKUP_ROUTE);
    const query = { number: context.req.query('number') };
    const { number } = checkShape(query, lookupQuery, 'query');
    const found = context.get('organization').lookup.find(number);
    // Most lookups are answered at once: no turn of the event loop for them.
    const answer = found instanceof Promise ? await found : found;
    // Answered, not thrown: a quarter of a softphone's lookups may find nobody.
    if (!answer) return notFound(context);
    return context.body(render(number, answer), 200, {
      'content-type': 'application/json; charset=UTF-8',
    });
  });
}

/**
 * The answer as JSON, built around the contacts' stored JSON text rather than parsing and
 * serializing it again: a softphone asks on every incoming call.
 */
function render(number: string, answer: LookupAnswer): string {
  const [best] = answer.found;
  const ambiguous = answer.found.length > 1;
  const normalized = JSON.stringify(answer.caller.e164 ?? null);
  const head =
    `{"number":${JSON.stringify(number)},"normalized":${normalized},` +
    `"match":"${answer.kind}","ambiguous":${ambiguous}`;
  if (!ambiguous) {
    return `${head},"contact":${best!.contact},"phone":${JSON.stringify(best!.phone)}}`;
  }
  const candidates = answer.found.map(
    (found) => `{"contact":${found.contact},"phone":${JSON.stringify(found.phone)}}`,
  );
  return `${head},"contact":null,"phone":null,"candidates":[${candidates.join(',')}]}`;
}
