import { escapeText } from './text.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The UID line for a contact's stable key (see stableKeyOf). entryUUID and Active Directory's
 * objectGUID are both UUIDs in the usual string form, so they become `urn:uuid:` URIs, the form
 * RFC 6350 section 6.7.6 recommends; any other key (a DN) is written as text. No key, no UID:
 * one that changed from export to export would be worse than none.
 */
export function uidLine(key: unknown): string | undefined {
  if (typeof key !== 'string' || key.length === 0) return undefined;
  const uuid = /^(?:uuid|guid):(.*)$/.exec(key)?.[1];
  if (uuid !== undefined && UUID.test(uuid)) return `UID:urn:uuid:${uuid.toLowerCase()}`;
  return `UID;VALUE=text:${escapeText(key)}`;
}
