/**
 * The parent's side of load generation: each run is autocannon in a fresh child process
 * (./load-generator.ts), so its CPU competes with the gateway and the servers the same way for
 * baseline and subject, and no run inherits another's sockets or JIT state.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LoadJob {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** Request bodies, sent in turn on every connection; empty for GET. */
  bodies: string[];
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Response bytes (headers included) per request: shows the two bodies weigh the same. */
  bytesPerResponse: number;
}

/** A load-generator child that overruns its duration by this much is killed. */
const CHILD_GRACE_MS = 30_000;

const GENERATOR = fileURLToPath(new URL('./load-generator.js', import.meta.url));

/** Runs one job in a fresh child and resolves with its summary. */
export function runLoad(job: LoadJob): Promise<LoadResult> {
  const child = fork(GENERATOR, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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

/** Throws, naming the run and the statuses seen, unless every response was 2xx. */
export function checkAll2xx(figure: string, run: string, result: LoadResult): void {
  if (result.non2xx === 0 && result.errors === 0 && result.timeouts === 0) return;
  const statuses = Object.entries(result.statusCodes)
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
  throw new Error(
    `bench: FAILED ${figure}, ${run}: ${result.non2xx} non-2xx responses, ${result.errors} ` +
      `errors, ${result.timeouts} timeouts out of ${result.requests} (statuses ${statuses})`,
  );
}
