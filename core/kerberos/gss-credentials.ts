import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { GssInitiator } from '../directory/sasl/exchange.js';
import { GatewayError } from '../errors.js';

/** A realm the gateway talks GSSAPI in, and the directory hosts that belong to it. */
export interface GssRealm {
  realm: string;
  kdc: string;
  hosts: string[];
}

export interface ServiceSecret {
  principal: string;
  keytab?: string;
  password?: string;
}

interface KerberosModule {
  initializeClient(
    service: string,
    options: { principal?: string; mechOID?: unknown },
  ): Promise<{
    step(challenge: string): Promise<string | null>;
    unwrap(challenge: string): Promise<string>;
    wrap(message: string, options?: object): Promise<string>;
  }>;
  GSS_MECH_OID_KRB5: unknown;
}

// Named through a variable so the build does not need the optional package or its types: a
// machine without libkrb5-dev builds and runs, answering gssapi_unavailable.
const KERBEROS_PACKAGE = 'kerberos';

/** Service tickets are fetched again after this long, well inside a KDC's usual 10 hours. */
const REFRESH_AFTER_MS = 30 * 60 * 1000;

/**
 * The service accounts' Kerberos credentials for SASL GSSAPI binds, in one process.
 *
 * The GSS library reads KRB5_CONFIG and KRB5CCNAME from the process environment, so they are
 * set once to files of this gateway: a krb5.conf naming every organization's realm and KDC
 * (never /etc/krb5.conf), and a credential cache collection (DIR:) in which each service
 * account has a cache of its own, filled by kinit in a child process and picked by principal.
 */
export class GssCredentials {
  readonly #folder: string;
  readonly #kerberos: KerberosModule;
  readonly #realms = new Map<string, GssRealm>();
  readonly #fetchedAt = new Map<string, number>();

  private constructor(folder: string, kerberos: KerberosModule) {
    this.#folder = folder;
    this.#kerberos = kerberos;
  }

  /** Prepares the environment and loads the kerberos package; undefined when it cannot load. */
  static async start(): Promise<GssCredentials | undefined> {
    const folder = mkdtempSync(join(tmpdir(), 'ldap-gateway-gss-'));
    mkdirSync(join(folder, 'caches'));
    process.env['KRB5_CONFIG'] = join(folder, 'krb5.conf');
    process.env['KRB5CCNAME'] = `DIR:${join(folder, 'caches')}`;
    process.env['KRB5RCACHEDIR'] = folder;
    writeFileSync(join(folder, 'krb5.conf'), '[libdefaults]\n    dns_lookup_kdc = false\n');
    process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
    try {
      const loaded = (await import(KERBEROS_PACKAGE)) as { default?: KerberosModule };
      return new GssCredentials(folder, loaded.default ?? (loaded as unknown as KerberosModule));
    } catch {
      rmSync(folder, { recursive: true, force: true });
      return undefined;
    }
  }

  /** Adds a realm to the shared krb5.conf. One realm has one KDC in a gateway. */
  addRealm(realm: GssRealm): void {
    const known = this.#realms.get(realm.realm);
    if (known && known.kdc !== realm.kdc) {
      throw new GatewayError(
        'invalid_config',
        `realm ${realm.realm} is used with two KDCs (${known.kdc}, ${realm.kdc})`,
      );
    }
    const hosts = new Set([...(known?.hosts ?? []), ...realm.hosts]);
    this.#realms.set(realm.realm, { ...realm, hosts: [...hosts] });
    writeFileSync(join(this.#folder, 'krb5.conf'), this.#krb5Conf(), { mode: 0o600 });
  }

  /** A GSS initiator for `ldap@host` as the service account, with fresh credentials. */
  async initiatorFor(secret: ServiceSecret, host: string): Promise<GssInitiator> {
    await this.#ensureCredentials(secret);
    let client: Awaited<ReturnType<KerberosModule['initializeClient']>>;
    try {
      client = await this.#kerberos.initializeClient(`ldap@${host}`, {
        principal: secret.principal,
        mechOID: this.#kerberos.GSS_MECH_OID_KRB5,
      });
    } catch (error) {
      this.forget(secret);
      throw new GatewayError('gssapi_failed', 'no GSSAPI credentials for the service account', {
        cause: error,
      });
    }
    const guarded =
      <T>(call: () => Promise<T>) =>
      async (): Promise<T> => {
        try {
          return await call();
        } catch (error) {
          // Expired or revoked credentials: the next bind fetches new ones.
          this.forget(secret);
          throw new GatewayError('gssapi_failed', 'the GSSAPI exchange with the directory failed', {
            cause: error,
          });
        }
      };
    return {
      step: (challenge) => guarded(() => client.step(challenge))(),
      unwrap: (challenge) => guarded(() => client.unwrap(challenge))(),
      wrap: (message) => guarded(() => client.wrap(message))(),
    };
  }

  /** Forgets when credentials were fetched, so the next bind fetches them again. */
  forget(secret: ServiceSecret): void {
    this.#fetchedAt.delete(secretKeyOf(secret));
  }

  close(): void {
    rmSync(this.#folder, { recursive: true, force: true });
  }

  async #ensureCredentials(secret: ServiceSecret): Promise<void> {
    // Keyed by the secret too: an organization with a wrong password must not ride on the
    // credentials another organization fetched for the same principal.
    const key = secretKeyOf(secret);
    const fetchedAt = this.#fetchedAt.get(key);
    if (fetchedAt !== undefined && Date.now() - fetchedAt < REFRESH_AFTER_MS) return;
    const args = secret.keytab
      ? ['-k', '-t', secret.keytab, '--', secret.principal]
      : ['--', secret.principal];
    const { code, stderr } = await runKinit(args, secret.keytab ? '' : `${secret.password}\n`);
    if (code === null && stderr.includes('ENOENT')) {
      throw new GatewayError('gssapi_unavailable', 'kinit is not installed (Debian: krb5-user)');
    }
    if (code !== 0) {
      throw new GatewayError(
        'service_account_rejected',
        'the KDC refused the service account (check bindUsername and its keytab or password)',
        { cause: new Error(stderr.split('\n')[0]) },
      );
    }
    this.#fetchedAt.set(key, Date.now());
  }

  #krb5Conf(): string {
    const realms = [...this.#realms.values()];
    const lines = [
      '[libdefaults]',
      `    default_realm = ${realms[0]?.realm ?? ''}`,
      '    dns_lookup_kdc = false',
      '    dns_lookup_realm = false',
      '    rdns = false',
      '    dns_canonicalize_hostname = false',
      '    udp_preference_limit = 1',
      '',
      '[realms]',
      ...realms.flatMap(({ realm, kdc }) => [`    ${realm} = {`, `        kdc = ${kdc}`, '    }']),
      '',
      '[domain_realm]',
      ...realms.flatMap(({ realm, hosts }) => hosts.map((host) => `    ${host} = ${realm}`)),
      '',
    ];
    return lines.join('\n');
  }
}

function secretKeyOf(secret: ServiceSecret): string {
  const hidden = createHash('sha256')
    .update(secret.keytab ? `keytab:${secret.keytab}` : `password:${secret.password ?? ''}`)
    .digest('hex');
  return `${secret.principal}\0${hidden}`;
}

let shared: Promise<GssCredentials | undefined> | undefined;

/**
 * The process's one GssCredentials: the environment it sets is process-wide, so every gateway
 * in the process shares it (and its files live until the process ends).
 */
export function sharedGssCredentials(): Promise<GssCredentials | undefined> {
  shared ??= GssCredentials.start();
  return shared;
}

function runKinit(args: string[], input: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('kinit', args, {
      env: { ...process.env, PATH: `${process.env['PATH'] ?? ''}:/usr/bin:/bin`, LC_ALL: 'C' },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, stderr: error.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}
