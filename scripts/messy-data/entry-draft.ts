import type { LdifValue } from '../../core/demo/ldif.js';
import type { Prng } from '../demo-data/prng.js';
import type { EscapeStyle } from './rdn.js';

/** An entry being built: its RDN and attribute lines, names in the schema's spelling. */
export class EntryDraft {
  readonly lines: Array<{ name: string; value: LdifValue }> = [];
  /** The RDN's attribute-value pairs, unescaped; several make a multi-valued RDN. */
  rdn: Array<[name: string, value: string]> = [];
  escapeStyle: EscapeStyle = 'backslash';
  /** Write attribute names in assorted case (`MAIL`, `displayname`, `TelephoneNumber`). */
  mixedCase = false;
  /** Ids of the phone formats used, in order. */
  readonly phoneFormats: string[] = [];

  add(name: string, ...values: LdifValue[]): this {
    for (const value of values) this.lines.push({ name, value });
    return this;
  }

  values(name: string): LdifValue[] {
    return this.lines.filter((line) => line.name === name).map((line) => line.value);
  }
}

const SPELLINGS: ReadonlyArray<(name: string) => string> = [
  (name) => name.toUpperCase(),
  (name) => name.toLowerCase(),
  (name) => name.charAt(0).toUpperCase() + name.slice(1),
  (name) => [...name].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join(''),
];

/**
 * How an attribute name is written in the file: the schema's spelling, or for a mixed-case
 * entry each line in a case of its own (attribute names ignore case, RFC 4512 section 2.5).
 */
export function spellingFor(draft: EntryDraft, prng: Prng): (name: string) => string {
  if (!draft.mixedCase) return (name) => name;
  let turn = prng.int(0, SPELLINGS.length - 1);
  return (name) => SPELLINGS[turn++ % SPELLINGS.length]!(name);
}
