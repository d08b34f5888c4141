/**
 * Where contact queries find their people: the directory itself, the contacts of the latest
 * applied import, or the import once there is one and the directory before.
 */
import type { ContactSettings } from '../config/types.js';
import type { Directory } from './directory/directory.js';
import { escapeFilterValue } from './directory/escape.js';
import { GatewayError } from './errors.js';
import { searchNeedles } from './imports/search-text.js';
import { contactAttributes, keyedContactOf } from './keyed-contact.js';
import type { AttributeMapper, Contact } from './plugin-api.js';
import type { ImportsStore } from './store/imports-store.js';

export interface FoundContacts {
  /** At most `maxResults`, in no particular order. */
  contacts: Contact[];
  /** More people matched than `maxResults`. */
  truncated: boolean;
}

export interface ContactSource {
  /** People matching a normalized query (lower case, single spaces); all for ''. */
  find(query: string): Promise<FoundContacts>;
}

export interface ContactSourceOptions {
  organizationId: string;
  settings: ContactSettings;
  directory: Directory;
  searchBase: string;
  mapper: AttributeMapper;
  store: ImportsStore;
}

/** The source the organization's `contacts.source` names. */
export function contactSourceOf(options: ContactSourceOptions): ContactSource {
  const live = liveContacts(options);
  const imported = importedContacts(options);
  switch (options.settings.source) {
    case 'live':
      return live;
    case 'imported':
      return imported;
    case 'imported-or-live':
      return {
        find: (query) =>
          options.store.latestApplied(options.organizationId)
            ? imported.find(query)
            : live.find(query),
      };
  }
}

function liveContacts(options: ContactSourceOptions): ContactSource {
  const { directory, searchBase, settings, mapper } = options;
  return {
    async find(query) {
      const entries = await directory.search({
        base: searchBase,
        filter: buildContactFilter(settings, query),
        attributes: contactAttributes(mapper),
        limit: settings.maxResults + 1,
        pageSize: settings.pageSize,
      });
      return {
        contacts: entries
          .slice(0, settings.maxResults)
          .map((entry) => keyedContactOf(entry, mapper)),
        truncated: entries.length > settings.maxResults,
      };
    },
  };
}

function importedContacts(options: ContactSourceOptions): ContactSource {
  const { store, organizationId, settings } = options;
  return {
    find(query) {
      if (!store.latestApplied(organizationId)) {
        throw new GatewayError(
          'contacts_not_imported',
          'contacts of this organization are served from imports, and none has been applied yet',
        );
      }
      const rows = store.searchContacts(
        organizationId,
        searchNeedles(query),
        settings.maxResults + 1,
      );
      return Promise.resolve({
        contacts: rows.slice(0, settings.maxResults).map((row) => JSON.parse(row) as Contact),
        truncated: rows.length > settings.maxResults,
      });
    },
  };
}

/** The settings' people filter, narrowed to entries whose searched attributes contain `text`. */
export function buildContactFilter(settings: ContactSettings, text: string): string {
  if (text.length === 0) return settings.filter;
  const value = escapeFilterValue(text);
  const any = settings.searchAttributes.map((attribute) => `(${attribute}=*${value}*)`).join('');
  return `(&${settings.filter}(|${any}))`;
}
