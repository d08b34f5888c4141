/** A default mapper as start-up makes it, for the mapping-default tests. */
import type { OrganizationSettings } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import type { AttributeMapper } from '../../core/plugin-api.js';
import { createBuiltInRegistry } from '../../core/plugin-registry.js';
import { defaultMapping } from '../../plugins/mapping-default/index.js';
import { settingsOfAcme } from '../support/settings.js';

/** The organization `acme` after loading and the plugin check, with the check's problems. */
export function checkedOrganization(settings: Record<string, unknown>): {
  organization: OrganizationSettings;
  problems: string[];
} {
  const parsed = settingsOfAcme(settings);
  const { problems } = createBuiltInRegistry().check(parsed);
  return { organization: parsed.organizations['acme']!, problems };
}

/** The default mapper with these options; throws if the start-up check finds a problem. */
export function defaultMapperWith(
  options: Record<string, unknown>,
  settings: Record<string, unknown> = {},
): AttributeMapper {
  const { organization, problems } = checkedOrganization({
    ...settings,
    mapping: { type: 'default', options },
  });
  if (problems.length > 0) throw new Error(`unexpected problems:\n${problems.join('\n')}`);
  const context = {
    organizationId: 'acme',
    settings: organization,
    logger: createLogger('silent'),
  };
  return defaultMapping.create(organization.mapping[0]!.options, context);
}
