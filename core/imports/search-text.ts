/**
 * How imported contacts are matched by a query, close to what the directory itself does: a
 * substring of any searched attribute after NFKC and case folding (RFC 4518), and for phone
 * numbers a match that also ignores spaces and hyphens (telephoneNumberMatch, RFC 4517).
 */
import type { DirectoryEntry } from '../directory/entry.js';

/** The entry's searched values, each lower-cased on a line of its own. */
export function searchTextOf(entry: DirectoryEntry, attributes: readonly string[]): string {
  const lines = new Set<string>();
  for (const attribute of attributes) {
    for (const value of entry.texts(attribute)) {
      const text = normalize(value);
      lines.add(text);
      // Names and mail addresses are most values: they cannot start like a number.
      if (!NUMBER_START.test(text)) continue;
      // `+1 415 555 0100 x12` is a number too: its main part is compacted.
      const main = text.replace(EXTENSION, '');
      if (looksLikeANumber(main)) lines.add(withoutSeparators(main));
    }
  }
  return [...lines].join('\n');
}

/**
 * What to look for in the search texts for a query: the text itself and, for a number, the
 * text without spaces and hyphens.
 */
export function searchNeedles(query: string): string[] {
  const needle = normalize(query);
  if (needle.length === 0) return [];
  const compact = withoutSeparators(needle);
  return looksLikeANumber(needle) && compact && compact !== needle ? [needle, compact] : [needle];
}

function normalize(value: string): string {
  // NFKC changes no ASCII text, and most directory values are ASCII: skip the work for them.
  const folded = /[^\x00-\x7f]/.test(value) ? value.normalize('NFKC') : value;
  const trimmed = folded.trim();
  // Most values have single spaces only: testing is cheaper than rewriting.
  const spaced = /\s\s|[^\S ]/.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed;
  return spaced.toLowerCase();
}

/** An extension written after a number: `x12`, `ext. 42`, `, ext 7`, `;ext=3`. */
const EXTENSION = /\s*,?\s*(?:;ext=|ext\.?|extension|x)\s*\d+\s*$/i;

/** The first character of a text that may be a number (see looksLikeANumber). */
const NUMBER_START = /^[+\d\s().\/-]/;

/** Digits with the punctuation numbers are written with, and nothing else: not a name. */
function looksLikeANumber(text: string): boolean {
  return /\d/.test(text) && /^[+\d\s().\/-]+$/.test(text);
}

function withoutSeparators(text: string): string {
  return text.replace(/[\s-]/g, '');
}
