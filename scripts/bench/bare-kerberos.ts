import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client, type Entry } from 'ldapts';

import { krb5ConfFor } from '../../plugins/auth-kerberos/krb5-conf.js';
import type { KdcHandle } from '../../test/support/kdc.js';
import type { SlapdHandle } from '../../test/support/slapd.js';
import { BarePool } from './bare-pool.js';
import { findByUid, type BareSignIn, type UserSearch } from './bare-sign-in.js';

/** Longest a kinit or kvno may run before it is killed, as the gateway's operationMs. */
const TOOL_TIMEOUT_MS = 10_000;

/**
 * A Kerberos sign-in done directly: kinit with the password, kvno -k to prove the KDC holds the
 * gateway's key (the same two child processes as the gateway, with a credential cache of their
 * own per attempt and a krb5.conf written the same way), then the entry by uid with ldapts.
 */
export class BareKerberosSignIn implements BareSignIn {
  readonly #kdc: KdcHandle;
  readonly #workDir: string;
  readonly #service: BarePool;
  readonly #search: UserSearch;

  private constructor(kdc: KdcHandle, workDir: string, service: BarePool, search: UserSearch) {
    this.#kdc = kdc;
    this.#workDir = workDir;
    this.#service = service;
    this.#search = search;
  }

  static async open(
    kdc: KdcHandle,
    slapd: SlapdHandle,
    poolSize: number,
    search: UserSearch,
  ): Promise<BareKerberosSignIn> {
    const workDir = await mkdtemp(join(tmpdir(), 'ldap-gateway-bench-krb5-'));
    const config = krb5ConfFor(kdc.realm, kdc.address, workDir);
    await writeFile(join(workDir, 'krb5.conf'), config, { mode: 0o600 });
    const service = await BarePool.open(poolSize, async () => {
      const client = new Client({ url: slapd.url });
      await client.bind(slapd.serviceDn, slapd.servicePassword);
      return client;
    });
    return new BareKerberosSignIn(kdc, workDir, service, search);
  }

  async signIn(username: string, password: string): Promise<Entry | undefined> {
    // kinit reads one line; the bench's names are plain (the gateway checks them in full).
    if (password.length === 0 || /[\r\n]/.test(password)) return undefined;
    const cache = join(this.#workDir, `cc-${randomUUID()}`);
    const env = {
      PATH: `${process.env['PATH'] ?? ''}:/usr/bin:/bin:/usr/sbin:/sbin`,
      LC_ALL: 'C',
      KRB5_CONFIG: join(this.#workDir, 'krb5.conf'),
      KRB5CCNAME: `FILE:${cache}`,
      KRB5RCACHEDIR: this.#workDir,
    };
    try {
      const principal = `${username}@${this.#kdc.realm}`;
      if ((await runTool('kinit', ['--', principal], `${password}\n`, env)) !== 0) return undefined;
      const gateway = `${this.#kdc.gatewayPrincipal}@${this.#kdc.realm}`;
      await runTool('kvno', ['-k', this.#kdc.gatewayKeytab, gateway], '', env, { mustPass: true });
    } finally {
      await rm(cache, { force: true });
    }
    return findByUid(this.#service, this.#search, username);
  }

  async close(): Promise<void> {
    await this.#service.close();
    await rm(this.#workDir, { recursive: true, force: true });
  }
}

/** Runs a Kerberos tool and resolves with its exit status; with `mustPass`, throws unless 0. */
function runTool(
  command: string,
  args: string[],
  input: string,
  env: NodeJS.ProcessEnv,
  { mustPass = false } = {},
): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env,
      stdio: ['pipe', 'ignore', 'pipe'],
      timeout: TOOL_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0 || !mustPass) resolve(code);
      else reject(new Error(`bench: ${command} failed (${code}): ${stderr.trim()}`));
    });
    // kinit reads the password from standard input when it is not a terminal.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}
