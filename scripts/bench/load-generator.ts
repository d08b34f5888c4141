/**
 * The child's side of load generation, started by ./load.ts: receives one LoadJob over IPC,
 * runs autocannon once (until its duration ends or the parent sends 'stop') and sends the
 * summary back.
 */
import { createRequire } from 'node:module';

import type { GeneratorMessage, LoadJob, LoadResult } from './load.js';

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
  requests: { total: number };
  latency: { p50: number; p99: number };
  throughput: { total: number };
}

/** autocannon's run: a thenable event emitter. */
interface AutocannonRun extends PromiseLike<AutocannonResult> {
  once(event: 'start', listener: () => void): void;
  on(
    event: 'response',
    listener: (client: unknown, status: number, bytes: number, latencyMs: number) => void,
  ): void;
  stop(): void;
}

type Autocannon = (options: Record<string, unknown>) => AutocannonRun;

async function runLoadGenerator(): Promise<void> {
  const job = await new Promise<LoadJob>((resolve) => process.once('message', resolve));
  // autocannon ships CommonJS without types.
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const run = autocannon({
    url: job.url,
    method: job.method,
    headers: job.headers,
    connections: job.connections,
    duration: job.durationSeconds,
    requests: job.bodies.length === 0 ? [{}] : job.bodies.map((body) => ({ body })),
    ...(job.overallRate ? { overallRate: job.overallRate } : {}),
  });
  const samples: Array<[number, number]> = [];
  if (job.keepSamples) {
    run.on('response', (_client, status, _bytes, latencyMs) => {
      if (status >= 200 && status < 300) samples.push([Date.now(), latencyMs]);
    });
  }
  run.once('start', () => send({ kind: 'started' }));
  process.on('message', (message) => {
    if (message === 'stop') run.stop();
  });
  const result = summarize(await run);
  if (job.keepSamples) result.samples = samples;
  send({ kind: 'result', result }, () => process.disconnect());
}

function send(message: GeneratorMessage, then: () => void = () => {}): void {
  process.send?.(message, then);
}

function summarize(result: AutocannonResult): LoadResult {
  const statusCodes: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats)) {
    statusCodes[status] = count;
  }
  return {
    requestsPerSecond: result.requests.total / result.duration,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    bytesPerResponse: result.throughput.total / Math.max(1, result.requests.total),
  };
}

await runLoadGenerator();
