/**
 * What the bare sign-in baselines share: the least code that does each method correctly with
 * ldapts (and kinit), no validation, metrics, retries or mapping, so that a figure's ratio shows
 * what the gateway's layers cost on top of the same exchange.
 */
import { EqualityFilter, type Entry } from 'ldapts';

import type { BarePool } from './bare-pool.js';

export interface BareSignIn {
  /** The user's entry, or undefined for a wrong password or unknown user. */
  signIn(username: string, password: string): Promise<Entry | undefined>;
  close(): Promise<void>;
}

/** Where and what the baseline searches: exactly what the gateway's organization asks for. */
export interface UserSearch {
  base: string;
  attributes: string[];
}

/** The one entry whose uid is `uid`, searched on a service connection; undefined if none. */
export function findByUid(
  service: BarePool,
  search: UserSearch,
  uid: string,
): Promise<Entry | undefined> {
  return service.with(async (client) => {
    const { searchEntries } = await client.search(search.base, {
      scope: 'sub',
      filter: new EqualityFilter({ attribute: 'uid', value: uid }),
      attributes: search.attributes,
      // Two are enough to tell "exactly one" from "several".
      sizeLimit: 2,
    });
    return searchEntries.length === 1 ? searchEntries[0] : undefined;
  });
}
