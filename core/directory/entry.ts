/** One attribute value: text, or the exact bytes of a binary attribute such as jpegPhoto. */
export type AttributeValue = string | Buffer;

/**
 * A directory entry as the gateway sees it. Attribute names are matched whatever their case
 * (`mail`, `Mail` and `MAIL` are one attribute, RFC 4512 section 2.5); each attribute keeps the
 * spelling the directory used. Asking for an attribute also returns the values of its tagged
 * forms (`cn;lang-ja`, `userCertificate;binary`), as a search for it does (RFC 4512 2.5.2).
 */
export class DirectoryEntry {
  readonly dn: string;
  readonly #attributes = new Map<string, { name: string; values: AttributeValue[] }>();
  /** Keys of the attributes by their name without options: `cn` -> `cn`, `cn;lang-ja`. */
  readonly #forms = new Map<string, string[]>();

  constructor(dn: string, attributes: Iterable<[string, AttributeValue[]]> = []) {
    this.dn = dn;
    for (const [name, values] of attributes) this.#add(name, values);
  }

  /** Every value of the attribute and of its tagged forms, or an empty list. */
  values(name: string): AttributeValue[] {
    const key = name.toLowerCase();
    if (key.includes(';')) return this.#attributes.get(key)?.values ?? [];
    const forms = this.#forms.get(key);
    if (!forms) return [];
    if (forms.length === 1) return this.#attributes.get(forms[0]!)!.values;
    return forms.flatMap((form) => this.#attributes.get(form)!.values);
  }

  /** Text values only (binary values are skipped). */
  texts(name: string): string[] {
    return this.values(name).filter((value): value is string => typeof value === 'string');
  }

  /** The first text value, if any. */
  first(name: string): string | undefined {
    return this.texts(name)[0];
  }

  /** The first text value with more than white space in it, trimmed; undefined if none. */
  firstFilled(name: string): string | undefined {
    for (const text of this.texts(name)) {
      const trimmed = text.trim();
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
    const key = name.toLowerCase();
    const existing = this.#attributes.get(key);
    if (existing) {
      existing.values.push(...values);
      return;
    }
    this.#attributes.set(key, { name, values: [...values] });
    const base = key.split(';')[0]!;
    const forms = this.#forms.get(base);
    if (!forms) this.#forms.set(base, [key]);
    // The plain form's values come first, whatever order the directory sent them in.
    else if (key === base) forms.unshift(key);
    else forms.push(key);
  }
}
