import { createHash } from 'node:crypto';

/**
 * A strong entity tag for exact bytes (RFC 9110 section 8.8.3): their SHA-256, so equal tags
 * mean equal bytes whichever gateway instance computed them, and nothing needs storing.
 */
export function strongEtagOf(bytes: Uint8Array): string {
  return `"${createHash('sha256').update(bytes).digest('base64url')}"`;
}

/**
 * Whether an If-None-Match header names `etag`. The comparison is weak (RFC 9110 section
 * 13.1.2): `W/"x"` matches `"x"`. Tags are read as quoted strings, since a comma may sit inside
 * one; `*` matches any current representation.
 */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  for (const match of header.matchAll(/(?:W\/)?("[^"]*")/g)) {
    if (match[1] === opaque) return true;
  }
  return false;
}
