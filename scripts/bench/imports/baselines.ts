/**
 * The imports figure's baselines, each in a process of its own: a bare ldapts dump of the
 * import's search (./bare-dump-child.ts) and OpenLDAP's ldapsearch writing LDIF to /dev/null.
 */
import { fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import type { ImportSearch } from './import-search.js';

export interface DumpResult {
  /** From the bind until the unbind after the last page. */
  seconds: number;
  entries: number;
  peakRssBytes: number;
}

const DUMP_CHILD = fileURLToPath(new URL('./bare-dump-child.js', import.meta.url));
const TIMEOUT_MS = 5 * 60_000;

/** Runs the bare ldapts dump in a fresh child and resolves with what it measured. */
export function runBareDump(search: ImportSearch): Promise<DumpResult> {
  const child = fork(DUMP_CHILD, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    timeout: TIMEOUT_MS,
  });
  return new Promise((resolve, reject) => {
    let result: DumpResult | undefined;
    child.once('message', (message) => (result = message as DumpResult));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (result) resolve(result);
      else reject(new Error(`bench: the bare dump exited (${signal ?? code}) without a result`));
    });
    child.send(search);
  });
}

/** Pages of the `ldapsearch` reference run, whose figure is kept for pr=1000. */
const LDAPSEARCH_PAGE_SIZE = 1000;

/**
 * `ldapsearch -x -LLL -E pr=1000/noprompt` of the same search, LDIF to /dev/null; seconds
 * from spawn to exit, so the C tool's start-up (a few ms) counts against it.
 */
export function runLdapsearch(search: ImportSearch): Promise<number> {
  const args = [
    ...['-x', '-LLL', '-E', `pr=${LDAPSEARCH_PAGE_SIZE}/noprompt`, '-H', search.url],
    ...['-D', search.bindDn, '-w', search.password, '-b', search.base, '-s', 'sub'],
    search.filter,
    ...search.attributes,
  ];
  const started = performance.now();
  const child = spawn('ldapsearch', args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: TIMEOUT_MS,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      if (code === 0) resolve(seconds);
      else reject(new Error(`bench: ldapsearch failed (${signal ?? code}): ${stderr.trim()}`));
    });
  });
}
