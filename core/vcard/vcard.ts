import { isImage } from '../photos/media-type.js';
import { photoInAttributes, type Photo } from '../photos/person-photo.js';
import type { Contact, Phone } from '../plugin-api.js';
import {
  contactText,
  DEPARTMENT,
  FAMILY_NAME,
  GIVEN_NAME,
  ORGANIZATION,
  TITLE,
} from './contact-fields.js';
import { foldLine } from './fold.js';
import { telephoneLine } from './telephone.js';
import { escapeText, structuredValue } from './text.js';
import { uidLine } from './uid.js';

export const VCARD_CONTENT_TYPE = 'text/vcard; charset=utf-8';

export interface VCardOptions {
  /** The photo to embed; without it, the one among the contact's attributes, if any. */
  photo?: Photo | undefined;
}

/**
 * One contact as a vCard 4.0 (RFC 6350): CRLF line ends, lines folded at 75 octets, ending with
 * a CRLF so that cards can be concatenated. Only what the contact holds is written; the mapping's
 * contact may come from an operator's plugin, so every value is checked for its type.
 */
export function toVCard(contact: Contact, options: VCardOptions = {}): string {
  const lines = [
    'BEGIN:VCARD',
    // VERSION must come right after BEGIN (section 6.7.9).
    'VERSION:4.0',
    uidLine(contact.key),
    `FN:${escapeText(formattedName(contact))}`,
    nameLine(contact),
    organizationLine(contact),
    optionalText('TITLE', contactText(contact, TITLE)),
    ...listOf<Phone>(contact.phones, isPhone).map(telephoneLine),
    ...listOf<string>(contact.emails, isFilledText).map(
      (mail) => `EMAIL;TYPE=work:${escapeText(mail.trim())}`,
    ),
    photoLine(options.photo ?? photoInAttributes(contact.attributes ?? {})),
    'END:VCARD',
  ];
  return lines
    .filter((line): line is string => line !== undefined)
    .map((line) => `${foldLine(line)}\r\n`)
    .join('');
}

/** FN is required: the display name, else the user ID, else the DN. */
function formattedName(contact: Contact): string {
  for (const candidate of [contact.displayName, contact.id, contact.dn]) {
    if (isFilledText(candidate)) return candidate.trim();
  }
  return '';
}

/** N (family; given; additional; prefixes; suffixes) only from names the contact holds. */
function nameLine(contact: Contact): string | undefined {
  const family = contactText(contact, FAMILY_NAME);
  const given = contactText(contact, GIVEN_NAME);
  if (family === undefined && given === undefined) return undefined;
  return `N:${structuredValue([family ?? '', given ?? '', '', '', ''])}`;
}

/** ORG is the organization's name, then its units (section 6.6.4). */
function organizationLine(contact: Contact): string | undefined {
  const name = contactText(contact, ORGANIZATION);
  const department = contactText(contact, DEPARTMENT);
  if (name === undefined && department === undefined) return undefined;
  const fields = department === undefined ? [name ?? ''] : [name ?? '', department];
  return `ORG:${structuredValue(fields)}`;
}

function optionalText(property: string, value: string | undefined): string | undefined {
  return value === undefined ? undefined : `${property}:${escapeText(value)}`;
}

/** PHOTO as a data: URI (RFC 2397); bytes that are no known image are left out. */
function photoLine(photo: Photo | undefined): string | undefined {
  if (!photo || !isImage(photo.mediaType)) return undefined;
  return `PHOTO:data:${photo.mediaType};base64,${photo.bytes.toString('base64')}`;
}

function listOf<T>(value: unknown, keep: (item: unknown) => item is T): T[] {
  return Array.isArray(value) ? value.filter(keep) : [];
}

function isFilledText(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

function isPhone(value: unknown): value is Phone {
  return value !== null && typeof value === 'object' && isFilledText((value as Phone).number);
}
