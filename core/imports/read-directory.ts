import type { DirectoryEntry } from '../directory/entry.js';
import { contactAttributes, keyedContactOf } from '../keyed-contact.js';
import type { Organization } from '../organizations.js';
import type { Contact } from '../plugin-api.js';
import type { ImportRecord, ImportsStore, StagedContact } from '../store/imports-store.js';
import { searchTextOf } from './search-text.js';
import { yieldToRequests } from './steps.js';

/** Entries mapped between two turns of other requests: well under a millisecond of work. */
const ENTRIES_BETWEEN_YIELDS = 50;

/** An entry with none of these, or only blank ones, is skipped as `no_name`. */
const NAME_ATTRIBUTES = ['displayName', 'cn', 'givenName', 'sn'];

/** Larger contacts are skipped (`too_large`): one entry must not bloat every contact list. */
export const MAX_CONTACT_BYTES = 256 * 1024;

/** What reading needs of an organization. */
export type ReadableOrganization = Pick<
  Organization,
  'directory' | 'mapper' | 'settings' | 'searchBase'
>;

export interface StageOptions {
  organization: Pick<ReadableOrganization, 'mapper' | 'settings'>;
  store: ImportsStore;
  batchSize: number;
  signal: AbortSignal;
  /** Records progress after every batch. */
  update: (fields: Partial<ImportRecord>) => void;
  /** Told how many entries each batch staged and skipped, for the metrics. */
  counted: (outcome: 'staged' | 'skipped', count: number) => void;
}

export interface ReadOptions extends StageOptions {
  organization: ReadableOrganization;
  pageSize: number;
}

export interface ImportQuery {
  base: string;
  filter: string;
  attributes: string[];
  pageSize: number;
}

/** The search an import sends: the mapping's attributes with the stable keys, and the searched. */
export function importQueryOf(
  organization: Pick<ReadableOrganization, 'mapper' | 'settings' | 'searchBase'>,
  pageSize: number,
): ImportQuery {
  return {
    base: organization.searchBase,
    filter: organization.settings.contacts.filter,
    attributes: [
      ...contactAttributes(organization.mapper),
      ...organization.settings.contacts.searchAttributes,
    ],
    pageSize,
  };
}

/** Reads the organization's people page by page and stages them (see stageEntries). */
export async function readDirectory(id: string, options: ReadOptions): Promise<void> {
  const { organization, signal } = options;
  const query = importQueryOf(organization, options.pageSize);
  await stageEntries(id, organization.directory.stream(query, signal), options);
}

/**
 * Stages the entries of `pages` as contacts, `batchSize` per transaction. Entries that cannot
 * become contacts are counted by reason. Between batches other requests get their turn, so a
 * long import slows no sign-in.
 */
export async function stageEntries(
  id: string,
  pages: AsyncIterable<DirectoryEntry[]>,
  options: StageOptions,
): Promise<void> {
  const { organization, store, signal } = options;
  const progress = { processed: 0, skipped: 0, reasons: {} as Record<string, number> };
  let batch: StagedContact[] = [];
  let skippedSinceFlush = 0;
  const flush = async () => {
    store.stage(id, batch);
    options.counted('staged', batch.length);
    options.counted('skipped', skippedSinceFlush);
    batch = [];
    skippedSinceFlush = 0;
    options.update({
      processed: progress.processed,
      skipped: progress.skipped,
      skippedReasons: progress.reasons,
    });
    await yieldToRequests();
  };

  for await (const page of pages) {
    for (const [index, entry] of page.entries()) {
      // Mapping a page at once would hold sign-ins up for its whole length.
      if (index > 0 && index % ENTRIES_BETWEEN_YIELDS === 0) await yieldToRequests();
      progress.processed += 1;
      const staged = contactOf(entry, organization);
      if (typeof staged === 'string') {
        progress.skipped += 1;
        skippedSinceFlush += 1;
        progress.reasons[staged] = (progress.reasons[staged] ?? 0) + 1;
      } else {
        batch.push(staged);
      }
      if (batch.length >= options.batchSize) await flush();
    }
    if (signal.aborted) return;
  }
  await flush();
  store.finishStaging(id);
}

/** The entry as a staged contact, or the reason it is skipped. */
function contactOf(
  entry: DirectoryEntry,
  organization: StageOptions['organization'],
): StagedContact | string {
  const named = NAME_ATTRIBUTES.some((name) => entry.firstFilled(name) !== undefined);
  if (!named) return 'no_name';
  let key: string;
  let data: string;
  try {
    const contact = keyedContactOf(entry, organization.mapper);
    key = contact.key!;
    // Inside the try: a plugin may return what JSON cannot hold (a cycle, a BigInt).
    data = JSON.stringify(contact);
    // A huge photo costs the contact its binary attributes, not the person their place in the
    // list: the photo route still serves the directory's bytes.
    if (tooLarge(data) && dropBinaryAttributes(contact, entry)) data = JSON.stringify(contact);
  } catch {
    return 'mapping_failed';
  }
  if (tooLarge(data)) return 'too_large';
  return {
    key,
    data,
    searchText: searchTextOf(entry, organization.settings.contacts.searchAttributes),
  };
}

function tooLarge(data: string): boolean {
  // A UTF-8 character takes at most 3 bytes per UTF-16 unit: short text needs no count.
  return data.length * 3 > MAX_CONTACT_BYTES && Buffer.byteLength(data) > MAX_CONTACT_BYTES;
}

/** Removes the contact's attributes whose directory values are bytes; whether any were. */
function dropBinaryAttributes(contact: Contact, entry: DirectoryEntry): boolean {
  let dropped = false;
  for (const name of Object.keys(contact.attributes ?? {})) {
    if (entry.values(name).some((value) => typeof value !== 'string')) {
      delete contact.attributes[name];
      dropped = true;
    }
  }
  return dropped;
}
