import type { OrganizationSettings } from '../config/types.js';
import { ACCOUNT_CONTROL_ATTRIBUTE } from './account-control.js';
import { escapeFilterValue } from './directory/escape.js';
import type { Directory } from './directory/directory.js';
import { refineBindRejection } from './directory/ldap-errors.js';
import type { DirectoryEntry } from './directory/entry.js';
import { GatewayError } from './errors.js';
import type { UserDirectory } from './plugin-api.js';

/** The UserDirectory an auth method sees: users of one organization, under its search base. */
export function createUserDirectory(
  directory: Directory,
  settings: OrganizationSettings,
  searchBase: string,
  attributes: readonly string[],
): UserDirectory {
  const userAttributes = withAttribute(attributes, ACCOUNT_CONTROL_ATTRIBUTE);
  return {
    async findUser(username: string): Promise<DirectoryEntry> {
      const filter = `(${settings.userIdAttribute}=${escapeFilterValue(username)})`;
      // Two are enough to tell "exactly one" from "several".
      const found = await directory.search({
        base: searchBase,
        filter,
        attributes: [...userAttributes],
        limit: 2,
      });
      if (found.length === 0) {
        throw new GatewayError('invalid_credentials', 'wrong user name or password');
      }
      if (found.length > 1) {
        throw new GatewayError(
          'ambiguous_user',
          `more than one directory entry has this ${settings.userIdAttribute}`,
        );
      }
      return found[0] as DirectoryEntry;
    },
    verifyPassword: (dn, password) => withBindReason(directory.verifyPassword(dn, password)),
    async verifyDigestMd5(username, password) {
      if (password.length === 0) {
        throw new GatewayError('invalid_credentials', 'wrong user name or password');
      }
      const exchange = directory.digestMd5(username, password);
      await withBindReason(directory.verifyWithSasl(exchange, username));
    },
  };
}

/** Active Directory says why it refused a bind (account disabled, locked...); pass that on. */
async function withBindReason(bind: Promise<void>): Promise<void> {
  try {
    await bind;
  } catch (error) {
    throw refineBindRejection(error);
  }
}

/** Adds `name` to a search's list; an empty list already asks for every attribute. */
function withAttribute(attributes: readonly string[], name: string): string[] {
  const wanted = name.toLowerCase();
  const present = attributes.some((attribute) => attribute.toLowerCase() === wanted);
  return present || attributes.length === 0 ? [...attributes] : [...attributes, name];
}
