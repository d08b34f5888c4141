import {
  PLUGIN_API_VERSION,
  type AuthPluginDefinition,
  type SignInAttempt,
  type UserDirectory,
} from '../../core/plugin-api.js';

/**
 * `digest-md5`: find the user's entry with the service account, then prove the password with
 * a SASL DIGEST-MD5 bind (RFC 2831) under the name the user typed, so the password never
 * crosses the wire. The server maps that name to an entry itself (OpenLDAP: olcAuthzRegexp).
 * DIGEST-MD5 is Historic (RFC 6331); the gateway warns when it runs without TLS.
 */
export const digestMd5Auth: AuthPluginDefinition = {
  type: 'digest-md5',
  kind: 'auth',
  apiVersion: PLUGIN_API_VERSION,
  optionsSchema: { type: 'object', additionalProperties: false },
  create: () => ({
    async authenticate(attempt: SignInAttempt, directory: UserDirectory) {
      const entry = await directory.findUser(attempt.username);
      await directory.verifyDigestMd5(attempt.username, attempt.password);
      return entry;
    },
  }),
};
