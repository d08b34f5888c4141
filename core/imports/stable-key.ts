import type { DirectoryEntry } from '../directory/entry.js';

/** Operational attributes that identify an entry for life, whatever its DN becomes. */
export const STABLE_ID_ATTRIBUTES = ['entryUUID', 'objectGUID'];

/**
 * The key a contact is stored under, so a re-import updates it in place: OpenLDAP's entryUUID,
 * Active Directory's objectGUID (as its canonical string), or the DN as a last resort.
 */
export function stableKeyOf(entry: DirectoryEntry): string {
  const uuid = entry.first('entryUUID');
  if (uuid) return `uuid:${uuid.toLowerCase()}`;
  const guid = entry.values('objectGUID')[0];
  if (Buffer.isBuffer(guid) && guid.length === 16) return `guid:${guidString(guid)}`;
  return `dn:${entry.dn.toLowerCase()}`;
}

/** objectGUID bytes to the form AD tools print: the first three groups are little-endian. */
function guidString(bytes: Buffer): string {
  const hex = (from: number, to: number, reverse: boolean) => {
    const part = [...bytes.subarray(from, to)];
    return (reverse ? part.reverse() : part)
      .map((byte) => byte.toString(16).padStart(2, '0'))
      .join('');
  };
  return [
    hex(0, 4, true),
    hex(4, 6, true),
    hex(6, 8, true),
    hex(8, 10, false),
    hex(10, 16, false),
  ].join('-');
}
