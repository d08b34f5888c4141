/** Starts an import through the API and follows it to its end, as a client would. */
import { TOKEN } from '../bench-gateway.js';
import { log } from '../report.js';

/** The fields of an import record the bench reads. */
export interface ImportView {
  id: string;
  status: string;
  phase: string;
  processed: number;
  added: number;
  skipped: number;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface ImportOutcome {
  record: ImportView;
  /** From sending the POST until a GET first showed `succeeded`. */
  wallSeconds: number;
  /** Date.now() at those two moments, to pick the sign-ins answered in between. */
  fromMs: number;
  toMs: number;
  /** Each phase and the seconds after the POST at which a GET first showed it. */
  phases: Array<{ phase: string; atSeconds: number }>;
}

/** Often enough to time a run of seconds to within a few percent, rarely enough to cost little. */
const POLL_MS = 20;
const IMPORT_TIMEOUT_MS = 10 * 60_000;

/** POSTs an import of `organization` and polls it until it ends; throws unless it succeeded. */
export async function importToEnd(
  gatewayUrl: string,
  organization: string,
): Promise<ImportOutcome> {
  const path = `${gatewayUrl}/v1/orgs/${organization}/imports`;
  const fromMs = Date.now();
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  let record = await call(path, 'POST', 202);
  const phases = [{ phase: record.phase, atSeconds: seconds() }];
  while (record.status === 'queued' || record.status === 'running') {
    if (seconds() * 1000 > IMPORT_TIMEOUT_MS) {
      throw new Error(`bench: import ${record.id} still ${record.status} after 10 minutes`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    record = await call(`${path}/${record.id}`, 'GET', 200);
    if (record.phase !== phases.at(-1)?.phase) {
      phases.push({ phase: record.phase, atSeconds: seconds() });
    }
  }
  const wallSeconds = seconds();
  const toMs = Date.now();
  if (record.status !== 'succeeded') {
    throw new Error(
      `bench: import ${record.id} ended ${record.status}: ${record.errorCode ?? ''} ` +
        `${record.errorMessage ?? ''}`,
    );
  }
  log(`import ${record.id}: ${record.processed} entries in ${wallSeconds.toFixed(2)} s`);
  return { record, wallSeconds, fromMs, toMs, phases };
}

async function call(url: string, method: string, expected: number): Promise<ImportView> {
  const response = await fetch(url, { method, headers: { authorization: `Bearer ${TOKEN}` } });
  const text = await response.text();
  if (response.status !== expected) {
    throw new Error(`bench: ${method} ${url} answered ${response.status}: ${text}`);
  }
  return (JSON.parse(text) as { import: ImportView }).import;
}

/** "reading 12.3 s, comparing 0.8 s, ...": how long each phase was seen. */
export function describePhases(outcome: ImportOutcome): string {
  const { phases, wallSeconds } = outcome;
  return phases
    .map(({ phase, atSeconds }, index) => {
      const until = phases[index + 1]?.atSeconds ?? wallSeconds;
      return `${phase} ${(until - atSeconds).toFixed(1)} s`;
    })
    .filter((text) => !text.startsWith('done '))
    .join(', ');
}
