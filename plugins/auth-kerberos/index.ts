import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  GatewayError,
  PLUGIN_API_VERSION,
  type AuthMethod,
  type AuthPluginDefinition,
  type PluginContext,
  type SignInAttempt,
  type UserDirectory,
} from '../../core/plugin-api.js';
import { checkPasswordWithKdc, type KdcCheckSettings } from './kdc-check.js';
import { krb5ConfFor } from './krb5-conf.js';
import { principalOf, realmOf } from './principal.js';

/**
 * `kerberos`: the organization's KDC decides the password (see kdc-check.ts for how a spoofed
 * KDC is caught), then the user's entry is read from the directory by userIdAttribute so the
 * answer carries the same user object as the other methods.
 */
export const kerberosAuth: AuthPluginDefinition = {
  type: 'kerberos',
  kind: 'auth',
  apiVersion: PLUGIN_API_VERSION,
  optionsSchema: { type: 'object', additionalProperties: false },
  create: (_options, context) => createKerberosAuth(context),
};

function createKerberosAuth(context: PluginContext): AuthMethod {
  const { settings } = context;
  const realm = realmOf(settings);
  // Each organization gets its own krb5.conf: realms and KDCs never mix between customers.
  const workDir = mkdtempSync(join(tmpdir(), 'ldap-gateway-krb5-'));
  const krb5Config = join(workDir, 'krb5.conf');
  writeFileSync(krb5Config, krb5ConfFor(realm, settings.kdcServer, workDir), { mode: 0o600 });
  const servicePrincipal = settings.kerberos.servicePrincipal.includes('@')
    ? settings.kerberos.servicePrincipal
    : `${settings.kerberos.servicePrincipal}@${realm}`;
  const check: KdcCheckSettings = {
    krb5Config,
    workDir,
    keytab: settings.kerberos.keytab,
    servicePrincipal,
    timeoutMs: settings.timeouts.operationMs,
  };

  return {
    async authenticate(attempt: SignInAttempt, directory: UserDirectory) {
      const user = principalOf(attempt.username, realm);
      // kinit reads one line and stops at NUL: a password holding either would be cut short.
      if (!user || /[\0\r\n]/.test(attempt.password)) {
        throw new GatewayError('invalid_credentials', 'wrong user name or password');
      }
      await checkPasswordWithKdc(user.principal, attempt.password, check);
      return directory.findUser(user.directoryName);
    },
    close() {
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
