import type { DirectoryEntry } from './directory/entry.js';
import { STABLE_ID_ATTRIBUTES, stableKeyOf } from './imports/stable-key.js';
import type { AttributeMapper, Contact } from './plugin-api.js';

/** What a search must ask for to map contacts with their stable keys. */
export function contactAttributes(mapper: AttributeMapper): string[] {
  return [...mapper.attributes, ...STABLE_ID_ATTRIBUTES];
}

/** The entry as a contact that carries its stable key, first, whatever the mapping says. */
export function keyedContactOf(entry: DirectoryEntry, mapper: AttributeMapper): Contact {
  const key = stableKeyOf(entry);
  const contact: Contact = { key, ...mapper.toContact(entry) };
  contact.key = key;
  return contact;
}
