/**
 * The child's side of load generation, started by ./load.ts: receives one LoadJob over IPC,
 * runs autocannon once and sends the summary back.
 */
import { createRequire } from 'node:module';

import type { LoadJob, LoadResult } from './load.js';

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

type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

async function runLoadGenerator(): Promise<void> {
  const job = await new Promise<LoadJob>((resolve) => process.once('message', resolve));
  // autocannon ships CommonJS without types.
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const result = await autocannon({
    url: job.url,
    method: job.method,
    headers: job.headers,
    connections: job.connections,
    duration: job.durationSeconds,
    requests: job.bodies.length === 0 ? [{}] : job.bodies.map((body) => ({ body })),
  });
  process.send?.(summarize(result), () => process.disconnect());
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
