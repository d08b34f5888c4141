import { hash, timingSafeEqual } from 'node:crypto';

import type { ApiToken } from '../../config/types.js';
import { GatewayError } from '../errors.js';

export interface Caller {
  /** The token's name, for logs; never the token. */
  name: string;
  mayUse(organizationId: string): boolean;
}

/**
 * Checks bearer tokens. Tokens are compared as SHA-256 digests with timingSafeEqual, so
 * neither a token's length nor its content shows in the response time.
 */
export function createTokenChecker(tokens: ApiToken[]): (header: string | undefined) => Caller {
  const known = tokens.map((token) => {
    const organizations = new Set(token.organizations);
    const caller: Caller = {
      name: token.name,
      mayUse: (id) => organizations.has('*') || organizations.has(id),
    };
    return { digest: digestOf(token.token), caller };
  });
  return (header) => {
    const presented = /^Bearer +(\S+) *$/i.exec(header ?? '')?.[1];
    if (!presented) {
      throw new GatewayError('unauthorized', 'send Authorization: Bearer <token>');
    }
    const digest = digestOf(presented);
    const match = known.find((token) => timingSafeEqual(token.digest, digest));
    if (!match) throw new GatewayError('unauthorized', 'the bearer token is not valid');
    return match.caller;
  };
}

function digestOf(token: string): Buffer {
  // One call, no Hash object: this runs for every request.
  return hash('sha256', token, 'buffer') as unknown as Buffer;
}
