/** A contact's phones: every number of the configured attributes, read and de-duplicated. */
import { readPhoneNumber, type DirectoryEntry, type Phone } from '../../core/plugin-api.js';
import type { PhoneSource } from './options.js';
import { spellingOf } from './values.js';

/** Characters people put in a number for legibility only. */
const LEGIBILITY = /[\s().\/-]/g;

/**
 * The phones in the order of `sources`, then of the directory's values. A number already
 * listed is left out, even under another attribute: the same E.164 form and extension, or,
 * for numbers without one, the same text once spaces and punctuation are ignored.
 */
export function phonesOf(
  entry: DirectoryEntry,
  sources: readonly PhoneSource[],
  defaultCountry: string,
): Phone[] {
  const phones: Phone[] = [];
  const seen = new Set<string>();
  for (const { attribute, type } of sources) {
    const texts = entry.texts(attribute);
    if (texts.length === 0) continue;
    const spelling = spellingOf(entry, attribute);
    for (const text of texts) {
      const number = text.trim();
      if (number.length === 0) continue;
      const read = readPhoneNumber(number, defaultCountry);
      const key = read.e164
        ? `${read.e164};${read.extension ?? ''}`
        : number.replace(LEGIBILITY, '').toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      phones.push({ type, number, ...read, attribute: spelling });
    }
  }
  return phones;
}
