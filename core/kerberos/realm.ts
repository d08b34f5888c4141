import type { OrganizationSettings } from '../../config/types.js';

/** The organization's Kerberos realm: set explicitly, or its directory domain in capitals. */
export function realmOf(
  settings: Pick<OrganizationSettings, 'kerberos' | 'directoryDomain'>,
): string {
  return (settings.kerberos.realm || settings.directoryDomain).toUpperCase();
}

/** How the service account binds, with `auto` resolved. */
export function serviceBindOf(
  settings: Pick<OrganizationSettings, 'serviceBind' | 'authMethod'>,
): 'simple' | 'digest-md5' | 'gssapi' {
  if (settings.serviceBind !== 'auto') return settings.serviceBind;
  return settings.authMethod === 'digest-md5' ? 'digest-md5' : 'simple';
}
