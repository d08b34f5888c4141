import { LRUCache } from 'lru-cache';

import type { ContactSettings } from '../../config/types.js';
import type { Directory } from '../directory/directory.js';
import { escapeFilterValue } from '../directory/escape.js';
import { GatewayError } from '../errors.js';
import { inSteps, STEP_ROWS } from '../imports/steps.js';
import { contactAttributes, keyedContactOf } from '../keyed-contact.js';
import type { AttributeMapper, Contact, Phone } from '../plugin-api.js';
import type { ImportsStore } from '../store/imports-store.js';
import {
  PhoneIndex,
  readCallerNumber,
  type CallerNumber,
  type IndexedPhone,
  type MatchKind,
} from './phone-index.js';

/** A contact found by its number, as JSON text (imported) or as an object (live). */
export interface FoundPhone {
  contact: string;
  phone: Phone;
}

export interface LookupAnswer {
  caller: CallerNumber;
  kind: MatchKind;
  /** One per contact, the first being the best; more than one makes the number ambiguous. */
  found: FoundPhone[];
}

export interface CallerLookupOptions {
  organizationId: string;
  defaultCountry: string;
  settings: ContactSettings;
  store: ImportsStore;
  directory: Directory;
  searchBase: string;
  mapper: AttributeMapper;
}

/**
 * Phone attributes a live lookup searches, beyond the organization's searched attributes: the
 * inetOrgPerson ones and Active Directory's. A directory ignores the names it does not know.
 */
const PHONE_ATTRIBUTES = [
  'telephoneNumber',
  'mobile',
  'homePhone',
  'pager',
  'facsimileTelephoneNumber',
  'ipPhone',
  'otherTelephone',
  'otherMobile',
  'otherHomePhone',
  'otherIpPhone',
  'msRTCSIP-Line',
];

interface BuiltIndex {
  importId: string;
  index: PhoneIndex;
}

/** Candidates a lookup shows for an ambiguous number. */
const MAX_CANDIDATES = 20;

/**
 * Matched contacts kept as JSON text: the same callers ring again and again, and a store read
 * costs more than the rest of a lookup. Some megabytes at most.
 */
const CONTACTS_KEPT = 10_000;

/** Callers' numbers kept as read: reading one again costs more than the rest of a lookup. */
const CALLERS_KEPT = 10_000;

/**
 * Caller-ID lookups for one organization. With imported contacts, an index of every phone is
 * built in memory on first use (in steps, between other requests) and dropped when another
 * import is applied; the matched contacts are read from the store. Without, the directory is
 * searched for the number's last digits and the few entries found are compared the same way.
 */
export class CallerLookup {
  readonly #options: CallerLookupOptions;
  #index: Promise<BuiltIndex> | undefined;
  #built: BuiltIndex | undefined;
  #applied: { id: string | undefined } | undefined;
  /** Contacts of the applied import's list by key, as read from the store. */
  readonly #contacts = new LRUCache<string, string>({ max: CONTACTS_KEPT });
  /** Callers' numbers as read, by the text sent: they do not depend on the contacts. */
  readonly #callers = new LRUCache<string, Readonly<CallerNumber>>({ max: CALLERS_KEPT });

  constructor(options: CallerLookupOptions) {
    this.#options = options;
  }

  /**
   * The contact the number belongs to. Answered at once when the imported index is built (a
   * softphone asks on every incoming call); a promise while it is built, or from the directory.
   */
  find(number: string): LookupAnswer | undefined | Promise<LookupAnswer | undefined> {
    const caller = this.#callerOf(number);
    if (caller.digits.length === 0) return undefined;
    const appliedId = this.#appliedId();
    if (!this.#usesImports(appliedId !== undefined)) return this.#findLive(caller);
    if (appliedId === undefined) throw notImported();
    const built = this.#built;
    if (built?.importId === appliedId) return this.#findIn(built.index, caller);
    return this.#indexOf(appliedId).then(({ index }) => this.#findIn(index, caller));
  }

  /**
   * Starts building the index of the applied import when lookups use imports, in steps between
   * other requests, so that the first call after an import is applied does not wait for it.
   */
  prepare(): void {
    const appliedId = this.#appliedId();
    if (appliedId === undefined || !this.#usesImports(true)) return;
    // A failed build is logged by nobody here: the next lookup tries again and answers why.
    this.#indexOf(appliedId).catch(() => undefined);
  }

  /** Whether the applied import's index is built. */
  get indexed(): boolean {
    const appliedId = this.#appliedId();
    return appliedId !== undefined && this.#built?.importId === appliedId;
  }

  /** The applied import, read once until clear(): only applying another one changes it. */
  #appliedId(): string | undefined {
    this.#applied ??= {
      id: this.#options.store.latestApplied(this.#options.organizationId)?.id,
    };
    return this.#applied.id;
  }

  #callerOf(number: string): Readonly<CallerNumber> {
    let caller = this.#callers.get(number);
    if (caller === undefined) {
      caller = Object.freeze(readCallerNumber(number, this.#options.defaultCountry));
      this.#callers.set(number, caller);
    }
    return caller;
  }

  /** Forgets the index and the applied import, once another import is applied. */
  clear(): void {
    this.#index = undefined;
    this.#built = undefined;
    this.#applied = undefined;
    this.#contacts.clear();
  }

  #usesImports(hasImport: boolean): boolean {
    const { source } = this.#options.settings;
    return source === 'imported' || (source === 'imported-or-live' && hasImport);
  }

  #findIn(index: PhoneIndex, caller: CallerNumber): LookupAnswer | undefined {
    const match = index.find(caller);
    if (!match) return undefined;
    const found: FoundPhone[] = [];
    for (const { contactKey, phone } of byContact(match.phones)) {
      const contact = this.#currentContact(contactKey);
      if (contact !== undefined) found.push({ contact, phone });
    }
    return found.length > 0 ? { caller, kind: match.kind, found } : undefined;
  }

  async #indexOf(importId: string) {
    let built = this.#index;
    if (!built || (await built).importId !== importId) {
      const building = this.#buildIndex(importId);
      // A failed build is tried again by the next lookup, not remembered.
      building.catch(() => {
        if (this.#index === building) this.#index = undefined;
      });
      this.#index = built = building;
    }
    const index = await built;
    // Kept for the lookups that follow unless clear() dropped it meanwhile.
    if (this.#index === built) this.#built = index;
    return index;
  }

  #currentContact(key: string): string | undefined {
    let contact = this.#contacts.get(key);
    if (contact === undefined) {
      const { store, organizationId } = this.#options;
      contact = store.currentContact(organizationId, key);
      if (contact !== undefined) this.#contacts.set(key, contact);
    }
    return contact;
  }

  async #buildIndex(importId: string): Promise<BuiltIndex> {
    const { store, organizationId, defaultCountry } = this.#options;
    const index = new PhoneIndex(defaultCountry);
    let after = '';
    await inSteps(() => {
      const rows = store.pageContacts(organizationId, after, STEP_ROWS);
      for (const row of rows) {
        const contact = JSON.parse(row.data) as Pick<Contact, 'phones'>;
        if (Array.isArray(contact.phones)) index.add(row.key, contact.phones);
      }
      after = rows.at(-1)?.key ?? after;
      return rows.length;
    });
    return { importId, index };
  }

  async #findLive(caller: CallerNumber) {
    const { directory, searchBase, settings, mapper, defaultCountry } = this.#options;
    const tail = escapeFilterValue(caller.digits.slice(-4));
    const attributes = new Set([...PHONE_ATTRIBUTES, ...settings.searchAttributes]);
    const any = [...attributes].map((attribute) => `(${attribute}=*${tail}*)`).join('');
    const entries = await directory.search({
      base: searchBase,
      filter: `(&${settings.filter}(|${any}))`,
      attributes: contactAttributes(mapper),
      limit: settings.maxResults,
      pageSize: settings.pageSize,
    });
    const contacts = new Map<string, Contact>();
    const index = new PhoneIndex(defaultCountry);
    for (const entry of entries) {
      const contact = keyedContactOf(entry, mapper);
      contacts.set(contact.key!, contact);
      index.add(contact.key!, contact.phones);
    }
    const match = index.find(caller);
    if (!match) return undefined;
    const found = byContact(match.phones).map(({ contactKey, phone }) => ({
      contact: JSON.stringify(contacts.get(contactKey)),
      phone,
    }));
    return { caller, kind: match.kind, found };
  }
}

/** One phone per contact (the first that matched), at most MAX_CANDIDATES contacts. */
function byContact(phones: readonly IndexedPhone[]): IndexedPhone[] {
  const seen = new Set<string>();
  const unique: IndexedPhone[] = [];
  for (const phone of phones) {
    if (seen.has(phone.contactKey)) continue;
    seen.add(phone.contactKey);
    unique.push(phone);
    if (unique.length === MAX_CANDIDATES) break;
  }
  return unique;
}

function notImported(): GatewayError {
  return new GatewayError(
    'contacts_not_imported',
    'contacts of this organization are served from imports, and none has been applied yet',
  );
}
