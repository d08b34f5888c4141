/**
 * Sign-in latency at a steady, modest rate: once at idle and once while an import runs, in
 * the same gateway, with the same load, each over a window of its own.
 */
import { TOKEN } from '../bench-gateway.js';
import { signInBodies } from '../figures.js';
import { checkAll2xx, startLoad, type LoadJob, type LoadResult } from '../load.js';
import { percentile } from '../stats.js';
import { IMPORT_ORGANIZATION } from './gateway-process.js';
import { importToEnd, type ImportOutcome } from './import-client.js';

/** A steady load far below what the gateway can answer (thousands a second): latency, not rate. */
export const SIGN_IN_LOAD = { connections: 4, overallRate: 200 };

export interface LatencyWindow {
  p50Ms: number;
  p99Ms: number;
  /** Sign-ins (all 2xx) that overlapped the window. */
  responses: number;
  seconds: number;
}

const FIGURE = 'sign-in p99';
/** How long the load runs before either window starts. */
const LEAD_IN_MS = 1000;
const WARM_UP_SECONDS = 2;
/** Longest a loaded run may last: the import's own timeout, and some. */
const MAX_LOAD_SECONDS = 11 * 60;

/** Fills the pools and gets the JIT going; checked, not counted. */
export async function warmUpSignIns(gatewayUrl: string): Promise<void> {
  const load = startLoad({ ...signInJob(gatewayUrl), durationSeconds: WARM_UP_SECONDS });
  checkAll2xx(FIGURE, 'warm-up', await load.result);
}

/** Latency of the sign-ins answered in `seconds` of the load, with nothing else running. */
export async function measureIdle(gatewayUrl: string, seconds: number): Promise<LatencyWindow> {
  const { window } = await underLoad(gatewayUrl, 'idle', async () => {
    const fromMs = Date.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    return { fromMs, toMs: Date.now() };
  });
  return window;
}

/** Latency of the sign-ins answered while an import runs from its POST to its success. */
export async function measureDuringImport(
  gatewayUrl: string,
): Promise<{ window: LatencyWindow; outcome: ImportOutcome }> {
  const { window, outcome } = await underLoad(gatewayUrl, 'during the import', () =>
    importToEnd(gatewayUrl, IMPORT_ORGANIZATION),
  );
  return { window, outcome };
}

/**
 * Runs `during` once the load has started, stops the load after it, and takes the latencies
 * of the sign-ins that overlapped the span from `fromMs` to `toMs` that `during` gives: those
 * held up by the import's last step end just as it does, and must count.
 */
async function underLoad<T extends { fromMs: number; toMs: number }>(
  gatewayUrl: string,
  run: string,
  during: () => Promise<T>,
): Promise<{ window: LatencyWindow; outcome: T }> {
  const load = startLoad({ ...signInJob(gatewayUrl), keepSamples: true });
  let outcome: T;
  try {
    await load.started;
    // A fresh generator's first sign-ins are slow (new connections, a cold JIT): not counted.
    await new Promise((resolve) => setTimeout(resolve, LEAD_IN_MS));
    outcome = await during();
  } catch (error) {
    load.stop();
    await load.result.catch(() => undefined);
    throw error;
  }
  load.stop();
  const result = await load.result;
  checkAll2xx(FIGURE, run, result);
  return { window: windowOf(result, outcome.fromMs, outcome.toMs), outcome };
}

function windowOf(result: LoadResult, fromMs: number, toMs: number): LatencyWindow {
  const latencies = (result.samples ?? [])
    .filter(([completedAt, latencyMs]) => completedAt >= fromMs && completedAt - latencyMs <= toMs)
    .map(([, latencyMs]) => latencyMs);
  if (latencies.length === 0) throw new Error(`bench: ${FIGURE}: no sign-in in the window`);
  return {
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    responses: latencies.length,
    seconds: (toMs - fromMs) / 1000,
  };
}

function signInJob(gatewayUrl: string): LoadJob {
  return {
    url: `${gatewayUrl}/v1/orgs/${IMPORT_ORGANIZATION}/auth`,
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    bodies: signInBodies(),
    ...SIGN_IN_LOAD,
    durationSeconds: MAX_LOAD_SECONDS,
  };
}
