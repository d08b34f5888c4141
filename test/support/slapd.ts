/**
 * Starts throw-away OpenLDAP servers for tests through scripts/directory/start-slapd.sh, each on
 * free 127.0.0.1 ports and in its own temporary directory, loaded with
 * test/fixtures/directory.ldif plus generated bulk users, and optionally a further LDIF file.
 * SASL DIGEST-MD5 always works; SASL GSSAPI when given a KDC from ./kdc.ts.
 */
import type { KdcHandle } from './kdc.js';
import { environmentWithout, startServer, type ServerKind } from './servers.js';

export interface SlapdOptions {
  /** Seconds before slapd drops an idle connection (olcIdleTimeout); 0 never. @default 0 */
  idleTimeoutSeconds?: number;
  /** Entries a plain search returns before result 4 sizeLimitExceeded; paged searches are not
   * capped. @default 500 */
  sizeLimit?: number;
  /** Generated users uid=user0001... under ou=users, on top of the fixture. @default 600 */
  bulkUsers?: number;
  /**
   * Path of an LDIF file loaded last, after the fixture and the bulk users (EXTRA_LDIF), e.g.
   * scripts/messy-data/ output. Its entries must lie under the fixture's suffix. None by default.
   */
  extraLdif?: string;
  /**
   * Turns SASL GSSAPI on with this KDC's ldap/ keys and its realm as the SASL realm: principal
   * X maps to uid=X,ou=users and gateway-svc to cn=gateway. Off by default.
   */
  kerberos?: KdcHandle;
  /** olcSaslSecProps, e.g. 'forwardsec' for a slapd that offers no DIGEST-MD5. */
  saslSecProps?: string;
}

export interface SlapdHandle {
  /** ldap://127.0.0.1:PORT, offering StartTLS. */
  url: string;
  /** ldaps://127.0.0.1:PORT. */
  ldapsUrl: string;
  /** PEM file of the throw-away CA that signed the server certificate. */
  caFile: string;
  /** dc=ldap,dc=example,dc=com */
  baseDn: string;
  /** ou=users,dc=ldap,dc=example,dc=com */
  usersDn: string;
  /** The gateway's service account: reads every attribute but userPassword. */
  serviceDn: string;
  servicePassword: string;
  /** The rootdn: no access control, no size limit. */
  adminDn: string;
  adminPassword: string;
  /** The realm slapd offers in DIGEST-MD5 challenges; the KDC's realm with `kerberos`.
   * @default 'LDAP.EXAMPLE.COM' */
  saslRealm: string;
  /** True when started with `kerberos`: slapd accepts SASL GSSAPI. */
  gssapi: boolean;
  pid: number;
  /** Holds slapd's config, data, certificates and logs (slapd.log, setup.log). */
  dir: string;
  /** Stops slapd and deletes dir. Safe to call more than once. */
  stop(): Promise<void>;
}

const SLAPD: ServerKind = {
  name: 'slapd',
  caller: 'startSlapd',
  processName: 'slapd',
  pidKey: 'SLAPD_PID',
  portCount: 2,
};

/**
 * Starts a private slapd and resolves once it answers. Call `stop()` when done (an `after` hook).
 * As a fallback, a slapd still running when this process exits is killed then, or within a
 * second by start-slapd.sh's watchdog if the process was killed outright.
 */
export async function startSlapd(options: SlapdOptions = {}): Promise<SlapdHandle> {
  const env = buildScriptEnvironment(options);
  const portEnv = ([ldapPort, ldapsPort]: number[]): NodeJS.ProcessEnv => ({
    LDAP_PORT: String(ldapPort),
    LDAPS_PORT: String(ldapsPort),
  });
  return startServer(SLAPD, env, portEnv, (read) => ({
    url: read('LDAP_URL'),
    ldapsUrl: read('LDAPS_URL'),
    caFile: read('LDAP_CA_FILE'),
    baseDn: read('LDAP_BASE_DN'),
    usersDn: read('LDAP_USERS_DN'),
    serviceDn: read('LDAP_SERVICE_DN'),
    servicePassword: read('LDAP_SERVICE_PASSWORD'),
    adminDn: read('LDAP_ADMIN_DN'),
    adminPassword: read('LDAP_ADMIN_PASSWORD'),
    saslRealm: read('LDAP_SASL_REALM'),
    gssapi: read('LDAP_GSSAPI') === '1',
  }));
}

function buildScriptEnvironment(options: SlapdOptions): NodeJS.ProcessEnv {
  const idleTimeout = checkCount('idleTimeoutSeconds', options.idleTimeoutSeconds ?? 0);
  const sizeLimit = checkCount('sizeLimit', options.sizeLimit ?? 500);
  const bulkUsers = checkCount('bulkUsers', options.bulkUsers ?? 600);

  // Tests always get the repository's fixture, whatever the developer's shell exports.
  const env = environmentWithout([
    'FIXTURE_LDIF',
    'EXTRA_LDIF',
    'SASL_REALM',
    'KRB5_KEYTAB',
    'KRB5_CONFIG',
    'SASL_SECPROPS',
  ]);
  const kerberos = options.kerberos;
  return {
    ...env,
    IDLE_TIMEOUT: String(idleTimeout),
    SIZE_LIMIT: String(sizeLimit),
    BULK_USERS: String(bulkUsers),
    // The script's watchdog stops slapd if this process dies without running any exit hook.
    WATCH_PID: String(process.pid),
    ...(options.extraLdif && { EXTRA_LDIF: options.extraLdif }),
    ...(options.saslSecProps && { SASL_SECPROPS: options.saslSecProps }),
    ...(kerberos && {
      KRB5_KEYTAB: kerberos.ldapKeytab,
      KRB5_CONFIG: kerberos.krb5Config,
      SASL_REALM: kerberos.realm,
    }),
  };
}

function checkCount(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`startSlapd: ${name} must be a whole number >= 0, got ${value}`);
  }
  return value;
}
