/** Media types the gateway recognizes in photo bytes; anything else is served as opaque bytes. */
export type PhotoMediaType = 'image/jpeg' | 'image/png' | 'image/gif' | 'application/octet-stream';

/** PNG's fixed signature (ISO/IEC 15948): \x89 P N G CR LF SUB LF. */
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The media type the bytes themselves show, from their magic numbers: directories do not check
 * what goes into jpegPhoto or thumbnailPhoto, so the attribute's name proves nothing.
 */
export function sniffMediaType(bytes: Uint8Array): PhotoMediaType {
  // JPEG starts with the SOI marker followed by the next marker's 0xFF.
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif';
  return 'application/octet-stream';
}

/** True for the image types a client can show, i.e. anything but opaque bytes. */
export function isImage(type: PhotoMediaType): boolean {
  return type !== 'application/octet-stream';
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, index) => bytes[index] === byte);
}

function ascii(text: string): number[] {
  return [...text].map((character) => character.charCodeAt(0));
}
