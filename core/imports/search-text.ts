/**
 * How imported contacts are matched by a query, close to what the directory itself does: a
 * case-insensitive substring of any searched attribute, and for phone numbers a match that
 * ignores spaces and hyphens (telephoneNumberMatch, RFC 4517).
 */
import type { DirectoryEntry } from '../directory/entry.js';

/** The entry's searched values, each lower-cased on a line of its own. */
export function searchTextOf(entry: DirectoryEntry, attributes: readonly string[]): string {
  const lines = new Set<string>();
  for (const attribute of attributes) {
    for (const value of entry.texts(attribute)) {
      const text = normalize(value);
      lines.add(text);
      const compact = withoutSeparators(text);
      if (compact !== text) lines.add(compact);
    }
  }
  return [...lines].join('\n');
}

/**
 * What to look for in the search texts for a query already normalized by the contact
 * queries: the text itself and, when it differs, the text without spaces and hyphens.
 */
export function searchNeedles(query: string): string[] {
  if (query.length === 0) return [];
  const compact = withoutSeparators(query);
  return compact && compact !== query ? [query, compact] : [query];
}

function normalize(value: string): string {
  return value.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function withoutSeparators(text: string): string {
  return text.replace(/[\s-]/g, '');
}
