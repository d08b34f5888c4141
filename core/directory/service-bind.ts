import type { OrganizationSettings } from '../../config/types.js';
import { GatewayError } from '../errors.js';
import type { GssCredentials } from '../kerberos/gss-credentials.js';
import { realmOf, serviceBindOf } from '../kerberos/realm.js';
import type { DirectoryConnection } from './connection.js';
import { ResultCode, resultCodeOf } from './ldap-errors.js';
import {
  digestMd5Exchange,
  gssapiExchange,
  type GssInitiator,
  type SaslExchange,
} from './sasl/exchange.js';

/**
 * Binds a new pooled connection as the service account with the organization's mechanism:
 * simple, SASL DIGEST-MD5 or SASL GSSAPI. A refusal of the account's credentials is told
 * apart from the directory being unreachable.
 */
export async function bindServiceAccount(
  connection: DirectoryConnection,
  settings: OrganizationSettings,
  gss: GssCredentials | undefined,
): Promise<void> {
  const { bindUsername, bindPassword } = settings;
  try {
    const mechanism = serviceBindOf(settings);
    if (mechanism === 'gssapi') {
      const initiator = await gssInitiatorFor(settings, gss);
      await connection.saslBind(gssapiExchange(initiator), bindUsername);
    } else if (mechanism === 'digest-md5') {
      await connection.saslBind(digestMd5For(settings, bindUsername, bindPassword), bindUsername);
    } else {
      await connection.bind(bindUsername, bindPassword);
    }
  } catch (error) {
    const code = resultCodeOf(error);
    if (code !== ResultCode.invalidCredentials && code !== ResultCode.other) throw error;
    throw new GatewayError(
      'service_account_rejected',
      'the directory rejected the service account (check bindUsername and bindPassword)',
      { cause: error },
    );
  }
}

/** DIGEST-MD5 for this directory: `digest-uri` names the server host, as AD insists. */
export function digestMd5For(
  settings: OrganizationSettings,
  username: string,
  password: string,
): SaslExchange {
  return digestMd5Exchange({
    username,
    password,
    realm: settings.saslRealm,
    digestUri: `ldap/${new URL(settings.serverUrl).hostname}`,
  });
}

async function gssInitiatorFor(
  settings: OrganizationSettings,
  gss: GssCredentials | undefined,
): Promise<GssInitiator> {
  if (!gss) {
    throw new GatewayError(
      'gssapi_unavailable',
      'SASL GSSAPI is not available: the kerberos package could not be loaded',
    );
  }
  const { bindUsername, bindPassword, kerberos, serverUrl } = settings;
  const principal = bindUsername.includes('@')
    ? bindUsername
    : `${bindUsername}@${realmOf(settings)}`;
  const secret = kerberos.serviceKeytab
    ? { principal, keytab: kerberos.serviceKeytab }
    : { principal, password: bindPassword };
  return gss.initiatorFor(secret, new URL(serverUrl).hostname);
}
