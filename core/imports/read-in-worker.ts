/**
 * Reading a large directory is the one long piece of import work: parsing, mapping and staging
 * a hundred thousand entries keeps threads busy for seconds. Two worker threads share it: one
 * runs the search and parses the directory's answers (search-worker.ts), the other maps and
 * stages the entries (read-worker.ts), each page while the next is parsed. Neither holds
 * sign-ins up or shares their heap and garbage collections.
 */
import { MessageChannel } from 'node:worker_threads';

import type { GatewaySettings } from '../../config/types.js';
import { serviceBindOf } from '../kerberos/realm.js';
import { GatewayError } from '../errors.js';
import type { Comparison } from './compare.js';
import type { ImportThreads } from './import-threads.js';
import type { SignInsInFlight } from './sign-ins-in-flight.js';
import type { ImportQuery } from './read-directory.js';
import type { ReadJob } from './read-worker.js';
import type { SearchJob } from './search-worker.js';
import type { PluginErrorLabels, WorkerMessage } from './worker-messages.js';

/** What reading in worker threads needs of the gateway. */
export interface WorkerReading {
  settings: GatewaySettings;
  storePath: string;
  threads: ImportThreads;
  /** Sign-ins being answered: the threads pause between pages while there are any. */
  signIns: SignInsInFlight;
}

export interface WorkerReadOptions {
  importId: string;
  organizationId: string;
  settings: GatewaySettings;
  storePath: string;
  /** The import's search, worked out on the main thread from the organization's mapping. */
  query: ImportQuery;
  /** Where the two threads come from. */
  threads: ImportThreads;
  signIns: SignInsInFlight;
  signal: AbortSignal;
  /** Called after the staging worker wrote its progress into the import's record. */
  progressed: () => void;
  counted: (outcome: 'staged' | 'skipped', count: number) => void;
  /** Called when the staging thread has read everything and starts comparing. */
  comparing: () => void;
  /** Plugin failures in the threads, for the main thread's metrics. */
  pluginFailed: (labels: PluginErrorLabels, count: number) => void;
}

/**
 * Whether an organization's import can read in workers: the store must be a file both
 * threads open, and GSSAPI binds need the process-wide Kerberos set-up of the main thread.
 */
export function canReadInWorker(settings: GatewaySettings, organizationId: string): boolean {
  const organization = settings.organizations[organizationId];
  return (
    settings.store.path !== ':memory:' &&
    organization !== undefined &&
    serviceBindOf(organization) !== 'gssapi'
  );
}

/**
 * Reads the directory in worker threads, which then compare the staged contacts with the
 * current list; resolves with that comparison, or undefined when stopped first.
 */
export function readInWorker(options: WorkerReadOptions): Promise<Comparison | undefined> {
  const { settings, organizationId, threads } = options;
  const organization = settings.organizations[organizationId]!;
  const channel = new MessageChannel();
  const searchJob: SearchJob = {
    organizationId,
    settings: organization,
    logLevel: settings.logging.level,
    query: options.query,
    pages: channel.port1,
    signIns: options.signIns.buffer,
  };
  const readJob: ReadJob = {
    importId: options.importId,
    organizationId,
    storePath: options.storePath,
    batchSize: settings.imports.batchSize,
    pages: channel.port2,
    signIns: options.signIns.buffer,
  };
  const { searcher, reader } = threads.take();
  searcher.postMessage({ type: 'job', job: searchJob }, [channel.port1]);
  reader.postMessage({ type: 'job', job: readJob }, [channel.port2]);
  const workers = [searcher, reader];
  const abort = () => workers.forEach((worker) => worker.postMessage({ type: 'abort' }));
  options.signal.addEventListener('abort', abort, { once: true });
  return new Promise<Comparison | undefined>((resolve, reject) => {
    let settled = false;
    const settle = (error?: Error, comparison?: Comparison) => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', abort);
      workers.forEach((worker) => void worker.terminate());
      threads.released();
      if (error) reject(error);
      else resolve(comparison);
    };
    const failed = (message: WorkerMessage) =>
      message.type === 'failed' ? new GatewayError(message.code, message.message) : undefined;

    // The reader's `done` ends the reading; the searcher only ever reports a failure.
    reader.on('message', (message: WorkerMessage) => {
      // The reader records its progress at most every 200 ms (see read-worker.ts).
      if (message.type === 'progressed') options.progressed();
      else if (message.type === 'counted') options.counted(message.outcome, message.count);
      else if (message.type === 'pluginFailed') options.pluginFailed(message.labels, message.count);
      else if (message.type === 'comparing') options.comparing();
      else if (message.type === 'done') settle(undefined, message.comparison);
      else settle(failed(message));
    });
    searcher.on('message', (message: WorkerMessage) => {
      if (message.type === 'failed') settle(failed(message));
    });
    // Both stay up, listening for an abort, until they are terminated here.
    for (const worker of workers) {
      worker.once('error', (error) => settle(error));
      worker.once('exit', (code) => settle(new Error(`an import worker stopped (exit ${code})`)));
    }
  });
}
