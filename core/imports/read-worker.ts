/**
 * A worker thread that maps one import's entries to contacts and stages them (see
 * read-in-worker.ts). The pages come from the search worker; it builds what mapping needs of
 * the organization itself: its plugins and a connection of its own to the store. The thread is
 * started before the import (see import-threads.ts) and loads the plugins while it waits.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';

import type { GatewaySettings } from '../../config/types.js';
import { DirectoryEntry, type EntryRecord } from '../directory/entry.js';
import { createLogger } from '../logger.js';
import { createMetrics } from '../metrics.js';
import { createOrganizationPlugins } from '../organization-plugins.js';
import { loadOperatorPlugins } from '../plugin-loader.js';
import { createBuiltInRegistry, type PluginRegistry } from '../plugin-registry.js';
import { openDatabase } from '../store/database.js';
import type { ImportRecord } from '../store/imports-store.js';
import { SqliteImportsStore } from '../store/sqlite-imports-store.js';
import { compareInSteps, type Comparison } from './compare.js';
import { receivePages } from './page-channel.js';
import { makingWayForSignIns, SignInsInFlight } from './sign-ins-in-flight.js';
import { stageEntries } from './read-directory.js';
import { yieldCoresToRequests } from './thread-priority.js';
import {
  abortedByParent,
  failureOf,
  jobFromParent,
  type PluginErrorLabels,
  type WorkerMessage,
} from './worker-messages.js';

/** What the thread is started with. */
export interface ReadThreadData {
  settings: GatewaySettings;
}

/** What the main thread hands over for an import; `pages` is transferred. */
export interface ReadJob {
  importId: string;
  organizationId: string;
  storePath: string;
  batchSize: number;
  pages: MessagePort;
  /** A SignInsInFlight's buffer. */
  signIns: SharedArrayBuffer;
}

/** How often progress is written into the import's record and the main thread told. */
const PROGRESS_INTERVAL_MS = 200;

yieldCoresToRequests();
const port = parentPort!;
const { settings } = workerData as ReadThreadData;
const aborted = abortedByParent(port);
// Loaded while the thread waits for its import; a failure is reported once one comes.
const registry = loadPlugins(settings);
registry.catch(() => undefined);

async function loadPlugins(settings: GatewaySettings): Promise<PluginRegistry> {
  const registry = createBuiltInRegistry();
  await loadOperatorPlugins(settings.plugins, registry);
  registry.check(settings);
  return registry;
}

/** Reads and stages the import, then compares it: the comparison, or undefined if stopped. */
async function read(): Promise<Comparison | undefined> {
  const job = await jobFromParent<ReadJob>(port);
  const { organizationId } = job;
  const organization = settings.organizations[organizationId]!;
  const logger = createLogger(settings.logging.level).child({ org: organizationId });
  const progress = new ThrottledProgress();
  const metrics = createMetrics({ processMetrics: false });
  // This thread's metrics are nobody's to scrape: plugin failures go to the main thread's.
  metrics.pluginErrors.inc = ((labels: PluginErrorLabels, count?: number) =>
    progress.pluginFailed(labels, count ?? 1)) as typeof metrics.pluginErrors.inc;
  // Only this organization's plugins are created.
  const plugins = await createOrganizationPlugins(
    { ...settings, organizations: { [organizationId]: organization } },
    await registry,
    logger,
    metrics,
  );
  const db = openDatabase(job.storePath);
  // This thread serves nothing else: out-of-order contacts are set aside, then merged.
  const store = new SqliteImportsStore(db, { setAside: true });
  progress.writeWith((fields) => store.updateImport(job.importId, fields));
  try {
    const signIns = new SignInsInFlight(job.signIns);
    const pages = makingWayForSignIns(receivePages(job.pages), signIns);
    await stageEntries(job.importId, entriesOf(pages), {
      organization: { mapper: plugins.of(organizationId).mapper, settings: organization },
      store,
      batchSize: job.batchSize,
      signal: aborted,
      update: (fields) => progress.update(fields),
      counted: (outcome, count) => progress.counted(outcome, count),
    });
    if (aborted.aborted) return undefined;
    progress.flush();
    // Compared in this thread: on the main thread its steps would hold requests up.
    post({ type: 'comparing' });
    const comparison = await compareInSteps(store, job.importId, organizationId, aborted);
    return aborted.aborted ? undefined : comparison;
  } finally {
    progress.flush();
    db.close();
    await plugins.close();
  }
}

async function* entriesOf(pages: AsyncIterable<EntryRecord[]>) {
  for await (const page of pages) yield page.map((record) => DirectoryEntry.fromRecord(record));
}

/**
 * Progress written into the import's record, and counts for the metrics, at most every
 * PROGRESS_INTERVAL_MS; the main thread is told after each write.
 */
class ThrottledProgress {
  #write: ((fields: Partial<ImportRecord>) => void) | undefined;
  #fields: Partial<ImportRecord> | undefined;
  #counts = { staged: 0, skipped: 0 };
  #pluginFailures = new Map<string, { labels: PluginErrorLabels; count: number }>();
  #sent = 0;

  /** Where the progress is written; nothing is written before. */
  writeWith(write: (fields: Partial<ImportRecord>) => void): void {
    this.#write = write;
  }

  update(fields: Partial<ImportRecord>): void {
    this.#fields = { ...this.#fields, ...fields };
    if (Date.now() - this.#sent >= PROGRESS_INTERVAL_MS) this.flush();
  }

  counted(outcome: 'staged' | 'skipped', count: number): void {
    this.#counts[outcome] += count;
  }

  pluginFailed(labels: PluginErrorLabels, count: number): void {
    const key = `${labels.kind}\u0000${labels.plugin}`;
    const tally = this.#pluginFailures.get(key);
    if (tally) tally.count += count;
    else this.#pluginFailures.set(key, { labels: { ...labels }, count });
  }

  flush(): void {
    for (const outcome of ['staged', 'skipped'] as const) {
      const count = this.#counts[outcome];
      if (count > 0) post({ type: 'counted', outcome, count });
      this.#counts[outcome] = 0;
    }
    for (const { labels, count } of this.#pluginFailures.values()) {
      post({ type: 'pluginFailed', labels, count });
    }
    this.#pluginFailures.clear();
    if (this.#fields && this.#write) {
      this.#write(this.#fields);
      post({ type: 'progressed' });
    }
    this.#fields = undefined;
    this.#sent = Date.now();
  }
}

function post(message: WorkerMessage): void {
  port.postMessage(message);
}

read().then(
  (comparison) => post(comparison ? { type: 'done', comparison } : { type: 'done' }),
  (error: unknown) => post(failureOf(error)),
);
