import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

import { GatewayError } from '../../core/plugin-api.js';

export interface KdcCheckSettings {
  /** krb5.conf naming this organization's realm and KDC, nothing else. */
  krb5Config: string;
  /** A private folder for the short-lived credential caches. */
  workDir: string;
  /** The gateway's keytab and its principal in it. */
  keytab: string;
  servicePrincipal: string;
  timeoutMs: number;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * Checks a password with the KDC and proves the KDC genuine: kinit gets the user's ticket, then
 * kvno gets a ticket for the gateway's own principal and opens it with the gateway's keytab.
 * A KDC that does not hold the gateway's key cannot issue that ticket, so it cannot make a
 * wrong password pass. Each check runs in child processes with a credential cache of its own,
 * so concurrent sign-ins never share one (the approach of SSSD's krb5_child).
 */
export async function checkPasswordWithKdc(
  principal: string,
  password: string,
  settings: KdcCheckSettings,
): Promise<void> {
  const cache = join(settings.workDir, `cc-${randomUUID()}`);
  const env = {
    PATH: `${process.env['PATH'] ?? ''}:/usr/bin:/bin:/usr/sbin:/sbin`,
    LC_ALL: 'C',
    KRB5_CONFIG: settings.krb5Config,
    KRB5CCNAME: `FILE:${cache}`,
    KRB5RCACHEDIR: settings.workDir,
  };
  try {
    const kinit = await run('kinit', ['--', principal], `${password}\n`, env, settings.timeoutMs);
    if (kinit.code !== 0) throw classifyKinitFailure(kinit);
    const kvno = await run(
      'kvno',
      ['-k', settings.keytab, settings.servicePrincipal],
      '',
      env,
      settings.timeoutMs,
    );
    if (kvno.code !== 0) throw classifyKvnoFailure(kvno);
  } finally {
    await rm(cache, { force: true });
  }
}

/** Maps what MIT kinit says to a gateway error; the texts come from krb5's error tables. */
export function classifyKinitFailure(result: Run): GatewayError {
  const text = `${result.stdout}\n${result.stderr}`;
  if (result.timedOut) return kdcUnavailable('the KDC did not answer in time');
  if (/Password expired|Password has expired/i.test(text)) {
    return new GatewayError('password_expired', 'the password has expired and must be changed');
  }
  if (/credentials have been revoked/i.test(text)) {
    return new GatewayError('account_locked', 'the account is locked or disabled');
  }
  if (/Password incorrect|Preauthentication failed|not found in Kerberos database/i.test(text)) {
    return new GatewayError('invalid_credentials', 'wrong user name or password');
  }
  if (/Clock skew too great/i.test(text)) {
    return new GatewayError('kdc_clock_skew', "the gateway's clock and the KDC's differ too much");
  }
  if (/Cannot contact any KDC|Cannot find KDC|Cannot resolve|Connection refused/i.test(text)) {
    return kdcUnavailable('the KDC cannot be reached');
  }
  return new GatewayError('kdc_error', 'the KDC refused the sign-in for another reason', {
    cause: new Error(firstLine(result.stderr)),
  });
}

function classifyKvnoFailure(result: Run): GatewayError {
  if (result.timedOut) return kdcUnavailable('the KDC did not answer in time');
  if (/Cannot contact any KDC|Cannot find KDC/i.test(result.stderr)) {
    return kdcUnavailable('the KDC cannot be reached');
  }
  return new GatewayError(
    'kdc_unverified',
    "the KDC could not prove it holds the gateway's key; the sign-in is refused",
    { cause: new Error(firstLine(result.stderr)) },
  );
}

function kdcUnavailable(message: string): GatewayError {
  return new GatewayError('kdc_unavailable', message);
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim().length > 0) ?? '';
}

function run(
  command: string,
  args: string[],
  input: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(
        new GatewayError('auth_method_unavailable', `${command} cannot run`, { cause: error }),
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
    // kinit reads the password from standard input when it is not a terminal.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}
