import type { DirectoryEntry } from './directory-tree.js';
import type { LdifValue } from './ldif.js';
import {
  ldapjs,
  type LdapDn,
  type LdapSearchEntry,
  type LdapSearchResponse,
} from './ldapjs-shapes.js';

/** Never sent to clients, whatever they ask for. */
const SECRET_ATTRIBUTES = new Set(['userpassword']);

/** Builds the SearchResultEntry for one entry, with the attributes the request asked for. */
export function toSearchEntry(
  response: LdapSearchResponse,
  entry: DirectoryEntry,
  requested: readonly string[],
  typesOnly: boolean,
): LdapSearchEntry {
  const attributes = selectAttributes(entry, requested).map(
    ([type, values]) => new ldapjs.Attribute({ type, values: typesOnly ? [] : [...values] }),
  );
  return response.createSearchEntry({ objectName: storedDn(entry.dn), attributes });
}

/**
 * The attributes to return (RFC 4511 §4.5.1.8): all user attributes when the list is empty or
 * holds "*", otherwise those named, without regard to case. "1.1" and "+" name no attribute of
 * the demo directory, so they select nothing, as they should.
 */
export function selectAttributes(
  entry: DirectoryEntry,
  requested: readonly string[],
): Array<[string, readonly LdifValue[]]> {
  const wanted = new Set(requested.map((name) => name.toLowerCase()));
  const all = wanted.size === 0 || wanted.has('*');
  return [...entry.attributes].filter(([name]) => {
    const lower = name.toLowerCase();
    return !SECRET_ATTRIBUTES.has(lower) && (all || wanted.has(lower));
  });
}

/**
 * ldapjs re-serializes DNs with every non-ASCII byte hex-escaped (`Jos\c3\a9`). That is valid
 * RFC 4514 but not what OpenLDAP or Active Directory send, so entries go out with the DN as
 * written in the LDIF file.
 */
function storedDn(dn: string): LdapDn {
  const parsed = ldapjs.parseDN(dn);
  return Object.assign(parsed, { toString: () => dn });
}
