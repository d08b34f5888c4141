import { Client, InvalidCredentialsError, type Entry } from 'ldapts';

import type { SlapdHandle } from '../../test/support/slapd.js';
import { BarePool } from './bare-pool.js';
import { findByUid, type BareSignIn, type UserSearch } from './bare-sign-in.js';

/**
 * Search-then-bind with ldapts: clients bound as the service account for searches, others for
 * users' simple binds, each from a plain array.
 */
export class BareSimpleSignIn implements BareSignIn {
  readonly #service: BarePool;
  readonly #users: BarePool;
  readonly #search: UserSearch;

  private constructor(service: BarePool, users: BarePool, search: UserSearch) {
    this.#service = service;
    this.#users = users;
    this.#search = search;
  }

  static async open(
    slapd: SlapdHandle,
    poolSize: number,
    search: UserSearch,
  ): Promise<BareSimpleSignIn> {
    const service = await BarePool.open(poolSize, async () => {
      const client = new Client({ url: slapd.url });
      await client.bind(slapd.serviceDn, slapd.servicePassword);
      return client;
    });
    const users = await BarePool.open(poolSize, async () => new Client({ url: slapd.url }));
    return new BareSimpleSignIn(service, users, search);
  }

  async signIn(username: string, password: string): Promise<Entry | undefined> {
    // An empty simple bind is an anonymous bind, which succeeds.
    if (password.length === 0) return undefined;
    const entry = await findByUid(this.#service, this.#search, username);
    if (!entry) return undefined;
    try {
      await this.#users.with((client) => client.bind(entry.dn, password));
      return entry;
    } catch (error) {
      if (error instanceof InvalidCredentialsError) return undefined;
      throw error;
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.#service.close(), this.#users.close()]);
  }
}
