import type { ContactChangeKind } from '../plugin-api.js';

/** Where an import stands (the `status` of the API). */
export type ImportStatus =
  'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'needs_confirmation';

export type ImportPhase = 'waiting' | 'reading' | 'comparing' | 'delivering' | 'applying' | 'done';

export interface ImportCounts {
  processed: number;
  added: number;
  updated: number;
  removed: number;
  skipped: number;
}

export interface ImportRecord extends ImportCounts {
  id: string;
  organizationId: string;
  status: ImportStatus;
  phase: ImportPhase;
  dryRun: boolean;
  /** How many entries were skipped for each reason, e.g. `{ "no_name": 3 }`. */
  skippedReasons: Record<string, number>;
  /** Changes the organization's sink has acknowledged, and in how many batches. */
  delivered: number;
  deliveredBatches: number;
  /** Key of the last change delivered: where a stopped delivery resumes. Not shown. */
  deliveredKey: string;
  /**
   * Changes per batch of this import's delivery, fixed by its first batch so a resumed delivery
   * cuts the same batches (one Idempotency-Key, one content). 0 before. Not shown.
   */
  deliveryBatchSize: number;
  /** Applied by `POST .../confirm`: the safety brake does not stop it again. */
  confirmed: boolean;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** A queued import that has done nothing yet. */
export function newImportRecord(
  fields: Pick<ImportRecord, 'id' | 'organizationId' | 'dryRun' | 'createdAt'>,
): ImportRecord {
  // Fields in the order the API shows them.
  return {
    id: fields.id,
    organizationId: fields.organizationId,
    status: 'queued',
    phase: 'waiting',
    dryRun: fields.dryRun,
    processed: 0,
    added: 0,
    updated: 0,
    removed: 0,
    skipped: 0,
    skippedReasons: {},
    delivered: 0,
    deliveredBatches: 0,
    deliveredKey: '',
    deliveryBatchSize: 0,
    confirmed: false,
    errorCode: null,
    errorMessage: null,
    createdAt: fields.createdAt,
    startedAt: null,
    finishedAt: null,
  };
}

/** One contact as read in an import: keyed by the entry's stable identifier. */
export interface StagedContact {
  key: string;
  /** The contact as JSON text. */
  data: string;
  /** The searched values, lower-cased, one per line: what imported queries match. */
  searchText: string;
}

export type ChangeKind = ContactChangeKind;

export interface ContactChange {
  key: string;
  change: ChangeKind;
  /** The contact after the change; before it, for a removal. */
  data: string;
}

/** What one step of a comparison found, and where the next step starts. */
export interface CompareStep {
  /** The last key this step covered; null when there was nothing left to compare. */
  lastKey: string | null;
  /** How many contacts of its side the step covered. */
  covered: number;
  added: number;
  updated: number;
  removed: number;
}

/**
 * Imports and their contact lists. Every import stages a full list of its own; applying one
 * makes its list the organization's current list in one small transaction, and lists no
 * import needs any more are purged in steps. Long work comes in steps of `limit` rows, so the
 * caller can let other requests run in between.
 */
export interface ImportsStore {
  createImport(record: ImportRecord): void;
  updateImport(id: string, fields: Partial<Omit<ImportRecord, 'id' | 'organizationId'>>): void;
  getImport(organizationId: string, id: string): ImportRecord | undefined;
  listImports(organizationId: string, limit: number): ImportRecord[];
  /** Imports a stopped gateway left queued or running. */
  listUnfinished(): ImportRecord[];
  /** Stages contacts, in one transaction; their keys may come in any order. */
  stage(importId: string, contacts: StagedContact[]): void;
  /**
   * Ends the import's staging: contacts a store set aside while they came out of key order
   * join its list (in one go). Before this, its list may lack them.
   */
  finishStaging(importId: string): void;
  /**
   * Deletes up to `limit` of the import's staged contacts; returns how many went. Its recorded
   * changes keep their contacts.
   */
  dropStaged(importId: string, limit: number): number;
  /** Deletes up to `limit` of the import's recorded changes; returns how many went. */
  dropChanges(importId: string, limit: number): number;
  /**
   * Records the changes among the next `limit` keys after `afterKey`: on the `staged` side
   * what is added or updated, on the `current` side what is removed.
   */
  compareStep(
    importId: string,
    organizationId: string,
    side: 'staged' | 'current',
    afterKey: string,
    limit: number,
  ): CompareStep;
  /** How many contacts the import staged. */
  countStaged(importId: string): number;
  /** How many contacts the organization's current list holds. */
  countCurrent(organizationId: string): number;
  /** Makes the import's staged contacts the organization's current list. */
  apply(importId: string, organizationId: string): void;
  /**
   * For a delivery that stopped part-way, turns the import's staged list into what the sink
   * may now hold, one step at a time like compareStep. Keys up to `deliveredKey` keep the
   * import's version. Keys up to `uncertainKey` (the batch in flight; the `uncertain` side, one
   * step) keep either version marked uncertain, so the next import sends them again whatever
   * they become. Later keys take the current list's version: the `staged` side drops what
   * differs, the `current` side copies what is missing. Returns the last key covered, or null.
   */
  keepDeliveredStep(
    importId: string,
    organizationId: string,
    keys: { delivered: string; uncertain: string },
    side: 'uncertain' | 'staged' | 'current',
    afterKey: string,
    limit: number,
  ): string | null;
  /** The organization's current contacts after `afterKey`, in key order. */
  pageContacts(
    organizationId: string,
    afterKey: string,
    limit: number,
  ): Array<{ key: string; data: string }>;
  /** One contact of the organization's current list, as JSON text. */
  currentContact(organizationId: string, key: string): string | undefined;
  /**
   * Whether the import's changes are still kept (see purgeStep): false once it failed, was
   * cancelled, or has `changesKept` newer imports, even while the purge is still deleting them.
   */
  changesKept(importId: string, changesKept: number): boolean;
  pageChanges(importId: string, afterKey: string, limit: number): ContactChange[];
  /** Cancels the organization's imports waiting for confirmation, but `exceptId`; their ids. */
  cancelWaiting(organizationId: string, exceptId: string, finishedAt: string): string[];
  /**
   * Up to `limit` of the organization's current contacts whose search text contains one of
   * `needles` (all of them when `needles` is empty), as JSON text.
   */
  searchContacts(organizationId: string, needles: string[], limit: number): string[];
  /** The import whose list is the organization's current one, if any. */
  latestApplied(organizationId: string): ImportRecord | undefined;
  /**
   * Deletes up to `limit` rows nobody needs any more: the staged contacts of finished imports
   * whose list is nobody's current one (replaced, failed, cancelled, dry runs), and the
   * recorded changes of failed and cancelled imports and of succeeded ones older than an
   * organization's latest `changesKept`. Returns how many went.
   */
  purgeStep(limit: number, changesKept: number): number;
}
