/**
 * Active Directory's reasons for a failed bind. AD answers every refused bind with result 49
 * and a diagnostic message such as
 * `80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 52e, v4563`,
 * where `data` is a Win32 error number in hex that says why. Samba AD and AD LDS write the same.
 */

export interface AdBindRejection {
  /** The stable gateway error code. */
  readonly code: string;
  /** Safe to show a caller: says what happened, never repeats the directory's text. */
  readonly message: string;
}

/**
 * The sub-codes passed on to callers. 0x525 (no such user) and 0x52e (wrong password) are left
 * out on purpose: they stay `invalid_credentials`, so a caller cannot probe which names exist.
 * AD sends the others only for the right password, except 0x775, which it sends for a locked
 * account whatever the password.
 */
const REJECTIONS = new Map<number, AdBindRejection>([
  [0x530, reason('logon_hours_restricted', 'the account may not sign in at this time')],
  [0x531, reason('workstation_restricted', 'the account may not sign in from this computer')],
  [0x532, reason('password_expired', 'the password has expired and must be changed')],
  [0x533, reason('account_disabled', 'the account is disabled')],
  [0x701, reason('account_expired', 'the account has expired')],
  [0x773, reason('password_must_change', 'the password must be changed before signing in')],
  [0x775, reason('account_locked', 'the account is locked out')],
]);

/**
 * `data <hex>`, whatever the case and wherever it sits: clients and proxies wrap AD's text
 * (`[LDAP: error code 49 - 8009...]`), ldapts appends ` Code: 0x31`, and AD ends it with a NUL.
 * The hex must stand alone, so `data 52ez` or a bare `data` yields nothing.
 */
const SUB_CODE = /\bdata[\s:=]+(?:0x)?([0-9a-f]{1,8})(?![0-9a-z_])/i;

/** The `data` sub-code of an AD bind message, or undefined when it has none. */
export function adBindSubCode(message: unknown): number | undefined {
  if (typeof message !== 'string') return undefined;
  const hex = SUB_CODE.exec(message)?.[1];
  return hex === undefined ? undefined : Number.parseInt(hex, 16);
}

/**
 * What the gateway tells a caller for this AD bind message; undefined when it must stay
 * `invalid_credentials` (wrong password, unknown user, a sub-code not listed, no sub-code).
 */
export function adBindRejection(message: unknown): AdBindRejection | undefined {
  const subCode = adBindSubCode(message);
  return subCode === undefined ? undefined : REJECTIONS.get(subCode);
}

function reason(code: string, message: string): AdBindRejection {
  return { code, message };
}
