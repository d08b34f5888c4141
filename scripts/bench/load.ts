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
  /** How long the run lasts; with startLoad's `stop`, the longest it may last. */
  durationSeconds: number;
  /** Requests per second over all connections; as many as are answered when absent. */
  overallRate?: number;
  /** Keep the completion time and latency of every 2xx response (LoadResult.samples). */
  keepSamples?: boolean;
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
  /** With keepSamples: [completed at, ms since the epoch; latency, ms] per 2xx response. */
  samples?: Array<[number, number]>;
}

/** What the child sends: once autocannon sends its first requests, then the summary. */
export type GeneratorMessage = { kind: 'started' } | { kind: 'result'; result: LoadResult };

/** A run in progress. */
export interface RunningLoad {
  /** Resolves once the generator has started sending. */
  started: Promise<void>;
  result: Promise<LoadResult>;
  /** Ends the run early; autocannon stops at its next one-second tick. */
  stop(): void;
}

/** A load-generator child that overruns its duration by this much is killed. */
const CHILD_GRACE_MS = 30_000;

const GENERATOR = fileURLToPath(new URL('./load-generator.js', import.meta.url));

/** Runs one job in a fresh child and resolves with its summary. */
export function runLoad(job: LoadJob): Promise<LoadResult> {
  return startLoad(job).result;
}

/** Starts one job in a fresh child; the run ends after its duration or at `stop()`. */
export function startLoad(job: LoadJob): RunningLoad {
  const child = fork(GENERATOR, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let markStarted = () => {};
  let failStart = (_error: Error) => {};
  const started = new Promise<void>((resolve, reject) => {
    markStarted = resolve;
    failStart = reject;
  });
  // A run that fails before it starts rejects both; whoever awaits first sees it.
  started.catch(() => {});
  const result = new Promise<LoadResult>((resolve, reject) => {
    let summary: LoadResult | undefined;
    const fail = (error: Error) => {
      failStart(error);
      reject(error);
    };
    const timer = setTimeout(
      () => {
        child.kill('SIGKILL');
        fail(new Error(`bench: load generator ${child.pid} overran ${job.durationSeconds} s`));
      },
      job.durationSeconds * 1000 + CHILD_GRACE_MS,
    );
    child.on('message', (message: GeneratorMessage) => {
      if (message.kind === 'started') markStarted();
      else summary = message.result;
    });
    child.once('error', fail);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (summary) resolve(summary);
      else fail(new Error(`bench: load generator ${child.pid} exited (${code}), no result`));
    });
    child.send(job);
  });
  return {
    started,
    result,
    stop: () => {
      if (child.connected) child.send('stop');
    },
  };
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
