import {
  answerChallenge,
  parseChallenge,
  verifyRspauth,
  type DigestCredentials,
} from './digest-md5.js';

/** One SASL authentication (RFC 4422) as a sequence of bind requests on one connection. */
export interface SaslExchange {
  readonly mechanism: string;
  /** Credentials of the first bind request, when the mechanism sends any. */
  initialResponse(): Buffer | string | undefined;
  /** The answer to a challenge the server sent with saslBindInProgress. */
  respond(challenge: Buffer): Buffer | string;
  /** Checks what the server sent with its success, when it sent anything. */
  complete(serverFinal: Buffer | undefined): void;
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
