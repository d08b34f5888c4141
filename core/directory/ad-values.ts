/**
 * Active Directory's binary identifiers as the text its own tools print, so clients can match
 * them against what an administrator sees (`Get-ADUser`, `whoami /user`).
 */

/** objectGUID byte order: the first three groups are stored little-endian (MS-DTYP 2.3.4.2). */
const GUID_BYTE_ORDER = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
const GUID_GROUP_ENDS = new Set([4, 6, 8, 10]);

/** A SID holds at most 15 sub-authorities (MS-DTYP 2.4.2). */
const MAX_SUB_AUTHORITIES = 15;

/**
 * The 16 bytes of an objectGUID as `e004253f-894f-d311-9a0c-0305e82c3301` (lower case, no
 * braces); undefined for anything that is not exactly 16 bytes.
 */
export function guidToString(bytes: Uint8Array): string | undefined {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 16) return undefined;
  let text = '';
  GUID_BYTE_ORDER.forEach((from, position) => {
    if (GUID_GROUP_ENDS.has(position)) text += '-';
    text += bytes[from]!.toString(16).padStart(2, '0');
  });
  return text;
}

/**
 * The binary form of a security identifier (objectSid, MS-DTYP 2.4.2.2) as its string form
 * (`S-1-5-21-...`, MS-DTYP 2.4.2.1); undefined when the bytes are not a well-formed SID.
 */
export function sidToString(bytes: Uint8Array): string | undefined {
  if (!(bytes instanceof Uint8Array) || bytes.length < 8) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const revision = view.getUint8(0);
  const count = view.getUint8(1);
  if (revision !== 1 || count > MAX_SUB_AUTHORITIES || bytes.length !== 8 + 4 * count) {
    return undefined;
  }
  const parts = ['S', '1', authorityText(view)];
  for (let index = 0; index < count; index += 1) {
    parts.push(String(view.getUint32(8 + 4 * index, true)));
  }
  return parts.join('-');
}

/** The 48-bit big-endian identifier authority: decimal below 2^32, else 0x and 12 hex digits. */
function authorityText(view: DataView): string {
  const authority = view.getUint16(2) * 2 ** 32 + view.getUint32(4);
  if (authority < 2 ** 32) return String(authority);
  return `0x${authority.toString(16).toUpperCase().padStart(12, '0')}`;
}
