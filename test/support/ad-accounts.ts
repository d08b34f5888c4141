/**
 * How Active Directory answers a simple bind, decided from the account's attributes, for the
 * AD-like test directory (./ad-directory.ts). Result 49 carries a Win32 error number in hex
 * (`data 533`) in a diagnostic message of AD's exact form.
 */
import { valuesOf, type DirectoryEntry } from '../../core/demo/directory-tree.js';

/** The `data` sub-codes of a refused bind (Win32 error numbers). */
export const SubCode = {
  noSuchUser: 0x525,
  logonFailure: 0x52e,
  invalidLogonHours: 0x530,
  invalidWorkstation: 0x531,
  passwordExpired: 0x532,
  accountDisabled: 0x533,
  accountExpired: 0x701,
  passwordMustChange: 0x773,
  accountLockedOut: 0x775,
} as const;

/** userAccountControl flags the checks read. */
export const AccountFlag = {
  disabled: 0x2,
  normalAccount: 0x200,
  passwordNeverExpires: 0x10000,
} as const;

/** What the bind is checked against besides the entry. */
export interface BindContext {
  now: Date;
  /** The name AD checks userWorkstations against; for an LDAP bind, the DC's own. */
  workstation: string;
  /** The domain's maxPwdAge. */
  maxPasswordAgeMs: number;
}

/** The account behind an entry: its password, and whether its state is enforced at bind. */
export interface AdAccount {
  entry: DirectoryEntry;
  password: string;
  enforcesAccountState: boolean;
}

/** accountExpires values that mean "never". */
const NEVER = new Set(['0', '9223372036854775807']);
/** 100 ns ticks between 1601-01-01 (FILETIME's epoch) and 1970-01-01. */
const FILETIME_EPOCH_OFFSET = 116_444_736_000_000_000n;

/**
 * The sub-code AD answers a simple bind with, or undefined for success. A lockout is reported
 * whatever the password; a wrong password hides every other state; the rest are told only to
 * the right password.
 */
export function bindSubCode(
  account: AdAccount | undefined,
  password: string,
  context: BindContext,
): number | undefined {
  if (!account) return SubCode.noSuchUser;
  const entry = account.entry;
  if (fileTimeOf(entry, 'lockoutTime') > 0n) return SubCode.accountLockedOut;
  if (password !== account.password) return SubCode.logonFailure;
  if (!account.enforcesAccountState) return undefined;
  return accountStateSubCode(entry, context);
}

function accountStateSubCode(entry: DirectoryEntry, context: BindContext): number | undefined {
  const flags = Number(text(entry, 'userAccountControl') ?? AccountFlag.normalAccount);
  const now = toFileTime(context.now);
  if (flags & AccountFlag.disabled) return SubCode.accountDisabled;
  const expires = text(entry, 'accountExpires') ?? '0';
  if (!NEVER.has(expires) && BigInt(expires) <= now) return SubCode.accountExpired;
  if (!withinLogonHours(entry, context.now)) return SubCode.invalidLogonHours;
  const workstations = text(entry, 'userWorkstations');
  if (workstations !== undefined && !listsName(workstations, context.workstation)) {
    return SubCode.invalidWorkstation;
  }
  const passwordSet = fileTimeOf(entry, 'pwdLastSet');
  if (passwordSet === 0n) return SubCode.passwordMustChange;
  const maxAge = BigInt(context.maxPasswordAgeMs) * 10_000n;
  const expiring = (flags & AccountFlag.passwordNeverExpires) === 0;
  if (expiring && passwordSet + maxAge <= now) return SubCode.passwordExpired;
  return undefined;
}

const MESSAGE_HEAD = '80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error';

/** AD's diagnostic message for a refused bind, NUL included, as Windows Server 2016+ sends it. */
export function bindMessage(subCode: number): string {
  return `${MESSAGE_HEAD}, data ${subCode.toString(16)}, v4563\0`;
}

/** A date as AD stores it in pwdLastSet, lockoutTime and accountExpires. */
export function toFileTime(date: Date): bigint {
  return BigInt(date.getTime()) * 10_000n + FILETIME_EPOCH_OFFSET;
}

/**
 * logonHours holds 21 bytes, one bit per hour of the week in UTC from Sunday 00:00, lowest bit
 * first; a clear bit forbids that hour. No attribute means any hour.
 */
function withinLogonHours(entry: DirectoryEntry, now: Date): boolean {
  const [hours] = valuesOf(entry, 'logonHours');
  if (!Buffer.isBuffer(hours) || hours.length !== 21) return true;
  const hour = now.getUTCDay() * 24 + now.getUTCHours();
  return ((hours[hour >> 3]! >> (hour & 7)) & 1) === 1;
}

function listsName(list: string, name: string): boolean {
  return list.split(',').some((item) => item.trim().toLowerCase() === name.toLowerCase());
}

function fileTimeOf(entry: DirectoryEntry, name: string): bigint {
  return BigInt(text(entry, name) ?? '0');
}

function text(entry: DirectoryEntry, name: string): string | undefined {
  const [value] = valuesOf(entry, name);
  return typeof value === 'string' ? value : undefined;
}
