import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { routePath } from 'hono/route';

import type { ApiToken } from '../../config/types.js';
import { GatewayError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { GatewayMetrics } from '../metrics.js';
import type { Organization, Organizations } from '../organizations.js';
import type { ImportRunner } from '../imports/import-runner.js';
import type { SignInsInFlight } from '../imports/sign-ins-in-flight.js';
import type { ImportsStore } from '../store/imports-store.js';
import type { LinksStore } from '../store/links-store.js';
import { createTokenChecker, type Caller } from './api-tokens.js';
import { registerContactRoutes } from './contact-routes.js';
import { errorResponse } from './error-status.js';
import { registerHealthRoutes } from './health-routes.js';
import { registerImportRoutes } from './import-routes.js';
import { registerLinkRoutes } from './link-routes.js';
import { registerLookupRoutes } from './lookup-routes.js';
import { registerSignInRoutes } from './sign-in-routes.js';

export interface AppDependencies {
  organizations: Organizations;
  store: LinksStore;
  metrics: GatewayMetrics;
  logger: Logger;
  tokens: ApiToken[];
  bodyLimitBytes: number;
  requestTimeoutMs: number;
  isReady: () => boolean;
  imports: { runner: ImportRunner; store: ImportsStore };
  /** Sign-ins being answered, which import threads make way for. */
  signIns: SignInsInFlight;
  now?: () => Date;
}

export type GatewayEnv = {
  Variables: {
    caller: Caller;
    organization: Organization;
    /** Aborted when the request has been answered request_timeout: write nothing after it. */
    deadline: AbortSignal;
    /** The route the metrics count a request under, where its handler's pattern is shared. */
    route?: string;
  };
};
export type GatewayApp = Hono<GatewayEnv>;
export type GatewayContext = Context<GatewayEnv>;

/** The HTTP API: every route, the token check, and errors turned into JSON with a status. */
export function createApp(dependencies: AppDependencies): GatewayApp {
  const app: GatewayApp = new Hono<GatewayEnv>();
  const checkToken = createTokenChecker(dependencies.tokens);

  app.use('*', measureRequests(dependencies.metrics));
  app.use('*', limitRequestTime(dependencies.requestTimeoutMs));
  app.use('*', limitBodySize(dependencies.bodyLimitBytes));
  // Every /v1 route is an organization's: the token and the organization are checked at once.
  app.use('/v1/orgs/:org/*', (context, next) => {
    const caller = checkToken(context.req.header('authorization'));
    const id = context.req.param('org');
    if (!caller.mayUse(id)) {
      throw new GatewayError('organization_forbidden', 'this token may not use this organization');
    }
    context.set('caller', caller);
    context.set('organization', dependencies.organizations.get(id));
    return next();
  });

  registerHealthRoutes(app, dependencies);
  registerSignInRoutes(app, dependencies);
  registerLookupRoutes(app);
  registerContactRoutes(app);
  registerImportRoutes(app, dependencies.imports);
  registerLinkRoutes(app, {
    store: dependencies.store,
    now: dependencies.now ?? (() => new Date()),
  });

  app.notFound((context) => errorResponse(context, new GatewayError('not_found', 'no such route')));
  app.onError((error, context) => {
    if (!(error instanceof GatewayError)) {
      dependencies.logger.error({ err: error, route: context.req.path }, 'request failed');
      return errorResponse(context, new GatewayError('internal_error', 'the gateway failed'));
    }
    return errorResponse(context, error);
  });
  return app;
}

function tooLarge(): never {
  throw new GatewayError('payload_too_large', 'the request body is too large');
}

/**
 * Refuses bodies over `maxSize`. A declared Content-Length is checked from the header alone;
 * hono's bodyLimit, which reads the stream, runs only for chunked bodies. Reading the body
 * stream of every request (GETs included) would make the node adapter build a full web Request
 * each time, which halves throughput.
 */
function limitBodySize(maxSize: number) {
  const limitStream = bodyLimit({ maxSize, onError: tooLarge });
  return async (context: GatewayContext, next: () => Promise<void>) => {
    const length = context.req.header('content-length');
    const chunked = context.req.header('transfer-encoding') !== undefined;
    if (length !== undefined && !chunked) {
      if (!/^\d+$/.test(length) || Number(length) > maxSize) tooLarge();
      return next();
    }
    if (!chunked) return next();
    return limitStream(context, next);
  };
}

function measureRequests(metrics: GatewayMetrics) {
  return async (context: GatewayContext, next: () => Promise<void>) => {
    const stop = metrics.httpDuration.startTimer();
    await next();
    const route = context.get('route') ?? routePath(context, -1);
    stop({
      method: context.req.method,
      route: route === '*' || route === '/*' ? 'unmatched' : route,
      status: String(context.res.status),
    });
  };
}

/**
 * Answers 503 request_timeout when a handler takes too long. The handler's directory work
 * cannot be cancelled, so it is told through the `deadline` signal, which use cases check
 * before they write anything: a caller told "timeout" must not find the write done later.
 */
function limitRequestTime(timeoutMs: number) {
  return async (context: GatewayContext, next: () => Promise<void>) => {
    const deadline = new AbortController();
    context.set('deadline', deadline.signal);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        deadline.abort();
        reject(new GatewayError('request_timeout', 'the request took too long; nothing was saved'));
      }, timeoutMs);
    });
    try {
      await Promise.race([next(), expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}
