/**
 * A worker thread that reads one import's directory and stages its contacts (see
 * read-in-worker.ts). It builds what reading needs of the organization itself: its plugins,
 * a Directory and a connection of its own to the store.
 */
import { parentPort, workerData } from 'node:worker_threads';

import type { GatewaySettings } from '../../config/types.js';
import { searchBaseOf } from '../directory/base-dn.js';
import { Directory } from '../directory/directory.js';
import { GatewayError } from '../errors.js';
import { createLogger } from '../logger.js';
import { createMetrics } from '../metrics.js';
import { createOrganizationPlugins } from '../organization-plugins.js';
import { loadOperatorPlugins } from '../plugin-loader.js';
import { createBuiltInRegistry } from '../plugin-registry.js';
import { openDatabase } from '../store/database.js';
import { SqliteImportsStore } from '../store/sqlite-imports-store.js';
import { readDirectory } from './read-directory.js';

/** What the main thread hands over; plain data, copied into the worker. */
export interface ReadJob {
  importId: string;
  organizationId: string;
  /** The gateway's settings, reduced to the one organization. */
  settings: GatewaySettings;
  storePath: string;
}

/** Messages from the worker: progress, metrics, and how it ended. */
export type WorkerMessage =
  | { type: 'update'; fields: Record<string, unknown> }
  | { type: 'counted'; outcome: 'staged' | 'skipped'; count: number }
  | { type: 'done' }
  | { type: 'failed'; code: string; message: string };

const port = parentPort!;
const job = workerData as ReadJob;
const controller = new AbortController();
port.on('message', (message: { type: string }) => {
  if (message.type === 'abort') controller.abort();
});

async function read(): Promise<void> {
  const { settings, organizationId } = job;
  const organizationSettings = settings.organizations[organizationId]!;
  const logger = createLogger(settings.logging.level).child({ org: organizationId });
  const metrics = createMetrics({ processMetrics: false });
  const registry = createBuiltInRegistry();
  await loadOperatorPlugins(settings.plugins, registry);
  registry.check(settings);
  const plugins = await createOrganizationPlugins(settings, registry, logger, metrics);
  const directory = new Directory({
    organizationId,
    settings: organizationSettings,
    logger,
    metrics,
  });
  const db = openDatabase(job.storePath);
  try {
    await readDirectory(job.importId, {
      organization: {
        directory,
        mapper: plugins.of(organizationId).mapper,
        settings: organizationSettings,
        searchBase: searchBaseOf(organizationSettings),
      },
      store: new SqliteImportsStore(db),
      pageSize: settings.imports.pageSize,
      batchSize: settings.imports.batchSize,
      signal: controller.signal,
      update: (fields) => post({ type: 'update', fields }),
      counted: (outcome, count) => post({ type: 'counted', outcome, count }),
    });
  } finally {
    db.close();
    await directory.close();
    await plugins.close();
  }
}

function post(message: WorkerMessage): void {
  port.postMessage(message);
}

read().then(
  () => post({ type: 'done' }),
  (error: unknown) => {
    const failure = error instanceof GatewayError ? error : undefined;
    post({
      type: 'failed',
      code: failure?.code ?? 'internal_error',
      message: failure?.message ?? 'the import failed',
    });
  },
);
