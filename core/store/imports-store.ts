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
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** One contact as read in an import: keyed by the entry's stable identifier. */
export interface StagedContact {
  key: string;
  /** The contact as JSON text. */
  data: string;
  /** A digest of `data`, so unchanged contacts are found without comparing text. */
  hash: string;
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

/** Imports, their staged contacts and the applied contact lists. Multi-row writes are atomic. */
export interface ImportsStore {
  createImport(record: ImportRecord): void;
  updateImport(id: string, fields: Partial<Omit<ImportRecord, 'id' | 'organizationId'>>): void;
  getImport(organizationId: string, id: string): ImportRecord | undefined;
  listImports(organizationId: string, limit: number): ImportRecord[];
  /** Imports a stopped gateway left queued or running. */
  listUnfinished(): ImportRecord[];
  stage(importId: string, contacts: StagedContact[]): void;
  /** Drops the staged contacts and the recorded changes of an import. */
  clearStaging(importId: string): void;
  /** Drops the staged contacts but keeps the changes (a dry run's answer). */
  dropStagedContacts(importId: string): void;
  /** Records what applying the staged contacts would change; returns the counts. */
  compare(
    importId: string,
    organizationId: string,
  ): { added: number; updated: number; removed: number; existing: number };
  /** Makes the staged contacts the organization's list, in one transaction. */
  apply(importId: string, organizationId: string): void;
  /** The organization's contacts after `afterKey`, in key order. */
  pageContacts(
    organizationId: string,
    afterKey: string,
    limit: number,
  ): Array<{ key: string; data: string }>;
  pageChanges(importId: string, afterKey: string, limit: number): ContactChange[];
  /** Cancels the organization's imports waiting for confirmation, but `exceptId`. */
  cancelWaiting(organizationId: string, exceptId: string, finishedAt: string): void;
  /**
   * Up to `limit` of the organization's contacts whose search text contains one of `needles`
   * (all of them when `needles` is empty), as JSON text.
   */
  searchContacts(organizationId: string, needles: string[], limit: number): string[];
  /** The last import whose contacts were applied, if any. */
  latestApplied(organizationId: string): ImportRecord | undefined;
}
