/** One attribute value: text, or the exact bytes of a binary attribute such as jpegPhoto. */
export type AttributeValue = string | Buffer;

/**
 * A directory entry as the gateway sees it. Attribute names are matched whatever their case
 * (`mail`, `Mail` and `MAIL` are one attribute, RFC 4512 section 2.5); each attribute keeps the
 * spelling the directory used.
 */
export class DirectoryEntry {
  readonly dn: string;
  readonly #attributes = new Map<string, { name: string; values: AttributeValue[] }>();

  constructor(dn: string, attributes: Iterable<[string, AttributeValue[]]> = []) {
    this.dn = dn;
    for (const [name, values] of attributes) this.#add(name, values);
  }

  /** Every value of the attribute, or an empty list when the entry has none. */
  values(name: string): AttributeValue[] {
    return this.#attributes.get(name.toLowerCase())?.values ?? [];
  }

  /** Text values only (binary values are skipped). */
  texts(name: string): string[] {
    return this.values(name).filter((value): value is string => typeof value === 'string');
  }

  /** The first text value, if any. */
  first(name: string): string | undefined {
    return this.texts(name)[0];
  }

  has(name: string): boolean {
    return this.values(name).length > 0;
  }

  /** Attribute names as the directory spelled them. */
  names(): string[] {
    return [...this.#attributes.values()].map((attribute) => attribute.name);
  }

  #add(name: string, values: AttributeValue[]): void {
    const key = name.toLowerCase();
    const existing = this.#attributes.get(key);
    if (existing) existing.values.push(...values);
    else this.#attributes.set(key, { name, values: [...values] });
  }
}
