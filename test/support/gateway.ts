/**
 * Starts a real gateway (HTTP server, pools, SQLite store) on a free port for tests, pointed at
 * a directory the test started, and sends requests to it with a valid bearer token.
 */
import { Writable } from 'node:stream';

import { parseSettings } from '../../config/load.js';
import type { GatewaySettings } from '../../config/types.js';
import { startGateway, type RunningGateway } from '../../core/gateway.js';
import { createLogger } from '../../core/logger.js';
import { createMetrics, type GatewayMetrics } from '../../core/metrics.js';
import type { SlapdHandle } from './slapd.js';

export const TEST_TOKEN = 'test-token-0123456789abcdef';
export const LIMITED_TOKEN = 'limited-token-0123456789abcdef';

export interface TestGateway {
  url: string;
  gateway: RunningGateway;
  metrics: GatewayMetrics;
  /** Every log line written so far, parsed. */
  logs: Array<Record<string, unknown>>;
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<TestResponse>;
  stop(): Promise<void>;
}

export interface TestResponse {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

/** Organization settings (as YAML values) for the fixture directory of a SlapdHandle. */
/**
 * An organization on a directory nobody asks (nothing listens on port 9): for tests of what
 * happens before any directory is asked, since nothing connects at start-up.
 */
export const UNREACHED_ORGANIZATION = {
  serverUrl: 'ldap://127.0.0.1:9',
  directoryDomain: 'example.com',
  organizationUnit: 'users',
  bindUsername: 'cn=service,dc=example,dc=com',
  bindPassword: 'service-pw',
  userIdAttribute: 'uid',
};

export function fixtureOrganization(slapd: SlapdHandle, overrides: Record<string, unknown> = {}) {
  return {
    serverUrl: slapd.url,
    directoryDomain: 'ldap.example.com',
    organizationUnit: 'users',
    bindUsername: slapd.serviceDn,
    bindPassword: slapd.servicePassword,
    userIdAttribute: 'uid',
    attributes: 'cn,mail,telephoneNumber,mobile,jpegPhoto',
    ...overrides,
  };
}

/** Starts a gateway with the given organizations on 127.0.0.1 and an in-memory store. */
export async function startTestGateway(
  organizations: Record<string, Record<string, unknown>>,
  extra: {
    store?: string;
    server?: Record<string, unknown>;
    imports?: Record<string, unknown>;
    plugins?: Array<Record<string, unknown>>;
  } = {},
): Promise<TestGateway> {
  const firstOrganization = Object.keys(organizations)[0] ?? 'none';
  const document = {
    server: { host: '127.0.0.1', port: 0, ...extra.server },
    logging: { level: 'debug' },
    store: { path: extra.store ?? ':memory:' },
    imports: extra.imports ?? {},
    plugins: extra.plugins ?? [],
    api: {
      tokens: [
        { name: 'test', token: TEST_TOKEN, organizations: ['*'] },
        { name: 'limited', token: LIMITED_TOKEN, organizations: [firstOrganization] },
      ],
    },
    organizations,
  };
  return startGatewayWith(parseSettings(JSON.stringify(document), { env: {} }));
}

/** Starts a gateway on settings loaded elsewhere (e.g. from a YAML file a test wrote). */
export async function startGatewayWith(settings: GatewaySettings): Promise<TestGateway> {
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const metrics = createMetrics({ processMetrics: false });
  const gateway = await startGateway({ settings, logger: createLogger('debug', sink), metrics });

  return {
    url: gateway.url,
    gateway,
    metrics,
    logs,
    request: (method, path, body, headers = {}) => send(gateway.url, method, path, body, headers),
    stop: () => gateway.stop(),
  };
}

async function send(
  base: string,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<TestResponse> {
  const init: RequestInit = {
    method,
    headers: { authorization: `Bearer ${TEST_TOKEN}`, ...headers },
  };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${base}${path}`, init);
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text, headers: response.headers };
}
