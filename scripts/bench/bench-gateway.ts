/**
 * The gateway under test: one organization per sign-in method, all on the same slapd (and the
 * KDC for Kerberos), with the baseline routes added to its app and the bare sign-ins opened
 * against the same servers with the same search base and attributes.
 */
import { parseSettings } from '../../config/load.js';
import { startGateway, type RunningGateway } from '../../core/gateway.js';
import { createLogger } from '../../core/logger.js';
import { createMetrics, type GatewayMetrics } from '../../core/metrics.js';
import { fixtureOrganization } from '../../test/support/gateway.js';
import { BareDigestMd5SignIn } from './bare-digest-md5.js';
import { BareKerberosSignIn } from './bare-kerberos.js';
import type { BareSignIn, UserSearch } from './bare-sign-in.js';
import { BareSimpleSignIn } from './bare-simple.js';
import { addBaselineRoutes, type BaselineState, type SignInMethod } from './baseline-routes.js';
import type { BenchServers } from './servers.js';

export const TOKEN = 'bench-token-0123456789abcdef';
export const POOL_SIZE = 8;
// Sign-ins log at info: below `warn` the bench would mostly measure pino writing to a pipe.
export const LOG_LEVEL = 'warn';

/** The organization of each method; `bench` also serves the contact queries. */
export const ORGANIZATIONS: Record<SignInMethod, string> = {
  simple: 'bench',
  'digest-md5': 'bench-digest-md5',
  kerberos: 'bench-kerberos',
};

/** DIGEST-MD5 names users, not DNs: the service account is one the server maps (as in tests). */
const DIGEST_SERVICE = { username: 'bob', password: 'bob-pw' };

export interface BenchGateway {
  url: string;
  metrics: GatewayMetrics;
  state: BaselineState;
  stop(): Promise<void>;
}

/** Starts the gateway and opens the bare sign-ins of `methods` (the figures measured). */
export async function startBenchGateway(
  servers: BenchServers,
  methods: SignInMethod[],
): Promise<BenchGateway> {
  const settings = parseSettings(JSON.stringify(settingsDocument(servers, methods)), {
    env: {},
  });
  const metrics = createMetrics();
  const state: BaselineState = { contactsBody: '', signIns: {} };
  const gateway = await startGateway({
    settings,
    logger: createLogger(settings.logging.level, process.stderr),
    metrics,
    extraRoutes: (app) => addBaselineRoutes(app, state),
  });
  const stop = async () => {
    await Promise.all(Object.values(state.signIns).map((bare) => bare.close()));
    await gateway.stop();
  };
  try {
    for (const method of methods) {
      state.signIns[method] = await openBareSignIn(method, servers, searchOf(gateway, method));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: gateway.url, metrics, state, stop };
}

/** `bench` always (it serves the contact queries too); the others only when measured. */
function settingsDocument(servers: BenchServers, methods: SignInMethod[]) {
  const organizations: Record<string, unknown> = {};
  for (const method of new Set<SignInMethod>(['simple', ...methods])) {
    organizations[ORGANIZATIONS[method]] = organizationSettings(method, servers);
  }
  return {
    server: { host: '127.0.0.1', port: 0 },
    logging: { level: LOG_LEVEL },
    store: { path: ':memory:' },
    api: { tokens: [{ name: 'bench', token: TOKEN, organizations: Object.keys(organizations) }] },
    organizations,
  };
}

function organizationSettings(method: SignInMethod, { slapd, kdc }: BenchServers) {
  const pool = { size: POOL_SIZE };
  switch (method) {
    case 'simple':
      // Far beyond the bench's length: every measured contact query must be a cache hit.
      return fixtureOrganization(slapd, { pool, contacts: { cacheTtlSeconds: 3600 } });
    case 'digest-md5':
      return fixtureOrganization(slapd, {
        pool,
        authMethod: 'digest-md5',
        bindUsername: DIGEST_SERVICE.username,
        bindPassword: DIGEST_SERVICE.password,
      });
    case 'kerberos':
      if (!kdc) throw new Error('bench: the Kerberos organization needs the KDC');
      return fixtureOrganization(slapd, {
        pool,
        authMethod: 'kerberos',
        kdcServer: kdc.address,
        kerberos: { keytab: kdc.gatewayKeytab, servicePrincipal: kdc.gatewayPrincipal },
      });
  }
}

/** The bare route asks the directory for exactly what the gateway asks for. */
function searchOf(gateway: RunningGateway, method: SignInMethod): UserSearch {
  const { searchBase, mapper } = gateway.organizations.get(ORGANIZATIONS[method]);
  return { base: searchBase, attributes: [...mapper.attributes] };
}

async function openBareSignIn(
  method: SignInMethod,
  servers: BenchServers,
  search: UserSearch,
): Promise<BareSignIn> {
  const { slapd, kdc } = servers;
  switch (method) {
    case 'simple':
      return BareSimpleSignIn.open(slapd, POOL_SIZE, search);
    case 'digest-md5':
      return BareDigestMd5SignIn.open(slapd, POOL_SIZE, search, DIGEST_SERVICE);
    case 'kerberos':
      if (!kdc) throw new Error('bench: the Kerberos baseline needs the KDC');
      return BareKerberosSignIn.open(kdc, slapd, POOL_SIZE, search);
  }
}
