/**
 * Starts throw-away OpenLDAP servers for tests through scripts/directory/start-slapd.sh, each on
 * free 127.0.0.1 ports and in its own temporary directory, loaded with
 * test/fixtures/directory.ldif plus generated bulk users. SASL DIGEST-MD5 always works; SASL
 * GSSAPI when given a KDC from ./kdc.ts.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { KdcHandle } from './kdc.js';

export interface SlapdOptions {
  /** Seconds before slapd drops an idle connection (olcIdleTimeout); 0 never. @default 0 */
  idleTimeoutSeconds?: number;
  /** Entries a plain search returns before result 4 sizeLimitExceeded; paged searches are not
   * capped. @default 500 */
  sizeLimit?: number;
  /** Generated users uid=user0001... under ou=users, on top of the fixture. @default 600 */
  bulkUsers?: number;
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

interface ScriptFailure extends Error {
  code?: number | string;
  stderr?: string;
}

/** Exit status of start-slapd.sh and start-kdc.sh when a port was taken after being picked. */
export const PORT_IN_USE_STATUS = 75;
const START_ATTEMPTS = 3;

const scriptsDir = join(findRepositoryRoot(), 'scripts', 'directory');
const running = new Set<SlapdHandle>();
let exitHookInstalled = false;

/**
 * Starts a private slapd and resolves once it answers. Call `stop()` when done (an `after` hook).
 * As a fallback, a slapd still running when this process exits is killed then, or within a
 * second by start-slapd.sh's watchdog if the process was killed outright.
 */
export async function startSlapd(options: SlapdOptions = {}): Promise<SlapdHandle> {
  const env = buildScriptEnvironment(options);

  for (let attempt = 1; ; attempt += 1) {
    const dir = await mkdtemp(join(tmpdir(), 'ldap-gateway-slapd-'));
    const [ldapPort, ldapsPort] = await pickFreePorts(2);
    try {
      await runScript('start-slapd.sh', [dir], {
        ...env,
        LDAP_PORT: String(ldapPort),
        LDAPS_PORT: String(ldapsPort),
      });
      return createHandle(dir, await readFile(join(dir, 'env.sh'), 'utf8'));
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      // Another process can grab a port between our probe closing it and slapd binding it.
      if ((error as ScriptFailure).code !== PORT_IN_USE_STATUS || attempt >= START_ATTEMPTS) {
        throw error;
      }
    }
  }
}

function buildScriptEnvironment(options: SlapdOptions): NodeJS.ProcessEnv {
  const idleTimeout = checkCount('idleTimeoutSeconds', options.idleTimeoutSeconds ?? 0);
  const sizeLimit = checkCount('sizeLimit', options.sizeLimit ?? 500);
  const bulkUsers = checkCount('bulkUsers', options.bulkUsers ?? 600);

  // Tests always get the repository's fixture, whatever the developer's shell exports.
  const env: NodeJS.ProcessEnv = { ...process.env };
  const inherited = ['FIXTURE_LDIF', 'EXTRA_LDIF', 'SASL_REALM', 'KRB5_KEYTAB', 'KRB5_CONFIG'];
  for (const name of [...inherited, 'SASL_SECPROPS']) {
    delete env[name];
  }
  const kerberos = options.kerberos;
  return {
    ...env,
    IDLE_TIMEOUT: String(idleTimeout),
    SIZE_LIMIT: String(sizeLimit),
    BULK_USERS: String(bulkUsers),
    // The script's watchdog stops slapd if this process dies without running any exit hook.
    WATCH_PID: String(process.pid),
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

function createHandle(dir: string, envFile: string): SlapdHandle {
  const values = parseEnvFile(envFile);
  const read = (key: string): string => {
    const value = values.get(key);
    if (value === undefined) throw new Error(`startSlapd: ${dir}/env.sh has no ${key}`);
    return value;
  };

  let stopping: Promise<void> | undefined;
  const handle: SlapdHandle = {
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
    pid: Number(read('SLAPD_PID')),
    dir,
    stop: () => {
      stopping ??= runScript('stop-slapd.sh', [dir], process.env).then(() => {
        running.delete(handle);
      });
      return stopping;
    },
  };
  running.add(handle);
  installExitHook();
  return handle;
}

/** Reads the KEY=VALUE lines start-slapd.sh and start-kdc.sh write (values are never quoted). */
export function parseEnvFile(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) values.set(match[1], match[2]);
  }
  return values;
}

/** Holds all listeners open together so the ports differ, then frees them for the server. */
export async function pickFreePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
    }
    return servers.map((server) => (server.address() as AddressInfo).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** Runs scripts/directory/NAME; rejects with its exit status in `code` and its stderr. */
export function runScript(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const script = join(scriptsDir, name);
  return new Promise((resolve, reject) => {
    // Loading 200,000 bulk users takes about 10 s; the default bulk load well under one.
    execFile('bash', [script, ...args], { env, timeout: 120_000 }, (error, _stdout, stderr) => {
      if (error === null) {
        resolve();
        return;
      }
      const failure: ScriptFailure = new Error(
        `${name} ${args.join(' ')} failed (exit ${String(error.code ?? error.signal)}):\n${stderr}`,
        { cause: error },
      );
      failure.code = error.code ?? undefined;
      failure.stderr = stderr;
      reject(failure);
    });
  });
}

/**
 * The repository root is the nearest ancestor holding scripts/directory/start-slapd.sh, so this
 * works from test/support/ (sources) and from dist/test/support/ (compiled) alike.
 */
function findRepositoryRoot(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'scripts', 'directory', 'start-slapd.sh'))) return dir;
    if (dirname(dir) === dir) {
      throw new Error(`startSlapd: no scripts/directory/start-slapd.sh above ${start}`);
    }
  }
}

/**
 * Last resort for a test that never called stop(), e.g. after a failed `before` hook: 'exit'
 * handlers must be synchronous, so signal slapd directly instead of running stop-slapd.sh.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const handle of running) {
      if (readProcessName(handle.pid) === 'slapd') {
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

/** The command name of a live process, from /proc; undefined once it is gone. */
export function readProcessName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}
