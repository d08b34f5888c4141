/**
 * Starts throw-away MIT Kerberos KDCs for tests through scripts/directory/start-kdc.sh, each on a
 * free 127.0.0.1 port (UDP and TCP) and in its own temporary directory. The principals' passwords
 * equal those of test/fixtures/directory.ldif; the script's header lists every principal.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  parseEnvFile,
  pickFreePorts,
  PORT_IN_USE_STATUS,
  readProcessName,
  runScript,
} from './slapd.js';

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

const START_ATTEMPTS = 3;
const running = new Set<KdcHandle>();
let exitHookInstalled = false;

/**
 * Starts a private KDC and resolves once it has issued a ticket. Call `stop()` when done (an
 * `after` hook). As a fallback, a KDC still running when this process exits is killed then, or
 * within a second by start-kdc.sh's watchdog if the process was killed outright.
 */
export async function startKdc(options: KdcOptions = {}): Promise<KdcHandle> {
  const env = buildScriptEnvironment(options);

  for (let attempt = 1; ; attempt += 1) {
    const dir = await mkdtemp(join(tmpdir(), 'ldap-gateway-kdc-'));
    const [port] = await pickFreePorts(1);
    try {
      await runScript('start-kdc.sh', [dir], { ...env, KDC_PORT: String(port) });
      return createHandle(dir, await readFile(join(dir, 'env.sh'), 'utf8'));
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      // The port was free for TCP when picked, but its UDP twin may be taken, or either grabbed.
      if ((error as { code?: unknown }).code !== PORT_IN_USE_STATUS || attempt >= START_ATTEMPTS) {
        throw error;
      }
    }
  }
}

/**
 * The environment for a Kerberos client (kinit, kvno, ldapwhoami) of this KDC: its krb5.conf, and
 * a credential cache and replay cache in clientDir, so that clients never share tickets.
 */
export function kerberosClientEnvironment(kdc: KdcHandle, clientDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['KRB5_KTNAME', 'KRB5_CLIENT_KTNAME', 'KRB5_TRACE']) delete env[name];
  return {
    ...env,
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
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['REALM', 'ROGUE', 'KRB5_CONFIG', 'KRB5_KDC_PROFILE', 'KRB5CCNAME']) {
    delete env[name];
  }
  return {
    ...env,
    ...(options.realm !== undefined && { REALM: options.realm }),
    BULK_USERS: String(bulkUsers),
    ROGUE: options.rogue === true ? '1' : '0',
    // The script's watchdog stops krb5kdc if this process dies without running any exit hook.
    WATCH_PID: String(process.pid),
  };
}

function createHandle(dir: string, envFile: string): KdcHandle {
  const values = parseEnvFile(envFile);
  const read = (key: string): string => {
    const value = values.get(key);
    if (value === undefined) throw new Error(`startKdc: ${dir}/env.sh has no ${key}`);
    return value;
  };

  let stopping: Promise<void> | undefined;
  const handle: KdcHandle = {
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
    pid: Number(read('KDC_PID')),
    dir,
    stop: () => {
      stopping ??= runScript('stop-kdc.sh', [dir], process.env).then(() => {
        running.delete(handle);
      });
      return stopping;
    },
  };
  running.add(handle);
  installExitHook();
  return handle;
}

/**
 * Last resort for a test that never called stop(): 'exit' handlers must be synchronous, so
 * signal krb5kdc directly instead of running stop-kdc.sh.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const handle of running) {
      if (readProcessName(handle.pid) === 'krb5kdc') {
        try {
          process.kill(handle.pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
      }
      if (process.env.KEEP_DIR !== '1') rmSync(handle.dir, { recursive: true, force: true });
    }
  });
}
