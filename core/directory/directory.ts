import type { OrganizationSettings } from '../../config/types.js';
import { GatewayError } from '../errors.js';
import type { GssCredentials } from '../kerberos/gss-credentials.js';
import type { Logger } from '../logger.js';
import type { GatewayMetrics } from '../metrics.js';
import { binaryAttributeSpellings, withRequestedSpellings } from './binary-attributes.js';
import { DirectoryConnection, type SearchRequest } from './connection.js';
import { connectionSettingsOf } from './connection-settings.js';
import { ConnectionPool, type PoolCounts } from './connection-pool.js';
import { DirectoryEntry, type EntryRecord } from './entry.js';
import { ResultCode, resultCodeOf, translateDirectoryError } from './ldap-errors.js';
import type { SaslExchange } from './sasl/exchange.js';
import { bindServiceAccount, digestMd5For } from './service-bind.js';

export interface DirectoryQuery {
  base: string;
  filter: string;
  scope?: 'base' | 'one' | 'sub';
  attributes: string[];
  /** Stop after this many entries; a paged search asks the server for no more than needed. */
  limit: number;
  /** Entries per LDAP page; 0 for a plain search. */
  pageSize?: number;
}

export interface DirectoryOptions {
  organizationId: string;
  settings: OrganizationSettings;
  logger: Logger;
  metrics: GatewayMetrics;
  /** Kerberos credentials for SASL GSSAPI service binds; absent when unavailable. */
  gss?: GssCredentials | undefined;
}

/**
 * Everything one organization's directory is asked, over two pools: connections bound as the
 * service account serve searches only, and users' binds happen on connections of their own,
 * so a connection bound as a user never runs a service search.
 */
export class Directory {
  readonly #organizationId: string;
  readonly #settings: OrganizationSettings;
  readonly #logger: Logger;
  readonly #metrics: GatewayMetrics;
  readonly #gss: GssCredentials | undefined;
  readonly #binaryAttributes: string[];
  readonly #binarySpellings = new Map<string, string[]>();
  readonly #servicePool: ConnectionPool;
  readonly #userPool: ConnectionPool;

  constructor(options: DirectoryOptions) {
    this.#organizationId = options.organizationId;
    this.#settings = options.settings;
    this.#logger = options.logger;
    this.#metrics = options.metrics;
    this.#gss = options.gss;
    this.#binaryAttributes = binaryAttributeSpellings(options.settings.binaryAttributes);

    const connection = connectionSettingsOf(options.settings);
    const { bindUsername, pool } = options.settings;
    this.#servicePool = new ConnectionPool(connection, {
      ...pool,
      prepare: (created) => this.#bindServiceAccount(created),
      isUsable: (pooled) => pooled.boundAs === bindUsername,
    });
    this.#userPool = new ConnectionPool(connection, {
      ...pool,
      prepare: async () => {},
      // Every use starts with a bind that replaces whoever was bound before.
      isUsable: () => true,
    });
  }

  /** Searches as the service account and returns at most `query.limit` entries. */
  async search(query: DirectoryQuery): Promise<DirectoryEntry[]> {
    const request = this.#requestOf(query);
    return this.#timed('search', () =>
      this.#withRetry(this.#servicePool, async (connection) => {
        const found: DirectoryEntry[] = [];
        for await (const page of connection.search(request)) {
          found.push(...page.slice(0, query.limit - found.length));
          if (found.length >= query.limit) break;
        }
        return found;
      }),
    );
  }

  /**
   * Streams every entry a query finds, a page at a time, on a connection of its own: a long
   * import never holds a pooled connection that sign-ins wait for.
   */
  async *stream(
    query: Omit<DirectoryQuery, 'limit'>,
    signal: AbortSignal,
  ): AsyncGenerator<DirectoryEntry[]> {
    for await (const page of this.streamRecords(query, signal)) {
      yield page.map((record) => DirectoryEntry.fromRecord(record));
    }
  }

  /**
   * The same with entries as ldapts returns them, which a worker thread can be handed. The
   * next page is asked for while the caller handles the current one.
   */
  async *streamRecords(
    query: Omit<DirectoryQuery, 'limit'>,
    signal: AbortSignal,
  ): AsyncGenerator<EntryRecord[]> {
    const connection = new DirectoryConnection(connectionSettingsOf(this.#settings));
    try {
      await this.#bindServiceAccount(connection);
      const request = this.#requestOf({ ...query, limit: 0, pageSize: query.pageSize ?? 1000 });
      for await (const page of connection.searchRecords({ ...request, readAhead: true })) {
        if (signal.aborted) return;
        yield page;
      }
    } catch (error) {
      throw translateDirectoryError(error, 'import search');
    } finally {
      await connection.close();
    }
  }

  /**
   * The entry at `dn` when it exists under `base` and matches `filter`, read as the service
   * account; undefined when there is no such entry or it lies outside `base`.
   */
  async readEntry(dn: string, base: string, filter: string): Promise<DirectoryEntry | undefined> {
    if (!isUnder(dn, base)) return undefined;
    try {
      const [entry] = await this.search({
        base: dn,
        scope: 'base',
        filter,
        attributes: ['1.1'],
        limit: 1,
      });
      return entry;
    } catch (error) {
      const code = resultCodeOf((error as GatewayError).cause);
      if (code === ResultCode.noSuchObject) return undefined;
      if (code === ResultCode.invalidDnSyntax) {
        throw new GatewayError('invalid_request', 'dn is not a valid distinguished name');
      }
      throw error;
    }
  }

  /**
   * Checks a user's password with a simple bind as `dn`. An empty password is refused before
   * any bind: to an LDAP server an empty simple bind is an anonymous bind, which succeeds.
   */
  async verifyPassword(dn: string, password: string): Promise<void> {
    if (password.length === 0) throw invalidCredentials();
    await this.#userBind((connection) => connection.bind(dn, password));
  }

  /**
   * Checks a user's credentials with a SASL exchange on a connection of the user pool. Besides
   * invalidCredentials, OpenLDAP answers `other` (80) for a SASL user it cannot find.
   */
  async verifyWithSasl(exchange: SaslExchange, identity: string): Promise<void> {
    await this.#userBind(
      (connection) => connection.saslBind(exchange, identity),
      [ResultCode.other],
    );
  }

  /** The DIGEST-MD5 exchange of this directory for a user name and password. */
  digestMd5(username: string, password: string): SaslExchange {
    return digestMd5For(this.#settings, username, password);
  }

  poolCounts(): { service: PoolCounts; user: PoolCounts } {
    return { service: this.#servicePool.counts(), user: this.#userPool.counts() };
  }

  async close(): Promise<void> {
    await Promise.all([this.#servicePool.close(), this.#userPool.close()]);
  }

  async #bindServiceAccount(connection: DirectoryConnection): Promise<void> {
    await this.#timed('service_bind', () =>
      bindServiceAccount(connection, this.#settings, this.#gss),
    );
  }

  async #userBind(
    bind: (connection: DirectoryConnection) => Promise<void>,
    alsoRejected: number[] = [],
  ): Promise<void> {
    const rejected = new Set<number>([
      ResultCode.invalidCredentials,
      ResultCode.unwillingToPerform,
      ...alsoRejected,
    ]);
    await this.#timed('user_bind', () =>
      this.#withRetry(this.#userPool, async (connection) => {
        try {
          await bind(connection);
        } catch (error) {
          const code = resultCodeOf(error);
          if (code !== undefined && rejected.has(code)) throw invalidCredentials(error);
          throw error;
        }
      }),
    );
  }

  /**
   * Runs `use` on a pooled connection. A connection that failed in transit (the server closed
   * it while it sat idle, say) is replaced and the operation tried once more; a directory that
   * answered with an LDAP result is not asked twice.
   */
  async #withRetry<T>(
    pool: ConnectionPool,
    use: (connection: DirectoryConnection) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      let staleConnection = false;
      try {
        return await pool.with(async (connection) => {
          const wasOpen = connection.isOpen;
          try {
            return await use(connection);
          } catch (error) {
            if (isTransportError(error)) {
              staleConnection = wasOpen;
              await connection.close();
            }
            throw error;
          }
        });
      } catch (error) {
        if (attempt >= 2 || !staleConnection) throw error;
        this.#logger.debug({ err: error }, 'directory connection lost, retrying once');
      }
    }
  }

  async #timed<T>(operation: string, run: () => Promise<T>): Promise<T> {
    const stop = this.#metrics.directoryDuration.startTimer({
      org: this.#organizationId,
      operation,
    });
    try {
      return await run();
    } catch (raw) {
      const error = translateDirectoryError(raw, operation.replace('_', ' '));
      if (error.code !== 'invalid_credentials') {
        this.#metrics.directoryErrors.inc({
          org: this.#organizationId,
          operation,
          code: error.code,
        });
      }
      throw error;
    } finally {
      stop();
    }
  }

  /** Attribute lists come from the configuration, so this memo stays small. */
  #binarySpellingsFor(attributes: string[]): string[] {
    const key = attributes.join(',');
    let spellings = this.#binarySpellings.get(key);
    if (!spellings) {
      spellings = withRequestedSpellings(this.#binaryAttributes, attributes);
      if (this.#binarySpellings.size < 64) this.#binarySpellings.set(key, spellings);
    }
    return spellings;
  }

  #requestOf(query: DirectoryQuery): SearchRequest {
    const pageSize = query.pageSize ?? 0;
    return {
      base: query.base,
      filter: query.filter,
      scope: query.scope ?? 'sub',
      attributes: query.attributes,
      binaryAttributes: this.#binarySpellingsFor(query.attributes),
      pageSize,
      ...(pageSize === 0 ? { sizeLimit: query.limit } : {}),
    };
  }
}

/** Compares DNs the way operators write them: case and spaces around separators ignored. */
function isUnder(dn: string, base: string): boolean {
  const normalize = (text: string) =>
    text
      .toLowerCase()
      .replace(/\s*([,=+])\s*/g, '$1')
      .trim();
  const child = normalize(dn);
  const parent = normalize(base);
  return child === parent || child.endsWith(`,${parent}`);
}

function invalidCredentials(cause?: unknown): GatewayError {
  return new GatewayError('invalid_credentials', 'wrong user name or password', { cause });
}

/** True for a failure of the connection itself, as opposed to an answer from the directory. */
function isTransportError(error: unknown): boolean {
  if (error instanceof GatewayError) return false;
  return resultCodeOf(error) === undefined;
}
