import type { GatewaySettings, ImportSettings } from '../../config/types.js';
import { GatewayError } from '../errors.js';
import type { GatewayMetrics } from '../metrics.js';
import type { Organization } from '../organizations.js';
import type { ImportRecord, ImportsStore } from '../store/imports-store.js';
import { compareInSteps, type Comparison } from './compare.js';
import { deliverChanges, deliveryBatchSize, type DeliveryContext } from './delivery.js';
import { importQueryOf, readDirectory } from './read-directory.js';
import { canReadInWorker, readInWorker, type WorkerReading } from './read-in-worker.js';
import { inSteps, STEP_ROWS, yieldToRequests } from './steps.js';

export interface ImportJobContext {
  organization: Organization;
  store: ImportsStore;
  settings: ImportSettings;
  metrics: GatewayMetrics;
  signal: AbortSignal;
  now: () => Date;
  /** Called whenever the record changes, for progress streams. */
  report: (record: ImportRecord) => void;
  /** Set to read directories in a worker thread (see read-in-worker.ts). */
  worker?: WorkerReading | undefined;
}

/**
 * Runs one import from the phase its record names, so a restarted gateway or a confirmation
 * goes on where the import stood: (1) reading the directory into the import's own list, in
 * batches; (2) comparing it with the organization's current list; (3) stopping for
 * confirmation when the change looks like a mistake; (4) delivering the changes to a sink that
 * takes them; (5) applying: the import's list becomes the current one in one transaction.
 * Until (5) the current list is untouched.
 */
export async function runImport(id: string, context: ImportJobContext): Promise<void> {
  const { store, organization } = context;
  const record = store.getImport(organization.id, id);
  if (!record) return;
  try {
    switch (record.phase) {
      case 'applying':
        return applyImport(context, id);
      case 'delivering':
        return await deliverAndApply(context, id);
      case 'comparing':
        return await compareAndGoOn(context, record);
      default:
        return await readAndGoOn(context, record);
    }
  } catch (error) {
    if (context.signal.aborted) return stopped(context, id);
    const failure = error instanceof GatewayError ? error : undefined;
    update(context, id, {
      status: 'failed',
      phase: 'done',
      errorCode: failure?.code ?? 'internal_error',
      errorMessage: failure?.message ?? 'the import failed',
      finishedAt: context.now().toISOString(),
    });
    organization.logger.warn({ importId: id, err: error }, 'import failed');
  }
}

async function readAndGoOn(context: ImportJobContext, record: ImportRecord): Promise<void> {
  const { store, signal, settings } = context;
  // What an interrupted earlier run staged is read again.
  await inSteps(() => store.dropStaged(record.id, STEP_ROWS), signal);
  update(context, record.id, {
    status: 'running',
    phase: 'reading',
    // A restarted import keeps the time it first started.
    startedAt: record.startedAt ?? context.now().toISOString(),
  });
  const progress = {
    update: (fields: Partial<ImportRecord>) => update(context, record.id, fields),
    counted: (outcome: 'staged' | 'skipped', count: number) =>
      context.metrics.importEntries.inc({ org: context.organization.id, outcome }, count),
  };
  const { worker } = context;
  let comparison: Comparison | undefined;
  if (worker && canReadInWorker(worker.settings, context.organization.id)) {
    context.organization.logger.debug({ importId: record.id }, 'reading in a worker thread');
    comparison = await readInWorker({
      importId: record.id,
      organizationId: context.organization.id,
      settings: worker.settings,
      storePath: worker.storePath,
      threads: worker.threads,
      signIns: worker.signIns,
      query: importQueryOf(context.organization, settings.pageSize),
      signal,
      // The worker writes its progress itself: a write here could wait for its transaction.
      progressed: () => reportStored(context, record.id),
      counted: progress.counted,
      pluginFailed: (labels, count) => context.metrics.pluginErrors.inc(labels, count),
      comparing: () => update(context, record.id, { status: 'running', phase: 'comparing' }),
    });
  } else {
    await readDirectory(record.id, {
      organization: context.organization,
      store,
      pageSize: settings.pageSize,
      batchSize: settings.batchSize,
      signal,
      ...progress,
    });
  }
  if (signal.aborted) return stopped(context, record.id);
  // The worker threads compare as well; reading on this thread leaves it to be done here.
  if (comparison) return goOnAfterComparing(context, record, comparison);
  await compareAndGoOn(context, record);
}

async function compareAndGoOn(context: ImportJobContext, record: ImportRecord): Promise<void> {
  const { store, organization, signal } = context;
  update(context, record.id, { status: 'running', phase: 'comparing' });
  const comparison = await compareInSteps(store, record.id, organization.id, signal);
  if (signal.aborted) return stopped(context, record.id);
  await goOnAfterComparing(context, record, comparison);
}

/** Records the comparison, then stops at the brake or delivers and applies. */
async function goOnAfterComparing(
  context: ImportJobContext,
  record: ImportRecord,
  comparison: Comparison,
): Promise<void> {
  const { added, updated, removed } = comparison;
  update(context, record.id, { added, updated, removed });
  if (record.dryRun) return finish(context, record.id);
  if (!record.confirmed && looksLikeAMistake(comparison, context.settings)) {
    update(context, record.id, { status: 'needs_confirmation' });
    return;
  }
  await deliverAndApply(context, record.id);
}

/**
 * Hands the changes to the organization's sink, if it takes any, then applies them. The list
 * in the gateway changes only once the sink has everything, so the next import's changes are
 * counted from what the sink holds.
 */
async function deliverAndApply(context: ImportJobContext, id: string): Promise<void> {
  const { store, organization, signal } = context;
  const { deliver } = organization.sink;
  if (deliver) {
    update(context, id, { status: 'running', phase: 'delivering' });
    const delivery: DeliveryContext = {
      organizationId: organization.id,
      store,
      sink: { ...organization.sink, deliver: deliver.bind(organization.sink) },
      retry: organization.settings.sink.retry,
      batchSize: context.settings.batchSize,
      signal,
      update: (fields) => update(context, id, fields),
      counted: (result) =>
        context.metrics.sinkDeliveries.inc({
          org: organization.id,
          sink: organization.settings.sink.type,
          result,
        }),
    };
    try {
      await deliverChanges(store.getImport(organization.id, id)!, delivery);
    } catch (error) {
      // A stopping gateway resumes the delivery later; a failed or cancelled one is over.
      if (signal.reason !== SHUTDOWN) await keepWhatWasDelivered(context, id, delivery);
      throw error;
    }
  }
  applyImport(context, id);
}

/**
 * After a delivery that stopped part-way, the sink holds some of the changes: the gateway's
 * list becomes the same (see keepDeliveredStep), so the next import's changes correct
 * whatever the sink took. The batch in flight may or may not have been taken, so the next
 * import sends its contacts again in any case.
 */
async function keepWhatWasDelivered(
  context: ImportJobContext,
  id: string,
  delivery: DeliveryContext,
) {
  const { store, organization } = context;
  const record = store.getImport(organization.id, id)!;
  const size = deliveryBatchSize(record, delivery);
  const inFlight = store.pageChanges(id, record.deliveredKey, size);
  const keys = {
    delivered: record.deliveredKey,
    uncertain: inFlight.at(-1)?.key ?? record.deliveredKey,
  };
  store.keepDeliveredStep(id, organization.id, keys, 'uncertain', '', 0);
  for (const side of ['staged', 'current'] as const) {
    let after = '';
    for (;;) {
      const last = store.keepDeliveredStep(id, organization.id, keys, side, after, STEP_ROWS);
      if (last === null) break;
      after = last;
      await yieldToRequests();
    }
  }
  store.apply(id, organization.id);
  forgetAnswers(context, id);
  organization.logger.info({ importId: id, delivered: record.delivered }, 'partial delivery kept');
}

/** Makes the import's list the organization's current one, and forgets cached queries. */
function applyImport(context: ImportJobContext, id: string): void {
  update(context, id, { status: 'running', phase: 'applying' });
  context.store.apply(id, context.organization.id);
  finish(context, id);
  forgetAnswers(context, id);
}

/**
 * After the current list changed: cached query answers and the lookup index are stale, and
 * an import still waiting for confirmation would compare against a list it never saw.
 */
function forgetAnswers(context: ImportJobContext, id: string): void {
  const { organization, store } = context;
  organization.contacts.clear();
  organization.lookup.clear();
  organization.lookup.prepare();
  for (const cancelled of store.cancelWaiting(organization.id, id, context.now().toISOString())) {
    const record = store.getImport(organization.id, cancelled);
    if (record) context.report(record);
  }
}

/** An import that removes too much, or finds nobody, is more likely a wrong base DN than news. */
function looksLikeAMistake(comparison: Comparison, settings: ImportSettings): boolean {
  if (comparison.staged === 0) return true;
  const { existing, removed } = comparison;
  return existing > 0 && removed > settings.maxRemovedShare * existing;
}

function finish(context: ImportJobContext, id: string): void {
  update(context, id, {
    status: 'succeeded',
    phase: 'done',
    finishedAt: context.now().toISOString(),
  });
}

/** Reason of an abort by a stopping gateway: the import stays running and restarts later. */
export const SHUTDOWN = 'shutdown';

function stopped(context: ImportJobContext, id: string): void {
  if (context.signal.reason === SHUTDOWN) return;
  update(context, id, {
    status: 'cancelled',
    phase: 'done',
    finishedAt: context.now().toISOString(),
  });
}

function update(context: ImportJobContext, id: string, fields: Partial<ImportRecord>): void {
  context.store.updateImport(id, fields);
  reportStored(context, id);
}

/** Tells the progress streams the import's record as stored. */
function reportStored(context: ImportJobContext, id: string): void {
  const record = context.store.getImport(context.organization.id, id);
  if (record) context.report(record);
}
