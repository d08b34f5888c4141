import type { Contact } from '../plugin-api.js';

/** Where a piece of a contact may be found: names of mapped fields, then of attributes. */
interface Sources {
  fields: readonly string[];
  attributes: readonly string[];
}

/**
 * The names looked at, in order, ignoring case. Fields come first, since a mapping chose them;
 * the attributes are the LDAP and Active Directory ones an organization may have configured.
 */
export const FAMILY_NAME: Sources = {
  fields: ['familyName', 'surname', 'lastName', 'sn'],
  attributes: ['sn', 'surname'],
};
export const GIVEN_NAME: Sources = {
  fields: ['givenName', 'firstName'],
  attributes: ['givenName', 'gn'],
};
export const ORGANIZATION: Sources = {
  fields: ['organization', 'company', 'o'],
  attributes: ['o', 'company'],
};
export const DEPARTMENT: Sources = {
  fields: ['department', 'ou'],
  attributes: ['department', 'ou'],
};
export const TITLE: Sources = { fields: ['title', 'jobTitle'], attributes: ['title'] };

/** The first value under one of the names that is more than white space, trimmed. */
export function contactText(contact: Contact, sources: Sources): string | undefined {
  return (
    firstFilled(contact.fields, sources.fields) ??
    firstFilled(contact.attributes, sources.attributes)
  );
}

function firstFilled(record: unknown, names: readonly string[]): string | undefined {
  if (record === null || typeof record !== 'object') return undefined;
  const entries = Object.entries(record);
  for (const name of names) {
    const wanted = name.toLowerCase();
    for (const [key, value] of entries) {
      if (key.toLowerCase() !== wanted) continue;
      const filled = filledText(value);
      if (filled !== undefined) return filled;
    }
  }
  return undefined;
}

/** A string, or the first string of a list, with more than white space in it. */
function filledText(value: unknown): string | undefined {
  for (const item of Array.isArray(value) ? value : [value]) {
    if (typeof item === 'string' && item.trim().length > 0) return item.trim();
  }
  return undefined;
}
