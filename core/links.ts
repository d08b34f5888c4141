import type { DirectoryEntry } from './directory/entry.js';
import { escapeFilterValue } from './directory/escape.js';
import { GatewayError } from './errors.js';
import type { Organization } from './organizations.js';
import type { Link, LinksStore } from './store/links-store.js';

export interface ExtensionRequest {
  userId: string;
  extension: string;
}

/** `linkedDn`: the link the user already has, left as it was. */
interface Unlinked {
  userId: string;
  extension: string;
  linkedDn?: string;
}

export interface AutoLinkResult {
  linked: Array<{ userId: string; extension: string; dn: string }>;
  unmatched: Unlinked[];
  ambiguous: Array<Unlinked & { candidates: string[] }>;
  /** Users linked by hand: automatic linking never replaces such a link. */
  kept: Array<{ userId: string; extension: string; dn: string; reason: 'manual_link' }>;
}

/** Extensions asked of the directory in one OR filter. */
const EXTENSIONS_PER_SEARCH = 100;
/** Entries one batch may return before it is treated as a data problem. */
const MAX_ENTRIES_PER_BATCH = 5000;

/**
 * Links each provider user to the one directory account whose extension attribute equals the
 * user's extension. Found links are saved together, or none are. A link made by hand is an
 * administrator's decision and is kept; a user left unmatched or ambiguous keeps any link they
 * had, which the answer names.
 */
export async function linkByExtension(
  organization: Organization,
  store: LinksStore,
  requests: ExtensionRequest[],
  now: () => Date,
  deadline: AbortSignal,
): Promise<AutoLinkResult> {
  const attribute = organization.settings.extensionAttribute;
  const candidates = await findByExtensions(
    organization,
    requests.map((request) => request.extension),
  );

  const result: AutoLinkResult = { linked: [], unmatched: [], ambiguous: [], kept: [] };
  const linkedAt = now().toISOString();
  const links: Link[] = [];
  for (const { userId, extension } of requests) {
    const existing = store.getLink(organization.id, userId);
    const linkedDn = existing ? { linkedDn: existing.dn } : {};
    const matches = candidates.get(normalizeExtension(extension)) ?? [];
    if (existing?.method === 'manual') {
      result.kept.push({ userId, extension, dn: existing.dn, reason: 'manual_link' });
    } else if (matches.length === 0) {
      result.unmatched.push({ userId, extension, ...linkedDn });
    } else if (matches.length > 1) {
      const dns = matches.map((entry) => entry.dn);
      result.ambiguous.push({ userId, extension, ...linkedDn, candidates: dns });
    } else {
      const dn = matches[0]!.dn;
      result.linked.push({ userId, extension, dn });
      links.push({
        organizationId: organization.id,
        userId,
        dn,
        extension,
        method: 'auto',
        linkedAt,
      });
    }
  }
  saveUnlessExpired(store, links, deadline);
  organization.logger.info(
    {
      attribute,
      linked: result.linked.length,
      unmatched: result.unmatched.length,
      ambiguous: result.ambiguous.length,
      kept: result.kept.length,
    },
    'automatic linking done',
  );
  return result;
}

/**
 * Links a user to a DN by hand, after checking the entry exists under the search base and is
 * a person (matches the organization's contact filter), not a unit or a group.
 */
export async function linkByDn(
  organization: Organization,
  store: LinksStore,
  userId: string,
  dn: string,
  now: () => Date,
  deadline: AbortSignal,
): Promise<Link> {
  const { searchBase, settings } = organization;
  const entry = await organization.directory.readEntry(dn, searchBase, settings.contacts.filter);
  if (!entry) {
    throw new GatewayError('entry_not_found', 'no person with this DN in the organization');
  }
  const link: Link = {
    organizationId: organization.id,
    userId,
    dn: entry.dn,
    extension: null,
    method: 'manual',
    linkedAt: now().toISOString(),
  };
  saveUnlessExpired(store, [link], deadline);
  return link;
}

/** Saves the links unless the caller was already told the request timed out. */
function saveUnlessExpired(store: LinksStore, links: Link[], deadline: AbortSignal): void {
  if (deadline.aborted) {
    throw new GatewayError('request_timeout', 'the request took too long; nothing was saved');
  }
  store.saveLinks(links);
}

/**
 * Directory entries by normalized extension. An attribute such as telephoneNumber matches
 * ignoring spaces and hyphens on the server, so the grouping here does the same.
 */
async function findByExtensions(
  organization: Organization,
  extensions: string[],
): Promise<Map<string, DirectoryEntry[]>> {
  const attribute = organization.settings.extensionAttribute;
  const wanted = [...new Set(extensions.map(normalizeExtension))];
  const byExtension = new Map<string, DirectoryEntry[]>();
  for (let start = 0; start < wanted.length; start += EXTENSIONS_PER_SEARCH) {
    const batch = wanted.slice(start, start + EXTENSIONS_PER_SEARCH);
    const terms = batch.map((extension) => `(${attribute}=${escapeFilterValue(extension)})`);
    const entries = await organization.directory.search({
      base: organization.searchBase,
      filter: terms.length === 1 ? terms[0]! : `(|${terms.join('')})`,
      attributes: [attribute],
      limit: MAX_ENTRIES_PER_BATCH,
      pageSize: organization.settings.contacts.pageSize,
    });
    const inBatch = new Set(batch);
    for (const entry of entries) {
      const values = new Set(entry.texts(attribute).map(normalizeExtension));
      for (const value of values) {
        if (!inBatch.has(value)) continue;
        const list = byExtension.get(value) ?? [];
        list.push(entry);
        byExtension.set(value, list);
      }
    }
  }
  return byExtension;
}

function normalizeExtension(extension: string): string {
  return extension.replace(/[\s-]/g, '').toLowerCase();
}
