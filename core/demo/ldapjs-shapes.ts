/**
 * The parts of the ldapjs 3 server API the demo directory uses, typed as they behave at run time.
 *
 * @types/ldapjs 3.0.6 still describes the 2.x objects (string DNs, `filter.filters`, no
 * `rdnAt`), so the module is cast to these shapes once, here. Checked against ldapjs 3.0.7.
 */
import ldap from 'ldapjs';
import type { Server as NetServer } from 'node:net';

export interface LdapRdn {
  keys(): IterableIterator<string>;
  getValue(name: string): string | undefined;
}

export interface LdapDn {
  readonly length: number;
  rdnAt(index: number): LdapRdn;
  toString(): string;
}

/** A filter node; which fields are set depends on `type` ("AndFilter", "EqualityFilter"…). */
export interface LdapFilter {
  readonly type: string;
  readonly attribute?: string;
  readonly value?: string;
  readonly clauses?: LdapFilter[];
  readonly filter?: LdapFilter;
  readonly initial?: string;
  readonly any?: string[];
  readonly final?: string;
  matches(entry: Record<string, string[]>, strictAttributeCase?: boolean): boolean;
  toString(): string;
}

export interface LdapControl {
  readonly type: string;
  readonly value: unknown;
}

export interface LdapConnection {
  /** ldapjs keeps the DN of the last successful bind here; `cn=anonymous` when none. */
  ldap: { bindDN: LdapDn };
}

interface LdapRequest {
  readonly connection: LdapConnection;
  readonly controls: LdapControl[];
}

export interface LdapBindRequest extends LdapRequest {
  /** The bind DN as the client sent it. */
  readonly dn: string;
  readonly credentials: string;
}

export const SearchScope = { base: 0, one: 1, sub: 2 } as const;

export interface LdapSearchRequest extends LdapRequest {
  readonly dn: LdapDn;
  readonly scope: (typeof SearchScope)[keyof typeof SearchScope];
  readonly filter: LdapFilter;
  readonly attributes: string[];
  readonly sizeLimit: number;
  readonly typesOnly: boolean;
}

export interface LdapResponse {
  /** The result's diagnosticMessage (ldapjs's own `errorMessage` is never sent). */
  diagnosticMessage: string;
  matchedDN: string;
  end(status?: number): void;
}

export interface LdapAttribute {
  readonly type: string;
}

export interface LdapSearchEntry {
  readonly objectName: LdapDn;
}

export interface LdapSearchResponse extends LdapResponse {
  createSearchEntry(entry: { objectName: LdapDn; attributes: LdapAttribute[] }): LdapSearchEntry;
  send(entry: LdapSearchEntry): void;
  addControl(control: LdapControl): void;
}

export type Next = (error?: Error) => void;
export type Handler<Req, Res> = (request: Req, response: Res, next: Next) => void;

/** The bunyan-style logger ldapjs writes to. */
export interface LdapjsLog {
  trace(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export interface LdapServer {
  readonly url: string;
  /** The underlying TCP server. */
  readonly server: NetServer;
  bind(mount: string, handler: Handler<LdapBindRequest, LdapResponse>): void;
  search(mount: string, handler: Handler<LdapSearchRequest, LdapSearchResponse>): void;
  add(mount: string, handler: Handler<unknown, LdapResponse>): void;
  del(mount: string, handler: Handler<unknown, LdapResponse>): void;
  modify(mount: string, handler: Handler<unknown, LdapResponse>): void;
  modifyDN(mount: string, handler: Handler<unknown, LdapResponse>): void;
  compare(mount: string, handler: Handler<unknown, LdapResponse>): void;
  listen(port: number, host: string, callback: () => void): void;
  close(callback: (error?: Error) => void): void;
  on(event: 'error' | 'clientError', listener: (error: Error) => void): void;
}

type FilterClass<Options> = new (options: Options) => LdapFilter;

interface LdapjsModule {
  createServer(options: { log: LdapjsLog }): LdapServer;
  parseDN(dn: string): LdapDn;
  /** The search request message class; see ldapjs-filter-fix.ts. */
  SearchRequest: unknown;
  filters: { parseBer(reader: unknown): LdapFilter };
  Attribute: new (options: { type: string; values: Array<string | Buffer> }) => LdapAttribute;
  PagedResultsControl: new (options: { value: { size: number; cookie: Buffer } }) => LdapControl;
  AndFilter: FilterClass<{ filters: LdapFilter[] }>;
  OrFilter: FilterClass<{ filters: LdapFilter[] }>;
  NotFilter: FilterClass<{ filter: LdapFilter }>;
  PresenceFilter: FilterClass<{ attribute: string }>;
  EqualityFilter: FilterClass<{ attribute: string; raw: Buffer }>;
  GreaterThanEqualsFilter: FilterClass<{ attribute: string; value: string }>;
  LessThanEqualsFilter: FilterClass<{ attribute: string; value: string }>;
  SubstringFilter: FilterClass<{
    attribute: string;
    initial?: string;
    any: string[];
    final?: string;
  }>;
}

export const ldapjs = ldap as unknown as LdapjsModule;
