import { Client, ResultCodeError, SaslBindInProgressError, type Entry } from 'ldapts';

import {
  answerChallenge,
  parseChallenge,
  verifyRspauth,
  type DigestCredentials,
} from '../../core/directory/sasl/digest-md5.js';
import type { SlapdHandle } from '../../test/support/slapd.js';
import { BarePool } from './bare-pool.js';
import { findByUid, type BareSignIn, type UserSearch } from './bare-sign-in.js';

/** Result codes of a refused DIGEST-MD5 bind: OpenLDAP answers `other` for an unknown user. */
const REJECTED = new Set([49, 80]);

/**
 * Search-then-bind with SASL DIGEST-MD5 (RFC 2831) on plain ldapts clients: service clients
 * bound once with DIGEST-MD5, then per sign-in a search and a two-step bind on a user client.
 * The response is computed by the gateway's own pure functions (digest-md5.ts): the figure
 * measures the layers around the exchange, not a second implementation of it.
 */
export class BareDigestMd5SignIn implements BareSignIn {
  readonly #service: BarePool;
  readonly #users: BarePool;
  readonly #search: UserSearch;
  readonly #digestUri: string;

  private constructor(service: BarePool, users: BarePool, search: UserSearch, digestUri: string) {
    this.#service = service;
    this.#users = users;
    this.#search = search;
    this.#digestUri = digestUri;
  }

  /** `service` names the account the service clients bind as, e.g. bob / bob-pw. */
  static async open(
    slapd: SlapdHandle,
    poolSize: number,
    search: UserSearch,
    service: { username: string; password: string },
  ): Promise<BareDigestMd5SignIn> {
    const digestUri = `ldap/${new URL(slapd.url).hostname}`;
    const servicePool = await BarePool.open(poolSize, async () => {
      const client = new Client({ url: slapd.url });
      await bindDigestMd5(client, { ...service, realm: '', digestUri });
      return client;
    });
    const users = await BarePool.open(poolSize, async () => new Client({ url: slapd.url }));
    return new BareDigestMd5SignIn(servicePool, users, search, digestUri);
  }

  async signIn(username: string, password: string): Promise<Entry | undefined> {
    if (password.length === 0) return undefined;
    const entry = await findByUid(this.#service, this.#search, username);
    if (!entry) return undefined;
    const credentials = { username, password, realm: '', digestUri: this.#digestUri };
    try {
      await this.#users.with((client) => bindDigestMd5(client, credentials));
      return entry;
    } catch (error) {
      if (error instanceof ResultCodeError && REJECTED.has(error.code)) return undefined;
      throw error;
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.#service.close(), this.#users.close()]);
  }
}

/**
 * The two binds of DIGEST-MD5: the first, without credentials, fetches the challenge (as
 * saslBindInProgress); the second sends the response, and the server's rspauth proves that it
 * knew the password too.
 */
async function bindDigestMd5(client: Client, credentials: DigestCredentials): Promise<void> {
  let challenge: Buffer | undefined;
  try {
    await client.bindSASL('DIGEST-MD5');
  } catch (error) {
    if (!(error instanceof SaslBindInProgressError)) throw error;
    // The patched ldapts keeps the server's SASL credentials as bytes (patches/ldapts+8.2.0).
    challenge = (error.response as { serverSaslCreds?: Buffer }).serverSaslCreds;
  }
  if (!challenge) throw new Error('bench: the DIGEST-MD5 bind sent no challenge');
  const answer = answerChallenge(parseChallenge(challenge.toString('utf8')), credentials);
  const { serverSaslCredentials } = await client.bindSASL('DIGEST-MD5', answer.response);
  if (serverSaslCredentials && serverSaslCredentials.length > 0) {
    verifyRspauth(serverSaslCredentials.toString('utf8'), answer.expectedRspauth);
  }
}
