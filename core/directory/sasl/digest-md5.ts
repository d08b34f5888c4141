import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import { GatewayError } from '../../errors.js';

/** What the server's first message says (RFC 2831 section 2.1.1). */
export interface DigestChallenge {
  realms: string[];
  nonce: string;
  qop: string[];
  charset: string | undefined;
  algorithm: string;
}

export interface DigestCredentials {
  username: string;
  password: string;
  /** The realm to use; when empty, the first one the server offers (or none). */
  realm: string;
  /** `ldap/<server host>`: Active Directory insists it names the domain controller. */
  digestUri: string;
}

export interface DigestAnswer {
  /** The client's response to send in the second bind. */
  response: string;
  /** The rspauth value a genuine server returns in its final answer. */
  expectedRspauth: string;
}

/**
 * Parses a DIGEST-MD5 challenge. Anything that does not follow RFC 2831 (no nonce, several
 * nonces, an algorithm other than md5-sess, no `auth` quality of protection) is refused: a
 * challenge is the one thing in this exchange an attacker on the path can shape.
 */
export function parseChallenge(text: string): DigestChallenge {
  const pairs = parsePairs(text);
  const all = (key: string) => pairs.filter(([name]) => name === key).map(([, value]) => value);
  const single = (key: string): string | undefined => {
    const values = all(key);
    if (values.length > 1) throw malformed(`the challenge repeats ${key}`);
    return values[0];
  };

  const nonce = single('nonce');
  if (!nonce) throw malformed('the challenge has no nonce');
  const algorithm = single('algorithm');
  if (algorithm !== 'md5-sess') throw malformed('the challenge does not ask for md5-sess');
  const qop = (single('qop') ?? 'auth').split(',').map((option) => option.trim());
  if (!qop.includes('auth')) throw malformed('the server does not offer qop=auth');
  return { realms: all('realm'), nonce, qop, charset: single('charset'), algorithm };
}

/** Computes the client's response to a challenge (RFC 2831 section 2.1.2, qop=auth). */
export function answerChallenge(
  challenge: DigestChallenge,
  credentials: DigestCredentials,
  cnonce = randomBytes(16).toString('base64'),
): DigestAnswer {
  const realm = credentials.realm || challenge.realms[0] || '';
  const utf8 = challenge.charset?.toLowerCase() === 'utf-8';
  const nc = '00000001';
  const secret = md5(
    encodeForHash(`${credentials.username}:${realm}:${credentials.password}`, utf8),
  );
  const a1 = Buffer.concat([secret, Buffer.from(`:${challenge.nonce}:${cnonce}`)]);
  const digestOf = (a2: string) =>
    md5Hex(`${md5Hex(a1)}:${challenge.nonce}:${nc}:${cnonce}:auth:${md5Hex(a2)}`);

  const fields = [
    `username=${quote(credentials.username)}`,
    ...(realm ? [`realm=${quote(realm)}`] : []),
    `nonce=${quote(challenge.nonce)}`,
    `cnonce=${quote(cnonce)}`,
    `nc=${nc}`,
    'qop=auth',
    `digest-uri=${quote(credentials.digestUri)}`,
    `response=${digestOf(`AUTHENTICATE:${credentials.digestUri}`)}`,
    ...(utf8 ? ['charset=utf-8'] : []),
  ];
  return { response: fields.join(','), expectedRspauth: digestOf(`:${credentials.digestUri}`) };
}

/**
 * Checks the server's final `rspauth=...`: it proves the server knew the password too, so a
 * server that only pretends to be the directory is caught.
 */
export function verifyRspauth(serverFinal: string, expected: string): void {
  const value = parsePairs(serverFinal).find(([name]) => name === 'rspauth')?.[1] ?? '';
  const matches =
    value.length === expected.length && timingSafeEqual(Buffer.from(value), Buffer.from(expected));
  if (!matches) {
    throw new GatewayError(
      'sasl_server_unverified',
      'the directory could not prove it knows the password (DIGEST-MD5 rspauth)',
    );
  }
}

function md5(data: Buffer): Buffer {
  return createHash('md5').update(data).digest();
}

/** HEX(H(data)) of RFC 2831. */
function md5Hex(data: Buffer | string): string {
  return md5(typeof data === 'string' ? Buffer.from(data, 'utf8') : data).toString('hex');
}

/**
 * RFC 2831 section 2.1.2.1: with charset=utf-8, user name, realm and password are hashed in
 * ISO 8859-1 when every character fits there, and in UTF-8 otherwise.
 */
function encodeForHash(text: string, utf8: boolean): Buffer {
  if (utf8 && /^[\u0000-\u00ff]*$/.test(text)) return Buffer.from(text, 'latin1');
  return Buffer.from(text, utf8 ? 'utf8' : 'latin1');
}

function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (character) => `\\${character}`)}"`;
}

/** `key=value` and `key="quoted, \"escaped\" value"` pairs separated by commas. */
function parsePairs(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const pattern = /\s*([A-Za-z0-9-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,"\s]*))\s*(?:,|$)/gy;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < text.length && (match = pattern.exec(text)) !== null) {
    const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '');
    pairs.push([match[1]!.toLowerCase(), value]);
  }
  if (pattern.lastIndex < text.length && text.slice(pattern.lastIndex).trim() !== '') {
    throw malformed('the challenge is not a list of key=value pairs');
  }
  return pairs;
}

function malformed(reason: string): GatewayError {
  return new GatewayError('sasl_challenge_invalid', `DIGEST-MD5: ${reason}`);
}
