import { guidToString } from '../directory/ad-values.js';
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
  const guidText = Buffer.isBuffer(guid) ? guidToString(guid) : undefined;
  if (guidText) return `guid:${guidText}`;
  return `dn:${entry.dn.toLowerCase()}`;
}
