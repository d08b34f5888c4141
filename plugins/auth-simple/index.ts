import {
  PLUGIN_API_VERSION,
  type AuthPluginDefinition,
  type SignInAttempt,
  type UserDirectory,
} from '../../core/plugin-api.js';

/**
 * `simple`: find the user's entry with the service account, then bind as that entry's DN
 * with the user's password (the search-then-bind of RFC 4513 section 5.1.3).
 */
export const simpleAuth: AuthPluginDefinition = {
  type: 'simple',
  kind: 'auth',
  apiVersion: PLUGIN_API_VERSION,
  optionsSchema: { type: 'object', additionalProperties: false },
  create: () => ({
    async authenticate(attempt: SignInAttempt, directory: UserDirectory) {
      const entry = await directory.findUser(attempt.username);
      await directory.verifyPassword(entry.dn, attempt.password);
      return entry;
    },
  }),
};
