import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';

import type { GatewaySettings, ImportSettings } from '../../config/types.js';
import { GatewayError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { GatewayMetrics } from '../metrics.js';
import type { Organizations } from '../organizations.js';
import { newImportRecord, type ImportRecord, type ImportsStore } from '../store/imports-store.js';
import { runImport, SHUTDOWN } from './import-job.js';
import type { WorkerReading } from './read-in-worker.js';
import { inSteps, STEP_ROWS } from './steps.js';

export interface ImportRunnerOptions {
  store: ImportsStore;
  organizations: Organizations;
  settings: ImportSettings;
  logger: Logger;
  metrics: GatewayMetrics;
  /** Where workers find what reading needs, when imports read in worker threads. */
  worker?: WorkerReading | undefined;
  now?: () => Date;
}

const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'needs_confirmation']);

/**
 * Runs imports in the background: one at a time per organization, at most `maxConcurrent`
 * in all, the rest queued. Progress goes to the store and to listeners of `events`
 * (`progress:<id>`), which the progress stream of the API follows.
 */
export class ImportRunner {
  readonly events = new EventEmitter();
  readonly #options: ImportRunnerOptions;
  readonly #queue: string[] = [];
  readonly #organizationOf = new Map<string, string>();
  readonly #running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  readonly #now: () => Date;
  readonly #closing = new AbortController();
  #purging: Promise<void> | undefined;
  #purgeAgain = false;

  constructor(options: ImportRunnerOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.events.setMaxListeners(0);
  }

  /** Whether the import's changes can still be paged; the purge drops the others'. */
  hasChanges(record: ImportRecord): boolean {
    return this.#options.store.changesKept(record.id, this.#options.settings.changesKept);
  }

  /** Starts (queues) an import, or answers 409 import_running with the active one's id. */
  start(organizationId: string, options: { dryRun: boolean }): ImportRecord {
    const organization = this.#options.organizations.get(organizationId);
    this.#refuseWhileRunning(organization.id);
    const record = newImportRecord({
      id: randomUUID(),
      organizationId: organization.id,
      dryRun: options.dryRun,
      createdAt: this.#now().toISOString(),
    });
    this.#options.store.createImport(record);
    this.#enqueue(record.id, organization.id);
    return record;
  }

  /** Cancels a queued or running import. */
  cancel(organizationId: string, id: string): ImportRecord {
    const record = this.#find(organizationId, id);
    if (FINAL.has(record.status) && record.status !== 'needs_confirmation') {
      throw new GatewayError('import_finished', `the import is already ${record.status}`);
    }
    const running = this.#running.get(id);
    if (running) {
      running.controller.abort();
    } else {
      this.#dequeue(id);
      this.#options.store.updateImport(id, {
        status: 'cancelled',
        phase: 'done',
        finishedAt: this.#now().toISOString(),
      });
      this.#report(this.#find(organizationId, id));
      this.#purge();
    }
    return this.#find(organizationId, id);
  }

  /**
   * Queues an import that stopped in needs_confirmation to go on: it is compared afresh (the
   * list may have changed since), then delivered and applied without stopping again.
   */
  confirm(organizationId: string, id: string): ImportRecord {
    const record = this.#find(organizationId, id);
    if (record.status !== 'needs_confirmation') {
      throw new GatewayError(
        'import_not_waiting',
        'only an import in needs_confirmation can be confirmed',
      );
    }
    this.#refuseWhileRunning(record.organizationId);
    this.#options.store.updateImport(id, { status: 'queued', phase: 'comparing', confirmed: true });
    this.#enqueue(id, record.organizationId);
    return this.#find(organizationId, id);
  }

  get(organizationId: string, id: string): ImportRecord {
    return this.#find(organizationId, id);
  }

  /**
   * Restarts the imports a stopped gateway left queued or running, each from its phase: one
   * that was reading reads again from the start (the current list was never touched), one
   * that was comparing, delivering or applying goes on from there.
   */
  recover(): void {
    const { store, logger, organizations } = this.#options;
    for (const record of store.listUnfinished()) {
      if (!organizations.has(record.organizationId)) continue;
      store.updateImport(record.id, { status: 'queued' });
      logger.info(
        { importId: record.id, org: record.organizationId, phase: record.phase },
        'import restarted',
      );
      this.#enqueue(record.id, record.organizationId);
    }
    this.#purge();
  }

  /** Stops every running import; they start again at the next recover(). */
  async close(): Promise<void> {
    this.#queue.length = 0;
    this.#closing.abort();
    const running = [...this.#running.values()];
    for (const job of running) job.controller.abort(SHUTDOWN);
    await Promise.allSettled([...running.map((job) => job.done), this.#purging]);
  }

  #enqueue(id: string, organizationId: string): void {
    this.#organizationOf.set(id, organizationId);
    this.#queue.push(id);
    this.#pump();
  }

  #dequeue(id: string): void {
    const index = this.#queue.indexOf(id);
    if (index >= 0) this.#queue.splice(index, 1);
    this.#organizationOf.delete(id);
  }

  #pump(): void {
    while (this.#running.size < this.#options.settings.maxConcurrent && this.#queue.length > 0) {
      const id = this.#queue.shift()!;
      this.#launch(id, this.#organizationOf.get(id)!);
    }
  }

  #launch(id: string, organizationId: string): void {
    const controller = new AbortController();
    const organization = this.#options.organizations.get(organizationId);
    const done = runImport(id, {
      organization,
      store: this.#options.store,
      settings: this.#options.settings,
      metrics: this.#options.metrics,
      worker: this.#options.worker,
      signal: controller.signal,
      now: this.#now,
      report: (record) => this.#report(record),
    }).finally(() => {
      this.#running.delete(id);
      this.#organizationOf.delete(id);
      this.#pump();
      this.#purge();
    });
    this.#running.set(id, { controller, done });
  }

  /**
   * Deletes, in the background and a step at a time, the lists no import needs any more:
   * those replaced by a later import, dry runs, failed and cancelled imports.
   */
  #purge(): void {
    if (this.#purging) {
      this.#purgeAgain = true;
      return;
    }
    this.#purging = (async () => {
      do {
        this.#purgeAgain = false;
        const { store, settings } = this.#options;
        await inSteps(() => store.purgeStep(STEP_ROWS, settings.changesKept), this.#closing.signal);
      } while (this.#purgeAgain && !this.#closing.signal.aborted);
    })()
      .catch((error: unknown) => this.#options.logger.warn({ err: error }, 'purge failed'))
      .finally(() => {
        this.#purging = undefined;
      });
  }

  #report(record: ImportRecord): void {
    if (FINAL.has(record.status)) {
      const labels = { org: record.organizationId, status: record.status };
      this.#options.metrics.importsFinished.inc(labels);
    }
    this.events.emit(`progress:${record.id}`, record);
  }

  #refuseWhileRunning(organizationId: string): void {
    const active = this.#activeImportOf(organizationId);
    if (active) {
      throw new GatewayError('import_running', 'an import of this organization is running', {
        details: { importId: active },
      });
    }
  }

  #activeImportOf(organizationId: string): string | undefined {
    for (const [id, organization] of this.#organizationOf) {
      if (organization === organizationId) return id;
    }
    return undefined;
  }

  #find(organizationId: string, id: string): ImportRecord {
    const record = this.#options.store.getImport(organizationId, id);
    if (!record) throw new GatewayError('import_not_found', 'no such import for this organization');
    return record;
  }
}
