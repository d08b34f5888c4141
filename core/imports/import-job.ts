import { createHash } from 'node:crypto';

import type { ImportSettings } from '../../config/types.js';
import type { DirectoryEntry } from '../directory/entry.js';
import { GatewayError } from '../errors.js';
import type { Organization } from '../organizations.js';
import type { ImportRecord, ImportsStore, StagedContact } from '../store/imports-store.js';
import { deliverChanges } from './delivery.js';
import { searchTextOf } from './search-text.js';
import { STABLE_ID_ATTRIBUTES, stableKeyOf } from './stable-key.js';

export interface ImportJobContext {
  organization: Organization;
  store: ImportsStore;
  settings: ImportSettings;
  signal: AbortSignal;
  now: () => Date;
  /** Called whenever the record changes, for progress streams. */
  report: (record: ImportRecord) => void;
}

/**
 * Runs one import: (1) read the directory page by page into a staging area, in batches, each
 * in its own transaction; (2) compare with the current contacts; (3) stop for confirmation when
 * the change looks like a mistake; (4) apply everything in one transaction. A crash before (4)
 * leaves the contacts as they were; the import is then started again from (1).
 */
export async function runImport(id: string, context: ImportJobContext): Promise<void> {
  const { store, organization } = context;
  const record = store.getImport(organization.id, id);
  if (!record) return;
  try {
    // A delivery that a stopped gateway left half done goes on where it stopped.
    if (record.phase === 'delivering') return await deliverAndApply(context, id);
    store.clearStaging(id);
    update(context, id, {
      status: 'running',
      phase: 'reading',
      startedAt: context.now().toISOString(),
    });
    const staged = await readDirectory(id, context);
    if (context.signal.aborted) return stopped(context, id);

    update(context, id, { phase: 'comparing' });
    const counts = store.compare(id, organization.id);
    update(context, id, { added: counts.added, updated: counts.updated, removed: counts.removed });
    if (record.dryRun) {
      store.dropStagedContacts(id);
      return finish(context, id);
    }
    if (looksLikeAMistake(staged, counts, context.settings)) {
      update(context, id, { status: 'needs_confirmation', phase: 'comparing' });
      return;
    }
    await deliverAndApply(context, id);
  } catch (error) {
    if (context.signal.aborted) return stopped(context, id);
    store.clearStaging(id);
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

/** Whether applying this organization's imports waits for a sink to take the changes. */
export function deliversToSink(organization: Organization): boolean {
  return organization.sink.deliver !== undefined;
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
    const record = store.getImport(organization.id, id)!;
    await deliverChanges(record, {
      organizationId: organization.id,
      store,
      sink: { ...organization.sink, deliver: deliver.bind(organization.sink) },
      retry: organization.settings.sink.retry,
      batchSize: context.settings.batchSize,
      signal,
      update: (fields) => update(context, id, fields),
    });
    if (signal.aborted) return stopped(context, id);
  }
  applyImport(context, id);
}

/** Applies a compared import: the contacts become the organization's list at once. */
export function applyImport(
  context: Omit<ImportJobContext, 'signal' | 'settings'>,
  id: string,
): void {
  update(context, id, { status: 'running', phase: 'applying' });
  context.store.apply(id, context.organization.id);
  context.organization.contacts.clear();
  finish(context, id);
  // An older import still waiting would now compare against a list it never saw.
  context.store.cancelWaiting(context.organization.id, id, context.now().toISOString());
}

/** An import that removes too much, or finds nobody, is more likely a wrong base DN than news. */
function looksLikeAMistake(
  staged: number,
  counts: { removed: number; existing: number },
  settings: ImportSettings,
): boolean {
  if (staged === 0) return true;
  return counts.existing > 0 && counts.removed > settings.maxRemovedShare * counts.existing;
}

async function readDirectory(id: string, context: ImportJobContext): Promise<number> {
  const { organization, settings, store } = context;
  const attributes = [
    ...organization.mapper.attributes,
    ...organization.settings.contacts.searchAttributes,
    ...STABLE_ID_ATTRIBUTES,
  ];
  const progress = { processed: 0, skipped: 0, staged: 0, reasons: {} as Record<string, number> };
  let batch: StagedContact[] = [];
  const flush = () => {
    store.stage(id, batch);
    progress.staged += batch.length;
    batch = [];
    update(context, id, {
      processed: progress.processed,
      skipped: progress.skipped,
      skippedReasons: progress.reasons,
    });
  };

  const pages = organization.directory.stream(
    {
      base: organization.searchBase,
      filter: organization.settings.contacts.filter,
      attributes,
      pageSize: settings.pageSize,
    },
    context.signal,
  );
  for await (const page of pages) {
    for (const entry of page) {
      progress.processed += 1;
      const staged = stage(entry, organization);
      if (typeof staged === 'string') {
        progress.skipped += 1;
        progress.reasons[staged] = (progress.reasons[staged] ?? 0) + 1;
      } else {
        batch.push(staged);
      }
      if (batch.length >= settings.batchSize) flush();
    }
    if (context.signal.aborted) return progress.staged;
  }
  flush();
  return progress.staged;
}

/** Larger contacts are skipped (`too_large`): one entry must not bloat every contact list. */
export const MAX_CONTACT_BYTES = 256 * 1024;

/** The entry as a staged contact, or the reason it is skipped. */
function stage(entry: DirectoryEntry, organization: Organization): StagedContact | string {
  const named = ['displayName', 'cn', 'givenName', 'sn'].some((name) => entry.has(name));
  if (!named) return 'no_name';
  let key: string;
  let data: string;
  try {
    key = stableKeyOf(entry);
    data = JSON.stringify({ key, ...organization.mapper.toContact(entry) });
  } catch {
    return 'mapping_failed';
  }
  if (Buffer.byteLength(data) > MAX_CONTACT_BYTES) return 'too_large';
  return {
    key,
    data,
    hash: createHash('sha1').update(data).digest('base64'),
    searchText: searchTextOf(entry, organization.settings.contacts.searchAttributes),
  };
}

function finish(context: Omit<ImportJobContext, 'signal' | 'settings'>, id: string): void {
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
  cancel(context, id);
}

function cancel(context: ImportJobContext, id: string): void {
  context.store.clearStaging(id);
  update(context, id, {
    status: 'cancelled',
    phase: 'done',
    finishedAt: context.now().toISOString(),
  });
}

function update(
  context: Omit<ImportJobContext, 'signal' | 'settings'>,
  id: string,
  fields: Partial<ImportRecord>,
): void {
  context.store.updateImport(id, fields);
  const record = context.store.getImport(context.organization.id, id);
  if (record) context.report(record);
}
