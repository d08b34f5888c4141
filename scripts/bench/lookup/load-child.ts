/**
 * The child's side of ./load.ts: receives one LoadJob over IPC, runs autocannon once with a
 * status check on every response, and sends the summary back.
 */
import { createRequire } from 'node:module';

import type { LoadJob, LoadResult } from './load.js';

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  requests: { total: number };
  latency: { p50: number; p99: number };
  throughput: { total: number };
}

/** A connection, as autocannon's setupClient sees it; `opts.requests` is its own copy. */
interface AutocannonClient {
  opts: { requests: unknown[] };
  setRequests(requests: unknown[]): void;
}

type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

async function runChild(): Promise<void> {
  const job = await new Promise<LoadJob>((resolve) => process.once('message', resolve));
  // autocannon ships CommonJS without types.
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  let checked = 0;
  const unexpected: Record<string, number> = {};
  const requests = job.paths.map((path, index) => {
    const wanted = job.statuses[index];
    return {
      method: 'GET',
      path,
      onResponse: (status: number) => {
        checked += 1;
        if (status !== wanted) unexpected[status] = (unexpected[status] ?? 0) + 1;
      },
    };
  });
  const result = await autocannon({
    url: job.origin,
    headers: job.headers,
    connections: job.connections,
    duration: job.durationSeconds,
    requests,
    setupClient: startAtOwnOffset(job.connections),
  });
  const summary: LoadResult = {
    requestsPerSecond: result.requests.total / result.duration,
    requests: result.requests.total,
    checked,
    unexpected: Object.values(unexpected).reduce((total, count) => total + count, 0),
    unexpectedStatuses: unexpected,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    bytesPerResponse: result.throughput.total / Math.max(1, result.requests.total),
  };
  process.send?.(summary, () => process.disconnect());
}

/**
 * Every connection would start at the first path and send the same ones in step; each starts
 * at its own share of the list instead, so a short or slow run still covers all of it.
 */
function startAtOwnOffset(connections: number) {
  let clients = 0;
  return (client: AutocannonClient) => {
    const own = client.opts.requests;
    const offset = Math.floor((own.length * clients++) / connections) % own.length;
    client.setRequests([...own.slice(offset), ...own.slice(0, offset)]);
  };
}

await runChild();
