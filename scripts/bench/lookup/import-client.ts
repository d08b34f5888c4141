/** Runs an import of the organization's contacts through the API, as an operator would. */
import { setTimeout as sleep } from 'node:timers/promises';

import { authorization, ORGANIZATION } from './bench-gateway.js';
import { log } from './report.js';

/** Far beyond what 100,000 people take (about half a minute here), short of hanging for ever. */
const IMPORT_TIMEOUT_MS = 15 * 60_000;
const POLL_MS = 250;
const PROGRESS_EVERY_MS = 5000;

export interface ImportRun {
  seconds: number;
  added: number;
  skipped: number;
}

/** Starts an import, polls it until it ends, and fails unless it succeeded. */
export async function runImport(url: string): Promise<ImportRun> {
  const started = performance.now();
  const base = `${url}/v1/orgs/${ORGANIZATION}/imports`;
  const created = await call('POST', base, 202);
  const id = created.import.id as string;
  let lastProgress = started;
  while (performance.now() - started < IMPORT_TIMEOUT_MS) {
    const { import: record } = await call('GET', `${base}/${id}`, 200);
    if (record.status === 'succeeded') {
      const seconds = (performance.now() - started) / 1000;
      return { seconds, added: record.added, skipped: record.skipped };
    }
    if (record.status !== 'queued' && record.status !== 'running') {
      throw new Error(`bench: the import ended ${record.status}: ${JSON.stringify(record)}`);
    }
    if (performance.now() - lastProgress >= PROGRESS_EVERY_MS) {
      log(`import: ${record.phase}, ${record.processed} entries read`);
      lastProgress = performance.now();
    }
    await sleep(POLL_MS);
  }
  throw new Error(`bench: import ${id} did not end within ${IMPORT_TIMEOUT_MS / 1000} s`);
}

async function call(method: string, url: string, status: number): Promise<any> {
  const response = await fetch(url, { method, headers: authorization() });
  const text = await response.text();
  if (response.status !== status) {
    throw new Error(`bench: ${method} ${url} answered ${response.status}: ${text}`);
  }
  return JSON.parse(text);
}
