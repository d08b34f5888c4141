import {
  answerChallenge,
  parseChallenge,
  verifyRspauth,
  type DigestCredentials,
} from './digest-md5.js';

type Credentials = Buffer | string | undefined;

/** One SASL authentication (RFC 4422) as a sequence of bind requests on one connection. */
export interface SaslExchange {
  readonly mechanism: string;
  /** Credentials of the first bind request, when the mechanism sends any. */
  initialResponse(): Credentials | Promise<Credentials>;
  /** The answer to a challenge the server sent with saslBindInProgress. */
  respond(challenge: Buffer): Credentials | Promise<Credentials>;
  /** Checks what the server sent with its success, when it sent anything. */
  complete(serverFinal: Buffer | undefined): void | Promise<void>;
}

/** The GSS-API calls a GSSAPI exchange needs, tokens in base64 as the kerberos package has them. */
export interface GssInitiator {
  /** The next token; empty or null once the context is established. */
  step(challenge: string): Promise<string | null>;
  unwrap(challenge: string): Promise<string>;
  wrap(message: string): Promise<string>;
}

/**
 * GSSAPI (RFC 4752): context tokens until the context is established, then the server's
 * security-layer offer, answered with "no security layer" (TLS protects the connection where
 * that matters) and no authorization identity.
 */
export function gssapiExchange(initiator: GssInitiator): SaslExchange {
  let established = false;
  return {
    mechanism: 'GSSAPI',
    initialResponse: async () => Buffer.from((await initiator.step('')) ?? '', 'base64'),
    async respond(challenge) {
      if (!established) {
        const token = (await initiator.step(challenge.toString('base64'))) ?? '';
        // An empty token from step() means the context is complete; the server answers an
        // empty message with its wrapped security-layer offer.
        established = token.length === 0;
        return Buffer.from(token, 'base64');
      }
      // Unwrapping proves the offer came from the server the ticket was for.
      await initiator.unwrap(challenge.toString('base64'));
      const noSecurityLayer = Buffer.from([0x01, 0x00, 0x00, 0x00]).toString('base64');
      return Buffer.from(await initiator.wrap(noSecurityLayer), 'base64');
    },
    complete: () => {},
  };
}

/** DIGEST-MD5 (RFC 2831): no initial response, one challenge, rspauth checked when present. */
export function digestMd5Exchange(credentials: DigestCredentials): SaslExchange {
  let expectedRspauth: string | undefined;
  return {
    mechanism: 'DIGEST-MD5',
    initialResponse: () => undefined,
    respond(challenge) {
      const answer = answerChallenge(parseChallenge(challenge.toString('utf8')), credentials);
      expectedRspauth = answer.expectedRspauth;
      return answer.response;
    },
    complete(serverFinal) {
      if (!serverFinal || serverFinal.length === 0) return;
      if (!expectedRspauth) return;
      verifyRspauth(serverFinal.toString('utf8'), expectedRspauth);
    },
  };
}
