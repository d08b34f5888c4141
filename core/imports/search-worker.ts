/**
 * A worker thread that runs one import's directory search and hands its pages to the staging
 * worker (see read-in-worker.ts). Parsing the directory's answers is most of a reading's work;
 * here it runs beside the mapping and staging instead of before them. The thread is started
 * before the import and waits for it (see import-threads.ts).
 */
import { parentPort, type MessagePort } from 'node:worker_threads';

import type { OrganizationSettings } from '../../config/types.js';
import { Directory } from '../directory/directory.js';
import { createLogger } from '../logger.js';
import { createMetrics } from '../metrics.js';
import { sendPages } from './page-channel.js';
import { makingWayForSignIns, SignInsInFlight } from './sign-ins-in-flight.js';
import type { ImportQuery } from './read-directory.js';
import { yieldCoresToRequests } from './thread-priority.js';
import {
  abortedByParent,
  failureOf,
  jobFromParent,
  type WorkerMessage,
} from './worker-messages.js';

/** What the main thread hands over for an import; `pages` is transferred. */
export interface SearchJob {
  organizationId: string;
  settings: OrganizationSettings;
  logLevel: string;
  query: ImportQuery;
  pages: MessagePort;
  /** A SignInsInFlight's buffer. */
  signIns: SharedArrayBuffer;
}

yieldCoresToRequests();
const port = parentPort!;
const aborted = abortedByParent(port);

async function search(): Promise<void> {
  const job = await jobFromParent<SearchJob>(port);
  const { organizationId, settings } = job;
  const directory = new Directory({
    organizationId,
    settings,
    logger: createLogger(job.logLevel).child({ org: organizationId }),
    metrics: createMetrics({ processMetrics: false }),
  });
  try {
    const pages = directory.streamRecords(job.query, aborted);
    await sendPages(job.pages, makingWayForSignIns(pages, new SignInsInFlight(job.signIns)));
  } finally {
    await directory.close();
  }
}

search().then(
  () => port.postMessage({ type: 'done' } satisfies WorkerMessage),
  (error: unknown) => port.postMessage(failureOf(error)),
);
