/**
 * The one search an import sends, worked out from the same settings and core functions the
 * gateway uses, so that the baselines dump exactly what the import reads (./search-check.ts
 * proves it at every run).
 */
import type { GatewaySettings } from '../../../config/types.js';
import {
  binaryAttributeSpellings,
  withRequestedSpellings,
} from '../../../core/directory/binary-attributes.js';
import { searchBaseOf } from '../../../core/directory/base-dn.js';
import { importQueryOf } from '../../../core/imports/read-directory.js';
import { createLogger } from '../../../core/logger.js';
import { createMetrics } from '../../../core/metrics.js';
import { createOrganizationPlugins } from '../../../core/organization-plugins.js';
import { createBuiltInRegistry } from '../../../core/plugin-registry.js';

export interface ImportSearch {
  url: string;
  bindDn: string;
  password: string;
  base: string;
  filter: string;
  /** In the import's order, repeats included: the request's bytes are the same. */
  attributes: string[];
  /** Asked for as bytes, as the gateway does (see core/directory/binary-attributes.ts). */
  binaryAttributes: string[];
  pageSize: number;
}

/** The import's search for one organization, from the function the gateway itself uses. */
export async function importSearchOf(
  settings: GatewaySettings,
  organizationId: string,
): Promise<ImportSearch> {
  const organization = settings.organizations[organizationId];
  if (!organization) throw new Error(`bench: no organization '${organizationId}'`);
  const plugins = await createOrganizationPlugins(
    settings,
    createBuiltInRegistry(),
    createLogger('silent'),
    createMetrics({ processMetrics: false }),
  );
  try {
    const query = importQueryOf(
      {
        mapper: plugins.of(organizationId).mapper,
        settings: organization,
        searchBase: searchBaseOf(organization),
      },
      settings.imports.pageSize,
    );
    const binary = binaryAttributeSpellings(organization.binaryAttributes);
    return {
      url: organization.serverUrl,
      bindDn: organization.bindUsername,
      password: organization.bindPassword,
      ...query,
      binaryAttributes: withRequestedSpellings(binary, query.attributes),
    };
  } finally {
    await plugins.close();
  }
}
