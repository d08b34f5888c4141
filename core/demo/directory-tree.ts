import { dnKeys, isWithin } from './dn-key.js';
import type { LdifRecord, LdifValue } from './ldif.js';
import { SearchScope, type LdapDn, type LdapSearchRequest } from './ldapjs-shapes.js';
import { buildMatchView, type MatchView } from './matching-rules.js';

/** One entry of the demo directory, ready for binds and searches. */
export interface DirectoryEntry {
  /** The DN as written in the LDIF file, returned unchanged in search results. */
  readonly dn: string;
  readonly keys: readonly string[];
  readonly attributes: ReadonlyMap<string, readonly LdifValue[]>;
  readonly matchView: MatchView;
}

/** Thrown when the LDIF does not describe one well-formed tree. */
export class DirectoryLoadError extends Error {}

/**
 * The entries of the demo directory, in file order, indexed by normalized DN.
 *
 * The first record is the suffix (e.g. `dc=demo,dc=example,dc=com`); every other entry must sit
 * below it and come after its parent, as slapadd requires.
 */
export class DirectoryTree {
  readonly #entries: DirectoryEntry[] = [];
  readonly #byKey = new Map<string, DirectoryEntry>();

  static fromRecords(records: readonly LdifRecord[]): DirectoryTree {
    const tree = new DirectoryTree();
    for (const record of records) {
      tree.#add(record);
    }
    if (tree.#entries.length === 0) {
      throw new DirectoryLoadError('demo directory: the LDIF file has no entries');
    }
    return tree;
  }

  get baseDn(): string {
    return this.#entries[0]?.dn ?? '';
  }

  get size(): number {
    return this.#entries.length;
  }

  /** The entry with this DN, in any spelling; undefined when absent or unparseable. */
  find(dn: string | LdapDn): DirectoryEntry | undefined {
    try {
      return this.#byKey.get(dnKeys(dn).join(','));
    } catch {
      return undefined;
    }
  }

  /** The nearest existing entry above a missing DN, for the matchedDN of noSuchObject. */
  closestAncestor(dn: LdapDn): DirectoryEntry | undefined {
    const keys = dnKeys(dn);
    for (let start = 1; start < keys.length; start += 1) {
      const entry = this.#byKey.get(keys.slice(start).join(','));
      if (entry) return entry;
    }
    return undefined;
  }

  /** Entries a search with this base and scope covers, in file order. */
  inScope(base: DirectoryEntry, scope: LdapSearchRequest['scope']): DirectoryEntry[] {
    if (scope === SearchScope.base) return [base];
    const depth = base.keys.length + 1;
    return this.#entries.filter((entry) => {
      if (scope === SearchScope.one && entry.keys.length !== depth) return false;
      return isWithin(entry.keys, base.keys);
    });
  }

  #add(record: LdifRecord): void {
    const keys = this.#keysOf(record);
    const key = keys.join(',');
    if (this.#byKey.has(key)) {
      throw loadError(record, `duplicate entry "${record.dn}"`);
    }
    const isSuffix = this.#entries.length === 0;
    if (!isSuffix && !this.#byKey.has(keys.slice(1).join(','))) {
      throw loadError(record, `the parent of "${record.dn}" must come earlier in the file`);
    }

    const entry = {
      dn: record.dn,
      keys,
      attributes: record.attributes,
      matchView: buildMatchView(record.attributes),
    };
    this.#entries.push(entry);
    this.#byKey.set(key, entry);
  }

  #keysOf(record: LdifRecord): string[] {
    try {
      return dnKeys(record.dn);
    } catch (error) {
      throw loadError(record, `"${record.dn}" is not a valid DN`, error);
    }
  }
}

function loadError(record: LdifRecord, message: string, cause?: unknown): DirectoryLoadError {
  return new DirectoryLoadError(`demo directory: line ${record.line}: ${message}`, { cause });
}

/** Values of an attribute, looked up without regard to case. */
export function valuesOf(entry: DirectoryEntry, name: string): readonly LdifValue[] {
  const wanted = name.toLowerCase();
  for (const [attribute, values] of entry.attributes) {
    if (attribute.toLowerCase() === wanted) return values;
  }
  return [];
}
