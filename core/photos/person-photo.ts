import type { DirectoryEntry } from '../directory/entry.js';
import { sniffMediaType, type PhotoMediaType } from './media-type.js';

/**
 * Where directories keep a person's picture, in order of preference: inetOrgPerson's jpegPhoto
 * (RFC 2798), then Active Directory's thumbnailPhoto. Both are in the binary attribute list, so
 * their values arrive as the directory's exact bytes.
 */
export const PHOTO_ATTRIBUTES: readonly string[] = ['jpegPhoto', 'thumbnailPhoto'];

export interface Photo {
  bytes: Buffer;
  mediaType: PhotoMediaType;
}

/** The first non-empty binary value of the photo attributes in `entry`, or undefined. */
export function photoOf(entry: DirectoryEntry): Photo | undefined {
  for (const name of PHOTO_ATTRIBUTES) {
    for (const value of entry.values(name)) {
      if (Buffer.isBuffer(value) && value.length > 0) {
        return { bytes: value, mediaType: sniffMediaType(value) };
      }
    }
  }
  return undefined;
}

/**
 * The photo among a contact's attributes (base64 text, as the mapping writes binary values), for
 * exports that must not ask the directory again. Attribute names ignore case (RFC 4512).
 */
export function photoInAttributes(attributes: Record<string, unknown>): Photo | undefined {
  for (const name of PHOTO_ATTRIBUTES) {
    const wanted = name.toLowerCase();
    for (const [key, values] of Object.entries(attributes)) {
      if (key.toLowerCase() !== wanted || !Array.isArray(values)) continue;
      const photo = decodeFirst(values);
      if (photo) return photo;
    }
  }
  return undefined;
}

function decodeFirst(values: unknown[]): Photo | undefined {
  for (const value of values) {
    if (typeof value !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) continue;
    const bytes = Buffer.from(value, 'base64');
    if (bytes.length > 0) return { bytes, mediaType: sniffMediaType(bytes) };
  }
  return undefined;
}
