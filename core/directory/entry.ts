/** One attribute value: text, or the exact bytes of a binary attribute such as jpegPhoto. */
export type AttributeValue = string | Buffer;

/**
 * An entry as ldapts returns it: `dn`, then each attribute's value, or values when there are
 * several. Pages of these are what an import's reading thread hands on.
 */
export interface EntryRecord {
  dn: string;
  [attribute: string]: AttributeValue | AttributeValue[];
}

/** Shared by every lookup of an absent attribute: most lookups while mapping find nothing. */
const NO_VALUES: readonly AttributeValue[] = Object.freeze([]);

/**
 * A directory entry as the gateway sees it. Attribute names are matched whatever their case
 * (`mail`, `Mail` and `MAIL` are one attribute, RFC 4512 section 2.5); each attribute keeps the
 * spelling the directory used. Asking for an attribute also returns the values of its tagged
 * forms (`cn;lang-ja`, `userCertificate;binary`), as a search for it does (RFC 4512 2.5.2).
 */
export class DirectoryEntry {
  readonly dn: string;
  readonly #attributes = new Map<string, { name: string; values: AttributeValue[] }>();
  /**
   * Keys of tagged attributes by their name without options: `cn` -> `cn;lang-ja`. Most
   * entries have none, and asking for a name then costs one map read.
   */
  #tagged: Map<string, string[]> | undefined;

  /** `attributes` may hand over its arrays: the entry keeps them rather than copying. */
  constructor(dn: string, attributes: Iterable<[string, AttributeValue[]]> = []) {
    this.dn = dn;
    for (const [name, values] of attributes) this.#add(name, values);
  }

  /** The entry of a record, taking its value arrays over rather than copying them. */
  static fromRecord(record: EntryRecord): DirectoryEntry {
    const entry = new DirectoryEntry(record.dn);
    for (const name in record) {
      if (name === 'dn') continue;
      const value = record[name]!;
      // Unless told otherwise, ldapts gives each requested attribute an entry lacks as [].
      if (Array.isArray(value)) {
        if (value.length > 0) entry.#add(name, value);
      } else {
        entry.#add(name, [value]);
      }
    }
    return entry;
  }

  /** Every value of the attribute and of its tagged forms, or an empty list. */
  values(name: string): AttributeValue[] {
    const key = keyOf(name);
    const plain = this.#attributes.get(key)?.values ?? (NO_VALUES as AttributeValue[]);
    const tagged = this.#tagged?.get(key);
    if (!tagged) return plain;
    return [...plain, ...tagged.flatMap((form) => this.#attributes.get(form)!.values)];
  }

  /** Text values only (binary values are skipped). */
  texts(name: string): string[] {
    const values = this.values(name);
    // Most attributes hold text only: their list is returned as it is.
    if (values.every((value) => typeof value === 'string')) return values as string[];
    return values.filter((value): value is string => typeof value === 'string');
  }

  /** The first text value, if any. */
  first(name: string): string | undefined {
    for (const value of this.values(name)) if (typeof value === 'string') return value;
    return undefined;
  }

  /** The first text value with more than white space in it, trimmed; undefined if none. */
  firstFilled(name: string): string | undefined {
    for (const value of this.values(name)) {
      if (typeof value !== 'string') continue;
      const trimmed = value.trim();
      if (trimmed.length > 0) return trimmed;
    }
    return undefined;
  }

  has(name: string): boolean {
    return this.values(name).length > 0;
  }

  /** Attribute names as the directory spelled them. */
  names(): string[] {
    return [...this.#attributes.values()].map((attribute) => attribute.name);
  }

  #add(name: string, values: AttributeValue[]): void {
    const key = keyOf(name);
    const existing = this.#attributes.get(key);
    if (existing) {
      existing.values = [...existing.values, ...values];
      return;
    }
    this.#attributes.set(key, { name, values });
    const options = key.indexOf(';');
    if (options < 0) return;
    const base = key.slice(0, options);
    this.#tagged ??= new Map();
    const forms = this.#tagged.get(base);
    if (forms) forms.push(key);
    else this.#tagged.set(base, [key]);
  }
}

/**
 * Attribute names in lower case, as keys, remembered: mapping asks every entry for the same
 * few dozen names, and a name lower-cased afresh is a new string to hash on every lookup.
 * Directories bring their own names too, so the memory stops growing at some point.
 */
const keys = new Map<string, string>();
const MAX_KEYS = 4096;

function keyOf(name: string): string {
  let key = keys.get(name);
  if (key === undefined) {
    key = name.toLowerCase();
    if (keys.size < MAX_KEYS) keys.set(name, key);
  }
  return key;
}
