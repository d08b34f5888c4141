import { connect as connectTls, type ConnectionOptions as TlsOptions } from 'node:tls';

import { Client, SaslBindInProgressError } from 'ldapts';

import { GatewayError } from '../errors.js';

import { DirectoryEntry, type EntryRecord } from './entry.js';
import { readAhead } from './read-ahead.js';
import type { SaslExchange } from './sasl/exchange.js';

/** More round trips than any supported mechanism needs means a confused or hostile server. */
const MAX_SASL_STEPS = 5;

export interface ConnectionSettings {
  url: string;
  startTls: boolean;
  tls: TlsOptions;
  connectTimeoutMs: number;
  operationTimeoutMs: number;
}

export interface SearchRequest {
  base: string;
  filter: string;
  scope: 'base' | 'one' | 'sub';
  attributes: string[];
  /** Spellings of the attributes to keep as bytes (see binary-attributes.ts). */
  binaryAttributes: string[];
  /** Entries per page for a paged search (RFC 2696); 0 sends a plain search. */
  pageSize: number;
  /** Client-side limit for a plain search; the server stops there without an error. */
  sizeLimit?: number;
}

/**
 * One connection to a directory that knows who it is bound as. ldapts reconnects by itself
 * after the server closes a connection, but as nobody and without StartTLS; the identity is
 * therefore read from `isBound`, which turns false with every new socket.
 */
export class DirectoryConnection {
  readonly #settings: ConnectionSettings;
  #client: Client;
  #boundAs: string | undefined;
  /**
   * Set when a StartTLS socket closes. ldapts 8.2 watches only the plain socket under it and
   * keeps believing such a connection is open and bound, so the client is replaced instead.
   * The flag can go when ldapts tracks the upgraded socket itself.
   */
  #upgradedSocketClosed = false;

  constructor(settings: ConnectionSettings) {
    this.#settings = settings;
    this.#client = this.#createClient();
  }

  /** The name of the last successful bind, while the socket it was made on is still open. */
  get boundAs(): string | undefined {
    return this.isOpen && this.#client.isBound ? this.#boundAs : undefined;
  }

  get isOpen(): boolean {
    return this.#client.isConnected && !this.#upgradedSocketClosed;
  }

  /** Simple bind, opening (and upgrading with StartTLS) the connection first when needed. */
  async bind(name: string, password: string): Promise<void> {
    this.#boundAs = undefined;
    await this.#open();
    await this.#client.bind(name, password);
    this.#boundAs = name;
  }

  /**
   * SASL bind: sends the exchange's messages on this one connection until the server answers
   * with success, then lets the exchange check the server's final message.
   */
  async saslBind(exchange: SaslExchange, identity: string): Promise<void> {
    this.#boundAs = undefined;
    await this.#open();
    let credentials = await exchange.initialResponse();
    for (let step = 1; step <= MAX_SASL_STEPS; step += 1) {
      try {
        const result = await this.#client.bindSASL(exchange.mechanism, credentials);
        await exchange.complete(result.serverSaslCredentials);
        this.#boundAs = identity;
        return;
      } catch (error) {
        if (!(error instanceof SaslBindInProgressError)) throw error;
        const challenge = (error.response as { serverSaslCreds?: Buffer }).serverSaslCreds;
        credentials = await exchange.respond(challenge ?? Buffer.alloc(0));
      }
    }
    throw new GatewayError(
      'sasl_challenge_invalid',
      `${exchange.mechanism}: the server asked for more than ${MAX_SASL_STEPS} steps`,
    );
  }

  /** Runs one search and yields its entries a page at a time. */
  async *search(request: SearchRequest): AsyncGenerator<DirectoryEntry[]> {
    for await (const page of this.searchRecords(request)) {
      yield page.map((record) => DirectoryEntry.fromRecord(record));
    }
  }

  /**
   * The same, with entries as ldapts returns them. `readAhead` asks for the next page as soon
   * as one is handed on, so the server sends it while the caller is busy with this one.
   */
  async *searchRecords(
    request: SearchRequest & { readAhead?: boolean },
  ): AsyncGenerator<EntryRecord[]> {
    const options = {
      scope: request.scope,
      filter: request.filter,
      attributes: request.attributes,
      explicitBufferAttributes: request.binaryAttributes,
      // Our patch of ldapts (patches/): no empty list for each requested attribute an entry
      // lacks. An import asks for some twenty and a person has a handful.
      omitAbsentAttributes: true,
      ...(request.sizeLimit ? { sizeLimit: request.sizeLimit } : {}),
    };
    if (request.pageSize <= 0) {
      const result = await this.#client.search(request.base, options);
      yield result.searchEntries as EntryRecord[];
      return;
    }
    const pages = this.#client.searchPaginated(request.base, {
      ...options,
      paged: { pageSize: request.pageSize },
    });
    const ahead = request.readAhead ? readAhead(pages) : pages;
    for await (const page of ahead) yield page.searchEntries as EntryRecord[];
  }

  async close(): Promise<void> {
    this.#boundAs = undefined;
    if (this.#upgradedSocketClosed) return;
    try {
      await this.#client.unbind();
    } catch {
      // The socket is gone already; nothing is left to release.
    }
  }

  async #open(): Promise<void> {
    if (this.#upgradedSocketClosed) {
      this.#client = this.#createClient();
      this.#upgradedSocketClosed = false;
    }
    if (this.#client.isConnected) return;
    if (this.#settings.startTls) await this.#client.startTLS({ ...this.#settings.tls });
  }

  #createClient(): Client {
    const secure = this.#settings.url.toLowerCase().startsWith('ldaps://');
    return new Client({
      url: this.#settings.url,
      connectTimeout: this.#settings.connectTimeoutMs,
      timeout: this.#settings.operationTimeoutMs,
      ...(secure ? { tlsOptions: this.#settings.tls } : {}),
      ...(this.#settings.startTls ? { createSecureConnection: this.#watchUpgrade } : {}),
    });
  }

  #watchUpgrade = ((options: TlsOptions) => {
    const socket = connectTls(options);
    socket.once('close', () => {
      this.#upgradedSocketClosed = true;
    });
    return socket;
  }) as typeof connectTls;
}
