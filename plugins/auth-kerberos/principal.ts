export { realmOf } from '../../core/plugin-api.js';

/** A user name as typed, and the principal the KDC is asked about. */
export interface UserPrincipal {
  principal: string;
  /** The name to look the user up by in the directory: the principal without this realm. */
  directoryName: string;
}

/**
 * `user` or `user@REALM`, starting with a letter or digit (never an option to kinit); no instance
 * (`/`), spaces or other characters a KDC name avoids.
 */
const USER_NAME = /^([A-Za-z0-9][A-Za-z0-9._-]{0,127})(?:@([A-Za-z0-9.-]{1,253}))?$/;

/**
 * `alice` becomes `alice@REALM`; an explicit `alice@REALM` is honoured, with this organization's
 * realm written in capitals however it was typed (`alice@ldap.example.com`, as users type their
 * UPN). Anything else (another realm, an instance such as `alice/admin`, spaces, filter
 * syntax) is no user of this organization.
 */
export function principalOf(username: string, realm: string): UserPrincipal | undefined {
  const match = USER_NAME.exec(username);
  if (!match) return undefined;
  const [, name, explicitRealm] = match;
  if (!explicitRealm) return { principal: `${name}@${realm}`, directoryName: name! };
  // The organization's krb5.conf names its realm only; cross-realm trust is not supported.
  if (explicitRealm.toUpperCase() !== realm) return undefined;
  return { principal: `${name}@${realm}`, directoryName: name! };
}
