/** Settings of one organization `acme` that need no server, for tests of loading and plugins. */
import { parseSettings } from '../../config/load.js';
import type { GatewaySettings } from '../../config/types.js';

/** gateway.yaml with organization `acme` (plus `organization`'s keys), loaded and completed. */
export function settingsOfAcme(organization: Record<string, unknown> = {}): GatewaySettings {
  const document = {
    organizations: {
      acme: {
        serverUrl: 'ldap://127.0.0.1:389',
        directoryDomain: 'example.com',
        organizationUnit: 'users',
        bindUsername: 'cn=gateway,dc=example,dc=com',
        bindPassword: 'pw',
        ...organization,
      },
    },
  };
  return parseSettings(JSON.stringify(document), { env: {} });
}
