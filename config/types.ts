/** Settings of gateway.yaml after validation, defaults filled in (see gateway.schema.json). */

/** A built-in auth method, or the type name of an operator's auth plugin. */
export type AuthMethodName = 'simple' | 'digest-md5' | 'kerberos' | (string & {});

export type ServiceBindName = 'auto' | 'simple' | 'digest-md5' | 'gssapi';

export interface TlsSettings {
  caFile: string;
  serverName: string;
  rejectUnauthorized: boolean;
}

export interface KerberosSettings {
  realm: string;
  keytab: string;
  servicePrincipal: string;
  serviceKeytab: string;
}

export interface PoolSettings {
  size: number;
  idleTimeoutMs: number;
  acquireTimeoutMs: number;
}

export interface TimeoutSettings {
  connectMs: number;
  operationMs: number;
}

export interface ContactSettings {
  filter: string;
  searchAttributes: string[];
  maxResults: number;
  defaultLimit: number;
  pageSize: number;
  cacheTtlSeconds: number;
  cacheMaxEntries: number;
  cacheMaxBytes: number;
  source: ContactSource;
}

export type ContactSource = 'live' | 'imported' | 'imported-or-live';

export interface PluginChoice {
  type: string;
  options: Record<string, unknown>;
}

export interface RetrySettings {
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface SinkChoice extends PluginChoice {
  retry: RetrySettings;
}

export interface OrganizationSettings {
  serverUrl: string;
  directoryDomain: string;
  organizationUnit: string;
  baseDn: string;
  bindUsername: string;
  bindPassword: string;
  userIdAttribute: string;
  /** Always a list after loading, whatever form the file used. */
  attributes: string[];
  authMethod: AuthMethodName;
  serviceBind: ServiceBindName;
  kdcServer: string;
  saslRealm: string;
  kerberos: KerberosSettings;
  startTls: boolean;
  tls: TlsSettings;
  extensionAttribute: string;
  /** ISO 3166 alpha-2, or '' for none. */
  defaultCountry: string;
  pool: PoolSettings;
  timeouts: TimeoutSettings;
  contacts: ContactSettings;
  binaryAttributes: string[];
  /** Always a list after loading: the mapping chain, first to last. */
  mapping: PluginChoice[];
  authOptions: Record<string, unknown>;
  sink: SinkChoice;
}

export interface ApiToken {
  name: string;
  token: string;
  organizations: string[];
}

export interface ImportSettings {
  maxConcurrent: number;
  pageSize: number;
  batchSize: number;
  changesKept: number;
  readInWorker: boolean;
  threadsAhead: boolean;
  maxRemovedShare: number;
}

/** An operator's plugin module as listed in gateway.yaml. */
export interface PluginModuleSettings {
  /** An absolute path once loaded from a file, or a package name. */
  module: string;
  options: Record<string, unknown>;
}

export interface GatewaySettings {
  server: { host: string; port: number; bodyLimitBytes: number; requestTimeoutMs: number };
  logging: { level: string };
  store: { path: string };
  api: { tokens: ApiToken[] };
  demo: { enabled: boolean; ldif: string; host: string; port: number };
  plugins: PluginModuleSettings[];
  imports: ImportSettings;
  organizations: Record<string, OrganizationSettings>;
}
