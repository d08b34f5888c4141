/**
 * Starts throw-away MIT Kerberos KDCs for tests through scripts/directory/start-kdc.sh, each on a
 * free 127.0.0.1 port (UDP and TCP) and in its own temporary directory. The principals' passwords
 * equal those of test/fixtures/directory.ldif; the script's header lists every principal.
 */
import { join } from 'node:path';

import { environmentWithout, startServer, type ServerKind } from './servers.js';

export interface KdcOptions {
  /**
   * A spoofed KDC: the same realm and principal names, but other random service keys and every
   * password `rogue-pw`. A ticket it issues must not pass for one of the real KDC. @default false
   */
  rogue?: boolean;
  /** @default 'LDAP.EXAMPLE.COM' (the fixture's directoryDomain ldap.example.com) */
  realm?: string;
  /** Generated principals user0001... with password bulk-pw. @default 50 */
  bulkUsers?: number;
}

export interface KdcHandle {
  /** 127.0.0.1:PORT, answering on UDP and TCP. */
  address: string;
  realm: string;
  /** krb5.conf for clients of this KDC only: no DNS, no reverse lookups, TCP first. */
  krb5Config: string;
  /** The KDC's own kdc.conf, for KRB5_KDC_PROFILE. */
  kdcProfile: string;
  /** gateway/localhost and HTTP/localhost: the key that proves a KDC genuine. */
  gatewayKeytab: string;
  /** gateway/localhost */
  gatewayPrincipal: string;
  /** ldap/localhost, ldap/127.0.0.1 and ldap/<uname -n>, for slapd's GSSAPI acceptor. */
  ldapKeytab: string;
  /** The key of servicePrincipal, the gateway's service account. */
  serviceKeytab: string;
  /** gateway-svc */
  servicePrincipal: string;
  /** gateway-svc-pw, or rogue-pw on a rogue KDC. */
  servicePassword: string;
  rogue: boolean;
  pid: number;
  /** Holds the KDC's config, database, keytabs and logs (krb5kdc.log, setup.log). */
  dir: string;
  /** Stops the KDC and deletes dir. Safe to call more than once. */
  stop(): Promise<void>;
}

/** Every principal's password on a rogue KDC. */
export const ROGUE_PASSWORD = 'rogue-pw';

const KDC: ServerKind = {
  name: 'kdc',
  caller: 'startKdc',
  processName: 'krb5kdc',
  pidKey: 'KDC_PID',
  portCount: 1,
};

/**
 * Starts a private KDC and resolves once it has issued a ticket. Call `stop()` when done (an
 * `after` hook). As a fallback, a KDC still running when this process exits is killed then, or
 * within a second by start-kdc.sh's watchdog if the process was killed outright.
 */
export async function startKdc(options: KdcOptions = {}): Promise<KdcHandle> {
  const env = buildScriptEnvironment(options);
  const portEnv = ([port]: number[]): NodeJS.ProcessEnv => ({ KDC_PORT: String(port) });
  return startServer(KDC, env, portEnv, (read) => ({
    address: read('KDC_ADDRESS'),
    realm: read('KRB5_REALM'),
    krb5Config: read('KRB5_CONFIG'),
    kdcProfile: read('KRB5_KDC_PROFILE'),
    gatewayKeytab: read('GATEWAY_KEYTAB'),
    gatewayPrincipal: read('GATEWAY_PRINCIPAL'),
    ldapKeytab: read('LDAP_KEYTAB'),
    serviceKeytab: read('SERVICE_KEYTAB'),
    servicePrincipal: read('SERVICE_PRINCIPAL'),
    servicePassword: read('SERVICE_PRINCIPAL_PASSWORD'),
    rogue: read('KDC_ROGUE') === '1',
  }));
}

/**
 * The environment for a Kerberos client (kinit, kvno, ldapwhoami) of this KDC: its krb5.conf, and
 * a credential cache and replay cache in clientDir, so that clients never share tickets.
 */
export function kerberosClientEnvironment(kdc: KdcHandle, clientDir: string): NodeJS.ProcessEnv {
  return {
    ...environmentWithout(['KRB5_KTNAME', 'KRB5_CLIENT_KTNAME', 'KRB5_TRACE']),
    KRB5_CONFIG: kdc.krb5Config,
    KRB5_KDC_PROFILE: kdc.kdcProfile,
    KRB5CCNAME: `FILE:${join(clientDir, 'ccache')}`,
    KRB5RCACHEDIR: clientDir,
  };
}

function buildScriptEnvironment(options: KdcOptions): NodeJS.ProcessEnv {
  const bulkUsers = options.bulkUsers ?? 50;
  if (!Number.isInteger(bulkUsers) || bulkUsers < 0 || bulkUsers > 9999) {
    throw new RangeError(`startKdc: bulkUsers must be a whole number 0-9999, got ${bulkUsers}`);
  }
  // Tests get the documented defaults, whatever the developer's shell exports.
  return {
    ...environmentWithout(['REALM', 'ROGUE', 'KRB5_CONFIG', 'KRB5_KDC_PROFILE', 'KRB5CCNAME']),
    ...(options.realm !== undefined && { REALM: options.realm }),
    BULK_USERS: String(bulkUsers),
    ROGUE: options.rogue === true ? '1' : '0',
    // The script's watchdog stops krb5kdc if this process dies without running any exit hook.
    WATCH_PID: String(process.pid),
  };
}
