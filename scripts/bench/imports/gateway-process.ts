/**
 * A gateway in a child process of its own, started the way an operator starts it
 * (`node dist/core/main.js --config FILE`), so that its peak RSS is the import's and nothing
 * else's: each measurement gets a fresh one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { fixtureOrganization } from '../../../test/support/gateway.js';
import type { SlapdHandle } from '../../../test/support/slapd.js';
import { LOG_LEVEL, POOL_SIZE, TOKEN } from '../bench-gateway.js';

export const IMPORT_ORGANIZATION = 'bench';

const MAIN = fileURLToPath(new URL('../../../core/main.js', import.meta.url));
const START_ATTEMPTS = 3;
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * The gateway.yaml of the imports figure (JSON is YAML): one organization on `slapd`, the
 * store in a file as in production (an in-memory one would count every contact in the RSS).
 */
export function importGatewayDocument(slapd: SlapdHandle, storePath: string) {
  return {
    server: { host: '127.0.0.1', port: 0 },
    logging: { level: LOG_LEVEL },
    store: { path: storePath },
    api: { tokens: [{ name: 'bench', token: TOKEN, organizations: [IMPORT_ORGANIZATION] }] },
    organizations: {
      [IMPORT_ORGANIZATION]: fixtureOrganization(slapd, { pool: { size: POOL_SIZE } }),
    },
  };
}

export class GatewayProcess {
  readonly url: string;
  readonly #child: ChildProcess;
  readonly #dir: string;
  readonly #exited: Promise<void>;
  readonly #killOnExit: () => void;

  private constructor(url: string, child: ChildProcess, dir: string, exited: Promise<void>) {
    this.url = url;
    this.#child = child;
    this.#dir = dir;
    this.#exited = exited;
    // Should the bench die without stop(), its gateways go with it.
    this.#killOnExit = () => child.kill('SIGKILL');
    process.once('exit', this.#killOnExit);
  }

  get pid(): number {
    return this.#child.pid ?? 0;
  }

  /**
   * A fresh gateway with an empty store in a temporary folder, once it answers /readyz.
   * `nodeArgs` go to node before the script, e.g. `--cpu-prof`.
   */
  static async start(slapd: SlapdHandle, nodeArgs: string[] = []): Promise<GatewayProcess> {
    const dir = await mkdtemp(join(tmpdir(), 'ldap-gateway-bench-gateway-'));
    try {
      const configFile = join(dir, 'gateway.yaml');
      const document = importGatewayDocument(slapd, join(dir, 'gateway.db'));
      await writeFile(configFile, JSON.stringify(document, null, 2), { mode: 0o600 });
      for (let attempt = 1; ; attempt += 1) {
        const started = await GatewayProcess.#tryStart(configFile, dir, nodeArgs);
        if (started instanceof GatewayProcess) return started;
        // Another process can take the port between our probe and the gateway's listen.
        if (attempt >= START_ATTEMPTS) throw started;
      }
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Highest resident set size so far, in bytes: the kernel's own peak (VmHWM), not a sample. */
  peakRssBytes(): number {
    return this.#statusBytes('VmHWM');
  }

  /** Resident set size now, in bytes (VmRSS). */
  rssBytes(): number {
    return this.#statusBytes('VmRSS');
  }

  #statusBytes(field: string): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kilobytes = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1];
    if (kilobytes === undefined) throw new Error(`bench: no ${field} in /proc/${this.pid}/status`);
    return Number(kilobytes) * 1024;
  }

  /** SIGTERM, as a service manager stops it; SIGKILL if it has not exited in time. */
  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.kill('SIGTERM');
      const timer = setTimeout(() => this.#child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await this.#exited;
      clearTimeout(timer);
    }
    process.off('exit', this.#killOnExit);
    await rm(this.#dir, { recursive: true, force: true });
  }

  /** One start on a fresh port: the running gateway, or the error of a child that exited. */
  static async #tryStart(
    configFile: string,
    dir: string,
    nodeArgs: string[],
  ): Promise<GatewayProcess | Error> {
    const port = await pickFreePort();
    const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port) };
    delete env['GATEWAY_CONFIG'];
    // The gateway's log lines go to stderr with the bench's progress; stdout is the report's.
    const child = spawn(process.execPath, [...nodeArgs, MAIN, '--config', configFile], {
      env,
      stdio: ['ignore', 2, 2],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const url = `http://127.0.0.1:${port}`;
    const ready = await waitUntilReady(url, child);
    if (ready) return new GatewayProcess(url, child, dir, exited);
    if (child.exitCode !== null || child.signalCode !== null) {
      return new Error(`bench: the gateway exited during start-up (${describeExit(child)})`);
    }
    child.kill('SIGKILL');
    await exited;
    throw new Error(`bench: the gateway did not answer ${url}/readyz in ${READY_TIMEOUT_MS} ms`);
  }
}

/** True once /readyz answers 200; false when the child exits or the time is up. */
async function waitUntilReady(url: string, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

function pickFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function describeExit(child: ChildProcess): string {
  return child.signalCode ? `signal ${child.signalCode}` : `exit ${child.exitCode}`;
}
