/**
 * Runs the throw-away servers of scripts/directory/ for ./slapd.ts and ./kdc.ts: each start on
 * free 127.0.0.1 ports in its own temporary directory, retried when a port was taken meanwhile,
 * its env.sh read into a handle, and a last-resort stop when the test process exits.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One kind of server, started by scripts/directory/start-NAME.sh and stopped by stop-NAME.sh. */
export interface ServerKind {
  /** NAME in the scripts' names, and in the temporary directories ldap-gateway-NAME-*. */
  name: string;
  /** The function tests call, prefixed to errors, e.g. startSlapd. */
  caller: string;
  /** The server's name in /proc/PID/comm: the exit hook signals only a process of that name. */
  processName: string;
  /** The env.sh key that holds the server's pid. */
  pidKey: string;
  /** How many free ports the server needs. */
  portCount: number;
}

/** What every handle holds besides the values it reads from env.sh. */
export interface RunningServer {
  pid: number;
  /** The server's directory: config, data and logs. */
  dir: string;
  /** Stops the server and deletes dir. Safe to call more than once. */
  stop(): Promise<void>;
}

interface ScriptFailure extends Error {
  code?: number | string;
  stderr?: string;
}

/** Exit status of the start scripts when a port was taken after being picked. */
const PORT_IN_USE_STATUS = 75;
const START_ATTEMPTS = 3;

const scriptsDir = join(findRepositoryRoot(), 'scripts', 'directory');
/** Servers whose stop() has not finished, for the exit hook. */
const running = new Set<{ kind: ServerKind; pid: number; dir: string }>();
let exitHookInstalled = false;

/**
 * Runs start-NAME.sh with `env` plus the variables `portEnv` makes of freshly picked ports, and
 * builds the handle from env.sh: `describe` reads the kind's own keys, this adds pid, dir and stop.
 */
export async function startServer<T extends object>(
  kind: ServerKind,
  env: NodeJS.ProcessEnv,
  portEnv: (ports: number[]) => NodeJS.ProcessEnv,
  describe: (read: (key: string) => string) => T,
): Promise<T & RunningServer> {
  for (let attempt = 1; ; attempt += 1) {
    const dir = await mkdtemp(join(tmpdir(), `ldap-gateway-${kind.name}-`));
    const ports = await pickFreePorts(kind.portCount);
    try {
      await runScript(`start-${kind.name}.sh`, [dir], { ...env, ...portEnv(ports) });
      return createHandle(kind, dir, await readFile(join(dir, 'env.sh'), 'utf8'), describe);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      // Another process can grab a port between our probe closing it and the server binding it,
      // and a port free for TCP when picked may be taken for UDP (the KDC listens on both).
      if ((error as ScriptFailure).code !== PORT_IN_USE_STATUS || attempt >= START_ATTEMPTS) {
        throw error;
      }
    }
  }
}

/** A copy of this process's environment without the named variables. */
export function environmentWithout(names: string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of names) delete env[name];
  return env;
}

function createHandle<T extends object>(
  kind: ServerKind,
  dir: string,
  envFile: string,
  describe: (read: (key: string) => string) => T,
): T & RunningServer {
  const envValues = parseEnvFile(envFile);
  const read = (key: string): string => {
    const value = envValues.get(key);
    if (value === undefined) throw new Error(`${kind.caller}: ${dir}/env.sh has no ${key}`);
    return value;
  };

  const described = describe(read);
  const entry = { kind, pid: Number(read(kind.pidKey)), dir };
  let stopping: Promise<void> | undefined;
  const handle: T & RunningServer = {
    ...described,
    pid: entry.pid,
    dir,
    stop: () => {
      stopping ??= runScript(`stop-${kind.name}.sh`, [dir], process.env).then(() => {
        running.delete(entry);
      });
      return stopping;
    },
  };
  running.add(entry);
  installExitHook();
  return handle;
}

/** Reads the KEY=VALUE lines the start scripts write (values are never quoted). */
function parseEnvFile(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) values.set(match[1], match[2]);
  }
  return values;
}

/** Holds all listeners open together so the ports differ, then frees them for the server. */
async function pickFreePorts(count: number): Promise<number[]> {
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
function runScript(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
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
 * handlers must be synchronous, so signal the server directly instead of running its stop script.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const { kind, pid, dir } of running) {
      if (readProcessName(pid) === kind.processName) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
      }
      if (process.env.KEEP_DIR !== '1') rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** The command name of a live process, from /proc; undefined once it is gone. */
function readProcessName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}
