import type { OrganizationSettings } from '../../config/types.js';
import { escapeDnValue } from './escape.js';

/**
 * The search base of an organization: `baseDn` when set, otherwise the unit under the domain,
 * e.g. `users` in `ldap.example.com` gives `ou=users,dc=ldap,dc=example,dc=com`. A unit
 * already written as RDNs (`ou=Staff,ou=People`) is used as it is.
 */
export function searchBaseOf(
  settings: Pick<OrganizationSettings, 'baseDn' | 'directoryDomain' | 'organizationUnit'>,
): string {
  if (settings.baseDn) return settings.baseDn;
  const domain = settings.directoryDomain
    .split('.')
    .filter((label) => label.length > 0)
    .map((label) => `dc=${escapeDnValue(label)}`)
    .join(',');
  const unit = settings.organizationUnit.trim();
  if (!unit) return domain;
  // Operators paste either a bare name (`users`) or RDNs (`ou=Staff,ou=People`).
  const unitDn = unit.includes('=') ? unit : `ou=${escapeDnValue(unit)}`;
  return `${unitDn},${domain}`;
}
