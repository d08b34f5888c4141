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
import { failureOf, type WorkerMessage } from './worker-messages.js';

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

const port = parentPort!;
const job = workerData as ReadJob;
const controller = new AbortController();
port.on('message', (message: { type: string }) => {
  if (message.type === 'abort') controller.abort();
});

async function read(): Promise<void> {
  const { settings, organizationId } = job;
  const logger = createLogger(settings.logging.level).child({ org: organizationId });
  const metrics = createMetrics({ processMetrics: false });
  const registry = createBuiltInRegistry();
  await loadOperatorPlugins(settings.plugins, registry);
  registry.check(settings);
  const plugins = await createOrganizationPlugins(settings, registry, logger, metrics);
  const db = openDatabase(job.storePath);
  try {
    await stageEntries(job.importId, entriesOf(receivePages(job.pages)), {
      organization: {
        mapper: plugins.of(organizationId).mapper,
        settings: settings.organizations[organizationId]!,
      },
      store: new SqliteImportsStore(db),
      batchSize: job.batchSize,
      signal: controller.signal,
      update: (fields) => post({ type: 'update', fields }),
      counted: (outcome, count) => post({ type: 'counted', outcome, count }),
    });
  } finally {
    db.close();
    await plugins.close();
  }
}

async function* entriesOf(pages: AsyncIterable<EntryRecord[]>) {
  for await (const page of pages) yield page.map((record) => DirectoryEntry.fromRecord(record));
}

function post(message: WorkerMessage): void {
  port.postMessage(message);
}

read().then(
  () => post({ type: 'done' }),
  (error: unknown) => post(failureOf(error)),
);
