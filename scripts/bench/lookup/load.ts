/**
 * Load for one run: autocannon in a fresh child process (./load-child.ts), so its CPU competes
 * with the gateway the same way for both sides and no run inherits another's sockets. Every
 * response's status is checked against the one its request must get.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LoadJob {
  origin: string;
  /** Paths sent in turn on every connection, and the status each must be answered with. */
  paths: string[];
  statuses: number[];
  headers: Record<string, string>;
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  /** Responses checked against their expected status, and those that failed the check. */
  checked: number;
  unexpected: number;
  /** The statuses of the unexpected responses, with counts. */
  unexpectedStatuses: Record<string, number>;
  errors: number;
  timeouts: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Response bytes (headers included) per request: shows both sides send the same. */
  bytesPerResponse: number;
}

/** A child that overruns its duration by this much is killed. */
const CHILD_GRACE_MS = 30_000;
const CHILD = fileURLToPath(new URL('./load-child.js', import.meta.url));

export function runLoad(job: LoadJob): Promise<LoadResult> {
  // No inherited flags: a --cpu-prof of the bench must not profile the load generator too.
  const child = fork(CHILD, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let result: LoadResult | undefined;
    const timer = setTimeout(
      () => {
        child.kill('SIGKILL');
        reject(new Error(`bench: load generator ${child.pid} overran ${job.durationSeconds} s`));
      },
      job.durationSeconds * 1000 + CHILD_GRACE_MS,
    );
    child.once('message', (message) => (result = message as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (result) resolve(result);
      else reject(new Error(`bench: load generator ${child.pid} exited (${code}), no result`));
    });
    child.send(job);
  });
}

/** Throws, naming the run, unless every response was checked and had its expected status. */
export function checkStatuses(run: string, result: LoadResult): void {
  if (result.checked !== result.requests) {
    throw new Error(
      `bench: FAILED ${run}: ${result.checked} of ${result.requests} responses were checked`,
    );
  }
  if (result.unexpected === 0 && result.errors === 0 && result.timeouts === 0) return;
  const statuses = Object.entries(result.unexpectedStatuses)
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
  throw new Error(
    `bench: FAILED ${run}: ${result.unexpected} responses with an unexpected status ` +
      `(${statuses || 'none'}), ${result.errors} errors, ${result.timeouts} timeouts ` +
      `out of ${result.requests}`,
  );
}
