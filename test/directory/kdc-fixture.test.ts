/**
 * The Kerberos test infrastructure: scripts/directory/start-kdc.sh, test/support/kdc.ts and the
 * SASL GSSAPI and DIGEST-MD5 binds of start-slapd.sh, checked with the MIT and OpenLDAP command
 * line clients. The texts asserted here are what MIT krb5 1.20 reports; mapping Kerberos errors to
 * sign-in outcomes relies on them.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  kerberosClientEnvironment,
  ROGUE_PASSWORD,
  startKdc,
  type KdcHandle,
} from '../support/kdc.js';
import { startSlapd, type SlapdHandle } from '../support/slapd.js';

const BULK_USERS = 3;

/** Principals and passwords shared with test/fixtures/directory.ldif. */
const FIXTURE_PASSWORDS: Array<[string, string]> = [
  ['alice', 'alice-pw'],
  ['bob', 'bob-pw'],
  ['jose', 'jose-pw'],
  ['jdoe', 'jane-pw'],
  ['frank', 'frank-pw'],
  ['paula', 'paula-pw'],
  ['carl', 'carl-pw'],
  ['frontdesk1', 'desk1-pw'],
  ['frontdesk2', 'desk2-pw'],
  ['user0001', 'bulk-pw'],
  [`user${String(BULK_USERS).padStart(4, '0')}`, 'bulk-pw'],
];

/** KDC error codes as MIT's com_err numbers them (ERROR_TABLE_BASE_krb5 + RFC 4120 code). */
const KDC_ERR_C_PRINCIPAL_UNKNOWN = -1765328378;
const KDC_ERR_CLIENT_REVOKED = -1765328366;
const KDC_ERR_KEY_EXPIRED = -1765328361;
const KDC_ERR_PREAUTH_FAILED = -1765328360;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

interface KinitRun extends Run {
  /** What libkrb5 logged to KRB5_TRACE, the KDC's error codes included. */
  trace: string;
}

/** A Kerberos client with its own credential cache: kinit, kvno and ldapwhoami share it. */
interface Client {
  dir: string;
  run(command: string, args: string[], input?: string, extraEnv?: NodeJS.ProcessEnv): Promise<Run>;
  /** kinit with the password on stdin, traced. */
  kinit(principal: string, password: string, extraEnv?: NodeJS.ProcessEnv): Promise<KinitRun>;
}

describe('test KDC with the directory fixture users', () => {
  let kdc: KdcHandle;
  let rogue: KdcHandle;
  let slapd: SlapdHandle;
  let clientsDir: string;

  async function connect(to: KdcHandle = kdc): Promise<Client> {
    const dir = await mkdtemp(join(clientsDir, 'client-'));
    // LDAPNOINIT: ldapwhoami reads neither /etc/ldap/ldap.conf nor ~/.ldaprc.
    const env = { ...kerberosClientEnvironment(to, dir), LDAPNOINIT: '1' };
    let traces = 0;
    const client: Client = {
      dir,
      run: (command, args, input, extraEnv = {}) =>
        runCommand(command, args, { ...env, ...extraEnv }, input),
      kinit: async (principal, password, extraEnv = {}) => {
        // A file: the test runner's pipes are sockets, which /dev/stderr cannot reopen.
        traces += 1;
        const traceFile = join(dir, `kinit-${traces}.trace`);
        const traceEnv = { KRB5_TRACE: traceFile, ...extraEnv };
        const run = await client.run('kinit', [principal], `${password}\n`, traceEnv);
        return { ...run, trace: await readFile(traceFile, 'utf8').catch(() => '') };
      },
    };
    return client;
  }

  async function signedIn(principal: string, password: string, to?: KdcHandle): Promise<Client> {
    const client = await connect(to);
    const result = await client.kinit(principal, password);
    assert.equal(result.status, 0, result.stderr);
    return client;
  }

  before(async () => {
    clientsDir = await mkdtemp(join(tmpdir(), 'ldap-gateway-krb5-clients-'));
    [kdc, rogue] = await Promise.all([
      startKdc({ bulkUsers: BULK_USERS }),
      startKdc({ rogue: true, bulkUsers: 0 }),
    ]);
    slapd = await startSlapd({ bulkUsers: 0, kerberos: kdc });
  });

  after(async () => {
    await Promise.allSettled([slapd?.stop(), kdc?.stop(), rogue?.stop()]);
    if (clientsDir) await rm(clientsDir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 only, UDP and TCP, in the realm of the fixture domain', () => {
    assert.match(kdc.address, /^127\.0\.0\.1:\d+$/);
    assert.equal(kdc.realm, 'LDAP.EXAMPLE.COM');
    const port = Number(kdc.address.split(':')[1]);
    assert.deepEqual(listeningAddresses(port), ['tcp 127.0.0.1', 'udp 127.0.0.1']);
  });

  it('answers over UDP as well as TCP', async () => {
    const client = await connect();
    // Without udp_preference_limit = 1, a small request goes over UDP first.
    const udpConfig = join(client.dir, 'krb5-udp.conf');
    const config = readFileSync(kdc.krb5Config, 'utf8');
    await writeFile(udpConfig, config.replace(/^ *udp_preference_limit = 1\n/m, ''));
    const result = await client.kinit('alice', 'alice-pw', { KRB5_CONFIG: udpConfig });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.trace, /Sending initial UDP request to dgram 127\.0\.0\.1/);
    assert.doesNotMatch(result.trace, /stream 127\.0\.0\.1/);
  });

  for (const [principal, password] of FIXTURE_PASSWORDS) {
    it(`issues ${principal} a ticket for the directory fixture's password`, async () => {
      const client = await signedIn(principal, password);
      const list = await client.run('klist', []);
      assert.match(list.stdout, new RegExp(`Default principal: ${principal}@${kdc.realm}`));
    });
  }

  // The KDC's error (read from KRB5_TRACE) and the message kinit ends with.
  const refusals = [
    {
      why: 'a wrong password',
      principal: 'alice',
      password: 'wrong',
      code: KDC_ERR_PREAUTH_FAILED,
      kdcSays: 'Preauthentication failed',
      kinitSays: 'Password incorrect',
    },
    {
      why: 'an unknown principal',
      principal: 'nobody',
      password: 'x',
      code: KDC_ERR_C_PRINCIPAL_UNKNOWN,
      kdcSays: 'Client not found in Kerberos database',
      kinitSays: "Client 'nobody@LDAP.EXAMPLE.COM' not found in Kerberos database",
    },
    // kinit then asks for a new password and, finding none on stdin, gives up.
    {
      why: 'the expired principal its right password',
      principal: 'expired',
      password: 'expired-pw',
      code: KDC_ERR_KEY_EXPIRED,
      kdcSays: 'Password has expired',
      kinitSays: 'Cannot read password',
    },
    // The KDC tells of the expiry before it checks the password; kinit then checks the password
    // itself with a ticket request for kadmin/changepw.
    {
      why: 'the expired principal a wrong password',
      principal: 'expired',
      password: 'wrong',
      code: KDC_ERR_KEY_EXPIRED,
      kdcSays: 'Password has expired',
      kinitSays: 'Password incorrect',
    },
    // Also told before the password is checked.
    {
      why: 'the locked principal its right password',
      principal: 'locked',
      password: 'locked-pw',
      code: KDC_ERR_CLIENT_REVOKED,
      kdcSays: "Client's credentials have been revoked",
      kinitSays: "Client's credentials have been revoked",
    },
    {
      why: 'the locked principal a wrong password',
      principal: 'locked',
      password: 'wrong',
      code: KDC_ERR_CLIENT_REVOKED,
      kdcSays: "Client's credentials have been revoked",
      kinitSays: "Client's credentials have been revoked",
    },
  ];
  for (const { why, principal, password, code, kdcSays, kinitSays } of refusals) {
    it(`refuses ${why}: KDC "${kdcSays}", kinit "${kinitSays}"`, async () => {
      const client = await connect();
      const result = await client.kinit(principal, password);
      assert.notEqual(result.status, 0);
      assert.ok(result.trace.includes(`Received error from KDC: ${code}/${kdcSays}`), result.trace);
      assert.ok(
        result.stderr.includes(`kinit: ${kinitSays} while getting initial credentials`),
        result.stderr,
      );
      assert.notEqual((await client.run('klist', ['-s'])).status, 0, 'no ticket is cached');
    });
  }

  it('tells the expired principal to change its password', async () => {
    const client = await connect();
    const result = await client.kinit('expired', 'expired-pw');
    assert.notEqual(result.status, 0);
    assert.match(result.stdout, /Password expired\. {2}You must change it now\./);
  });

  for (const principal of ['gateway/localhost', 'HTTP/localhost']) {
    it(`knows the key of ${principal} in the gateway keytab, proving the KDC genuine`, async () => {
      const client = await signedIn('alice', 'alice-pw');
      const result = await client.run('kvno', [
        '-k',
        kdc.gatewayKeytab,
        `${principal}@${kdc.realm}`,
      ]);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /kvno = 1, keytab entry valid/);
    });
  }

  it('gets a rogue ticket for gateway/localhost rejected by the real gateway keytab', async () => {
    const client = await signedIn('alice', ROGUE_PASSWORD, rogue);
    const principal = `${kdc.gatewayPrincipal}@${kdc.realm}`;
    const result = await client.run('kvno', ['-k', kdc.gatewayKeytab, principal]);
    assert.notEqual(result.status, 0);
    // Both lines on stderr; a valid entry is reported on stdout.
    assert.match(result.stderr, /kvno = 1, keytab entry invalid/);
    assert.match(result.stderr, /kvno: Wrong principal in request while decrypting ticket/);
  });

  it('gives the rogue principals the rogue password instead of the fixture ones', async () => {
    assert.equal(rogue.realm, kdc.realm);
    const client = await connect(rogue);
    const result = await client.kinit('alice', 'alice-pw');
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /kinit: Password incorrect/);
    for (const principal of ['alice', 'bob', rogue.servicePrincipal]) {
      await signedIn(principal, ROGUE_PASSWORD, rogue);
    }
  });

  it('issues gateway-svc a ticket from the service keytab and from its password', async () => {
    const client = await connect();
    const fromKeytab = await client.run('kinit', ['-k', '-t', kdc.serviceKeytab, 'gateway-svc']);
    assert.equal(fromKeytab.status, 0, fromKeytab.stderr);
    await signedIn(kdc.servicePrincipal, 'gateway-svc-pw');
  });

  it('maps gateway-svc to cn=gateway over SASL GSSAPI', async () => {
    assert.equal(slapd.gssapi, true);
    const client = await connect();
    await client.run('kinit', ['-k', '-t', kdc.serviceKeytab, kdc.servicePrincipal]);
    const result = await client.run('ldapwhoami', ['-Q', '-Y', 'GSSAPI', '-H', slapd.url]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), `dn:${slapd.serviceDn}`);
  });

  it('maps a user principal to its entry under ou=users over SASL GSSAPI', async () => {
    const client = await signedIn('alice', 'alice-pw');
    const result = await client.run('ldapwhoami', ['-Q', '-Y', 'GSSAPI', '-H', slapd.url]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), `dn:uid=alice,${slapd.usersDn}`);
  });

  it('refuses SASL GSSAPI to a client without a ticket', async () => {
    const client = await connect();
    const result = await client.run('ldapwhoami', ['-Q', '-Y', 'GSSAPI', '-H', slapd.url]);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /No Kerberos credentials available/);
  });

  it('offers the KDC realm in DIGEST-MD5 challenges', () => {
    assert.equal(slapd.saslRealm, kdc.realm);
  });

  // user, password, ldapwhoami's exit status (the LDAP result code), what it prints.
  const digestBinds: Array<[string, string, number, string]> = [
    ['alice', 'alice-pw', 0, 'dn:uid=alice,ou=users,dc=ldap,dc=example,dc=com'],
    ['alice', 'wrong', 49, 'Invalid credentials (49)'],
    ['nobody', 'x', 80, 'unable to canonify user and get auxprops'],
  ];
  for (const [user, password, status, output] of digestBinds) {
    it(`answers ${status} to a DIGEST-MD5 bind of ${user} with ${password}`, async () => {
      const client = await connect();
      const result = await client.run('ldapwhoami', [
        '-Q',
        '-Y',
        'DIGEST-MD5',
        '-U',
        user,
        '-w',
        password,
        '-H',
        slapd.url,
      ]);
      assert.equal(result.status, status, result.stderr);
      assert.ok((result.stdout + result.stderr).includes(output), result.stdout + result.stderr);
    });
  }
});

describe('startKdc().stop()', () => {
  it('ends the krb5kdc process and deletes its directory', async () => {
    const kdc = await startKdc({ bulkUsers: 0 });
    assert.equal(isRunning(kdc.pid), true);

    await kdc.stop();
    assert.equal(isRunning(kdc.pid), false);
    assert.equal(existsSync(kdc.dir), false);
  });
});

/** Runs a command to its end; never rejects for a non-zero exit status. */
function runCommand(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  input = '',
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, timeout: 10_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    // A command that exits without reading its input (kinit with a keytab) is no failure here.
    child.stdin.on('error', () => {});
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

/**
 * Who listens on PORT, from /proc/net (IPv6 included), e.g. "tcp 127.0.0.1". Only listening TCP
 * sockets (state 0A) and unconnected UDP ones (07) count, not the connections kinit left behind.
 */
function listeningAddresses(port: number): string[] {
  const listening = { tcp: '0A', tcp6: '0A', udp: '07', udp6: '07' };
  const found: string[] = [];
  for (const [table, state] of Object.entries(listening)) {
    const rows = readFileSync(`/proc/net/${table}`, 'utf8').trim().split('\n').slice(1);
    for (const row of rows) {
      const columns = row.trim().split(/\s+/);
      const [address = '', hexPort = ''] = (columns[1] ?? '').split(':');
      if (parseInt(hexPort, 16) !== port || columns[3] !== state) continue;
      found.push(`${table.replace('6', '')} ${formatProcAddress(address)}`);
    }
  }
  return found.sort();
}

/** /proc/net writes an IPv4 address as one little-endian hex word: 0100007F is 127.0.0.1. */
function formatProcAddress(hex: string): string {
  if (hex.length !== 8) return `[${hex}]`;
  return [6, 4, 2, 0].map((at) => parseInt(hex.slice(at, at + 2), 16)).join('.');
}

/** A zombie has exited already; it only waits to be reaped by its new parent. */
function isRunning(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2];
    return state !== 'Z';
  } catch {
    return false;
  }
}
