import { readFileSync } from 'node:fs';
import { checkServerIdentity, type ConnectionOptions as TlsOptions } from 'node:tls';

import type { OrganizationSettings } from '../../config/types.js';
import type { ConnectionSettings } from './connection.js';

/** How to reach an organization's directory: URL, StartTLS, TLS checks and timeouts. */
export function connectionSettingsOf(settings: OrganizationSettings): ConnectionSettings {
  return {
    url: settings.serverUrl,
    startTls: settings.startTls,
    tls: tlsOptionsOf(settings),
    connectTimeoutMs: settings.timeouts.connectMs,
    operationTimeoutMs: settings.timeouts.operationMs,
  };
}

/** TLS options that verify the directory's certificate unless told not to. */
function tlsOptionsOf(settings: OrganizationSettings): TlsOptions {
  const host = new URL(settings.serverUrl).hostname;
  const options: TlsOptions = {
    rejectUnauthorized: settings.tls.rejectUnauthorized,
    minVersion: 'TLSv1.2',
    host,
  };
  if (settings.tls.caFile) options.ca = readFileSync(settings.tls.caFile, 'utf8');
  const serverName = settings.tls.serverName || host;
  // SNI carries host names only (RFC 6066 section 3).
  if (!/^[\d.]+$|:/.test(serverName)) options.servername = serverName;
  if (settings.tls.serverName) {
    options.checkServerIdentity = (_host, certificate) =>
      checkServerIdentity(settings.tls.serverName, certificate);
  }
  return options;
}
