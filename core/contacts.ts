import { LRUCache } from 'lru-cache';

import type { ContactSettings } from '../config/types.js';
import type { ContactSource } from './contact-sources.js';
import { GatewayError } from './errors.js';
import type { GatewayMetrics } from './metrics.js';
import type { Contact } from './plugin-api.js';

/** The contacts matching one query, sorted, each already serialized for the response. */
interface QueryResult {
  contacts: string[];
  truncated: boolean;
  bytes: number;
  /**
   * Pages already rendered, by offset and limit, so a cache hit costs no string building.
   * They hold at most `pageBudget` bytes, which `bytes` includes.
   */
  pages: Map<string, string>;
  pageBytes: number;
  pageBudget: number;
}

/** Room for a few rendered pages even when the contacts themselves are few. */
const MIN_PAGE_BUDGET = 16 * 1024;

export interface ContactPageRequest {
  query: string;
  limit: number;
  cursor: string | undefined;
}

/** A page of contacts as JSON text, built from cached pieces without re-serializing them. */
export interface ContactPage {
  json: string;
}

export interface ContactQueriesOptions {
  organizationId: string;
  source: ContactSource;
  settings: ContactSettings;
  metrics: GatewayMetrics;
}

/**
 * Contact search over one organization's people with a bounded cache: results live for
 * `cacheTtlSeconds`, the cache holds at most `cacheMaxEntries` results and `cacheMaxBytes`
 * bytes, and concurrent identical misses share one directory search.
 */
export class ContactQueries {
  readonly #options: ContactQueriesOptions;
  readonly #cache: LRUCache<string, QueryResult> | undefined;
  readonly #inFlight = new Map<string, Promise<QueryResult>>();

  constructor(options: ContactQueriesOptions) {
    this.#options = options;
    const { cacheTtlSeconds, cacheMaxEntries, cacheMaxBytes } = options.settings;
    if (cacheTtlSeconds > 0) {
      this.#cache = new LRUCache<string, QueryResult>({
        max: cacheMaxEntries,
        maxSize: cacheMaxBytes,
        sizeCalculation: (result) => Math.max(1, result.bytes),
        ttl: cacheTtlSeconds * 1000,
      });
    }
  }

  async page(request: ContactPageRequest): Promise<ContactPage> {
    const key = normalizeQuery(request.query);
    const offset = request.cursor === undefined ? 0 : decodeCursor(request.cursor, key);
    const result = await this.#lookup(key);
    const pageKey = `${offset}:${request.limit}`;
    const rendered = result.pages.get(pageKey);
    if (rendered !== undefined) return { json: rendered };

    const end = Math.min(offset + request.limit, result.contacts.length);
    const nextCursor = end < result.contacts.length ? encodeCursor(key, end) : null;
    const json =
      `{"contacts":[${result.contacts.slice(offset, end).join(',')}],` +
      `"nextCursor":${JSON.stringify(nextCursor)},"truncated":${result.truncated}}`;
    if (result.pageBytes + json.length <= result.pageBudget) {
      result.pages.set(pageKey, json);
      result.pageBytes += json.length;
    }
    return { json };
  }

  /**
   * Every contact matching the query (at most `maxResults`), in page order, for exports that
   * want the whole list. Shares the cache with `page`; contacts are read back from its JSON.
   */
  async all(query: string): Promise<{ contacts: Contact[]; truncated: boolean }> {
    const result = await this.#lookup(normalizeQuery(query));
    const contacts = result.contacts.map((text) => JSON.parse(text) as Contact);
    return { contacts, truncated: result.truncated };
  }

  /** Forgets every cached result, e.g. after the directory was changed on purpose. */
  clear(): void {
    this.#cache?.clear();
  }

  async #lookup(key: string): Promise<QueryResult> {
    const { metrics, organizationId } = this.#options;
    const cached = this.#cache?.get(key);
    if (cached) {
      metrics.cacheLookups.inc({ org: organizationId, result: 'hit' });
      return cached;
    }
    metrics.cacheLookups.inc({ org: organizationId, result: 'miss' });
    const pending = this.#inFlight.get(key);
    if (pending) return pending;

    const search = this.#search(key).finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, search);
    const result = await search;
    this.#cache?.set(key, result);
    return result;
  }

  async #search(key: string): Promise<QueryResult> {
    const found = await this.#options.source.find(key);
    const contacts = [...found.contacts].sort(byDisplayName);
    const serialized = contacts.map((contact) => JSON.stringify(contact));
    const bytes = serialized.reduce((total, text) => total + text.length, 0);
    const pageBudget = Math.max(bytes, MIN_PAGE_BUDGET);
    return {
      contacts: serialized,
      truncated: found.truncated,
      bytes: bytes + pageBudget,
      pages: new Map(),
      pageBytes: 0,
      pageBudget,
    };
  }
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function byDisplayName(left: Contact, right: Contact): number {
  return collator.compare(left.displayName, right.displayName) || (left.dn < right.dn ? -1 : 1);
}

/** Directory substring matching ignores case, so one cache entry serves every spelling. */
function normalizeQuery(query: string): string {
  return query.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function encodeCursor(key: string, offset: number): string {
  return Buffer.from(JSON.stringify({ q: key, o: offset })).toString('base64url');
}

function decodeCursor(cursor: string, key: string): number {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    const { q, o } = decoded as { q?: unknown; o?: unknown };
    if (q === key && typeof o === 'number' && Number.isSafeInteger(o) && o >= 0) return o;
  } catch {
    // Falls through to the error below.
  }
  throw new GatewayError(
    'invalid_cursor',
    'cursor is not valid for this query; start again without it',
  );
}
