/**
 * A worker thread that maps one import's entries to contacts and stages them (see
 * read-in-worker.ts). The pages come from the search worker; it builds what mapping needs of
 * the organization itself: its plugins and a connection of its own to the store.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';

import type { GatewaySettings } from '../../config/types.js';
import { DirectoryEntry, type EntryRecord } from '../directory/entry.js';
import { createLogger } from '../logger.js';
import { createMetrics } from '../metrics.js';
import { createOrganizationPlugins } from '../organization-plugins.js';
import { loadOperatorPlugins } from '../plugin-loader.js';
import { createBuiltInRegistry } from '../plugin-registry.js';
import { openDatabase } from '../store/database.js';
import { SqliteImportsStore } from '../store/sqlite-imports-store.js';
import { receivePages } from './page-channel.js';
import { stageEntries } from './read-directory.js';
import { yieldCoresToRequests } from './thread-priority.js';
import { abortedByParent, failureOf, type WorkerMessage } from './worker-messages.js';

/** What the main thread hands over; `pages` is transferred. */
export interface ReadJob {
  importId: string;
  organizationId: string;
  /** The gateway's settings, reduced to the one organization. */
  settings: GatewaySettings;
  storePath: string;
  batchSize: number;
  pages: MessagePort;
}

/**
 * How often progress goes to the main thread. Each message costs it a store write, which may
 * wait for this thread's transaction to end while sign-ins wait for the main thread.
 */
const PROGRESS_INTERVAL_MS = 200;

yieldCoresToRequests();
const port = parentPort!;
const job = workerData as ReadJob;
const aborted = abortedByParent(port);

async function read(): Promise<void> {
  const { settings, organizationId } = job;
  const logger = createLogger(settings.logging.level).child({ org: organizationId });
  const metrics = createMetrics({ processMetrics: false });
  const registry = createBuiltInRegistry();
  await loadOperatorPlugins(settings.plugins, registry);
  registry.check(settings);
  const plugins = await createOrganizationPlugins(settings, registry, logger, metrics);
  const db = openDatabase(job.storePath);
  const progress = new ThrottledProgress();
  try {
    await stageEntries(job.importId, entriesOf(receivePages(job.pages)), {
      organization: {
        mapper: plugins.of(organizationId).mapper,
        settings: settings.organizations[organizationId]!,
      },
      store: new SqliteImportsStore(db),
      batchSize: job.batchSize,
      signal: aborted,
      update: (fields) => progress.update(fields),
      counted: (outcome, count) => progress.counted(outcome, count),
    });
  } finally {
    progress.flush();
    db.close();
    await plugins.close();
  }
}

async function* entriesOf(pages: AsyncIterable<EntryRecord[]>) {
  for await (const page of pages) yield page.map((record) => DirectoryEntry.fromRecord(record));
}

/** Progress and counts for the main thread, sent at most every PROGRESS_INTERVAL_MS. */
class ThrottledProgress {
  #fields: Record<string, unknown> | undefined;
  #counts = { staged: 0, skipped: 0 };
  #sent = 0;

  update(fields: Record<string, unknown>): void {
    this.#fields = { ...this.#fields, ...fields };
    if (Date.now() - this.#sent >= PROGRESS_INTERVAL_MS) this.flush();
  }

  counted(outcome: 'staged' | 'skipped', count: number): void {
    this.#counts[outcome] += count;
  }

  flush(): void {
    for (const outcome of ['staged', 'skipped'] as const) {
      const count = this.#counts[outcome];
      if (count > 0) post({ type: 'counted', outcome, count });
      this.#counts[outcome] = 0;
    }
    if (this.#fields) post({ type: 'update', fields: this.#fields });
    this.#fields = undefined;
    this.#sent = Date.now();
  }
}

function post(message: WorkerMessage): void {
  port.postMessage(message);
}

read().then(
  () => post({ type: 'done' }),
  (error: unknown) => post(failureOf(error)),
);
