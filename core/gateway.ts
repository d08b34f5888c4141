import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';

import { serve, type ServerType } from '@hono/node-server';

import type { GatewaySettings } from '../config/types.js';
import { startDemoDirectory } from './demo/demo-directory.js';
import { checkDirectorySettings } from './directory/settings-check.js';
import { sharedGssCredentials, type GssCredentials } from './kerberos/gss-credentials.js';
import { realmOf, serviceBindOf } from './kerberos/realm.js';
import { ConfigError } from './errors.js';
import { ImportRunner } from './imports/import-runner.js';
import { ImportThreads } from './imports/import-threads.js';
import { SignInsInFlight } from './imports/sign-ins-in-flight.js';
import { createApp, type GatewayApp } from './http/app.js';
import type { Logger } from './logger.js';
import { createMetrics, type GatewayMetrics } from './metrics.js';
import { createOrganizationPlugins } from './organization-plugins.js';
import { Organizations } from './organizations.js';
import { loadOperatorPlugins } from './plugin-loader.js';
import { createBuiltInRegistry, type PluginRegistry } from './plugin-registry.js';
import { openDatabase } from './store/database.js';
import { lockStore } from './store/store-lock.js';
import { SqliteImportsStore } from './store/sqlite-imports-store.js';
import { SqliteLinksStore } from './store/sqlite-links-store.js';

export interface StartOptions {
  settings: GatewaySettings;
  logger: Logger;
  metrics?: GatewayMetrics;
  registry?: PluginRegistry;
  /** Adds routes to the API before it listens (benchmarks add their baselines here). */
  extraRoutes?: (app: GatewayApp) => void;
}

export interface RunningGateway {
  /** Base URL of the API, e.g. http://127.0.0.1:8080. */
  url: string;
  organizations: Organizations;
  stop(): Promise<void>;
}

/**
 * The composition root: checks plugins, opens the store, starts the demo directory when asked,
 * then serves the API. `stop` undoes the same steps in reverse order.
 */
export async function startGateway(options: StartOptions): Promise<RunningGateway> {
  const { settings, logger } = options;
  const registry = options.registry ?? createBuiltInRegistry();
  await loadOperatorPlugins(settings.plugins, registry);
  const metrics = options.metrics ?? createMetrics();
  checkPlugins(settings, registry, logger);
  const directoryProblems = checkDirectorySettings(settings.organizations);
  if (directoryProblems.length > 0) throw new ConfigError(directoryProblems);
  warnAboutTls(settings, logger);
  if (settings.api.tokens.length === 0) {
    logger.warn('api.tokens is empty: every API route will answer 401 unauthorized');
  }

  const shutdown: Array<() => Promise<void> | void> = [];
  try {
    shutdown.push(lockStore(settings.store.path));
    const db = openDatabase(settings.store.path);
    shutdown.push(() => {
      db.close();
    });
    const store = new SqliteLinksStore(db);

    if (settings.demo.enabled) {
      const demo = await startDemoDirectory({
        ldifPath: settings.demo.ldif,
        host: settings.demo.host,
        port: settings.demo.port,
      });
      shutdown.push(() => demo.close());
      logger.info({ url: demo.url, entries: demo.entryCount }, 'demo directory started');
    }

    const plugins = await createOrganizationPlugins(settings, registry, logger, metrics);
    shutdown.push(() => plugins.close());
    const importsStore = new SqliteImportsStore(db);
    const gss = await startGss(settings, logger);
    const organizations = new Organizations({
      settings,
      logger,
      metrics,
      importsStore,
      plugins,
      gss,
    });
    shutdown.push(() => organizations.close());

    const signIns = new SignInsInFlight();
    const threads = settings.imports.readInWorker ? new ImportThreads(settings) : undefined;
    shutdown.push(async () => threads?.close());
    const runner = new ImportRunner({
      store: importsStore,
      organizations,
      settings: settings.imports,
      logger,
      metrics,
      worker: threads && { settings, storePath: settings.store.path, threads, signIns },
    });
    shutdown.push(() => runner.close());
    // The first import's threads load while the gateway waits for requests.
    threads?.prepare();

    let ready = false;
    const app = createApp({
      organizations,
      store,
      metrics,
      logger,
      tokens: settings.api.tokens,
      bodyLimitBytes: settings.server.bodyLimitBytes,
      requestTimeoutMs: settings.server.requestTimeoutMs,
      isReady: () => ready,
      imports: { runner, store: importsStore },
      signIns,
    });
    options.extraRoutes?.(app);
    const server = await listen(app.fetch, settings.server.host, settings.server.port);
    shutdown.push(() => closeServer(server));
    ready = true;
    runner.recover();

    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    logger.info({ url, organizations: Object.keys(settings.organizations) }, 'gateway listening');

    return {
      url,
      organizations,
      stop: async () => {
        ready = false;
        await runInReverse(shutdown);
      },
    };
  } catch (error) {
    await runInReverse(shutdown);
    throw error;
  }
}

/**
 * Kerberos for the service accounts that bind with SASL GSSAPI, shared by the whole process
 * (the GSS library reads its configuration from the environment). Loaded only when needed.
 */
async function startGss(
  settings: GatewaySettings,
  logger: Logger,
): Promise<GssCredentials | undefined> {
  const users = Object.entries(settings.organizations).filter(
    ([, organization]) => serviceBindOf(organization) === 'gssapi',
  );
  if (users.length === 0) return undefined;
  const gss = await sharedGssCredentials();
  if (!gss) {
    logger.warn(
      { organizations: users.map(([id]) => id) },
      'SASL GSSAPI unavailable: the kerberos package could not be loaded (see README)',
    );
    return undefined;
  }
  for (const [, organization] of users) {
    gss.addRealm({
      realm: realmOf(organization),
      kdc: organization.kdcServer,
      hosts: [new URL(organization.serverUrl).hostname],
    });
  }
  return gss;
}

function checkPlugins(settings: GatewaySettings, registry: PluginRegistry, logger: Logger): void {
  const { problems } = registry.check(settings);
  if (problems.length > 0) throw new ConfigError(problems);
  const missingTools = ['kinit', 'kvno'].filter((tool) => !isOnPath(tool));
  for (const [id, organization] of Object.entries(settings.organizations)) {
    const usesKerberos =
      organization.authMethod === 'kerberos' || serviceBindOf(organization) === 'gssapi';
    if (usesKerberos && missingTools.length > 0) {
      logger.warn(
        { org: id, missing: missingTools },
        'Kerberos tools missing (install krb5-user): Kerberos sign-ins and GSSAPI binds will fail',
      );
    }
  }
}

function warnAboutTls(settings: GatewaySettings, logger: Logger): void {
  for (const [id, organization] of Object.entries(settings.organizations)) {
    if (!organization.tls.rejectUnauthorized) {
      logger.warn({ org: id }, 'TLS certificate verification is off for this directory');
    }
    const secure = organization.serverUrl.startsWith('ldaps://') || organization.startTls;
    const loopback = /^ldaps?:\/\/(127\.|localhost|\[::1\])/i.test(organization.serverUrl);
    if (!secure && !loopback) {
      logger.warn({ org: id }, 'passwords travel unencrypted: use ldaps:// or startTls');
    }
    if (!secure && organization.authMethod === 'digest-md5') {
      logger.warn(
        { org: id },
        'DIGEST-MD5 without TLS: the mechanism is Historic (RFC 6331), use ldaps:// or startTls',
      );
    }
  }
}

function listen(
  fetch: (request: Request) => Response | Promise<Response>,
  hostname: string,
  port: number,
): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server));
    server.once('error', reject);
  });
}

/** Requests in flight get a moment to finish; long ones (progress streams) are then cut. */
const CLOSE_GRACE_MS = 2000;

function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    if (!('closeIdleConnections' in server)) return;
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
  });
}

function isOnPath(command: string): boolean {
  const folders = (process.env['PATH'] ?? '').split(delimiter).concat(['/usr/bin', '/bin']);
  return folders.some((folder) => folder && existsSync(join(folder, command)));
}

async function runInReverse(steps: Array<() => Promise<void> | void>): Promise<void> {
  for (const step of steps.reverse()) {
    try {
      await step();
    } catch {
      // Keep undoing the rest: one failed step must not leave ports or files open.
    }
  }
}
