import { GatewayError } from '../errors.js';
import type { LookupAnswer } from '../lookup/caller-lookup.js';
import type { GatewayApp } from './app.js';
import { checkShape, compileBodySchema } from './request-body.js';

const lookupQuery = compileBodySchema<{ number: string }>({
  type: 'object',
  required: ['number'],
  // A number in any script's digits; letters alone are no number.
  properties: { number: { type: 'string', minLength: 1, maxLength: 64, pattern: '\\p{Nd}' } },
});

/**
 * `GET /v1/orgs/{org}/contacts/lookup?number=`: caller ID. Registered before the routes of
 * single contacts, so `lookup` is never read as a contact id.
 */
export function registerLookupRoutes(app: GatewayApp): void {
  app.get('/v1/orgs/:org/contacts/lookup', async (context) => {
    const { number } = checkShape(context.req.query(), lookupQuery, 'query');
    const answer = await context.get('organization').lookup.find(number);
    if (!answer) throw new GatewayError('contact_not_found', 'no contact has this number');
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
