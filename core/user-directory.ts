import type { OrganizationSettings } from '../config/types.js';
import { escapeFilterValue } from './directory/escape.js';
import type { Directory } from './directory/directory.js';
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
  return {
    async findUser(username: string): Promise<DirectoryEntry> {
      const filter = `(${settings.userIdAttribute}=${escapeFilterValue(username)})`;
      // Two are enough to tell "exactly one" from "several".
      const found = await directory.search({
        base: searchBase,
        filter,
        attributes: [...attributes],
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
    verifyPassword: (dn, password) => directory.verifyPassword(dn, password),
    async verifyDigestMd5(username, password) {
      if (password.length === 0) {
        throw new GatewayError('invalid_credentials', 'wrong user name or password');
      }
      await directory.verifyWithSasl(directory.digestMd5(username, password), username);
    },
  };
}
