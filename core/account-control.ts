import type { DirectoryEntry } from './directory/entry.js';
import { GatewayError } from './errors.js';

/**
 * Active Directory's account flags, read with every user entry. Other directories do not know
 * the name, and a server ignores unknown names in a search's attribute list (RFC 4511 4.5.1.8).
 */
export const ACCOUNT_CONTROL_ATTRIBUTE = 'userAccountControl';

/** ADS_UF_ACCOUNTDISABLE. */
const ACCOUNT_DISABLED = 0x2;

/**
 * Refuses a user whose entry marks the account disabled. AD refuses such a bind itself (0x533),
 * but a directory holding a copy of AD's entries may accept it, and Kerberos checks no entry.
 * Call it only once the password is verified, so that nobody learns an account's state
 * without it.
 *
 * LOCKOUT (0x10) and PASSWORD_EXPIRED (0x800000) are not read: AD computes them into
 * msDS-User-Account-Control-Computed and does not keep them in userAccountControl, so a bit
 * found here may be stale. AD's bind reports both states itself (0x775, 0x532).
 */
export function assertAccountEnabled(entry: DirectoryEntry): void {
  if (entry.texts(ACCOUNT_CONTROL_ATTRIBUTE).some(hasDisabledFlag)) {
    throw new GatewayError('account_disabled', 'the account is disabled');
  }
}

/** The value is a 32-bit integer in decimal; a value that is not says nothing either way. */
function hasDisabledFlag(value: string): boolean {
  const text = value.trim();
  if (!/^-?\d{1,10}$/.test(text)) return false;
  return (Number(text) & ACCOUNT_DISABLED) !== 0;
}
