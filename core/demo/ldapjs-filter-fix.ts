/**
 * Makes the ldapjs server evaluate search filters as the client sent them.
 *
 * Known shortcoming of ldapjs 3.0.7 (@ldapjs/messages 1.3.0, @ldapjs/filter 2.1.1): a search
 * request's filter is decoded from BER, printed as a string and parsed again, and that parser
 * keeps RFC 4515 escapes as literal text (`\28`, `\c3\a9`) and garbles backslashes. Values with
 * "(", ")", "*", "\" or any non-ASCII letter would then never match. This re-reads the filter
 * from the request's BER bytes and hands ldapjs the decoded filter instead. ldapjs is archived
 * upstream, so the fix stays until the demo moves to another LDAP server library.
 */
import { ldapjs, type LdapFilter } from './ldapjs-shapes.js';

const FIXED: unique symbol = Symbol.for('ldap-gateway.demo.search-filter-fix');

interface BerReader {
  readonly offset: number;
  readonly buffer: Buffer;
  setOffset(position: number): void;
  peek(): number;
  readSequence(): number;
  readString(): string;
  readEnumeration(): number;
  readInt(): number;
  readBoolean(): boolean;
  readRawBuffer(tag: number): Buffer;
}

interface SearchRequestClass {
  parseToPojo(ber: BerReader): { filter: string | LdapFilter };
  [FIXED]?: true;
}

/** Installs the fix once per process; later calls do nothing. */
export function installSearchFilterFix(): void {
  const SearchRequest = ldapjs.SearchRequest as SearchRequestClass;
  if (SearchRequest[FIXED]) return;

  const original = SearchRequest.parseToPojo.bind(SearchRequest);
  SearchRequest.parseToPojo = (ber) => {
    const start = ber.offset;
    const pojo = original(ber);
    return { ...pojo, filter: readFilter(ber, start) };
  };
  SearchRequest[FIXED] = true;
}

/** Walks a SearchRequest (RFC 4511 §4.5.1) from `start` to its filter and decodes it. */
function readFilter(ber: BerReader, start: number): LdapFilter {
  const Reader = ber.constructor as new (buffer: Buffer) => BerReader;
  const copy = new Reader(ber.buffer);
  copy.setOffset(start);
  copy.readSequence();
  copy.readString(); // baseObject
  copy.readEnumeration(); // scope
  copy.readEnumeration(); // derefAliases
  copy.readInt(); // sizeLimit
  copy.readInt(); // timeLimit
  copy.readBoolean(); // typesOnly
  const filterBytes = copy.readRawBuffer(copy.peek());
  return ldapjs.filters.parseBer(new Reader(filterBytes));
}
