/**
 * What a plugin may use from the gateway, and what it must provide. Built-in plugins import
 * this module and nothing else from core/, so an operator's plugin looks the same.
 */
import type { OrganizationSettings } from '../config/types.js';
import type { DirectoryEntry } from './directory/entry.js';
import type { Logger } from './logger.js';

export { DirectoryEntry, type AttributeValue } from './directory/entry.js';
export { GatewayError } from './errors.js';
export { realmOf } from './kerberos/realm.js';
export type { Logger, OrganizationSettings };

/** Version of this interface; a plugin names the one it was written for. */
export const PLUGIN_API_VERSION = 1;

export type PluginKind = 'auth' | 'mapping' | 'sink';

/** What a plugin instance is bound to: one organization. */
export interface PluginContext {
  organizationId: string;
  settings: OrganizationSettings;
  logger: Logger;
}

export interface PluginDefinition<Instance> {
  /** The name operators write in gateway.yaml, e.g. `simple`. */
  type: string;
  kind: PluginKind;
  apiVersion: number;
  /** JSON Schema of the plugin's options, checked at start-up. */
  optionsSchema: object;
  create(options: Record<string, unknown>, context: PluginContext): Instance;
}

/** The user's credentials as sent to the sign-in route. */
export interface SignInAttempt {
  username: string;
  password: string;
}

/** The directory operations an auth method may use. */
export interface UserDirectory {
  /**
   * The one entry whose user ID attribute equals `username`. Throws `invalid_credentials` when
   * there is none and `ambiguous_user` when there are several.
   */
  findUser(username: string): Promise<DirectoryEntry>;
  /**
   * Simple bind as `dn`; throws `invalid_credentials` for a wrong or empty password, or the code
   * of an account state Active Directory reported (`account_disabled`, `account_locked`...).
   */
  verifyPassword(dn: string, password: string): Promise<void>;
  /**
   * SASL DIGEST-MD5 bind as `username`; throws `invalid_credentials` for a wrong or empty
   * password or a name the server does not know, and AD's account states as verifyPassword does.
   */
  verifyDigestMd5(username: string, password: string): Promise<void>;
}

export interface AuthMethod {
  /** Checks the attempt and returns the user's entry, or throws a GatewayError. */
  authenticate(attempt: SignInAttempt, directory: UserDirectory): Promise<DirectoryEntry>;
  /** Releases what the method holds (files, processes) when the gateway stops. */
  close?(): Promise<void> | void;
}

/** Kinds of phone a contact can have, from the attribute the number came from. */
export type PhoneType = 'work' | 'mobile' | 'home' | 'fax' | 'pager' | 'ip' | 'other';

export interface Phone {
  type: PhoneType;
  /** The number as the directory wrote it, trimmed. */
  number: string;
  /**
   * The number in E.164 (`+14155550100`) when it could be read, under the organization's
   * `defaultCountry` for national forms; absent for short internal numbers, `*`/`#` codes and
   * anything unreadable.
   */
  e164?: string;
  /** The extension written with the number (`x123`, `ext. 123`, `;ext=123`), digits only. */
  extension?: string;
  /** The directory attribute the number came from, in the spelling the directory used. */
  attribute?: string;
}

/** A person as served by the contact routes. */
export interface Contact {
  /**
   * The stable identifier: `uuid:` + entryUUID, `guid:` + objectGUID, or `dn:` + the DN in
   * lower case. The same across imports and queries, so clients can follow a person.
   */
  key?: string;
  dn: string;
  /** The value of the organization's user ID attribute; null when the entry has none. */
  id: string | null;
  displayName: string;
  phones: Phone[];
  emails: string[];
  /** The organization's configured attributes; binary values are base64. */
  attributes: Record<string, string[]>;
  /** Fields selected and renamed by the mapping: one value, or a list for multi-valued ones. */
  fields?: Record<string, string | string[]>;
}

export interface AttributeMapper {
  /** Attributes the mapper reads, so searches ask for them. */
  readonly attributes: readonly string[];
  /**
   * The contact for an entry. In a mapping chain, `previous` is the contact the mappers
   * before this one made; the first mapper gets none.
   */
  toContact(entry: DirectoryEntry, previous?: Contact): Contact;
  /** The configured attributes of a signed-in user; the first mapper of a chain with it answers. */
  toAttributes?(entry: DirectoryEntry): Record<string, string[]>;
}

/** What one contact went through in an import, compared with the previous import. */
export type ContactChangeKind = 'added' | 'updated' | 'removed';

/** One batch of an import's changes on its way to a sink. */
export interface SinkBatch {
  organizationId: string;
  importId: string;
  /** 1, 2, ... in the order of delivery; a resumed delivery goes on from where it stopped. */
  sequence: number;
  /** True on the import's last batch, which may hold no change at all. */
  last: boolean;
  /** In stable-key order. A removed contact is given as it was before. */
  changes: Array<{ key: string; change: ContactChangeKind; contact: unknown }>;
}

/**
 * Where an import's contacts go besides the gateway's own store (which always keeps the list,
 * so the next import can be compared with it). Batches come one at a time, in order; a batch
 * is acknowledged by returning. Delivery is at least once: after a restart the batch that was
 * in flight is sent again with the same sequence.
 */
export interface ContactSink {
  /** Absent for a sink that needs nothing delivered (the built-in `store`). */
  deliver?(batch: SinkBatch, signal: AbortSignal): Promise<void>;
  /** Contacts per batch; the gateway's default when absent. */
  readonly batchSize?: number;
}

/** A failed delivery. `retryable` ones are tried again with backoff; others fail the import. */
export class SinkError extends Error {
  readonly retryable: boolean;
  /** The receiver's own wait (e.g. Retry-After), when it gave one. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { retryable: boolean; retryAfterMs?: number | undefined }) {
    super(message);
    this.name = 'SinkError';
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export type AuthPluginDefinition = PluginDefinition<AuthMethod> & { kind: 'auth' };
export type MappingPluginDefinition = PluginDefinition<AttributeMapper> & { kind: 'mapping' };
export type SinkPluginDefinition = PluginDefinition<ContactSink> & { kind: 'sink' };

export { readPhoneNumber, type ReadPhoneNumber } from './phones/phone-number.js';
export { guidToString, sidToString } from './directory/ad-values.js';
export { ConfigError } from './errors.js';
export { uniqueIgnoringCase } from './attribute-names.js';
