import type { GatewaySettings, OrganizationSettings } from '../config/types.js';
import { contactSourceOf } from './contact-sources.js';
import { ContactQueries } from './contacts.js';
import { CallerLookup } from './lookup/caller-lookup.js';
import { searchBaseOf } from './directory/base-dn.js';
import { Directory } from './directory/directory.js';
import { GatewayError } from './errors.js';
import type { Logger } from './logger.js';
import type { GssCredentials } from './kerberos/gss-credentials.js';
import type { GatewayMetrics } from './metrics.js';
import type { AuthMethod, ContactSink, UserDirectory } from './plugin-api.js';
import type { PluginSet } from './organization-plugins.js';
import type { MappingChain } from './plugin-guard.js';
import type { ImportsStore } from './store/imports-store.js';
import { createUserDirectory } from './user-directory.js';

/** Everything the use cases need for one organization, built on first use. */
export interface Organization {
  id: string;
  settings: OrganizationSettings;
  logger: Logger;
  searchBase: string;
  directory: Directory;
  mapper: MappingChain;
  users: UserDirectory;
  contacts: ContactQueries;
  /** Caller-ID lookups: which contact a phone number belongs to. */
  lookup: CallerLookup;
  /** Where the organization's imports deliver their contacts. */
  sink: ContactSink;
  /** The organization's auth plugin, guarded (see plugin-guard.ts). */
  auth(): AuthMethod;
  close(): Promise<void>;
}

export interface OrganizationsOptions {
  settings: GatewaySettings;
  logger: Logger;
  metrics: GatewayMetrics;
  /** Holds imported contacts, which queries may be answered from. */
  importsStore: ImportsStore;
  /** The plugins of every organization, created at start-up. */
  plugins: PluginSet;
  gss?: GssCredentials | undefined;
}

/**
 * The organizations of gateway.yaml. Nothing connects until an organization is first used,
 * so a gateway with a hundred customers starts at once and one unreachable directory delays
 * no one else.
 */
export class Organizations {
  readonly #options: OrganizationsOptions;
  readonly #built = new Map<string, Organization>();

  constructor(options: OrganizationsOptions) {
    this.#options = options;
  }

  has(id: string): boolean {
    return Object.hasOwn(this.#options.settings.organizations, id);
  }

  /** The organization, or `unknown_organization`. */
  get(id: string): Organization {
    const existing = this.#built.get(id);
    if (existing) return existing;
    if (!this.has(id)) {
      throw new GatewayError('unknown_organization', `no organization '${id}' is configured`);
    }
    const organization = this.#build(id, this.#options.settings.organizations[id]!);
    this.#built.set(id, organization);
    return organization;
  }

  /** Writes the current pool sizes into the metrics (called before each scrape). */
  reportPools(): void {
    const gauge = this.#options.metrics.poolConnections;
    for (const organization of this.#built.values()) {
      const counts = organization.directory.poolCounts();
      for (const [pool, count] of Object.entries(counts)) {
        for (const [state, value] of Object.entries(count)) {
          gauge.set({ org: organization.id, pool, state }, value);
        }
      }
    }
  }

  async close(): Promise<void> {
    const organizations = [...this.#built.values()];
    this.#built.clear();
    await Promise.all(organizations.map((organization) => organization.close()));
  }

  #build(id: string, settings: OrganizationSettings): Organization {
    const { metrics } = this.#options;
    const logger = this.#options.logger.child({ org: id });
    const searchBase = searchBaseOf(settings);
    const gss = this.#options.gss;
    const directory = new Directory({ organizationId: id, settings, logger, metrics, gss });

    const { mapper, sink, auth } = this.#options.plugins.of(id);

    const users = createUserDirectory(directory, settings, searchBase, mapper.attributes);
    const source = contactSourceOf({
      organizationId: id,
      settings: settings.contacts,
      directory,
      searchBase,
      mapper,
      store: this.#options.importsStore,
    });
    const lookup = new CallerLookup({
      organizationId: id,
      defaultCountry: settings.defaultCountry,
      settings: settings.contacts,
      store: this.#options.importsStore,
      directory,
      searchBase,
      mapper,
    });
    const contacts = new ContactQueries({
      organizationId: id,
      source,
      settings: settings.contacts,
      metrics,
    });

    return {
      id,
      settings,
      logger,
      searchBase,
      directory,
      mapper,
      users,
      contacts,
      lookup,
      sink,
      close: () => directory.close(),
      auth: () => auth,
    };
  }
}
