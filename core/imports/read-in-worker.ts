/**
 * Reading a large directory is the one long piece of import work: mapping and staging a
 * hundred thousand entries keeps a thread busy for seconds. In a worker thread it neither
 * holds sign-ins up between its slices nor shares their heap and garbage collections, and it
 * runs beside them on another core.
 */
import { Worker } from 'node:worker_threads';

import type { GatewaySettings } from '../../config/types.js';
import { serviceBindOf } from '../kerberos/realm.js';
import { GatewayError } from '../errors.js';
import type { ImportRecord } from '../store/imports-store.js';
import type { ReadJob, WorkerMessage } from './read-worker.js';

/** How often a reading worker's progress reaches the store and the progress streams. */
const UPDATE_INTERVAL_MS = 200;

export interface WorkerReadOptions {
  importId: string;
  organizationId: string;
  settings: GatewaySettings;
  storePath: string;
  signal: AbortSignal;
  update: (fields: Partial<ImportRecord>) => void;
  counted: (outcome: 'staged' | 'skipped', count: number) => void;
}

/**
 * Whether an organization's import can read in a worker: the store must be a file both
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

/** Reads the directory in a worker thread; resolves when it is done, stopped or failed. */
export function readInWorker(options: WorkerReadOptions): Promise<void> {
  const { settings, organizationId } = options;
  const job: ReadJob = {
    importId: options.importId,
    organizationId,
    settings: {
      ...settings,
      organizations: { [organizationId]: settings.organizations[organizationId]! },
    },
    storePath: options.storePath,
  };
  const worker = new Worker(new URL('./read-worker.js', import.meta.url), { workerData: job });
  const abort = () => worker.postMessage({ type: 'abort' });
  options.signal.addEventListener('abort', abort, { once: true });
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', abort);
      void worker.terminate();
      if (error) reject(error);
      else resolve();
    };
    // Progress is written at most every UPDATE_INTERVAL_MS: each write may wait for the
    // worker's transaction to end, and the main thread serves sign-ins meanwhile.
    let pending: Partial<ImportRecord> | undefined;
    let written = 0;
    const flush = () => {
      if (pending) options.update(pending);
      pending = undefined;
      written = Date.now();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'update') {
        pending = { ...pending, ...(message.fields as Partial<ImportRecord>) };
        if (Date.now() - written >= UPDATE_INTERVAL_MS) flush();
      } else if (message.type === 'counted') {
        options.counted(message.outcome, message.count);
      } else {
        flush();
        if (message.type === 'done') settle();
        else settle(new GatewayError(message.code, message.message));
      }
    });
    worker.once('error', (error) => settle(error));
    worker.once('exit', (code) => settle(new Error(`the import worker stopped (exit ${code})`)));
  });
}
